// SPDX-License-Identifier: GPL-2.0
/* Parsing of command-line words: numbers, addresses, keys. */
#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "parse.h"

int parse_u64(const char *s, uint64_t max, uint64_t *out)
{
	unsigned long long v;
	char *end;

	/* strtoull takes "-1" and leading spaces; a count does not. */
	if (!isdigit((unsigned char)*s))
		return -1;
	errno = 0;
	v = strtoull(s, &end, 0);
	if (errno || *end || v > max)
		return -1;
	*out = v;
	return 0;
}

int parse_u32(const char *s, uint32_t max, uint32_t *out)
{
	uint64_t v;

	if (parse_u64(s, max, &v))
		return -1;
	*out = (uint32_t)v;
	return 0;
}

int parse_addr(const char *s, int *family, union nfesp_uaddr *addr)
{
	union nfesp_uaddr a;

	memset(&a, 0, sizeof(a));
	if (inet_pton(AF_INET, s, &a.v4) == 1) {
		*family = AF_INET;
	} else if (inet_pton(AF_INET6, s, a.bytes) == 1) {
		*family = AF_INET6;
	} else {
		return -1;
	}
	*addr = a;
	return 0;
}

static int hex_digit(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	c = (char)tolower((unsigned char)c);
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

int parse_hex(const char *s, uint8_t *buf, size_t max, size_t *len)
{
	size_t n, i;

	if (strncmp(s, "0x", 2) && strncmp(s, "0X", 2))
		return -1;
	s += 2;
	n = strlen(s);
	if (n == 0 || n % 2 || n / 2 > max)
		return -1;
	for (i = 0; i < n; i++)
		if (hex_digit(s[i]) < 0)
			return -1;
	for (i = 0; i < n / 2; i++)
		buf[i] = (uint8_t)(hex_digit(s[2 * i]) << 4 | hex_digit(s[2 * i + 1]));
	*len = n / 2;
	return 0;
}

int parse_prefix(const char *s, int *family, union nfesp_uaddr *addr,
		 uint8_t *len)
{
	const char *slash = strchr(s, '/');
	char buf[INET6_ADDRSTRLEN];
	union nfesp_uaddr a;
	uint32_t l;
	int f;

	if (!slash)
		slash = s + strlen(s);
	if ((size_t)(slash - s) >= sizeof(buf))
		return -1;
	memcpy(buf, s, (size_t)(slash - s));
	buf[slash - s] = '\0';
	if (parse_addr(buf, &f, &a))
		return -1;
	if (*slash) {
		if (parse_u32(slash + 1, f == AF_INET ? 32 : 128, &l))
			return -1;
	} else {
		l = f == AF_INET ? 32 : 128;
	}
	*family = f;
	*addr = a;
	*len = (uint8_t)l;
	return 0;
}

static const struct {
	const char *name;
	uint8_t proto;
} protos[] = {
	{ "icmp", 1 }, { "tcp", 6 }, { "udp", 17 }, { "gre", 47 }, { "esp", 50 },
	{ "ipv6-icmp", 58 }, { "icmpv6", 58 }, { "sctp", 132 }, { "udplite", 136 },
};

int parse_proto(const char *s, uint8_t *proto)
{
	uint32_t v;
	size_t i;

	for (i = 0; i < sizeof(protos) / sizeof(protos[0]); i++) {
		if (!strcmp(s, protos[i].name)) {
			*proto = protos[i].proto;
			return 0;
		}
	}
	if (parse_u32(s, 255, &v) || !v)
		return -1;
	*proto = (uint8_t)v;
	return 0;
}

const char *proto_name(uint8_t proto)
{
	size_t i;

	for (i = 0; i < sizeof(protos) / sizeof(protos[0]); i++)
		if (protos[i].proto == proto)
			return protos[i].name;
	return NULL;
}
