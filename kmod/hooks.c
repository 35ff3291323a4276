// SPDX-License-Identifier: GPL-2.0
/*
 * Where packets meet nfesp: the netfilter hooks of a namespace, what they
 * read from a packet to match policies, and the policy decisions.
 *
 *   LOCAL_OUT, FORWARD  outbound policy: protect (ESP out), bypass, discard
 *   LOCAL_IN            ESP for this host is decapsulated (input.c)
 *   LOCAL_IN, FORWARD   inbound policy: a packet that a protect policy
 *                       covers must have come through a fitting SA, and
 *                       one that came through an SA must be what the SA
 *                       may carry
 *
 * The hooks run after the filter tables, so a firewall sees cleartext on
 * the way out and ESP on the way in, and decapsulated packets again.
 */
#include <linux/ip.h>
#include <linux/ipv6.h>
#include <linux/netfilter.h>
#include <linux/netfilter_ipv4.h>
#include <linux/netfilter_ipv6.h>
#include <net/ipv6.h>
#include <net/netfilter/ipv6/nf_defrag_ipv6.h>

#include "nfesp.h"

#define NFESP_HOOK_PRIORITY 200	/* after filter (0) and security (50) */

void nfesp_count(struct nfesp_net *nn, struct nfesp_sa *sa,
		 enum nfesp_stat stat, u64 n)
{
	nfesp_stats_add(nn->stats, stat, n);
	if (sa)
		nfesp_stats_add(sa->stats, stat, n);
}

/* Frees @skb and counts why, once globally and once for @sa if known. */
void nfesp_drop(struct nfesp_net *nn, struct nfesp_sa *sa,
		struct sk_buff *skb, enum nfesp_stat reason)
{
	nfesp_count(nn, sa, reason, 1);
	kfree_skb(skb);
}

static void nfesp_expire_kick(struct nfesp_net *nn)
{
	mod_delayed_work(system_wq, &nn->expire_work, 0);
}

bool nfesp_sa_stopped(struct nfesp_sa *sa)
{
	return test_bit(NFESP_SA_HARD_DUE, &sa->due);
}

/* @sa carries no more traffic; the expire work says so and deletes it. */
void nfesp_sa_stop(struct nfesp_net *nn, struct nfesp_sa *sa)
{
	if (!test_and_set_bit(NFESP_SA_HARD_DUE, &sa->due))
		nfesp_expire_kick(nn);
}

static bool nfesp_over(u64 limit, u64 used)
{
	return limit && used >= limit;
}

/*
 * Charges a packet of @bytes to @sa's byte and packet lifetimes; the one
 * that reaches a limit tells the expire work, which sends the EXPIRE.
 */
void nfesp_sa_used(struct nfesp_net *nn, struct nfesp_sa *sa,
		   unsigned int bytes)
{
	const struct nfesp_lifetime *lt = &sa->limits;
	u64 packets = atomic64_inc_return(&sa->life_packets);
	u64 total = atomic64_add_return(bytes, &sa->life_bytes);

	if (unlikely(!READ_ONCE(sa->first_use)))
		WRITE_ONCE(sa->first_use, ktime_get_seconds());
	if (nfesp_over(READ_ONCE(lt->hard_packets), packets) ||
	    nfesp_over(READ_ONCE(lt->hard_bytes), total)) {
		nfesp_sa_stop(nn, sa);
	} else if (nfesp_over(READ_ONCE(lt->soft_packets), packets) ||
		   nfesp_over(READ_ONCE(lt->soft_bytes), total)) {
		if (!test_and_set_bit(NFESP_SA_SOFT_DUE, &sa->due))
			nfesp_expire_kick(nn);
	}
}

static bool nfesp_has_ports(u8 proto)
{
	return proto == IPPROTO_TCP || proto == IPPROTO_UDP ||
	       proto == IPPROTO_UDPLITE || proto == IPPROTO_SCTP;
}

