/* SPDX-License-Identifier: GPL-2.0 */
/*
 * IKEv2 messages on the wire: the header, the payload chain and each
 * payload's body (RFC 7296 section 3). Parsing never trusts a length: every
 * function checks what it reads against what it was given and says what is
 * wrong in *err (a static string) when it fails.
 */
#ifndef IKED_PAYLOAD_H
#define IKED_PAYLOAD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <netinet/in.h>

#include "ikev2.h"

#define IKE_MAX_PAYLOADS	32
#define IKE_MAX_TRANSFORMS	64	/* strongSwan 5.9 proposes 34 and 36 */
#define IKE_MAX_PROPOSALS	16
#define IKE_MAX_TS		8	/* a side of a connection or a CHILD SA */
/* In a peer's request: ours and an ACQUIRE's flow ahead of them, or more
 * from peers of other kinds; narrowing keeps at most IKE_MAX_TS.
 */
#define IKE_MAX_TS_PEER		16
#define IKE_MAX_MSG		65535

struct ike_header {
	uint8_t spi_i[IKE_SPI_LEN];
	uint8_t spi_r[IKE_SPI_LEN];
	uint8_t next_payload;
	uint8_t version;
	uint8_t exchange;
	uint8_t flags;
	uint32_t msg_id;
	uint32_t length;
};

/* One payload of a chain: its body, without the generic header. */
struct ike_payload {
	uint8_t type;
	bool critical;
	const uint8_t *body;
	size_t len;
};

/* Reads the fixed header; checks the version and that length == @len. */
int ike_parse_header(const uint8_t *buf, size_t len, struct ike_header *hdr,
		     const char **err);

/*
 * Splits the chain that starts with payload type @first in @buf[0..len) into
 * @pl (at most @max). For the outer chain, @buf is the message after the
 * header; an SK payload must be the last one (its body is returned as is).
 * For a decrypted SK body, @first is the SK payload's next-payload field.
 */
int ike_parse_chain(uint8_t first, const uint8_t *buf, size_t len,
		    struct ike_payload *pl, unsigned int max, unsigned int *n,
		    const char **err);

/* The type of the first critical payload iked does not know, 0 if none
 * (RFC 7296 2.5: the message is refused with UNSUPPORTED_CRITICAL_PAYLOAD).
 */
uint8_t ike_unknown_critical(const struct ike_payload *pl, unsigned int n);

/* The first payload of @type in @pl[0..n), or NULL. */
const struct ike_payload *ike_find(const struct ike_payload *pl, unsigned int n,
				   uint8_t type);

/* Whether there is a payload of @type; *out gets the first, or NULL. */
bool ike_has(const struct ike_payload *pl, unsigned int n, uint8_t type,
	     const struct ike_payload **out);
/* The same for a payload that must be there: -1 and *err if it is not. */
int ike_need(const struct ike_payload *pl, unsigned int n, uint8_t type,
	     const struct ike_payload **out, const char **err);

/* A growing output buffer; a failed allocation sets failed, later puts do nothing. */
struct ike_buf {
	uint8_t *data;
	size_t len;
	size_t cap;
	bool failed;
};

/* Appends @len bytes of @data, or of zeros when @data is NULL. */
void ike_buf_put(struct ike_buf *b, const void *data, size_t len);
void ike_buf_u8(struct ike_buf *b, uint8_t v);
void ike_buf_u16(struct ike_buf *b, uint16_t v);	/* network order */
void ike_buf_u32(struct ike_buf *b, uint32_t v);
void ike_buf_free(struct ike_buf *b);	/* wipes, then frees */

/*
 * Writes a payload chain into a buffer: each payload's type goes into the
 * next-payload field of the one before (or of the header, or, for a chain
 * without a header, into first_type).
 */
struct ike_writer {
	struct ike_buf buf;
	size_t next_off;	/* where the next payload's type goes */
	bool has_header;
	uint8_t first_type;
};

/* Starts a message with @hdr (length and next_payload filled in later). */
void ike_writer_message(struct ike_writer *w, const struct ike_header *hdr);
/* Starts a bare chain (the plaintext of an SK payload). */
void ike_writer_chain(struct ike_writer *w);
/* Opens a payload of @type; returns its offset for ike_writer_end(). */
size_t ike_writer_begin(struct ike_writer *w, uint8_t type, bool critical);
/* Fills in the length of the payload opened at @off. */
void ike_writer_end(struct ike_writer *w, size_t off);
/* Fills in the message length (messages only). Returns false if out of memory. */
bool ike_writer_finish(struct ike_writer *w);

/* Transforms and proposals (SA payload). */
struct ike_transform {
	uint8_t type;		/* IKE_TT_* */
	uint16_t id;
	uint16_t key_bits;	/* 0: no key length attribute */
};

