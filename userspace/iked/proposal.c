// SPDX-License-Identifier: GPL-2.0
/*
 * Proposals in strongSwan's keyword spelling, their selection (RFC 7296
 * 2.7, 3.3.6) and the algorithms a selected proposal stands for.
 */
#define _GNU_SOURCE
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "../lib/alg.h"
#include "proposal.h"

#define KW_AEAD		0x01	/* authenticated encryption */
#define KW_NO_IKE	0x02	/* not for IKE proposals */
#define KW_NO_ESP	0x04	/* nfesp's ESP cannot do it */
#define KW_INTEG_PRF	0x08	/* integrity that implies a PRF for IKE */
#define KW_ESP_ONLY	0x10	/* esn/noesn */

struct keyword {
	const char *name;
	uint8_t type;
	uint16_t id;
	uint16_t bits;
	uint8_t flags;
	uint16_t prf;		/* the PRF an integrity keyword implies */
};

/* The first keyword of a (type, id, bits) is how it is printed. */
static const struct keyword keywords[] = {
	{ "aes128", IKE_TT_ENCR, IKE_ENCR_AES_CBC, 128, 0, 0 },
	{ "aes192", IKE_TT_ENCR, IKE_ENCR_AES_CBC, 192, KW_NO_ESP, 0 },
	{ "aes256", IKE_TT_ENCR, IKE_ENCR_AES_CBC, 256, 0, 0 },
	{ "aes128gcm16", IKE_TT_ENCR, IKE_ENCR_AES_GCM_16, 128, KW_AEAD, 0 },
	{ "aes192gcm16", IKE_TT_ENCR, IKE_ENCR_AES_GCM_16, 192, KW_AEAD | KW_NO_ESP, 0 },
	{ "aes256gcm16", IKE_TT_ENCR, IKE_ENCR_AES_GCM_16, 256, KW_AEAD, 0 },
	{ "aes128gcm12", IKE_TT_ENCR, IKE_ENCR_AES_GCM_12, 128, KW_AEAD | KW_NO_IKE, 0 },
	{ "aes192gcm12", IKE_TT_ENCR, IKE_ENCR_AES_GCM_12, 192,
	  KW_AEAD | KW_NO_IKE | KW_NO_ESP, 0 },
	{ "aes256gcm12", IKE_TT_ENCR, IKE_ENCR_AES_GCM_12, 256, KW_AEAD | KW_NO_IKE, 0 },
	{ "aes128gcm8", IKE_TT_ENCR, IKE_ENCR_AES_GCM_8, 128, KW_AEAD | KW_NO_IKE, 0 },
	{ "aes192gcm8", IKE_TT_ENCR, IKE_ENCR_AES_GCM_8, 192,
	  KW_AEAD | KW_NO_IKE | KW_NO_ESP, 0 },
	{ "aes256gcm8", IKE_TT_ENCR, IKE_ENCR_AES_GCM_8, 256, KW_AEAD | KW_NO_IKE, 0 },
	/* strongSwan's aliases: ICV in bits, or none meaning 16 bytes */
	{ "aes128gcm128", IKE_TT_ENCR, IKE_ENCR_AES_GCM_16, 128, KW_AEAD, 0 },
	{ "aes256gcm128", IKE_TT_ENCR, IKE_ENCR_AES_GCM_16, 256, KW_AEAD, 0 },
	{ "aes128gcm", IKE_TT_ENCR, IKE_ENCR_AES_GCM_16, 128, KW_AEAD, 0 },
	{ "aes256gcm", IKE_TT_ENCR, IKE_ENCR_AES_GCM_16, 256, KW_AEAD, 0 },
	{ "aes128gcm96", IKE_TT_ENCR, IKE_ENCR_AES_GCM_12, 128, KW_AEAD | KW_NO_IKE, 0 },
	{ "aes256gcm96", IKE_TT_ENCR, IKE_ENCR_AES_GCM_12, 256, KW_AEAD | KW_NO_IKE, 0 },
	{ "aes128gcm64", IKE_TT_ENCR, IKE_ENCR_AES_GCM_8, 128, KW_AEAD | KW_NO_IKE, 0 },
	{ "aes256gcm64", IKE_TT_ENCR, IKE_ENCR_AES_GCM_8, 256, KW_AEAD | KW_NO_IKE, 0 },
	/* no key length attribute: strongSwan sends none for it */
	{ "chacha20poly1305", IKE_TT_ENCR, IKE_ENCR_CHACHA20_POLY1305, 0, KW_AEAD, 0 },
	{ "sha256", IKE_TT_INTEG, IKE_INTEG_HMAC_SHA2_256_128, 0, KW_INTEG_PRF,
	  IKE_PRF_HMAC_SHA2_256 },
	{ "sha384", IKE_TT_INTEG, IKE_INTEG_HMAC_SHA2_384_192, 0,
	  KW_INTEG_PRF | KW_NO_ESP, IKE_PRF_HMAC_SHA2_384 },
	{ "sha512", IKE_TT_INTEG, IKE_INTEG_HMAC_SHA2_512_256, 0,
	  KW_INTEG_PRF | KW_NO_ESP, IKE_PRF_HMAC_SHA2_512 },
	{ "sha2_256", IKE_TT_INTEG, IKE_INTEG_HMAC_SHA2_256_128, 0, KW_INTEG_PRF,
	  IKE_PRF_HMAC_SHA2_256 },
	{ "prfsha256", IKE_TT_PRF, IKE_PRF_HMAC_SHA2_256, 0, 0, 0 },
	{ "prfsha384", IKE_TT_PRF, IKE_PRF_HMAC_SHA2_384, 0, 0, 0 },
	{ "prfsha512", IKE_TT_PRF, IKE_PRF_HMAC_SHA2_512, 0, 0, 0 },
	{ "x25519", IKE_TT_DH, IKE_DH_X25519, 0, 0, 0 },
	{ "curve25519", IKE_TT_DH, IKE_DH_X25519, 0, 0, 0 },
	{ "ecp256", IKE_TT_DH, IKE_DH_ECP256, 0, 0, 0 },
	{ "ecp384", IKE_TT_DH, IKE_DH_ECP384, 0, 0, 0 },
	{ "modp2048", IKE_TT_DH, IKE_DH_MODP2048, 0, 0, 0 },
	{ "modp3072", IKE_TT_DH, IKE_DH_MODP3072, 0, 0, 0 },
	{ "esn", IKE_TT_ESN, IKE_ESN_YES, 0, KW_ESP_ONLY, 0 },
	{ "noesn", IKE_TT_ESN, IKE_ESN_NO, 0, KW_ESP_ONLY, 0 },
};

