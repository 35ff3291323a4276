// SPDX-License-Identifier: GPL-2.0
/*
 * IKEv2 messages on the wire (RFC 7296 section 3): parsing that checks every
 * length against what it was given, and a writer that fills in lengths and
 * next-payload fields as payloads are added.
 */
#define _GNU_SOURCE
#include <stdlib.h>
#include <string.h>

#include "payload.h"

static uint16_t get16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

static uint32_t get32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	       (uint32_t)p[2] << 8 | p[3];
}

static void set16(uint8_t *p, uint16_t v)
{
	p[0] = v >> 8;
	p[1] = v & 0xff;
}

static void set32(uint8_t *p, uint32_t v)
{
	p[0] = v >> 24;
	p[1] = (v >> 16) & 0xff;
	p[2] = (v >> 8) & 0xff;
	p[3] = v & 0xff;
}

static int fail(const char **err, const char *msg)
{
	if (err)
		*err = msg;
	return -1;
}

int ike_parse_header(const uint8_t *buf, size_t len, struct ike_header *hdr,
		     const char **err)
{
	if (len < IKE_HDR_LEN)
		return fail(err, "message shorter than the IKE header");
	memcpy(hdr->spi_i, buf, IKE_SPI_LEN);
	memcpy(hdr->spi_r, buf + 8, IKE_SPI_LEN);
	hdr->next_payload = buf[16];
	hdr->version = buf[17];
	hdr->exchange = buf[18];
	hdr->flags = buf[19];
	hdr->msg_id = get32(buf + 20);
	hdr->length = get32(buf + 24);
	if ((hdr->version >> 4) != (IKE_VERSION >> 4))
		return fail(err, "unsupported IKE major version");
	if (hdr->length != len)
		return fail(err, "IKE header length does not match the message");
	return 0;
}

int ike_parse_chain(uint8_t first, const uint8_t *buf, size_t len,
		    struct ike_payload *pl, unsigned int max, unsigned int *n,
		    const char **err)
{
	uint8_t type = first;
	size_t off = 0, plen;

	*n = 0;
	while (type != IKE_PL_NONE) {
		if (*n >= max)
			return fail(err, "too many payloads");
		if (len - off < IKE_PAYLOAD_HDR_LEN)
			return fail(err, "payload header past the end");
		plen = get16(buf + off + 2);
		if (plen < IKE_PAYLOAD_HDR_LEN)
			return fail(err, "payload length below 4");
		if (plen > len - off)
			return fail(err, "payload length past the end");
		/* The 7 reserved bits are ignored on receipt (RFC 7296 3.2). */
		pl[*n].type = type;
		pl[*n].critical = buf[off + 1] & 0x80;
		pl[*n].body = buf + off + IKE_PAYLOAD_HDR_LEN;
		pl[*n].len = plen - IKE_PAYLOAD_HDR_LEN;
		(*n)++;
		if (type == IKE_PL_SK || type == IKE_PL_SKF) {
			/* Its next-payload field names the inner chain. */
			if (off + plen != len)
				return fail(err, "encrypted payload is not the last one");
			return 0;
		}
		type = buf[off];
		off += plen;
	}
	if (off != len)
		return fail(err, "bytes after the last payload");
	return 0;
}

uint8_t ike_unknown_critical(const struct ike_payload *pl, unsigned int n)
{
	unsigned int i;

	for (i = 0; i < n; i++)
		if (pl[i].critical &&
		    (pl[i].type < IKE_PL_SA || pl[i].type > IKE_PL_EAP))
			return pl[i].type;
	return 0;
}

const struct ike_payload *ike_find(const struct ike_payload *pl, unsigned int n,
				   uint8_t type)
{
	unsigned int i;

	for (i = 0; i < n; i++)
		if (pl[i].type == type)
			return &pl[i];
	return NULL;
}

/* Grows by copying rather than realloc so old copies of secrets are wiped. */
static bool ike_buf_grow(struct ike_buf *b, size_t need)
{
	size_t cap = b->cap ? b->cap : 256;
	uint8_t *data;

	while (cap < need) {
		if (cap > SIZE_MAX / 2)
			return false;
		cap *= 2;
	}
	data = malloc(cap);
	if (!data)
		return false;
	if (b->data) {
		memcpy(data, b->data, b->len);
		explicit_bzero(b->data, b->cap);
		free(b->data);
	}
	b->data = data;
	b->cap = cap;
	return true;
}

