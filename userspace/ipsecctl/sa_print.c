// SPDX-License-Identifier: GPL-2.0
/* ipsecctl sa get/list: how an SA the kernel sent is shown, as text or JSON. */
#include <arpa/inet.h>
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <sys/socket.h>

#include "../lib/alg.h"
#include "../lib/nl.h"
#include "../lib/util.h"
#include "ipsecctl.h"

static const struct {
	int attr;
	const char *word;
} lifetimes[] = {
	{ NFESP_LT_A_SOFT_BYTES, "soft-bytes" },
	{ NFESP_LT_A_HARD_BYTES, "hard-bytes" },
	{ NFESP_LT_A_SOFT_PACKETS, "soft-packets" },
	{ NFESP_LT_A_HARD_PACKETS, "hard-packets" },
	{ NFESP_LT_A_SOFT_ADD_SECS, "soft-time" },
	{ NFESP_LT_A_HARD_ADD_SECS, "hard-time" },
	{ NFESP_LT_A_SOFT_USE_SECS, "soft-use-time" },
	{ NFESP_LT_A_HARD_USE_SECS, "hard-use-time" },
};

static const char *addr_str(struct nlattr *attr, int family, char *buf)
{
	if (!attr || !inet_ntop(family, nla_data(attr), buf, INET6_ADDRSTRLEN))
		return "?";
	return buf;
}

static uint64_t u64_of(struct nlattr **tb, int attr)
{
	return tb[attr] ? nla_get_u64(tb[attr]) : 0;
}

static const char *dir_word(struct nlattr *dir)
{
	return nla_get_u8(dir) == NFESP_DIR_IN ? "in" : "out";
}

static void print_key(FILE *f, struct nlattr *key)
{
	const uint8_t *p = nla_data(key);
	int i;

	fputs("0x", f);
	for (i = 0; i < nla_len(key); i++)
		fprintf(f, "%02x", p[i]);
}

static void print_text(FILE *f, struct nlattr **sa)
{
	struct nlattr *lt[NFESP_LT_A_MAX + 1] = { 0 }, *cur[NFESP_LT_A_MAX + 1] = { 0 };
	struct nlattr *encap[NFESP_ENCAP_A_MAX + 1] = { 0 };
	int family = nla_get_u16(sa[NFESP_SA_A_FAMILY]);
	char src[INET6_ADDRSTRLEN], dst[INET6_ADDRSTRLEN];
	const char *kernel = nla_get_string(sa[NFESP_SA_A_ALG]);
	unsigned int icv = nla_get_u16(sa[NFESP_SA_A_ICV_BITS]);
	const char *name = esp_alg_name(kernel, nla_get_u16(sa[NFESP_SA_A_KEY_LEN]), icv);
	uint32_t flags = nla_get_u32(sa[NFESP_SA_A_FLAGS]);
	bool limited = false;
	size_t i;

	if (sa[NFESP_SA_A_LIFETIME])
		nla_parse_nested(lt, NFESP_LT_A_MAX, sa[NFESP_SA_A_LIFETIME], NULL);
	if (sa[NFESP_SA_A_CURLIFE])
		nla_parse_nested(cur, NFESP_LT_A_MAX, sa[NFESP_SA_A_CURLIFE], NULL);
	fprintf(f, "src %s dst %s spi 0x%08x mode %s reqid %u",
		addr_str(sa[NFESP_SA_A_SRC], family, src),
		addr_str(sa[NFESP_SA_A_DST], family, dst),
		nla_get_u32(sa[NFESP_SA_A_SPI]),
		nla_get_u8(sa[NFESP_SA_A_MODE]) == NFESP_MODE_TUNNEL ? "tunnel" : "transport",
		nla_get_u32(sa[NFESP_SA_A_REQID]));
	if (sa[NFESP_SA_A_DIR])
		fprintf(f, " dir %s", dir_word(sa[NFESP_SA_A_DIR]));
	if (sa[NFESP_SA_A_IF_ID])
		fprintf(f, " if-id %u", nla_get_u32(sa[NFESP_SA_A_IF_ID]));
	fputc('\n', f);
	fprintf(f, "\tenc %s icv %u driver %s\n", name ? name : kernel, icv,
		sa[NFESP_SA_A_DRIVER] ? nla_get_string(sa[NFESP_SA_A_DRIVER]) : "?");
	fprintf(f, "\treplay-window %u%s\n", nla_get_u32(sa[NFESP_SA_A_REPLAY_WINDOW]),
		flags & NFESP_SA_F_ESN ? " esn" : "");
	if (sa[NFESP_SA_A_ENCAP] &&
	    !nla_parse_nested(encap, NFESP_ENCAP_A_MAX, sa[NFESP_SA_A_ENCAP], NULL) &&
	    encap[NFESP_ENCAP_A_SPORT] && encap[NFESP_ENCAP_A_DPORT])
		fprintf(f, "\tencap udp sport %u dport %u\n",
			nla_get_u16(encap[NFESP_ENCAP_A_SPORT]),
			nla_get_u16(encap[NFESP_ENCAP_A_DPORT]));
	if (sa[NFESP_SA_A_KEY]) {
		fputs("\tkey ", f);
		print_key(f, sa[NFESP_SA_A_KEY]);
		fputc('\n', f);
	}
	fputs("\tlifetime", f);
	for (i = 0; i < sizeof(lifetimes) / sizeof(lifetimes[0]); i++) {
		if (!u64_of(lt, lifetimes[i].attr))
			continue;
		fprintf(f, " %s %" PRIu64, lifetimes[i].word,
			u64_of(lt, lifetimes[i].attr));
		limited = true;
	}
	fprintf(f, "%s\n\tcurrent bytes %" PRIu64 " packets %" PRIu64 " age %" PRIu64
		"s used %" PRIu64 "s\n", limited ? "" : " none",
		u64_of(cur, NFESP_LT_A_BYTES), u64_of(cur, NFESP_LT_A_PACKETS),
		u64_of(cur, NFESP_LT_A_ADD_SECS), u64_of(cur, NFESP_LT_A_USE_SECS));
	if (opts.stats && sa[NFESP_SA_A_STATS])
		print_stats_line(f, sa[NFESP_SA_A_STATS]);
}

