/* SPDX-License-Identifier: GPL-2.0 */
/* nfesp: declarations shared by the module's files. */
#ifndef _NFESP_H
#define _NFESP_H

#include <linux/netdevice.h>
#include <linux/percpu.h>
#include <linux/u64_stats_sync.h>
#include <net/netns/generic.h>

#include "uapi/nfesp.h"

/* Per-CPU counters, indexed by enum nfesp_stat. */
struct nfesp_stats {
	struct u64_stats_sync syncp;
	u64_stats_t count[__NFESP_STAT_MAX];
};

/* What nfesp keeps for each network namespace. */
struct nfesp_net {
	struct nfesp_stats __percpu *stats;
};

extern unsigned int nfesp_net_id;

static inline struct nfesp_net *nfesp_pernet(const struct net *net)
{
	return net_generic(net, nfesp_net_id);
}

/* stats.c */
struct nfesp_stats __percpu *nfesp_stats_alloc(void);
void nfesp_stats_free(struct nfesp_stats __percpu *stats);
void nfesp_stats_add(struct nfesp_stats __percpu *stats,
		     enum nfesp_stat stat, u64 n);
void nfesp_stats_sum(struct nfesp_stats __percpu *stats,
		     u64 sum[__NFESP_STAT_MAX]);
int nfesp_stats_fill(struct sk_buff *skb, int attrtype,
		     const u64 sum[__NFESP_STAT_MAX]);

/* netlink.c */
int nfesp_genl_init(void);
void nfesp_genl_exit(void);
int nfesp_genl_fill_version(struct sk_buff *skb);

/*
 * Functions the KUnit suites in tests/ call. They are exported, in a symbol
 * namespace of their own, only to a kernel built with KUnit.
 */
#if IS_ENABLED(CONFIG_KUNIT)
#define NFESP_EXPORT_FOR_KUNIT(sym) EXPORT_SYMBOL_NS_GPL(sym, NFESP_KUNIT)
#else
#define NFESP_EXPORT_FOR_KUNIT(sym)
#endif

#endif /* _NFESP_H */
