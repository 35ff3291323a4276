// SPDX-License-Identifier: GPL-2.0
/*
 * iked's configuration file (format: see config.h), read with libinih.
 *
 * libinih as Debian builds it gives the handler no line number, so the
 * reader below counts the lines it hands over: the handler for a line runs
 * right after its line is read. The reader also strips leading blanks (so
 * that libinih's multi-line values never start: an indented line is a line
 * of its own), catches lines too long for libinih's buffer, and follows the
 * [sections] itself, since libinih truncates long section names. [global]
 * is iked's own (conf_global.c); every other section is a connection.
 *
 * Errors are collected, then written sorted by line, so that a missing key
 * (reported at its section's line once the section is over) comes first.
 */
#define _GNU_SOURCE
#include <ctype.h>
#include <errno.h>
#include <ini.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "conf_loader.h"

#define CONF_SYNTAX_ERROR	"expected `key = value` or `[section]`"

static void conf_msg(struct loader *ld, unsigned int line, bool error,
		     const char *fmt, va_list ap)
{
	struct conf_msg *m;
	char *text, *body;
	int ret;

	ld->errors += error;
	ret = vasprintf(&body, fmt, ap);
	if (ret < 0)
		goto lost;
	ret = asprintf(&text, "%s%s", error ? "" : "warning: ", body);
	free(body);
	if (ret < 0)
		goto lost;
	if (ld->n_msgs == ld->cap_msgs) {
		size_t cap = ld->cap_msgs ? 2 * ld->cap_msgs : 16;

		m = reallocarray(ld->msgs, cap, sizeof(*m));
		if (!m) {
			free(text);
			goto lost;
		}
		ld->msgs = m;
		ld->cap_msgs = cap;
	}
	ld->msgs[ld->n_msgs].line = line;
	ld->msgs[ld->n_msgs].text = text;
	ld->n_msgs++;
	return;
lost:
	ld->lost++;
}

void conf_error(struct loader *ld, unsigned int line, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	conf_msg(ld, line, true, fmt, ap);
	va_end(ap);
}

void conf_warn(struct loader *ld, unsigned int line, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	conf_msg(ld, line, false, fmt, ap);
	va_end(ap);
}

static bool has_error_at(const struct loader *ld, unsigned int line)
{
	size_t i;

	for (i = 0; i < ld->n_msgs; i++)
		if (ld->msgs[i].line == line)
			return true;
	return false;
}

/* Writes the messages in line order (stable: same line, order of finding). */
static void flush_errors(struct loader *ld, FILE *out)
{
	size_t i, j;

	for (i = 1; i < ld->n_msgs; i++) {
		struct conf_msg m = ld->msgs[i];

		for (j = i; j > 0 && ld->msgs[j - 1].line > m.line; j--)
			ld->msgs[j] = ld->msgs[j - 1];
		ld->msgs[j] = m;
	}
	for (i = 0; i < ld->n_msgs; i++) {
		if (out && ld->msgs[i].line)
			fprintf(out, "%s:%u: %s\n", ld->path, ld->msgs[i].line,
				ld->msgs[i].text);
		else if (out)
			fprintf(out, "%s: %s\n", ld->path, ld->msgs[i].text);
		free(ld->msgs[i].text);
	}
	if (out && ld->lost)
		fprintf(out, "%s: %u more errors (out of memory to say which)\n",
			ld->path, ld->lost);
	free(ld->msgs);
	ld->msgs = NULL;
	ld->n_msgs = ld->cap_msgs = 0;
}

/* The section is over: defaults, and what needs several keys. */
static void finish_section(struct loader *ld)
{
	struct ike_conn *c = ld->cur;

	if (c)
		conf_conn_finish(ld, c);
	ld->cur = NULL;
	ld->in_section = false;
	ld->in_global = false;
}

static bool valid_name(const char *s, size_t len)
{
	size_t i;

	if (!len || len >= IKE_NAME_MAX)
		return false;
	for (i = 0; i < len; i++)
		if (!isalnum((unsigned char)s[i]) && !strchr("_.-", s[i]))
			return false;
	return true;
}

/* A "[name]" line (without leading blanks). */
static void start_section(struct loader *ld, const char *line)
{
	const char *end = strchr(line, ']'), *rest;
	struct ike_conn *c, *first = NULL;
	size_t len;

	finish_section(ld);
	ld->in_section = true;
	memset(ld->key_line, 0, sizeof(ld->key_line));
	memset(ld->key_ok, 0, sizeof(ld->key_ok));
	if (!end) {
		conf_error(ld, ld->line, "expected ']' after the section name");
		end = line + strcspn(line, "\r\n");
	} else {
		for (rest = end + 1; isspace((unsigned char)*rest); rest++)
			;
		if (*rest && *rest != ';' && *rest != '#')
			conf_error(ld, ld->line, "unexpected text after ']'");
	}
	len = (size_t)(end - line - 1);
	if (len == 6 && !strncmp(line + 1, "global", 6)) {
		if (ld->global_line)
			conf_error(ld, ld->line, "section [global] given twice (first on line %u)",
				   ld->global_line);
		else
			ld->global_line = ld->line;
		ld->in_global = true;
		return;
	}
	if (!valid_name(line + 1, len))
		conf_error(ld, ld->line,
			   "invalid section name '%.*s' (expected 1 to %d of A-Z a-z 0-9 _ . -)",
			   (int)len, line + 1, IKE_NAME_MAX - 1);
	else
		for (first = ld->head; first; first = first->next)
			if (!strncmp(first->name, line + 1, len) && !first->name[len])
				break;
	if (first)
		conf_error(ld, ld->line, "section [%s] given twice (first on line %u)",
			   first->name, first->line);

	/* Even a bad section gets a connection: its keys are checked too. */
	c = calloc(1, sizeof(*c));
	if (!c) {
		conf_error(ld, ld->line, "out of memory");
		return;
	}
	conf_conn_defaults(c);
	if (valid_name(line + 1, len))
		memcpy(c->name, line + 1, len);
	c->line = ld->line;
	*ld->tail = c;
	ld->tail = &c->next;
	ld->cur = c;
}

