// SPDX-License-Identifier: GPL-2.0
/* ipsecctl sa: security associations. */
#include <arpa/inet.h>
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "../lib/alg.h"
#include "../lib/nl.h"
#include "../lib/parse.h"
#include "../lib/util.h"
#include "ipsecctl.h"

static const char *const lifetime_words[] = {
	"soft-bytes", "hard-bytes", "soft-packets", "hard-packets",
	"soft-time", "hard-time", "soft-use-time", "hard-use-time",
};
#define N_LIFETIMES (sizeof(lifetime_words) / sizeof(lifetime_words[0]))

/* What the command line said; seen[] tracks which words were given. */
struct sa_args {
	int family;
	union nfesp_uaddr src, dst;
	uint32_t spi, icv, replay, reqid, flags;
	uint8_t mode;
	const struct esp_alg *alg;
	uint8_t key[64];
	size_t key_len;
	uint16_t sport, dport;
	uint64_t lifetime[N_LIFETIMES];
	uint32_t spi_min, spi_max;
	bool seen_min, seen_max;
	bool seen_src, seen_dst, seen_spi, seen_mode, seen_enc, seen_key,
	     seen_icv, seen_replay, seen_esn, seen_encap, seen_reqid,
	     seen_lifetime[N_LIFETIMES];
};

static void sa_usage(FILE *f)
{
	fprintf(f,
		"Usage: ipsecctl sa add src ADDR dst ADDR spi SPI mode { transport | tunnel }\n"
		"                      enc ALG key 0xHEX [ icv BITS ] [ replay-window N ] [ esn ]\n"
		"                      [ encap udp sport PORT dport PORT ] [ reqid N ] [ LIMIT N ]...\n"
		"       ipsecctl sa update dst ADDR spi SPI [ src ADDR ] [ encap ... ] [ LIMIT N ]...\n"
		"       ipsecctl sa { get | del } dst ADDR spi SPI\n"
		"       ipsecctl sa allocspi dst ADDR [ src ADDR ] [ min SPI ] [ max SPI ]\n"
		"                            [ hard-time SECONDS ]\n"
		"       ipsecctl sa { list | flush }\n"
		"ALG := %s\n"
		"LIMIT := { soft-bytes | hard-bytes | soft-packets | hard-packets | soft-time |\n"
		"           hard-time | soft-use-time | hard-use-time }   (times in seconds)\n",
		esp_alg_names());
}

static bool parse_address(const char *word, const char *s, struct sa_args *a,
			  union nfesp_uaddr *addr)
{
	int family;

	if (parse_addr(s, &family, addr)) {
		error("%s \"%s\" is not an IPv4 or IPv6 address", word, s);
		return false;
	}
	if (a->family && a->family != family) {
		error("src and dst must both be IPv4 or both IPv6 (%s %s)", word, s);
		return false;
	}
	a->family = family;
	return true;
}

static bool parse_encap(int *argc, char ***argv, struct sa_args *a)
{
	const char *v;
	uint32_t port;

	if (!once(&a->seen_encap, "encap") || !(v = value_of(argc, argv)))
		return false;
	if (strcmp(v, "udp")) {
		error("encap \"%s\" is unknown: only \"udp\" is (RFC 3948)", v);
		return false;
	}
	if (*argc < 5 || strcmp((*argv)[1], "sport") || strcmp((*argv)[3], "dport")) {
		error("encap udp needs \"sport PORT dport PORT\"");
		return false;
	}
	if (parse_u32((*argv)[2], 65535, &port) || !port) {
		error("sport \"%s\" is not a port (1-65535)", (*argv)[2]);
		return false;
	}
	a->sport = (uint16_t)port;
	if (parse_u32((*argv)[4], 65535, &port) || !port) {
		error("dport \"%s\" is not a port (1-65535)", (*argv)[4]);
		return false;
	}
	a->dport = (uint16_t)port;
	*argc -= 4;
	*argv += 4;
	return true;
}

