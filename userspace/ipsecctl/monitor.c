// SPDX-License-Identifier: GPL-2.0
/* ipsecctl monitor: the kernel's events, as they come. */
#include <arpa/inet.h>
#include <stdlib.h>
#include <string.h>

#include "../lib/nl.h"
#include "../lib/parse.h"
#include "../lib/util.h"
#include "ipsecctl.h"

struct monitor {
	uint32_t left;		/* events to go; 0: no end */
	struct list_state out;
};

static const char *event_name(uint8_t cmd, struct nlattr **tb)
{
	switch (cmd) {
	case NFESP_CMD_SA_ADD: return "sa add";
	case NFESP_CMD_SA_UPDATE: return "sa update";
	case NFESP_CMD_SA_DEL: return "sa delete";
	case NFESP_CMD_SA_FLUSH: return "sa flush";
	case NFESP_CMD_POLICY_ADD: return "policy add";
	case NFESP_CMD_POLICY_UPDATE: return "policy update";
	case NFESP_CMD_POLICY_DEL: return "policy delete";
	case NFESP_CMD_POLICY_FLUSH: return "policy flush";
	case NFESP_CMD_EXPIRE: return tb[NFESP_A_HARD] ? "expire hard" : "expire soft";
	case NFESP_CMD_ACQUIRE: return "acquire";
	default: return NULL;
	}
}

/* ACQUIRE's packet: "src A dst B proto P sport S dport D", or JSON. */
static void print_flow(FILE *f, struct nlattr *nest)
{
	struct nlattr *fl[NFESP_POL_A_MAX + 1];
	char src[INET6_ADDRSTRLEN] = "?", dst[INET6_ADDRSTRLEN] = "?";
	int family;

	if (nla_parse_nested(fl, NFESP_POL_A_MAX, nest, NULL) < 0 ||
	    !fl[NFESP_POL_A_FAMILY] || !fl[NFESP_POL_A_SRC] || !fl[NFESP_POL_A_DST] ||
	    !fl[NFESP_POL_A_PROTO] || !fl[NFESP_POL_A_SPORT] || !fl[NFESP_POL_A_DPORT])
		return;
	family = nla_get_u16(fl[NFESP_POL_A_FAMILY]);
	inet_ntop(family, nla_data(fl[NFESP_POL_A_SRC]), src, sizeof(src));
	inet_ntop(family, nla_data(fl[NFESP_POL_A_DST]), dst, sizeof(dst));
	fprintf(f, opts.json ?
		",\"flow\":{\"src\":\"%s\",\"dst\":\"%s\",\"proto\":%u,\"sport\":%u,\"dport\":%u}" :
		"src %s dst %s proto %u sport %u dport %u, by ",
		src, dst, nla_get_u8(fl[NFESP_POL_A_PROTO]),
		nla_get_u16(fl[NFESP_POL_A_SPORT]), nla_get_u16(fl[NFESP_POL_A_DPORT]));
}

/* ACQUIRE's tunnel device, when a device wants the SA, not a policy. */
static void print_link(FILE *f, struct nlattr **tb)
{
	struct nlattr *link[NFESP_LINK_A_MAX + 1];
	const char *name;
	uint32_t if_id;

	if (nfesp_nl_link_parse(tb, link))
		return;
	name = nla_get_string(link[NFESP_LINK_A_IFNAME]);
	if_id = nla_get_u32(link[NFESP_LINK_A_IF_ID]);
	if (!opts.json) {
		fprintf(f, "device %s if-id %u\n", name, if_id);
		return;
	}
	fputs(",\"ifname\":", f);
	json_print_string(f, name);
	fprintf(f, ",\"if_id\":%u", if_id);
}

/* Each event on a line of its own (the object's text after it), or as one
 * JSON object a line; printed at once, for whoever reads a pipe.
 */
static int on_event(uint8_t cmd, struct nlattr **tb, void *arg)
{
	struct monitor *m = arg;
	const char *name = event_name(cmd, tb);
	struct list_state *s = &m->out;

	if (!name)
		return 0;
	s->buf = NULL;
	s->len = 0;
	s->count = 0;
	s->f = open_memstream(&s->buf, &s->len);
	if (!s->f)
		return -1;
	if (opts.json)
		fprintf(s->f, "{\"event\":\"%s\"", name);
	else
		fprintf(s->f, "%s%s", name,
			tb[NFESP_A_SA] || tb[NFESP_A_POLICY] || tb[NFESP_A_FLOW] ? ": " : "\n");
	if (tb[NFESP_A_FLOW])
		print_flow(s->f, tb[NFESP_A_FLOW]);
	if (tb[NFESP_A_LINK])
		print_link(s->f, tb);
	else if (tb[NFESP_A_FLOW] && !opts.json)
		fputs("policy ", s->f);
	if (tb[NFESP_A_SA] || tb[NFESP_A_POLICY]) {
		if (opts.json)
			fprintf(s->f, ",\"%s\":", tb[NFESP_A_SA] ? "sa" : "policy");
		(tb[NFESP_A_SA] ? sa_print : policy_print)(tb, s);
	}
	if (opts.json)
		fputs("}\n", s->f);
	fclose(s->f);
	fwrite(s->buf, 1, s->len, stdout);
	fflush(stdout);
	free(s->buf);
	return m->left && !--m->left;
}

int do_monitor(int argc, char **argv)
{
	struct monitor m = { 0 };
	struct nfesp_nl nl;
	int err;

	if (argc > 0 && strcmp(argv[0], "count")) {
		error("\"monitor\" takes only \"count N\", not \"%s\"", argv[0]);
		return EXIT_USAGE;
	}
	if (argc > 0 && (argc != 2 || parse_u32(argv[1], UINT32_MAX, &m.left) || !m.left)) {
		error("monitor count needs a number of events (1 or more)");
		return EXIT_USAGE;
	}
	if (opts.dry_run)
		return EXIT_OK;
	if (open_kernel(&nl))
		return EXIT_KERNEL;
	err = nfesp_nl_listen(&nl, on_event, &m);
	if (err < 0)
		error("monitor: %s", nl.error);
	nfesp_nl_close(&nl);
	return err < 0 ? EXIT_KERNEL : EXIT_OK;
}
