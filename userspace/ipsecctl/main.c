// SPDX-License-Identifier: GPL-2.0
/* ipsecctl: configures nfesp, the in-kernel IPsec ESP, over netlink. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <sched.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "../lib/util.h"
#include "ipsecctl.h"

struct options opts;
const char *error_where;

void error(const char *fmt, ...)
{
	va_list ap;

	fputs("ipsecctl: ", stderr);
	if (error_where)
		fprintf(stderr, "%s: ", error_where);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

static void usage(FILE *f)
{
	fputs("Usage: ipsecctl [OPTIONS] OBJECT [COMMAND [ARGS]]\n"
	      "OBJECT := { sa | policy | link | ike | monitor | stats | version | help }\n"
	      "OPTIONS := { -h[elp] | -j[son] | -s[tatistics] | -k[eys] | -V[ersion] |\n"
	      "             -f FILE | -n | -N NETNS }\n"
	      "\n"
	      "  sa        security associations: ipsecctl sa help\n"
	      "  policy    security policies: ipsecctl policy help\n"
	      "  link      route-based tunnel devices: ipsecctl link help\n"
	      "  ike       what iked negotiated; up, down, reload: ipsecctl ike help\n"
	      "  monitor   print the kernel's events as they come [ count N ]\n"
	      "  stats     counters of this network namespace\n"
	      "  version   versions of ipsecctl and of the loaded nfesp module\n"
	      "  -j        JSON output   -s  counters in lists   -k  show keys\n"
	      "  -f FILE   run the commands in FILE (- for standard input), a line\n"
	      "            each, stopping at the first that fails\n"
	      "  -n        check the commands, apply nothing (with -f: report every\n"
	      "            error with its line)\n"
	      "  -N NETNS  act in the named network namespace (ip netns)\n"
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
	{ "ike", do_ike },
	{ "link", do_link },
	{ "monitor", do_monitor },
	{ "stats", do_stats },
	{ "version", do_version },
};

int do_object(int argc, char **argv)
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

/* Moves this process into a network namespace named by ip netns, or a path. */
static int enter_netns(const char *name)
{
	char path[PATH_MAX];
	int fd, err;

	if (strchr(name, '/'))
		snprintf(path, sizeof(path), "%s", name);
	else
		snprintf(path, sizeof(path), "/run/netns/%s", name);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		error("network namespace \"%s\": %s", name, strerror(errno));
		return EXIT_USAGE;
	}
	err = setns(fd, CLONE_NEWNET);
	if (err)
		error("network namespace \"%s\": %s", name, strerror(errno));
	close(fd);
	return err ? EXIT_KERNEL : EXIT_OK;
}

int main(int argc, char **argv)
{
	const char *batch = NULL, *netns = NULL;
	int err;

	for (argc--, argv++; argc > 0 && argv[0][0] == '-'; argc--, argv++) {
		const char *opt = argv[0] + 1;

		if (opt[0] == '-')	/* --json works as well as -json */
			opt++;
		if (!strcmp(opt, "n") || matches(opt, "check")) {
			opts.dry_run = true;
		} else if (!strcmp(opt, "N") || !strcmp(opt, "netns")) {
			netns = value_of(&argc, &argv);
			if (!netns)
				return EXIT_USAGE;
		} else if (!strcmp(opt, "f") || !strcmp(opt, "file") || !strcmp(opt, "batch")) {
			batch = value_of(&argc, &argv);
			if (!batch)
				return EXIT_USAGE;
		} else if (matches(opt, "help")) {
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
	if (netns) {
		err = enter_netns(netns);
		if (err)
			return err;
	}
	if (batch) {
		if (argc > 0) {
			error("-f runs the commands of a file; \"%s\" is one too many",
			      argv[0]);
			return EXIT_USAGE;
		}
		return run_batch(batch);
	}
	if (argc == 0) {
		usage(stderr);
		return EXIT_USAGE;
	}
	return do_object(argc, argv);
}
