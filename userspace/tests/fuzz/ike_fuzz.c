// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer target for iked's message parser: the header, the outer chain,
 * every typed payload parser on what it finds (CERT, CERTREQ and SKF's
 * numbers too; CP round trips), and an SK or SKF body parsed again as an inner chain (as
 * if it were the decrypted plaintext). Parsed SA and
 * TS payloads are written back and parsed again, which must give the same.
 */
#define _GNU_SOURCE
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../../iked/cp.h"
#include "../../iked/payload.h"
#include "../../iked/proposal.h"

static struct ike_proposal mine_ike[IKE_MAX_PROPOSALS];
static struct ike_proposal mine_esp[IKE_MAX_PROPOSALS];
static unsigned int nmine_ike, nmine_esp;

static void setup(void)
{
	static bool done;
	char err[256];

	if (done)
		return;
	done = true;
	if (proposals_parse("aes128gcm16-aes256gcm16-chacha20poly1305-prfsha256-"
			    "prfsha384-x25519-ecp256, aes256-sha384-sha256-"
			    "modp3072-modp2048", IKE_PROTO_IKE, mine_ike,
			    IKE_MAX_PROPOSALS, &nmine_ike, err, sizeof(err)) ||
	    proposals_parse("aes256gcm16-esn-noesn, aes128-sha256-x25519, "
			    "chacha20poly1305", IKE_PROTO_ESP, mine_esp,
			    IKE_MAX_PROPOSALS, &nmine_esp, err, sizeof(err)))
		abort();
}

/* Writing what was parsed and parsing it again must give the same. */
static void sa_round_trip(const struct ike_proposal *props, unsigned int n)
{
	struct ike_proposal again[IKE_MAX_PROPOSALS];
	struct ike_payload pl;
	struct ike_writer w;
	const char *err;
	unsigned int m, k;

	ike_writer_chain(&w);
	ike_put_sa(&w, props, n);
	if (!ike_writer_finish(&w) ||
	    ike_parse_chain(w.first_type, w.buf.data, w.buf.len, &pl, 1, &k, &err) ||
	    ike_parse_sa(&pl, again, IKE_MAX_PROPOSALS, &m, &err) || m != n ||
	    memcmp(again, props, n * sizeof(*props)))
		abort();
	ike_buf_free(&w.buf);
}

/* proposal_accept finds a proposal by its number: only then unambiguous. */
static bool nums_unique(const struct ike_proposal *props, unsigned int n)
{
	unsigned int i, j;

	for (i = 0; i < n; i++)
		for (j = 0; j < i; j++)
			if (props[i].num == props[j].num)
				return false;
	return true;
}

static void fuzz_sa(const struct ike_payload *pl)
{
	struct ike_proposal props[IKE_MAX_PROPOSALS], chosen;
	struct ike_suite s;
	const char *alg, *err;
	unsigned int n, icv, i;
	size_t key;
	char buf[1024];

	if (ike_parse_sa(pl, props, IKE_MAX_PROPOSALS, &n, &err))
		return;
	sa_round_trip(props, n);
	proposals_format(props, n, buf, sizeof(buf));
	proposals_first_dh(props, n);
	for (i = 0; i < n; i++)
		if (proposal_suite(&props[i], &s))
			esp_suite_kernel(&s, &alg, &key, &icv);
	/* What a responder picks from an offer, the offerer takes. */
	if (proposal_select(mine_ike, nmine_ike, props, n, &chosen) &&
	    nums_unique(props, n) && !proposal_accept(props, n, &chosen))
		abort();
	if (proposal_select(mine_esp, nmine_esp, props, n, &chosen) &&
	    nums_unique(props, n) && !proposal_accept(props, n, &chosen))
		abort();
	proposal_accept(mine_ike, nmine_ike, &props[0]);
	proposal_accept(mine_esp, nmine_esp, &props[0]);
}

static void fuzz_ts(const struct ike_payload *pl)
{
	struct ike_ts ts[IKE_MAX_TS], again[IKE_MAX_TS];
	struct ike_payload p2;
	struct ike_writer w;
	const char *err;
	unsigned int n, m, k;

	if (ike_parse_ts(pl, ts, IKE_MAX_TS, &n, &err) || !n)
		return;
	ike_writer_chain(&w);
	ike_put_ts(&w, pl->type, ts, n);
	if (!ike_writer_finish(&w) ||
	    ike_parse_chain(w.first_type, w.buf.data, w.buf.len, &p2, 1, &k, &err) ||
	    ike_parse_ts(&p2, again, IKE_MAX_TS, &m, &err) || m != n ||
	    memcmp(again, ts, n * sizeof(*ts)))
		abort();
	ike_buf_free(&w.buf);
}

