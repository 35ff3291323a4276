// SPDX-License-Identifier: GPL-2.0
/*
 * Outbound ESP (RFC 4303): a packet that a protect policy matched is
 * segmented if it is GSO, checksummed, wrapped (transport: ESP after the IP
 * header; tunnel: the whole packet behind a new outer header, routed to the
 * peer; optionally in UDP, RFC 3948), encrypted in place and sent on with
 * dst_output(), which runs POST_ROUTING for the ESP packet. Crypto may
 * complete later (-EINPROGRESS): the rest then runs from the callback.
 */
#include <linux/ip.h>
#include <linux/ipv6.h>
#include <linux/icmp.h>
#include <linux/icmpv6.h>
#include <linux/udp.h>
#include <net/dsfield.h>
#include <net/dst_cache.h>
#include <net/icmp.h>
#include <net/inet_ecn.h>
#include <net/ip6_checksum.h>
#include <net/ip.h>
#include <net/ip6_route.h>
#include <net/ipv6.h>
#include <net/route.h>
#include <crypto/aead.h>

#include "compat.h"
#include "nfesp.h"

static struct dst_entry *nfesp_route4(struct net *net, struct nfesp_sa *sa,
				      __be32 src)
{
	struct flowi4 fl4 = {
		.daddr = sa->key.dst.a4,
		.saddr = src,
		.flowi4_proto = IPPROTO_ESP,
	};
	struct rtable *rt;
	__be32 cached;

	rt = dst_cache_get_ip4(&sa->route, &cached);
	if (rt && cached == src)
		return &rt->dst;
	if (rt)
		ip_rt_put(rt);
	rt = ip_route_output_key(net, &fl4);
	if (IS_ERR(rt))
		return ERR_CAST(rt);
	dst_cache_set_ip4(&sa->route, &rt->dst, src);
	return &rt->dst;
}

static struct dst_entry *nfesp_route6(struct net *net, struct nfesp_sa *sa,
				      const struct in6_addr *src)
{
	struct flowi6 fl6 = {
		.daddr = sa->key.dst.a6,
		.saddr = *src,
		.flowi6_proto = IPPROTO_ESP,
	};
	struct dst_entry *dst;
	struct in6_addr cached;
	int err;

	dst = dst_cache_get_ip6(&sa->route, &cached);
	if (dst && ipv6_addr_equal(&cached, src))
		return dst;
	dst_release(dst);
	dst = ip6_route_output(net, NULL, &fl6);
	err = dst->error;
	if (err) {
		dst_release(dst);
		return ERR_PTR(err);
	}
	dst_cache_set_ip6(&sa->route, dst, src);
	return dst;
}

/*
 * Tunnel mode: the packet goes to the peer, by the route to it. The SA
 * keeps that route per CPU, as the kernel's tunnels do, and looks it up
 * again when the routes have changed since (the cache checks the route's
 * generation, or its cookie in IPv6) or SA_UPDATE changed the source.
 * Returns a reference.
 */
static struct dst_entry *nfesp_route_to_peer(struct net *net,
					     struct nfesp_sa *sa,
					     const union nfesp_addr *src)
{
	struct dst_entry *dst;

	local_bh_disable();	/* the cache's slot is this CPU's */
	if (sa->key.family == AF_INET)
		dst = nfesp_route4(net, sa, src->a4);
	else
		dst = nfesp_route6(net, sa, &src->a6);
	local_bh_enable();
	return dst;
}

/*
 * The largest inner packet that tunnel SA @sa carries in one ESP packet on
 * its route to the peer: that route's MTU less the outer header, UDP if
 * encapsulated, ESP's header, IV, trailer and ICV, rounded down to the
 * cipher's alignment. 0 when there is no route. Under RCU.
 */
