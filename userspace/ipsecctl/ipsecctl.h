/* SPDX-License-Identifier: GPL-2.0 */
/* ipsecctl: what its command files share. */
#ifndef IPSECCTL_H
#define IPSECCTL_H

#include <stdbool.h>
#include <stdio.h>

/* Exit statuses (ipsecctl(8)). */
enum {
	EXIT_OK = 0,
	EXIT_KERNEL = 1,	/* the kernel could not be reached or refused */
	EXIT_USAGE = 2,		/* the command line was wrong */
};

struct options {
	bool json;
	bool stats;
	bool show_keys;
};

extern struct options opts;

/* Prints "ipsecctl: <message>" on stderr. */
void error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Each object's command handler: argv[0] is the first word after it. */
int do_version(int argc, char **argv);
int do_stats(int argc, char **argv);
int do_sa(int argc, char **argv);

/* sa_print.c: an SA reply, as text or JSON. */
struct nlattr;
int sa_print(struct nlattr **tb, void *file);

/* A list is buffered, to be printed only if the dump was consistent. */
struct sa_list_state {
	FILE *f;
	char *buf;
	size_t len;
	int count;
};
int sa_list_begin(struct sa_list_state *s);
int sa_list_one(struct nlattr **tb, void *state);
void sa_list_discard(struct sa_list_state *s);
int sa_list_end(struct sa_list_state *s, int err);

#endif
