// SPDX-License-Identifier: GPL-2.0
/* KUnit: the attributes netlink.c and stats.c put in replies. */
#include <linux/ctype.h>
#include <net/netlink.h>

#include "../nfesp.h"
#include "../version.h"
#include "tests.h"

static struct sk_buff *skb_new(struct kunit *test, unsigned int size)
{
	struct sk_buff *skb = alloc_skb(size, GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, skb);
	return skb;
}

/* A stats nest reads back, with the kernel's own parser, as it was filled. */
static void stats_nest_round_trips(struct kunit *test)
{
	static const struct nla_policy policy[NFESP_STAT_MAX + 1] = {
		[NFESP_STAT_FIRST ... NFESP_STAT_MAX] = { .type = NLA_U64 },
	};
	struct nlattr *tb[NFESP_STAT_MAX + 1];
	struct sk_buff *skb = skb_new(test, NLMSG_GOODSIZE);
	u64 sum[__NFESP_STAT_MAX] = {};
	struct nlattr *nest;
	unsigned int i;

	for (i = NFESP_STAT_FIRST; i < __NFESP_STAT_MAX; i++)
		sum[i] = 0x0123456789abcdefULL ^ i;
	KUNIT_ASSERT_EQ(test, nfesp_stats_fill(skb, NFESP_A_STATS, sum), 0);

	nest = (struct nlattr *)skb->data;
	KUNIT_EXPECT_EQ(test, nla_type(nest), NFESP_A_STATS);
	KUNIT_EXPECT_EQ(test, nla_total_size(nla_len(nest)), (int)skb->len);
	KUNIT_ASSERT_EQ(test, nla_parse_nested(tb, NFESP_STAT_MAX, nest,
					       policy, NULL), 0);
	for (i = NFESP_STAT_FIRST; i < __NFESP_STAT_MAX; i++) {
		KUNIT_ASSERT_NOT_NULL_MSG(test, tb[i], "counter %u missing", i);
		KUNIT_EXPECT_EQ_MSG(test, nla_get_u64(tb[i]), sum[i],
				    "counter %u", i);
	}
	kfree_skb(skb);
}

/* No room: the fill fails and leaves no half-written nest behind. */
static void stats_nest_too_big_leaves_skb_alone(struct kunit *test)
{
	struct sk_buff *skb = skb_new(test, 256);
	u64 sum[__NFESP_STAT_MAX] = {};
	unsigned int len;

	/* Room for the nest's header and a few counters, not for all. */
	skb_put_zero(skb, skb_tailroom(skb) - 40);
	len = skb->len;
	KUNIT_EXPECT_EQ(test, nfesp_stats_fill(skb, NFESP_A_STATS, sum),
			-EMSGSIZE);
	KUNIT_EXPECT_EQ(test, skb->len, len);
	kfree_skb(skb);
}

static void version_is_dotted_numbers(struct kunit *test)
{
	struct sk_buff *skb = skb_new(test, NLMSG_GOODSIZE);
	struct nlattr *attr;
	const char *v;
	int dots = 0;

	KUNIT_ASSERT_EQ(test, nfesp_genl_fill_version(skb), 0);
	attr = (struct nlattr *)skb->data;
	KUNIT_EXPECT_EQ(test, nla_type(attr), NFESP_A_VERSION);
	v = nla_data(attr);
	KUNIT_EXPECT_STREQ(test, v, NFESP_VERSION);
	KUNIT_EXPECT_TRUE(test, isdigit(*v));
	for (; *v; v++) {
		if (*v == '.')
			dots++;
		else
			KUNIT_EXPECT_TRUE_MSG(test, isdigit(*v), "char '%c'", *v);
	}
	KUNIT_EXPECT_EQ(test, dots, 2);
	kfree_skb(skb);
}

static struct kunit_case nfesp_netlink_cases[] = {
	KUNIT_CASE(stats_nest_round_trips),
	KUNIT_CASE(stats_nest_too_big_leaves_skb_alone),
	KUNIT_CASE(version_is_dotted_numbers),
	{}
};

struct kunit_suite nfesp_netlink_suite = {
	.name = "nfesp_netlink",
	.test_cases = nfesp_netlink_cases,
};
