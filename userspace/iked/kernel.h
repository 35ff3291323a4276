/* SPDX-License-Identifier: GPL-2.0 */
/* iked's requests to nfesp (SAs, policies) and the events it listens to. */
#ifndef IKED_KERNEL_H
#define IKED_KERNEL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>

#include "../lib/request.h"
#include "payload.h"

/* What the kernel tells: an ACQUIRE or an EXPIRE. */
struct kernel_event {
	bool acquire;
	/* ACQUIRE: the policy's reqid, or the tunnel device's if_id and
	 * name, and the packet's flow
	 */
	uint32_t reqid;
	uint32_t if_id;
	char ifname[16];
	bool if_here;		/* the device is in iked's namespace (its name means it) */
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
int kernel_add_sa(const struct nfesp_sa *sa);
int kernel_del_sa(int family, const uint8_t *dst, uint32_t spi);
/* A NAT mapped the peer anew: its outbound SA's UDP ports follow. */
int kernel_sa_set_encap(int family, const uint8_t *dst, uint32_t spi,
			uint16_t sport, uint16_t dport);
/* Bytes and packets through the SA so far. */
int kernel_sa_use(int family, const uint8_t *dst, uint32_t spi,
		  uint64_t *bytes, uint64_t *packets);
/* The interface id of the nfesp device @name: 0, -ENODEV if there is
 * none here, or another negative errno (logged).
 */
int kernel_link_if_id(const char *name, uint32_t *if_id);
/* Adds the policy, or updates it when it exists. */
int kernel_set_policy(const struct nfesp_policy *p);
/* By its direction and selector alone. */
int kernel_del_policy(const struct nfesp_policy *p);

/* The bypass policies that keep IKE (UDP 500 and 4500) out of ESP. */
int kernel_bypass_ike(bool add);

#endif
