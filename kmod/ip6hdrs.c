// SPDX-License-Identifier: GPL-2.0
/*
 * The IPv6 extension header chain, walked by one function for every use:
 * inbound ESP is found behind it, policies match what ends it, and
 * transport mode puts ESP into it.
 */
#include <linux/ipv6.h>
#include <net/ipv6.h>

#include "nfesp.h"

/*
 * Longer chains are not read: a packet of 8-byte headers would make every
 * hook walk thousands, and no real sender needs this many. What is not
 * read cannot match a policy that needs it (see nfesp_flow_of()).
 */
#define NFESP_IP6_EXT_MAX 16

/*
 * Walks the chain of the IPv6 packet at @skb's network header; offsets
 * in @w are from there. -EINVAL: the chain is truncated or too long.
 */
int nfesp_ip6_walk(const struct sk_buff *skb, struct nfesp_ip6_walk *w)
{
	unsigned int nh = skb_network_offset(skb);
	unsigned int off = sizeof(struct ipv6hdr);
	unsigned int ptr = offsetof(struct ipv6hdr, nexthdr);
	u8 nexthdr = ipv6_hdr(skb)->nexthdr;
	bool leading = true;
	int n;

	memset(w, 0, sizeof(*w));
	w->esp_at = off;
	w->esp_ptr = ptr;
	for (n = 0; ; n++) {
		struct ipv6_opt_hdr _hp, *hp;
		struct frag_hdr _fh, *fh;

		w->upper = off;
		w->upper_ptr = ptr;
		w->proto = nexthdr;
		if (!ipv6_ext_hdr(nexthdr) || nexthdr == NEXTHDR_NONE)
			return 0;
		if (n == NFESP_IP6_EXT_MAX)
			return -EINVAL;
		/*
		 * Transport mode puts ESP behind hop-by-hop and routing
		 * headers and the destination options before a routing
		 * header, ahead of all others (RFC 4303 3.1.1).
		 */
		if (nexthdr != NEXTHDR_HOP && nexthdr != NEXTHDR_ROUTING &&
		    nexthdr != NEXTHDR_DEST)
			leading = false;
		if (nexthdr == NEXTHDR_FRAGMENT) {
			fh = skb_header_pointer(skb, nh + off, sizeof(_fh), &_fh);
			if (!fh)
				return -EINVAL;
			w->fragment = true;
			if (fh->frag_off & htons(IP6_OFFSET)) {
				/* Only the first fragment has the upper header. */
				w->later_fragment = true;
				w->proto = fh->nexthdr;
				return 0;
			}
			ptr = off;
			off += sizeof(*fh);
			nexthdr = fh->nexthdr;
			continue;
		}
		hp = skb_header_pointer(skb, nh + off, sizeof(_hp), &_hp);
		if (!hp)
			return -EINVAL;
		ptr = off;
		off += nexthdr == NEXTHDR_AUTH ? ipv6_authlen(hp) :
						 ipv6_optlen(hp);
		if (leading && nexthdr != NEXTHDR_DEST) {
			w->esp_at = off;
			w->esp_ptr = ptr;
		}
		nexthdr = hp->nexthdr;
	}
}
NFESP_EXPORT_FOR_KUNIT(nfesp_ip6_walk);
