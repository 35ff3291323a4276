// SPDX-License-Identifier: GPL-2.0
/*
 * The latest log lines of each connection, kept for `ipsecctl ike up`,
 * which waits for the negotiation it started and shows what iked said of
 * it (as swanctl --initiate does). A ring of lines numbered from 0.
 */
#include <stdio.h>
#include <stdlib.h>

#include "ike.h"

#define CONN_LOG_LINES	32
#define CONN_LOG_LEN	256

struct conn_log {
	unsigned long seq;		/* lines kept so far */
	char line[CONN_LOG_LINES][CONN_LOG_LEN];
};

void conn_log_keep(struct ike_conn *c, const char *line)
{
	if (!c->log)
		c->log = calloc(1, sizeof(*c->log));
	if (!c->log)
		return;
	snprintf(c->log->line[c->log->seq % CONN_LOG_LINES], CONN_LOG_LEN, "%s", line);
	c->log->seq++;
}

unsigned long conn_log_since(const struct ike_conn *c, unsigned long seq, FILE *f)
{
	unsigned long end = c->log ? c->log->seq : 0, s;

	if (seq > end)
		seq = end;
	if (end - seq > CONN_LOG_LINES)
		seq = end - CONN_LOG_LINES;
	for (s = seq; s < end; s++)
		fprintf(f, "| %s\n", c->log->line[s % CONN_LOG_LINES]);
	return end;
}

unsigned long conn_log_seq(const struct ike_conn *c)
{
	return c->log ? c->log->seq : 0;
}

void conn_log_free(struct ike_conn *c)
{
	free(c->log);
	c->log = NULL;
}
