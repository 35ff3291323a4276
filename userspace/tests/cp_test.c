// SPDX-License-Identifier: GPL-2.0
/* Unit tests of userspace/iked/cp.c: the configuration payload. */
#define _GNU_SOURCE
#include <string.h>

#include "../iked/cp.h"
#include "../iked/ikev2.h"
#include "tap.h"

static bool one_payload(struct ike_writer *w, struct ike_payload *pl)
{
	unsigned int n = 0;
	const char *err = NULL;

	return ike_writer_finish(w) &&
	       !ike_parse_chain(w->first_type, w->buf.data, w->buf.len, pl, 1, &n, &err) &&
	       n == 1;
}

static void test_round_trip(void)
{
	static const uint8_t ip4[4] = { 10, 99, 0, 7 }, dns[4] = { 10, 1, 0, 53 };
	static const uint8_t ip6[17] = { 0xfd, 0, 0, 0x99, [15] = 7, [16] = 128 };
	struct ike_cp_attr out[] = {
		{ IKE_CP_INTERNAL_IP4_ADDRESS, 4, ip4 },
		{ IKE_CP_INTERNAL_IP4_DNS, 4, dns },
		{ IKE_CP_INTERNAL_IP6_ADDRESS, 17, ip6 },
		{ IKE_CP_APPLICATION_VERSION, 0, NULL },
	}, in[IKE_CP_MAX_ATTRS];
	struct ike_payload pl;
	struct ike_writer w;
	const char *err = NULL;
	unsigned int n = 0;
	uint8_t type = 0;

	ike_writer_chain(&w);
	ike_put_cp(&w, IKE_CFG_REPLY, out, 4);
	TAP_CHECK(one_payload(&w, &pl) && pl.type == IKE_PL_CP &&
		  !ike_parse_cp(&pl, &type, in, IKE_CP_MAX_ATTRS, &n, &err) &&
		  type == IKE_CFG_REPLY && n == 4 && in[0].type == IKE_CP_INTERNAL_IP4_ADDRESS &&
		  in[0].len == 4 && !memcmp(in[0].value, ip4, 4) &&
		  in[2].len == 17 && !memcmp(in[2].value, ip6, 17) && in[3].len == 0,
		  "CFG_REPLY with an address, DNS, an IPv6 address and an empty attribute: round trip");
	TAP_CHECK(ike_parse_cp(&pl, &type, in, 3, &n, &err) && strstr(err, "too many"),
		  "more attributes than taken: refused (%s)", err);
	ike_buf_free(&w.buf);
}

static void test_refused(void)
{
	static const struct {
		uint8_t body[16];
		size_t len;
		const char *why;
	} bad[] = {
		{ { 1, 0, 0 }, 3, "too short" },
		{ { 9, 0, 0, 0 }, 4, "unknown CFG type" },
		{ { 1, 0, 0, 0, 0, 1, 0 }, 7, "cut short" },
		{ { 1, 0, 0, 0, 0, 1, 0, 8, 10, 0, 0, 1 }, 12, "longer than" },
		{ { 1, 0, 0, 0, 0, 1, 0, 3, 10, 0, 0 }, 11, "wrong length" },
		{ { 1, 0, 0, 0, 0, 8, 0, 4, 1, 2, 3, 4 }, 12, "wrong length" },
	};
	struct ike_cp_attr in[IKE_CP_MAX_ATTRS];
	struct ike_payload pl = { .type = IKE_PL_CP };
	const char *err = NULL;
	unsigned int i, n;
	uint8_t type;
	static const uint8_t req[] = { 1, 0, 0, 0, 0x80, 1, 0, 0, 0, 8, 0, 0 };

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		pl.body = bad[i].body;
		pl.len = bad[i].len;
		err = NULL;
		TAP_CHECK(ike_parse_cp(&pl, &type, in, IKE_CP_MAX_ATTRS, &n, &err) && err &&
			  strstr(err, bad[i].why), "refused: %s", err);
	}
	pl.body = req;
	pl.len = sizeof(req);
	TAP_CHECK(!ike_parse_cp(&pl, &type, in, IKE_CP_MAX_ATTRS, &n, &err) && n == 2 &&
		  type == IKE_CFG_REQUEST && in[0].type == IKE_CP_INTERNAL_IP4_ADDRESS &&
		  !in[0].len && in[1].type == IKE_CP_INTERNAL_IP6_ADDRESS,
		  "a CFG_REQUEST for an IPv4 (R bit set: ignored) and an IPv6 address");
}

int main(void)
{
	test_round_trip();
	test_refused();
	return tap_done();
}