void ike_buf_put(struct ike_buf *b, const void *data, size_t len)
{
	if (b->failed || !len)
		return;
	if (len > SIZE_MAX - b->len ||
	    (b->len + len > b->cap && !ike_buf_grow(b, b->len + len))) {
		b->failed = true;
		return;
	}
	if (data)
		memcpy(b->data + b->len, data, len);
	else
		memset(b->data + b->len, 0, len);
	b->len += len;
}

void ike_buf_u8(struct ike_buf *b, uint8_t v)
{
	ike_buf_put(b, &v, 1);
}

void ike_buf_u16(struct ike_buf *b, uint16_t v)
{
	uint8_t p[2];

	set16(p, v);
	ike_buf_put(b, p, sizeof(p));
}

void ike_buf_u32(struct ike_buf *b, uint32_t v)
{
	uint8_t p[4];

	set32(p, v);
	ike_buf_put(b, p, sizeof(p));
}

void ike_buf_free(struct ike_buf *b)
{
	if (b->data) {
		explicit_bzero(b->data, b->cap);
		free(b->data);
	}
	memset(b, 0, sizeof(*b));
}

static void ike_buf_zero(struct ike_buf *b, size_t len)
{
	static const uint8_t zero[8];

	while (len) {
		size_t k = len < sizeof(zero) ? len : sizeof(zero);

		ike_buf_put(b, zero, k);
		len -= k;
	}
}

void ike_writer_message(struct ike_writer *w, const struct ike_header *hdr)
{
	memset(w, 0, sizeof(*w));
	w->has_header = true;
	ike_buf_put(&w->buf, hdr->spi_i, IKE_SPI_LEN);
	ike_buf_put(&w->buf, hdr->spi_r, IKE_SPI_LEN);
	w->next_off = w->buf.len;
	ike_buf_u8(&w->buf, IKE_PL_NONE);
	ike_buf_u8(&w->buf, hdr->version);
	ike_buf_u8(&w->buf, hdr->exchange);
	ike_buf_u8(&w->buf, hdr->flags);
	ike_buf_u32(&w->buf, hdr->msg_id);
	ike_buf_u32(&w->buf, 0);
}

void ike_writer_chain(struct ike_writer *w)
{
	memset(w, 0, sizeof(*w));
}

size_t ike_writer_begin(struct ike_writer *w, uint8_t type, bool critical)
{
	size_t off = w->buf.len;

	/* A bare chain's first payload is named by first_type alone. */
	if (!w->has_header && !off)
		w->first_type = type;
	else if (!w->buf.failed)
		w->buf.data[w->next_off] = type;
	ike_buf_u8(&w->buf, IKE_PL_NONE);
	ike_buf_u8(&w->buf, critical ? 0x80 : 0);
	ike_buf_u16(&w->buf, 0);
	w->next_off = off;
	return off;
}

void ike_writer_end(struct ike_writer *w, size_t off)
{
	size_t len;

	if (w->buf.failed)
		return;
	len = w->buf.len - off;
	if (len > UINT16_MAX) {
		w->buf.failed = true;
		return;
	}
	set16(w->buf.data + off + 2, len);
}

bool ike_writer_finish(struct ike_writer *w)
{
	if (w->buf.failed)
		return false;
	if (w->has_header) {
		if (w->buf.len > IKE_MAX_MSG)
			return false;
		set32(w->buf.data + 24, w->buf.len);
	}
	return true;
}

/* SA payload: proposals of transforms of attributes (RFC 7296 3.3). */

#define PROP_HDR_LEN	8
#define TRANS_HDR_LEN	8
#define PROP_LAST	0
#define PROP_MORE	2
#define TRANS_LAST	0
#define TRANS_MORE	3
#define KEY_BITS_UNMATCHABLE	0xffff