/* Reads what policies match on from the packet at skb's network header. */
int nfesp_flow_of(struct sk_buff *skb, u16 family, struct nfesp_flow *fl)
{
	unsigned int nh = skb_network_offset(skb), l4;
	__be16 ports[2], *p;
	bool first = true;

	memset(fl, 0, sizeof(*fl));
	fl->family = family;
	if (family == AF_INET) {
		const struct iphdr *iph = ip_hdr(skb);

		fl->src.a4 = iph->saddr;
		fl->dst.a4 = iph->daddr;
		fl->proto = iph->protocol;
		l4 = nh + iph->ihl * 4;
		first = !(iph->frag_off & htons(IP_OFFSET));
	} else {
		const struct ipv6hdr *ip6h = ipv6_hdr(skb);
		__be16 frag_off = 0;
		u8 nexthdr = ip6h->nexthdr;
		int off;

		fl->src.a6 = ip6h->saddr;
		fl->dst.a6 = ip6h->daddr;
		off = ipv6_skip_exthdr(skb, nh + sizeof(*ip6h), &nexthdr,
				       &frag_off);
		if (off < 0)
			return -EINVAL;
		fl->proto = nexthdr;
		l4 = off;
		first = !(frag_off & htons(IP6_OFFSET));
	}
	/* Only a first fragment has ports; the others match port-less. */
	if (first && nfesp_has_ports(fl->proto)) {
		p = skb_header_pointer(skb, l4, sizeof(ports), ports);
		if (!p)
			return -EINVAL;
		fl->sport = p[0];
		fl->dport = p[1];
	}
	return 0;
}

/* A policy dropped a packet: counted for the policy and the namespace. */
static unsigned int nfesp_policy_drop(struct nfesp_net *nn,
				      struct nfesp_policy *pol,
				      enum nfesp_stat why)
{
	nfesp_stats_add(pol->stats, why, 1);
	nfesp_count(nn, NULL, why, 1);
	return NF_DROP;
}

/* Whether the SA a packet came through is the one @tmpl asks for. */
static bool nfesp_tmpl_fits(const struct nfesp_tmpl *tmpl,
			    const struct nfesp_sa *sa)
{
	if (sa->mode != tmpl->mode || (tmpl->reqid && sa->reqid != tmpl->reqid) ||
	    (tmpl->spi && sa->key.spi != tmpl->spi))
		return false;
	if (tmpl->mode != NFESP_MODE_TUNNEL)
		return true;
	return sa->key.family == tmpl->family &&
	       nfesp_addr_equal(&sa->key.dst, &tmpl->tdst, tmpl->family) &&
	       nfesp_addr_equal(&sa->src, &tmpl->tsrc, tmpl->family);
}

/*
 * A decapsulated packet that its SA may not carry: counted for the
 * namespace, the SA and, when one matched, the policy.
 */
static unsigned int nfesp_selector_drop(struct nfesp_net *nn,
					const struct nfesp_sa *sa,
					struct nfesp_policy *pol)
{
	nfesp_stats_add(sa->stats, NFESP_STAT_DROP_SELECTOR, 1);
	if (pol)
		return nfesp_policy_drop(nn, pol, NFESP_STAT_DROP_SELECTOR);
	nfesp_count(nn, NULL, NFESP_STAT_DROP_SELECTOR, 1);
	return NF_DROP;
}

/*
 * The inbound policy of direction @dir (in or fwd) for a packet that
 * arrived in the clear (@sa NULL) or was decapsulated from @sa by
 * nfesp_input(). A decapsulated packet must be one its SA may carry
 * (RFC 4301 5.2; XFRM checks its secpath so): in transport mode, one
 * from the SA's peer, since the SA was found by destination and SPI
 * alone; in tunnel mode, whose inner header the peer wrote, one that a
 * protect policy fitting the SA covers: a bypass policy, or none, does
 * not let a peer speak for addresses that are not its own.
 */
