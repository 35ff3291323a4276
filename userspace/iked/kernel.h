/* SPDX-License-Identifier: GPL-2.0 */
/* iked's requests to nfesp (SAs, policies) and the events it listens to. */
#ifndef IKED_KERNEL_H
#define IKED_KERNEL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>

#include "payload.h"

struct kernel_sa {
	int family;
	const uint8_t *src, *dst;	/* 4 or 16 bytes */
	uint32_t spi;
	bool tunnel;
	const char *alg;
	const uint8_t *key;
	size_t key_len;
	unsigned int icv_bits;
	bool esn;
	uint32_t reqid;
	uint32_t replay_window;
	uint64_t soft_secs, hard_secs;	/* since added; 0: none */
	uint16_t encap_sport, encap_dport;	/* 0: no UDP encapsulation */
};

/* One policy: a selector (prefixes, protocol, one port each) and its action. */
struct kernel_policy {
	uint8_t dir;		/* NFESP_DIR_* */
	int family;
	uint8_t src[16], dst[16];
	uint8_t src_len, dst_len;
	uint8_t proto;
	uint16_t sport, dport;
	uint8_t action;		/* NFESP_ACTION_* */
	uint32_t priority;
	/* template, for protect */
	bool tunnel;
	uint32_t reqid;
	int tfamily;
	uint8_t tsrc[16], tdst[16];
};

/* What the kernel tells: an ACQUIRE or an EXPIRE. */
struct kernel_event {
	bool acquire;
	/* ACQUIRE: the policy's reqid and the packet's flow */
	uint32_t reqid;
	int family;
	uint8_t src[16], dst[16];
	uint8_t proto;
	uint16_t sport, dport;
	/* EXPIRE */
	uint32_t spi;
	uint8_t sa_dst[16];
	int sa_family;
	bool hard;
};

int kernel_open(void);
void kernel_close(void);
int kernel_event_fd(void);
/* Reads the pending events, calling @fn for each ACQUIRE and EXPIRE. */
void kernel_read_events(void (*fn)(const struct kernel_event *ev));

/* Each returns 0 or a negative errno, with the kernel's reason logged. */
int kernel_alloc_spi(int family, const uint8_t *dst, uint32_t *spi);
int kernel_add_sa(const struct kernel_sa *sa);
int kernel_del_sa(int family, const uint8_t *dst, uint32_t spi);
/* A NAT mapped the peer anew: its outbound SA's UDP ports follow. */
int kernel_sa_set_encap(int family, const uint8_t *dst, uint32_t spi,
			uint16_t sport, uint16_t dport);
/* Bytes and packets through the SA so far. */
int kernel_sa_use(int family, const uint8_t *dst, uint32_t spi,
		  uint64_t *bytes, uint64_t *packets);
/* Adds the policy, or updates it when it exists. */
int kernel_set_policy(const struct kernel_policy *p);
int kernel_del_policy(const struct kernel_policy *p);

/* The bypass policies that keep IKE (UDP 500 and 4500) out of ESP. */
int kernel_bypass_ike(bool add);

#endif
