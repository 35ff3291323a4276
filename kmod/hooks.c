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
 * What enters or leaves by a tunnel device (device.c) meets no policy: the
 * device's SAs protect it, as routing decides.
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
#include <net/netfilter/ipv4/nf_defrag_ipv4.h>
#include <net/netfilter/ipv6/nf_defrag_ipv6.h>

#include "nfesp.h"

#define NFESP_HOOK_PRIORITY 200	/* after filter (0) and security (50) */

static bool nfesp_has_ports(u8 proto)
{
	return proto == IPPROTO_TCP || proto == IPPROTO_UDP ||
	       proto == IPPROTO_UDPLITE || proto == IPPROTO_SCTP;
}

/*
 * Reads what policies match on from the packet at skb's network header.
 * What the packet does not show (the ports of a later fragment or behind
 * a truncated header, the protocol behind an IPv6 chain that cannot be
 * read) is marked in fl->unread: no policy that needs it matches, and one
 * that might, and would win, makes the packet a counted drop
 * (nfesp_spd_lookup()).
 */
void nfesp_flow_of(struct sk_buff *skb, u16 family, struct nfesp_flow *fl)
{
	unsigned int nh = skb_network_offset(skb), l4;
	__be16 ports[2], *p;

	memset(fl, 0, sizeof(*fl));
	fl->family = family;
	if (family == AF_INET) {
		const struct iphdr *iph = ip_hdr(skb);

		fl->src.a4 = iph->saddr;
		fl->dst.a4 = iph->daddr;
		fl->proto = iph->protocol;
		l4 = nh + iph->ihl * 4;
		if (iph->frag_off & htons(IP_OFFSET))
			fl->unread = NFESP_FLOW_NO_PORTS;
	} else {
		struct nfesp_ip6_walk w;

		fl->src.a6 = ipv6_hdr(skb)->saddr;
		fl->dst.a6 = ipv6_hdr(skb)->daddr;
		if (nfesp_ip6_walk(skb, &w)) {
			fl->unread = NFESP_FLOW_NO_PROTO | NFESP_FLOW_NO_PORTS;
			return;
		}
		fl->proto = w.proto;
		l4 = nh + w.upper;
		if (w.later_fragment)
			fl->unread = NFESP_FLOW_NO_PORTS;
	}
	if (fl->unread || !nfesp_has_ports(fl->proto))
		return;
	p = skb_header_pointer(skb, l4, sizeof(ports), ports);
	if (!p) {
		fl->unread = NFESP_FLOW_NO_PORTS;
		return;
	}
	fl->sport = p[0];
	fl->dport = p[1];
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
static bool nfesp_tmpl_fits(struct nfesp_net *nn, const struct nfesp_tmpl *tmpl,
			    const struct nfesp_sa *sa)
{
	if (sa->mode != tmpl->mode || (tmpl->reqid && sa->reqid != tmpl->reqid) ||
	    (tmpl->spi && sa->key.spi != tmpl->spi))
		return false;
	if (tmpl->mode != NFESP_MODE_TUNNEL)
		return true;
	return sa->key.family == tmpl->family &&
	       nfesp_addr_equal(&sa->key.dst, &tmpl->tdst, tmpl->family) &&
	       nfesp_addr_equal(&nfesp_sa_conf(sa, nn)->src, &tmpl->tsrc,
				tmpl->family);
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

/* Which policy applies depends on what the packet does not show. */
static unsigned int nfesp_unread_drop(struct nfesp_net *nn,
				      const struct nfesp_sa *sa)
{
	if (sa)
		nfesp_stats_add(sa->stats, NFESP_STAT_DROP_UNREADABLE, 1);
	nfesp_count(nn, NULL, NFESP_STAT_DROP_UNREADABLE, 1);
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
	const struct nfesp_pol_conf *conf;
	struct nfesp_policy *pol;

	if (sa && !tunnel &&
	    !nfesp_addr_equal(&nfesp_sa_conf(sa, nn)->src, &fl->src, fl->family))
		return nfesp_selector_drop(nn, sa, NULL);
	pol = nfesp_spd_lookup(&nn->spd[dir - 1], fl);
	if (IS_ERR(pol))
		return nfesp_unread_drop(nn, sa);
	if (!pol)
		return tunnel ? nfesp_selector_drop(nn, sa, NULL) : NF_ACCEPT;
	conf = nfesp_pol_conf(pol, nn);
	switch (conf->action) {
	case NFESP_ACTION_PROTECT:
		if (!sa)
			return nfesp_policy_drop(nn, pol, NFESP_STAT_DROP_CLEARTEXT);
		if (!nfesp_tmpl_fits(nn, &conf->tmpl, sa))
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

/*
 * What @sa may carry, judged before the packet it decapsulated is received
 * again: a transport packet from the SA's peer; a tunnel packet that a
 * protect policy fitting the SA covers, inbound or forwarded (its route is
 * not known yet). The hooks judge it again, by its direction, while it is
 * received; this check is what holds when that cannot know the SA (the
 * packet was queued to userspace and came back later). A fragment whose
 * ports a policy needs passes here, and is judged whole after reassembly.
 */
bool nfesp_decap_allowed(struct nfesp_net *nn, struct sk_buff *skb,
			 const struct nfesp_sa *sa)
{
	static const u8 dirs[] = { NFESP_DIR_IN, NFESP_DIR_FWD };
	const struct nfesp_pol_conf *conf;
	struct nfesp_policy *pol;
	struct nfesp_flow fl;
	bool allowed = false;
	unsigned int i;

	nfesp_flow_of(skb, skb->protocol == htons(ETH_P_IP) ? AF_INET : AF_INET6,
		      &fl);
	if (sa->mode != NFESP_MODE_TUNNEL)
		return nfesp_addr_equal(&nfesp_sa_conf(sa, nn)->src, &fl.src,
					fl.family);
	/* From a crypto callback too, where only BHs are off. */
	rcu_read_lock();
	for (i = 0; i < ARRAY_SIZE(dirs) && !allowed; i++) {
		pol = nfesp_spd_lookup(&nn->spd[dirs[i] - 1], &fl);
		if (IS_ERR(pol)) {
			allowed = fl.unread == NFESP_FLOW_NO_PORTS;
			break;
		}
		if (!pol)
			continue;
		conf = nfesp_pol_conf(pol, nn);
		allowed = conf->action == NFESP_ACTION_PROTECT &&
			  nfesp_tmpl_fits(nn, &conf->tmpl, sa);
	}
	rcu_read_unlock();
	return allowed;
}

/*
 * What a tunnel device of @if_id carries in @dir (in: what its SAs
 * decapsulated; out: what is routed into it), against the policies bound
 * to it: with none, routing alone decides; with some, only what one of
 * them protects passes (a discard policy carves out, and what none matches
 * is not the device's to carry). NFESP_STAT_UNSPEC: it passes; else why
 * it is dropped.
 */
enum nfesp_stat nfesp_dev_policy_check(struct nfesp_net *nn, u8 dir, u32 if_id,
				       struct sk_buff *skb, u16 family)
{
	struct nfesp_spd *spd = &nn->spd[dir - 1];
	enum nfesp_stat why = NFESP_STAT_UNSPEC;
	struct nfesp_policy *pol;
	struct nfesp_flow fl;

	rcu_read_lock();
	if (!nfesp_spd_bound(spd, if_id))
		goto out;
	nfesp_flow_of(skb, family, &fl);
	fl.if_id = if_id;
	pol = nfesp_spd_lookup(spd, &fl);
	if (IS_ERR(pol)) {
		why = NFESP_STAT_DROP_UNREADABLE;
	} else if (!pol) {
		why = NFESP_STAT_DROP_SELECTOR;
	} else if (nfesp_pol_conf(pol, nn)->action != NFESP_ACTION_PROTECT) {
		why = NFESP_STAT_DROP_POLICY;
		nfesp_stats_add(pol->stats, why, 1);
	} else if (dir == NFESP_DIR_IN) {
		nfesp_stats_add(pol->stats, NFESP_STAT_IN_PACKETS, 1);
		nfesp_stats_add(pol->stats, NFESP_STAT_IN_BYTES, skb->len);
	} else {
		nfesp_stats_add(pol->stats, NFESP_STAT_OUT_PACKETS, 1);
		nfesp_stats_add(pol->stats, NFESP_STAT_OUT_BYTES, skb->len);
	}
out:
	rcu_read_unlock();
	return why;
}

/* The outbound policy: ESP for protect, and the SA that does it. */
static unsigned int nfesp_check_out(struct nfesp_net *nn, struct sk_buff *skb,
				    const struct nfesp_flow *fl, bool forwarded)
{
	const struct nfesp_pol_conf *conf;
	struct nfesp_policy *pol;
	struct nfesp_sa *sa;

	pol = nfesp_spd_lookup(&nn->spd[NFESP_DIR_OUT - 1], fl);
	if (IS_ERR(pol))
		return nfesp_unread_drop(nn, NULL);
	if (!pol)
		return NF_ACCEPT;
	conf = nfesp_pol_conf(pol, nn);
	switch (conf->action) {
	case NFESP_ACTION_BYPASS:
		return NF_ACCEPT;
	case NFESP_ACTION_PROTECT:
		break;
	default:
		return nfesp_policy_drop(nn, pol, NFESP_STAT_DROP_POLICY);
	}
	sa = nfesp_sa_lookup_out(nn, &conf->tmpl, fl);
	if (!sa) {
		nfesp_acquire(nn, pol, NULL, fl);
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

/* Whether a hook has a packet to judge: one from an SA always. */
static bool nfesp_hook_judges(const struct nfesp_net *nn,
			      const struct nfesp_sa *sa)
{
	return sa || READ_ONCE(nn->pol_count);
}

static unsigned int nfesp_hook_local_out(void *priv, struct sk_buff *skb,
					 const struct nf_hook_state *state)
{
	struct nfesp_net *nn = nfesp_pernet(state->net);
	struct nfesp_flow fl;

	/* Into a tunnel device: its SA protects it, by the route. */
	if (!nfesp_hook_judges(nn, NULL) || nfesp_is_dev(state->out))
		return NF_ACCEPT;
	nfesp_flow_of(skb, nfesp_hook_family(state), &fl);
	return nfesp_check_out(nn, skb, &fl, false);
}

static unsigned int nfesp_hook_forward(void *priv, struct sk_buff *skb,
				       const struct nf_hook_state *state)
{
	struct nfesp_net *nn = nfesp_pernet(state->net);
	const struct nfesp_sa *sa = nfesp_input_decap_sa(skb);
	struct nfesp_flow fl;
	unsigned int verdict;

	if (!nfesp_hook_judges(nn, sa))
		return NF_ACCEPT;
	nfesp_flow_of(skb, nfesp_hook_family(state), &fl);
	/* Out of a tunnel device, the device's SA had it: no policy. */
	if (!nfesp_is_dev(state->in)) {
		verdict = nfesp_check_in(nn, skb, &fl, NFESP_DIR_FWD, sa);
		if (verdict != NF_ACCEPT)
			return verdict;
	}
	if (nfesp_is_dev(state->out))
		return NF_ACCEPT;
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
	sa = nfesp_input_decap_sa(skb);
	if (!nfesp_hook_judges(nn, sa) || nfesp_is_dev(state->in))
		return NF_ACCEPT;
	nfesp_flow_of(skb, nfesp_hook_family(state), &fl);
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
 * Reassembly before the hooks, in PRE_ROUTING as conntrack has it but
 * without needing conntrack: a port-specific policy must see a datagram
 * whole, or its later fragments, which show no ports, would pass it by
 * (RFC 4301 7), also on a gateway that forwards them; and IPv6, which
 * otherwise reassembles after LOCAL_IN, must hand ESP over whole.
 */
static int nfesp_hooks_register(struct net *net)
{
	int err;

	err = nf_defrag_ipv4_enable(net);
	if (err)
		return err;
	err = nf_defrag_ipv6_enable(net);
	if (err)
		goto err_v4;
	err = nf_register_net_hooks(net, nfesp_hook_ops,
				    ARRAY_SIZE(nfesp_hook_ops));
	if (err)
		goto err_v6;
	return 0;

err_v6:
	nf_defrag_ipv6_disable(net);
err_v4:
	nf_defrag_ipv4_disable(net);
	return err;
}

/*
 * A namespace gets the hooks, and reassembly, with its first SA, SPI
 * reservation or policy: where nfesp is not used, loading it changes
 * nothing. They stay until the namespace or the module goes; a flush
 * does not remove them, which would cost it an RCU grace period.
 */
int nfesp_hooks_enable(struct nfesp_net *nn)
{
	int err;

	lockdep_assert_held(&nn->lock);
	if (nn->hooked)
		return 0;
	err = nfesp_hooks_register(nn->net);
	if (!err)
		nn->hooked = true;
	return err;
}

/* Returns when no hook runs any more: in-flight crypto may remain. */
void nfesp_hooks_disable(struct nfesp_net *nn)
{
	if (!nn->hooked)
		return;
	nf_unregister_net_hooks(nn->net, nfesp_hook_ops,
				ARRAY_SIZE(nfesp_hook_ops));
	nf_defrag_ipv6_disable(nn->net);
	nf_defrag_ipv4_disable(nn->net);
	nn->hooked = false;
}
