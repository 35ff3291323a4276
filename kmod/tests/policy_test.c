// SPDX-License-Identifier: GPL-2.0
/* KUnit: selector matching, policy order, and the lookup structure of policy.c. */
#include <linux/in.h>
#include <linux/random.h>
#include <linux/socket.h>

#include "../nfesp.h"
#include "tests.h"

static struct nfesp_selector sel4(u32 src, u8 src_len, u32 dst, u8 dst_len,
				  u8 proto, u16 sport, u16 dport)
{
	struct nfesp_selector sel = {
		.family = AF_INET,
		.src_len = src_len,
		.dst_len = dst_len,
		.proto = proto,
		.sport = htons(sport),
		.dport = htons(dport),
	};

	sel.src.a4 = htonl(src);
	sel.dst.a4 = htonl(dst);
	nfesp_selector_mask(&sel);
	return sel;
}

static struct nfesp_flow flow4(u32 src, u32 dst, u8 proto, u16 sport, u16 dport)
{
	struct nfesp_flow fl = {
		.family = AF_INET,
		.proto = proto,
		.sport = htons(sport),
		.dport = htons(dport),
	};

	fl.src.a4 = htonl(src);
	fl.dst.a4 = htonl(dst);
	return fl;
}

#define IP(a, b, c, d) ((u32)(a) << 24 | (b) << 16 | (c) << 8 | (d))

static void selector_matches_prefixes_protocol_ports(struct kunit *test)
{
	struct nfesp_selector s = sel4(IP(10, 1, 0, 0), 16, IP(10, 2, 3, 0), 24,
				       IPPROTO_TCP, 0, 443);
	struct nfesp_flow fl = flow4(IP(10, 1, 200, 7), IP(10, 2, 3, 9),
				     IPPROTO_TCP, 5555, 443);

	KUNIT_EXPECT_TRUE(test, nfesp_selector_match(&s, &fl));
	fl.dport = htons(80);
	KUNIT_EXPECT_FALSE(test, nfesp_selector_match(&s, &fl));
	fl = flow4(IP(10, 1, 0, 1), IP(10, 2, 3, 1), IPPROTO_UDP, 1, 443);
	KUNIT_EXPECT_FALSE(test, nfesp_selector_match(&s, &fl));
	fl = flow4(IP(10, 3, 0, 1), IP(10, 2, 3, 1), IPPROTO_TCP, 1, 443);
	KUNIT_EXPECT_FALSE(test, nfesp_selector_match(&s, &fl));
	fl = flow4(IP(10, 1, 0, 1), IP(10, 2, 4, 1), IPPROTO_TCP, 1, 443);
	KUNIT_EXPECT_FALSE(test, nfesp_selector_match(&s, &fl));
	fl.family = AF_INET6;
	KUNIT_EXPECT_FALSE(test, nfesp_selector_match(&s, &fl));
}

static void selector_zero_prefix_matches_all(struct kunit *test)
{
	struct nfesp_selector s = sel4(IP(1, 2, 3, 4), 0, IP(5, 6, 7, 8), 0, 0, 0, 0);
	struct nfesp_flow fl = flow4(IP(192, 0, 2, 1), IP(198, 51, 100, 1),
				     IPPROTO_ICMP, 0, 0);

	KUNIT_EXPECT_EQ(test, s.src.a4, 0U);
	KUNIT_EXPECT_TRUE(test, nfesp_selector_match(&s, &fl));
}