static bool parse_word(int *argc, char ***argv, struct sa_args *a)
{
	const char *w = (*argv)[0], *v;
	size_t i;

	if (!strcmp(w, "src") || !strcmp(w, "dst")) {
		bool is_src = w[0] == 's';

		return once(is_src ? &a->seen_src : &a->seen_dst, w) &&
		       (v = value_of(argc, argv)) &&
		       parse_address(w, v, a, is_src ? &a->src : &a->dst);
	}
	if (!strcmp(w, "spi")) {
		if (!once(&a->seen_spi, w) || !(v = value_of(argc, argv)))
			return false;
		if (parse_u32(v, UINT32_MAX, &a->spi) || a->spi < 256) {
			error("spi \"%s\" is not an SPI (256 to 0xffffffff)", v);
			return false;
		}
		return true;
	}
	if (!strcmp(w, "min") || !strcmp(w, "max")) {
		bool is_min = w[1] == 'i';
		uint32_t *spi = is_min ? &a->spi_min : &a->spi_max;

		if (!once(is_min ? &a->seen_min : &a->seen_max, w) ||
		    !(v = value_of(argc, argv)))
			return false;
		if (parse_u32(v, UINT32_MAX, spi) || *spi < 256) {
			error("%s \"%s\" is not an SPI (256 to 0xffffffff)", w, v);
			return false;
		}
		return true;
	}
	if (!strcmp(w, "mode")) {
		if (!once(&a->seen_mode, w) || !(v = value_of(argc, argv)))
			return false;
		if (!strcmp(v, "transport"))
			a->mode = NFESP_MODE_TRANSPORT;
		else if (!strcmp(v, "tunnel"))
			a->mode = NFESP_MODE_TUNNEL;
		else {
			error("mode \"%s\" is unknown: transport or tunnel", v);
			return false;
		}
		return true;
	}
	if (!strcmp(w, "enc")) {
		if (!once(&a->seen_enc, w) || !(v = value_of(argc, argv)))
			return false;
		a->alg = esp_alg_find(v);
		if (!a->alg) {
			error("enc \"%s\" is unknown; known: %s", v, esp_alg_names());
			return false;
		}
		return true;
	}
	if (!strcmp(w, "key")) {
		if (!once(&a->seen_key, w) || !(v = value_of(argc, argv)))
			return false;
		if (parse_hex(v, a->key, sizeof(a->key), &a->key_len)) {
			error("key is not 0x and an even number of hex digits (at most %zu bytes)",
			      sizeof(a->key));
			return false;
		}
		return true;
	}
	if (!strcmp(w, "icv")) {
		if (!once(&a->seen_icv, w) || !(v = value_of(argc, argv)))
			return false;
		if (parse_u32(v, 65535, &a->icv) || !a->icv) {
			error("icv \"%s\" is not a length in bits", v);
			return false;
		}
		return true;
	}
	if (!strcmp(w, "replay-window")) {
		if (!once(&a->seen_replay, w) || !(v = value_of(argc, argv)))
			return false;
		if (parse_u32(v, NFESP_REPLAY_MAX, &a->replay)) {
			error("replay-window \"%s\" is not 0 to %d", v, NFESP_REPLAY_MAX);
			return false;
		}
		return true;
	}
	if (!strcmp(w, "esn")) {
		a->flags |= NFESP_SA_F_ESN;
		return once(&a->seen_esn, w);
	}
	if (!strcmp(w, "reqid")) {
		if (!once(&a->seen_reqid, w) || !(v = value_of(argc, argv)))
			return false;
		if (parse_u32(v, UINT32_MAX, &a->reqid)) {
			error("reqid \"%s\" is not a number (0 to 4294967295)", v);
			return false;
		}
		return true;
	}
	if (!strcmp(w, "encap"))
		return parse_encap(argc, argv, a);
	for (i = 0; i < N_LIFETIMES; i++) {
		if (strcmp(w, lifetime_words[i]))
			continue;
		if (!once(&a->seen_lifetime[i], w) || !(v = value_of(argc, argv)))
			return false;
		if (parse_u64(v, UINT64_MAX, &a->lifetime[i])) {
			error("%s \"%s\" is not a number", w, v);
			return false;
		}
		return true;
	}
	error("\"%s\" is unknown here, try \"ipsecctl sa help\"", w);
	return false;
}

/* Words a command may not take: their seen flag and name. */
static bool refuse(bool seen, const char *word, const char *cmd)
{
	if (seen)
		error("\"sa %s\" does not take \"%s\"", cmd, word);
	return seen;
}

