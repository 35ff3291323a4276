// SPDX-License-Identifier: GPL-2.0
/*
 * Inbound ESP (RFC 4303): ESP addressed to this host (IP protocol 50, or
 * UDP on an SA's encapsulation port, RFC 3948) is found by SPI, checked
 * against the replay window, decrypted and verified in place, stripped to
 * the packet inside, and received again as that packet, so that conntrack,
 * the firewall, routing (a gateway forwards it) and the inbound policy all
 * see what was protected. While it is received, nfesp_input_decap_sa()
 * tells the policy check which SA it came through.
 */
#include <linux/ip.h>
#include <linux/ipv6.h>
#include <linux/udp.h>
#include <net/dsfield.h>
#include <net/inet_ecn.h>
#include <net/ip.h>
#include <net/ipv6.h>
#include <crypto/aead.h>

#include "compat.h"
#include "nfesp.h"

/* ESP in ESP in ...: deep enough for any real use, short of the stack's end. */
#define NFESP_NEST_MAX 4

/* What is being received again on this CPU, with BHs off. */
struct nfesp_decap {
	const struct nfesp_sa *sa;
	const struct sk_buff *skb;
	unsigned int depth;
};

static DEFINE_PER_CPU(struct nfesp_decap, nfesp_decap);

/*
 * The SA @skb was decapsulated from, while it is received again; NULL: it
 * came in clear, or it comes back from a queue (NFQUEUE) after that, from
 * anywhere, and is judged as cleartext (nfesp_decap_allowed() has judged
 * what its SA may carry before).
 */
const struct nfesp_sa *nfesp_input_decap_sa(const struct sk_buff *skb)
{
	const struct nfesp_decap *d = this_cpu_ptr(&nfesp_decap);

	return d->skb == skb ? d->sa : NULL;
}

/* Receives the decapsulated @skb as a new packet, with BHs off. */
static void nfesp_reinject(struct nfesp_net *nn, const struct nfesp_sa *sa,
			   struct sk_buff *skb)
{
	struct nfesp_decap *d = this_cpu_ptr(&nfesp_decap);
	const struct nfesp_sa *outer = d->sa;
	const struct sk_buff *outer_skb = d->skb;

	if (d->depth >= NFESP_NEST_MAX) {
		nfesp_drop(nn, NULL, skb, NFESP_STAT_DROP_NESTED);
		return;
	}
	d->depth++;
	d->sa = sa;
	d->skb = skb;
	/* Not netif_rx(): the packet must be seen on this CPU, now. */
	netif_receive_skb_core(skb);
	d->sa = outer;
	d->skb = outer_skb;
	d->depth--;
}

/* Transport mode: the IP header(s) close up over ESP header and IV. */
static int nfesp_strip_transport(struct sk_buff *skb, u16 family,
				 unsigned int hdr_end, unsigned int gap,
				 unsigned int proto_off, u8 nexthdr)
{
	memmove(skb->data + gap, skb->data, hdr_end);
	__skb_pull(skb, gap);
	skb_reset_network_header(skb);
	skb_network_header(skb)[proto_off] = nexthdr;
	if (family == AF_INET) {
		ip_hdr(skb)->tot_len = htons(skb->len);
		ip_send_check(ip_hdr(skb));
	} else {
		ipv6_hdr(skb)->payload_len = htons(skb->len -
						   sizeof(struct ipv6hdr));
	}
	return 0;
}

/*
 * Tunnel mode: only the inner packet stays, with the outer ECN merged in
 * (-EBADMSG: it must be dropped for that). The DSCP stays the inner one's
 * (RFC 4301 5.1.2.1).
 */
