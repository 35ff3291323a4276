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
#include "../lib/request.h"
#include "../lib/util.h"
#include "ipsecctl.h"

/* The words of the limits, in the order of enum nfesp_limit. */
static const char *const lifetime_words[NFESP_LIMITS] = {
	"soft-bytes", "hard-bytes", "soft-packets", "hard-packets",
	"soft-time", "hard-time", "soft-use-time", "hard-use-time",
};

/* What the command line said: the SA as it goes to the kernel (its has
 * mask is the words seen), and what that does not hold.
 */
struct sa_args {
	struct nfesp_sa sa;
	const struct esp_alg *alg;
	uint8_t key[64];
	bool seen_dst, seen_esn;
	const char *dev;	/* "dev NAME": its interface id, once asked */
};

#define HAS(a, bit) (((a)->sa.has & NFESP_SA_HAS_##bit) != 0)

static void sa_usage(FILE *f)
{
	fprintf(f,
		"Usage: ipsecctl sa add src ADDR dst ADDR spi SPI [ mode { transport | tunnel } ]\n"
		"                      enc ALG key 0xHEX [ icv BITS ] [ replay-window N ] [ esn ]\n"
		"                      [ encap udp sport PORT dport PORT ] [ reqid N ] [ LIMIT N ]...\n"
		"                      [ dir { in | out } ] [ dev NAME | if-id N ]\n"
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
	if (a->sa.family && a->sa.family != family) {
		error("src and dst must both be IPv4 or both IPv6 (%s %s)", word, s);
		return false;
	}
	a->sa.family = family;
	return true;
}

static bool parse_encap(int *argc, char ***argv, struct sa_args *a)
{
	const char *v;
	uint32_t port;

	if (!once_in(&a->sa.has, NFESP_SA_HAS_ENCAP, "encap") ||
	    !(v = value_of(argc, argv)))
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
	a->sa.encap_sport = (uint16_t)port;
	if (parse_u32((*argv)[4], 65535, &port) || !port) {
		error("dport \"%s\" is not a port (1-65535)", (*argv)[4]);
		return false;
	}
	a->sa.encap_dport = (uint16_t)port;
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

		return (is_src ? once_in(&a->sa.has, NFESP_SA_HAS_SRC, w) :
				 once(&a->seen_dst, w)) &&
		       (v = value_of(argc, argv)) &&
		       parse_address(w, v, a, is_src ? &a->sa.src : &a->sa.dst);
	}
	if (!strcmp(w, "spi")) {
		if (!once_in(&a->sa.has, NFESP_SA_HAS_SPI, w) ||
		    !(v = value_of(argc, argv)))
			return false;
		if (parse_u32(v, UINT32_MAX, &a->sa.spi) || a->sa.spi < 256) {
			error("spi \"%s\" is not an SPI (256 to 0xffffffff)", v);
			return false;
		}
		return true;
	}
	if (!strcmp(w, "min") || !strcmp(w, "max")) {
		bool is_min = w[1] == 'i';
		uint32_t *spi = is_min ? &a->sa.spi_min : &a->sa.spi_max;

		if (!once_in(&a->sa.has, is_min ? NFESP_SA_HAS_SPI_MIN :
			     NFESP_SA_HAS_SPI_MAX, w) ||
		    !(v = value_of(argc, argv)))
			return false;
		if (parse_u32(v, UINT32_MAX, spi) || *spi < 256) {
			error("%s \"%s\" is not an SPI (256 to 0xffffffff)", w, v);
			return false;
		}
		return true;
	}
	if (!strcmp(w, "mode")) {
		if (!once_in(&a->sa.has, NFESP_SA_HAS_MODE, w) ||
		    !(v = value_of(argc, argv)))
			return false;
		if (!strcmp(v, "transport"))
			a->sa.mode = NFESP_MODE_TRANSPORT;
		else if (!strcmp(v, "tunnel"))
			a->sa.mode = NFESP_MODE_TUNNEL;
		else {
			error("mode \"%s\" is unknown: transport or tunnel", v);
			return false;
		}
		return true;
	}
	if (!strcmp(w, "enc")) {
		if (!once_in(&a->sa.has, NFESP_SA_HAS_ALG, w) ||
		    !(v = value_of(argc, argv)))
			return false;
		a->alg = esp_alg_find(v);
		if (!a->alg) {
			error("enc \"%s\" is unknown; known: %s", v, esp_alg_names());
			return false;
		}
		a->sa.alg = a->alg->kernel;
		return true;
	}
	if (!strcmp(w, "key")) {
		if (!once_in(&a->sa.has, NFESP_SA_HAS_KEY, w) ||
		    !(v = value_of(argc, argv)))
			return false;
		a->sa.key = a->key;
		if (parse_hex(v, a->key, sizeof(a->key), &a->sa.key_len)) {
			error("key is not 0x and an even number of hex digits (at most %zu bytes)",
			      sizeof(a->key));
			return false;
		}
		return true;
	}
	if (!strcmp(w, "icv")) {
		uint32_t bits;

		if (!once_in(&a->sa.has, NFESP_SA_HAS_ICV, w) ||
		    !(v = value_of(argc, argv)))
			return false;
		if (parse_u32(v, 65535, &bits) || !bits) {
			error("icv \"%s\" is not a length in bits", v);
			return false;
		}
		a->sa.icv_bits = (uint16_t)bits;
		return true;
	}
	if (!strcmp(w, "replay-window")) {
		if (!once_in(&a->sa.has, NFESP_SA_HAS_REPLAY, w) ||
		    !(v = value_of(argc, argv)))
			return false;
		if (parse_u32(v, NFESP_REPLAY_MAX, &a->sa.replay_window)) {
			error("replay-window \"%s\" is not 0 to %d", v, NFESP_REPLAY_MAX);
			return false;
		}
		return true;
	}
	if (!strcmp(w, "esn")) {
		a->sa.flags |= NFESP_SA_F_ESN;
		a->sa.has |= NFESP_SA_HAS_FLAGS;
		return once(&a->seen_esn, w);
	}
	if (!strcmp(w, "reqid")) {
		if (!once_in(&a->sa.has, NFESP_SA_HAS_REQID, w) ||
		    !(v = value_of(argc, argv)))
			return false;
		if (parse_u32(v, UINT32_MAX, &a->sa.reqid)) {
			error("reqid \"%s\" is not a number (0 to 4294967295)", v);
			return false;
		}
		return true;
	}
	if (!strcmp(w, "encap"))
		return parse_encap(argc, argv, a);
	if (!strcmp(w, "dir")) {
		if (!once_in(&a->sa.has, NFESP_SA_HAS_DIR, w) ||
		    !(v = value_of(argc, argv)))
			return false;
		if (!strcmp(v, "in"))
			a->sa.dir = NFESP_DIR_IN;
		else if (!strcmp(v, "out"))
			a->sa.dir = NFESP_DIR_OUT;
		else {
			error("dir \"%s\" is unknown: in or out", v);
			return false;
		}
		return true;
	}
	if (!strcmp(w, "if-id") || !strcmp(w, "dev"))
		return once_in(&a->sa.has, NFESP_SA_HAS_IF_ID, "dev or if-id") &&
		       (v = value_of(argc, argv)) &&
		       parse_device_word(w, v, &a->dev, &a->sa.if_id);
	for (i = 0; i < NFESP_LIMITS; i++) {
		if (strcmp(w, lifetime_words[i]))
			continue;
		if (!once_in(&a->sa.limits_has, 1u << i, w) ||
		    !(v = value_of(argc, argv)))
			return false;
		if (parse_u64(v, UINT64_MAX, &a->sa.limit[i])) {
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

/* Whether @a makes a request, with the defaults filled in. */
static bool check_args(const char *cmd, struct sa_args *a)
{
	bool add = !strcmp(cmd, "add"), update = !strcmp(cmd, "update");
	size_t i;

	if (!strcmp(cmd, "allocspi")) {
		for (i = 0; i < NFESP_LIMITS; i++)
			if ((a->sa.limits_has & (1u << i)) && i != NFESP_HARD_ADD_SECS)
				return !refuse(true, lifetime_words[i], cmd);
		if (!a->seen_dst || HAS(a, SPI) || HAS(a, MODE) || HAS(a, ALG) ||
		    HAS(a, KEY) || HAS(a, ICV) || HAS(a, REPLAY) || a->seen_esn ||
		    HAS(a, REQID) || HAS(a, ENCAP) || HAS(a, DIR) || HAS(a, IF_ID)) {
			error("\"sa allocspi\" takes dst, and maybe src, min, max and hard-time");
			return false;
		}
		if (HAS(a, SPI_MIN) && HAS(a, SPI_MAX) && a->sa.spi_min > a->sa.spi_max) {
			error("min 0x%x is above max 0x%x", a->sa.spi_min, a->sa.spi_max);
			return false;
		}
		return true;
	}
	if (refuse(HAS(a, SPI_MIN), "min", cmd) || refuse(HAS(a, SPI_MAX), "max", cmd))
		return false;
	if (!a->seen_dst || !HAS(a, SPI)) {
		error("\"sa %s\" needs dst and spi", cmd);
		return false;
	}
	if (add && (!HAS(a, SRC) || !HAS(a, ALG) || !HAS(a, KEY))) {
		error("\"sa add\" needs src, enc and key as well");
		return false;
	}
	/* As ip xfrm: transport, unless a tunnel device's (always tunnel). */
	if (add && !HAS(a, MODE)) {
		a->sa.mode = HAS(a, IF_ID) ? NFESP_MODE_TUNNEL : NFESP_MODE_TRANSPORT;
		a->sa.has |= NFESP_SA_HAS_MODE;
	}
	if (!add && (refuse(HAS(a, MODE), "mode", cmd) || refuse(HAS(a, ALG), "enc", cmd) ||
		     refuse(HAS(a, KEY), "key", cmd) || refuse(HAS(a, ICV), "icv", cmd) ||
		     refuse(HAS(a, REPLAY), "replay-window", cmd) ||
		     refuse(a->seen_esn, "esn", cmd) || refuse(HAS(a, REQID), "reqid", cmd) ||
		     refuse(HAS(a, DIR), "dir", cmd) ||
		     refuse(HAS(a, IF_ID), "dev or if-id", cmd)))
		return false;
	if (add && HAS(a, IF_ID) &&
	    (!HAS(a, DIR) || a->sa.mode != NFESP_MODE_TUNNEL)) {
		error("an SA of a tunnel device (dev or if-id) needs mode tunnel and dir");
		return false;
	}
	if (!add && !update && (refuse(HAS(a, SRC), "src", cmd) ||
				refuse(HAS(a, ENCAP), "encap", cmd) ||
				refuse(a->sa.limits_has, "lifetimes", cmd)))
		return false;
	if (add && a->alg->key_len && a->sa.key_len != a->alg->key_len) {
		error("key for %s must be %u bytes (%s), not %zu", a->alg->name,
		      a->alg->key_len, a->alg->key_layout, a->sa.key_len);
		return false;
	}
	if (add && HAS(a, ICV) && a->alg->icv_bits && a->sa.icv_bits != a->alg->icv_bits) {
		error("icv %u contradicts %s, whose ICV is %u bits", a->sa.icv_bits,
		      a->alg->name, a->alg->icv_bits);
		return false;
	}
	return true;
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
	/* An algorithm with one ICV length: it goes with it. */
	if (HAS(&a, ALG) && !HAS(&a, ICV) && a.alg->icv_bits) {
		a.sa.icv_bits = (uint16_t)a.alg->icv_bits;
		a.sa.has |= NFESP_SA_HAS_ICV;
	}
	if (opts.dry_run)
		return EXIT_OK;
	if (open_kernel(&nl))
		return EXIT_KERNEL;
	if (a.dev && link_if_id(&nl, a.dev, &a.sa.if_id)) {
		nfesp_nl_close(&nl);
		memset(a.key, 0, sizeof(a.key));
		return EXIT_KERNEL;
	}
	msg = nfesp_nl_msg(&nl, cmd, 0);
	if (msg && nfesp_put_sa(msg, &a.sa)) {
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