/* Transform attributes; any but one key length makes it unmatchable. */
static int parse_attrs(const uint8_t *p, size_t len, struct ike_transform *t,
		       const char **err)
{
	bool have_key = false;
	size_t off = 0, alen;
	uint16_t type;

	t->key_bits = 0;
	while (off < len) {
		if (len - off < 4)
			return fail(err, "transform attribute past the end");
		type = get16(p + off);
		if (type & IKE_ATTR_TV) {
			alen = 4;
		} else {
			alen = 4 + (size_t)get16(p + off + 2);
			if (alen > len - off)
				return fail(err, "transform attribute past the end");
		}
		if (type == (IKE_ATTR_TV | IKE_ATTR_KEY_LENGTH) && !have_key &&
		    get16(p + off + 2)) {
			if (t->key_bits != KEY_BITS_UNMATCHABLE)
				t->key_bits = get16(p + off + 2);
			have_key = true;
		} else {
			t->key_bits = KEY_BITS_UNMATCHABLE;
		}
		off += alen;
	}
	return 0;
}

static int parse_transforms(const uint8_t *p, size_t len, unsigned int count,
			    struct ike_proposal *pr, const char **err)
{
	size_t off = 0, tlen;
	unsigned int i;

	if (count > IKE_MAX_TRANSFORMS)
		return fail(err, "too many transforms in a proposal");
	for (i = 0; i < count; i++) {
		if (len - off < TRANS_HDR_LEN)
			return fail(err, "transform past the end of its proposal");
		tlen = get16(p + off + 2);
		if (tlen < TRANS_HDR_LEN || tlen > len - off)
			return fail(err, "bad transform length");
		if (p[off] != (i + 1 == count ? TRANS_LAST : TRANS_MORE))
			return fail(err,
				    "transform last/more byte does not match the count");
		pr->t[i].type = p[off + 4];
		pr->t[i].id = get16(p + off + 6);
		if (parse_attrs(p + off + TRANS_HDR_LEN, tlen - TRANS_HDR_LEN,
				&pr->t[i], err))
			return -1;
		off += tlen;
	}
	if (off != len)
		return fail(err, "bytes after the last transform of a proposal");
	pr->n = count;
	return 0;
}

static bool spi_len_ok(uint8_t protocol, uint8_t spi_len)
{
	switch (protocol) {
	case IKE_PROTO_IKE:
		return spi_len == 0 || spi_len == IKE_SPI_LEN;
	case IKE_PROTO_AH:
	case IKE_PROTO_ESP:
		return spi_len == 4;
	default:
		return spi_len <= IKE_SPI_LEN;
	}
}

int ike_parse_sa(const struct ike_payload *pl, struct ike_proposal *props,
		 unsigned int max, unsigned int *n, const char **err)
{
	const uint8_t *p = pl->body;
	size_t len = pl->len, off = 0, plen;
	struct ike_proposal *pr;

	*n = 0;
	if (!len)
		return fail(err, "SA payload without proposals");
	while (off < len) {
		if (*n >= max)
			return fail(err, "too many proposals");
		if (len - off < PROP_HDR_LEN)
			return fail(err, "proposal header past the end");
		plen = get16(p + off + 2);
		if (plen < PROP_HDR_LEN || plen > len - off)
			return fail(err, "bad proposal length");
		if (p[off] != (off + plen == len ? PROP_LAST : PROP_MORE))
			return fail(err, "proposal last/more byte does not match");
		pr = &props[*n];
		memset(pr, 0, sizeof(*pr));
		pr->num = p[off + 4];
		pr->protocol = p[off + 5];
		pr->spi_len = p[off + 6];
		if (!spi_len_ok(pr->protocol, pr->spi_len))
			return fail(err, "bad SPI size in a proposal");
		if (plen - PROP_HDR_LEN < pr->spi_len)
			return fail(err, "proposal SPI past the end");
		memcpy(pr->spi, p + off + PROP_HDR_LEN, pr->spi_len);
		if (parse_transforms(p + off + PROP_HDR_LEN + pr->spi_len,
				     plen - PROP_HDR_LEN - pr->spi_len,
				     p[off + 7], pr, err))
			return -1;
		(*n)++;
		off += plen;
	}
	return 0;
}

static void put_transform(struct ike_buf *b, const struct ike_transform *t,
			  bool last)
{
	bool attr = t->key_bits != 0;

	ike_buf_u8(b, last ? TRANS_LAST : TRANS_MORE);
	ike_buf_u8(b, 0);
	ike_buf_u16(b, TRANS_HDR_LEN + (attr ? 4 : 0));
	ike_buf_u8(b, t->type);
	ike_buf_u8(b, 0);
	ike_buf_u16(b, t->id);
	if (attr) {
		ike_buf_u16(b, IKE_ATTR_TV | IKE_ATTR_KEY_LENGTH);
		ike_buf_u16(b, t->key_bits);
	}
}