/* Refused because they are weak (RFC 8247, 8221). */
static const char *const weak[] = {
	"des", "3des", "null", "cast128", "blowfish128", "blowfish192",
	"blowfish256", "md5", "md5_128", "sha1", "sha", "sha1_160", "sha1_96",
	"prfsha1", "prfmd5", "modp768", "modp1024", "modp1536", "modp1024s160",
	"modp2048s224", "modp2048s256", "sha256_96",
};

/* Known to strongSwan, but not to iked. */
static const char *const unsupported[] = {
	"aes128ctr", "aes192ctr", "aes256ctr", "aes128ccm8", "aes128ccm12",
	"aes128ccm16", "aes192ccm8", "aes192ccm12", "aes192ccm16", "aes256ccm8",
	"aes256ccm12", "aes256ccm16", "aes128ccm64", "aes128ccm96",
	"aes128ccm128", "aes256ccm64", "aes256ccm96", "aes256ccm128",
	"aes128gmac", "aes192gmac", "aes256gmac", "camellia128", "camellia192",
	"camellia256", "aesxcbc", "aescmac", "prfaesxcbc", "prfaescmac",
	"ecp192", "ecp224", "ecp521", "ecp224bp", "ecp256bp", "ecp384bp",
	"ecp512bp", "modp4096", "modp6144", "modp8192", "x448", "curve448",
	"prfsha2_256", "mlkem512", "mlkem768", "mlkem1024",
};