static int nfesp_strip_tunnel(struct sk_buff *skb, unsigned int inner,
			      u8 outer_ds, u8 nexthdr)
{
	int ecn;

	__skb_pull(skb, inner);
	skb_reset_network_header(skb);
	if (nexthdr == IPPROTO_IPIP) {
		if (!pskb_may_pull(skb, sizeof(struct iphdr)) ||
		    ip_hdr(skb)->version != 4)
			return -EINVAL;
		skb->protocol = htons(ETH_P_IP);
		ecn = nfesp_ecn_decap(outer_ds, ipv4_get_dsfield(ip_hdr(skb)));
		if (ecn < 0)
			return ecn;
		ipv4_change_dsfield(ip_hdr(skb), (u8)~INET_ECN_MASK, ecn);
		return 0;
	}
	if (nexthdr == IPPROTO_IPV6) {
		if (!pskb_may_pull(skb, sizeof(struct ipv6hdr)) ||
		    ipv6_hdr(skb)->version != 6)
			return -EINVAL;
		skb->protocol = htons(ETH_P_IPV6);
		ecn = nfesp_ecn_decap(outer_ds, ipv6_get_dsfield(ipv6_hdr(skb)));
		if (ecn < 0)
			return ecn;
		ipv6_change_dsfield(ipv6_hdr(skb), (u8)~INET_ECN_MASK, ecn);
		return 0;
	}
	return -EPROTONOSUPPORT;
}

static u8 nfesp_outer_ds(const struct sk_buff *skb)
{
	if (skb->protocol == htons(ETH_P_IP))
		return ipv4_get_dsfield(ip_hdr(skb));
	return ipv6_get_dsfield(ipv6_hdr(skb));
}

/* Where the input got to when crypto was started. */
struct nfesp_in_cb {
	unsigned int hdr_end;	/* end of the IP header(s), before UDP/ESP */
	unsigned int proto_off;	/* the byte that names UDP/ESP */
};

#define NFESP_IN_CB(skb) ((struct nfesp_in_cb *)(skb)->cb)

static void nfesp_input_finish(struct nfesp_pkt *pkt, int err)
{
	struct nfesp_net *nn = pkt->nn;
	struct sk_buff *skb = pkt->skb;
	struct net_device *dev = skb->dev;
	struct nfesp_sa *sa = pkt->sa;
	struct nfesp_in_cb cb = *NFESP_IN_CB(skb);
	unsigned int ivlen = crypto_aead_ivsize(sa->aead);
	unsigned int icvlen = crypto_aead_authsize(sa->aead);
	unsigned int inner = pkt->esp_off + sizeof(struct ip_esp_hdr) + ivlen;
	enum nfesp_stat why;
	u8 tb[2], _pad[256];
	const u8 *pad;
	unsigned int len;

	if (err) {
		why = err == -EBADMSG ? NFESP_STAT_DROP_ICV :
					NFESP_STAT_DROP_CRYPTO;
		goto drop;
	}
	why = NFESP_STAT_DROP_REPLAY;
	if (!nfesp_replay_advance(sa->replay, pkt->seq))
		goto drop;

	/* The trailer: padding length, next header, and the padding itself. */
	why = NFESP_STAT_DROP_TRAILER;
	if (skb_copy_bits(skb, skb->len - icvlen - 2, tb, 2))
		goto drop;
	len = skb->len - icvlen - 2 - inner;
	if (tb[0] > len)
		goto drop;
	len -= tb[0];
	pad = skb_header_pointer(skb, inner + len, tb[0], _pad);
	if (!pad || !nfesp_esp_pad_ok(pad, tb[0]))
		goto drop;
	if (pskb_trim(skb, inner + len))
		goto drop;

	nfesp_sa_used(nn, sa, len);
	if (tb[1] == IPPROTO_NONE) {
		/* A dummy packet (RFC 4303 2.6): nothing to deliver, nothing to say. */
		nfesp_count(nn, sa, NFESP_STAT_IN_DUMMY, 1);
		consume_skb(skb);
		goto out;
	}
	nfesp_count(nn, sa, NFESP_STAT_IN_PACKETS, 1);
	nfesp_count(nn, sa, NFESP_STAT_IN_BYTES, len);

	if (sa->mode == NFESP_MODE_TUNNEL)
		err = nfesp_strip_tunnel(skb, inner, nfesp_outer_ds(skb), tb[1]);
	else
		err = nfesp_strip_transport(skb, sa->key.family, cb.hdr_end,
					    inner - cb.hdr_end, cb.proto_off,
					    tb[1]);
	if (err) {
		why = err == -EBADMSG ? NFESP_STAT_DROP_ECN :
					NFESP_STAT_DROP_TRAILER;
		goto drop;
	}

	/* A tunnel device's SA carries what the device's policies allow. */
	if (sa->if_id)
		why = nfesp_dev_policy_check(nn, NFESP_DIR_IN, sa->if_id, skb,
					     skb->protocol == htons(ETH_P_IP) ?
					     AF_INET : AF_INET6);
	else if (!nfesp_decap_allowed(nn, skb, sa))
		why = NFESP_STAT_DROP_SELECTOR;
	else
		why = NFESP_STAT_UNSPEC;
	if (why != NFESP_STAT_UNSPEC)
		goto drop;

	/* A new packet: nothing of the outer one's state may stick to it. */
	if (skb_mac_header_was_set(skb))
		skb_mac_header_rebuild(skb);
	nf_reset_ct(skb);
	skb_dst_drop(skb);
	/*
	 * Transport mode in UDP has likely crossed a NAT (RFC 3948 3.1.2):
	 * the upper layer's checksum covers addresses the packet no longer
	 * has. The ICV vouched for every byte of it, so it is not checked
	 * again, as XFRM does; without NAT-T it is.
	 */
	if (sa->mode == NFESP_MODE_TRANSPORT && nfesp_sa_conf(sa, nn)->encap_dport)
		skb->ip_summed = CHECKSUM_UNNECESSARY;
	else
		skb->ip_summed = CHECKSUM_NONE;
	skb->pkt_type = PACKET_HOST;
	memset(skb->cb, 0, sizeof(skb->cb));
	if (sa->if_id)
		nfesp_dev_rx(nn, sa, skb);
	else
		nfesp_reinject(nn, sa, skb);
out:
	if (sa->async)
		dev_put(dev);
	nfesp_pkt_free(pkt);
	return;

drop:
	nfesp_drop(nn, sa, skb, why);
	if (sa->async)
		dev_put(dev);
	nfesp_pkt_free(pkt);
}

