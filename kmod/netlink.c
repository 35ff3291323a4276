// SPDX-License-Identifier: GPL-2.0
/*
 * The nfesp generic netlink family: the only way to configure nfesp.
 * The ABI is described in uapi/nfesp.h.
 */
#include <linux/genetlink.h>
#include <net/genetlink.h>
#include <net/sock.h>

#include "nfesp.h"
#include "version.h"

static const struct nla_policy nfesp_genl_policy[NFESP_A_MAX + 1] = {
	[NFESP_A_VERSION] = {
		.type = NLA_REJECT,
		.reject_message = "NFESP_A_VERSION is only sent by the kernel",
	},
	[NFESP_A_STATS] = {
		.type = NLA_REJECT,
		.reject_message = "NFESP_A_STATS is only sent by the kernel",
	},
	/* Parsed by each command, which names what is wrong inside. */
	[NFESP_A_SA] = { .type = NLA_NESTED },
	[NFESP_A_SHOW_KEYS] = { .type = NLA_FLAG },
};

static const struct genl_multicast_group nfesp_genl_mcgrps[] = {
	{ .name = NFESP_MCGRP_EVENTS },
};

int nfesp_genl_fill_version(struct sk_buff *skb)
{
	return nla_put_string(skb, NFESP_A_VERSION, NFESP_VERSION);
}
NFESP_EXPORT_FOR_KUNIT(nfesp_genl_fill_version);

/* Starts a reply to @info; the caller fills it and sends it with reply_end. */
static struct sk_buff *nfesp_genl_reply_start(struct genl_info *info,
					      size_t size, void **hdr)
{
	struct sk_buff *skb;

	skb = genlmsg_new(size, GFP_KERNEL);
	if (!skb)
		return NULL;
	*hdr = genlmsg_put_reply(skb, info, &nfesp_genl_family, 0,
				 info->genlhdr->cmd);
	if (!*hdr) {
		nlmsg_free(skb);
		return NULL;
	}
	return skb;
}

static int nfesp_genl_reply_end(struct sk_buff *skb, void *hdr,
				struct genl_info *info, int err)
{
	if (err) {
		nlmsg_free(skb);
		return err;
	}
	genlmsg_end(skb, hdr);
	return genlmsg_reply(skb, info);
}

static int nfesp_genl_get_version(struct sk_buff *req, struct genl_info *info)
{
	struct sk_buff *skb;
	void *hdr;

	skb = nfesp_genl_reply_start(info, nla_total_size(sizeof(NFESP_VERSION)),
				     &hdr);
	if (!skb)
		return -ENOMEM;
	return nfesp_genl_reply_end(skb, hdr, info,
				    nfesp_genl_fill_version(skb));
}

static int nfesp_genl_get_stats(struct sk_buff *req, struct genl_info *info)
{
	struct nfesp_net *nn = nfesp_pernet(genl_info_net(info));
	u64 sum[__NFESP_STAT_MAX];
	struct sk_buff *skb;
	void *hdr;

	nfesp_stats_sum(nn->stats, sum);
	skb = nfesp_genl_reply_start(info, nla_total_size(0) +
				     NFESP_STAT_MAX * nla_total_size_64bit(8),
				     &hdr);
	if (!skb)
		return -ENOMEM;
	return nfesp_genl_reply_end(skb, hdr, info,
				    nfesp_stats_fill(skb, NFESP_A_STATS, sum));
}

/* GENL_UNS_ADMIN_PERM: CAP_NET_ADMIN over the namespace's user namespace. */
static const struct genl_small_ops nfesp_genl_ops[] = {
	{
		.cmd = NFESP_CMD_GET_VERSION,
		.flags = GENL_UNS_ADMIN_PERM,
		.doit = nfesp_genl_get_version,
	},
	{
		.cmd = NFESP_CMD_GET_STATS,
		.flags = GENL_UNS_ADMIN_PERM,
		.doit = nfesp_genl_get_stats,
	},
	{
		.cmd = NFESP_CMD_SA_ADD,
		.flags = GENL_UNS_ADMIN_PERM,
		.doit = nfesp_nl_sa_add,
	},
	{
		.cmd = NFESP_CMD_SA_UPDATE,
		.flags = GENL_UNS_ADMIN_PERM,
		.doit = nfesp_nl_sa_update,
	},
	{
		.cmd = NFESP_CMD_SA_DEL,
		.flags = GENL_UNS_ADMIN_PERM,
		.doit = nfesp_nl_sa_del,
	},
	{
		.cmd = NFESP_CMD_SA_GET,
		.flags = GENL_UNS_ADMIN_PERM,
		.doit = nfesp_nl_sa_get,
		.dumpit = nfesp_nl_sa_dump,
	},
	{
		.cmd = NFESP_CMD_SA_FLUSH,
		.flags = GENL_UNS_ADMIN_PERM,
		.doit = nfesp_nl_sa_flush,
	},
};

/* Event listeners need no privilege of their own: events carry no keys. */
struct genl_family nfesp_genl_family __ro_after_init = {
	.name = NFESP_GENL_NAME,
	.version = NFESP_GENL_VERSION,
	.maxattr = NFESP_A_MAX,
	.policy = nfesp_genl_policy,
	.netnsok = true,
	/* Commands take the namespace's lock, not the global genl mutex. */
	.parallel_ops = true,
	.module = THIS_MODULE,
	.mcgrps = nfesp_genl_mcgrps,
	.n_mcgrps = ARRAY_SIZE(nfesp_genl_mcgrps),
	.small_ops = nfesp_genl_ops,
	.n_small_ops = ARRAY_SIZE(nfesp_genl_ops),
};

void nfesp_genl_notify(struct net *net, struct sk_buff *skb)
{
	genlmsg_multicast_netns(&nfesp_genl_family, net, skb, 0, 0, GFP_KERNEL);
}

int __init nfesp_genl_init(void)
{
	return genl_register_family(&nfesp_genl_family);
}

void nfesp_genl_exit(void)
{
	genl_unregister_family(&nfesp_genl_family);
}