static bool in_list(const char *w, const char *const *list, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (!strcasecmp(w, list[i]))
			return true;
	return false;
}

static const struct keyword *kw_find(const char *w)
{
	size_t i;

	for (i = 0; i < sizeof(keywords) / sizeof(keywords[0]); i++)
		if (!strcasecmp(w, keywords[i].name))
			return &keywords[i];
	return NULL;
}

static const struct keyword *kw_of(const struct ike_transform *t)
{
	size_t i;

	for (i = 0; i < sizeof(keywords) / sizeof(keywords[0]); i++)
		if (keywords[i].type == t->type && keywords[i].id == t->id &&
		    keywords[i].bits == t->key_bits)
			return &keywords[i];
	return NULL;
}

bool proposal_has(const struct ike_proposal *p, uint8_t type, uint16_t id,
		  uint16_t bits)
{
	unsigned int i;

	for (i = 0; i < p->n; i++)
		if (p->t[i].type == type && p->t[i].id == id &&
		    p->t[i].key_bits == bits)
			return true;
	return false;
}

unsigned int proposal_count(const struct ike_proposal *p, uint8_t type)
{
	unsigned int i, c = 0;

	for (i = 0; i < p->n; i++)
		c += p->t[i].type == type;
	return c;
}

/* Adds a transform once; false if the proposal is full. */
static bool add(struct ike_proposal *p, uint8_t type, uint16_t id,
		uint16_t bits)
{
	if (proposal_has(p, type, id, bits))
		return true;
	if (p->n >= IKE_MAX_TRANSFORMS)
		return false;
	p->t[p->n].type = type;
	p->t[p->n].id = id;
	p->t[p->n].key_bits = bits;
	p->n++;
	return true;
}

/* Parsing one proposal: its words, and what they imply once all are read. */
struct parse_ctx {
	uint8_t protocol;
	const char *text;	/* the proposal, for messages */
	char *err;
	size_t errlen;
	uint16_t implied_prf[IKE_MAX_TRANSFORMS];
	unsigned int nimplied;
	unsigned int naead, ncbc;
};

/* "<what> in proposal "<text>"": every message names the proposal. */
static int __attribute__((format(printf, 2, 3)))
perr(struct parse_ctx *c, const char *fmt, ...)
{
	char what[160];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(what, sizeof(what), fmt, ap);
	va_end(ap);
	snprintf(c->err, c->errlen, "%s in proposal \"%s\"", what, c->text);
	return -1;
}

static int parse_word(struct parse_ctx *c, struct ike_proposal *p,
		      const char *w)
{
	bool esp = c->protocol == IKE_PROTO_ESP;
	const struct keyword *k = kw_find(w);

	if (!k) {
		if (in_list(w, weak, sizeof(weak) / sizeof(weak[0])))
			return perr(c, "weak algorithm \"%s\" refused", w);
		if (in_list(w, unsupported,
			    sizeof(unsupported) / sizeof(unsupported[0])))
			return perr(c, "unsupported algorithm \"%s\"", w);
		return perr(c, "unknown algorithm \"%s\"", w);
	}
	if (esp && (k->flags & KW_NO_ESP))
		return perr(c, "nfesp's ESP does not support \"%s\"", w);
	if (!esp && (k->flags & KW_NO_IKE))
		return perr(c, "\"%s\" is not supported for IKE", w);
	if (!esp && (k->flags & KW_ESP_ONLY))
		return perr(c, "\"%s\" only applies to ESP", w);
	if (esp && k->type == IKE_TT_PRF)
		return perr(c, "PRF \"%s\" is not for ESP", w);
	if (k->type == IKE_TT_ENCR) {
		if (k->flags & KW_AEAD)
			c->naead++;
		else
			c->ncbc++;
	}
	if ((k->flags & KW_INTEG_PRF) && c->nimplied < IKE_MAX_TRANSFORMS)
		c->implied_prf[c->nimplied++] = k->prf;
	if (!add(p, k->type, k->id, k->bits))
		return perr(c, "too many algorithms");
	return 0;
}

