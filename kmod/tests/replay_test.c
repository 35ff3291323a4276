// SPDX-License-Identifier: GPL-2.0
/* KUnit: the anti-replay window of replay.c, RFC 4303 3.4.3 and appendix A. */
#include <linux/slab.h>

#include "../nfesp.h"
#include "tests.h"

/* One packet: what it carries, what it must be taken for, and whether it passes. */
struct replay_step {
	u32 seq_lo;
	u64 seq;
	bool ok;
};

struct replay_case {
	const char *name;
	u32 window;
	bool esn;
	u64 start;		/* a packet verified before the steps; 0: none */
	unsigned int n;		/* steps */
	struct replay_step steps[8];
};

static const struct replay_case replay_cases[] = {
	{ "first packets, duplicates, zero", 64, false, 0, 6, {
		{ 1, 1, true }, { 1, 1, false }, { 3, 3, true }, { 2, 2, true },
		{ 2, 2, false }, { 0, 0, false },
	} },
	{ "the window's lower edge", 64, false, 100, 5, {
		{ 36, 36, false }, { 37, 37, true }, { 37, 37, false },
		{ 100, 100, false }, { 99, 99, true },
	} },
	{ "a jump keeps what is still in the window", 64, false, 100, 5, {
		{ 150, 150, true }, { 100, 100, false }, { 90, 90, true },
		{ 86, 86, false }, { 87, 87, true },
	} },
	{ "a jump past the whole ring", 64, false, 10, 5, {
		{ 100000, 100000, true }, { 99999, 99999, true },
		{ 10, 10, false }, { 99937, 99937, true }, { 99936, 99936, false },
	} },
	{ "a 4096-packet window", 4096, false, 5000, 7, {
		{ 904, 904, false }, { 905, 905, true }, { 4999, 4999, true },
		{ 905, 905, false }, { 9000, 9000, true }, { 4905, 4905, true },
		{ 4904, 4904, false },
	} },
	{ "the largest window", NFESP_REPLAY_MAX, false, 40000, 4, {
		{ 7232, 7232, false }, { 7233, 7233, true }, { 39999, 39999, true },
		{ 39999, 39999, false },
	} },
	{ "no window: anything but 0 passes, twice too", 0, false, 0, 4, {
		{ 5, 5, true }, { 5, 5, true }, { 1, 1, true }, { 0, 0, false },
	} },
	{ "ESN: the high half follows the window", 128, true, 0x10000000aULL, 4, {
		{ 20, 0x100000014ULL, true },
		{ 0xfffffff0, 0xfffffff0ULL, true },
		{ 0xfffffff0, 0xfffffff0ULL, false },
		{ 0xffffff00, 0x1ffffff00ULL, true },
	} },
	{ "ESN: the low half wraps", 64, true, 0xffffffffULL, 4, {
		{ 5, 0x100000005ULL, true }, { 0xfffffffe, 0xfffffffeULL, true },
		{ 5, 0x100000005ULL, false }, { 0, 0x100000000ULL, true },
	} },
	{ "ESN: before any packet there is no block below 0", 64, true, 0, 2, {
		{ 0xfffffff0, 0xfffffff0ULL, true }, { 1, 0x100000001ULL, true },
	} },
	{ "ESN without a window still guesses the high half", 0, true, 0x2fffffff0ULL, 2, {
		{ 3, 0x300000003ULL, true }, { 3, 0x300000003ULL, true },
	} },
};

static void replay_table(struct kunit *test)
{
	unsigned int i, j;

	for (i = 0; i < ARRAY_SIZE(replay_cases); i++) {
		const struct replay_case *c = &replay_cases[i];
		struct nfesp_replay *r;

		r = nfesp_replay_alloc(c->window, c->esn, GFP_KERNEL);
		KUNIT_ASSERT_NOT_NULL(test, r);
		if (c->start)
			KUNIT_ASSERT_TRUE_MSG(test, nfesp_replay_advance(r, c->start),
					      "%s: start", c->name);
		for (j = 0; j < c->n; j++) {
			const struct replay_step *s = &c->steps[j];
			u64 seq = nfesp_replay_seq(r, s->seq_lo);
			bool ok;

			KUNIT_EXPECT_EQ_MSG(test, seq, s->seq, "%s: step %u",
					    c->name, j);
			ok = nfesp_replay_check(r, seq) &&
			     nfesp_replay_advance(r, seq);
			KUNIT_EXPECT_EQ_MSG(test, ok, s->ok, "%s: step %u (seq %llu)",
					    c->name, j, seq);
		}
		kfree(r);
	}
}

/* A sequence number that the check let through, but another copy won. */
static void replay_advance_refuses_the_second_copy(struct kunit *test)
{
	struct nfesp_replay *r = nfesp_replay_alloc(32, false, GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, r);
	KUNIT_EXPECT_TRUE(test, nfesp_replay_check(r, 7));
	KUNIT_EXPECT_TRUE(test, nfesp_replay_check(r, 7));
	KUNIT_EXPECT_TRUE(test, nfesp_replay_advance(r, 7));
	KUNIT_EXPECT_FALSE(test, nfesp_replay_advance(r, 7));
	kfree(r);
}

/* Every window size: exactly the last `window` numbers below the top pass once. */
static void replay_every_size_keeps_exactly_its_window(struct kunit *test)
{
	static const u32 sizes[] = { 1, 31, 32, 63, 64, 65, 100, 1000, 4096, 4097 };
	unsigned int i;
	u64 s, top;

	for (i = 0; i < ARRAY_SIZE(sizes); i++) {
		u32 w = sizes[i];
		struct nfesp_replay *r = nfesp_replay_alloc(w, false, GFP_KERNEL);

		KUNIT_ASSERT_NOT_NULL(test, r);
		top = 3 * (u64)w + 17;
		KUNIT_ASSERT_TRUE(test, nfesp_replay_advance(r, top));
		for (s = top > 2 * w ? top - 2 * w : 1; s < top; s++) {
			bool in = top - s < w;

			KUNIT_EXPECT_EQ_MSG(test, nfesp_replay_check(r, s), in,
					    "window %u, seq %llu", w, s);
			if (in)
				KUNIT_EXPECT_TRUE(test, nfesp_replay_advance(r, s));
			KUNIT_EXPECT_FALSE(test, nfesp_replay_check(r, s));
		}
		kfree(r);
	}
}

static struct kunit_case replay_test_cases[] = {
	KUNIT_CASE(replay_table),
	KUNIT_CASE(replay_advance_refuses_the_second_copy),
	KUNIT_CASE(replay_every_size_keeps_exactly_its_window),
	{}
};

struct kunit_suite nfesp_replay_suite = {
	.name = "nfesp_replay",
	.test_cases = replay_test_cases,
};
