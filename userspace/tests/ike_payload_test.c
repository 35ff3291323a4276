// SPDX-License-Identifier: GPL-2.0
/* Unit tests of userspace/iked/payload.c: round trips and refusals. */
#define _GNU_SOURCE
#include <stdlib.h>
#include <string.h>

#include "../iked/config.h"
#include "../iked/payload.h"
#include "../iked/proposal.h"
#include "tap.h"

static const uint8_t spi_i[8] = { 1, 2, 3, 4, 5, 6, 7, 8 };
static const uint8_t spi_r[8] = { 9, 10, 11, 12, 13, 14, 15, 16 };

static struct ike_writer w;

/* Splits the one-payload chain in @w again. */
static bool one_payload(struct ike_payload *pl)
{
	unsigned int n = 0;
	const char *err = NULL;

	if (!ike_writer_finish(&w))
		return false;
	if (ike_parse_chain(w.first_type, w.buf.data, w.buf.len, pl, 1, &n, &err))
		return false;
	return n == 1;
}

static void test_header(void)
{
	struct ike_header h = { .next_payload = IKE_PL_SA, .version = IKE_VERSION,
				.exchange = IKE_SA_INIT,
				.flags = IKE_FLAG_INITIATOR, .msg_id = 0x01020304 };
	struct ike_header got;
	const char *err = NULL;
	uint8_t *m;

	memcpy(h.spi_i, spi_i, 8);
	memcpy(h.spi_r, spi_r, 8);
	ike_writer_message(&w, &h);
	TAP_CHECK(ike_writer_finish(&w) && w.buf.len == IKE_HDR_LEN,
		  "a bare header is 28 bytes");
	m = w.buf.data;
	TAP_CHECK(m[24] == 0 && m[25] == 0 && m[26] == 0 && m[27] == 28 &&
		  m[20] == 1 && m[23] == 4, "length and message ID in network order");
	TAP_CHECK(ike_parse_header(m, 28, &got, &err) == 0 &&
		  !memcmp(got.spi_i, spi_i, 8) && !memcmp(got.spi_r, spi_r, 8) &&
		  got.exchange == IKE_SA_INIT && got.flags == IKE_FLAG_INITIATOR &&
		  got.msg_id == 0x01020304 && got.length == 28 &&
		  got.next_payload == IKE_PL_NONE, "header round trip");
	err = NULL;
	TAP_CHECK(ike_parse_header(m, 27, &got, &err) && err,
		  "truncated header refused (%s)", err);
	err = NULL;
	m[27] = 29;
	TAP_CHECK(ike_parse_header(m, 28, &got, &err) && err,
		  "length field not the received length refused (%s)", err);
	m[27] = 28;
	m[17] = 0x10;
	err = NULL;
	TAP_CHECK(ike_parse_header(m, 28, &got, &err) && err,
		  "major version 1 refused (%s)", err);
	m[17] = 0x21;
	TAP_CHECK(ike_parse_header(m, 28, &got, &err) == 0,
		  "a higher minor version is accepted");
	ike_buf_free(&w.buf);
	TAP_CHECK(!w.buf.data && !w.buf.len, "ike_buf_free empties the buffer");
}

static void test_sa(void)
{
	struct ike_proposal p[2] = {
		{ .num = 1, .protocol = IKE_PROTO_ESP, .spi_len = 4,
		  .spi = { 0xde, 0xad, 0xbe, 0xef }, .n = 3,
		  .t = { { IKE_TT_ENCR, IKE_ENCR_AES_GCM_16, 256 },
			 { IKE_TT_ENCR, IKE_ENCR_CHACHA20_POLY1305, 0 },
			 { IKE_TT_ESN, IKE_ESN_NO, 0 } } },
		{ .num = 2, .protocol = IKE_PROTO_ESP, .spi_len = 4,
		  .spi = { 0xde, 0xad, 0xbe, 0xef }, .n = 3,
		  .t = { { IKE_TT_ENCR, IKE_ENCR_AES_CBC, 128 },
			 { IKE_TT_INTEG, IKE_INTEG_HMAC_SHA2_256_128, 0 },
			 { IKE_TT_ESN, IKE_ESN_YES, 0 } } },
	};
	struct ike_proposal got[2];
	struct ike_payload pl;
	const char *err = NULL;
	unsigned int n = 0;

	ike_writer_chain(&w);
	ike_put_sa(&w, p, 2);
	TAP_CHECK(one_payload(&pl) && w.first_type == IKE_PL_SA &&
		  ike_parse_sa(&pl, got, 2, &n, &err) == 0 && n == 2 &&
		  !memcmp(&got[0], &p[0], sizeof(p[0])) &&
		  !memcmp(&got[1], &p[1], sizeof(p[1])),
		  "SA round trip: two ESP proposals with key lengths and SPIs");
	/* each: proposal header, SPI, 3 transforms, one with an attribute */
	TAP_CHECK(pl.len == 2 * (8 + 4 + 3 * 8 + 4) &&
		  pl.body[0] == 2 && pl.body[8 + 4] == 3,
		  "proposal and transform last/more bytes are 2 and 3");
	err = NULL;
	TAP_CHECK(ike_parse_sa(&pl, got, 1, &n, &err) && err,
		  "more proposals than room refused (%s)", err);
	ike_buf_free(&w.buf);
}

