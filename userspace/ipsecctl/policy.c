// SPDX-License-Identifier: GPL-2.0
/* ipsecctl policy: security policies. */
#include <arpa/inet.h>
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "../lib/nl.h"
#include "../lib/parse.h"
#include "../lib/request.h"
#include "../lib/util.h"
#include "ipsecctl.h"

static const char *const dirs[] = { NULL, "in", "out", "fwd" };
static const char *const actions[] = { NULL, "protect", "bypass", "discard" };

/* What the command line said: the policy as it goes to the kernel (its
 * has mask is the words seen), and the words it has no bit for.
 */
struct pol_args {
	struct nfesp_policy pol;
	bool seen_dir, seen_tsrc, seen_tdst;
	const char *dev;	/* "dev NAME": its interface id, once asked */
};

#define HAS(a, bit) (((a)->pol.has & NFESP_POL_HAS_##bit) != 0)

static void policy_usage(FILE *f)
{
	fputs("Usage: ipsecctl policy { add | update } dir { in | out | fwd } SELECTOR\n"
	      "                         action { protect | bypass | discard } [ priority N ]\n"
	      "                         [ mode transport | [ mode tunnel ] tsrc ADDR tdst ADDR ]\n"
	      "                         [ reqid N ] [ spi SPI ]\n"
	      "       ipsecctl policy { add | update } dir { in | out } SELECTOR DEVICE\n"
	      "                         action { protect | discard } [ priority N ]\n"
	      "       ipsecctl policy { get | del } dir DIR SELECTOR [ DEVICE ]\n"
	      "       ipsecctl policy { list | flush }\n"
	      "SELECTOR := [ src PREFIX ] [ dst PREFIX ] [ proto PROTO [ sport N ] [ dport N ] ]\n"
	      "PREFIX := ADDR[/LEN]    PROTO := { tcp | udp | sctp | icmp | ipv6-icmp | esp | NUMBER }\n"
	      "DEVICE := { dev NAME | if-id N }\n"
	      "At least one of src and dst; an absent one matches any address. A device's\n"
	      "policies limit what it carries (its SAs protect); without any, all passes.\n", f);
}

static int word_index(const char *const *words, int n, const char *w)
{
	int i;

	for (i = 1; i < n; i++)
		if (!strcmp(words[i], w))
			return i;
	return 0;
}

static bool family_agrees(int *family, int f, const char *word, const char *v)
{
	if (*family && *family != f) {
		error("%s %s: the addresses of a %s must all be IPv4 or all IPv6",
		      word, v, word[0] == 't' ? "template" : "selector");
		return false;
	}
	*family = f;
	return true;
}

