// SPDX-License-Identifier: GPL-2.0
/* KUnit: the ESP header and trailer rules of esp.c (RFC 4303 2). */
#include <net/inet_ecn.h>

#include "../nfesp.h"
#include "tests.h"

static void esp_pad_brings_payload_to_alignment(struct kunit *test)
{
	static const struct { unsigned int len, align, pad; } cases[] = {
		{ 0, 4, 2 }, { 1, 4, 1 }, { 2, 4, 0 }, { 3, 4, 3 },
		{ 84, 4, 2 }, { 14, 16, 0 }, { 15, 16, 15 }, { 100, 16, 10 },
		{ 1400, 16, 6 },
	};
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		unsigned int pad = nfesp_esp_pad_len(cases[i].len, cases[i].align);

		KUNIT_EXPECT_EQ_MSG(test, pad, cases[i].pad, "len %u align %u",
				    cases[i].len, cases[i].align);
		KUNIT_EXPECT_EQ(test, (cases[i].len + pad + 2) % cases[i].align, 0U);
	}
}

static void esp_pad_counts_from_one(struct kunit *test)
{
	u8 pad[16];

	nfesp_esp_fill_pad(pad, sizeof(pad));
	KUNIT_EXPECT_EQ(test, pad[0], 1);
	KUNIT_EXPECT_EQ(test, pad[15], 16);
	KUNIT_EXPECT_TRUE(test, nfesp_esp_pad_ok(pad, sizeof(pad)));
	KUNIT_EXPECT_TRUE(test, nfesp_esp_pad_ok(pad, 0));
	pad[7] ^= 0x80;
	KUNIT_EXPECT_FALSE(test, nfesp_esp_pad_ok(pad, sizeof(pad)));
	KUNIT_EXPECT_TRUE(test, nfesp_esp_pad_ok(pad, 7));
}

static void esp_aad_without_esn(struct kunit *test)
{
	static const u8 want[] = { 0x00, 0x00, 0x10, 0x01, 0x00, 0x00, 0x00, 0x2a };
	u8 aad[12];

	KUNIT_ASSERT_EQ(test, nfesp_esp_aad(aad, htonl(0x1001), 42, false), 8U);
	KUNIT_EXPECT_EQ(test, memcmp(aad, want, sizeof(want)), 0);
}

/* SPI, then the high half, then the low half, as the AEADs take them. */
static void esp_aad_with_esn(struct kunit *test)
{
	static const u8 want[] = {
		0xde, 0xad, 0xbe, 0xef, 0x00, 0x00, 0x00, 0x03,
		0x00, 0x00, 0x00, 0x04,
	};
	u8 aad[12];

	KUNIT_ASSERT_EQ(test, nfesp_esp_aad(aad, htonl(0xdeadbeef),
					    0x300000004ULL, true), 12U);
	KUNIT_EXPECT_EQ(test, memcmp(aad, want, sizeof(want)), 0);
}

/* RFC 6040 4.2, the decapsulation table: every inner x outer pair. */
static void esp_ecn_decap_follows_rfc6040(struct kunit *test)
{
	enum { N = INET_ECN_NOT_ECT, E0 = INET_ECN_ECT_0,
	       E1 = INET_ECN_ECT_1, CE = INET_ECN_CE, DROP = -EBADMSG };
	/* want[inner][outer], both indexed by their ECN codepoint. */
	static const int want[4][4] = {
		[N] =  { [N] = N,  [E0] = N,  [E1] = N,  [CE] = DROP },
		[E0] = { [N] = E0, [E0] = E0, [E1] = E1, [CE] = CE },
		[E1] = { [N] = E1, [E0] = E1, [E1] = E1, [CE] = CE },
		[CE] = { [N] = CE, [E0] = CE, [E1] = CE, [CE] = CE },
	};
	int inner, outer;

	for (inner = 0; inner < 4; inner++)
		for (outer = 0; outer < 4; outer++)
			/* The DSCP bits around them must not matter. */
			KUNIT_EXPECT_EQ_MSG(test,
					    nfesp_ecn_decap(0xb8 | outer, 0x28 | inner),
					    want[inner][outer],
					    "inner %d outer %d", inner, outer);
}

static struct kunit_case esp_test_cases[] = {
	KUNIT_CASE(esp_pad_brings_payload_to_alignment),
	KUNIT_CASE(esp_pad_counts_from_one),
	KUNIT_CASE(esp_aad_without_esn),
	KUNIT_CASE(esp_aad_with_esn),
	KUNIT_CASE(esp_ecn_decap_follows_rfc6040),
	{}
};

struct kunit_suite nfesp_esp_suite = {
	.name = "nfesp_esp",
	.test_cases = esp_test_cases,
};