/* Hand-built SA payload bodies, for what the encoder never writes. */
static int parse_sa_bytes(const uint8_t *b, size_t len,
			  struct ike_proposal *got, const char **err)
{
	struct ike_payload pl = { .type = IKE_PL_SA, .body = b, .len = len };
	unsigned int n = 0;
	int ret;

	*err = NULL;
	ret = ike_parse_sa(&pl, got, 1, &n, err);
	return ret ? ret : (int)n - 1;
}

static void test_sa_odd(void)
{
	/* IKE proposal: AES-CBC with key length and an unknown attribute. */
	uint8_t odd[] = {
		0, 0, 0, 28, 1, IKE_PROTO_IKE, 0, 2,
		3, 0, 0, 12, IKE_TT_ENCR, 0, 0, 12, 0x80, 14, 0, 128,
		0, 0, 0, 8, 9, 0, 0, 1,	/* unknown transform type 9 */
	};
	uint8_t unknown_attr[] = {
		0, 0, 0, 24, 1, IKE_PROTO_IKE, 0, 1,
		0, 0, 0, 16, IKE_TT_ENCR, 0, 0, 12, 0x80, 14, 0, 128,
		0x80, 99, 0, 1,
	};
	uint8_t tlv_attr[] = {
		0, 0, 0, 22, 1, IKE_PROTO_IKE, 0, 1,
		0, 0, 0, 14, IKE_TT_ENCR, 0, 0, 12, 0, 99, 0, 2, 0xaa, 0xbb,
	};
	uint8_t bad_last[] = {
		0, 0, 0, 16, 1, IKE_PROTO_IKE, 0, 1,
		3, 0, 0, 8, IKE_TT_PRF, 0, 0, 5,
	};
	uint8_t bad_tlen[] = {
		0, 0, 0, 16, 1, IKE_PROTO_IKE, 0, 1,
		0, 0, 0, 9, IKE_TT_PRF, 0, 0, 5,
	};
	uint8_t bad_attr[] = {
		0, 0, 0, 20, 1, IKE_PROTO_IKE, 0, 1,
		0, 0, 0, 12, IKE_TT_ENCR, 0, 0, 12, 0, 99, 0, 9,
	};
	uint8_t esp_spi8[] = {
		0, 0, 0, 16, 1, IKE_PROTO_ESP, 8, 0,
		1, 2, 3, 4, 5, 6, 7, 8,
	};
	uint8_t count_short[] = {
		0, 0, 0, 16, 1, IKE_PROTO_IKE, 0, 2,
		0, 0, 0, 8, IKE_TT_PRF, 0, 0, 5,
	};
	uint8_t many[8 + (IKE_MAX_TRANSFORMS + 1) * 8];
	struct ike_proposal got;
	const char *err;
	unsigned int i;

	TAP_CHECK(parse_sa_bytes(odd, sizeof(odd), &got, &err) == 0 &&
		  got.n == 2 && got.t[0].key_bits == 128 && got.t[1].type == 9,
		  "unknown transform type kept as it is");
	TAP_CHECK(parse_sa_bytes(unknown_attr, sizeof(unknown_attr), &got, &err) == 0 &&
		  got.n == 1 && got.t[0].key_bits == 0xffff,
		  "unknown TV attribute: transform kept, unmatchable");
	TAP_CHECK(parse_sa_bytes(tlv_attr, sizeof(tlv_attr), &got, &err) == 0 &&
		  got.n == 1 && got.t[0].key_bits == 0xffff,
		  "unknown TLV attribute: transform kept, unmatchable");
	TAP_CHECK(parse_sa_bytes(bad_last, sizeof(bad_last), &got, &err) && err,
		  "last transform marked 3 refused (%s)", err);
	TAP_CHECK(parse_sa_bytes(bad_tlen, sizeof(bad_tlen), &got, &err) && err,
		  "transform length past the proposal refused (%s)", err);
	TAP_CHECK(parse_sa_bytes(bad_attr, sizeof(bad_attr), &got, &err) && err,
		  "TLV attribute past the transform refused (%s)", err);
	TAP_CHECK(parse_sa_bytes(esp_spi8, sizeof(esp_spi8), &got, &err) && err,
		  "ESP proposal with an 8-byte SPI refused (%s)", err);
	TAP_CHECK(parse_sa_bytes(count_short, sizeof(count_short), &got, &err) && err,
		  "transform count above the transforms refused (%s)", err);
	TAP_CHECK(parse_sa_bytes(odd, 0, &got, &err) && err,
		  "empty SA payload refused (%s)", err);
	odd[0] = 2;
	TAP_CHECK(parse_sa_bytes(odd, sizeof(odd), &got, &err) && err,
		  "last proposal marked 2 refused (%s)", err);

	/* One more transform than a proposal may hold. */
	memset(many, 0, sizeof(many));
	many[2] = sizeof(many) >> 8;
	many[3] = sizeof(many) & 0xff;
	many[4] = 1;
	many[5] = IKE_PROTO_IKE;
	many[7] = IKE_MAX_TRANSFORMS + 1;
	for (i = 0; i <= IKE_MAX_TRANSFORMS; i++) {
		uint8_t *t = many + 8 + i * 8;

		t[0] = i == IKE_MAX_TRANSFORMS ? 0 : 3;
		t[3] = 8;
		t[4] = IKE_TT_DH;
		t[7] = i;
	}
	TAP_CHECK(parse_sa_bytes(many, sizeof(many), &got, &err) && err,
		  "%d transforms in a proposal refused (%s)",
		  IKE_MAX_TRANSFORMS + 1, err);
}