static void print_json(FILE *f, struct nlattr **sa)
{
	struct nlattr *lt[NFESP_LT_A_MAX + 1] = { 0 }, *cur[NFESP_LT_A_MAX + 1] = { 0 };
	struct nlattr *encap[NFESP_ENCAP_A_MAX + 1] = { 0 };
	int family = nla_get_u16(sa[NFESP_SA_A_FAMILY]);
	char addr[INET6_ADDRSTRLEN];
	const char *kernel = nla_get_string(sa[NFESP_SA_A_ALG]);
	unsigned int icv = nla_get_u16(sa[NFESP_SA_A_ICV_BITS]);
	const char *name = esp_alg_name(kernel, nla_get_u16(sa[NFESP_SA_A_KEY_LEN]), icv);
	size_t i;

	if (sa[NFESP_SA_A_LIFETIME])
		nla_parse_nested(lt, NFESP_LT_A_MAX, sa[NFESP_SA_A_LIFETIME], NULL);
	if (sa[NFESP_SA_A_CURLIFE])
		nla_parse_nested(cur, NFESP_LT_A_MAX, sa[NFESP_SA_A_CURLIFE], NULL);
	fputs("{\"src\":", f);
	json_print_string(f, addr_str(sa[NFESP_SA_A_SRC], family, addr));
	fputs(",\"dst\":", f);
	json_print_string(f, addr_str(sa[NFESP_SA_A_DST], family, addr));
	fprintf(f, ",\"spi\":%u,\"mode\":\"%s\",\"reqid\":%u,\"enc\":",
		nla_get_u32(sa[NFESP_SA_A_SPI]),
		nla_get_u8(sa[NFESP_SA_A_MODE]) == NFESP_MODE_TUNNEL ? "tunnel" : "transport",
		nla_get_u32(sa[NFESP_SA_A_REQID]));
	json_print_string(f, name ? name : kernel);
	if (sa[NFESP_SA_A_DIR])
		fprintf(f, ",\"dir\":\"%s\"", dir_word(sa[NFESP_SA_A_DIR]));
	if (sa[NFESP_SA_A_IF_ID])
		fprintf(f, ",\"if_id\":%u", nla_get_u32(sa[NFESP_SA_A_IF_ID]));
	fputs(",\"kernel_alg\":", f);
	json_print_string(f, kernel);
	fputs(",\"driver\":", f);
	json_print_string(f, sa[NFESP_SA_A_DRIVER] ? nla_get_string(sa[NFESP_SA_A_DRIVER]) : "");
	fprintf(f, ",\"icv\":%u,\"replay_window\":%u,\"esn\":%s", icv,
		nla_get_u32(sa[NFESP_SA_A_REPLAY_WINDOW]),
		nla_get_u32(sa[NFESP_SA_A_FLAGS]) & NFESP_SA_F_ESN ? "true" : "false");
	if (sa[NFESP_SA_A_ENCAP] &&
	    !nla_parse_nested(encap, NFESP_ENCAP_A_MAX, sa[NFESP_SA_A_ENCAP], NULL) &&
	    encap[NFESP_ENCAP_A_SPORT] && encap[NFESP_ENCAP_A_DPORT])
		fprintf(f, ",\"encap\":{\"type\":\"udp\",\"sport\":%u,\"dport\":%u}",
			nla_get_u16(encap[NFESP_ENCAP_A_SPORT]),
			nla_get_u16(encap[NFESP_ENCAP_A_DPORT]));
	if (sa[NFESP_SA_A_KEY]) {
		fputs(",\"key\":\"", f);
		print_key(f, sa[NFESP_SA_A_KEY]);
		fputc('"', f);
	}
	fputs(",\"lifetime\":{", f);
	for (i = 0; i < sizeof(lifetimes) / sizeof(lifetimes[0]); i++)
		fprintf(f, "%s\"%s\":%" PRIu64, i ? "," : "", lifetimes[i].word,
			u64_of(lt, lifetimes[i].attr));
	fprintf(f, "},\"current\":{\"bytes\":%" PRIu64 ",\"packets\":%" PRIu64
		",\"age\":%" PRIu64 ",\"used\":%" PRIu64 "}", u64_of(cur, NFESP_LT_A_BYTES),
		u64_of(cur, NFESP_LT_A_PACKETS), u64_of(cur, NFESP_LT_A_ADD_SECS),
		u64_of(cur, NFESP_LT_A_USE_SECS));
	if (opts.stats && sa[NFESP_SA_A_STATS]) {
		struct nlattr *attr;
		const char *sep = "";
		int rem;

		fputs(",\"stats\":{", f);
		nla_for_each_nested(attr, sa[NFESP_SA_A_STATS], rem) {
			if (!nfesp_stat_name(nla_type(attr)))
				continue;
			fprintf(f, "%s\"%s\":%" PRIu64, sep, nfesp_stat_name(nla_type(attr)),
				nla_get_u64(attr));
			sep = ",";
		}
		fputc('}', f);
	}
	fputc('}', f);
}