/* What a complete proposal needs; adds the implied PRFs and ESN. */
static int finish_proposal(struct parse_ctx *c, struct ike_proposal *p)
{
	bool esp = c->protocol == IKE_PROTO_ESP;
	unsigned int i;

	if (!proposal_count(p, IKE_TT_ENCR))
		return perr(c, "no encryption algorithm");
	if (c->naead && c->ncbc)
		return perr(c, "AEAD and non-AEAD encryption mixed");
	if (c->naead && proposal_count(p, IKE_TT_INTEG))
		return perr(c, "integrity algorithm with AEAD");
	if (c->ncbc && !proposal_count(p, IKE_TT_INTEG))
		return perr(c, "no integrity algorithm");
	if (esp) {
		if (!proposal_count(p, IKE_TT_ESN) &&
		    !add(p, IKE_TT_ESN, IKE_ESN_NO, 0))
			return perr(c, "too many algorithms");
		return 0;
	}
	if (!proposal_count(p, IKE_TT_PRF)) {
		for (i = 0; i < c->nimplied; i++)
			if (!add(p, IKE_TT_PRF, c->implied_prf[i], 0))
				return perr(c, "too many algorithms");
		if (!proposal_count(p, IKE_TT_PRF))
			return perr(c, "no PRF");
	}
	if (!proposal_count(p, IKE_TT_DH))
		return perr(c, "no key exchange (DH) group");
	return 0;
}

static int parse_one(struct parse_ctx *c, struct ike_proposal *p)
{
	char word[64];
	const char *s = c->text, *e;
	size_t len;

	c->nimplied = c->naead = c->ncbc = 0;
	for (;;) {
		e = strchr(s, '-');
		len = e ? (size_t)(e - s) : strlen(s);
		if (!len)
			return perr(c, "empty algorithm");
		if (len >= sizeof(word))
			len = sizeof(word) - 1;	/* still unknown, named in part */
		memcpy(word, s, len);
		word[len] = '\0';
		if (parse_word(c, p, word))
			return -1;
		if (!e)
			break;
		s = e + 1;
	}
	return finish_proposal(c, p);
}

int proposals_parse(const char *text, uint8_t protocol,
		    struct ike_proposal *props, unsigned int max,
		    unsigned int *n, char *err, size_t errlen)
{
	struct parse_ctx c = { .protocol = protocol, .err = err, .errlen = errlen };
	char one[512];
	const char *s = text, *e, *end;
	size_t len;

	*n = 0;
	if (protocol != IKE_PROTO_IKE && protocol != IKE_PROTO_ESP) {
		snprintf(err, errlen, "proposals only for IKE or ESP");
		return -1;
	}
	for (;;) {
		e = strchr(s, ',');
		end = e ? e : s + strlen(s);
		while (s < end && (*s == ' ' || *s == '\t'))
			s++;
		while (end > s && (end[-1] == ' ' || end[-1] == '\t'))
			end--;
		len = end - s;
		if (len >= sizeof(one)) {
			snprintf(err, errlen, "proposal too long: \"%.40s...\"", s);
			return -1;
		}
		if (!len) {
			snprintf(err, errlen, "empty proposal in \"%s\"", text);
			return -1;
		}
		memcpy(one, s, len);
		one[len] = '\0';
		c.text = one;
		if (*n >= max) {
			snprintf(err, errlen, "too many proposals (at most %u) at \"%s\"",
				 max, one);
			return -1;
		}
		memset(&props[*n], 0, sizeof(props[*n]));
		props[*n].num = *n + 1;
		props[*n].protocol = protocol;
		if (parse_one(&c, &props[*n]))
			return -1;
		(*n)++;
		if (!e)
			break;
		s = e + 1;
	}
	return 0;
}