static void test_ke_nonce(void)
{
	uint8_t pub[32], nonce[257];
	const uint8_t *d;
	struct ike_payload pl;
	const char *err = NULL;
	uint16_t group = 0;
	size_t len = 0;

	memset(pub, 0x5a, sizeof(pub));
	memset(nonce, 0xa5, sizeof(nonce));
	ike_writer_chain(&w);
	ike_put_ke(&w, IKE_DH_X25519, pub, sizeof(pub));
	TAP_CHECK(one_payload(&pl) && pl.type == IKE_PL_KE &&
		  ike_parse_ke(&pl, &group, &d, &len, &err) == 0 &&
		  group == IKE_DH_X25519 && len == 32 && !memcmp(d, pub, 32),
		  "KE round trip");
	pl.len = 4;
	err = NULL;
	TAP_CHECK(ike_parse_ke(&pl, &group, &d, &len, &err) && err,
		  "KE without data refused (%s)", err);
	ike_buf_free(&w.buf);

	ike_writer_chain(&w);
	ike_put_nonce(&w, nonce, 32);
	TAP_CHECK(one_payload(&pl) && pl.type == IKE_PL_NONCE &&
		  ike_parse_nonce(&pl, &d, &len, &err) == 0 && len == 32 &&
		  !memcmp(d, nonce, 32), "Nonce round trip");
	ike_buf_free(&w.buf);

	pl.body = nonce;
	pl.len = 15;
	err = NULL;
	TAP_CHECK(ike_parse_nonce(&pl, &d, &len, &err) && err,
		  "15-byte nonce refused (%s)", err);
	pl.len = 16;
	TAP_CHECK(!ike_parse_nonce(&pl, &d, &len, &err), "16-byte nonce accepted");
	pl.len = 256;
	TAP_CHECK(!ike_parse_nonce(&pl, &d, &len, &err), "256-byte nonce accepted");
	pl.len = 257;
	err = NULL;
	TAP_CHECK(ike_parse_nonce(&pl, &d, &len, &err) && err,
		  "257-byte nonce refused (%s)", err);
}

static void test_notify(void)
{
	static const uint8_t spi[4] = { 0xc0, 0xff, 0xee, 0x01 };
	static const char data[] = "cookie-data";
	struct ike_notify nt;
	struct ike_payload pl;
	const char *err = NULL;
	uint8_t bad[] = { IKE_PROTO_ESP, 9, 0, 1, 1, 2, 3, 4, 5, 6, 7, 8, 9 };

	ike_writer_chain(&w);
	ike_put_notify(&w, IKE_PROTO_ESP, spi, 4, IKE_N_REKEY_SA, data, 11);
	TAP_CHECK(one_payload(&pl) && pl.type == IKE_PL_NOTIFY &&
		  ike_parse_notify(&pl, &nt, &err) == 0 &&
		  nt.protocol == IKE_PROTO_ESP && nt.spi_len == 4 &&
		  nt.type == IKE_N_REKEY_SA && !memcmp(nt.spi, spi, 4) &&
		  nt.len == 11 && !memcmp(nt.data, data, 11),
		  "Notify round trip with SPI and data");
	ike_buf_free(&w.buf);

	ike_writer_chain(&w);
	ike_put_notify(&w, 0, NULL, 0, IKE_N_INITIAL_CONTACT, NULL, 0);
	TAP_CHECK(one_payload(&pl) && ike_parse_notify(&pl, &nt, &err) == 0 &&
		  nt.spi_len == 0 && nt.len == 0 && nt.type == IKE_N_INITIAL_CONTACT,
		  "Notify round trip without SPI or data");
	ike_buf_free(&w.buf);

	pl.body = bad;
	pl.len = sizeof(bad);
	err = NULL;
	TAP_CHECK(ike_parse_notify(&pl, &nt, &err) && err,
		  "notify SPI size 9 refused (%s)", err);
	bad[1] = 8;
	pl.len = 11;
	err = NULL;
	TAP_CHECK(ike_parse_notify(&pl, &nt, &err) && err,
		  "notify SPI past the end refused (%s)", err);
}

static void test_id_auth(void)
{
	static const char fqdn[] = "gw.example.net";
	static const uint8_t v4[4] = { 192, 0, 2, 1 };
	uint8_t mac[32], type = 0;
	const uint8_t *d;
	struct ike_payload pl;
	const char *err = NULL;
	size_t len = 0;

	memset(mac, 0x33, sizeof(mac));
	ike_writer_chain(&w);
	ike_put_id(&w, IKE_PL_IDR, IKE_ID_FQDN, fqdn, strlen(fqdn));
	TAP_CHECK(one_payload(&pl) && pl.type == IKE_PL_IDR &&
		  ike_parse_id(&pl, &type, &d, &len, &err) == 0 &&
		  type == IKE_ID_FQDN && len == strlen(fqdn) &&
		  !memcmp(d, fqdn, len) && !pl.body[1] && !pl.body[3],
		  "ID round trip (FQDN, reserved bytes zero)");
	ike_buf_free(&w.buf);

	ike_writer_chain(&w);
	ike_put_id(&w, IKE_PL_IDI, IKE_ID_IPV4_ADDR, v4, 3);
	err = NULL;
	TAP_CHECK(one_payload(&pl) && ike_parse_id(&pl, &type, &d, &len, &err) && err,
		  "IPv4 address ID of 3 bytes refused (%s)", err);
	ike_buf_free(&w.buf);

	ike_writer_chain(&w);
	ike_put_auth(&w, IKE_AUTH_PSK, mac, sizeof(mac));
	TAP_CHECK(one_payload(&pl) && pl.type == IKE_PL_AUTH &&
		  ike_parse_auth(&pl, &type, &d, &len, &err) == 0 &&
		  type == IKE_AUTH_PSK && len == 32 && !memcmp(d, mac, 32),
		  "AUTH round trip");
	pl.len = 4;
	err = NULL;
	TAP_CHECK(ike_parse_auth(&pl, &type, &d, &len, &err) && err,
		  "AUTH without data refused (%s)", err);
	ike_buf_free(&w.buf);
}

