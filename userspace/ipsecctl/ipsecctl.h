/* SPDX-License-Identifier: GPL-2.0 */
/* ipsecctl: what its command files share. */
#ifndef IPSECCTL_H
#define IPSECCTL_H

#include <stdbool.h>

/* Exit statuses (ipsecctl(8)). */
enum {
	EXIT_OK = 0,
	EXIT_KERNEL = 1,	/* the kernel could not be reached or refused */
	EXIT_USAGE = 2,		/* the command line was wrong */
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
