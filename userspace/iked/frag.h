/* SPDX-License-Identifier: GPL-2.0 */
/*
 * IKE message fragmentation (RFC 7383): a protected message too large for
 * one datagram goes as Encrypted Fragment (SKF) payloads, each sealed on
 * its own; the peer's are opened one by one and put together, within
 * bounds of count, size and time.
 */
#ifndef IKED_FRAG_H
#define IKED_FRAG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "payload.h"

/* The most fragments of one message taken, and its most bytes in the clear:
 * a peer that did IKE_SA_INIT holds at most this much of iked's memory in
 * an SA (strongSwan's whole messages stop at 10,000 bytes).
 */
#define FRAG_MAX		32
#define FRAG_MAX_BYTES		32768
/* Fragments of a message that is not whole by then are dropped. */
#define FRAG_TIMEOUT		30
/* The largest IP datagram iked sends unless fragment_size says (7383 2.5.1). */
#define FRAG_DEFAULT_SIZE	1280

struct ike_sa;

/* The fragments of one message being put together. */
struct ike_frags {
	uint32_t msg_id;
	bool response;
	uint16_t total, have;
	uint8_t first_type;		/* of fragment 1's Next Payload */
	size_t bytes;
	time_t started;
	uint8_t *part[FRAG_MAX];	/* [number - 1] */
	size_t part_len[FRAG_MAX];
};

/*
 * Sends @msg (a sealed SK message of @sa) in fragments when the peer takes
 * them and it is larger than one datagram may be; false when it is not to
 * be fragmented (the caller sends it whole).
 */
bool frag_send(struct ike_sa *sa, const struct ike_buf *msg);

/*
 * A message of @sa whose first payload is @skf (SKF): opened and kept.
 * Returns 1 when the message is whole (its payloads in @plain, @plain_len,
 * its first payload's type in @first), 0 while fragments are missing, -1
 * when it is dropped (why in @err).
 */
int frag_receive(struct ike_sa *sa, const struct ike_header *hdr,
		 const uint8_t *msg, size_t len, const struct ike_payload *skf,
		 uint8_t *plain, size_t cap, size_t *plain_len, uint8_t *first,
		 const char **err);

/* Whether @msg, an SKF message, is authentic and the first fragment: the
 * peer sends the message again.
 */
bool frag_retransmitted(struct ike_sa *sa, const struct ike_header *hdr,
			const uint8_t *msg, size_t len);

/* Forgets what was being put together. */
void frag_reset(struct ike_frags *f);

#endif
