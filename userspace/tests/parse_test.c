// SPDX-License-Identifier: GPL-2.0
/* Unit tests of userspace/lib/parse.c and alg.c. */
#include <string.h>
#include <sys/socket.h>

#include "../lib/alg.h"
#include "../lib/parse.h"
#include "tap.h"

static void test_numbers(void)
{
	uint64_t v = 7;
	uint32_t w = 7;

	TAP_CHECK(!parse_u64("0x1000", UINT64_MAX, &v) && v == 0x1000, "hex");
	TAP_CHECK(!parse_u64("18446744073709551615", UINT64_MAX, &v) &&
		  v == UINT64_MAX, "the largest u64");
	TAP_CHECK(parse_u64("18446744073709551616", UINT64_MAX, &v) && v == UINT64_MAX,
		  "past u64 is refused, output untouched");
	TAP_CHECK(parse_u64("-1", UINT64_MAX, &v), "a negative number is refused");
	TAP_CHECK(parse_u64(" 5", UINT64_MAX, &v), "a leading space is refused");
	TAP_CHECK(parse_u64("5x", UINT64_MAX, &v), "trailing junk is refused");
	TAP_CHECK(parse_u64("", UINT64_MAX, &v), "the empty word is refused");
	TAP_CHECK(!parse_u32("4096", 4096, &w) && w == 4096, "the maximum itself");
	TAP_CHECK(parse_u32("4097", 4096, &w) && w == 4096, "past the maximum");
	TAP_CHECK(parse_u32("4294967296", UINT32_MAX, &w), "past u32");
}

static void test_addresses(void)
{
	union nfesp_uaddr a;
	int family = 0;

	TAP_CHECK(!parse_addr("192.0.2.1", &family, &a) && family == AF_INET &&
		  a.bytes[0] == 192 && a.bytes[3] == 1, "IPv4");
	TAP_CHECK(!parse_addr("2001:db8::2", &family, &a) && family == AF_INET6 &&
		  a.bytes[0] == 0x20 && a.bytes[15] == 2, "IPv6");
	family = 0;
	TAP_CHECK(parse_addr("192.0.2.256", &family, &a) && family == 0,
		  "a bad IPv4 address is refused");
	TAP_CHECK(parse_addr("10.0.0.0/8", &family, &a), "a prefix is not an address");
	TAP_CHECK(parse_addr("host.example", &family, &a), "names are not resolved");
}

static void test_prefixes(void)
{
	union nfesp_uaddr a;
	uint8_t len = 0, proto = 0;
	int family = 0;

	TAP_CHECK(!parse_prefix("10.1.0.0/16", &family, &a, &len) && family == AF_INET &&
		  len == 16 && a.bytes[1] == 1, "an IPv4 prefix");
	TAP_CHECK(!parse_prefix("2001:db8::/32", &family, &a, &len) &&
		  family == AF_INET6 && len == 32, "an IPv6 prefix");
	TAP_CHECK(!parse_prefix("192.0.2.1", &family, &a, &len) && len == 32,
		  "an address is a full-length prefix");
	TAP_CHECK(parse_prefix("10.0.0.0/33", &family, &a, &len), "/33 is refused for IPv4");
	TAP_CHECK(parse_prefix("10.0.0.0/", &family, &a, &len), "an empty length is refused");
	TAP_CHECK(!parse_proto("tcp", &proto) && proto == 6, "tcp is 6");
	TAP_CHECK(!parse_proto("47", &proto) && proto == 47, "a protocol by number");
	TAP_CHECK(parse_proto("0", &proto) && parse_proto("256", &proto) &&
		  parse_proto("tcpx", &proto), "0, 256 and unknown names are refused");
}

static void test_hex(void)
{
	uint8_t buf[4] = { 0 };
	size_t len = 0;

	TAP_CHECK(!parse_hex("0x0aFf", buf, sizeof(buf), &len) && len == 2 &&
		  buf[0] == 0x0a && buf[1] == 0xff, "hex bytes, either case");
	TAP_CHECK(parse_hex("0aff", buf, sizeof(buf), &len), "0x is required");
	TAP_CHECK(parse_hex("0xabc", buf, sizeof(buf), &len), "an odd digit count is refused");
	TAP_CHECK(parse_hex("0x0102030405", buf, sizeof(buf), &len) && len == 2,
		  "too long for the buffer: refused, nothing written");
	TAP_CHECK(parse_hex("0xzz", buf, sizeof(buf), &len), "non-hex digits are refused");
	TAP_CHECK(parse_hex("0x", buf, sizeof(buf), &len), "no digits is refused");
}

static void test_algs(void)
{
	const struct esp_alg *a = esp_alg_find("aes128gcm16");

	TAP_CHECK(a && !strcmp(a->kernel, "rfc4106(gcm(aes))") && a->key_len == 20 &&
		  a->icv_bits == 128, "aes128gcm16 is RFC 4106 with a 20-byte key");
	a = esp_alg_find("aes256-sha256");
	TAP_CHECK(a && !strcmp(a->kernel, "authenc(hmac(sha256),cbc(aes))") &&
		  a->key_len == 64, "aes256-sha256 is authenc with a 64-byte key");
	a = esp_alg_find("rfc7539esp(chacha20,poly1305)");
	TAP_CHECK(a && a->key_len == 0, "a kernel name is taken, any key length");
	TAP_CHECK(!esp_alg_find("3des-sha1") && !esp_alg_find("AES128GCM16"),
		  "unknown and wrongly cased names are refused");
	TAP_CHECK(!strcmp(esp_alg_name("rfc4106(gcm(aes))", 36, 96), "aes256gcm12"),
		  "the kernel's view maps back to aes256gcm12");
	TAP_CHECK(!esp_alg_name("rfc4106(gcm(aes))", 21, 128),
		  "no name for a key length no proposal has");
}

int main(void)
{
	test_numbers();
	test_addresses();
	test_prefixes();
	test_hex();
	test_algs();
	return tap_done();
}