unsigned int nfesp_sa_inner_mtu(struct nfesp_net *nn, struct nfesp_sa *sa)
{
	const struct nfesp_sa_conf *conf = nfesp_sa_conf(sa, nn);
	unsigned int align = nfesp_esp_align(sa->aead), mtu, overhead;
	struct dst_entry *dst;

	dst = nfesp_route_to_peer(nn->net, sa, &conf->src);
	if (IS_ERR(dst))
		return 0;
	mtu = dst_mtu(dst);
	dst_release(dst);
	overhead = (sa->key.family == AF_INET ? sizeof(struct iphdr) :
						sizeof(struct ipv6hdr)) +
		   (conf->encap_sport ? sizeof(struct udphdr) : 0) +
		   sizeof(struct ip_esp_hdr) + crypto_aead_ivsize(sa->aead) +
		   crypto_aead_authsize(sa->aead);
	if (mtu < overhead + align)
		return 0;
	return rounddown(mtu - overhead, align) - 2;
}

/* Whether the packet's own route leads elsewhere than the tunnel's. */
static bool nfesp_inner_route_apart(const struct sk_buff *skb, u16 family,
				    const struct nfesp_sa *sa)
{
	if (family != sa->key.family)
		return true;
	if (family == AF_INET)
		return ip_hdr(skb)->daddr != sa->key.dst.a4;
	return !ipv6_addr_equal(&ipv6_hdr(skb)->daddr, &sa->key.dst.a6);
}

/* "Too big", from a router's FORWARD hook or a tunnel device's xmit. */
static void nfesp_too_big(struct sk_buff *skb, u16 family,
			  unsigned int inner_mtu, bool from_device)
{
	/* A device's xmit has no IP control block, and may follow SNAT. */
	if (family == AF_INET && from_device)
		icmp_ndo_send(skb, ICMP_DEST_UNREACH, ICMP_FRAG_NEEDED,
			      htonl(inner_mtu));
	else if (family == AF_INET)
		icmp_send(skb, ICMP_DEST_UNREACH, ICMP_FRAG_NEEDED,
			  htonl(inner_mtu));
	else if (from_device)
		icmpv6_ndo_send(skb, ICMPV6_PKT_TOOBIG, 0, inner_mtu);
	else
		icmpv6_send(skb, ICMPV6_PKT_TOOBIG, 0, inner_mtu);
}

/*
 * Whether @skb, @overhead bytes longer in ESP, fits @mtu. A packet that
 * may not be fragmented and does not fit is refused with ICMP "too big"
 * when forwarded or sent into a tunnel device, as a router would. The
 * route the packet took learns the smaller MTU when it leads elsewhere
 * than the tunnel's (a local packet's own route, a tunnel device's), so
 * TCP sends smaller segments and the device's routes carry the underlay's
 * path MTU. Otherwise the ESP packet leaves in fragments, which is slow but
 * never a black hole.
 */
static bool nfesp_fits(struct sk_buff *skb, const struct nfesp_sa *sa,
		       u16 family, unsigned int mtu, unsigned int overhead,
		       bool forwarded)
{
	bool tunnel = sa->mode == NFESP_MODE_TUNNEL;
	unsigned int inner_mtu;

	if (skb->len + overhead <= mtu)
		return true;
	inner_mtu = mtu > overhead ? mtu - overhead : 0;
	if (family == AF_INET &&
	    (!(ip_hdr(skb)->frag_off & htons(IP_DF)) || inner_mtu < 576))
		return true;
	if (family == AF_INET6 && inner_mtu < IPV6_MIN_MTU)
		return true;
	/* What a packet socket writes into a tunnel device has no route. */
	if (skb_dst(skb) &&
	    (sa->if_id ||
	     (tunnel && !forwarded && nfesp_inner_route_apart(skb, family, sa)))) {
		/* The route's PMTU code reads the device, which LOCAL_OUT has not set. */
		skb->dev = skb_dst(skb)->dev;
		skb_dst_update_pmtu_no_confirm(skb, inner_mtu);
	}
	if (!forwarded)
		return true;
	nfesp_too_big(skb, family, inner_mtu, sa->if_id);
	return false;
}

/*
 * The outer header of tunnel mode, in front of the ESP header. DSCP is
 * copied from the inner packet (RFC 4301 5.1.2.1) and ECN as RFC 6040
 * says; the outer packet may be fragmented, so a large inner packet is
 * never lost to a path MTU it cannot learn about.
 */
