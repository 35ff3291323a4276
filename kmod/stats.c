// SPDX-License-Identifier: GPL-2.0
/*
 * Per-namespace counters: per-CPU so the packet path never shares a cache
 * line, summed only when somebody reads them.
 */
#include <linux/skbuff.h>
#include <net/netlink.h>

#include "nfesp.h"

struct nfesp_stats __percpu *nfesp_stats_alloc(void)
{
	struct nfesp_stats __percpu *stats;
	int cpu;

	stats = alloc_percpu_gfp(struct nfesp_stats, GFP_KERNEL_ACCOUNT);
	if (!stats)
		return NULL;
	for_each_possible_cpu(cpu)
		u64_stats_init(&per_cpu_ptr(stats, cpu)->syncp);
	return stats;
}
NFESP_EXPORT_FOR_KUNIT(nfesp_stats_alloc);

void nfesp_stats_free(struct nfesp_stats __percpu *stats)
{
	free_percpu(stats);
}
NFESP_EXPORT_FOR_KUNIT(nfesp_stats_free);

/* Callable from any context, softirq included. */
void nfesp_stats_add(struct nfesp_stats __percpu *stats,
		     enum nfesp_stat stat, u64 n)
{
	struct nfesp_stats *s = get_cpu_ptr(stats);
	unsigned long flags;

	flags = u64_stats_update_begin_irqsave(&s->syncp);
	u64_stats_add(&s->count[stat], n);
	u64_stats_update_end_irqrestore(&s->syncp, flags);
	put_cpu_ptr(stats);
}
NFESP_EXPORT_FOR_KUNIT(nfesp_stats_add);

void nfesp_stats_sum(struct nfesp_stats __percpu *stats,
		     u64 sum[__NFESP_STAT_MAX])
{
	u64 snap[__NFESP_STAT_MAX];
	unsigned int start, i;
	int cpu;

	memset(sum, 0, sizeof(u64) * __NFESP_STAT_MAX);
	for_each_possible_cpu(cpu) {
		const struct nfesp_stats *s = per_cpu_ptr(stats, cpu);

		do {
			start = u64_stats_fetch_begin(&s->syncp);
			for (i = NFESP_STAT_FIRST; i < __NFESP_STAT_MAX; i++)
				snap[i] = u64_stats_read(&s->count[i]);
		} while (u64_stats_fetch_retry(&s->syncp, start));
		for (i = NFESP_STAT_FIRST; i < __NFESP_STAT_MAX; i++)
			sum[i] += snap[i];
	}
}
NFESP_EXPORT_FOR_KUNIT(nfesp_stats_sum);

/* Puts every counter, zero or not, in a nest of type @attrtype. */
int nfesp_stats_fill(struct sk_buff *skb, int attrtype,
		     const u64 sum[__NFESP_STAT_MAX])
{
	struct nlattr *nest;
	unsigned int i;

	nest = nla_nest_start(skb, attrtype);
	if (!nest)
		return -EMSGSIZE;
	for (i = NFESP_STAT_FIRST; i < __NFESP_STAT_MAX; i++) {
		if (nla_put_u64_64bit(skb, i, sum[i], NFESP_STAT_PAD)) {
			nla_nest_cancel(skb, nest);
			return -EMSGSIZE;
		}
	}
	nla_nest_end(skb, nest);
	return 0;
}
NFESP_EXPORT_FOR_KUNIT(nfesp_stats_fill);

/* The packet path's counting: for the namespace, and for @sa if known. */
void nfesp_count(struct nfesp_net *nn, struct nfesp_sa *sa,
		 enum nfesp_stat stat, u64 n)
{
	nfesp_stats_add(nn->stats, stat, n);
	if (sa)
		nfesp_stats_add(sa->stats, stat, n);
}

/* Frees @skb and counts why. */
void nfesp_drop(struct nfesp_net *nn, struct nfesp_sa *sa,
		struct sk_buff *skb, enum nfesp_stat reason)
{
	nfesp_count(nn, sa, reason, 1);
	kfree_skb(skb);
}