struct ike_proposal {
	uint8_t num;		/* proposal number, from 1 */
	uint8_t protocol;	/* IKE_PROTO_IKE or IKE_PROTO_ESP */
	uint8_t spi_len;	/* 0, 4 (ESP) or 8 (IKE rekey) */
	uint8_t spi[IKE_SPI_LEN];
	unsigned int n;
	struct ike_transform t[IKE_MAX_TRANSFORMS];
};

/* Unknown transform types and attributes are kept as they are (matching
 * refuses the proposal); a proposal with too many transforms is an error.
 */
int ike_parse_sa(const struct ike_payload *pl, struct ike_proposal *props,
		 unsigned int max, unsigned int *n, const char **err);
void ike_put_sa(struct ike_writer *w, const struct ike_proposal *props,
		unsigned int n);

/* KE */
int ike_parse_ke(const struct ike_payload *pl, uint16_t *group,
		 const uint8_t **data, size_t *len, const char **err);
void ike_put_ke(struct ike_writer *w, uint16_t group, const uint8_t *data,
		size_t len);

/* Nonce: checks 16..256 bytes. */
int ike_parse_nonce(const struct ike_payload *pl, const uint8_t **data,
		    size_t *len, const char **err);
void ike_put_nonce(struct ike_writer *w, const uint8_t *data, size_t len);

/* Notify */
struct ike_notify {
	uint8_t protocol;
	uint8_t spi_len;
	uint16_t type;
	uint8_t spi[IKE_SPI_LEN];
	const uint8_t *data;
	size_t len;
};

int ike_parse_notify(const struct ike_payload *pl, struct ike_notify *nt,
		     const char **err);
void ike_put_notify(struct ike_writer *w, uint8_t protocol, const uint8_t *spi,
		    uint8_t spi_len, uint16_t type, const void *data, size_t len);

/* ID (IDi, IDr): the body after the 4 bytes of type and reserved is data. */
int ike_parse_id(const struct ike_payload *pl, uint8_t *type,
		 const uint8_t **data, size_t *len, const char **err);
void ike_put_id(struct ike_writer *w, uint8_t payload, uint8_t type,
		const void *data, size_t len);

/* AUTH */
int ike_parse_auth(const struct ike_payload *pl, uint8_t *method,
		   const uint8_t **data, size_t *len, const char **err);
void ike_put_auth(struct ike_writer *w, uint8_t method, const uint8_t *data,
		  size_t len);

/*
 * CERT and CERTREQ (3.6, 3.7): an encoding byte, then data. Of CERT iked
 * takes X.509 certificates (encoding 4, @der a certificate's DER to hand
 * to OpenSSL); of CERTREQ the SHA-1 hashes of CAs' keys (20 bytes each).
 */
#define IKE_CERT_X509_SIGNATURE	4
#define IKE_CERTREQ_HASH_LEN	20
int ike_parse_cert(const struct ike_payload *pl, const uint8_t **der, size_t *len,
		   const char **err);
int ike_parse_certreq(const struct ike_payload *pl, const uint8_t **hashes,
		      unsigned int *n, const char **err);

/* SKF (RFC 7383 2.5): the fragment's number and the total, then sealed. */
#define IKE_SKF_NUMS_LEN	4
int ike_parse_skf(const struct ike_payload *pl, unsigned int max, unsigned int *num,
		  unsigned int *total, const char **err);

/* Traffic selectors (TSi, TSr): address ranges of one family. */
struct ike_ts {
	uint8_t type;		/* IKE_TS_IPV4_ADDR_RANGE or _IPV6_ */
	uint8_t proto;		/* 0: any */
	uint16_t sport, eport;	/* port range, host order; 0-65535: any */
	uint8_t saddr[16];	/* start address, 4 or 16 bytes used */
	uint8_t eaddr[16];	/* end address */
};

/* Selectors of an unknown type are skipped, not an error. */
int ike_parse_ts(const struct ike_payload *pl, struct ike_ts *ts,
		 unsigned int max, unsigned int *n, const char **err);
void ike_put_ts(struct ike_writer *w, uint8_t payload, const struct ike_ts *ts,
		unsigned int n);

/* Delete: @spis is @count SPIs of @spi_len bytes each (0 for the IKE SA). */
int ike_parse_delete(const struct ike_payload *pl, uint8_t *protocol,
		     uint8_t *spi_len, uint16_t *count, const uint8_t **spis,
		     const char **err);
void ike_put_delete(struct ike_writer *w, uint8_t protocol, uint8_t spi_len,
		    uint16_t count, const uint8_t *spis);

#endif