/* A CP parsed, written and parsed again: the same attributes. */
static void fuzz_cp(const struct ike_payload *pl)
{
	struct ike_cp_attr attrs[IKE_CP_MAX_ATTRS], again[IKE_CP_MAX_ATTRS];
	struct ike_payload p2;
	struct ike_writer w;
	unsigned int n, m, k, i;
	uint8_t type, type2;
	const char *err;

	if (ike_parse_cp(pl, &type, attrs, IKE_CP_MAX_ATTRS, &n, &err))
		return;
	ike_writer_chain(&w);
	ike_put_cp(&w, type, attrs, n);
	if (!ike_writer_finish(&w) ||
	    ike_parse_chain(w.first_type, w.buf.data, w.buf.len, &p2, 1, &k, &err) ||
	    ike_parse_cp(&p2, &type2, again, IKE_CP_MAX_ATTRS, &m, &err) || m != n ||
	    type2 != type)
		abort();
	for (i = 0; i < n; i++)
		if (again[i].type != attrs[i].type || again[i].len != attrs[i].len ||
		    memcmp(again[i].value, attrs[i].value, attrs[i].len))
			abort();
	ike_buf_free(&w.buf);
}

static void fuzz_chain(uint8_t first, const uint8_t *buf, size_t len,
		       int depth);

static void fuzz_payload(const struct ike_payload *pl, int depth)
{
	struct ike_notify nt;
	const uint8_t *d;
	const char *err;
	uint16_t group, count;
	uint8_t type, spi_len;
	unsigned int num, total;
	size_t len;

	switch (pl->type) {
	case IKE_PL_SA:
		fuzz_sa(pl);
		break;
	case IKE_PL_KE:
		ike_parse_ke(pl, &group, &d, &len, &err);
		break;
	case IKE_PL_NONCE:
		ike_parse_nonce(pl, &d, &len, &err);
		break;
	case IKE_PL_NOTIFY:
		ike_parse_notify(pl, &nt, &err);
		break;
	case IKE_PL_IDI:
	case IKE_PL_IDR:
		ike_parse_id(pl, &type, &d, &len, &err);
		break;
	case IKE_PL_AUTH:
		ike_parse_auth(pl, &type, &d, &len, &err);
		break;
	case IKE_PL_TSI:
	case IKE_PL_TSR:
		fuzz_ts(pl);
		break;
	case IKE_PL_DELETE:
		ike_parse_delete(pl, &type, &spi_len, &count, &d, &err);
		break;
	case IKE_PL_CP:
		fuzz_cp(pl);
		break;
	case IKE_PL_CERT:
		/* Then OpenSSL's d2i_X509, which is not ours to fuzz. */
		if (!ike_parse_cert(pl, &d, &len, &err) && (d != pl->body + 1 || !len))
			abort();
		break;
	case IKE_PL_CERTREQ:
		if (!ike_parse_certreq(pl, &d, &num, &err) &&
		    (size_t)num * IKE_CERTREQ_HASH_LEN + 1 != pl->len)
			abort();
		break;
	case IKE_PL_SKF:
		if (!ike_parse_skf(pl, 32, &num, &total, &err) &&
		    (!num || num > total || total > 32))
			abort();
		/* fall through: its chain as if it were the plaintext */
	case IKE_PL_SK:
		/* The generic header's next-payload names the inner chain. */
		if (!depth)
			fuzz_chain(pl->body[-4], pl->body, pl->len, depth + 1);
		break;
	}
}

static void fuzz_chain(uint8_t first, const uint8_t *buf, size_t len,
		       int depth)
{
	struct ike_payload pl[IKE_MAX_PAYLOADS];
	const char *err;
	unsigned int n, i;

	if (ike_parse_chain(first, buf, len, pl, IKE_MAX_PAYLOADS, &n, &err))
		return;
	ike_find(pl, n, IKE_PL_NOTIFY);
	for (i = 0; i < n; i++)
		fuzz_payload(&pl[i], depth);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ike_header hdr;
	const char *err;

	setup();
	if (ike_parse_header(data, size, &hdr, &err) && size < IKE_HDR_LEN)
		return 0;
	/* A wrong length field still lets the chain be tried. */
	fuzz_chain(data[16], data + IKE_HDR_LEN, size - IKE_HDR_LEN, 0);
	return 0;
}