/* Appends to @buf, keeping it terminated however short it is. */
static void append(char *buf, size_t len, size_t *pos, const char *s)
{
	int k;

	if (!len || *pos >= len - 1)
		return;
	k = snprintf(buf + *pos, len - *pos, "%s", s);
	if (k < 0)
		return;
	*pos += (size_t)k < len - *pos ? (size_t)k : len - 1 - *pos;
}

static void format_transform(const struct ike_transform *t, char *w,
			     size_t wlen)
{
	const struct keyword *k = kw_of(t);

	if (k)
		snprintf(w, wlen, "%s", k->name);
	else
		snprintf(w, wlen, "%u:%u", t->type, t->id);
}

/* Printed in strongSwan's usual order: encryption, integrity, PRF, DH, ESN. */
static const uint8_t format_order[] = {
	IKE_TT_ENCR, IKE_TT_INTEG, IKE_TT_PRF, IKE_TT_DH, IKE_TT_ESN,
};

static bool known_type(uint8_t type)
{
	return type >= IKE_TT_ENCR && type <= IKE_TT_ESN;
}

void proposal_format(const struct ike_proposal *p, char *buf, size_t len)
{
	size_t pos = 0, o;
	unsigned int i;
	char w[32];

	if (len)
		buf[0] = '\0';
	for (o = 0; o <= sizeof(format_order); o++) {
		for (i = 0; i < p->n && i < IKE_MAX_TRANSFORMS; i++) {
			if (o < sizeof(format_order) ?
			    p->t[i].type != format_order[o] :
			    known_type(p->t[i].type))
				continue;
			format_transform(&p->t[i], w, sizeof(w));
			if (pos)
				append(buf, len, &pos, "-");
			append(buf, len, &pos, w);
		}
	}
}

void proposals_format(const struct ike_proposal *props, unsigned int n,
		      char *buf, size_t len)
{
	size_t pos = 0;
	unsigned int i;
	char one[512];

	if (len)
		buf[0] = '\0';
	for (i = 0; i < n; i++) {
		proposal_format(&props[i], one, sizeof(one));
		if (i)
			append(buf, len, &pos, ", ");
		append(buf, len, &pos, one);
	}
}

/* Whether transform @t of @theirs is one @mine offers. ESN absent = no ESN. */
static bool mine_offers(const struct ike_proposal *mine,
			const struct ike_transform *t)
{
	if (t->type == IKE_TT_ESN && t->id == IKE_ESN_NO &&
	    !proposal_count(mine, IKE_TT_ESN))
		return true;
	return proposal_has(mine, t->type, t->id, t->key_bits);
}

/* The first of @theirs of @type that @mine offers, or NULL. */
static const struct ike_transform *pick(const struct ike_proposal *mine,
					const struct ike_proposal *theirs,
					uint8_t type)
{
	unsigned int i;

	for (i = 0; i < theirs->n && i < IKE_MAX_TRANSFORMS; i++)
		if (theirs->t[i].type == type && mine_offers(mine, &theirs->t[i]))
			return &theirs->t[i];
	return NULL;
}

