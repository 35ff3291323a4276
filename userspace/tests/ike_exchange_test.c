// SPDX-License-Identifier: GPL-2.0
/*
 * iked's exchanges, driven message by message in one process (the harness
 * in harness/): the responder's IKE_SA_INIT handling under a flood, cookies,
 * the DH group of the initiator's KE, critical payloads it does not know,
 * and two peers of one iked that start at the same moment.
 */
#define _GNU_SOURCE
#include <stdlib.h>
#include <string.h>

#include "../../kmod/uapi/nfesp.h"
#include "../iked/privileges.h"
#include "../iked/conf_loader.h"
#include "harness/harness.h"
#include "tap.h"

/* a's trap for 10.1.0.0/16 === 10.2.0.0/16 in tunnel mode; b's side of it
 * with @b_local_ts (a part of 10.2.0.0/16, to narrow a's).
 */
static const char *trap_pair(const char *b_local_ts)
{
	static char text[512];

	snprintf(text, sizeof(text),
		 "[a]\nlocal = 192.0.2.1\nremote = 192.0.2.2\n"
		 "psk = 0x00112233445566778899aabbccddeeff\n"
		 "local_ts = 10.1.0.0/16\nremote_ts = 10.2.0.0/16\nstart = trap\n"
		 "[b]\nlocal = 192.0.2.2\nremote = 192.0.2.1\n"
		 "psk = 0x00112233445566778899aabbccddeeff\n"
		 "local_ts = %s\nremote_ts = 10.1.0.0/16\nstart = none\n",
		 b_local_ts);
	return text;
}

/* What a hand-made IKE_SA_INIT request carries. */
struct init_req {
	uint8_t spi_i[IKE_SPI_LEN];
	const char *proposals;
	uint16_t group;
	bool short_ke;		/* a 1-byte KE: no valid public value */
	uint8_t extra;		/* a payload of this type, critical */
	const uint8_t *cookie;
	size_t cookie_len;
};

static void build_init(const struct init_req *r, struct ike_buf *out)
{
	struct ike_proposal props[IKE_MAX_PROPOSALS];
	struct ike_header hdr = { 0 };
	uint8_t nonce[32];
	struct ike_writer w;
	struct ike_dh *dh = ike_dh_new(r->group);
	const uint8_t *pub;
	unsigned int n;
	size_t len, off;
	char err[256];

	if (!dh || proposals_parse(r->proposals, IKE_PROTO_IKE, props,
				   IKE_MAX_PROPOSALS, &n, err, sizeof(err)))
		exit(2);
	memcpy(hdr.spi_i, r->spi_i, IKE_SPI_LEN);
	hdr.version = IKE_VERSION;
	hdr.exchange = IKE_SA_INIT;
	hdr.flags = IKE_FLAG_INITIATOR;
	ike_writer_message(&w, &hdr);
	if (r->cookie)
		ike_put_notify(&w, 0, NULL, 0, IKE_N_COOKIE, r->cookie,
			       r->cookie_len);
	ike_put_sa(&w, props, n);
	pub = ike_dh_public(dh, &len);
	ike_put_ke(&w, r->group, pub, r->short_ke ? 1 : len);
	/* Of the SPI: a cookie is of the nonce, so the same request each time. */
	for (n = 0; n < sizeof(nonce); n++)
		nonce[n] = r->spi_i[n % IKE_SPI_LEN] ^ (uint8_t)n;
	ike_put_nonce(&w, nonce, sizeof(nonce));
	if (r->extra) {
		off = ike_writer_begin(&w, r->extra, true);
		ike_buf_put(&w.buf, "?", 1);
		ike_writer_end(&w, off);
	}
	if (!ike_writer_finish(&w))
		exit(2);
	ike_dh_free(dh);
	*out = w.buf;
}

/* Sends @r to b, from a's address; b's answer into @pl (its bytes in @resp). */
static unsigned int send_init(const struct init_req *r, struct sent_msg *resp,
			      struct ike_payload *pl)
{
	struct ike_header hdr;
	struct ike_buf msg;
	const char *err;
	unsigned int n = 0;

