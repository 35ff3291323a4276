/* SPDX-License-Identifier: GPL-2.0 */
/* What differs between the kernels nfesp builds against (6.1 to 6.12). */
#ifndef _NFESP_COMPAT_H
#define _NFESP_COMPAT_H

#include <linux/version.h>
#include <linux/netdevice.h>
#include <net/genetlink.h>
#include <crypto/aead.h>
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 12, 0)
#include <linux/unaligned.h>
#else
#include <asm/unaligned.h>
#endif
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 4, 0)
#include <net/gso.h>	/* skb_gso_segment() moved here in 6.4 */
#endif

/* A dump request's attributes: 6.2 moved them into a struct genl_info. */
static inline struct nlattr **nfesp_dump_attrs(struct netlink_callback *cb)
{
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 2, 0)
	return genl_info_dump(cb)->attrs;
#else
	return genl_dumpit_info(cb)->attrs;
#endif
}

/*
 * A crypto completion's argument: 6.3 passes the request's data pointer,
 * before it the request itself.
 */
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 3, 0)
typedef void *nfesp_crypto_done_arg;

static inline void *nfesp_crypto_done_data(nfesp_crypto_done_arg arg)
{
	return arg;
}
#else
typedef struct crypto_async_request *nfesp_crypto_done_arg;

static inline void *nfesp_crypto_done_data(nfesp_crypto_done_arg arg)
{
	return arg->data;
}
#endif

/* A device that needs no transmit lock: a flag until 6.11, a field since. */
static inline void nfesp_dev_set_lltx(struct net_device *dev)
{
#ifdef NETIF_F_LLTX
	dev->features |= NETIF_F_LLTX;
#else
	dev->lltx = true;
#endif
}

/*
 * Events only for CAP_NET_ADMIN: the genetlink flag came with 6.7 and was
 * backported to 6.1's stable series (Debian 12's kernels have it).
 * Without it every local user could follow the SAs: refuse to build.
 */
#ifndef GENL_MCAST_CAP_NET_ADMIN
#error "this kernel lacks GENL_MCAST_CAP_NET_ADMIN: nfesp's events would be open to every user"
#endif

#endif /* _NFESP_COMPAT_H */
