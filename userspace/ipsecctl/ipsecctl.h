/* SPDX-License-Identifier: GPL-2.0 */
/* ipsecctl: what its command files share. */
#ifndef IPSECCTL_H
#define IPSECCTL_H

#include <stdbool.h>

/* Exit statuses, as ip(8) has them. */
enum {
	EXIT_OK = 0,
	EXIT_USAGE = 1,		/* the command line was wrong */
	EXIT_KERNEL = 2,	/* the kernel could not be reached or refused */
};

struct options {
	bool json;
	bool stats;
};

extern struct options opts;

/* Prints "ipsecctl: <message>" on stderr. */
void error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Each object's command handler: argv[0] is the first word after it. */
int do_version(int argc, char **argv);
int do_stats(int argc, char **argv);

#endif