	build_init(r, &msg);
	stub_side = at_b;
	ike_receive(msg.data, msg.len, &at_b, &at_a);
	ike_buf_free(&msg);
	memset(resp, 0, sizeof(*resp));
	if (!harness_take(resp))
		return 0;
	if (ike_parse_header(resp->data, resp->len, &hdr, &err) ||
	    ike_parse_chain(hdr.next_payload, resp->data + IKE_HDR_LEN,
			    resp->len - IKE_HDR_LEN, pl, IKE_MAX_PAYLOADS, &n, &err))
		return 0;
	return n;
}

/* Responder SAs that got no further than IKE_SA_INIT. */
static unsigned int live_half_open(void)
{
	const struct ike_sa *sa;
	unsigned int n = 0;

	for (sa = iked.sas; sa; sa = sa->next)
		n += !sa->initiator && sa->state == IKE_S_INIT_DONE;
	return n;
}

static void spi_of(uint8_t *spi, unsigned int i, uint8_t kind)
{
	memset(spi, 0, IKE_SPI_LEN);
	spi[0] = kind;
	spi[6] = i >> 8;
	spi[7] = i & 0xff;
}

/*
 * Good and bad IKE_SA_INITs in turn: a bad one (a 1-byte KE) makes no SA
 * and leaves the count alone, so that the 17th good one is asked for a
 * cookie (the threshold is 16), and the count is the live half-open SAs'.
 */
static void test_half_open_count(void)
{
	struct ike_payload pl[IKE_MAX_PAYLOADS];
	struct init_req r = { .proposals = "aes128gcm16-prfsha256-x25519",
			      .group = IKE_DH_X25519 };
	unsigned int i, n, first_cookie = 0, bad_answered = 0;
	bool counted = true, bad_made_sa = false;
	struct sent_msg resp;

	harness_reset();
	for (i = 1; i <= 50; i++) {
		spi_of(r.spi_i, i, 1);
		r.short_ke = false;
		n = send_init(&r, &resp, pl);
		if (!first_cookie && ike_has_notify(pl, n, IKE_N_COOKIE, NULL))
			first_cookie = i;
		sent_free(&resp);
		counted &= iked.half_open == live_half_open();

		spi_of(r.spi_i, i, 2);
		r.short_ke = true;
		n = send_init(&r, &resp, pl);
		bad_answered += ike_error_notify(pl, n, NULL) == IKE_N_INVALID_SYNTAX ||
				ike_has_notify(pl, n, IKE_N_COOKIE, NULL);
		bad_made_sa |= ike_sa_by_init(r.spi_i, &at_a) != NULL;
		sent_free(&resp);
		counted &= iked.half_open == live_half_open();
	}
	TAP_CHECK(first_cookie == 17,
		  "good and bad IKE_SA_INITs in turn: the 17th good one is asked for a cookie (got %u)",
		  first_cookie);
	TAP_CHECK(counted && live_half_open() == 16,
		  "the half-open count is the live half-open SAs' after each (%u counted, %u live)",
		  iked.half_open, live_half_open());
	TAP_CHECK(bad_answered == 50 && !bad_made_sa,
		  "a 1-byte KE is answered (INVALID_SYNTAX or COOKIE) and leaves no SA");
	harness_tick(time(NULL) + 31);
	TAP_CHECK(iked.half_open == 0 && live_half_open() == 0,
		  "half-open SAs time out, the count with them (%u)", iked.half_open);
}

/* Past half_open_max even a returned cookie makes no new SA. */
static void test_half_open_bound(void)
{
	struct ike_payload pl[IKE_MAX_PAYLOADS];
	struct init_req r = { .proposals = "aes128gcm16-prfsha256-x25519",
			      .group = IKE_DH_X25519 };
	struct ike_notify nt;
	struct sent_msg resp;
	uint8_t cookie[64];
	unsigned int i, n, sas_answered = 0;

	harness_reset();
	iked.conf.settings.cookie_threshold = 0;
	iked.conf.settings.half_open_max = 8;
	for (i = 1; i <= 12; i++) {
		spi_of(r.spi_i, i, 3);
		r.cookie = NULL;
		n = send_init(&r, &resp, pl);
		if (!ike_has_notify(pl, n, IKE_N_COOKIE, &nt) || nt.len > sizeof(cookie)) {
			sent_free(&resp);
			break;
		}
		memcpy(cookie, nt.data, nt.len);
		r.cookie = cookie;
		r.cookie_len = nt.len;
		sent_free(&resp);
		n = send_init(&r, &resp, pl);
		sas_answered += ike_find(pl, n, IKE_PL_SA) != NULL;
		sent_free(&resp);
	}
	TAP_CHECK(i == 13 && sas_answered == 8 && live_half_open() == 8,
		  "with cookies returned, half-open SAs stop at half_open_max (8: %u answered, %u live)",
		  sas_answered, live_half_open());
	conf_global_defaults(&iked.conf.settings);
}