static bool parse_word(int *argc, char ***argv, struct pol_args *a)
{
	const char *w = (*argv)[0], *v;
	int family, i;

	if (!strcmp(w, "dir")) {
		if (!once(&a->seen_dir, w) || !(v = value_of(argc, argv)))
			return false;
		a->pol.dir = (uint8_t)word_index(dirs, 4, v);
		if (!a->pol.dir)
			error("dir \"%s\" is unknown: in, out or fwd", v);
		return a->pol.dir;
	}
	if (!strcmp(w, "src") || !strcmp(w, "dst")) {
		bool src = w[0] == 's';

		if (!once_in(&a->pol.has, src ? NFESP_POL_HAS_SRC : NFESP_POL_HAS_DST, w) ||
		    !(v = value_of(argc, argv)))
			return false;
		if (parse_prefix(v, &family, src ? &a->pol.src : &a->pol.dst,
				 src ? &a->pol.src_len : &a->pol.dst_len)) {
			error("%s \"%s\" is not an address or prefix (ADDR/LEN)", w, v);
			return false;
		}
		return family_agrees(&a->pol.family, family, w, v);
	}
	if (!strcmp(w, "tsrc") || !strcmp(w, "tdst")) {
		bool src = w[1] == 's';

		if (!once(src ? &a->seen_tsrc : &a->seen_tdst, w) || !(v = value_of(argc, argv)))
			return false;
		if (parse_addr(v, &family, src ? &a->pol.tsrc : &a->pol.tdst)) {
			error("%s \"%s\" is not an IPv4 or IPv6 address", w, v);
			return false;
		}
		return family_agrees(&a->pol.tfamily, family, w, v);
	}
	if (!strcmp(w, "proto")) {
		if (!once_in(&a->pol.has, NFESP_POL_HAS_PROTO, w) ||
		    !(v = value_of(argc, argv)))
			return false;
		if (parse_proto(v, &a->pol.proto)) {
			error("proto \"%s\" is unknown: tcp, udp, sctp, icmp, ipv6-icmp, esp or 1-255", v);
			return false;
		}
		return true;
	}
	if (!strcmp(w, "sport") || !strcmp(w, "dport")) {
		bool sport = w[0] == 's';
		uint32_t port;

		if (!once_in(&a->pol.has,
			     sport ? NFESP_POL_HAS_SPORT : NFESP_POL_HAS_DPORT, w) ||
		    !(v = value_of(argc, argv)))
			return false;
		if (parse_u32(v, 65535, &port) || !port) {
			error("%s \"%s\" is not a port (1-65535)", w, v);
			return false;
		}
		*(sport ? &a->pol.sport : &a->pol.dport) = (uint16_t)port;
		return true;
	}
	if (!strcmp(w, "action")) {
		if (!once_in(&a->pol.has, NFESP_POL_HAS_ACTION, w) ||
		    !(v = value_of(argc, argv)))
			return false;
		a->pol.action = (uint8_t)word_index(actions, 4, v);
		if (!a->pol.action)
			error("action \"%s\" is unknown: protect, bypass or discard", v);
		return a->pol.action;
	}
	if (!strcmp(w, "mode")) {
		if (!once_in(&a->pol.has, NFESP_POL_HAS_TMPL, w) ||
		    !(v = value_of(argc, argv)))
			return false;
		i = !strcmp(v, "transport") ? NFESP_MODE_TRANSPORT :
		    !strcmp(v, "tunnel") ? NFESP_MODE_TUNNEL : 0;
		if (!i)
			error("mode \"%s\" is unknown: transport or tunnel", v);
		a->pol.mode = (uint8_t)i;
		return i;
	}
	if (!strcmp(w, "priority") || !strcmp(w, "reqid")) {
		bool prio = w[0] == 'p';

		if (!once_in(&a->pol.has,
			     prio ? NFESP_POL_HAS_PRIORITY : NFESP_POL_HAS_REQID, w) ||
		    !(v = value_of(argc, argv)))
			return false;
		if (parse_u32(v, UINT32_MAX, prio ? &a->pol.priority : &a->pol.reqid)) {
			error("%s \"%s\" is not a number (0 to 4294967295)", w, v);
			return false;
		}
		return true;
	}
	if (!strcmp(w, "if-id") || !strcmp(w, "dev"))
		return once_in(&a->pol.has, NFESP_POL_HAS_IF_ID, "dev or if-id") &&
		       (v = value_of(argc, argv)) &&
		       parse_device_word(w, v, &a->dev, &a->pol.if_id);
	if (!strcmp(w, "spi")) {
		if (!once_in(&a->pol.has, NFESP_POL_HAS_SPI, w) ||
		    !(v = value_of(argc, argv)))
			return false;
		if (parse_u32(v, UINT32_MAX, &a->pol.spi) || a->pol.spi < 256) {
			error("spi \"%s\" is not an SPI (256 to 4294967295)", v);
			return false;
		}
		return true;
	}
	error("\"%s\" is unknown here, try \"ipsecctl policy help\"", w);
	return false;
}

/* Whether @a makes a request, with the defaults filled in. */
static bool check_args(const char *cmd, struct pol_args *a)
{
	bool adds = !strcmp(cmd, "add") || !strcmp(cmd, "update");

	if (!a->seen_dir || (!HAS(a, SRC) && !HAS(a, DST))) {
		error("\"policy %s\" needs dir and at least one of src and dst", cmd);
		return false;
	}
	if (HAS(a, IF_ID) && a->pol.dir == NFESP_DIR_FWD) {
		error("a device's policies are dir in or out (what it forwards, it receives or sends)");
		return false;
	}
	if ((HAS(a, SPORT) || HAS(a, DPORT)) && a->pol.proto != 6 && a->pol.proto != 17 &&
	    a->pol.proto != 132) {
		error("sport and dport need proto tcp, udp or sctp");
		return false;
	}
	if (!adds) {
		if (HAS(a, ACTION) || HAS(a, PRIORITY) || HAS(a, TMPL) || a->seen_tsrc ||
		    a->seen_tdst || HAS(a, REQID) || HAS(a, SPI)) {
			error("\"policy %s\" takes only dir and the selector", cmd);
			return false;
		}
		return true;
	}
	if (!HAS(a, ACTION)) {
		error("\"policy %s\" needs an action", cmd);
		return false;
	}
	/* The device's SAs protect: nothing to say how, nothing in the clear. */
	if (HAS(a, IF_ID)) {
		if (a->pol.action == NFESP_ACTION_BYPASS) {
			error("a device's policy is protect or discard: nothing leaves a device in the clear");
			return false;
		}
		if (HAS(a, TMPL) || HAS(a, REQID) || a->seen_tsrc || a->seen_tdst || HAS(a, SPI)) {
			error("mode, tsrc, tdst, reqid and spi are not for a device's policy (its SAs are the device's)");
			return false;
		}
		return true;
	}
	if (a->pol.action != NFESP_ACTION_PROTECT && (HAS(a, TMPL) || HAS(a, REQID) ||
						  a->seen_tsrc || a->seen_tdst ||
						  HAS(a, SPI))) {
		error("mode, tsrc, tdst, reqid and spi are for action protect only");
		return false;
	}
	/* As ip xfrm: transport; tunnel ends given say tunnel. */
	if (a->pol.action == NFESP_ACTION_PROTECT && !HAS(a, TMPL)) {
		a->pol.mode = a->seen_tsrc || a->seen_tdst ? NFESP_MODE_TUNNEL :
							     NFESP_MODE_TRANSPORT;
		a->pol.has |= NFESP_POL_HAS_TMPL;
	}
	if (a->pol.mode == NFESP_MODE_TUNNEL && (!a->seen_tsrc || !a->seen_tdst)) {
		error("mode tunnel needs tsrc and tdst");
		return false;
	}
	if (a->pol.mode == NFESP_MODE_TRANSPORT && (a->seen_tsrc || a->seen_tdst)) {
		error("tsrc and tdst are for mode tunnel only");
		return false;
	}
	return true;
}