/* An SPI that ALLOC_SPI reserved: no mode, no crypto yet. */
static void print_reserved(FILE *f, struct nlattr **sa)
{
	struct nlattr *lt[NFESP_LT_A_MAX + 1] = { 0 }, *cur[NFESP_LT_A_MAX + 1] = { 0 };
	int family = nla_get_u16(sa[NFESP_SA_A_FAMILY]);
	char src[INET6_ADDRSTRLEN], dst[INET6_ADDRSTRLEN];
	uint64_t left;

	if (sa[NFESP_SA_A_LIFETIME])
		nla_parse_nested(lt, NFESP_LT_A_MAX, sa[NFESP_SA_A_LIFETIME], NULL);
	if (sa[NFESP_SA_A_CURLIFE])
		nla_parse_nested(cur, NFESP_LT_A_MAX, sa[NFESP_SA_A_CURLIFE], NULL);
	left = u64_of(lt, NFESP_LT_A_HARD_ADD_SECS) - u64_of(cur, NFESP_LT_A_ADD_SECS);
	addr_str(sa[NFESP_SA_A_SRC], family, src);
	addr_str(sa[NFESP_SA_A_DST], family, dst);
	if (opts.json)
		fprintf(f, "{\"src\":\"%s\",\"dst\":\"%s\",\"spi\":%u,\"reserved\":true,"
			"\"expires\":%" PRIu64 "}", src, dst,
			nla_get_u32(sa[NFESP_SA_A_SPI]), left);
	else
		fprintf(f, "src %s dst %s spi 0x%08x reserved, for %" PRIu64 "s more\n",
			src, dst, nla_get_u32(sa[NFESP_SA_A_SPI]), left);
}

int sa_print(struct nlattr **tb, void *state)
{
	struct nlattr *sa[NFESP_SA_A_MAX + 1];
	FILE *f;

	if (!tb[NFESP_A_SA] ||
	    nla_parse_nested(sa, NFESP_SA_A_MAX, tb[NFESP_A_SA], NULL) ||
	    !sa[NFESP_SA_A_FAMILY] || !sa[NFESP_SA_A_SPI] || !sa[NFESP_SA_A_FLAGS] ||
	    !sa[NFESP_SA_A_REQID])
		return -EPROTO;
	if (nla_get_u32(sa[NFESP_SA_A_FLAGS]) & NFESP_SA_F_LARVAL) {
		print_reserved(list_next(state), sa);
		return 0;
	}
	if (!sa[NFESP_SA_A_ALG] || !sa[NFESP_SA_A_MODE] || !sa[NFESP_SA_A_ICV_BITS] ||
	    !sa[NFESP_SA_A_REPLAY_WINDOW] || !sa[NFESP_SA_A_KEY_LEN])
		return -EPROTO;
	f = list_next(state);
	if (opts.json)
		print_json(f, sa);
	else
		print_text(f, sa);
	return 0;
}