static void selector_ipv6_prefix(struct kunit *test)
{
	struct nfesp_selector s = { .family = AF_INET6, .src_len = 0, .dst_len = 33 };
	struct nfesp_flow fl = { .family = AF_INET6 };

	s.dst.a6.s6_addr[0] = 0x20;
	s.dst.a6.s6_addr[4] = 0x80;	/* bit 33 set */
	s.dst.a6.s6_addr[5] = 0xff;	/* past the prefix: masked away */
	nfesp_selector_mask(&s);
	KUNIT_EXPECT_EQ(test, s.dst.a6.s6_addr[5], 0);
	fl.dst.a6.s6_addr[0] = 0x20;
	fl.dst.a6.s6_addr[4] = 0xc0;
	fl.dst.a6.s6_addr[15] = 1;
	KUNIT_EXPECT_TRUE(test, nfesp_selector_match(&s, &fl));
	fl.dst.a6.s6_addr[4] = 0x40;
	KUNIT_EXPECT_FALSE(test, nfesp_selector_match(&s, &fl));
}

static void policy_order(struct kunit *test)
{
	struct nfesp_policy a = { .priority = 10, .index = 5 };
	struct nfesp_policy b = { .priority = 10, .index = 1 };

	a.sel = sel4(0, 24, 0, 24, 0, 0, 0);
	b.sel = sel4(0, 16, 0, 24, 0, 0, 0);
	KUNIT_EXPECT_TRUE(test, nfesp_policy_better(&a, NULL));
	KUNIT_EXPECT_TRUE(test, nfesp_policy_better(&a, &b));	/* more specific */
	KUNIT_EXPECT_FALSE(test, nfesp_policy_better(&b, &a));
	b.priority = 9;
	KUNIT_EXPECT_TRUE(test, nfesp_policy_better(&b, &a));	/* priority first */
	b.priority = 10;
	b.sel = a.sel;
	KUNIT_EXPECT_TRUE(test, nfesp_policy_better(&b, &a));	/* then the older */
	b.sel.proto = IPPROTO_TCP;
	a.sel.proto = IPPROTO_TCP;
	a.sel.dport = htons(22);
	KUNIT_EXPECT_TRUE(test, nfesp_policy_better(&a, &b));	/* a port counts */
}

struct spd_fixture {
	struct mutex lock;
	struct nfesp_spd spd;
	struct nfesp_policy **pols;
	unsigned int n;
};

/* On the heap: the hash table holds a work item, which may not be on a stack. */
static struct spd_fixture *fixture_new(struct kunit *test, unsigned int n)
{
	struct spd_fixture *f = kunit_kzalloc(test, sizeof(*f), GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, f);
	mutex_init(&f->lock);
	KUNIT_ASSERT_EQ(test, nfesp_spd_init(&f->spd, &f->lock), 0);
	f->pols = kunit_kcalloc(test, n, sizeof(*f->pols), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, f->pols);
	return f;
}

static void fixture_add(struct kunit *test, struct spd_fixture *f,
			struct nfesp_selector sel, u32 priority)
{
	struct nfesp_pol_conf *conf;
	struct nfesp_policy *pol = nfesp_policy_alloc(&conf);

	KUNIT_ASSERT_NOT_NULL(test, pol);
	pol->sel = sel;
	pol->priority = priority;
	pol->index = f->n;
	mutex_lock(&f->lock);
	if (nfesp_spd_find(&f->spd, &sel)) {	/* identical selector: skip */
		mutex_unlock(&f->lock);
		nfesp_policy_free(pol);
		return;
	}
	KUNIT_ASSERT_EQ(test, nfesp_spd_insert(&f->spd, pol), 0);
	mutex_unlock(&f->lock);
	f->pols[f->n++] = pol;
}

static void fixture_destroy(struct spd_fixture *f)
{
	unsigned int i;

	mutex_lock(&f->lock);
	for (i = 0; i < f->n; i++) {
		nfesp_spd_remove(&f->spd, f->pols[i]);
		nfesp_policy_free(f->pols[i]);
	}
	mutex_unlock(&f->lock);
	nfesp_spd_destroy(&f->spd);
}

static struct nfesp_policy *linear_lookup(struct spd_fixture *f,
					  const struct nfesp_flow *fl)
{
	struct nfesp_policy *best = NULL;
	unsigned int i;

	for (i = 0; i < f->n; i++)
		if (nfesp_selector_match(&f->pols[i]->sel, fl) &&
		    nfesp_policy_better(f->pols[i], best))
			best = f->pols[i];
	return best;
}