/* Whether libinih will take @s (no leading blanks) as "key = value". */
static bool is_key_line(const char *s)
{
	bool was_space = false;

	for (; *s; s++) {
		if (*s == '=' || *s == ':')
			return true;
		if (was_space && *s == ';')
			return false;
		was_space = isspace((unsigned char)*s);
	}
	return false;
}

/* Skips the rest of a line that did not fit; false if there was none. */
static bool skip_rest(FILE *f)
{
	int c = getc(f);

	if (c == EOF)
		return false;
	while (c != EOF && c != '\n')
		c = getc(f);
	return true;
}

static char *conf_reader(char *str, int num, void *stream)
{
	struct loader *ld = stream;
	size_t len, skip;

	if (!fgets(str, num, ld->f))
		return NULL;
	ld->line++;
	len = strlen(str);
	if (len == (size_t)num - 1 && str[len - 1] != '\n' && skip_rest(ld->f)) {
		conf_error(ld, ld->line, "line too long (more than %d characters)",
			   num - 2);
		str[0] = '\0';
		return str;
	}
	skip = 0;
	if (ld->line == 1 && !strncmp(str, "\xef\xbb\xbf", 3))
		skip = 3;
	while (str[skip] == ' ' || str[skip] == '\t')
		skip++;
	memmove(str, str + skip, len - skip + 1);

	if (str[0] == '[')
		start_section(ld, str);
	else if (str[0] && !strchr(";#\r\n", str[0]) && !is_key_line(str))
		conf_error(ld, ld->line, CONF_SYNTAX_ERROR);
	return str;
}

static int conf_handler(void *user, const char *section, const char *name,
			const char *value)
{
	struct loader *ld = user;
	int k;

	(void)section;	/* ours is ld->cur: libinih truncates long names */
	if (!ld->in_section) {
		conf_error(ld, ld->line, "'%s' outside any [section]", name);
		return 1;
	}
	if (ld->in_global) {
		conf_global_key(ld, name, value);
		return 1;
	}
	k = conf_key_find(ld, name);
	if (k == K_COUNT)
		return 1;
	if (ld->key_line[k]) {
		conf_error(ld, ld->line, "'%s' given twice (first on line %u)",
			   name, ld->key_line[k]);
		return 1;
	}
	ld->key_line[k] = ld->line;
	if (ld->cur)
		ld->key_ok[k] = conf_key_parse(ld, k, value);
	return 1;
}

static void set_dir(struct loader *ld, const char *path)
{
	const char *slash = strrchr(path, '/');

	if (!slash)
		snprintf(ld->dir, sizeof(ld->dir), ".");
	else if (slash == path)
		snprintf(ld->dir, sizeof(ld->dir), "/");
	else
		snprintf(ld->dir, sizeof(ld->dir), "%.*s", (int)(slash - path), path);
}

static void conns_free(struct ike_conn *c)
{
	struct ike_conn *next;

	for (; c; c = next) {
		next = c->next;
		conf_conn_release(c);
		explicit_bzero(c, sizeof(*c));
		free(c);
	}
}

int config_load(const char *path, struct ike_config *conf, FILE *errors)
{
	/* Our own stdio buffer, to wipe: it held the inline keys. */
	char iobuf[4096];
	struct loader ld = { .path = path };
	struct stat st;
	int ret;

	conf->conns = NULL;
	ld.tail = &ld.head;
	conf_global_defaults(&ld.settings);
	set_dir(&ld, path);
	ld.f = fopen(path, "re");
	if (!ld.f) {
		conf_error(&ld, 0, "%s", strerror(errno));
		goto out;
	}
	setvbuf(ld.f, iobuf, _IOFBF, sizeof(iobuf));
	if (fstat(fileno(ld.f), &st) == 0)
		ld.mode = st.st_mode;
	if (S_ISREG(ld.mode) && (ld.mode & (S_IWGRP | S_IWOTH)))
		conf_error(&ld, 0, "writable by others (mode %04o): anyone could change its keys and connections: chmod go-w it",
			   (unsigned int)(ld.mode & 07777));
	ret = ini_parse_stream(conf_reader, &ld, conf_handler, &ld);
	finish_section(&ld);
	if (ret > 0 && !has_error_at(&ld, (unsigned int)ret))
		conf_error(&ld, (unsigned int)ret, CONF_SYNTAX_ERROR);
	else if (ret < 0)
		conf_error(&ld, 0, "out of memory");
	if (ferror(ld.f))
		conf_error(&ld, 0, "read error");
	fclose(ld.f);
	explicit_bzero(iobuf, sizeof(iobuf));
out:
	flush_errors(&ld, errors);
	if (ld.errors) {
		conns_free(ld.head);
		return (int)ld.errors;
	}
	conf->conns = ld.head;
	conf->settings = ld.settings;
	return 0;
}

void config_free(struct ike_config *conf)
{
	conns_free(conf->conns);
	conf->conns = NULL;
}