static unsigned int nfesp_check_in(struct nfesp_net *nn, struct sk_buff *skb,
				   const struct nfesp_flow *fl, u8 dir,
				   const struct nfesp_sa *sa)
{
	bool tunnel = sa && sa->mode == NFESP_MODE_TUNNEL;
	struct nfesp_policy *pol;

	if (sa && !tunnel &&
	    !nfesp_addr_equal(&sa->src, &fl->src, fl->family))
		return nfesp_selector_drop(nn, sa, NULL);
	pol = nfesp_spd_lookup(&nn->spd[dir - 1], fl);
	if (!pol)
		return tunnel ? nfesp_selector_drop(nn, sa, NULL) : NF_ACCEPT;
	switch (READ_ONCE(pol->action)) {
	case NFESP_ACTION_PROTECT:
		if (!sa)
			return nfesp_policy_drop(nn, pol, NFESP_STAT_DROP_CLEARTEXT);
		if (!nfesp_tmpl_fits(&pol->tmpl, sa))
			return nfesp_policy_drop(nn, pol, NFESP_STAT_DROP_POLICY);
		break;
	case NFESP_ACTION_BYPASS:
		if (tunnel)
			return nfesp_selector_drop(nn, sa, pol);
		break;
	default:
		return nfesp_policy_drop(nn, pol, NFESP_STAT_DROP_POLICY);
	}
	nfesp_stats_add(pol->stats, NFESP_STAT_IN_PACKETS, 1);
	nfesp_stats_add(pol->stats, NFESP_STAT_IN_BYTES, skb->len);
	return NF_ACCEPT;
}

/* The outbound policy: ESP for protect, and the SA that does it. */
static unsigned int nfesp_check_out(struct nfesp_net *nn, struct sk_buff *skb,
				    const struct nfesp_flow *fl, bool forwarded)
{
	struct nfesp_policy *pol;
	struct nfesp_sa *sa;

	pol = nfesp_spd_lookup(&nn->spd[NFESP_DIR_OUT - 1], fl);
	if (!pol)
		return NF_ACCEPT;
	switch (READ_ONCE(pol->action)) {
	case NFESP_ACTION_BYPASS:
		return NF_ACCEPT;
	case NFESP_ACTION_PROTECT:
		break;
	default:
		return nfesp_policy_drop(nn, pol, NFESP_STAT_DROP_POLICY);
	}
	sa = nfesp_sa_lookup_out(nn, &pol->tmpl, fl);
	if (!sa) {
		nfesp_acquire(nn, pol, fl);
		return nfesp_policy_drop(nn, pol, NFESP_STAT_DROP_NO_SA);
	}
	nfesp_stats_add(pol->stats, NFESP_STAT_OUT_PACKETS, 1);
	nfesp_stats_add(pol->stats, NFESP_STAT_OUT_BYTES, skb->len);
	return nfesp_output(nn, sa, skb, fl->family, forwarded);
}

static u16 nfesp_hook_family(const struct nf_hook_state *state)
{
	return state->pf == NFPROTO_IPV4 ? AF_INET : AF_INET6;
}

/*
 * The packet's flow, read once per hook; false: no policy can want it, or
 * it cannot be read. One decapsulated from @sa is read even without any
 * policy, since its SA limits what it may carry.
 */
static bool nfesp_hook_flow(struct nfesp_net *nn, struct sk_buff *skb,
			    const struct nf_hook_state *state,
			    const struct nfesp_sa *sa, struct nfesp_flow *fl)
{
	return (sa || READ_ONCE(nn->pol_count)) &&
	       !nfesp_flow_of(skb, nfesp_hook_family(state), fl);
}

/* No flow to judge: a decapsulated packet is dropped (fail closed). */
static unsigned int nfesp_no_flow(struct nfesp_net *nn,
				  const struct nfesp_sa *sa)
{
	return sa ? nfesp_selector_drop(nn, sa, NULL) : NF_ACCEPT;
}

