/* SPDX-License-Identifier: GPL-2.0 */
/* The values of iked.conf's keys (conf_values.c), for config.c. */
#ifndef IKED_CONF_VALUES_H
#define IKED_CONF_VALUES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "config.h"

#define CONF_MAX_TIME		(365 * 24 * 3600)	/* a year */

/* A decimal number without sign or blanks, at most @max. */
bool conf_parse_uint(const char *s, unsigned long max, unsigned long *out);
/* "30", "30s", "10m", "4h", at most CONF_MAX_TIME. */
bool conf_parse_time(const char *s, unsigned int *secs);
size_t conf_addr_len(int family);
/* An IPv4 or IPv6 literal into @addr (4 or 16 bytes); its family, or 0. */
int conf_literal_family(const char *s, uint8_t *addr);
/* One selector of @key, ADDR[/LEN][[PROTO[/PORT]]]; false and why in @err. */
bool conf_ts_parse(const char *key, const char *item, struct conf_ts *ts,
		   char *err, size_t errlen);

#endif