/* Matches one proposal of theirs against one of mine. */
static bool match(const struct ike_proposal *mine,
		  const struct ike_proposal *theirs, struct ike_proposal *chosen)
{
	const struct ike_transform *t;
	unsigned int i;
	uint8_t type;

	if (mine->protocol != theirs->protocol)
		return false;
	/* A type we do not know would be a part of the SA we cannot do
	 * (RFC 7296 3.3.6: the proposal is rejected, not taken without it).
	 */
	for (i = 0; i < theirs->n && i < IKE_MAX_TRANSFORMS; i++)
		if (!known_type(theirs->t[i].type))
			return false;
	memset(chosen, 0, sizeof(*chosen));
	chosen->num = theirs->num;
	chosen->protocol = theirs->protocol;
	chosen->spi_len = theirs->spi_len <= IKE_SPI_LEN ? theirs->spi_len : 0;
	memcpy(chosen->spi, theirs->spi, chosen->spi_len);
	for (type = IKE_TT_ENCR; type <= IKE_TT_ESN; type++) {
		if (!proposal_count(theirs, type)) {
			/* No ESN transform means no ESN: mine must allow that. */
			if (type == IKE_TT_ESN && proposal_count(mine, type) &&
			    !proposal_has(mine, IKE_TT_ESN, IKE_ESN_NO, 0))
				return false;
			if (type != IKE_TT_ESN && proposal_count(mine, type))
				return false;
			continue;
		}
		t = pick(mine, theirs, type);
		if (!t)
			return false;
		chosen->t[chosen->n++] = *t;
	}
	return true;
}

bool proposal_select(const struct ike_proposal *mine, unsigned int nmine,
		     const struct ike_proposal *theirs, unsigned int ntheirs,
		     struct ike_proposal *chosen)
{
	unsigned int i, j;

	for (i = 0; i < ntheirs; i++)
		for (j = 0; j < nmine; j++)
			if (match(&mine[j], &theirs[i], chosen))
				return true;
	memset(chosen, 0, sizeof(*chosen));
	return false;
}

void proposals_prefer(struct ike_proposal *props, unsigned int n, uint8_t type,
		      uint16_t id)
{
	struct ike_proposal *p;
	struct ike_transform t;
	unsigned int i, k, first;

	for (i = 0; i < n; i++) {
		p = &props[i];
		first = p->n;
		for (k = 0; k < p->n && k < IKE_MAX_TRANSFORMS; k++) {
			if (p->t[k].type != type)
				continue;
			if (first == p->n)
				first = k;
			if (p->t[k].id == id)
				break;
		}
		if (k >= p->n || k >= IKE_MAX_TRANSFORMS || k == first)
			continue;
		t = p->t[k];
		memmove(&p->t[first + 1], &p->t[first],
			(k - first) * sizeof(p->t[0]));
		p->t[first] = t;
	}
}

bool proposal_accept(const struct ike_proposal *mine, unsigned int nmine,
		     const struct ike_proposal *chosen)
{
	const struct ike_proposal *m = NULL;
	struct ike_proposal again;
	unsigned int i;
	uint8_t type;

	for (i = 0; i < nmine; i++)
		if (mine[i].num == chosen->num) {
			m = &mine[i];
			break;
		}
	if (!m || chosen->n > IKE_MAX_TRANSFORMS)
		return false;
	/* One of each type, of known types only. */
	for (i = 0; i < chosen->n; i++)
		if (!known_type(chosen->t[i].type))
			return false;
	for (type = IKE_TT_ENCR; type <= IKE_TT_ESN; type++)
		if (proposal_count(chosen, type) > 1)
			return false;
	/* Then it must be what a responder could have chosen from @m. */
	return match(m, chosen, &again) && again.n == chosen->n;
}