static void nfesp_push_outer(struct sk_buff *skb, const struct nfesp_sa *sa,
			     const union nfesp_addr *src, u8 inner_ds,
			     unsigned int outer_len, u8 proto)
{
	u8 ds = INET_ECN_encapsulate(inner_ds, inner_ds);

	skb_push(skb, outer_len);
	skb_reset_network_header(skb);
	if (sa->key.family == AF_INET) {
		struct iphdr *iph = ip_hdr(skb);

		iph->version = 4;
		iph->ihl = sizeof(*iph) / 4;
		iph->tos = ds;
		iph->tot_len = htons(skb->len);
		iph->frag_off = 0;
		iph->ttl = ip4_dst_hoplimit(skb_dst(skb));
		iph->protocol = proto;
		iph->saddr = src->a4;
		iph->daddr = sa->key.dst.a4;
		ip_select_ident(dev_net(skb_dst(skb)->dev), skb, NULL);
		ip_send_check(iph);
		memset(IPCB(skb), 0, sizeof(*IPCB(skb)));
	} else {
		struct ipv6hdr *ip6h = ipv6_hdr(skb);

		ip6_flow_hdr(ip6h, ds, 0);
		ip6h->payload_len = htons(skb->len - sizeof(*ip6h));
		ip6h->nexthdr = proto;
		ip6h->hop_limit = ip6_dst_hoplimit(skb_dst(skb));
		ip6h->saddr = src->a6;
		ip6h->daddr = sa->key.dst.a6;
		memset(IP6CB(skb), 0, sizeof(*IP6CB(skb)));
	}
}

/* UDP over IPv6 needs its checksum (RFC 3948 is silent; RFC 8200 8.1). */
static void nfesp_udp6_csum(struct sk_buff *skb, unsigned int udp_off)
{
	struct udphdr *uh = (void *)skb->data + udp_off;
	unsigned int len = skb->len - udp_off;
	__wsum csum;

	uh->check = 0;
	csum = skb_checksum(skb, udp_off, len, 0);
	uh->check = csum_ipv6_magic(&ipv6_hdr(skb)->saddr, &ipv6_hdr(skb)->daddr,
				    len, IPPROTO_UDP, csum);
	if (!uh->check)
		uh->check = CSUM_MANGLED_0;
	skb->ip_summed = CHECKSUM_NONE;
}

static void nfesp_output_finish(struct nfesp_pkt *pkt, int err)
{
	struct nfesp_net *nn = pkt->nn;
	struct sk_buff *skb = pkt->skb;
	struct nfesp_sa *sa = pkt->sa;
	struct net *net = nn->net;

	if (err) {
		net_dbg_ratelimited("nfesp: encryption failed: %d\n", err);
		nfesp_drop(nn, sa, skb, NFESP_STAT_DROP_CRYPTO);
		nfesp_pkt_free(pkt);
		return;
	}
	if (sa->key.family == AF_INET6 && skb_transport_offset(skb) !=
	    pkt->esp_off)
		nfesp_udp6_csum(skb, skb_transport_offset(skb));
	nfesp_count(nn, sa, NFESP_STAT_OUT_PACKETS, 1);
	nfesp_count(nn, sa, NFESP_STAT_OUT_BYTES, pkt->len);
	nfesp_pkt_free(pkt);
	dst_output(net, skb->sk, skb);
}

static void nfesp_output_done(nfesp_crypto_done_arg arg, int err)
{
	struct nfesp_pkt *pkt = nfesp_crypto_done_data(arg);

	if (err == -EINPROGRESS)
		return;		/* left the backlog; the result comes later */
	local_bh_disable();
	nfesp_output_finish(pkt, err);
	local_bh_enable();
}

