// SPDX-License-Identifier: GPL-2.0
/*
 * ACQUIRE: an outbound packet needs an SA that is not there, for a protect
 * policy or for a tunnel device. The key daemon hears of it on the events
 * group and negotiates one; the packet is dropped. A flow that keeps
 * sending is announced at most once a second.
 * The flow is hashed with nfesp_flow_of()'s zeroed padding, so equal flows
 * hash equal.
 */
#include <linux/jhash.h>
#include <net/genetlink.h>

#include "nfesp.h"

static u32 nfesp_flow_hash(const struct nfesp_policy *pol,
			   const struct net_device *dev,
			   const struct nfesp_flow *fl)
{
	return jhash(fl, sizeof(*fl), pol ? pol->index : ~nfesp_dev_if_id(dev));
}

/*
 * One winner per policy and flow and second, without a lock: each flow has
 * a slot of its own (by hash), so flows that alternate do not take turns
 * in one and are each announced once; two that share a slot at most
 * alternate in it.
 */
static bool nfesp_acquire_due(struct nfesp_net *nn, u32 hash)
{
	u64 *slot = &nn->acquire_last[hash % NFESP_ACQUIRE_SLOTS];
	u64 last = READ_ONCE(*slot);
	u32 now = (u32)jiffies ?: 1;

	if (last && upper_32_bits(last) == hash &&
	    (s32)(now - lower_32_bits(last)) < HZ)
		return false;
	/* Flow and time change together: of CPUs racing, one announces. */
	return cmpxchg64(slot, last, (u64)hash << 32 | now) == last;
}

static int nfesp_flow_fill(struct sk_buff *skb, const struct nfesp_flow *fl)
{
	unsigned int alen = fl->family == AF_INET ? 4 : 16;
	struct nlattr *nest = nla_nest_start(skb, NFESP_A_FLOW);

	if (!nest ||
	    nla_put_u16(skb, NFESP_POL_A_FAMILY, fl->family) ||
	    nla_put(skb, NFESP_POL_A_SRC, alen, &fl->src) ||
	    nla_put(skb, NFESP_POL_A_DST, alen, &fl->dst) ||
	    nla_put_u8(skb, NFESP_POL_A_PROTO, fl->proto) ||
	    nla_put_u16(skb, NFESP_POL_A_SPORT, ntohs(fl->sport)) ||
	    nla_put_u16(skb, NFESP_POL_A_DPORT, ntohs(fl->dport)))
		return -EMSGSIZE;
	nla_nest_end(skb, nest);
	return 0;
}

/*
 * For @pol, or (@pol NULL) for the tunnel device @dev. From the packet
 * path: atomic context, under RCU.
 */
void nfesp_acquire(struct nfesp_net *nn, struct nfesp_policy *pol,
		   struct net_device *dev, const struct nfesp_flow *fl)
{
	struct sk_buff *skb;
	void *hdr;
	int err;

	if (!genl_has_listeners(&nfesp_genl_family, nn->net, 0) ||
	    !nfesp_acquire_due(nn, nfesp_flow_hash(pol, dev, fl)))
		return;
	skb = genlmsg_new(NLMSG_GOODSIZE, GFP_ATOMIC);
	if (!skb)
		return;
	hdr = genlmsg_put(skb, 0, 0, &nfesp_genl_family, 0, NFESP_CMD_ACQUIRE);
	err = !hdr;
	if (!err)
		err = pol ? nfesp_pol_fill(skb, pol) :
			    nfesp_dev_fill_link(skb, dev, nn->net, false);
	if (err || nfesp_flow_fill(skb, fl)) {
		nlmsg_free(skb);
		return;
	}
	genlmsg_end(skb, hdr);
	genlmsg_multicast_netns(&nfesp_genl_family, nn->net, skb, 0, 0,
				GFP_ATOMIC);
}
