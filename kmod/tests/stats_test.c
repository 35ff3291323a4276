// SPDX-License-Identifier: GPL-2.0
/* KUnit: the per-CPU counters of stats.c. */
#include "../nfesp.h"
#include "tests.h"

static struct nfesp_stats __percpu *stats_new(struct kunit *test)
{
	struct nfesp_stats __percpu *stats = nfesp_stats_alloc();

	KUNIT_ASSERT_NOT_NULL(test, stats);
	return stats;
}

static void stats_start_at_zero(struct kunit *test)
{
	struct nfesp_stats __percpu *stats = stats_new(test);
	u64 sum[__NFESP_STAT_MAX];
	unsigned int i;

	memset(sum, 0xff, sizeof(sum));
	nfesp_stats_sum(stats, sum);
	for (i = 0; i < __NFESP_STAT_MAX; i++)
		KUNIT_EXPECT_EQ_MSG(test, sum[i], 0ULL, "counter %u", i);
	nfesp_stats_free(stats);
}

static void stats_add_counts_each_counter_apart(struct kunit *test)
{
	struct nfesp_stats __percpu *stats = stats_new(test);
	u64 sum[__NFESP_STAT_MAX];
	unsigned int i;

	for (i = NFESP_STAT_FIRST; i < __NFESP_STAT_MAX; i++)
		nfesp_stats_add(stats, i, 1000 + i);
	nfesp_stats_add(stats, NFESP_STAT_IN_BYTES, 1);
	nfesp_stats_sum(stats, sum);
	for (i = NFESP_STAT_FIRST; i < __NFESP_STAT_MAX; i++) {
		u64 want = 1000 + i + (i == NFESP_STAT_IN_BYTES);

		KUNIT_EXPECT_EQ_MSG(test, sum[i], want, "counter %u", i);
	}
	nfesp_stats_free(stats);
}

/* What every CPU counted is in the sum, however the packets were spread. */
static void stats_sum_covers_every_cpu(struct kunit *test)
{
	struct nfesp_stats __percpu *stats = stats_new(test);
	u64 sum[__NFESP_STAT_MAX], want = 0;
	int cpu;

	for_each_possible_cpu(cpu) {
		struct nfesp_stats *s = per_cpu_ptr(stats, cpu);

		u64_stats_add(&s->count[NFESP_STAT_OUT_BYTES], (u64)cpu + 1);
		want += cpu + 1;
	}
	/* Past 32 bits: no counter may be truncated on the way. */
	nfesp_stats_add(stats, NFESP_STAT_OUT_BYTES, 1ULL << 40);
	want += 1ULL << 40;
	nfesp_stats_sum(stats, sum);
	KUNIT_EXPECT_EQ(test, sum[NFESP_STAT_OUT_BYTES], want);
	KUNIT_EXPECT_EQ(test, sum[NFESP_STAT_OUT_PACKETS], 0ULL);
	nfesp_stats_free(stats);
}

static struct kunit_case nfesp_stats_cases[] = {
	KUNIT_CASE(stats_start_at_zero),
	KUNIT_CASE(stats_add_counts_each_counter_apart),
	KUNIT_CASE(stats_sum_covers_every_cpu),
	{}
};

struct kunit_suite nfesp_stats_suite = {
	.name = "nfesp_stats",
	.test_cases = nfesp_stats_cases,
};