/* The cookie b asks @r's sender for, into @c (32 bytes); false if none. */
static bool cookie_for(const struct init_req *r, uint8_t *c)
{
	struct ike_payload pl[IKE_MAX_PAYLOADS];
	struct ike_notify nt;
	struct sent_msg resp;
	unsigned int n = send_init(r, &resp, pl);
	bool got = ike_has_notify(pl, n, IKE_N_COOKIE, &nt) && nt.len == 32;

	if (got)
		memcpy(c, nt.data, 32);
	sent_free(&resp);
	return got;
}

/* Whether b answers @r (with @cookie) with its SA payload. */
static bool answered(struct init_req *r, const uint8_t *cookie)
{
	struct ike_payload pl[IKE_MAX_PAYLOADS];
	struct sent_msg resp;
	unsigned int n;
	bool sa;

	r->cookie = cookie;
	r->cookie_len = 32;
	n = send_init(r, &resp, pl);
	sa = ike_find(pl, n, IKE_PL_SA) != NULL;
	sent_free(&resp);
	r->cookie = NULL;
	return sa;
}

/* The secret rotates; a cookie of the one before still counts, older not. */
static void test_cookie_rotation(void)
{
	struct init_req x = { .proposals = "aes128gcm16-prfsha256-x25519",
			      .group = IKE_DH_X25519 };
	struct init_req y = x;
	uint8_t c1[32], c2[32], d[32];
	bool got;

	harness_reset();
	iked.conf.settings.cookie_threshold = 0;
	spi_of(x.spi_i, 1, 4);
	spi_of(y.spi_i, 2, 4);
	got = cookie_for(&x, c1);
	iked.cookie_secret_at -= 301;
	got &= cookie_for(&x, c2);
	TAP_CHECK(got && memcmp(c1, c2, 32),
		  "past the threshold a request is asked for a cookie, another once the secret rotated");
	TAP_CHECK(answered(&x, c1), "a cookie of the secret before is still taken");
	got = cookie_for(&y, d);
	iked.cookie_secret_at -= 301;
	cookie_for(&y, c2);
	iked.cookie_secret_at -= 301;
	TAP_CHECK(got && !answered(&y, d), "a cookie two secrets old is refused");
	conf_global_defaults(&iked.conf.settings);
}

/* Their KE is of the second group of a proposal both allow: answered in it. */
static void test_ke_group_taken(void)
{
	struct ike_payload pl[IKE_MAX_PAYLOADS];
	struct init_req r = { .proposals = "aes128gcm16-prfsha256-x25519-ecp256",
			      .group = IKE_DH_ECP256 };
	const struct ike_payload *ke;
	const uint8_t *data;
	struct sent_msg resp;
	uint16_t group = 0;
	size_t len;
	const char *err;
	unsigned int n;

	harness_reset();
	spi_of(r.spi_i, 1, 5);
	n = send_init(&r, &resp, pl);
	ke = ike_find(pl, n, IKE_PL_KE);
	if (ke)
		ike_parse_ke(ke, &group, &data, &len, &err);
	TAP_CHECK(!ike_error_notify(pl, n, NULL) && group == IKE_DH_ECP256,
		  "KE of ecp256, proposed after x25519: answered with ecp256, no INVALID_KE (group %u)",
		  group);
	sent_free(&resp);
}

