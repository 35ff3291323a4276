// SPDX-License-Identifier: GPL-2.0
/*
 * The inbound anti-replay window (RFC 4303 section 3.4.3), as a ring of bits
 * in the manner of RFC 6479: moving the window forward clears whole words
 * instead of shifting the bitmap, so a window of thousands of packets costs
 * no more per packet than one of 64.
 */
#include <linux/bitops.h>
#include <linux/log2.h>
#include <linux/slab.h>

#include "nfesp.h"

/*
 * A window of @window packets (0: only numbers above the highest seen,
 * as XFRM does; the caller refuses 0 with ESN) and, with @esn, the
 * 64-bit sequence numbers of RFC 4303 appendix A.
 */
struct nfesp_replay *nfesp_replay_alloc(u32 window, bool esn, gfp_t gfp)
{
	struct nfesp_replay *r;
	unsigned int words;

	/* One word more than the window, so clearing ahead never reaches it. */
	words = roundup_pow_of_two(DIV_ROUND_UP(max_t(u32, window, 1),
						BITS_PER_LONG) + 1);
	r = kzalloc(struct_size(r, bits, words), gfp);
	if (!r)
		return NULL;
	spin_lock_init(&r->lock);
	r->window = window;
	r->esn = esn;
	r->mask = words * BITS_PER_LONG - 1;
	return r;
}
NFESP_EXPORT_FOR_KUNIT(nfesp_replay_alloc);

/*
 * The full sequence number of a packet that carries @seq_lo: the one
 * closest to the window (RFC 4303 appendix A2.2). Without ESN, @seq_lo.
 */
u64 nfesp_replay_seq(const struct nfesp_replay *r, u32 seq_lo)
{
	u64 top = READ_ONCE(r->top);
	u32 top_lo = lower_32_bits(top), top_hi = upper_32_bits(top);
	/* The window used to guess at the high bits; never 0. */
	u32 w = max_t(u32, r->window, 1);
	u32 bottom = top_lo - w + 1;

	if (!r->esn)
		return seq_lo;
	if (top_lo >= w - 1) {
		/* The window lies within one 2^32 block. */
		if (seq_lo < bottom)
			top_hi++;
	} else if (seq_lo >= bottom && top_hi) {
		/* The window straddles a block boundary: an old packet. */
		top_hi--;
	}
	return (u64)top_hi << 32 | seq_lo;
}
NFESP_EXPORT_FOR_KUNIT(nfesp_replay_seq);

static bool nfesp_replay_bit(const struct nfesp_replay *r, u64 seq)
{
	return test_bit(seq & r->mask, r->bits);
}

/* Whether @seq is new and inside the window; the caller holds r->lock. */
static bool nfesp_replay_ok_locked(const struct nfesp_replay *r, u64 seq)
{
	if (!seq)
		return false;	/* never sent: numbering starts at 1 */
	if (seq > r->top)
		return true;
	if (r->top - seq >= r->window)
		return false;	/* too old */
	return !nfesp_replay_bit(r, seq);
}

/* Before the ICV is checked: is @seq worth decrypting? */
bool nfesp_replay_check(struct nfesp_replay *r, u64 seq)
{
	bool ok;

	if (!r->window)
		return seq != 0;
	spin_lock_bh(&r->lock);
	ok = nfesp_replay_ok_locked(r, seq);
	spin_unlock_bh(&r->lock);
	return ok;
}
NFESP_EXPORT_FOR_KUNIT(nfesp_replay_check);

/*
 * After the ICV is verified: records @seq. False if it has been seen in
 * the meantime (two copies of a packet decrypted at once).
 */
bool nfesp_replay_advance(struct nfesp_replay *r, u64 seq)
{
	unsigned int words = (r->mask + 1) / BITS_PER_LONG;
	bool ok;

	spin_lock_bh(&r->lock);
	if (!r->window) {
		/* No window: the top is kept only to infer ESN high bits. */
		if (seq > r->top)
			WRITE_ONCE(r->top, seq);
		spin_unlock_bh(&r->lock);
		return true;
	}
	ok = nfesp_replay_ok_locked(r, seq);
	if (ok && seq > r->top) {
		u64 from = r->top / BITS_PER_LONG + 1;
		u64 to = seq / BITS_PER_LONG;
		u64 w;

		/* Clear the words the window moves onto, at most all of them. */
		if (to >= from && to - from >= words)
			from = to - words + 1;
		for (w = from; w <= to; w++)
			r->bits[w & (words - 1)] = 0;
		WRITE_ONCE(r->top, seq);
	}
	if (ok)
		__set_bit(seq & r->mask, r->bits);
	spin_unlock_bh(&r->lock);
	return ok;
}
NFESP_EXPORT_FOR_KUNIT(nfesp_replay_advance);
