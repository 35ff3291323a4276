// SPDX-License-Identifier: GPL-2.0
/* iked's UDP sockets: ports 500 and 4500, IPv4 and IPv6. */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/udp.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "ike.h"
#include "ikev2.h"
#include "net.h"

struct net_socket {
	int fd;
	int family;
	uint16_t port;
};

static struct net_socket sockets[NET_SOCKETS] = {
	{ -1, AF_INET, IKE_PORT }, { -1, AF_INET, IKE_NATT_PORT },
	{ -1, AF_INET6, IKE_PORT }, { -1, AF_INET6, IKE_NATT_PORT },
};

static int bind_one(struct net_socket *s)
{
	struct sockaddr_storage ss = { .ss_family = s->family };
	int one = 1, fd;

	fd = socket(s->family, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -1;
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (s->family == AF_INET) {
		setsockopt(fd, IPPROTO_IP, IP_PKTINFO, &one, sizeof(one));
	} else {
		setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &one, sizeof(one));
		setsockopt(fd, IPPROTO_IPV6, IPV6_RECVPKTINFO, &one, sizeof(one));
	}
	sockaddr_set_port(&ss, s->port);
	if (bind(fd, (struct sockaddr *)&ss, sizeof(ss)) < 0) {
		ike_log(NULL, "cannot bind UDP port %u (%s): %s", s->port,
			s->family == AF_INET ? "IPv4" : "IPv6", strerror(errno));
		close(fd);
		return -1;
	}
	s->fd = fd;
	return 0;
}

int net_open(void)
{
	unsigned int i, bound = 0;

	for (i = 0; i < NET_SOCKETS; i++)
		if (!bind_one(&sockets[i]))
			bound++;
	return bound ? 0 : -1;
}

void net_close(void)
{
	unsigned int i;

	for (i = 0; i < NET_SOCKETS; i++) {
		if (sockets[i].fd >= 0)
			close(sockets[i].fd);
		sockets[i].fd = -1;
	}
}

unsigned int net_pollfds(struct pollfd *fds)
{
	unsigned int i, n = 0;

	for (i = 0; i < NET_SOCKETS; i++) {
		if (sockets[i].fd < 0)
			continue;
		fds[n].fd = sockets[i].fd;
		fds[n].events = POLLIN;
		n++;
	}
	return n;
}

static struct net_socket *socket_of_fd(int fd)
{
	unsigned int i;

	for (i = 0; i < NET_SOCKETS; i++)
		if (sockets[i].fd == fd)
			return &sockets[i];
	return NULL;
}

static void local_from_cmsg(struct msghdr *mh, struct net_socket *s,
			    struct sockaddr_storage *local)
{
	struct cmsghdr *c;

	memset(local, 0, sizeof(*local));
	local->ss_family = s->family;
	for (c = CMSG_FIRSTHDR(mh); c; c = CMSG_NXTHDR(mh, c)) {
		if (c->cmsg_level == IPPROTO_IP && c->cmsg_type == IP_PKTINFO) {
			struct in_pktinfo pi;

			memcpy(&pi, CMSG_DATA(c), sizeof(pi));
			((struct sockaddr_in *)local)->sin_addr = pi.ipi_addr;
		} else if (c->cmsg_level == IPPROTO_IPV6 &&
			   c->cmsg_type == IPV6_PKTINFO) {
			struct in6_pktinfo pi;

			memcpy(&pi, CMSG_DATA(c), sizeof(pi));
			((struct sockaddr_in6 *)local)->sin6_addr = pi.ipi6_addr;
		}
	}
	sockaddr_set_port(local, s->port);
}

ssize_t net_recv(int fd, uint8_t *buf, size_t cap,
		 struct sockaddr_storage *local,
		 struct sockaddr_storage *remote)
{
	struct net_socket *s = socket_of_fd(fd);
	char control[256];
	struct iovec iov = { buf, cap };
	struct msghdr mh = {
		.msg_name = remote, .msg_namelen = sizeof(*remote),
		.msg_iov = &iov, .msg_iovlen = 1,
		.msg_control = control, .msg_controllen = sizeof(control),
	};
	ssize_t len;

	if (!s)
		return -1;
	len = recvmsg(fd, &mh, 0);
	if (len < 0)
		return -1;
	local_from_cmsg(&mh, s, local);
	if (s->port != IKE_NATT_PORT)
		return len;
	/* On 4500, IKE starts with four zero bytes; the kernel took ESP. */
	if (len < 4 || memcmp(buf, "\0\0\0\0", 4))
		return 0;
	memmove(buf, buf + 4, len - 4);
	return len - 4;
}

static struct net_socket *socket_for(int family, uint16_t port)
{
	unsigned int i;

