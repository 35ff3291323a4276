// SPDX-License-Identifier: GPL-2.0
/* Encrypted fragments (RFC 7383): made from a sealed message, and put together. */
#include <stdlib.h>
#include <string.h>

#include "crypto.h"
#include "frag.h"
#include "ike.h"
#include "net.h"

void frag_reset(struct ike_frags *f)
{
	unsigned int i;

	for (i = 0; i < FRAG_MAX; i++) {
		if (f->part[i])
			ike_wipe(f->part[i], f->part_len[i]);
		free(f->part[i]);
	}
	memset(f, 0, sizeof(*f));
}

/* The most bytes of an IKE message in one datagram to @sa's peer. */
static size_t datagram_room(const struct ike_sa *sa)
{
	size_t ip = sa->remote.ss_family == AF_INET ? 20 : 40;
	size_t size = sa->conn->fragment_size;

	/* UDP, and on port 4500 the four zero bytes before IKE (RFC 3948). */
	return size - ip - 8 - (sockaddr_port(&sa->remote) == IKE_NATT_PORT ? 4 : 0);
}

static void put_u16(uint8_t *p, size_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

static void put_u32(uint8_t *p, size_t v)
{
	p[0] = (uint8_t)(v >> 24);
	p[1] = (uint8_t)(v >> 16);
	p[2] = (uint8_t)(v >> 8);
	p[3] = (uint8_t)v;
}

/* One fragment: @msg's header, SKF (number @num of @total), @chunk sealed. */
static bool send_fragment(struct ike_sa *sa, const uint8_t *msg, uint8_t first,
			  unsigned int num, unsigned int total, const uint8_t *chunk,
			  size_t chunk_len)
{
	size_t body = ike_sk_overhead(&sa->suite, chunk_len), aad = IKE_HDR_LEN + 4 + IKE_SKF_NUMS_LEN;
	size_t out_len = 0;
	uint8_t *d = malloc(aad + body);
	bool ok;

	if (!d)
		return false;
	memcpy(d, msg, IKE_HDR_LEN);
	d[16] = IKE_PL_SKF;
	put_u32(d + 24, aad + body);
	d[IKE_HDR_LEN] = num == 1 ? first : IKE_PL_NONE;
	d[IKE_HDR_LEN + 1] = 0;
	put_u16(d + IKE_HDR_LEN + 2, 4 + IKE_SKF_NUMS_LEN + body);
	put_u16(d + IKE_HDR_LEN + 4, num);
	put_u16(d + IKE_HDR_LEN + 6, total);
	ok = ike_sk_seal(&sa->suite, &sa->keys, sa->initiator, d, aad, chunk, chunk_len,
			 d + aad, &out_len) && out_len == body &&
	     net_send(&sa->local, &sa->remote, d, aad + body);
	sa->bytes_out += aad + body;
	free(d);
	return ok;
}

bool frag_send(struct ike_sa *sa, const struct ike_buf *msg)
{
	static uint8_t plain[IKE_MAX_MSG];
	size_t plain_len, room, chunk, head = IKE_HDR_LEN + 4 + IKE_SKF_NUMS_LEN, off;
	unsigned int total, i;
	const char *err;

	if (!sa->peer_fragments || !sa->conn || msg->len <= datagram_room(sa) ||
	    msg->len < IKE_HDR_LEN + 4 || msg->data[16] != IKE_PL_SK)
		return false;
	/* Our own message opened again: its payloads go in the fragments. */
	if (!ike_sk_open(&sa->suite, &sa->keys, sa->initiator, msg->data, msg->len,
			 IKE_HDR_LEN + 4, plain, sizeof(plain), &plain_len, &err))
		return false;
	room = datagram_room(sa);
	chunk = room > head + ike_sk_overhead(&sa->suite, 0) + 16 ?
		room - head - ike_sk_overhead(&sa->suite, 0) : 16;
	/* Padding: a chunk rounded down to the cipher's block fits. */
	chunk -= chunk % 16;
	total = (unsigned int)((plain_len + chunk - 1) / chunk);
	if (!total || total > FRAG_MAX) {
		ike_wipe(plain, plain_len);
		return false;
	}
	for (i = 1, off = 0; i <= total; i++, off += chunk) {
		size_t len = plain_len - off < chunk ? plain_len - off : chunk;

		if (!send_fragment(sa, msg->data, msg->data[IKE_HDR_LEN], i, total,
				   plain + off, len))
			ike_log(sa, "cannot send fragment %u of %u", i, total);
	}
	ike_wipe(plain, plain_len);
	return true;
}

int frag_receive(struct ike_sa *sa, const struct ike_header *hdr,
		 const uint8_t *msg, size_t len, const struct ike_payload *skf,
		 uint8_t *plain, size_t cap, size_t *plain_len, uint8_t *first,
		 const char **err)
{
	static uint8_t piece[IKE_MAX_MSG];
	struct ike_frags *f = &sa->frags;
	bool response = hdr->flags & IKE_FLAG_RESPONSE;
	unsigned int num, total, i;
	size_t piece_len, off;

	if (ike_parse_skf(skf, FRAG_MAX, &num, &total, err))
		return -1;
	if (!ike_sk_open(&sa->suite, &sa->keys, !sa->initiator, msg, len,
			 (size_t)(skf->body - msg) + IKE_SKF_NUMS_LEN, piece, sizeof(piece),
			 &piece_len, err))
		return -1;
	/* Another message, or one too slow: what was kept goes (7383 2.6.2). */
	if (f->total && (f->msg_id != hdr->msg_id || f->response != response ||
			 time(NULL) - f->started > FRAG_TIMEOUT))
		frag_reset(f);
	/*
	 * Another total (RFC 7383 2.6.2): a larger one is the sender's smaller
	 * fragments (a smaller path MTU), so the reassembly starts over with
	 * it; a smaller one is stale.
	 */
	if (f->total && total < f->total) {
		*err = "an SKF fragment of a smaller total than the others";
		ike_wipe(piece, piece_len);
		return -1;
	}
	if (f->total && total > f->total)
		frag_reset(f);
	if (!f->total) {
		f->msg_id = hdr->msg_id;
		f->response = response;
		f->total = (uint16_t)total;
		f->started = time(NULL);
	}
	if (f->part[num - 1]) {
		ike_wipe(piece, piece_len);
		return 0;	/* a duplicate */
	}
	if (f->bytes + piece_len > FRAG_MAX_BYTES || f->bytes + piece_len > cap) {
		frag_reset(f);
		ike_wipe(piece, piece_len);
		*err = "SKF fragments larger than a message may be";
		return -1;
	}
	f->part[num - 1] = malloc(piece_len ? piece_len : 1);
	if (!f->part[num - 1]) {
		ike_wipe(piece, piece_len);
		*err = "out of memory";
		return -1;
	}
	memcpy(f->part[num - 1], piece, piece_len);
	ike_wipe(piece, piece_len);
	f->part_len[num - 1] = piece_len;
	f->bytes += piece_len;
	f->have++;
	if (num == 1)
		f->first_type = skf->body[-4];
	if (f->have < f->total)
		return 0;
	for (i = 0, off = 0; i < f->total; i++) {
		memcpy(plain + off, f->part[i], f->part_len[i]);
		off += f->part_len[i];
	}
	*plain_len = off;
	*first = f->first_type;
	frag_reset(f);
	return 1;
}

bool frag_retransmitted(struct ike_sa *sa, const struct ike_header *hdr,
			const uint8_t *msg, size_t len)
{
	static uint8_t piece[IKE_MAX_MSG];
	struct ike_payload pl[IKE_MAX_PAYLOADS];
	const struct ike_payload *skf;
	size_t piece_len;
	unsigned int n, num, total;
	const char *err;
	bool first;

	if (ike_parse_chain(hdr->next_payload, msg + IKE_HDR_LEN, len - IKE_HDR_LEN, pl,
			    IKE_MAX_PAYLOADS, &n, &err) ||
	    !(skf = ike_find(pl, n, IKE_PL_SKF)) ||
	    ike_parse_skf(skf, FRAG_MAX, &num, &total, &err) || num != 1)
		return false;
	first = ike_sk_open(&sa->suite, &sa->keys, !sa->initiator, msg, len,
			    (size_t)(skf->body - msg) + IKE_SKF_NUMS_LEN, piece, sizeof(piece),
			    &piece_len, &err);
	ike_wipe(piece, piece_len);
	return first;
}