/* A peer that answers every request with a new COOKIE is given up. */
static void test_cookie_retries(void)
{
	struct ike_conn *a = config_find(&iked.conf, "a");
	struct ike_header hdr, rh;
	struct sent_msg m;
	struct ike_writer w;
	unsigned int i, sent = 0;
	const char *err;
	uint8_t cookie[16];

	harness_reset();
	stub_side = at_a;
	ike_initiate(a, NULL, NULL);
	for (i = 0; i < 10 && harness_take(&m); i++) {
		sent++;
		if (ike_parse_header(m.data, m.len, &hdr, &err))
			exit(2);
		sent_free(&m);
		rh = hdr;
		rh.flags = IKE_FLAG_RESPONSE;
		ike_writer_message(&w, &rh);
		ike_random(cookie, sizeof(cookie));
		ike_put_notify(&w, 0, NULL, 0, IKE_N_COOKIE, cookie, sizeof(cookie));
		if (!ike_writer_finish(&w))
			exit(2);
		stub_side = at_a;
		ike_receive(w.buf.data, w.buf.len, &at_a, &at_b);
		ike_buf_free(&w.buf);
		ike_sa_remove_dead();
	}
	TAP_CHECK(sent <= 4 && !harness_ike_sas(a, false),
		  "a peer that asks for a new cookie every time: given up after 3 (%u requests sent)",
		  sent);
}

/* An unknown critical payload in IKE_SA_INIT: UNSUPPORTED_CRITICAL_PAYLOAD. */
static void test_unknown_critical(void)
{
	struct ike_payload pl[IKE_MAX_PAYLOADS];
	struct init_req r = { .proposals = "aes128gcm16-prfsha256-x25519",
			      .group = IKE_DH_X25519, .extra = 200 };
	struct ike_notify nt;
	struct sent_msg resp;
	unsigned int n;
	bool told;

	harness_reset();
	spi_of(r.spi_i, 1, 6);
	n = send_init(&r, &resp, pl);
	told = ike_has_notify(pl, n, IKE_N_UNSUPPORTED_CRITICAL_PAYLOAD, &nt) &&
	       nt.len == 1 && nt.data[0] == 200;
	TAP_CHECK(told && !ike_sa_by_init(r.spi_i, &at_a) && !ike_find(pl, n, IKE_PL_SA),
		  "IKE_SA_INIT with an unknown critical payload: UNSUPPORTED_CRITICAL_PAYLOAD naming it, no SA");
	sent_free(&resp);
}

static void test_one_side_starts(void)
{
	harness_reset();
	harness_a_starts();
	TAP_CHECK(harness_working_pairs() == 1 && stub_nsas == 4 &&
		  stub_policies_of(&at_a) == 2 && stub_policies_of(&at_b) == 2,
		  "a starts: one IKE SA, its CHILD SA in both kernels with 2 policies each (%u SAs)",
		  stub_nsas);
}

/* Both ends at once, delivered in 20 different orders: each time at least
 * one pair works, INITIAL_CONTACT having ended none that was still being set up.
 */
static void test_both_start(void)
{
	unsigned int seed, good = 0;

	for (seed = 1; seed <= 20; seed++) {
		harness_reset();
		stub_side = at_a;
		ike_initiate(config_find(&iked.conf, "a"), NULL, NULL);
		stub_side = at_b;
		ike_initiate(config_find(&iked.conf, "b"), NULL, NULL);
		harness_shuffle(seed);
		harness_deliver(200);
		good += harness_working_pairs() >= 1;
	}
	TAP_CHECK(good == 20, "both start at once: a working pair in %u of 20 orders", good);
}

/* The established IKE SA of connection @name (not one being replaced). */
static struct ike_sa *up(const char *name)
{
	struct ike_sa *sa;

	for (sa = iked.sas; sa; sa = sa->next)
		if (sa->state == IKE_S_ESTABLISHED && !sa->rekeyed &&
		    !strcmp(sa->conn->name, name))
			return sa;
	return NULL;
}

/* Every kernel SA belongs to a CHILD SA of a live IKE SA. */
static bool no_stray_kernel_sas(void)
{
	const struct ike_sa *sa;
	const struct child_sa *c;
	unsigned int n = 0;

	for (sa = iked.sas; sa; sa = sa->next)
		for (c = sa->children; c; c = c->next)
			n += 2;
	return n == stub_nsas;
}

/*
 * a rekeys its CHILD SA while b rekeys the IKE SA (RFC 7296 2.25.2): in
 * either order of arrival, and once the ticks have let the refused one
 * try again, one IKE SA pair works with its CHILD SA in both kernels, and
 * nothing is used after being freed (ASan and valgrind run this test).
 */