/* Where ESP goes in a packet of transport mode, and the header naming it. */
static int nfesp_transport_split(struct sk_buff *skb, u16 family,
				 unsigned int *nh_len, unsigned int *proto_off)
{
	struct nfesp_ip6_walk w;
	int err;

	if (family == AF_INET) {
		*nh_len = ip_hdrlen(skb);
		*proto_off = offsetof(struct iphdr, protocol);
		return 0;
	}
	err = nfesp_ip6_walk(skb, &w);
	if (err)
		return err;
	*nh_len = w.esp_at;
	*proto_off = w.esp_ptr;
	return 0;
}

static void nfesp_fix_length(struct sk_buff *skb, u16 family)
{
	if (family == AF_INET) {
		ip_hdr(skb)->tot_len = htons(skb->len);
		ip_send_check(ip_hdr(skb));
	} else {
		ipv6_hdr(skb)->payload_len = htons(skb->len -
						   sizeof(struct ipv6hdr));
	}
}

static void nfesp_output_one(struct nfesp_net *nn, struct nfesp_sa *sa,
			     struct sk_buff *skb, u16 family, bool forwarded);

/*
 * Whether @skb is an IPv6 datagram that reassembly (nfesp's, in
 * PRE_ROUTING) made whole on its way through, and that does not fit the
 * tunnel once in ESP. The sender's fragments did: a "too big" would tell
 * it nothing it can act on, and the datagram would never pass.
 */
static bool nfesp_refragment(const struct sk_buff *skb, u16 family,
			     unsigned int mtu, unsigned int overhead,
			     bool forwarded, bool tunnel)
{
	return tunnel && forwarded && family == AF_INET6 &&
	       IP6CB(skb)->frag_max_size && skb->len + overhead > mtu;
}

/*
 * Fragments @skb again, no larger than its sender's fragments were and
 * small enough for the tunnel at @inner_mtu, and sends each fragment in
 * an ESP packet of its own: as the kernel forwards a reassembled datagram
 * (ip6_fragment()) and as XFRM does, so the far end can forward them too.
 */
static void nfesp_refragment6(struct nfesp_net *nn, struct nfesp_sa *sa,
			      struct sk_buff *skb, unsigned int inner_mtu)
{
	unsigned int mtu = min_t(unsigned int, inner_mtu,
				 IP6CB(skb)->frag_max_size);
	struct ip6_frag_state state;
	struct nfesp_ip6_walk w;
	struct sk_buff *frag;
	__be32 id;

	if (nfesp_ip6_walk(skb, &w) || w.fragment ||
	    mtu < w.esp_at + sizeof(struct frag_hdr) + 8 ||
	    !pskb_may_pull(skb, w.esp_at)) {
		nfesp_drop(nn, sa, skb, NFESP_STAT_DROP_MTU);
		return;
	}
	if (skb->ip_summed == CHECKSUM_PARTIAL && skb_checksum_help(skb)) {
		nfesp_drop(nn, sa, skb, NFESP_STAT_DROP_NO_MEMORY);
		return;
	}
	id = ipv6_select_ident(nn->net, &ipv6_hdr(skb)->daddr,
			       &ipv6_hdr(skb)->saddr);
	ip6_frag_init(skb, w.esp_at, mtu - w.esp_at - sizeof(struct frag_hdr),
		      0, LL_RESERVED_SPACE(skb_dst(skb)->dev),
		      skb_network_header(skb) + w.esp_ptr,
		      skb_network_header(skb)[w.esp_ptr], id, &state);
	while (state.left > 0) {
		frag = ip6_frag_next(skb, &state);
		if (IS_ERR(frag)) {
			nfesp_drop(nn, sa, skb, NFESP_STAT_DROP_NO_MEMORY);
			return;
		}
		nfesp_output_one(nn, sa, frag, AF_INET6, true);
	}
	consume_skb(skb);
}

