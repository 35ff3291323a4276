// SPDX-License-Identifier: GPL-2.0
/*
 * The ESP format (RFC 4303) and what one packet's crypto needs: the header
 * and trailer rules shared by both directions, and the per-packet block that
 * holds the AEAD request, its scatterlist and what the completion needs.
 */
#include <linux/ip.h>
#include <linux/skbuff.h>
#include <linux/slab.h>
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

static size_t nfesp_pkt_req_off(void)
{
	return ALIGN(sizeof(struct nfesp_pkt), crypto_tfm_ctx_alignment());
}

static size_t nfesp_pkt_sg_off(struct crypto_aead *aead)
{
	return ALIGN(nfesp_pkt_req_off() + sizeof(struct aead_request) +
		     crypto_aead_reqsize(aead), __alignof__(struct scatterlist));
}

/*
 * One block for one packet: the context, the request and @nsg scatterlist
 * entries. Holds a reference on @sa and counts as in flight in @nn until
 * nfesp_pkt_free(), so a namespace does not go away under it.
 * ERR_PTR(-ENOENT) if @sa, found under RCU, is already on its way out.
 */
struct nfesp_pkt *nfesp_pkt_alloc(struct nfesp_net *nn, struct nfesp_sa *sa,
				  struct sk_buff *skb, unsigned int nsg)
{
	struct nfesp_pkt *pkt;

	if (!refcount_inc_not_zero(&sa->refcnt))
		return ERR_PTR(-ENOENT);
	pkt = kmalloc(nfesp_pkt_sg_off(sa->aead) +
		      nsg * sizeof(struct scatterlist), GFP_ATOMIC);
	if (!pkt) {
		nfesp_sa_put(sa);
		return ERR_PTR(-ENOMEM);
	}
	pkt->nn = nn;
	pkt->sa = sa;
	pkt->skb = skb;
	atomic_inc(&nn->inflight);
	return pkt;
}

static struct aead_request *nfesp_pkt_req(struct nfesp_pkt *pkt)
{
	return (void *)pkt + nfesp_pkt_req_off();
}

static struct scatterlist *nfesp_pkt_sg(struct nfesp_pkt *pkt)
{
	return (void *)pkt + nfesp_pkt_sg_off(pkt->sa->aead);
}

void nfesp_pkt_free(struct nfesp_pkt *pkt)
{
	struct nfesp_net *nn = pkt->nn;

	nfesp_sa_put(pkt->sa);
	kfree(pkt);
	if (atomic_dec_and_test(&nn->inflight))
		wake_up_var(&nn->inflight);
}

/*
 * Points @pkt's AEAD request at the ESP packet at @esp_off of @skb, to work
 * in place: the AAD (SPI and sequence number, in @pkt), then IV, @clen
 * bytes of payload and trailer, and the ICV. Decryption covers the ICV
 * too. NULL if the packet does not fit the @nsg scatterlist entries.
 */
struct aead_request *nfesp_pkt_prepare(struct nfesp_pkt *pkt,
				       unsigned int nsg, unsigned int esp_off,
				       unsigned int clen, bool decrypt,
				       crypto_completion_t done)
{
	struct crypto_aead *aead = pkt->sa->aead;
	unsigned int ivlen = crypto_aead_ivsize(aead);
	unsigned int icvlen = crypto_aead_authsize(aead);
	struct scatterlist *sg = nfesp_pkt_sg(pkt);
	struct aead_request *req = nfesp_pkt_req(pkt);
	unsigned int aadlen;

	aadlen = nfesp_esp_aad(pkt->aad, pkt->sa->key.spi, pkt->seq,
			       pkt->sa->flags & NFESP_SA_F_ESN);
	sg_init_table(sg, nsg);
	sg_set_buf(sg, pkt->aad, aadlen);
	if (skb_to_sgvec(pkt->skb, sg + 1, esp_off + sizeof(struct ip_esp_hdr),
			 ivlen + clen + icvlen) < 0)
		return NULL;
	aead_request_set_tfm(req, aead);
	aead_request_set_callback(req, CRYPTO_TFM_REQ_MAY_BACKLOG, done, pkt);
	aead_request_set_crypt(req, sg, sg, clen + (decrypt ? icvlen : 0),
			       pkt->iv);
	aead_request_set_ad(req, aadlen + ivlen);
	return req;
}

/* The namespace is going and its hooks are gone: waits for the stragglers. */
void nfesp_pkt_drain(struct nfesp_net *nn)
{
	wait_var_event(&nn->inflight, !atomic_read(&nn->inflight));
}
