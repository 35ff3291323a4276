// SPDX-License-Identifier: GPL-2.0
/*
 * The values of iked.conf's keys: numbers, times, addresses and traffic
 * selectors. Each parser says what is wrong in words, for config.c to
 * report at its line.
 */
#include <ini.h>
#include <netdb.h>
#include <stdio.h>
#include <string.h>

#include "../lib/parse.h"
#include <sys/socket.h>

#include "conf_values.h"

/* A decimal number without sign or blanks, at most @max. */
bool conf_parse_uint(const char *s, unsigned long max, unsigned long *out)
{
	unsigned long v = 0;

	if (!*s)
		return false;
	for (; *s; s++) {
		if (*s < '0' || *s > '9')
			return false;
		if (v > (max - (unsigned long)(*s - '0')) / 10)
			return false;
		v = v * 10 + (unsigned long)(*s - '0');
	}
	*out = v;
	return true;
}

/* "30", "30s", "10m", "4h". */
bool conf_parse_time(const char *s, unsigned int *secs)
{
	char num[16];
	size_t len = strlen(s);
	unsigned long v, mult = 1;

	if (!len || len >= sizeof(num))
		return false;
	memcpy(num, s, len + 1);
	switch (num[len - 1]) {
	case 'd':
		mult *= 24;
		/* fall through */
	case 'h':
		mult *= 60;
		/* fall through */
	case 'm':
		mult *= 60;
		/* fall through */
	case 's':
		num[len - 1] = '\0';
		break;
	}
	if (!conf_parse_uint(num, CONF_MAX_TIME, &v) || v > CONF_MAX_TIME / mult)
		return false;
	*secs = (unsigned int)(v * mult);
	return true;
}

size_t conf_addr_len(int family)
{
	return family == AF_INET ? 4 : 16;
}

/* An IPv4 or IPv6 literal into @addr (4 or 16 bytes); its family, or 0. */
int conf_literal_family(const char *s, uint8_t *addr)
{
	union nfesp_uaddr a;
	int family;

	if (parse_addr(s, &family, &a))
		return 0;
	memcpy(addr, a.bytes, conf_addr_len(family));
	return family;
}

/* A protocol as ipsecctl takes it, or any name /etc/protocols knows. */
static bool ts_proto(const char *s, uint8_t *proto)
{
	struct protoent *pe;

	if (!strcmp(s, "0")) {	/* any, which a port cannot go with */
		*proto = 0;
		return true;
	}
	if (!parse_proto(s, proto))
		return true;
	pe = getprotobyname(s);
	if (!pe || pe->p_proto <= 0 || pe->p_proto > 255)
		return false;
	*proto = (uint8_t)pe->p_proto;
	return true;
}

/* "[proto]" or "[proto/port]", without the brackets. */
static bool ts_proto_port(const char *item, char *s, struct conf_ts *ts,
			  char *err, size_t errlen)
{
	char *port = strchr(s, '/');
	unsigned long v;

	if (port)
		*port++ = '\0';
	if (!ts_proto(s, &ts->proto)) {
		snprintf(err, errlen,
			 "unknown protocol '%s' in '%s' (expected a name such as tcp or udp, or a number)",
			 s, item);
		return false;
	}
	if (!port)
		return true;
	if (!conf_parse_uint(port, 65535, &v)) {
		snprintf(err, errlen, "invalid port '%s' in '%s' (expected 0 to 65535)",
			 port, item);
		return false;
	}
	if (v && !ts->proto) {
		snprintf(err, errlen, "a port needs a protocol in '%s'", item);
		return false;
	}
	ts->port = (uint16_t)v;
	return true;
}

static bool host_bits_set(const struct conf_ts *ts)
{
	unsigned int i, bits = (unsigned int)conf_addr_len(ts->family) * 8;

	for (i = ts->prefix_len; i < bits; i++)
		if (ts->addr[i / 8] & (0x80 >> (i % 8)))
			return true;
	return false;
}

bool conf_ts_parse(const char *key, const char *item, struct conf_ts *ts,
		   char *err, size_t errlen)
{
	char buf[INI_MAX_LINE], *pp, *len;
	unsigned long v;

	memset(ts, 0, sizeof(*ts));
	snprintf(buf, sizeof(buf), "%s", item);
	pp = strchr(buf, '[');
	if (pp) {
		size_t n = strlen(pp);

		if (n < 3 || pp[n - 1] != ']')
			goto bad;
		pp[n - 1] = '\0';
		*pp++ = '\0';
	}
	len = strchr(buf, '/');
	if (len)
		*len++ = '\0';
	ts->family = conf_literal_family(buf, ts->addr);
	if (!ts->family)
		goto bad;
	ts->prefix_len = (uint8_t)(conf_addr_len(ts->family) * 8);
	if (len) {
		if (!conf_parse_uint(len, ts->prefix_len, &v)) {
			snprintf(err, errlen,
				 "invalid prefix length in '%s' (expected 0 to %u)",
				 item, ts->prefix_len);
			return false;
		}
		ts->prefix_len = (uint8_t)v;
	}
	if (host_bits_set(ts)) {
		snprintf(err, errlen, "%s has host bits set", item);
		return false;
	}
	return !pp || ts_proto_port(item, pp, ts, err, errlen);
bad:
	snprintf(err, errlen,
		 "invalid %s '%s' (expected ADDRESS[/PREFIX_LENGTH][[PROTOCOL[/PORT]]])",
		 key, item);
	return false;
}
