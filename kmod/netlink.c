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
	[NFESP_A_POLICY] = { .type = NLA_NESTED },
	[NFESP_A_HARD] = {
		.type = NLA_REJECT,
		.reject_message = "NFESP_A_HARD is only sent by the kernel",
	},
	[NFESP_A_FLOW] = {
		.type = NLA_REJECT,
		.reject_message = "NFESP_A_FLOW is only sent by the kernel",
	},
	[NFESP_A_LINK] = {
		.type = NLA_REJECT,
		.reject_message = "NFESP_A_LINK is only sent by the kernel",
	},
};

/* The events name every SA, policy and wanted flow: for admins only. */
static const struct genl_multicast_group nfesp_genl_mcgrps[] = {
	{ .name = NFESP_MCGRP_EVENTS, .flags = GENL_MCAST_CAP_NET_ADMIN },
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
	{
		.cmd = NFESP_CMD_SA_ALLOC_SPI,
		.flags = GENL_UNS_ADMIN_PERM,
		.doit = nfesp_nl_sa_alloc_spi,
	},
	{
		.cmd = NFESP_CMD_POLICY_ADD,
		.flags = GENL_UNS_ADMIN_PERM,
		.doit = nfesp_nl_pol_add,
	},
	{
		.cmd = NFESP_CMD_POLICY_UPDATE,
		.flags = GENL_UNS_ADMIN_PERM,
		.doit = nfesp_nl_pol_update,
	},
	{
		.cmd = NFESP_CMD_POLICY_DEL,
		.flags = GENL_UNS_ADMIN_PERM,
		.doit = nfesp_nl_pol_del,
	},
	{
		.cmd = NFESP_CMD_POLICY_GET,
		.flags = GENL_UNS_ADMIN_PERM,
		.doit = nfesp_nl_pol_get,
		.dumpit = nfesp_nl_pol_dump,
	},
	{
		.cmd = NFESP_CMD_POLICY_FLUSH,
		.flags = GENL_UNS_ADMIN_PERM,
		.doit = nfesp_nl_pol_flush,
	},
	{
		.cmd = NFESP_CMD_LINK_GET,
		.flags = GENL_UNS_ADMIN_PERM,
		.dumpit = nfesp_nl_link_dump,
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

/* A FLUSH event: the command alone. */
void nfesp_genl_notify_flush(struct net *net, u8 cmd)
{
	struct sk_buff *skb = genlmsg_new(0, GFP_KERNEL);
	void *hdr;

	if (!skb)
		return;
	hdr = genlmsg_put(skb, 0, 0, &nfesp_genl_family, 0, cmd);
	if (!hdr) {
		nlmsg_free(skb);
		return;
	}
	genlmsg_end(skb, hdr);
	nfesp_genl_notify(net, skb);
}

/*
 * One round of a dump of the objects in @index, in index order, from
 * cb->args[0] on. The namespace's change counter makes a dump that saw a
 * change say so (NLM_F_DUMP_INTR).
 */
int nfesp_genl_dump(struct sk_buff *skb, struct netlink_callback *cb,
		    struct xarray *index, u8 cmd, nfesp_fill_fn fill, bool keys)
{
	struct nfesp_net *nn = nfesp_pernet(sock_net(skb->sk));
	unsigned long i;
	void *obj;
	int err = 0;

	mutex_lock(&nn->lock);
	cb->seq = nn->gen;
	xa_for_each_start(index, i, obj, cb->args[0]) {
		void *hdr = genlmsg_put(skb, NETLINK_CB(cb->skb).portid,
					cb->nlh->nlmsg_seq, &nfesp_genl_family,
					NLM_F_MULTI, cmd);

		if (!hdr) {
			err = -EMSGSIZE;
			break;
		}
		genl_dump_check_consistent(cb, hdr);
		err = fill(skb, obj, keys);
		if (err) {
			genlmsg_cancel(skb, hdr);
			break;
		}
		genlmsg_end(skb, hdr);
		cb->args[0] = i + 1;
	}
	mutex_unlock(&nn->lock);
	/* Full: send what fits; the next round goes on from cb->args[0]. */
	if (err == -EMSGSIZE && skb->len)
		return skb->len;
	return err ?: skb->len;
}

int __init nfesp_genl_init(void)
{
	return genl_register_family(&nfesp_genl_family);
}

void nfesp_genl_exit(void)
{
	genl_unregister_family(&nfesp_genl_family);
}