/* CERT, CERTREQ and SKF bodies as iked takes them. */
static void test_cert_certreq_skf(void)
{
	static const uint8_t cert[] = { 4, 0x30, 0x03, 1, 2, 3 };
	static const uint8_t pgp[] = { 2, 0x30, 0x00 };
	uint8_t req[1 + 2 * 20], skf[4 + 16] = { 0, 2, 0, 3 };
	struct ike_payload pl = { .type = IKE_PL_CERT, .body = cert, .len = sizeof(cert) };
	unsigned int n = 0, num = 0, total = 0;
	const char *err = NULL;
	const uint8_t *d;
	size_t len = 0;

	TAP_CHECK(!ike_parse_cert(&pl, &d, &len, &err) && d == cert + 1 && len == 5,
		  "CERT (X.509): the DER after the encoding");
	pl.body = pgp;
	pl.len = sizeof(pgp);
	TAP_CHECK(ike_parse_cert(&pl, &d, &len, &err) && strstr(err, "encoding"),
		  "CERT of another encoding refused (%s)", err);
	pl.len = 1;
	TAP_CHECK(ike_parse_cert(&pl, &d, &len, &err), "CERT without data refused");
	memset(req, 0xab, sizeof(req));
	req[0] = 4;
	pl = (struct ike_payload){ .type = IKE_PL_CERTREQ, .body = req, .len = sizeof(req) };
	TAP_CHECK(!ike_parse_certreq(&pl, &d, &n, &err) && n == 2 && d == req + 1,
		  "CERTREQ: two hashes");
	pl.len--;
	TAP_CHECK(ike_parse_certreq(&pl, &d, &n, &err) && strstr(err, "multiple of 20"),
		  "CERTREQ cut short refused (%s)", err);
	pl = (struct ike_payload){ .type = IKE_PL_SKF, .body = skf, .len = sizeof(skf) };
	TAP_CHECK(!ike_parse_skf(&pl, 32, &num, &total, &err) && num == 2 && total == 3,
		  "SKF: fragment 2 of 3");
	skf[1] = 4;
	TAP_CHECK(ike_parse_skf(&pl, 32, &num, &total, &err), "fragment 4 of 3 refused");
	skf[1] = 0;
	TAP_CHECK(ike_parse_skf(&pl, 32, &num, &total, &err), "fragment 0 refused");
	skf[1] = 1;
	skf[3] = 33;
	TAP_CHECK(ike_parse_skf(&pl, 32, &num, &total, &err) && strstr(err, "out of range"),
		  "a total over the bound refused (%s)", err);
	pl.len = 3;
	TAP_CHECK(ike_parse_skf(&pl, 32, &num, &total, &err), "SKF of 3 bytes refused");
}

static void test_ts(void)
{
	struct ike_ts ts[2] = {
		{ .type = IKE_TS_IPV4_ADDR_RANGE, .proto = 17, .sport = 500,
		  .eport = 4500, .saddr = { 10, 0, 0, 0 },
		  .eaddr = { 10, 0, 0, 255 } },
		{ .type = IKE_TS_IPV6_ADDR_RANGE, .proto = 0, .sport = 0,
		  .eport = 65535, .saddr = { 0x20, 0x01, 0x0d, 0xb8 },
		  .eaddr = { 0x20, 0x01, 0x0d, 0xb8, [4 ... 15] = 0xff } },
	};
	/* an unknown type (9) between two v4 selectors */
	uint8_t mixed[] = {
		3, 0, 0, 0,
		9, 0, 0, 10, 0, 0, 0, 0, 0xaa, 0xbb,
		7, 6, 0, 16, 0, 80, 0, 80, 192, 0, 2, 1, 192, 0, 2, 1,
		8, 6, 0, 16, 0, 80, 0, 80, 192, 0, 2, 1, 192, 0, 2, 1,
	};
	struct ike_ts got[IKE_MAX_TS];
	struct ike_payload pl;
	const char *err = NULL;
	unsigned int n = 0;

	ike_writer_chain(&w);
	ike_put_ts(&w, IKE_PL_TSI, ts, 2);
	TAP_CHECK(one_payload(&pl) && pl.type == IKE_PL_TSI &&
		  pl.len == 4 + 16 + 40 &&
		  ike_parse_ts(&pl, got, IKE_MAX_TS, &n, &err) == 0 && n == 2 &&
		  !memcmp(&got[0], &ts[0], sizeof(ts[0])) &&
		  !memcmp(&got[1], &ts[1], sizeof(ts[1])),
		  "TS round trip, IPv4 and IPv6 (ports host order)");
	TAP_CHECK(pl.body[4 + 4] == 0x01 && pl.body[4 + 5] == 0xf4,
		  "start port in network order on the wire");
	err = NULL;
	TAP_CHECK(ike_parse_ts(&pl, got, 1, &n, &err) && err,
		  "more selectors than room refused (%s)", err);
	ike_buf_free(&w.buf);

	pl.body = mixed;
	pl.len = sizeof(mixed);
	err = NULL;
	TAP_CHECK(ike_parse_ts(&pl, got, IKE_MAX_TS, &n, &err) && err,
		  "type 8 selector of 16 bytes refused (%s)", err);
	mixed[0] = 2;
	pl.len = sizeof(mixed) - 16;
	TAP_CHECK(ike_parse_ts(&pl, got, IKE_MAX_TS, &n, &err) == 0 && n == 1 &&
		  got[0].proto == 6 && got[0].sport == 80 && got[0].saddr[0] == 192,
		  "unknown selector type skipped by its length");
	mixed[17] = 17;
	err = NULL;
	TAP_CHECK(ike_parse_ts(&pl, got, IKE_MAX_TS, &n, &err) && err,
		  "v4 selector length 17 refused (%s)", err);
	mixed[17] = 16;
	mixed[0] = 3;
	err = NULL;
	TAP_CHECK(ike_parse_ts(&pl, got, IKE_MAX_TS, &n, &err) && err,
		  "selector count past the end refused (%s)", err);
	mixed[0] = 0;
	err = NULL;
	TAP_CHECK(ike_parse_ts(&pl, got, IKE_MAX_TS, &n, &err) && err,
		  "zero selectors refused (%s)", err);
}