	for (i = 0; i < NET_SOCKETS; i++)
		if (sockets[i].family == family && sockets[i].port == port &&
		    sockets[i].fd >= 0)
			return &sockets[i];
	return NULL;
}

static bool send_from(const struct sockaddr_storage *local,
		      const struct sockaddr_storage *remote,
		      const struct iovec *iov, int iovlen)
{
	struct net_socket *s = socket_for(local->ss_family, sockaddr_port(local));
	union {
		char buf[CMSG_SPACE(sizeof(struct in6_pktinfo))];
		struct cmsghdr align;
	} control;
	struct msghdr mh = {
		.msg_name = (void *)remote,
		.msg_namelen = remote->ss_family == AF_INET ?
			sizeof(struct sockaddr_in) : sizeof(struct sockaddr_in6),
		.msg_iov = (struct iovec *)iov, .msg_iovlen = iovlen,
		.msg_control = control.buf,
	};
	struct cmsghdr *c;

	if (!s)
		return false;
	memset(&control, 0, sizeof(control));
	c = (struct cmsghdr *)control.buf;
	/* Answer from the address the peer talks to. */
	if (local->ss_family == AF_INET) {
		struct in_pktinfo pi = {
			.ipi_spec_dst = ((const struct sockaddr_in *)local)->sin_addr,
		};

		mh.msg_controllen = CMSG_SPACE(sizeof(pi));
		c->cmsg_level = IPPROTO_IP;
		c->cmsg_type = IP_PKTINFO;
		c->cmsg_len = CMSG_LEN(sizeof(pi));
		memcpy(CMSG_DATA(c), &pi, sizeof(pi));
	} else {
		struct in6_pktinfo pi = {
			.ipi6_addr = ((const struct sockaddr_in6 *)local)->sin6_addr,
		};

		mh.msg_controllen = CMSG_SPACE(sizeof(pi));
		c->cmsg_level = IPPROTO_IPV6;
		c->cmsg_type = IPV6_PKTINFO;
		c->cmsg_len = CMSG_LEN(sizeof(pi));
		memcpy(CMSG_DATA(c), &pi, sizeof(pi));
	}
	return sendmsg(s->fd, &mh, 0) >= 0;
}

bool net_send(const struct sockaddr_storage *local,
	      const struct sockaddr_storage *remote, const uint8_t *buf,
	      size_t len)
{
	static const uint8_t marker[4];
	struct iovec iov[2] = {
		{ (void *)marker, sizeof(marker) },
		{ (void *)buf, len },
	};

	if (sockaddr_port(local) == IKE_NATT_PORT)
		return send_from(local, remote, iov, 2);
	return send_from(local, remote, iov + 1, 1);
}

void net_keepalive(const struct sockaddr_storage *local,
		   const struct sockaddr_storage *remote)
{
	uint8_t ff = 0xff;
	struct iovec iov = { &ff, 1 };

	send_from(local, remote, &iov, 1);
}

uint16_t sockaddr_port(const struct sockaddr_storage *ss)
{
	if (ss->ss_family == AF_INET)
		return ntohs(((const struct sockaddr_in *)ss)->sin_port);
	return ntohs(((const struct sockaddr_in6 *)ss)->sin6_port);
}

void sockaddr_set_port(struct sockaddr_storage *ss, uint16_t port)
{
	if (ss->ss_family == AF_INET)
		((struct sockaddr_in *)ss)->sin_port = htons(port);
	else
		((struct sockaddr_in6 *)ss)->sin6_port = htons(port);
}

const uint8_t *sockaddr_addr(const struct sockaddr_storage *ss, size_t *len)
{
	if (ss->ss_family == AF_INET) {
		*len = 4;
		return (const uint8_t *)&((const struct sockaddr_in *)ss)->sin_addr;
	}
	*len = 16;
	return (const uint8_t *)&((const struct sockaddr_in6 *)ss)->sin6_addr;
}

bool sockaddr_same_addr(const struct sockaddr_storage *a,
			const struct sockaddr_storage *b)
{
	const uint8_t *x, *y;
	size_t xl, yl;

	if (a->ss_family != b->ss_family)
		return false;
	x = sockaddr_addr(a, &xl);
	y = sockaddr_addr(b, &yl);
	return xl == yl && !memcmp(x, y, xl);
}

const char *sockaddr_str(const struct sockaddr_storage *ss, char *buf,
			 size_t len)
{
	char addr[INET6_ADDRSTRLEN];
	size_t alen;

	inet_ntop(ss->ss_family, sockaddr_addr(ss, &alen), addr, sizeof(addr));
	snprintf(buf, len, "%s[%u]", addr, sockaddr_port(ss));
	return buf;
}