static void nfesp_input_done(nfesp_crypto_done_arg arg, int err)
{
	struct nfesp_pkt *pkt = nfesp_crypto_done_data(arg);

	if (err == -EINPROGRESS)
		return;
	local_bh_disable();
	nfesp_input_finish(pkt, err);
	local_bh_enable();
}

/*
 * Decrypts the ESP packet of @sa at @esp_off in @skb, which it takes.
 * The caller checked that the header is there.
 */
static void nfesp_input_sa(struct nfesp_net *nn, struct nfesp_sa *sa,
			   struct sk_buff *skb, unsigned int esp_off)
{
	struct crypto_aead *aead = sa->aead;
	unsigned int ivlen = crypto_aead_ivsize(aead);
	unsigned int icvlen = crypto_aead_authsize(aead);
	unsigned int align = nfesp_esp_align(aead);
	enum nfesp_stat why = NFESP_STAT_DROP_NO_MEMORY;
	struct ip_esp_hdr *esph;
	struct aead_request *req;
	struct sk_buff *trailer;
	struct nfesp_pkt *pkt;
	int nfrags, clen, err;
	u64 seq;

	if (nfesp_sa_stopped(sa)) {
		why = NFESP_STAT_DROP_EXPIRED;
		goto drop;
	}
	clen = skb->len - esp_off - sizeof(*esph) - ivlen - icvlen;
	if (clen < 2 || !pskb_may_pull(skb, esp_off + sizeof(*esph) + ivlen)) {
		why = NFESP_STAT_DROP_TOO_SHORT;
		goto drop;
	}
	if (clen % align) {
		why = NFESP_STAT_DROP_TRAILER;
		goto drop;
	}
	esph = (void *)skb->data + esp_off;
	seq = nfesp_replay_seq(sa->replay, ntohl(esph->seq_no));
	if (!nfesp_replay_check(sa->replay, seq)) {
		why = NFESP_STAT_DROP_REPLAY;
		goto drop;
	}
	nfrags = skb_cow_data(skb, 0, &trailer);
	if (nfrags < 0)
		goto drop;
	pkt = nfesp_pkt_alloc(nn, sa, skb, nfrags + 1, &why);
	if (!pkt)
		goto drop;
	pkt->seq = seq;
	pkt->esp_off = esp_off;
	esph = (void *)skb->data + esp_off;
	memcpy(pkt->iv, esph + 1, ivlen);
	req = nfesp_pkt_prepare(pkt, nfrags + 1, esp_off, clen, true,
				nfesp_input_done);
	if (unlikely(!req)) {
		nfesp_pkt_free(pkt);
		goto drop;
	}
	/* Routed again once decapsulated; the device must outlive the crypto. */
	skb_dst_drop(skb);
	if (sa->async)
		dev_hold(skb->dev);
	err = crypto_aead_decrypt(req);
	if (err == -EINPROGRESS || err == -EBUSY)
		return;
	nfesp_input_finish(pkt, err);
	return;

drop:
	nfesp_drop(nn, sa, skb, why);
}

