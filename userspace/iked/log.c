// SPDX-License-Identifier: GPL-2.0
/*
 * iked's log: a line a message, prefixed by the connection's name, to
 * stderr (systemd's journal) or to syslog. Warnings (a peer refused, a
 * message dropped) carry their priority, and are rate-limited per source
 * address and in all, so that a flood cannot fill the disk.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>

#include "ike.h"

int ike_verbose;
bool ike_syslog;
FILE *ike_log_file;

/* In a window of this many seconds, this many warnings of one source... */
#define WARN_WINDOW		10
#define WARN_PER_SOURCE		5
/* ...and this many in all; sources share WARN_SLOTS slots by hash. */
#define WARN_TOTAL		100
#define WARN_SLOTS		256

struct warn_budget {
	uint8_t addr[16];
	size_t alen;
	time_t start;
	unsigned int n, suppressed;
};

static struct warn_budget slots[WARN_SLOTS], total;

static void emit(int priority, const struct ike_sa *sa, const char *line)
{
	const char *name = sa && sa->conn ? sa->conn->name : NULL;

	if (sa && sa->conn)
		conn_log_keep(sa->conn, line);
	if (ike_syslog) {
		syslog(priority, "%s%s%s", name ? name : "", name ? ": " : "", line);
		return;
	}
	/* Under systemd, a "<N>" prefix gives the line its priority. */
	fprintf(ike_log_file ? ike_log_file : stderr, "%s%s%s%s\n",
		priority != LOG_INFO && getenv("JOURNAL_STREAM") ? "<4>" : "",
		name ? name : "", name ? ": " : "", line);
}

void ike_log(const struct ike_sa *sa, const char *fmt, ...)
{
	char line[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	emit(LOG_INFO, sa, line);
}

/* Says what @b held back, as "N more warning(s) @whose held back". */
static void said_back(struct warn_budget *b, const char *whose)
{
	char line[160];

	if (!b->suppressed)
		return;
	snprintf(line, sizeof(line), "%u more warning(s) %s held back",
		 b->suppressed, whose);
	emit(LOG_WARNING, NULL, line);
	b->suppressed = 0;
}

/* A new window for @b once the last one is over. */
static void renew(struct warn_budget *b, time_t now, const char *whose)
{
	if (now - b->start < WARN_WINDOW)
		return;
	said_back(b, whose);
	b->start = now;
	b->n = 0;
}

void ike_warn(const struct ike_sa *sa, const struct sockaddr_storage *from,
	      const char *fmt, ...)
{
	static const uint8_t none[16];
	const uint8_t *addr = none;
	struct warn_budget *b;
	time_t now = time(NULL);
	uint32_t h = 2166136261u;
	char line[1024], whose[80];
	size_t alen = 0, i;
	va_list ap;

	if (!from && sa)
		from = &sa->remote;
	if (from)
		addr = sockaddr_addr(from, &alen);
	for (i = 0; i < alen; i++)
		h = (h ^ addr[i]) * 16777619u;
	b = &slots[h % WARN_SLOTS];
	if (b->alen != alen || memcmp(b->addr, addr, alen)) {
		/* Another source hashed here: the slot is its now. */
		said_back(b, "of another source");
		memset(b, 0, sizeof(*b));
		memcpy(b->addr, addr, alen);
		b->alen = alen;
	}
	snprintf(whose, sizeof(whose), "from %s",
		 from ? sockaddr_str(from, line, sizeof(line)) : "iked itself");
	renew(b, now, whose);
	renew(&total, now, "from all sources");
	if (b->n >= WARN_PER_SOURCE) {
		b->suppressed++;
		return;
	}
	if (total.n >= WARN_TOTAL) {
		total.suppressed++;
		return;
	}
	b->n++;
	total.n++;
	va_start(ap, fmt);
	vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	emit(LOG_WARNING, sa, line);
}
