/* SPDX-License-Identifier: GPL-2.0 */
/* Parsing of command-line words: numbers, addresses, keys. Each returns 0,
 * or -1 leaving the output alone.
 */
#ifndef NFESP_PARSE_H
#define NFESP_PARSE_H

#include <stddef.h>
#include <stdint.h>

union nfesp_uaddr {
	uint8_t bytes[16];
	uint32_t v4;
};

/* Decimal, or hexadecimal with 0x; the whole word, within [0, max]. */
int parse_u64(const char *s, uint64_t max, uint64_t *out);
int parse_u32(const char *s, uint32_t max, uint32_t *out);

/* An IPv4 or IPv6 address; *family is set to AF_INET or AF_INET6. */
int parse_addr(const char *s, int *family, union nfesp_uaddr *addr);

/* ADDR or ADDR/LEN; without /LEN the whole address. */
int parse_prefix(const char *s, int *family, union nfesp_uaddr *addr,
		 uint8_t *len);

/* An IP protocol by name (tcp, udp, sctp, udplite, icmp, ipv6-icmp or icmpv6,
 * gre, esp) or number.
 */
int parse_proto(const char *s, uint8_t *proto);
const char *proto_name(uint8_t proto);

/* Hexadecimal bytes with a leading 0x, at most @max of them. */
int parse_hex(const char *s, uint8_t *buf, size_t max, size_t *len);

#endif