static void print_prefix(FILE *f, struct nlattr *addr, struct nlattr *len, int family)
{
	char buf[INET6_ADDRSTRLEN] = "?";

	if (addr)
		inet_ntop(family, nla_data(addr), buf, sizeof(buf));
	fprintf(f, "%s/%u", buf, len ? nla_get_u8(len) : 0);
}

int policy_print(struct nlattr **tb, void *arg)
{
	struct nlattr *p[NFESP_POL_A_MAX + 1], *t[NFESP_TMPL_A_MAX + 1] = { 0 };
	char tsrc[INET6_ADDRSTRLEN] = "?", tdst[INET6_ADDRSTRLEN] = "?";
	uint8_t dir, action, proto;
	const char *pname;
	uint32_t if_id;
	int family, tfamily;
	FILE *f;

	if (!tb[NFESP_A_POLICY] ||
	    nla_parse_nested(p, NFESP_POL_A_MAX, tb[NFESP_A_POLICY], NULL) ||
	    !p[NFESP_POL_A_DIR] || !p[NFESP_POL_A_FAMILY] || !p[NFESP_POL_A_ACTION] ||
	    !p[NFESP_POL_A_PROTO] || !p[NFESP_POL_A_SPORT] || !p[NFESP_POL_A_DPORT] ||
	    !p[NFESP_POL_A_PRIORITY])
		return -EPROTO;
	dir = nla_get_u8(p[NFESP_POL_A_DIR]);
	action = nla_get_u8(p[NFESP_POL_A_ACTION]);
	proto = nla_get_u8(p[NFESP_POL_A_PROTO]);
	family = nla_get_u16(p[NFESP_POL_A_FAMILY]);
	if (dir > 3 || action > 3)
		return -EPROTO;
	if_id = p[NFESP_POL_A_IF_ID] ? nla_get_u32(p[NFESP_POL_A_IF_ID]) : 0;
	if (p[NFESP_POL_A_TMPL])
		nla_parse_nested(t, NFESP_TMPL_A_MAX, p[NFESP_POL_A_TMPL], NULL);
	tfamily = t[NFESP_TMPL_A_FAMILY] ? nla_get_u16(t[NFESP_TMPL_A_FAMILY]) : AF_INET;
	if (t[NFESP_TMPL_A_TSRC] && t[NFESP_TMPL_A_TDST]) {
		inet_ntop(tfamily, nla_data(t[NFESP_TMPL_A_TSRC]), tsrc, sizeof(tsrc));
		inet_ntop(tfamily, nla_data(t[NFESP_TMPL_A_TDST]), tdst, sizeof(tdst));
	}
	pname = proto_name(proto);
	f = list_next(arg);
	fprintf(f, opts.json ? "{\"dir\":\"%s\",\"src\":\"" : "dir %s src ", dirs[dir]);
	print_prefix(f, p[NFESP_POL_A_SRC], p[NFESP_POL_A_SRC_LEN], family);
	fputs(opts.json ? "\",\"dst\":\"" : " dst ", f);
	print_prefix(f, p[NFESP_POL_A_DST], p[NFESP_POL_A_DST_LEN], family);
	if (opts.json) {
		fprintf(f, "\",\"proto\":%u,\"sport\":%u,\"dport\":%u,\"priority\":%u,"
			"\"action\":\"%s\"", proto, nla_get_u16(p[NFESP_POL_A_SPORT]),
			nla_get_u16(p[NFESP_POL_A_DPORT]),
			nla_get_u32(p[NFESP_POL_A_PRIORITY]), actions[action]);
		if (if_id)
			fprintf(f, ",\"if_id\":%u", if_id);
		if (t[NFESP_TMPL_A_MODE]) {
			bool tunnel = nla_get_u8(t[NFESP_TMPL_A_MODE]) == NFESP_MODE_TUNNEL;

			fprintf(f, ",\"mode\":\"%s\",\"reqid\":%u", tunnel ? "tunnel" : "transport",
				t[NFESP_TMPL_A_REQID] ? nla_get_u32(t[NFESP_TMPL_A_REQID]) : 0);
			if (tunnel)
				fprintf(f, ",\"tsrc\":\"%s\",\"tdst\":\"%s\"", tsrc, tdst);
			if (t[NFESP_TMPL_A_SPI])
				fprintf(f, ",\"spi\":%u", nla_get_u32(t[NFESP_TMPL_A_SPI]));
		}
		fputc('}', f);
		return 0;
	}
	if (proto)
		pname ? fprintf(f, " proto %s", pname) : fprintf(f, " proto %u", proto);
	if (nla_get_u16(p[NFESP_POL_A_SPORT]))
		fprintf(f, " sport %u", nla_get_u16(p[NFESP_POL_A_SPORT]));
	if (nla_get_u16(p[NFESP_POL_A_DPORT]))
		fprintf(f, " dport %u", nla_get_u16(p[NFESP_POL_A_DPORT]));
	if (if_id)
		fprintf(f, " if-id %u", if_id);
	fprintf(f, " priority %u action %s\n", nla_get_u32(p[NFESP_POL_A_PRIORITY]),
		actions[action]);
	if (t[NFESP_TMPL_A_MODE]) {
		bool tunnel = nla_get_u8(t[NFESP_TMPL_A_MODE]) == NFESP_MODE_TUNNEL;

		fprintf(f, "\tmode %s", tunnel ? "tunnel" : "transport");
		if (tunnel)
			fprintf(f, " tsrc %s tdst %s", tsrc, tdst);
		fprintf(f, " reqid %u",
			t[NFESP_TMPL_A_REQID] ? nla_get_u32(t[NFESP_TMPL_A_REQID]) : 0);
		if (t[NFESP_TMPL_A_SPI])
			fprintf(f, " spi 0x%08x", nla_get_u32(t[NFESP_TMPL_A_SPI]));
		fputc('\n', f);
	}
	if (opts.stats && p[NFESP_POL_A_STATS])
		print_stats_line(f, p[NFESP_POL_A_STATS]);
	return 0;
}

