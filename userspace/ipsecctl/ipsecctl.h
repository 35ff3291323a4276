/* SPDX-License-Identifier: GPL-2.0 */
/* ipsecctl: what its command files share. */
#ifndef IPSECCTL_H
#define IPSECCTL_H

#include <stdbool.h>
#include <stdint.h>
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
	bool dry_run;		/* -n: check commands, send nothing */
};

extern struct options opts;
/* Where the command being run came from ("FILE:LINE"), for messages. */
extern const char *error_where;

int do_object(int argc, char **argv);
/* words.c */
/* The value after the word argv[0]; NULL (and a message) if there is none. */
const char *value_of(int *argc, char ***argv);
/* Marks a word as seen; false (and a message) if it was already. */
bool once(bool *seen, const char *word);
/* The same for a word that stands for @bit of a has mask. */
bool once_in(uint32_t *has, uint32_t bit, const char *word);
struct nfesp_nl;
/* nfesp_nl_open, with the message printed when it fails. */
int open_kernel(struct nfesp_nl *nl);
struct nlattr;
/* "\tstats name value ..." of a counters nest. */
void print_stats_line(FILE *f, struct nlattr *stats);

/* batch.c: -f FILE */
int run_batch(const char *path);

/* Prints "ipsecctl: <message>" on stderr. */
void error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Each object's command handler: argv[0] is the first word after it. */
int do_version(int argc, char **argv);
int do_stats(int argc, char **argv);
int do_sa(int argc, char **argv);

int do_policy(int argc, char **argv);
int do_monitor(int argc, char **argv);
int do_ike(int argc, char **argv);
int do_link(int argc, char **argv);

/* link.c: the interface id of the tunnel device @name of this namespace;
 * 0, or -1 with a message.
 */
int link_if_id(struct nfesp_nl *nl, const char *name, uint32_t *if_id);

/* The value @v of "dev" (@w): the device's name, looked up later; of
 * "if-id": the id. False, with a message, for an id that is none.
 */
bool parse_device_word(const char *w, const char *v, const char **dev, uint32_t *if_id);

/*
 * Output of objects the kernel sends, buffered so that a list is printed
 * only whole and consistent; a JSON list is an array.
 */
struct list_state {
	FILE *f;
	char *buf;
	size_t len;
	int count;
	bool array;
};

struct nlattr;
struct nl_msg;
struct nfesp_nl;
typedef int (*print_fn)(struct nlattr **tb, void *state);

/* list.c */
int list_objects(uint8_t cmd, const char *what, int argc, char **argv,
		 print_fn print);
int get_object(struct nfesp_nl *nl, struct nl_msg *msg, print_fn print);
int flush_objects(uint8_t cmd, const char *what, int argc, char **argv);
/* Before each object of a list: the separator a JSON array needs. */
FILE *list_next(struct list_state *s);

/* sa_print.c, policy.c: one object, text or JSON */
int sa_print(struct nlattr **tb, void *state);
int policy_print(struct nlattr **tb, void *state);

#endif