static void test_child_and_ike_rekey_cross(void)
{
	unsigned int seed, good = 0, pairs_now, i;
	time_t now = time(NULL);
	struct ike_sa *a, *b;

	for (seed = 1; seed <= 8; seed++) {
		harness_reset();
		harness_a_starts();
		a = up("a");
		b = up("b");
		if (!a || !b || !a->children)
			break;
		stub_side = at_a;
		child_rekey(a, a->children);
		stub_side = at_b;
		ike_rekey(b);
		harness_shuffle(seed);
		harness_deliver(200);
		/* Whoever was refused tries again within 15 s. */
		for (i = 1; i <= 20; i++) {
			harness_tick(now + i);
			harness_deliver(200);
		}
		pairs_now = harness_working_pairs();
		good += pairs_now == 1 && no_stray_kernel_sas();
		if (pairs_now != 1 || !no_stray_kernel_sas())
			printf("#   order %u: %u pairs, %u kernel SAs\n", seed, pairs_now, stub_nsas);
	}
	TAP_CHECK(good == 8,
		  "a CHILD rekey and an IKE rekey crossing: one working pair, no stray SA, in %u of 8 orders",
		  good);
}

/* As many selectors as a connection may have, and an ACQUIRE's flow ahead
 * of them: a responder of iked's kind takes them all.
 */
static void test_most_selectors(void)
{
	static const char wide[] =
		"[a]\n"
		"local = 192.0.2.1\n"
		"remote = 192.0.2.2\n"
		"psk = 0x00112233445566778899aabbccddeeff\n"
		"local_ts = 10.1.0.0/24, 10.1.1.0/24, 10.1.2.0/24, 10.1.3.0/24, "
		"10.1.4.0/24, 10.1.5.0/24, 10.1.6.0/24, 10.1.7.0/24\n"
		"remote_ts = 10.2.0.0/24, 10.2.1.0/24, 10.2.2.0/24, 10.2.3.0/24, "
		"10.2.4.0/24, 10.2.5.0/24, 10.2.6.0/24, 10.2.7.0/24\n"
		"start = trap\n"
		"[b]\n"
		"local = 192.0.2.2\n"
		"remote = 192.0.2.1\n"
		"psk = 0x00112233445566778899aabbccddeeff\n"
		"local_ts = 10.2.0.0/16\n"
		"remote_ts = 10.1.0.0/16\n"
		"start = none\n";
	struct ike_ts tsi = { .type = IKE_TS_IPV4_ADDR_RANGE, .eport = 65535,
			      .saddr = { 10, 1, 3, 5 }, .eaddr = { 10, 1, 3, 5 } };
	struct ike_ts tsr = { .type = IKE_TS_IPV4_ADDR_RANGE, .eport = 65535,
			      .saddr = { 10, 2, 4, 6 }, .eaddr = { 10, 2, 4, 6 } };
	struct ike_sa *b;

	harness_reset();
	harness_load(wide);
	stub_side = at_a;
	ike_initiate(config_find(&iked.conf, "a"), &tsi, &tsr);
	harness_deliver(100);
	b = up("b");
	TAP_CHECK(harness_working_pairs() == 1 && b && b->children &&
		  b->children->n_ts_remote == 8,
		  "8 selectors a side and an ACQUIRE's flow: the CHILD SA comes up with 8 (%u)",
		  b && b->children ? b->children->n_ts_remote : 0);
	harness_reset();
	harness_load(harness_pair);
}

/* Policies of @side whose destination prefix is @dst/@len. */
static unsigned int policies_to(const struct sockaddr_storage *side,
				const uint8_t *dst, uint8_t len)
{
	unsigned int i, n = 0;

	for (i = 0; i < stub_npolicies; i++)
		n += sockaddr_same_addr(&stub_policies[i].side, side) &&
		     stub_policies[i].p.dir == NFESP_DIR_OUT &&
		     stub_policies[i].p.dst_len == len &&
		     !memcmp(stub_policies[i].p.dst.bytes, dst, 4);
	return n;
}

/*
 * A trap connection for 10.2.0.0/16 that the peer narrows to 10.2.5.0/24,
 * then on a rekey to 10.2.5.0/25: the policies of the narrowed selectors
 * go with the CHILD SA that had them, and when the connection stops, every
 * policy iked installed for it goes.
 */
