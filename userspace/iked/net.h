/* SPDX-License-Identifier: GPL-2.0 */
/* iked's UDP sockets: ports 500 and 4500 (with the non-ESP marker), IPv4 and IPv6. */
#ifndef IKED_NET_H
#define IKED_NET_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <poll.h>
#include <sys/socket.h>

#define NET_SOCKETS 4

/* Opens what it can; fails only if no socket at all could be bound. */
int net_open(void);
void net_close(void);
/* pollfds for the sockets; returns how many were filled in. */
unsigned int net_pollfds(struct pollfd *fds);

/*
 * Reads one datagram from socket @fd into @buf: the local and remote
 * addresses with their ports (on 4500 the marker is stripped). Returns its
 * length, 0 for something not IKE (a keepalive), or -1.
 */
ssize_t net_recv(int fd, uint8_t *buf, size_t cap,
		 struct sockaddr_storage *local,
		 struct sockaddr_storage *remote);

/* Sends from @local (its port picks 500 or 4500) to @remote. */
bool net_send(const struct sockaddr_storage *local,
	      const struct sockaddr_storage *remote, const uint8_t *buf,
	      size_t len);

/* A NAT keepalive (one 0xff byte) from 4500. */
void net_keepalive(const struct sockaddr_storage *local,
		   const struct sockaddr_storage *remote);

uint16_t sockaddr_port(const struct sockaddr_storage *ss);
void sockaddr_set_port(struct sockaddr_storage *ss, uint16_t port);
/* Address bytes (4 or 16) and their length. */
const uint8_t *sockaddr_addr(const struct sockaddr_storage *ss, size_t *len);
bool sockaddr_same_addr(const struct sockaddr_storage *a,
			const struct sockaddr_storage *b);
/* "192.0.2.1[500]" */
const char *sockaddr_str(const struct sockaddr_storage *ss, char *buf,
			 size_t len);

#endif
