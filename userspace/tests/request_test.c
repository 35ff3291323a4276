// SPDX-License-Identifier: GPL-2.0
/*
 * userspace/lib/request.c, the one encoder of SAs and policies that
 * ipsecctl and iked share: what a has mask names goes into the nest, with
 * its value, and nothing else does.
 */
#include <string.h>
#include <sys/socket.h>

#include "../lib/request.h"
#include "../lib/nl.h"
#include "tap.h"

/* Encodes with @put and parses the nest @attr back into @tb (@max). */
static bool round_trip(int (*put)(struct nl_msg *, const void *), const void *obj,
		       int attr, int max, struct nlattr **tb, struct nl_msg **keep)
{
	struct nl_msg *msg = nlmsg_alloc();
	struct nlattr *top[NFESP_A_MAX + 1];

	*keep = msg;
	if (!msg || put(msg, obj) ||
	    nlmsg_parse(nlmsg_hdr(msg), 0, top, NFESP_A_MAX, NULL) || !top[attr])
		return false;
	return !nla_parse_nested(tb, max, top[attr], NULL);
}

static int put_sa(struct nl_msg *msg, const void *sa)
{
	return nfesp_put_sa(msg, sa);
}

static int put_policy(struct nl_msg *msg, const void *p)
{
	return nfesp_put_policy(msg, p);
}

static unsigned int count(struct nlattr **tb, int max)
{
	unsigned int n = 0;
	int i;

	for (i = 1; i <= max; i++)
		n += tb[i] != NULL;
	return n;
}

static void test_sa(void)
{
	static const uint8_t key[20] = { 1, 2, 3 };
	struct nfesp_sa sa = {
		.has = NFESP_SA_HAS_SPI | NFESP_SA_HAS_SRC | NFESP_SA_HAS_KEY |
		       NFESP_SA_HAS_REPLAY | NFESP_SA_HAS_ENCAP,
		.family = AF_INET, .src.bytes = { 10, 0, 0, 1 },
		.dst.bytes = { 10, 0, 0, 2 }, .spi = 0x1234, .key = key,
		.key_len = sizeof(key), .replay_window = 0, .reqid = 7,
		.encap_sport = 4500, .encap_dport = 4501,
		.limits_has = 1u << NFESP_HARD_BYTES, .limit[NFESP_HARD_BYTES] = 1 << 20,
	};
	struct nlattr *tb[NFESP_SA_A_MAX + 1], *lt[NFESP_LT_A_MAX + 1];
	struct nlattr *en[NFESP_ENCAP_A_MAX + 1];
	struct nl_msg *msg;
	bool ok;

	ok = round_trip(put_sa, &sa, NFESP_A_SA, NFESP_SA_A_MAX, tb, &msg);
	TAP_CHECK(ok && count(tb, NFESP_SA_A_MAX) == 8 &&
		  nla_get_u16(tb[NFESP_SA_A_FAMILY]) == AF_INET &&
		  !memcmp(nla_data(tb[NFESP_SA_A_DST]), sa.dst.bytes, 4) &&
		  nla_len(tb[NFESP_SA_A_SRC]) == 4 &&
		  nla_get_u32(tb[NFESP_SA_A_SPI]) == 0x1234 &&
		  nla_len(tb[NFESP_SA_A_KEY]) == sizeof(key) &&
		  !memcmp(nla_data(tb[NFESP_SA_A_KEY]), key, sizeof(key)) &&
		  nla_get_u32(tb[NFESP_SA_A_REPLAY_WINDOW]) == 0,
		  "an SA: family, dst and what its has mask names (a replay window of 0 too), no reqid");
	ok = ok && tb[NFESP_SA_A_ENCAP] && tb[NFESP_SA_A_LIFETIME] &&
	     !nla_parse_nested(en, NFESP_ENCAP_A_MAX, tb[NFESP_SA_A_ENCAP], NULL) &&
	     !nla_parse_nested(lt, NFESP_LT_A_MAX, tb[NFESP_SA_A_LIFETIME], NULL);
	TAP_CHECK(ok && nla_get_u16(en[NFESP_ENCAP_A_SPORT]) == 4500 &&
		  nla_get_u16(en[NFESP_ENCAP_A_DPORT]) == 4501 &&
		  count(lt, NFESP_LT_A_MAX) == 1 &&
		  nla_get_u64(lt[NFESP_LT_A_HARD_BYTES]) == 1 << 20,
		  "its UDP encapsulation, and of its limits the one named");
	nlmsg_free(msg);
}

