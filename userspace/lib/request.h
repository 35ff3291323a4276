/* SPDX-License-Identifier: GPL-2.0 */
/*
 * An SA and a policy as ipsecctl and iked hand them to nfesp: one
 * description each, and one encoder into a request's NFESP_A_SA or
 * NFESP_A_POLICY nest. What a request carries besides the identity (an
 * SA's family and destination, a policy's direction and family) is what
 * its has mask says.
 */
#ifndef NFESP_REQUEST_H
#define NFESP_REQUEST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <netlink/msg.h>

#include "parse.h"

enum nfesp_sa_has {
	NFESP_SA_HAS_SPI	= 1 << 0,
	NFESP_SA_HAS_SPI_MIN	= 1 << 1,
	NFESP_SA_HAS_SPI_MAX	= 1 << 2,
	NFESP_SA_HAS_SRC	= 1 << 3,
	NFESP_SA_HAS_MODE	= 1 << 4,
	NFESP_SA_HAS_ALG	= 1 << 5,
	NFESP_SA_HAS_KEY	= 1 << 6,
	NFESP_SA_HAS_ICV	= 1 << 7,
	NFESP_SA_HAS_REPLAY	= 1 << 8,
	NFESP_SA_HAS_FLAGS	= 1 << 9,
	NFESP_SA_HAS_REQID	= 1 << 10,
	NFESP_SA_HAS_ENCAP	= 1 << 11,
	NFESP_SA_HAS_DIR	= 1 << 12,
	NFESP_SA_HAS_IF_ID	= 1 << 13,
};

/* An SA's limits, in the order of NFESP_LT_A_SOFT_BYTES and on. */
enum nfesp_limit {
	NFESP_SOFT_BYTES, NFESP_HARD_BYTES, NFESP_SOFT_PACKETS,
	NFESP_HARD_PACKETS, NFESP_SOFT_ADD_SECS, NFESP_HARD_ADD_SECS,
	NFESP_SOFT_USE_SECS, NFESP_HARD_USE_SECS,
	NFESP_LIMITS
};

struct nfesp_sa {
	uint32_t has;			/* NFESP_SA_HAS_* */
	int family;			/* AF_INET or AF_INET6 */
	union nfesp_uaddr src, dst;
	uint32_t spi, spi_min, spi_max;
	uint8_t mode;			/* NFESP_MODE_* */
	const char *alg;		/* the kernel's name */
	const uint8_t *key;		/* the caller's, which it wipes */
	size_t key_len;
	uint16_t icv_bits;
	uint32_t replay_window;
	uint32_t flags;			/* NFESP_SA_F_* */
	uint32_t reqid;
	uint8_t dir;			/* NFESP_DIR_IN or _OUT */
	uint32_t if_id;			/* a tunnel device's interface id */
	uint16_t encap_sport, encap_dport;
	uint32_t limits_has;		/* bit i: limit[i] is sent */
	uint64_t limit[NFESP_LIMITS];
};

enum nfesp_policy_has {
	NFESP_POL_HAS_SRC	= 1 << 0,	/* with src_len */
	NFESP_POL_HAS_DST	= 1 << 1,	/* with dst_len */
	NFESP_POL_HAS_PROTO	= 1 << 2,
	NFESP_POL_HAS_SPORT	= 1 << 3,
	NFESP_POL_HAS_DPORT	= 1 << 4,
	NFESP_POL_HAS_ACTION	= 1 << 5,
	NFESP_POL_HAS_PRIORITY	= 1 << 6,
	/* The template: its mode, the tunnel's ends in tunnel mode. */
	NFESP_POL_HAS_TMPL	= 1 << 7,
	NFESP_POL_HAS_REQID	= 1 << 8,	/* in the template */
	NFESP_POL_HAS_SPI	= 1 << 9,	/* in the template */
	NFESP_POL_HAS_IF_ID	= 1 << 10,	/* a tunnel device's policy */
};

/* The selector, its direction and action, and how to protect. */
struct nfesp_policy {
	uint32_t has;			/* NFESP_POL_HAS_* */
	uint8_t dir;			/* NFESP_DIR_* */
	int family;
	union nfesp_uaddr src, dst;
	uint8_t src_len, dst_len;
	uint8_t proto;
	uint16_t sport, dport;
	uint8_t action;			/* NFESP_ACTION_* */
	uint32_t priority;
	uint32_t if_id;			/* of the device it is bound to */
	/* the template */
	uint8_t mode;			/* NFESP_MODE_* */
	uint32_t reqid, spi;
	int tfamily;			/* of tsrc and tdst, in tunnel mode */
	union nfesp_uaddr tsrc, tdst;
};

/* @sa, @p into @msg as its NFESP_A_SA, NFESP_A_POLICY: 0, or -ENOMEM
 * when it does not fit.
 */
int nfesp_put_sa(struct nl_msg *msg, const struct nfesp_sa *sa);
int nfesp_put_policy(struct nl_msg *msg, const struct nfesp_policy *p);

/* 4 for AF_INET, 16 for AF_INET6. */
size_t nfesp_addr_len(int family);

#endif
