// SPDX-License-Identifier: GPL-2.0
/* ipsecctl monitor: the kernel's events, as they come. */
#include <stdlib.h>
#include <string.h>

#include "../lib/nl.h"
#include "../lib/parse.h"
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
	default: return NULL;
	}
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
		fprintf(s->f, "%s%s", name, tb[NFESP_A_SA] || tb[NFESP_A_POLICY] ? ": " : "\n");
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