static void nfesp_output_one(struct nfesp_net *nn, struct nfesp_sa *sa,
			     struct sk_buff *skb, u16 family, bool forwarded)
{
	struct crypto_aead *aead = sa->aead;
	unsigned int ivlen = crypto_aead_ivsize(aead);
	unsigned int icvlen = crypto_aead_authsize(aead);
	bool tunnel = sa->mode == NFESP_MODE_TUNNEL;
	/* One snapshot for the whole packet: SA_UPDATE may replace it. */
	const struct nfesp_sa_conf *conf = nfesp_sa_conf(sa, nn);
	u16 sport = conf->encap_sport;
	u16 dport = conf->encap_dport;
	unsigned int nh_len = 0, proto_off = 0, outer_len = 0, udp_len = 0;
	unsigned int len, pad, clen, hdr_len, esp_off, mtu, overhead;
	enum nfesp_stat why = NFESP_STAT_DROP_NO_MEMORY;
	struct dst_entry *dst = NULL;
	u8 nexthdr, inner_ds = 0, proto;
	struct ip_esp_hdr *esph;
	struct sk_buff *trailer;
	struct aead_request *req;
	struct nfesp_pkt *pkt;
	int nfrags, err;
	u8 *tail;
	u64 seq;

	if (nfesp_sa_stopped(sa)) {
		why = NFESP_STAT_DROP_EXPIRED;
		goto drop;
	}
	if (skb->ip_summed == CHECKSUM_PARTIAL && skb_checksum_help(skb))
		goto drop;

	if (tunnel) {
		if (family == AF_INET) {
			nexthdr = IPPROTO_IPIP;
			inner_ds = ipv4_get_dsfield(ip_hdr(skb));
		} else {
			nexthdr = IPPROTO_IPV6;
			inner_ds = ipv6_get_dsfield(ipv6_hdr(skb));
		}
		outer_len = sa->key.family == AF_INET ? sizeof(struct iphdr) :
							sizeof(struct ipv6hdr);
	} else {
		if (sa->key.family != family ||
		    nfesp_transport_split(skb, family, &nh_len, &proto_off)) {
			why = NFESP_STAT_DROP_POLICY;
			goto drop;
		}
		nexthdr = skb_network_header(skb)[proto_off];
	}
	if (sport)
		udp_len = sizeof(struct udphdr);
	proto = sport ? IPPROTO_UDP : IPPROTO_ESP;

	len = skb->len - nh_len;
	pad = nfesp_esp_pad_len(len, nfesp_esp_align(aead));
	clen = len + pad + 2;
	hdr_len = udp_len + sizeof(*esph) + ivlen;

	/* What IP cannot carry, whatever the path: its length would wrap. */
	if (skb->len + outer_len + hdr_len + pad + 2 + icvlen >
	    (sa->key.family == AF_INET ? IP_MAX_MTU :
					 IPV6_MAXPLEN + sizeof(struct ipv6hdr))) {
		why = NFESP_STAT_DROP_OVERSIZE;
		goto drop;
	}
	if (tunnel) {
		dst = nfesp_route_to_peer(nn->net, sa, &conf->src);
		if (IS_ERR(dst)) {
			why = NFESP_STAT_DROP_ENCAP;
			goto drop;
		}
		/* A device's ESP into a device: round and round. */
		if (sa->if_id && nfesp_is_dev(dst->dev)) {
			dst_release(dst);
			why = NFESP_STAT_DROP_LOOP;
			goto drop;
		}
	}
	mtu = dst_mtu(dst ?: skb_dst(skb));
	overhead = outer_len + hdr_len + pad + 2 + icvlen;
	if (nfesp_refragment(skb, family, mtu, overhead, forwarded, tunnel)) {
		dst_release(dst);
		/* Each fragment's padding may differ from this packet's. */
		nfesp_refragment6(nn, sa, skb, mtu - (overhead - pad) -
				  (nfesp_esp_align(aead) - 1));
		return;
	}
	if (!nfesp_fits(skb, sa, family, mtu, overhead, forwarded)) {
		dst_release(dst);
		why = NFESP_STAT_DROP_MTU;
		goto drop;
	}
	if (dst) {
		skb_dst_drop(skb);
		skb_dst_set(skb, dst);
	}

	seq = atomic64_inc_return(&sa->seq_out);
	if (!(sa->flags & NFESP_SA_F_ESN) && seq > U32_MAX) {
		/* RFC 4303 3.3.3: never cycle; the SA is done. */
		nfesp_sa_stop(nn, sa);
		why = NFESP_STAT_DROP_SEQ_OVERFLOW;
		goto drop;
	}
	nfesp_sa_used(nn, sa, len);