static bool check_args(const char *cmd, const struct sa_args *a)
{
	bool any_lifetime = false, add = !strcmp(cmd, "add");
	bool update = !strcmp(cmd, "update");
	size_t i;

	for (i = 0; i < N_LIFETIMES; i++)
		any_lifetime |= a->seen_lifetime[i];
	if (!strcmp(cmd, "allocspi")) {
		for (i = 0; i < N_LIFETIMES; i++)
			if (a->seen_lifetime[i] && strcmp(lifetime_words[i], "hard-time"))
				return !refuse(true, lifetime_words[i], cmd);
		if (!a->seen_dst || a->seen_spi || a->seen_mode || a->seen_enc ||
		    a->seen_key || a->seen_icv || a->seen_replay || a->seen_esn ||
		    a->seen_reqid || a->seen_encap) {
			error("\"sa allocspi\" takes dst, and maybe src, min, max and hard-time");
			return false;
		}
		if (a->seen_min && a->seen_max && a->spi_min > a->spi_max) {
			error("min 0x%x is above max 0x%x", a->spi_min, a->spi_max);
			return false;
		}
		return true;
	}
	if (refuse(a->seen_min, "min", cmd) || refuse(a->seen_max, "max", cmd))
		return false;
	if (!a->seen_dst || !a->seen_spi) {
		error("\"sa %s\" needs dst and spi", cmd);
		return false;
	}
	if (add && (!a->seen_src || !a->seen_mode || !a->seen_enc || !a->seen_key)) {
		error("\"sa add\" needs src, mode, enc and key as well");
		return false;
	}
	if (!add && (refuse(a->seen_mode, "mode", cmd) || refuse(a->seen_enc, "enc", cmd) ||
		     refuse(a->seen_key, "key", cmd) || refuse(a->seen_icv, "icv", cmd) ||
		     refuse(a->seen_replay, "replay-window", cmd) ||
		     refuse(a->seen_esn, "esn", cmd) || refuse(a->seen_reqid, "reqid", cmd)))
		return false;
	if (!add && !update && (refuse(a->seen_src, "src", cmd) ||
				refuse(a->seen_encap, "encap", cmd) ||
				refuse(any_lifetime, "lifetimes", cmd)))
		return false;
	if (add && a->alg->key_len && a->key_len != a->alg->key_len) {
		error("key for %s must be %u bytes (%s), not %zu", a->alg->name,
		      a->alg->key_len, a->alg->key_layout, a->key_len);
		return false;
	}
	if (add && a->seen_icv && a->alg->icv_bits && a->icv != a->alg->icv_bits) {
		error("icv %u contradicts %s, whose ICV is %u bits", a->icv,
		      a->alg->name, a->alg->icv_bits);
		return false;
	}
	return true;
}

static int put_request(struct nl_msg *msg, const struct sa_args *a)
{
	static const int lt_attrs[N_LIFETIMES] = {
		NFESP_LT_A_SOFT_BYTES, NFESP_LT_A_HARD_BYTES,
		NFESP_LT_A_SOFT_PACKETS, NFESP_LT_A_HARD_PACKETS,
		NFESP_LT_A_SOFT_ADD_SECS, NFESP_LT_A_HARD_ADD_SECS,
		NFESP_LT_A_SOFT_USE_SECS, NFESP_LT_A_HARD_USE_SECS,
	};
	int alen = a->family == AF_INET ? 4 : 16;
	struct nlattr *sa, *nest;
	size_t i;

	sa = nla_nest_start(msg, NFESP_A_SA);
	if (!sa)
		return -1;
	NLA_PUT_U16(msg, NFESP_SA_A_FAMILY, (uint16_t)a->family);
	NLA_PUT(msg, NFESP_SA_A_DST, alen, a->dst.bytes);
	if (a->seen_spi)
		NLA_PUT_U32(msg, NFESP_SA_A_SPI, a->spi);
	if (a->seen_min)
		NLA_PUT_U32(msg, NFESP_SA_A_SPI_MIN, a->spi_min);
	if (a->seen_max)
		NLA_PUT_U32(msg, NFESP_SA_A_SPI_MAX, a->spi_max);
	if (a->seen_src)
		NLA_PUT(msg, NFESP_SA_A_SRC, alen, a->src.bytes);
	if (a->seen_mode)
		NLA_PUT_U8(msg, NFESP_SA_A_MODE, a->mode);
	if (a->seen_enc)
		NLA_PUT_STRING(msg, NFESP_SA_A_ALG, a->alg->kernel);
	if (a->seen_key)
		NLA_PUT(msg, NFESP_SA_A_KEY, (int)a->key_len, a->key);
	if (a->seen_icv || (a->seen_enc && a->alg->icv_bits))
		NLA_PUT_U16(msg, NFESP_SA_A_ICV_BITS,
			    (uint16_t)(a->seen_icv ? a->icv : a->alg->icv_bits));
	if (a->seen_replay)
		NLA_PUT_U32(msg, NFESP_SA_A_REPLAY_WINDOW, a->replay);
	if (a->flags)
		NLA_PUT_U32(msg, NFESP_SA_A_FLAGS, a->flags);
	if (a->seen_reqid)
		NLA_PUT_U32(msg, NFESP_SA_A_REQID, a->reqid);
	if (a->seen_encap) {
		nest = nla_nest_start(msg, NFESP_SA_A_ENCAP);
		if (!nest)
			return -1;
		NLA_PUT_U16(msg, NFESP_ENCAP_A_SPORT, a->sport);
		NLA_PUT_U16(msg, NFESP_ENCAP_A_DPORT, a->dport);
		nla_nest_end(msg, nest);
	}
	for (i = 0; i < N_LIFETIMES && !a->seen_lifetime[i]; i++)
		;
	if (i < N_LIFETIMES) {
		nest = nla_nest_start(msg, NFESP_SA_A_LIFETIME);
		if (!nest)
			return -1;
		for (i = 0; i < N_LIFETIMES; i++)
			if (a->seen_lifetime[i])
				NLA_PUT_U64(msg, lt_attrs[i], a->lifetime[i]);
		nla_nest_end(msg, nest);
	}
	nla_nest_end(msg, sa);
	return 0;
nla_put_failure:
	return -1;
}

