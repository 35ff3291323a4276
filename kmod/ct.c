// SPDX-License-Identifier: GPL-2.0
/*
 * Conntrack where nfesp takes packets out of the stack. A packet that
 * nfesp protects, or ESP that it decapsulates, never reaches the end of
 * POST_ROUTING or LOCAL_IN, where conntrack confirms a new flow: nfesp
 * confirms it as they would (through conntrack's hook, so the module does
 * not depend on conntrack), and the entry then leaves the packet. The ESP
 * packet that goes out carries none, so NAT and helpers in POST_ROUTING
 * never treat it as the flow inside (XFRM resets it too), and inbound ESP
 * is one tracked flow, not an entry made and freed for each packet.
 */
#include <linux/netfilter.h>
#include <net/netfilter/nf_conntrack.h>

#include "nfesp.h"

/* False: conntrack refused the flow (a clash it could not resolve). */
bool nfesp_ct_done(struct sk_buff *skb)
{
	enum ip_conntrack_info ctinfo;
	const struct nf_ct_hook *hook;
	struct nf_conn *ct = nf_ct_get(skb, &ctinfo);
	int verdict = NF_ACCEPT;

	if (!ct)
		return true;
	if (!nf_ct_is_confirmed(ct) && !nf_ct_is_template(ct)) {
		rcu_read_lock();
		hook = rcu_dereference(nf_ct_hook);
		if (hook && hook->confirm)
			verdict = hook->confirm(skb);
		rcu_read_unlock();
	}
	nf_reset_ct(skb);
	return verdict == NF_ACCEPT;
}