static void put_proposal(struct ike_buf *b, const struct ike_proposal *pr,
			 bool last)
{
	size_t off = b->len;
	unsigned int i, n = pr->n;

	if (n > IKE_MAX_TRANSFORMS)
		n = IKE_MAX_TRANSFORMS;
	ike_buf_u8(b, last ? PROP_LAST : PROP_MORE);
	ike_buf_u8(b, 0);
	ike_buf_u16(b, 0);	/* filled in below */
	ike_buf_u8(b, pr->num);
	ike_buf_u8(b, pr->protocol);
	ike_buf_u8(b, pr->spi_len);
	ike_buf_u8(b, n);
	ike_buf_put(b, pr->spi, pr->spi_len <= IKE_SPI_LEN ? pr->spi_len : 0);
	for (i = 0; i < n; i++)
		put_transform(b, &pr->t[i], i + 1 == n);
	if (!b->failed)
		set16(b->data + off + 2, b->len - off);
}

void ike_put_sa(struct ike_writer *w, const struct ike_proposal *props,
		unsigned int n)
{
	size_t off = ike_writer_begin(w, IKE_PL_SA, false);
	unsigned int i;

	for (i = 0; i < n; i++)
		put_proposal(&w->buf, &props[i], i + 1 == n);
	ike_writer_end(w, off);
}

/* Payloads of a 4-byte fixed part and data. */

int ike_parse_ke(const struct ike_payload *pl, uint16_t *group,
		 const uint8_t **data, size_t *len, const char **err)
{
	if (pl->len <= 4)
		return fail(err, "KE payload too short");
	*group = get16(pl->body);
	*data = pl->body + 4;
	*len = pl->len - 4;
	return 0;
}

void ike_put_ke(struct ike_writer *w, uint16_t group, const uint8_t *data,
		size_t len)
{
	size_t off = ike_writer_begin(w, IKE_PL_KE, false);

	ike_buf_u16(&w->buf, group);
	ike_buf_u16(&w->buf, 0);
	ike_buf_put(&w->buf, data, len);
	ike_writer_end(w, off);
}

int ike_parse_nonce(const struct ike_payload *pl, const uint8_t **data,
		    size_t *len, const char **err)
{
	if (pl->len < IKE_NONCE_MIN)
		return fail(err, "nonce shorter than 16 bytes");
	if (pl->len > IKE_NONCE_MAX)
		return fail(err, "nonce longer than 256 bytes");
	*data = pl->body;
	*len = pl->len;
	return 0;
}

void ike_put_nonce(struct ike_writer *w, const uint8_t *data, size_t len)
{
	size_t off = ike_writer_begin(w, IKE_PL_NONCE, false);

	ike_buf_put(&w->buf, data, len);
	ike_writer_end(w, off);
}

int ike_parse_notify(const struct ike_payload *pl, struct ike_notify *nt,
		     const char **err)
{
	if (pl->len < 4)
		return fail(err, "notify payload too short");
	memset(nt, 0, sizeof(*nt));
	nt->protocol = pl->body[0];
	nt->spi_len = pl->body[1];
	nt->type = get16(pl->body + 2);
	if (nt->spi_len > IKE_SPI_LEN)
		return fail(err, "notify SPI size above 8");
	if (pl->len - 4 < nt->spi_len)
		return fail(err, "notify SPI past the end");
	memcpy(nt->spi, pl->body + 4, nt->spi_len);
	nt->data = pl->body + 4 + nt->spi_len;
	nt->len = pl->len - 4 - nt->spi_len;
	return 0;
}

void ike_put_notify(struct ike_writer *w, uint8_t protocol, const uint8_t *spi,
		    uint8_t spi_len, uint16_t type, const void *data, size_t len)
{
	size_t off = ike_writer_begin(w, IKE_PL_NOTIFY, false);

	ike_buf_u8(&w->buf, protocol);
	ike_buf_u8(&w->buf, spi_len);
	ike_buf_u16(&w->buf, type);
	ike_buf_put(&w->buf, spi, spi_len);
	ike_buf_put(&w->buf, data, len);
	ike_writer_end(w, off);
}