static void spd_lookup_picks_the_best(struct kunit *test)
{
	struct spd_fixture *f = fixture_new(test, 8);
	struct nfesp_flow fl = flow4(IP(10, 1, 1, 1), IP(10, 2, 2, 2), IPPROTO_TCP,
				     1000, 22);
	struct nfesp_policy *got;

	fixture_add(test, f, sel4(0, 0, 0, 0, 0, 0, 0), 100);
	fixture_add(test, f, sel4(IP(10, 1, 0, 0), 16, IP(10, 2, 0, 0), 16, 0, 0, 0), 100);
	fixture_add(test, f, sel4(IP(10, 1, 1, 0), 24, IP(10, 2, 2, 0), 24, 0, 0, 0), 100);
	fixture_add(test, f, sel4(IP(10, 1, 1, 0), 24, IP(10, 2, 2, 0), 24,
				   IPPROTO_TCP, 0, 22), 100);
	rcu_read_lock();
	got = nfesp_spd_lookup(&f->spd, &fl);
	KUNIT_EXPECT_PTR_EQ(test, got, f->pols[3]);
	fl.dport = htons(23);
	got = nfesp_spd_lookup(&f->spd, &fl);
	KUNIT_EXPECT_PTR_EQ(test, got, f->pols[2]);
	fl.dst.a4 = htonl(IP(10, 2, 9, 9));
	got = nfesp_spd_lookup(&f->spd, &fl);
	KUNIT_EXPECT_PTR_EQ(test, got, f->pols[1]);
	fl.src.a4 = htonl(IP(192, 0, 2, 1));
	got = nfesp_spd_lookup(&f->spd, &fl);
	KUNIT_EXPECT_PTR_EQ(test, got, f->pols[0]);
	fl.family = AF_INET6;
	KUNIT_EXPECT_NULL(test, nfesp_spd_lookup(&f->spd, &fl));
	rcu_read_unlock();
	fixture_destroy(f);
}

/* The hash structure agrees with a linear scan over random policies and flows. */
static void spd_lookup_agrees_with_linear_scan(struct kunit *test)
{
	static const u8 lens[] = { 0, 8, 16, 24, 30, 32 };
	struct spd_fixture *f = fixture_new(test, 400);
	unsigned int i, wrong = 0, matched = 0;

	for (i = 0; i < 400; i++) {
		u32 r = get_random_u32();
		/* A small address space, so that flows hit policies. */
		u32 src = IP(10, 0, r & 3, (r >> 2) & 7);
		u32 dst = IP(10, 1, (r >> 5) & 3, (r >> 7) & 7);
		u8 proto = (r >> 10) & 1 ? IPPROTO_TCP : 0;

		fixture_add(test, f, sel4(src, lens[(r >> 11) % 6], dst,
					   lens[(r >> 14) % 6], proto, 0,
					   proto && (r >> 17) & 1 ? 22 : 0),
			    (r >> 18) & 3);
	}
	rcu_read_lock();
	for (i = 0; i < 3000; i++) {
		u32 r = get_random_u32();
		struct nfesp_flow fl = flow4(IP(10, 0, r & 3, (r >> 2) & 7),
					     IP(10, 1, (r >> 5) & 3, (r >> 7) & 7),
					     (r >> 10) & 1 ? IPPROTO_TCP : IPPROTO_UDP,
					     1024, (r >> 11) & 1 ? 22 : 80);
		struct nfesp_policy *want = linear_lookup(f, &fl);

		matched += !!want;
		if (nfesp_spd_lookup(&f->spd, &fl) != want)
			wrong++;
	}
	rcu_read_unlock();
	KUNIT_EXPECT_EQ(test, wrong, 0U);
	KUNIT_EXPECT_GT(test, matched, 100U);	/* the test tested something */
	fixture_destroy(f);
}