static void test_policies_go_with_their_sas(void)
{
	static const uint8_t net16[4] = { 10, 2 }, net24[4] = { 10, 2, 5 };
	struct ike_conn *b;
	struct ike_sa *a;
	unsigned int trap, up24;
	time_t now = time(NULL);
	int i;

	harness_reset();
	harness_load(trap_pair("10.2.5.0/24"));
	trap = stub_policies_of(&at_a);
	harness_a_starts();
	up24 = policies_to(&at_a, net24, 24);
	TAP_CHECK(trap == 3 && harness_working_pairs() == 1 && up24 == 1 &&
		  policies_to(&at_a, net16, 16) == 1,
		  "trap 10.2.0.0/16, narrowed to 10.2.5.0/24: the trap's and the CHILD SA's policies (%u, then %u)",
		  trap, stub_policies_of(&at_a));

	/* b now narrows to 10.2.5.0/25; a rekeys. */
	b = config_find(&iked.conf, "b");
	b->local_ts[0].prefix_len = 25;
	a = up("a");
	stub_side = at_a;
	if (a && a->children)
		child_rekey(a, a->children);
	harness_deliver(100);
	for (i = 1; i <= 6; i++) {
		harness_tick(now + i);
		harness_deliver(100);
	}
	TAP_CHECK(harness_working_pairs() == 1 && policies_to(&at_a, net24, 24) == 0 &&
		  policies_to(&at_a, net24, 25) == 1 && stub_policies_of(&at_a) == 6,
		  "rekeyed to 10.2.5.0/25: the /24's policies went with the old CHILD SA (%u left)",
		  stub_policies_of(&at_a));

	/* Each side's own, so that the stub knows whose kernel it is. */
	stub_side = at_a;
	conn_stop(config_find(&iked.conf, "a"));
	stub_side = at_b;
	conn_stop(b);
	harness_deliver(100);
	TAP_CHECK(stub_policies_of(&at_a) == 0 && stub_policies_of(&at_b) == 0 &&
		  stub_nsas == 0,
		  "stopped: no policy and no SA of iked's is left (%u policies, %u SAs)",
		  stub_npolicies, stub_nsas);
	harness_reset();
	harness_load(harness_pair);
}

/* An INFORMATIONAL request with an unknown critical payload: answered with
 * UNSUPPORTED_CRITICAL_PAYLOAD naming it; the IKE SA stays.
 */
static void test_unknown_critical_sealed(void)
{
	struct ike_payload pl[IKE_MAX_PAYLOADS];
	static uint8_t plain[IKE_MAX_MSG];
	struct ike_notify nt;
	struct ike_writer w;
	struct sent_msg m;
	struct ike_sa *a;
	unsigned int n = 0;
	size_t off;
	bool told = false;

	harness_reset();
	harness_a_starts();
	a = up("a");
	if (a) {
		ike_writer_chain(&w);
		off = ike_writer_begin(&w, 201, true);
		ike_buf_put(&w.buf, "?", 1);
		ike_writer_end(&w, off);
		ike_sa_request(a, INFORMATIONAL, &w, REQ_DPD);
		harness_deliver(1);
	}
	if (a && harness_take(&m)) {
		n = harness_open(a, &m, plain, sizeof(plain), pl);
		told = ike_has_notify(pl, n, IKE_N_UNSUPPORTED_CRITICAL_PAYLOAD, &nt) &&
		       nt.len == 1 && nt.data[0] == 201;
		stub_side = at_a;
		ike_receive(m.data, m.len, &m.to, &m.from);
		sent_free(&m);
	}
	TAP_CHECK(told && a->pending == REQ_NONE && harness_working_pairs() == 1,
		  "INFORMATIONAL with an unknown critical payload: answered UNSUPPORTED_CRITICAL_PAYLOAD naming it, the IKE SA stays");
}

static bool zero(const uint8_t *p, size_t len)
{
	while (len--)
		if (*p++)
			return false;
	return true;
}

/* Nothing an IKE SA that is up no longer needs: the DH private key, the
 * IKE_SA_INIT messages and SK_p that AUTH was made of.
 */