bool proposal_suite(const struct ike_proposal *p, struct ike_suite *s)
{
	const struct ike_transform *t;
	unsigned int i;

	memset(s, 0, sizeof(*s));
	for (i = 0; i < IKE_TT_ESN; i++)
		if (proposal_count(p, i + 1) > 1)
			return false;
	for (i = 0; i < p->n && i < IKE_MAX_TRANSFORMS; i++) {
		t = &p->t[i];
		switch (t->type) {
		case IKE_TT_ENCR:
			s->encr = t->id;
			s->encr_bits = t->key_bits;
			break;
		case IKE_TT_PRF:
			s->prf = t->id;
			break;
		case IKE_TT_INTEG:
			s->integ = t->id;
			break;
		case IKE_TT_DH:
			s->dh = t->id;
			break;
		case IKE_TT_ESN:
			s->esn = t->id == IKE_ESN_YES;
			break;
		}
	}
	if (s->encr == IKE_ENCR_CHACHA20_POLY1305 && !s->encr_bits)
		s->encr_bits = 256;
	if (!s->encr || !s->encr_bits || s->encr_bits == 0xffff)
		return false;
	if (ike_encr_is_aead(s->encr) ? s->integ != IKE_INTEG_NONE : !s->integ)
		return false;
	if (p->protocol == IKE_PROTO_IKE)
		return s->prf && s->dh && !s->esn;
	return !s->prf;
}

uint16_t proposals_first_dh(const struct ike_proposal *props, unsigned int n)
{
	unsigned int i, j;

	for (i = 0; i < n; i++)
		for (j = 0; j < props[i].n && j < IKE_MAX_TRANSFORMS; j++)
			if (props[i].t[j].type == IKE_TT_DH &&
			    props[i].t[j].id != IKE_DH_NONE)
				return props[i].t[j].id;
	return 0;
}

bool proposals_have_dh(const struct ike_proposal *props, unsigned int n,
		       uint16_t group)
{
	unsigned int i;

	for (i = 0; i < n; i++)
		if (proposal_has(&props[i], IKE_TT_DH, group, 0))
			return true;
	return false;
}

bool esp_suite_kernel(const struct ike_suite *s, const char **alg,
		      size_t *key_len, unsigned int *icv_bits)
{
	const struct esp_alg *a;
	char name[32];

	/* By its strongSwan name, in the one table ipsecctl uses too. */
	switch (s->encr) {
	case IKE_ENCR_AES_GCM_8:
	case IKE_ENCR_AES_GCM_12:
	case IKE_ENCR_AES_GCM_16:
		if (s->integ)
			return false;
		snprintf(name, sizeof(name), "aes%ugcm%u", s->encr_bits,
			 s->encr == IKE_ENCR_AES_GCM_8 ? 8 :
			 s->encr == IKE_ENCR_AES_GCM_12 ? 12 : 16);
		break;
	case IKE_ENCR_CHACHA20_POLY1305:
		if (s->integ || s->encr_bits != 256)
			return false;
		snprintf(name, sizeof(name), "chacha20poly1305");
		break;
	case IKE_ENCR_AES_CBC:
		if (s->integ != IKE_INTEG_HMAC_SHA2_256_128)
			return false;
		snprintf(name, sizeof(name), "aes%u-sha256", s->encr_bits);
		break;
	default:
		return false;
	}
	a = esp_alg_find(name);
	if (!a || !a->key_len)
		return false;
	*alg = a->kernel;
	*key_len = a->key_len;
	*icv_bits = a->icv_bits;
	return true;
}

void suite_format(const struct ike_suite *s, uint8_t protocol, char *buf,
		  size_t len)
{
	struct ike_proposal p = { .protocol = protocol };

	/* ChaCha20-Poly1305 goes without a key length on the wire. */
	p.t[p.n++] = (struct ike_transform){
		IKE_TT_ENCR, s->encr,
		s->encr == IKE_ENCR_CHACHA20_POLY1305 ? 0 : s->encr_bits };
	if (s->integ)
		p.t[p.n++] = (struct ike_transform){ IKE_TT_INTEG, s->integ, 0 };
	if (protocol == IKE_PROTO_IKE)
		p.t[p.n++] = (struct ike_transform){ IKE_TT_PRF, s->prf, 0 };
	if (s->dh)
		p.t[p.n++] = (struct ike_transform){ IKE_TT_DH, s->dh, 0 };
	if (protocol == IKE_PROTO_ESP)
		p.t[p.n++] = (struct ike_transform){ IKE_TT_ESN, s->esn, 0 };
	proposal_format(&p, buf, len);
}