static void test_delete(void)
{
	static const uint8_t spis[8] = { 1, 2, 3, 4, 5, 6, 7, 8 };
	uint8_t proto = 0, spi_len = 0;
	uint16_t count = 0;
	const uint8_t *d;
	struct ike_payload pl;
	const char *err = NULL;
	uint8_t bad[] = { IKE_PROTO_ESP, 8, 0, 1, 1, 2, 3, 4, 5, 6, 7, 8 };

	ike_writer_chain(&w);
	ike_put_delete(&w, IKE_PROTO_ESP, 4, 2, spis);
	TAP_CHECK(one_payload(&pl) && pl.type == IKE_PL_DELETE &&
		  ike_parse_delete(&pl, &proto, &spi_len, &count, &d, &err) == 0 &&
		  proto == IKE_PROTO_ESP && spi_len == 4 && count == 2 &&
		  !memcmp(d, spis, 8), "Delete round trip, two ESP SPIs");
	ike_buf_free(&w.buf);

	ike_writer_chain(&w);
	ike_put_delete(&w, IKE_PROTO_IKE, 0, 0, NULL);
	TAP_CHECK(one_payload(&pl) &&
		  ike_parse_delete(&pl, &proto, &spi_len, &count, &d, &err) == 0 &&
		  proto == IKE_PROTO_IKE && spi_len == 0 && count == 0,
		  "Delete round trip, the IKE SA");
	ike_buf_free(&w.buf);

	pl.body = bad;
	pl.len = sizeof(bad);
	err = NULL;
	TAP_CHECK(ike_parse_delete(&pl, &proto, &spi_len, &count, &d, &err) && err,
		  "ESP delete with SPI size 8 refused (%s)", err);
	bad[0] = IKE_PROTO_IKE;
	err = NULL;
	TAP_CHECK(ike_parse_delete(&pl, &proto, &spi_len, &count, &d, &err) && err,
		  "IKE delete with SPI size 8 refused (%s)", err);
	bad[0] = IKE_PROTO_ESP;
	bad[1] = 4;
	bad[3] = 3;
	err = NULL;
	TAP_CHECK(ike_parse_delete(&pl, &proto, &spi_len, &count, &d, &err) && err,
		  "delete count above the SPIs refused (%s)", err);
}

