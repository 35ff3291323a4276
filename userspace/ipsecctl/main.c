// SPDX-License-Identifier: GPL-2.0
/* ipsecctl: configures nfesp, the in-kernel IPsec ESP, over netlink. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "../lib/util.h"
#include "ipsecctl.h"

struct options opts;

void error(const char *fmt, ...)
{
	va_list ap;

	fputs("ipsecctl: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

static void usage(FILE *f)
{
	fputs("Usage: ipsecctl [OPTIONS] OBJECT [COMMAND [ARGS]]\n"
	      "OBJECT := { sa | policy | monitor | stats | version | help }\n"
	      "OPTIONS := { -h[elp] | -j[son] | -s[tatistics] | -k[eys] | -V[ersion] }\n"
	      "\n"
	      "  sa        security associations: ipsecctl sa help\n"
	      "  policy    security policies: ipsecctl policy help\n"
	      "  monitor   print the kernel's events as they come [ count N ]\n"
	      "  stats     counters of this network namespace\n"
	      "  version   versions of ipsecctl and of the loaded nfesp module\n"
	      "  -j        JSON output   -s  counters in lists   -k  show keys\n"
	      "\n"
	      "Objects and options may be abbreviated (ipsecctl st = ipsecctl stats).\n"
	      "Exit status: 0 success, 1 refused by the kernel, 2 bad command line.\n",
	      f);
}

static const struct {
	const char *name;
	int (*fn)(int argc, char **argv);
} objects[] = {
	{ "sa", do_sa },
	{ "policy", do_policy },
	{ "monitor", do_monitor },
	{ "stats", do_stats },
	{ "version", do_version },
};

static int do_object(int argc, char **argv)
{
	size_t i;

	if (matches(argv[0], "help")) {
		usage(stdout);
		return EXIT_OK;
	}
	for (i = 0; i < sizeof(objects) / sizeof(objects[0]); i++)
		if (matches(argv[0], objects[i].name))
			return objects[i].fn(argc - 1, argv + 1);
	error("object \"%s\" is unknown, try \"ipsecctl help\"", argv[0]);
	return EXIT_USAGE;
}

int main(int argc, char **argv)
{
	for (argc--, argv++; argc > 0 && argv[0][0] == '-'; argc--, argv++) {
		const char *opt = argv[0] + 1;

		if (opt[0] == '-')	/* --json works as well as -json */
			opt++;
		if (matches(opt, "help")) {
			usage(stdout);
			return EXIT_OK;
		} else if (matches(opt, "json")) {
			opts.json = true;
		} else if (matches(opt, "statistics")) {
			opts.stats = true;
		} else if (matches(opt, "keys")) {
			opts.show_keys = true;
		} else if (matches(opt, "Version")) {
			return do_version(0, NULL);
		} else {
			error("option \"%s\" is unknown, try \"ipsecctl -help\"",
			      argv[0]);
			return EXIT_USAGE;
		}
	}
	if (argc == 0) {
		usage(stderr);
		return EXIT_USAGE;
	}
	return do_object(argc, argv);
}