static int policy_command(uint8_t cmd, const char *name, int argc, char **argv)
{
	struct pol_args a;
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
	if (a.dev && link_if_id(&nl, a.dev, &a.pol.if_id)) {
		nfesp_nl_close(&nl);
		return EXIT_KERNEL;
	}
	msg = nfesp_nl_msg(&nl, cmd, 0);
	if (msg && nfesp_put_policy(msg, &a.pol)) {
		nfesp_nl_msg_free(msg);
		msg = NULL;
	}
	if (cmd == NFESP_CMD_POLICY_GET)
		err = get_object(&nl, msg, policy_print);
	else
		err = nfesp_nl_request(&nl, msg, NULL, NULL);
	if (err)
		error("policy %s: %s", name, nl.error);
	nfesp_nl_close(&nl);
	return err ? EXIT_KERNEL : EXIT_OK;
}

int do_policy(int argc, char **argv)
{
	static const struct {
		const char *name;
		uint8_t cmd;
	} cmds[] = {
		{ "add", NFESP_CMD_POLICY_ADD },
		{ "update", NFESP_CMD_POLICY_UPDATE },
		{ "get", NFESP_CMD_POLICY_GET },
		{ "delete", NFESP_CMD_POLICY_DEL },
	};
	size_t i;

	if (argc == 0 || matches(argv[0], "list") || matches(argv[0], "show"))
		return list_objects(NFESP_CMD_POLICY_GET, "policy list",
				    argc ? argc - 1 : 0, argv + 1, policy_print);
	if (matches(argv[0], "help")) {
		policy_usage(stdout);
		return EXIT_OK;
	}
	if (matches(argv[0], "flush"))
		return flush_objects(NFESP_CMD_POLICY_FLUSH, "policy flush",
				     argc - 1, argv + 1);
	for (i = 0; i < sizeof(cmds) / sizeof(cmds[0]); i++)
		if (matches(argv[0], cmds[i].name) ||
		    (cmds[i].cmd == NFESP_CMD_POLICY_DEL && !strcmp(argv[0], "del")))
			return policy_command(cmds[i].cmd, cmds[i].name, argc - 1, argv + 1);
	error("\"policy %s\" is unknown, try \"ipsecctl policy help\"", argv[0]);
	return EXIT_USAGE;
}