static bool auth_inputs_gone(const struct ike_sa *sa)
{
	return sa && !sa->dh && !sa->init_req.len && !sa->init_resp.len &&
	       zero(sa->keys.sk_pi, sizeof(sa->keys.sk_pi)) &&
	       zero(sa->keys.sk_pr, sizeof(sa->keys.sk_pr));
}

static void test_secrets_wiped_early(void)
{
	struct ike_sa *a, *b;

	harness_reset();
	harness_a_starts();
	a = up("a");
	b = up("b");
	TAP_CHECK(auth_inputs_gone(a) && auth_inputs_gone(b),
		  "up: no DH private key, IKE_SA_INIT copies or SK_p kept, either side");
	stub_side = at_a;
	if (a)
		ike_rekey(a);
	/* The CREATE_CHILD_SA and its answer; a's DELETE of the old SA waits. */
	harness_deliver(2);
	TAP_CHECK(a && a->state != IKE_S_DEAD && a->rekeyed && !a->xdh,
		  "an IKE rekey answered: its DH private key is gone at once");
	harness_deliver(100);
}


/* A selector of one IPv4 prefix. */
static struct ike_ts ts4(uint8_t a, uint8_t b, uint8_t c, uint8_t len)
{
	struct ike_ts ts = { .type = IKE_TS_IPV4_ADDR_RANGE, .eport = 65535,
			     .saddr = { a, b, c, 0 } };
	uint32_t host = len >= 32 ? 0 : 0xffffffffu >> len;

	ts.eaddr[0] = a | (uint8_t)(host >> 24);
	ts.eaddr[1] = b | (uint8_t)(host >> 16);
	ts.eaddr[2] = c | (uint8_t)(host >> 8);
	ts.eaddr[3] = (uint8_t)host;
	return ts;
}

/* Every SA and policy of @side's kernel with @reqid: how many. */
static unsigned int with_reqid(const struct sockaddr_storage *side, uint32_t reqid,
			       unsigned int *policies)
{
	unsigned int i, sas = 0;

	*policies = 0;
	for (i = 0; i < stub_nsas; i++)
		sas += sockaddr_same_addr(&stub_sas[i].side, side) &&
		       stub_sas[i].reqid == reqid;
	for (i = 0; i < stub_npolicies; i++)
		*policies += sockaddr_same_addr(&stub_policies[i].side, side) &&
			     stub_policies[i].p.reqid == reqid;
	return sas;
}

/*
 * The peer opens a second CHILD SA for other selectors (as a strongSwan
 * connection with two children does): each CHILD SA has its own reqid,
 * its SAs and policies that reqid alone, so that each flow takes its own.
 */
static void test_two_children(void)
{
	struct ike_ts l = ts4(10, 2, 2, 24), r = ts4(10, 1, 2, 24);
	struct ike_sa *a, *b;
	uint32_t r1 = 0, r2 = 0;
	unsigned int sas1, sas2, pol1, pol2;

	harness_reset();
	harness_load(trap_pair("10.2.0.0/16"));
	harness_a_starts();
	b = up("b");
	stub_side = at_b;
	if (b)
		child_create_ts(b, &l, 1, &r, 1);
	harness_deliver(100);
	a = up("a");
	if (a && a->children && a->children->next) {
		r1 = a->children->next->reqid;
		r2 = a->children->reqid;
	}
	sas1 = with_reqid(&at_a, r1, &pol1);
	sas2 = with_reqid(&at_a, r2, &pol2);
	TAP_CHECK(r1 && r2 && r1 != r2 && r1 == a->conn->reqid && sas1 == 2 &&
		  sas2 == 2 && pol1 == 3 && pol2 == 3,
		  "a second CHILD SA of the peer's: reqids %u and %u, 2 SAs and 3 policies each (%u/%u, %u/%u)",
		  r1, r2, sas1, pol1, sas2, pol2);
	harness_reset();
	harness_load(harness_pair);
}

/*
 * The peer deletes the only CHILD SA; traffic raises an ACQUIRE on the
 * trap policy: a new CHILD SA on the same IKE SA, not a new IKE SA. The
 * policies left of the deleted one are the trap's again, with its reqid.
 */