int ike_parse_id(const struct ike_payload *pl, uint8_t *type,
		 const uint8_t **data, size_t *len, const char **err)
{
	if (pl->len <= 4)
		return fail(err, "ID payload too short");
	*type = pl->body[0];
	*data = pl->body + 4;
	*len = pl->len - 4;
	if (*type == IKE_ID_IPV4_ADDR && *len != 4)
		return fail(err, "IPv4 address ID not 4 bytes");
	if (*type == IKE_ID_IPV6_ADDR && *len != 16)
		return fail(err, "IPv6 address ID not 16 bytes");
	return 0;
}

/* Type and 3 reserved bytes, then data: ID and AUTH. */
static void put_typed(struct ike_writer *w, uint8_t payload, uint8_t type,
		      const void *data, size_t len)
{
	size_t off = ike_writer_begin(w, payload, false);

	ike_buf_u8(&w->buf, type);
	ike_buf_zero(&w->buf, 3);
	ike_buf_put(&w->buf, data, len);
	ike_writer_end(w, off);
}

void ike_put_id(struct ike_writer *w, uint8_t payload, uint8_t type,
		const void *data, size_t len)
{
	put_typed(w, payload, type, data, len);
}

int ike_parse_auth(const struct ike_payload *pl, uint8_t *method,
		   const uint8_t **data, size_t *len, const char **err)
{
	if (pl->len <= 4)
		return fail(err, "AUTH payload too short");
	*method = pl->body[0];
	*data = pl->body + 4;
	*len = pl->len - 4;
	return 0;
}

void ike_put_auth(struct ike_writer *w, uint8_t method, const uint8_t *data,
		  size_t len)
{
	put_typed(w, IKE_PL_AUTH, method, data, len);
}

int ike_parse_cert(const struct ike_payload *pl, const uint8_t **der, size_t *len,
		   const char **err)
{
	if (pl->len < 2)
		return fail(err, "CERT payload too short");
	if (pl->body[0] != IKE_CERT_X509_SIGNATURE)
		return fail(err, "CERT of an encoding other than X.509 (4)");
	*der = pl->body + 1;
	*len = pl->len - 1;
	return 0;
}

int ike_parse_certreq(const struct ike_payload *pl, const uint8_t **hashes,
		      unsigned int *n, const char **err)
{
	if (pl->len < 1)
		return fail(err, "CERTREQ payload too short");
	if (pl->body[0] != IKE_CERT_X509_SIGNATURE)
		return fail(err, "CERTREQ of an encoding other than X.509 (4)");
	if ((pl->len - 1) % IKE_CERTREQ_HASH_LEN)
		return fail(err, "CERTREQ hashes not a multiple of 20 bytes");
	*hashes = pl->body + 1;
	*n = (unsigned int)((pl->len - 1) / IKE_CERTREQ_HASH_LEN);
	return 0;
}

int ike_parse_skf(const struct ike_payload *pl, unsigned int max, unsigned int *num,
		  unsigned int *total, const char **err)
{
	if (pl->len < IKE_SKF_NUMS_LEN)
		return fail(err, "SKF payload too short");
	*num = (unsigned int)(pl->body[0] << 8 | pl->body[1]);
	*total = (unsigned int)(pl->body[2] << 8 | pl->body[3]);
	if (!*num || *num > *total || *total > max)
		return fail(err, "SKF fragment number or total out of range");
	return 0;
}

/* Traffic selectors (RFC 7296 3.13.1). */

#define TS_HDR_LEN	8
#define TS_V4_LEN	(TS_HDR_LEN + 2 * 4)
#define TS_V6_LEN	(TS_HDR_LEN + 2 * 16)

static size_t ts_addr_len(uint8_t type)
{
	switch (type) {
	case IKE_TS_IPV4_ADDR_RANGE:
		return 4;
	case IKE_TS_IPV6_ADDR_RANGE:
		return 16;
	default:
		return 0;
	}
}