static void test_policy(void)
{
	struct nfesp_policy p = {
		.has = NFESP_POL_HAS_DST | NFESP_POL_HAS_DPORT | NFESP_POL_HAS_PROTO |
		       NFESP_POL_HAS_ACTION | NFESP_POL_HAS_TMPL | NFESP_POL_HAS_REQID,
		.dir = NFESP_DIR_OUT, .family = AF_INET6, .dst.bytes = { 0x20, 0x01 },
		.dst_len = 32, .proto = 6, .dport = 443, .sport = 80,
		.action = NFESP_ACTION_PROTECT, .mode = NFESP_MODE_TUNNEL,
		.reqid = 9, .tfamily = AF_INET, .tsrc.bytes = { 192, 0, 2, 1 },
		.tdst.bytes = { 192, 0, 2, 2 },
	};
	struct nlattr *tb[NFESP_POL_A_MAX + 1], *t[NFESP_TMPL_A_MAX + 1];
	struct nl_msg *msg;
	bool ok;

	ok = round_trip(put_policy, &p, NFESP_A_POLICY, NFESP_POL_A_MAX, tb, &msg);
	TAP_CHECK(ok && count(tb, NFESP_POL_A_MAX) == 8 && !tb[NFESP_POL_A_SRC] &&
		  !tb[NFESP_POL_A_SPORT] && !tb[NFESP_POL_A_PRIORITY] &&
		  nla_len(tb[NFESP_POL_A_DST]) == 16 &&
		  nla_get_u8(tb[NFESP_POL_A_DST_LEN]) == 32 &&
		  nla_get_u16(tb[NFESP_POL_A_DPORT]) == 443,
		  "a policy: direction, family and the named parts of its selector, no more");
	ok = ok && tb[NFESP_POL_A_TMPL] &&
	     !nla_parse_nested(t, NFESP_TMPL_A_MAX, tb[NFESP_POL_A_TMPL], NULL);
	TAP_CHECK(ok && count(t, NFESP_TMPL_A_MAX) == 5 && !t[NFESP_TMPL_A_SPI] &&
		  nla_get_u8(t[NFESP_TMPL_A_MODE]) == NFESP_MODE_TUNNEL &&
		  nla_get_u32(t[NFESP_TMPL_A_REQID]) == 9 &&
		  nla_get_u16(t[NFESP_TMPL_A_FAMILY]) == AF_INET &&
		  nla_len(t[NFESP_TMPL_A_TDST]) == 4 &&
		  !memcmp(nla_data(t[NFESP_TMPL_A_TDST]), p.tdst.bytes, 4),
		  "its template: tunnel mode with IPv4 ends, the reqid, no SPI");
	nlmsg_free(msg);
	p.mode = NFESP_MODE_TRANSPORT;
	ok = round_trip(put_policy, &p, NFESP_A_POLICY, NFESP_POL_A_MAX, tb, &msg) &&
	     !nla_parse_nested(t, NFESP_TMPL_A_MAX, tb[NFESP_POL_A_TMPL], NULL);
	TAP_CHECK(ok && count(t, NFESP_TMPL_A_MAX) == 2 && !t[NFESP_TMPL_A_TSRC],
		  "in transport mode: no tunnel ends");
	nlmsg_free(msg);
}

int main(void)
{
	test_sa();
	test_policy();
	return tap_done();
}