/*
 * A packet that does not show its ports (a later fragment) or protocol
 * matches what does not need them, unless a policy that needs them might
 * match and would win: then there is no answer, and the packet drops.
 */
static void spd_lookup_unread_fails_closed(struct kunit *test)
{
	struct spd_fixture *f = fixture_new(test, 3);
	struct nfesp_flow fl = flow4(IP(10, 1, 1, 1), IP(10, 2, 2, 2), IPPROTO_UDP,
				     0, 0);

	fixture_add(test, f, sel4(0, 0, 0, 0, 0, 0, 0), 100);
	fixture_add(test, f, sel4(0, 0, IP(10, 2, 2, 0), 24, IPPROTO_UDP, 0,
				   5000), 100);
	fixture_add(test, f, sel4(IP(10, 1, 1, 1), 32, 0, 0, 0, 0, 0), 10);
	rcu_read_lock();
	fl.unread = NFESP_FLOW_NO_PORTS;
	KUNIT_EXPECT_PTR_EQ(test, nfesp_spd_lookup(&f->spd, &fl), f->pols[2]);
	fl.src.a4 = htonl(IP(10, 1, 1, 2));
	KUNIT_EXPECT_PTR_EQ(test, nfesp_spd_lookup(&f->spd, &fl),
			    ERR_PTR(-ENOKEY));
	fl.proto = IPPROTO_TCP;
	KUNIT_EXPECT_PTR_EQ(test, nfesp_spd_lookup(&f->spd, &fl), f->pols[0]);
	fl.proto = 0;
	fl.unread = NFESP_FLOW_NO_PROTO | NFESP_FLOW_NO_PORTS;
	KUNIT_EXPECT_PTR_EQ(test, nfesp_spd_lookup(&f->spd, &fl),
			    ERR_PTR(-ENOKEY));
	fl.dst.a4 = htonl(IP(10, 2, 3, 1));
	KUNIT_EXPECT_PTR_EQ(test, nfesp_spd_lookup(&f->spd, &fl), f->pols[0]);
	rcu_read_unlock();
	fixture_destroy(f);
}

static void spd_remove_leaves_nothing(struct kunit *test)
{
	struct spd_fixture *f = fixture_new(test, 2);
	struct nfesp_flow fl = flow4(IP(10, 1, 1, 1), IP(10, 2, 2, 2), 0, 0, 0);

	fixture_add(test, f, sel4(IP(10, 1, 1, 0), 24, 0, 0, 0, 0, 0), 1);
	fixture_add(test, f, sel4(IP(10, 1, 1, 1), 32, 0, 0, 0, 0, 0), 1);
	mutex_lock(&f->lock);
	nfesp_spd_remove(&f->spd, f->pols[1]);
	nfesp_policy_free(f->pols[1]);
	mutex_unlock(&f->lock);
	f->n = 1;
	rcu_read_lock();
	KUNIT_EXPECT_PTR_EQ(test, nfesp_spd_lookup(&f->spd, &fl), f->pols[0]);
	rcu_read_unlock();
	fixture_destroy(f);
	KUNIT_EXPECT_TRUE(test, list_empty(&f->spd.classes));
}

static struct kunit_case nfesp_policy_cases[] = {
	KUNIT_CASE(selector_matches_prefixes_protocol_ports),
	KUNIT_CASE(selector_zero_prefix_matches_all),
	KUNIT_CASE(selector_ipv6_prefix),
	KUNIT_CASE(policy_order),
	KUNIT_CASE(spd_lookup_picks_the_best),
	KUNIT_CASE(spd_lookup_agrees_with_linear_scan),
	KUNIT_CASE(spd_lookup_unread_fails_closed),
	KUNIT_CASE(spd_remove_leaves_nothing),
	{}
};

struct kunit_suite nfesp_policy_suite = {
	.name = "nfesp_policy",
	.test_cases = nfesp_policy_cases,
};