int ike_parse_ts(const struct ike_payload *pl, struct ike_ts *ts,
		 unsigned int max, unsigned int *n, const char **err)
{
	const uint8_t *p = pl->body;
	size_t len = pl->len, off = 4, slen, alen;
	unsigned int i, count;

	*n = 0;
	if (len < 4)
		return fail(err, "TS payload too short");
	count = p[0];
	if (!count)
		return fail(err, "TS payload without selectors");
	for (i = 0; i < count; i++) {
		if (len - off < TS_HDR_LEN)
			return fail(err, "traffic selector past the end");
		slen = get16(p + off + 2);
		if (slen < TS_HDR_LEN || slen > len - off)
			return fail(err, "bad traffic selector length");
		alen = ts_addr_len(p[off]);
		if (alen) {
			if (slen != TS_HDR_LEN + 2 * alen)
				return fail(err,
					    "traffic selector length does not match its type");
			if (*n >= max)
				return fail(err, "too many traffic selectors");
			memset(&ts[*n], 0, sizeof(ts[*n]));
			ts[*n].type = p[off];
			ts[*n].proto = p[off + 1];
			ts[*n].sport = get16(p + off + 4);
			ts[*n].eport = get16(p + off + 6);
			memcpy(ts[*n].saddr, p + off + TS_HDR_LEN, alen);
			memcpy(ts[*n].eaddr, p + off + TS_HDR_LEN + alen, alen);
			(*n)++;
		}
		off += slen;
	}
	if (off != len)
		return fail(err, "bytes after the last traffic selector");
	return 0;
}

void ike_put_ts(struct ike_writer *w, uint8_t payload, const struct ike_ts *ts,
		unsigned int n)
{
	size_t off = ike_writer_begin(w, payload, false), alen;
	unsigned int i;

	ike_buf_u8(&w->buf, n);
	ike_buf_zero(&w->buf, 3);
	for (i = 0; i < n; i++) {
		alen = ts_addr_len(ts[i].type);
		ike_buf_u8(&w->buf, ts[i].type);
		ike_buf_u8(&w->buf, ts[i].proto);
		ike_buf_u16(&w->buf, TS_HDR_LEN + 2 * alen);
		ike_buf_u16(&w->buf, ts[i].sport);
		ike_buf_u16(&w->buf, ts[i].eport);
		ike_buf_put(&w->buf, ts[i].saddr, alen);
		ike_buf_put(&w->buf, ts[i].eaddr, alen);
	}
	ike_writer_end(w, off);
}

int ike_parse_delete(const struct ike_payload *pl, uint8_t *protocol,
		     uint8_t *spi_len, uint16_t *count, const uint8_t **spis,
		     const char **err)
{
	if (pl->len < 4)
		return fail(err, "delete payload too short");
	*protocol = pl->body[0];
	*spi_len = pl->body[1];
	*count = get16(pl->body + 2);
	*spis = pl->body + 4;
	switch (*protocol) {
	case IKE_PROTO_IKE:
		if (*spi_len != 0)
			return fail(err, "delete of the IKE SA with an SPI size");
		break;
	case IKE_PROTO_AH:
	case IKE_PROTO_ESP:
		if (*spi_len != 4)
			return fail(err, "delete of a child SA with an SPI size not 4");
		break;
	default:
		return fail(err, "delete of an unknown protocol");
	}
	if ((size_t)*count * *spi_len != pl->len - 4)
		return fail(err, "delete SPIs do not match the count");
	return 0;
}

void ike_put_delete(struct ike_writer *w, uint8_t protocol, uint8_t spi_len,
		    uint16_t count, const uint8_t *spis)
{
	size_t off = ike_writer_begin(w, IKE_PL_DELETE, false);

	ike_buf_u8(&w->buf, protocol);
	ike_buf_u8(&w->buf, spi_len);
	ike_buf_u16(&w->buf, count);
	ike_buf_put(&w->buf, spis, (size_t)count * spi_len);
	ike_writer_end(w, off);
}

bool ike_has(const struct ike_payload *pl, unsigned int n, uint8_t type,
	     const struct ike_payload **out)
{
	*out = ike_find(pl, n, type);
	return *out;
}

static const char *missing(uint8_t type)
{
	switch (type) {
	case IKE_PL_SA: return "no SA payload";
	case IKE_PL_KE: return "no KE payload";
	case IKE_PL_NONCE: return "no Nonce payload";
	case IKE_PL_TSI: return "no TSi payload";
	case IKE_PL_TSR: return "no TSr payload";
	case IKE_PL_SK: return "no SK payload";
	default: return "a payload is missing";
	}
}

int ike_need(const struct ike_payload *pl, unsigned int n, uint8_t type,
	     const struct ike_payload **out, const char **err)
{
	if (ike_has(pl, n, type, out))
		return 0;
	*err = missing(type);
	return -1;
}