static int print_spi(struct nlattr **tb, void *arg)
{
	struct nlattr *sa[NFESP_SA_A_MAX + 1];

	(void)arg;
	if (!tb[NFESP_A_SA] ||
	    nla_parse_nested(sa, NFESP_SA_A_MAX, tb[NFESP_A_SA], NULL) ||
	    !sa[NFESP_SA_A_SPI])
		return -EPROTO;
	if (opts.json)
		printf("{\"spi\":%u}\n", nla_get_u32(sa[NFESP_SA_A_SPI]));
	else
		printf("spi 0x%08x\n", nla_get_u32(sa[NFESP_SA_A_SPI]));
	return 0;
}

static int sa_command(uint8_t cmd, const char *name, int argc, char **argv)
{
	struct sa_args a;
	struct nfesp_nl nl;
	struct nl_msg *msg;
	int err;

	memset(&a, 0, sizeof(a));
	for (; argc > 0; argc--, argv++)
		if (!parse_word(&argc, &argv, &a))
			return EXIT_USAGE;
	if (!check_args(name, &a))
		return EXIT_USAGE;
	if (opts.dry_run)
		return EXIT_OK;
	if (open_kernel(&nl))
		return EXIT_KERNEL;
	msg = nfesp_nl_msg(&nl, cmd, 0);
	if (msg && put_request(msg, &a)) {
		nfesp_nl_msg_free(msg);
		msg = NULL;
	}
	if (cmd == NFESP_CMD_SA_GET) {
		if (msg && opts.show_keys)
			nla_put_flag(msg, NFESP_A_SHOW_KEYS);
		err = get_object(&nl, msg, sa_print);
	} else if (cmd == NFESP_CMD_SA_ALLOC_SPI) {
		err = nfesp_nl_request(&nl, msg, print_spi, NULL);
	} else {
		err = nfesp_nl_request(&nl, msg, NULL, NULL);
	}
	memset(a.key, 0, sizeof(a.key));
	if (err)
		error("sa %s: %s", name, nl.error);
	nfesp_nl_close(&nl);
	return err ? EXIT_KERNEL : EXIT_OK;
}

int do_sa(int argc, char **argv)
{
	static const struct {
		const char *name;
		uint8_t cmd;
	} cmds[] = {
		{ "add", NFESP_CMD_SA_ADD },
		{ "update", NFESP_CMD_SA_UPDATE },
		{ "get", NFESP_CMD_SA_GET },
		{ "delete", NFESP_CMD_SA_DEL },
		{ "allocspi", NFESP_CMD_SA_ALLOC_SPI },
	};
	size_t i;

	if (argc == 0 || matches(argv[0], "list") || matches(argv[0], "show"))
		return list_objects(NFESP_CMD_SA_GET, "sa list", argc ? argc - 1 : 0,
				    argv + 1, sa_print);
	if (matches(argv[0], "help")) {
		sa_usage(stdout);
		return EXIT_OK;
	}
	if (matches(argv[0], "flush"))
		return flush_objects(NFESP_CMD_SA_FLUSH, "sa flush", argc - 1, argv + 1);
	for (i = 0; i < sizeof(cmds) / sizeof(cmds[0]); i++)
		if (matches(argv[0], cmds[i].name) ||
		    (cmds[i].cmd == NFESP_CMD_SA_DEL && !strcmp(argv[0], "del")))
			return sa_command(cmds[i].cmd, cmds[i].name, argc - 1, argv + 1);
	error("\"sa %s\" is unknown, try \"ipsecctl sa help\"", argv[0]);
	return EXIT_USAGE;
}