/* A whole message: header, SA, KE, Nonce, Notify, then split again. */
static void test_message(void)
{
	struct ike_header h = { .version = IKE_VERSION, .exchange = IKE_SA_INIT,
				.flags = IKE_FLAG_INITIATOR };
	struct ike_proposal p = {
		.num = 1, .protocol = IKE_PROTO_IKE, .n = 3,
		.t = { { IKE_TT_ENCR, IKE_ENCR_AES_GCM_16, 128 },
		       { IKE_TT_PRF, IKE_PRF_HMAC_SHA2_256, 0 },
		       { IKE_TT_DH, IKE_DH_X25519, 0 } },
	};
	struct ike_payload pl[IKE_MAX_PAYLOADS];
	struct ike_header got;
	uint8_t key[32] = { 0 }, nonce[32] = { 0 };
	const char *err = NULL;
	unsigned int n = 0;
	size_t off;

	memcpy(h.spi_i, spi_i, 8);
	ike_writer_message(&w, &h);
	ike_put_sa(&w, &p, 1);
	ike_put_ke(&w, IKE_DH_X25519, key, sizeof(key));
	ike_put_nonce(&w, nonce, sizeof(nonce));
	ike_put_notify(&w, 0, NULL, 0, IKE_N_NAT_DETECTION_SOURCE_IP, key, 20);
	off = ike_writer_begin(&w, 0xbd, true);	/* unknown, critical */
	ike_buf_u32(&w.buf, 0x11223344);
	ike_writer_end(&w, off);
	TAP_CHECK(ike_writer_finish(&w), "message written");
	TAP_CHECK(ike_parse_header(w.buf.data, w.buf.len, &got, &err) == 0 &&
		  got.next_payload == IKE_PL_SA && got.length == w.buf.len,
		  "its header names the SA first and the whole length");
	TAP_CHECK(ike_parse_chain(got.next_payload, w.buf.data + IKE_HDR_LEN,
				  w.buf.len - IKE_HDR_LEN, pl, IKE_MAX_PAYLOADS,
				  &n, &err) == 0 && n == 5 &&
		  pl[0].type == IKE_PL_SA && pl[1].type == IKE_PL_KE &&
		  pl[2].type == IKE_PL_NONCE && pl[3].type == IKE_PL_NOTIFY &&
		  pl[4].type == 0xbd && pl[4].critical && !pl[3].critical &&
		  pl[4].len == 4, "chain of five, unknown critical one returned");
	TAP_CHECK(ike_find(pl, n, IKE_PL_NONCE) == &pl[2] &&
		  !ike_find(pl, n, IKE_PL_SK), "ike_find");
	err = NULL;
	TAP_CHECK(ike_parse_chain(got.next_payload, w.buf.data + IKE_HDR_LEN,
				  w.buf.len - IKE_HDR_LEN, pl, 4, &n, &err) && err,
		  "too many payloads refused (%s)", err);
	err = NULL;
	TAP_CHECK(ike_parse_chain(got.next_payload, w.buf.data + IKE_HDR_LEN,
				  w.buf.len - IKE_HDR_LEN - 1, pl,
				  IKE_MAX_PAYLOADS, &n, &err) && err,
		  "payload length past the end refused (%s)", err);
	err = NULL;
	TAP_CHECK(ike_parse_chain(got.next_payload, w.buf.data + IKE_HDR_LEN,
				  w.buf.len - IKE_HDR_LEN - 8 + 2, pl,
				  IKE_MAX_PAYLOADS, &n, &err) && err,
		  "truncated payload header refused (%s)", err);
	ike_buf_free(&w.buf);
}

static void test_chain_errors(void)
{
	/* Nonce(4 bytes body) -> SK(2 bytes body) -> nothing */
	uint8_t sk_last[] = {
		IKE_PL_SK, 0, 0, 8, 1, 2, 3, 4,
		IKE_PL_IDI, 0, 0, 6, 0xaa, 0xbb,
	};
	uint8_t sk_not_last[] = {
		IKE_PL_NOTIFY, 0, 0, 6, 0xaa, 0xbb,	/* SK, then a Notify */
		IKE_PL_NONE, 0, 0, 8, 0, 0, 0x40, 0,
	};
	uint8_t short_len[] = { IKE_PL_NONE, 0, 0, 3, 0 };
	uint8_t trailing[] = { IKE_PL_NONE, 0, 0, 4, 0 };
	struct ike_payload pl[4];
	const char *err = NULL;
	unsigned int n = 0;

	TAP_CHECK(ike_parse_chain(IKE_PL_NONCE, sk_last, sizeof(sk_last), pl, 4,
				  &n, &err) == 0 && n == 2 &&
		  pl[1].type == IKE_PL_SK && pl[1].len == 2 &&
		  pl[1].body[-4] == IKE_PL_IDI,
		  "SK last ends the chain; its next payload is the inner first");
	err = NULL;
	TAP_CHECK(ike_parse_chain(IKE_PL_SK, sk_not_last, sizeof(sk_not_last),
				  pl, 4, &n, &err) && err,
		  "SK not last refused (%s)", err);
	err = NULL;
	TAP_CHECK(ike_parse_chain(IKE_PL_SKF, sk_not_last, sizeof(sk_not_last),
				  pl, 4, &n, &err) && err,
		  "SKF not last refused (%s)", err);
	err = NULL;
	TAP_CHECK(ike_parse_chain(IKE_PL_NONCE, short_len, sizeof(short_len),
				  pl, 4, &n, &err) && err,
		  "payload length below 4 refused (%s)", err);
	err = NULL;
	TAP_CHECK(ike_parse_chain(IKE_PL_NONCE, trailing, sizeof(trailing),
				  pl, 4, &n, &err) && err,
		  "bytes after the last payload refused (%s)", err);
	TAP_CHECK(ike_parse_chain(IKE_PL_NONE, NULL, 0, pl, 4, &n, &err) == 0 &&
		  n == 0, "an empty chain is empty");
}

/*
 * An IKE_SA_INIT request assembled by hand from RFC 7296's figures, not by
 * the writer: SA (IKE: AES-CBC-256, PRF and integrity SHA2-256, ECP-256),
 * KE, Ni, a NAT_DETECTION_SOURCE_IP notify and a vendor ID.
 */
static const uint8_t sa_init[] = {
	/* header */
	0x7a, 0x1f, 0x3c, 0x90, 0x5e, 0x11, 0x02, 0xd4,
	0, 0, 0, 0, 0, 0, 0, 0,
	IKE_PL_SA, 0x20, IKE_SA_INIT, IKE_FLAG_INITIATOR, 0, 0, 0, 0,
	0, 0, 0, 232,
	/* SA: one proposal of 4 transforms */
	IKE_PL_KE, 0, 0, 48,
	0, 0, 0, 44, 1, IKE_PROTO_IKE, 0, 4,
	3, 0, 0, 12, 1, 0, 0, 12, 0x80, 0x0e, 0x01, 0x00,
	3, 0, 0, 8, 2, 0, 0, 5,
	3, 0, 0, 8, 3, 0, 0, 12,
	0, 0, 0, 8, 4, 0, 0, 19,
	/* KE: ECP-256, 64 bytes */
	IKE_PL_NONCE, 0, 0, 72, 0, 19, 0, 0,
	[84 ... 147] = 0x42,
	/* Nonce: 32 bytes */
	IKE_PL_NOTIFY, 0, 0, 36,
	[152 ... 183] = 0x17,
	/* Notify NAT_DETECTION_SOURCE_IP, 20 bytes of SHA-1 */
	IKE_PL_VENDOR, 0, 0, 28, 0, 0, 0x40, 0x04,
	[192 ... 211] = 0x99,
	/* Vendor ID, 16 bytes */
	IKE_PL_NONE, 0, 0, 20,
	[216 ... 231] = 0x88,
};

