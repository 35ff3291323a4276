// SPDX-License-Identifier: GPL-2.0
/* ipsecctl stats: the counters of the caller's network namespace. */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>

#include "../lib/nl.h"
#include "../lib/util.h"
#include "ipsecctl.h"

static int print_stats(struct nlattr **tb, void *arg)
{
	struct nlattr *attr;
	const char *sep = "";
	int rem;

	(void)arg;
	if (!tb[NFESP_A_STATS])
		return -EPROTO;
	if (opts.json)
		fputc('{', stdout);
	nla_for_each_nested(attr, tb[NFESP_A_STATS], rem) {
		const char *name = nfesp_stat_name(nla_type(attr));

		/* A counter newer than this tool: skip, don't guess a name. */
		if (!name || nla_len(attr) != sizeof(uint64_t))
			continue;
		if (opts.json)
			printf("%s\"%s\":%" PRIu64, sep, name, nla_get_u64(attr));
		else
			printf("%-20s %" PRIu64 "\n", name, nla_get_u64(attr));
		sep = ",";
	}
	if (opts.json)
		fputs("}\n", stdout);
	return 0;
}

int do_stats(int argc, char **argv)
{
	struct nfesp_nl nl;
	int err;

	if (argc > 0 && !matches(argv[0], "show")) {
		error("\"stats\" knows only \"show\", not \"%s\"", argv[0]);
		return EXIT_USAGE;
	}
	if (argc > 1) {
		error("\"stats show\" takes no arguments, got \"%s\"", argv[1]);
		return EXIT_USAGE;
	}
	if (opts.dry_run)
		return EXIT_OK;
	if (open_kernel(&nl))
		return EXIT_KERNEL;
	err = nfesp_nl_request(&nl, nfesp_nl_msg(&nl, NFESP_CMD_GET_STATS, 0),
			       print_stats, NULL);
	if (err)
		error("%s", err == -EPROTO && !nl.error[0] ?
		      "the reply carries no counters" : nl.error);
	nfesp_nl_close(&nl);
	return err ? EXIT_KERNEL : EXIT_OK;
}