/*
 * From LOCAL_IN: takes ESP for one of this namespace's SAs (NF_STOLEN) or
 * ESP nobody here knows (NF_DROP, counted); anything else is NF_ACCEPT.
 * IKE on an encapsulation port (a zero non-ESP marker, RFC 3948 2.2) and
 * keepalives are left to the socket that owns the port.
 */
unsigned int nfesp_input(struct nfesp_net *nn, struct sk_buff *skb, u16 family)
{
	struct nfesp_sa_key key = { .family = family };
	unsigned int hdr_end, proto_off, esp_off;
	struct udphdr _uh, *uh = NULL;
	struct nfesp_sa *sa;
	__be32 _spi, *spi;
	u8 proto;

	if (family == AF_INET) {
		hdr_end = ip_hdrlen(skb);
		proto_off = offsetof(struct iphdr, protocol);
		proto = ip_hdr(skb)->protocol;
		key.dst.a4 = ip_hdr(skb)->daddr;
	} else {
		struct nfesp_ip6_walk w;

		/*
		 * Reassembled already (PRE_ROUTING defragments where nfesp
		 * hooks in): what is still a fragment is no ESP to open. An
		 * unreadable chain is the policy check's to judge.
		 */
		if (nfesp_ip6_walk(skb, &w) || w.fragment)
			return NF_ACCEPT;
		hdr_end = w.upper;
		proto_off = w.upper_ptr;
		proto = w.proto;
		key.dst.a6 = ipv6_hdr(skb)->daddr;
	}
	esp_off = hdr_end;
	if (proto == IPPROTO_UDP) {
		uh = skb_header_pointer(skb, hdr_end, sizeof(_uh), &_uh);
		if (!uh)
			return NF_ACCEPT;
		esp_off += sizeof(*uh);
	} else if (proto != IPPROTO_ESP) {
		return NF_ACCEPT;
	}
	spi = skb_header_pointer(skb, esp_off, sizeof(_spi), &_spi);
	if (!spi) {
		if (uh)
			return NF_ACCEPT;
		nfesp_count(nn, NULL, NFESP_STAT_DROP_TOO_SHORT, 1);
		return NF_DROP;
	}
	if (uh && !*spi)
		return NF_ACCEPT;	/* IKE */
	key.spi = *spi;
	sa = nfesp_sa_lookup(nn, &key);
	if (sa && ((sa->flags & NFESP_SA_F_LARVAL) || sa->dir == NFESP_DIR_OUT))
		sa = NULL;
	if (uh) {
		/* UDP that no SA expects on this port is somebody else's. */
		if (!sa || nfesp_sa_conf(sa, nn)->encap_dport != ntohs(uh->dest))
			return NF_ACCEPT;
	} else if (!sa) {
		nfesp_count(nn, NULL, NFESP_STAT_DROP_NO_SA, 1);
		return NF_DROP;
	} else if (nfesp_sa_conf(sa, nn)->encap_dport) {
		nfesp_count(nn, sa, NFESP_STAT_DROP_ENCAP, 1);
		return NF_DROP;
	}
	if (!nfesp_ct_done(skb)) {
		nfesp_count(nn, sa, NFESP_STAT_DROP_CONNTRACK, 1);
		return NF_DROP;
	}
	NFESP_IN_CB(skb)->hdr_end = hdr_end;
	NFESP_IN_CB(skb)->proto_off = proto_off;
	nfesp_input_sa(nn, sa, skb, esp_off);
	return NF_STOLEN;
}