static void test_sa_init_bytes(void)
{
	struct ike_payload pl[IKE_MAX_PAYLOADS];
	struct ike_proposal p[IKE_MAX_PROPOSALS];
	struct ike_notify nt;
	struct ike_header h;
	const uint8_t *d;
	const char *err = NULL;
	unsigned int n = 0, np = 0;
	uint16_t group = 0;
	size_t len = 0;
	int ret;

	TAP_CHECK(sizeof(sa_init) == 232, "hand-built IKE_SA_INIT is 232 bytes");
	ret = ike_parse_header(sa_init, sizeof(sa_init), &h, &err);
	TAP_CHECK(ret == 0 && h.exchange == IKE_SA_INIT && h.msg_id == 0 &&
		  h.flags == IKE_FLAG_INITIATOR && h.spi_i[0] == 0x7a,
		  "hand-built IKE_SA_INIT: header (%s)", ret ? err : "ok");
	ret = ike_parse_chain(h.next_payload, sa_init + IKE_HDR_LEN,
			      sizeof(sa_init) - IKE_HDR_LEN, pl, IKE_MAX_PAYLOADS,
			      &n, &err);
	TAP_CHECK(ret == 0 && n == 5 && pl[4].type == IKE_PL_VENDOR &&
		  pl[4].len == 16, "hand-built IKE_SA_INIT: chain of five (%s)",
		  ret ? err : "ok");
	if (ret || n != 5)
		return;
	TAP_CHECK(!ike_parse_sa(&pl[0], p, IKE_MAX_PROPOSALS, &np, &err) &&
		  np == 1 && p[0].n == 4 && p[0].t[0].id == IKE_ENCR_AES_CBC &&
		  p[0].t[0].key_bits == 256 && p[0].t[3].id == IKE_DH_ECP256,
		  "hand-built IKE_SA_INIT: SA");
	TAP_CHECK(!ike_parse_ke(&pl[1], &group, &d, &len, &err) &&
		  group == IKE_DH_ECP256 && len == 64 && d[0] == 0x42,
		  "hand-built IKE_SA_INIT: KE");
	TAP_CHECK(!ike_parse_nonce(&pl[2], &d, &len, &err) && len == 32,
		  "hand-built IKE_SA_INIT: Nonce");
	TAP_CHECK(!ike_parse_notify(&pl[3], &nt, &err) &&
		  nt.type == IKE_N_NAT_DETECTION_SOURCE_IP && nt.len == 20,
		  "hand-built IKE_SA_INIT: Notify");
}

/* The writer re-creates the hand-built message byte for byte. */
static void test_sa_init_write(void)
{
	struct ike_header h = { .version = IKE_VERSION, .exchange = IKE_SA_INIT,
				.flags = IKE_FLAG_INITIATOR };
	struct ike_proposal p = {
		.num = 1, .protocol = IKE_PROTO_IKE, .n = 4,
		.t = { { IKE_TT_ENCR, IKE_ENCR_AES_CBC, 256 },
		       { IKE_TT_PRF, IKE_PRF_HMAC_SHA2_256, 0 },
		       { IKE_TT_INTEG, IKE_INTEG_HMAC_SHA2_256_128, 0 },
		       { IKE_TT_DH, IKE_DH_ECP256, 0 } },
	};
	size_t off;

	memcpy(h.spi_i, sa_init, 8);
	ike_writer_message(&w, &h);
	ike_put_sa(&w, &p, 1);
	ike_put_ke(&w, IKE_DH_ECP256, sa_init + 84, 64);
	ike_put_nonce(&w, sa_init + 152, 32);
	ike_put_notify(&w, 0, NULL, 0, IKE_N_NAT_DETECTION_SOURCE_IP,
		       sa_init + 192, 20);
	off = ike_writer_begin(&w, IKE_PL_VENDOR, false);
	ike_buf_put(&w.buf, sa_init + 216, 16);
	ike_writer_end(&w, off);
	TAP_CHECK(ike_writer_finish(&w) && w.buf.len == sizeof(sa_init) &&
		  !memcmp(w.buf.data, sa_init, sizeof(sa_init)),
		  "writer output equals the hand-built IKE_SA_INIT");
	ike_buf_free(&w.buf);
}