static void test_acquire_on_ike_sa(void)
{
	struct kernel_event ev = { .acquire = true, .family = AF_INET,
				   .src = { 10, 1, 0, 1 }, .dst = { 10, 2, 0, 1 } };
	uint8_t spi_before[IKE_SPI_LEN] = { 0 };
	struct ike_sa *a, *b;
	unsigned int trap_policies = 0, sas;

	harness_reset();
	harness_load(trap_pair("10.2.0.0/16"));
	harness_a_starts();
	a = up("a");
	b = up("b");
	if (!a || !b || !b->children)
		goto out;
	memcpy(spi_before, a->spi_i, IKE_SPI_LEN);
	stub_side = at_b;
	ike_send_delete_child(b, b->children);
	harness_deliver(100);
	sas = with_reqid(&at_a, a->conn->reqid, &trap_policies);
	TAP_CHECK(!a->children && sas == 0 && trap_policies == 3,
		  "the peer deleted the CHILD SA: its policies are the trap's again (%u with its reqid)",
		  trap_policies);
	ev.reqid = a->conn->reqid;
	stub_side = at_a;
	conn_kernel_event(&ev);
	harness_deliver(100);
out:
	a = up("a");
	TAP_CHECK(a && !memcmp(a->spi_i, spi_before, IKE_SPI_LEN) && a->children &&
		  harness_working_pairs() == 1,
		  "an ACQUIRE then: a new CHILD SA on the same IKE SA");
	harness_reset();
	harness_load(harness_pair);
}

/* Lines of @log that hold @what. */
static unsigned int lines_with(FILE *log, const char *what)
{
	char line[1200];
	unsigned int n = 0;

	rewind(log);
	while (fgets(line, sizeof(line), log))
		n += strstr(line, what) != NULL;
	return n;
}

/* A flood of malformed IKE_SA_INITs from one source: 5 warnings of it,
 * and another source still has its own.
 */
static void test_warnings_limited(void)
{
	struct sockaddr_storage one = harness_addr("198.51.100.1", IKE_PORT);
	struct sockaddr_storage other = harness_addr("198.51.100.2", IKE_PORT);
	struct ike_header hdr = { .version = IKE_VERSION, .exchange = IKE_SA_INIT,
				  .flags = IKE_FLAG_INITIATOR };
	FILE *log = tmpfile(), *was = ike_log_file;
	unsigned int i, from_a, from_other;
	struct ike_writer w;
	size_t off;

	if (!log)
		exit(2);
	harness_reset();
	ike_log_file = log;
	for (i = 0; i < 40; i++) {
		spi_of(hdr.spi_i, i, 7);
		ike_writer_message(&w, &hdr);
		/* A payload whose length runs past the message. */
		off = ike_writer_begin(&w, IKE_PL_SA, false);
		ike_buf_put(&w.buf, "\x01", 1);
		ike_writer_end(&w, off);
		if (!ike_writer_finish(&w))
			exit(2);
		w.buf.data[off + 2] = 0xff;
		ike_receive(w.buf.data, w.buf.len, &at_b, i % 2 ? &other : &one);
		ike_buf_free(&w.buf);
	}
	fflush(log);
	from_a = lines_with(log, "from 198.51.100.1[500] refused");
	from_other = lines_with(log, "from 198.51.100.2[500] refused");
	ike_log_file = was;
	fclose(log);
	TAP_CHECK(from_a == 5 && from_other == 5,
		  "20 malformed IKE_SA_INITs from each of two sources: 5 warnings each (%u, %u)",
		  from_a, from_other);
	harness_reset();
}

int main(void)
{
	/* All of it under iked's seccomp filter, if asked: a call iked makes
	 * that the filter lacks kills the test, and names the call.
	 */
	if (getenv("IKED_TEST_SECCOMP") && privileges_seccomp()) {
		printf("not ok 1 - the seccomp filter cannot be installed\n");
		return 1;
	}
	harness_load(harness_pair);
	test_half_open_count();
	test_half_open_bound();
	test_cookie_rotation();
	test_ke_group_taken();
	test_cookie_retries();
	test_unknown_critical();
	test_unknown_critical_sealed();
	test_one_side_starts();
	test_both_start();
	test_child_and_ike_rekey_cross();
	test_most_selectors();
	test_policies_go_with_their_sas();
	test_secrets_wiped_early();
	test_warnings_limited();
	test_two_children();
	test_acquire_on_ike_sa();
	harness_end();
	return tap_done();
}