static unsigned int nfesp_hook_local_out(void *priv, struct sk_buff *skb,
					 const struct nf_hook_state *state)
{
	struct nfesp_net *nn = nfesp_pernet(state->net);
	struct nfesp_flow fl;

	if (!nfesp_hook_flow(nn, skb, state, NULL, &fl))
		return NF_ACCEPT;
	return nfesp_check_out(nn, skb, &fl, false);
}

static unsigned int nfesp_hook_forward(void *priv, struct sk_buff *skb,
				       const struct nf_hook_state *state)
{
	struct nfesp_net *nn = nfesp_pernet(state->net);
	const struct nfesp_sa *sa = nfesp_input_decap_sa();
	struct nfesp_flow fl;
	unsigned int verdict;

	if (!nfesp_hook_flow(nn, skb, state, sa, &fl))
		return nfesp_no_flow(nn, sa);
	verdict = nfesp_check_in(nn, skb, &fl, NFESP_DIR_FWD, sa);
	if (verdict != NF_ACCEPT)
		return verdict;
	return nfesp_check_out(nn, skb, &fl, true);
}

static unsigned int nfesp_hook_local_in(void *priv, struct sk_buff *skb,
					const struct nf_hook_state *state)
{
	struct nfesp_net *nn = nfesp_pernet(state->net);
	const struct nfesp_sa *sa;
	struct nfesp_flow fl;
	unsigned int verdict;

	if (READ_ONCE(nn->sa_count)) {
		verdict = nfesp_input(nn, skb, nfesp_hook_family(state));
		if (verdict != NF_ACCEPT)
			return verdict;
	}
	sa = nfesp_input_decap_sa();
	if (!nfesp_hook_flow(nn, skb, state, sa, &fl))
		return nfesp_no_flow(nn, sa);
	return nfesp_check_in(nn, skb, &fl, NFESP_DIR_IN, sa);
}

#define NFESP_HOOK(fn, proto, num) {			\
	.hook = fn, .pf = proto, .hooknum = num,	\
	.priority = NFESP_HOOK_PRIORITY,		\
}

static const struct nf_hook_ops nfesp_hook_ops[] = {
	NFESP_HOOK(nfesp_hook_local_out, NFPROTO_IPV4, NF_INET_LOCAL_OUT),
	NFESP_HOOK(nfesp_hook_forward, NFPROTO_IPV4, NF_INET_FORWARD),
	NFESP_HOOK(nfesp_hook_local_in, NFPROTO_IPV4, NF_INET_LOCAL_IN),
	NFESP_HOOK(nfesp_hook_local_out, NFPROTO_IPV6, NF_INET_LOCAL_OUT),
	NFESP_HOOK(nfesp_hook_forward, NFPROTO_IPV6, NF_INET_FORWARD),
	NFESP_HOOK(nfesp_hook_local_in, NFPROTO_IPV6, NF_INET_LOCAL_IN),
};

/*
 * IPv6 reassembles after LOCAL_IN, as a protocol of its own: nfesp asks for
 * it in PRE_ROUTING (as conntrack does), so fragmented ESP reaches
 * LOCAL_IN whole. IPv4 reassembles before LOCAL_IN anyway.
 */
int nfesp_hooks_register(struct net *net)
{
	int err;

	err = nf_defrag_ipv6_enable(net);
	if (err)
		return err;
	err = nf_register_net_hooks(net, nfesp_hook_ops,
				    ARRAY_SIZE(nfesp_hook_ops));
	if (err)
		nf_defrag_ipv6_disable(net);
	return err;
}

/* Returns when no hook runs any more: in-flight crypto may remain. */
void nfesp_hooks_unregister(struct net *net)
{
	nf_unregister_net_hooks(net, nfesp_hook_ops, ARRAY_SIZE(nfesp_hook_ops));
	nf_defrag_ipv6_disable(net);
}