static void test_buf(void)
{
	struct ike_buf b = { 0 };
	uint8_t big[1000];
	size_t i, off;

	memset(big, 7, sizeof(big));
	for (i = 0; i < 100; i++)
		ike_buf_put(&b, big, sizeof(big));
	ike_buf_u8(&b, 1);
	ike_buf_u16(&b, 0x0203);
	ike_buf_u32(&b, 0x04050607);
	TAP_CHECK(!b.failed && b.len == 100007 && b.cap >= b.len &&
		  b.data[99999] == 7 && b.data[100000] == 1 &&
		  b.data[100001] == 2 && b.data[100002] == 3 &&
		  b.data[100006] == 7, "buffer grows, integers in network order");
	ike_buf_free(&b);

	ike_writer_chain(&w);
	off = ike_writer_begin(&w, IKE_PL_VENDOR, false);
	for (i = 0; i < 66; i++)
		ike_buf_put(&w.buf, big, sizeof(big));
	ike_writer_end(&w, off);
	TAP_CHECK(!ike_writer_finish(&w), "a payload over 65535 bytes fails");
	ike_buf_free(&w.buf);
}

/* An SK payload's plaintext: a chain without a header, whose first type
 * the SK payload carries; each payload names the one after it.
 */
static void test_bare_chain(void)
{
	struct ike_payload pl[4];
	struct ike_writer w;
	const char *err = NULL;
	unsigned int n = 0;

	ike_writer_chain(&w);
	ike_put_id(&w, IKE_PL_IDI, IKE_ID_FQDN, "left", 4);
	ike_put_notify(&w, 0, NULL, 0, IKE_N_INITIAL_CONTACT, NULL, 0);
	ike_put_auth(&w, IKE_AUTH_PSK, (const uint8_t *)"0123456789abcdef", 16);
	TAP_CHECK(w.first_type == IKE_PL_IDI,
		  "a bare chain's first type is its first payload's (got %u)",
		  w.first_type);
	TAP_CHECK(!ike_parse_chain(w.first_type, w.buf.data, w.buf.len, pl, 4,
				   &n, &err) && n == 3 &&
		  pl[0].type == IKE_PL_IDI && pl[1].type == IKE_PL_NOTIFY &&
		  pl[2].type == IKE_PL_AUTH,
		  "a bare chain of three payloads parses back in order (%s)",
		  err ? err : "ok");
	ike_buf_free(&w.buf);
}

/*
 * strongSwan 5.9.8's default IKE proposal, as charon sends it (its log:
 * "configured proposals"): 34 transforms, weak and unknown ones among them.
 * It must parse, and our defaults must find their match in it.
 */
static void test_strongswan_default(void)
{
	static const uint16_t encr[][2] = {
		{ 12, 128 }, { 12, 192 }, { 12, 256 },	/* AES-CBC */
		{ 13, 128 }, { 13, 192 }, { 13, 256 },	/* AES-CTR */
		{ 23, 128 }, { 23, 192 }, { 23, 256 },	/* Camellia-CBC */
		{ 24, 128 }, { 24, 192 }, { 24, 256 },	/* Camellia-CTR */
		{ 3, 0 },				/* 3DES */
	};
	static const uint16_t integ[] = { 12, 13, 14, 2 };
	static const uint16_t prf[] = { 5, 6, 7, 2 };
	static const uint16_t dh[] = { 31, 32, 19, 20, 21, 28, 29, 30, 15, 16,
				       17, 18, 14 };
	struct ike_proposal p = { .num = 1, .protocol = IKE_PROTO_IKE }, got, chosen;
	struct ike_proposal mine[IKE_MAX_PROPOSALS];
	struct ike_payload pl;
	const char *err = NULL;
	unsigned int i, n = 0, nmine = 0;
	char e[256], text[128];

	for (i = 0; i < sizeof(encr) / sizeof(encr[0]); i++)
		p.t[p.n++] = (struct ike_transform){ IKE_TT_ENCR, encr[i][0], encr[i][1] };
	for (i = 0; i < sizeof(integ) / sizeof(integ[0]); i++)
		p.t[p.n++] = (struct ike_transform){ IKE_TT_INTEG, integ[i], 0 };
	for (i = 0; i < sizeof(prf) / sizeof(prf[0]); i++)
		p.t[p.n++] = (struct ike_transform){ IKE_TT_PRF, prf[i], 0 };
	for (i = 0; i < sizeof(dh) / sizeof(dh[0]); i++)
		p.t[p.n++] = (struct ike_transform){ IKE_TT_DH, dh[i], 0 };
	ike_writer_chain(&w);
	ike_put_sa(&w, &p, 1);
	TAP_CHECK(p.n == 34 && one_payload(&pl) &&
		  ike_parse_sa(&pl, &got, 1, &n, &err) == 0 && n == 1 &&
		  got.n == 34,
		  "strongSwan's default IKE proposal (34 transforms) parses (%s)",
		  err ? err : "ok");
	ike_buf_free(&w.buf);
	TAP_CHECK(proposals_parse(IKE_DEFAULT_IKE_PROPOSALS, IKE_PROTO_IKE, mine,
				  IKE_MAX_PROPOSALS, &nmine, e, sizeof(e)) == 0 &&
		  proposal_select(mine, nmine, &got, 1, &chosen),
		  "our default proposals find their match in it");
	proposal_format(&chosen, text, sizeof(text));
	TAP_CHECK(!strcmp(text, "aes128-sha256-prfsha256-x25519"),
		  "... aes128-sha256-prfsha256-x25519, as charon chooses from ours (%s)",
		  text);
}

int main(void)
{
	test_bare_chain();
	test_header();
	test_sa();
	test_sa_odd();
	test_strongswan_default();
	test_ke_nonce();
	test_notify();
	test_id_auth();
	test_cert_certreq_skf();
	test_ts();
	test_delete();
	test_message();
	test_chain_errors();
	test_sa_init_bytes();
	test_sa_init_write();
	test_buf();
	return tap_done();
}
