// SPDX-License-Identifier: GPL-2.0
/* ipsecctl -f FILE: commands from a file, a line each. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ipsecctl.h"

#define MAX_WORDS 64

/* Splits @line in place at blanks, up to a '#'; -1 if it has too many words. */
static int split(char *line, char **words)
{
	char *save = NULL, *w;
	int n = 0;

	line[strcspn(line, "#\n")] = '\0';
	for (w = strtok_r(line, " \t\r", &save); w; w = strtok_r(NULL, " \t\r", &save)) {
		if (n == MAX_WORDS)
			return -1;
		words[n++] = w;
	}
	return n;
}

/*
 * Runs each line as an ipsecctl command. Applying, it stops at the first
 * that fails (those before it stay applied); checking (-n), it goes on and
 * reports every bad line. Returns the first failure's status.
 */
int run_batch(const char *path)
{
	FILE *f = strcmp(path, "-") ? fopen(path, "r") : stdin;
	char *line = NULL, *words[MAX_WORDS], where[300];
	int lineno = 0, status = EXIT_OK, n, st;
	size_t cap = 0;

	if (!f) {
		error("cannot read \"%s\": %s", path, strerror(errno));
		return EXIT_USAGE;
	}
	while (getline(&line, &cap, f) != -1) {
		snprintf(where, sizeof(where), "%s:%d", path, ++lineno);
		error_where = where;
		n = split(line, words);
		if (n < 0) {
			error("more than %d words", MAX_WORDS);
			st = EXIT_USAGE;
		} else {
			st = n ? do_object(n, words) : EXIT_OK;
		}
		if (st && !status)
			status = st;
		if (st && !opts.dry_run) {
			error("stopped here: the lines after it were not run");
			break;
		}
	}
	error_where = NULL;
	free(line);
	if (f != stdin)
		fclose(f);
	return status;
}