	if (skb_cow_head(skb, hdr_len + outer_len +
			 LL_RESERVED_SPACE(skb_dst(skb)->dev)))
		goto drop;
	nfrags = skb_cow_data(skb, pad + 2 + icvlen, &trailer);
	if (nfrags < 0)
		goto drop;
	/* The callback may run after this hook's RCU section. */
	if (!skb_dst_force(skb))
		goto drop;
	pkt = nfesp_pkt_alloc(nn, sa, skb, nfrags + 1, &why);
	if (!pkt)
		goto drop;
	pkt->len = len;
	pkt->seq = seq;

	/* The trailer, and room for the ICV behind it. */
	tail = pskb_put(skb, trailer, pad + 2 + icvlen);
	nfesp_esp_fill_pad(tail, pad);
	tail[pad] = pad;
	tail[pad + 1] = nexthdr;

	/* The headers: moved forward (transport) or prepended (tunnel). */
	skb_push(skb, hdr_len);
	if (tunnel) {
		nfesp_push_outer(skb, sa, &conf->src, inner_ds, outer_len, proto);
		esp_off = outer_len;
	} else {
		memmove(skb->data, skb->data + hdr_len, nh_len);
		skb_reset_network_header(skb);
		skb_network_header(skb)[proto_off] = proto;
		nfesp_fix_length(skb, family);
		esp_off = nh_len;
	}
	skb_set_transport_header(skb, esp_off);
	if (sport) {
		struct udphdr *uh = (void *)skb->data + esp_off;

		uh->source = htons(sport);
		uh->dest = htons(dport);
		uh->len = htons(skb->len - esp_off);
		uh->check = 0;
		esp_off += sizeof(*uh);
	}
	pkt->esp_off = esp_off;
	esph = (void *)skb->data + esp_off;
	esph->spi = sa->key.spi;
	esph->seq_no = htonl(lower_32_bits(seq));
	nfesp_sa_make_iv(sa, seq, pkt->iv);
	memcpy(esph + 1, pkt->iv, ivlen);
	skb->protocol = sa->key.family == AF_INET ? htons(ETH_P_IP) :
						    htons(ETH_P_IPV6);
	skb->ignore_df = 1;

	req = nfesp_pkt_prepare(pkt, nfrags + 1, esp_off, clen, false,
				nfesp_output_done);
	if (unlikely(!req)) {
		nfesp_pkt_free(pkt);
		goto drop;
	}
	err = crypto_aead_encrypt(req);
	if (err == -EINPROGRESS || err == -EBUSY)
		return;
	nfesp_output_finish(pkt, err);
	return;

drop:
	nfesp_drop(nn, sa, skb, why);
}

/*
 * Sends @skb, which @sa protects, as ESP, and takes it: the hook's verdict
 * is always NF_STOLEN. Called from a hook, under RCU.
 */
unsigned int nfesp_output(struct nfesp_net *nn, struct nfesp_sa *sa,
			  struct sk_buff *skb, u16 family, bool forwarded)
{
	struct sk_buff *segs, *next;

	if (!nfesp_ct_done(skb)) {
		nfesp_drop(nn, sa, skb, NFESP_STAT_DROP_CONNTRACK);
		return NF_STOLEN;
	}
	if (!skb_is_gso(skb)) {
		nfesp_output_one(nn, sa, skb, family, forwarded);
		return NF_STOLEN;
	}
	/* ESP cannot be segmented later: every segment is a packet of its own. */
	segs = skb_gso_segment(skb, 0);
	if (IS_ERR_OR_NULL(segs)) {
		nfesp_drop(nn, sa, skb, NFESP_STAT_DROP_NO_MEMORY);
		return NF_STOLEN;
	}
	consume_skb(skb);
	skb_list_walk_safe(segs, skb, next) {
		skb_mark_not_on_list(skb);
		nfesp_output_one(nn, sa, skb, family, forwarded);
	}
	return NF_STOLEN;
}
