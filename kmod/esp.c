// SPDX-License-Identifier: GPL-2.0
/*
 * The ESP format (RFC 4303): the header and trailer rules shared by both
 * directions, and tunnel mode's ECN (RFC 6040).
 */
#include <linux/ip.h>
#include <linux/skbuff.h>
#include <crypto/aead.h>
#include <net/inet_ecn.h>

#include "nfesp.h"

/* The padding that brings @len + the 2 trailer bytes to a multiple of @align. */
unsigned int nfesp_esp_pad_len(unsigned int len, unsigned int align)
{
	return ALIGN(len + 2, align) - (len + 2);
}
NFESP_EXPORT_FOR_KUNIT(nfesp_esp_pad_len);

/* RFC 4303 2.4: the pad bytes count 1, 2, 3, ... */
void nfesp_esp_fill_pad(u8 *pad, unsigned int len)
{
	unsigned int i;

	for (i = 0; i < len; i++)
		pad[i] = i + 1;
}
NFESP_EXPORT_FOR_KUNIT(nfesp_esp_fill_pad);

bool nfesp_esp_pad_ok(const u8 *pad, unsigned int len)
{
	unsigned int i;

	for (i = 0; i < len; i++)
		if (pad[i] != i + 1)
			return false;
	return true;
}
NFESP_EXPORT_FOR_KUNIT(nfesp_esp_pad_ok);

/* The payload's alignment: the cipher's block, and at least 4 bytes. */
unsigned int nfesp_esp_align(struct crypto_aead *aead)
{
	return ALIGN(crypto_aead_blocksize(aead), 4);
}

/*
 * The data the ICV covers besides the packet: SPI and sequence number, with
 * ESN the high half between them, as the AEADs take it (RFC 4106 5,
 * RFC 7634 2.1; authencesn moves the high half where RFC 4303 puts it).
 */
unsigned int nfesp_esp_aad(u8 *aad, __be32 spi, u64 seq, bool esn)
{
	__be32 *w = (__be32 *)aad;

	w[0] = spi;
	if (!esn) {
		w[1] = htonl(lower_32_bits(seq));
		return 8;
	}
	w[1] = htonl(upper_32_bits(seq));
	w[2] = htonl(lower_32_bits(seq));
	return 12;
}
NFESP_EXPORT_FOR_KUNIT(nfesp_esp_aad);

/*
 * Tunnel mode's decapsulation of ECN (RFC 6040 4.2): the inner packet's ECN
 * field once the outer one's is merged in, or -EBADMSG for congestion marked
 * outside a packet that is not ECN-capable: that one must be dropped, since
 * its receiver could not learn of the mark.
 */
int nfesp_ecn_decap(u8 outer, u8 inner)
{
	outer &= INET_ECN_MASK;
	inner &= INET_ECN_MASK;
	if (inner == INET_ECN_NOT_ECT)
		return outer == INET_ECN_CE ? -EBADMSG : INET_ECN_NOT_ECT;
	if (outer == INET_ECN_CE ||
	    (outer == INET_ECN_ECT_1 && inner == INET_ECN_ECT_0))
		return outer;
	return inner;
}
NFESP_EXPORT_FOR_KUNIT(nfesp_ecn_decap);
