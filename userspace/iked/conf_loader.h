/* SPDX-License-Identifier: GPL-2.0 */
/*
 * iked.conf's reader (config.c) and its keys (conf_keys.c): the state of a
 * file being read, which both share.
 */
#ifndef IKED_CONF_LOADER_H
#define IKED_CONF_LOADER_H

#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <sys/types.h>

#include "config.h"

enum conf_key {
	K_LOCAL,
	K_REMOTE,
	K_LOCAL_ID,
	K_REMOTE_ID,
	K_PSK,
	K_PSK_FILE,
	K_LOCAL_TS,
	K_REMOTE_TS,
	K_MODE,
	K_IKE,
	K_ESP,
	K_IKE_LIFETIME,
	K_LIFETIME,
	K_DPD,
	K_START,
	K_ENCAP,
	K_AUTH,
	K_REMOTE_AUTH,
	K_CERT,
	K_KEY,
	K_CA,
	K_CRL,
	K_REMOTE_CERT,
	K_SEND_CERT,
	K_RSA_PSS,
	K_FRAGMENT_SIZE,
	K_PPK,
	K_PPK_FILE,
	K_PPK_ID,
	K_PPK_REQUIRED,
	K_POOL,
	K_POOL6,
	K_DNS,
	K_UNIQUE,
	K_IF_ID,
	K_INTERFACE,
	K_COUNT
};

struct conf_msg {
	unsigned int line;	/* 0: about the whole file */
	char *text;
};

struct loader {
	const char *path;
	mode_t mode;		/* the file's, for inline keys */
	char dir[PATH_MAX];	/* where relative psk_file paths start */
	FILE *f;
	unsigned int line;	/* of the line last handed to libinih */
	struct ike_conn *head, **tail;
	/* The section being read; cur is NULL before the first one, or when
	 * its connection could not be allocated.
	 */
	bool in_section;
	bool in_global;		/* in [global], iked's own section */
	unsigned int global_line;	/* where [global] began (0: not yet) */
	struct ike_settings settings;
	unsigned int setting_line[3];	/* 0: not given, by conf_global.c's order */
	struct ike_conn *cur;
	unsigned int key_line[K_COUNT];	/* 0: not given */
	bool key_ok[K_COUNT];		/* given and valid */
	struct conf_msg *msgs;
	size_t n_msgs, cap_msgs;
	unsigned int errors, lost;
};

/* An error at @line (0: about the whole file), reported once the file is read. */
void conf_error(struct loader *ld, unsigned int line, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* A warning at @line: said with the errors, but the file is taken. */
void conf_warn(struct loader *ld, unsigned int line, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* conf_keys.c: the key @name's index, or K_COUNT (an error reported). */
int conf_key_find(struct loader *ld, const char *name);
/* Parses @v for key @k of the connection being read; whether it is valid. */
bool conf_key_parse(struct loader *ld, int k, const char *v);
/* The default IKE and ESP proposals, where the section gives none. */
void conf_default_proposals(struct loader *ld, struct ike_conn *c);

/* conf_global.c: the settings' defaults; a "key = value" of [global]. */
void conf_global_defaults(struct ike_settings *s);
void conf_global_key(struct loader *ld, const char *name, const char *v);

/* conf_finish.c: a new connection's defaults, before its keys. */
void conf_conn_defaults(struct ike_conn *c);
/* The section of @c is over: defaults, and what needs several keys. */
void conf_conn_finish(struct loader *ld, struct ike_conn *c);
/* Frees what @c holds beside itself (its credentials). */
void conf_conn_release(struct ike_conn *c);

#endif
