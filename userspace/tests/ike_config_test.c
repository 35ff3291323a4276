// SPDX-License-Identifier: GPL-2.0
/* Unit tests of userspace/iked/config.c: iked.conf, its values and its errors. */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../iked/config.h"
#include "tap.h"

static char dir[64];
static char path[128];	/* of the configuration last written */
static unsigned int n_files;

/* Writes @text into a new file of @dir with @mode; its path into @out. */
static void write_file(const char *name, const char *text, mode_t mode,
		       char *out, size_t size)
{
	FILE *f;

	snprintf(out, size, "%s/%s", dir, name);
	f = fopen(out, "w");
	if (!f) {
		perror(out);
		exit(2);
	}
	fputs(text, f);
	fclose(f);
	chmod(out, mode);
}

/* Loads @text as a configuration; the messages into *@msgs (to free). */
static int load(const char *text, struct ike_config *conf, char **msgs)
{
	char name[32];
	size_t len;
	FILE *errs = open_memstream(msgs, &len);
	int n;

	snprintf(name, sizeof(name), "conf%u.conf", n_files++);
	write_file(name, text, 0600, path, sizeof(path));
	n = config_load(path, conf, errs);
	fclose(errs);
	return n;
}

/* @text must give exactly one error, @msg at @line. */
static void check_error(const char *what, const char *text, unsigned int line,
			const char *msg)
{
	struct ike_config conf = { 0 };
	char *msgs, *want;
	int n = load(text, &conf, &msgs);
	bool ok;

	if (asprintf(&want, "%s:%u: %s\n", path, line, msg) < 0)
		exit(2);
	ok = n == 1 && !strcmp(msgs, want) && !conf.conns;
	TAP_CHECK(ok, "%s: %s", what, msg);
	if (!ok)
		printf("#   got %d: %s", n, msgs);
	free(want);
	free(msgs);
	config_free(&conf);
}

/* @text must load. */
static void check_good(const char *what, const char *text,
		       struct ike_config *conf)
{
	char *msgs;
	int n = load(text, conf, &msgs);

	TAP_CHECK(n == 0 && conf->conns, "%s loads", what);
	if (n)
		printf("#   got %d: %s", n, msgs);
	free(msgs);
}

/* One connection, valid as it is, four lines; TS makes lines 5 and 6. */
#define BASE "[c]\nlocal = 192.0.2.1\nremote = 192.0.2.2\npsk = 1234567890abcdef\n"
#define TS "local_ts = 10.1.0.0/16\nremote_ts = 10.2.0.0/16\n"

static bool addr_is(const struct sockaddr_storage *ss, const char *text)
{
	char buf[INET6_ADDRSTRLEN];
	const void *a;

	if (ss->ss_family == AF_INET)
		a = &((const struct sockaddr_in *)ss)->sin_addr;
	else
		a = &((const struct sockaddr_in6 *)ss)->sin6_addr;
	return inet_ntop(ss->ss_family, a, buf, sizeof(buf)) &&
	       !strcmp(buf, text) &&
	       ((const struct sockaddr_in *)ss)->sin_port == 0;
}

static bool ts_is(const struct conf_ts *ts, const char *addr,
		  unsigned int prefix_len, unsigned int proto, unsigned int port)
{
	char buf[INET6_ADDRSTRLEN];

	return inet_ntop(ts->family, ts->addr, buf, sizeof(buf)) &&
	       !strcmp(buf, addr) && ts->prefix_len == prefix_len &&
	       ts->proto == proto && ts->port == port;
}

static bool id_is(const struct ike_id *id, uint8_t type, const char *text)
{
	char buf[IKE_MAX_ID * 4 + 1];

	ike_id_format(id->type, id->data, id->len, buf, sizeof(buf));
	return id->type == type && !strcmp(buf, text);
}

static void test_good(void)
{
	static const char text[] =
		"# two gateways and a host\n"
		"[gw2]\n"
		"local = 192.0.2.1\n"
		"remote = 192.0.2.2\n"
		"local_id = gw1.example.org\n"
		"remote_id = admin@example.org\n"
		"psk = a longer secret, 123 ; a comment\n"
		"local_ts = 10.1.0.0/16, 10.3.0.0/24[tcp/443]\n"
		"remote_ts = 10.2.0.0/16[udp], 10.4.0.1\n"
		"mode = tunnel\n"
		"ike_lifetime = 2h\n"
		"lifetime = 30m\n"
		"dpd = 0\n"
		"start = trap\n"
		"encap = yes\n"
		"\n"
		"[host-b.v6]\n"
		"\tlocal = 2001:db8::1\n"
		"  remote : 2001:db8::2\n"
		"remote_id = 2001:db8::2\n"
		"psk_file = b.psk\n"
		"mode = transport\n"
		"remote_ts = 2001:db8::2[17/500]\n"
		"lifetime = 90\n"
		"start = start\n"
		"\n"
		"[c_3]\n"
		"local = 198.51.100.1\n"
		"remote = 198.51.100.2\n"
		"local_id = @198.51.100.1\n"
		"psk = 0xDEADbeef0102030405060708090a0b0c\n"
		"mode = transport\n"
		"ike = aes256gcm16-prfsha384-ecp384\n"
		"esp = aes256gcm16\n"
		"ike_lifetime = 1d\n"
		"dpd = 1\n";
	static const uint8_t hexkey[] = {
		0xde, 0xad, 0xbe, 0xef, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12
	};
	char psk_path[128];
	struct ike_config conf = { 0 };
	struct ike_conn *a, *b, *c;

	write_file("b.psk", "0x00112233445566778899aabbccddeeff\n", 0600, psk_path,
		   sizeof(psk_path));
	check_good("three connections", text, &conf);
	a = conf.conns;
	b = a ? a->next : NULL;
	c = b ? b->next : NULL;
	TAP_CHECK(a && b && c && !c->next, "three connections, in file order");
	if (!c)
		return;
	TAP_CHECK(config_find(&conf, "gw2") == a &&
		  config_find(&conf, "host-b.v6") == b &&
		  config_find(&conf, "c_3") == c && !config_find(&conf, "gw"),
		  "config_find by name");
	TAP_CHECK(a->line == 2 && b->line == 17 && c->line == 27,
		  "each connection's line");

	TAP_CHECK(a->family == AF_INET && addr_is(&a->local, "192.0.2.1") &&
		  addr_is(&a->remote, "192.0.2.2"), "IPv4 addresses");
	TAP_CHECK(id_is(&a->local_id, IKE_ID_FQDN, "gw1.example.org") &&
		  a->local_id.len == 15, "an FQDN local_id");
	TAP_CHECK(id_is(&a->remote_id, IKE_ID_RFC822_ADDR, "admin@example.org"),
		  "a user@fqdn remote_id");
	TAP_CHECK(a->psk_len == 20 && !memcmp(a->psk, "a longer secret, 123", 20),
		  "an inline psk, blanks kept, comment dropped");
	TAP_CHECK(a->n_local_ts == 2 &&
		  ts_is(&a->local_ts[0], "10.1.0.0", 16, 0, 0) &&
		  ts_is(&a->local_ts[1], "10.3.0.0", 24, IPPROTO_TCP, 443),
		  "local_ts: a prefix and one with [tcp/443]");
	TAP_CHECK(a->n_remote_ts == 2 &&
		  ts_is(&a->remote_ts[0], "10.2.0.0", 16, IPPROTO_UDP, 0) &&
		  ts_is(&a->remote_ts[1], "10.4.0.1", 32, 0, 0),
		  "remote_ts: one with [udp], a bare address is a /32");
	TAP_CHECK(a->tunnel && a->ike_lifetime == 7200 && a->lifetime == 1800 &&
		  a->dpd == 0 && a->start == IKE_START_TRAP && a->encap,
		  "mode, lifetimes, dpd 0, start trap, encap yes");
	TAP_CHECK(a->n_ike == 2 && a->n_esp == 2 &&
		  a->ike[0].protocol == IKE_PROTO_IKE &&
		  a->esp[0].protocol == IKE_PROTO_ESP && a->ike[0].num == 1,
		  "default proposals parsed (%u IKE, %u ESP)", a->n_ike, a->n_esp);

	TAP_CHECK(b->family == AF_INET6 && addr_is(&b->local, "2001:db8::1") &&
		  addr_is(&b->remote, "2001:db8::2"),
		  "IPv6 addresses, indented, with ':'");
	TAP_CHECK(id_is(&b->local_id, IKE_ID_IPV6_ADDR, "2001:db8::1") &&
		  b->local_id.len == 16, "default local_id: the address");
	TAP_CHECK(id_is(&b->remote_id, IKE_ID_IPV6_ADDR, "2001:db8::2"),
		  "an address remote_id");
	TAP_CHECK(b->psk_len == 16 &&
		  !memcmp(b->psk, "\x00\x11\x22\x33\x44\x55\x66\x77\x88\x99\xaa\xbb\xcc\xdd\xee\xff", 16),
		  "psk_file, relative to the configuration, in hex");
	TAP_CHECK(!b->tunnel && b->n_local_ts == 1 && b->n_remote_ts == 1 &&
		  ts_is(&b->local_ts[0], "2001:db8::1", 128, 0, 0) &&
		  ts_is(&b->remote_ts[0], "2001:db8::2", 128, 17, 500),
		  "transport: local_ts defaults to the address, remote_ts [17/500]");
	TAP_CHECK(b->ike_lifetime == IKE_DEFAULT_IKE_LIFETIME &&
		  b->lifetime == 90 && b->dpd == IKE_DEFAULT_DPD &&
		  b->start == IKE_START_START && !b->encap,
		  "defaults: ike_lifetime 4h, dpd 30s, encap no");

	TAP_CHECK(id_is(&c->local_id, IKE_ID_FQDN, "198.51.100.1") &&
		  id_is(&c->remote_id, IKE_ID_IPV4_ADDR, "198.51.100.2") &&
		  c->remote_id.len == 4,
		  "'@' makes a name of an address; default remote_id");
	TAP_CHECK(c->psk_len == sizeof(hexkey) &&
		  !memcmp(c->psk, hexkey, sizeof(hexkey)), "an inline hex psk");
	TAP_CHECK(c->n_local_ts == 1 && c->n_remote_ts == 1 &&
		  ts_is(&c->local_ts[0], "198.51.100.1", 32, 0, 0) &&
		  ts_is(&c->remote_ts[0], "198.51.100.2", 32, 0, 0) &&
		  c->start == IKE_START_NONE,
		  "transport: both selectors default; start none");
	TAP_CHECK(c->n_ike == 1 && c->n_esp == 1, "proposals given");
	TAP_CHECK(c->ike_lifetime == 86400 && c->dpd == 1,
		  "ike_lifetime in days (1d), as strongSwan writes it; dpd of 1 s");
	config_free(&conf);
	TAP_CHECK(!conf.conns, "config_free empties the list");
}

static void test_many_errors(void)
{
	static const char text[] =
		"local = 192.0.2.1\n"		/* 1 */
		"[a]\n"
		"local = 192.0.2.1\n"
		"remote = 2001:db8::1\n"
		"psk = xxxxxxxxxxxxxxxx\n"		/* 5 */
		"mode = bogus\n"
		"this is junk\n"
		"[a]\n"
		"foo = 1\n"
		"lifetime = 5\n"		/* 10 */
		"lifetime = 50\n"
		"  10.1.0.0/16\n"
		"[ok]\n"
		"local = 192.0.2.1\n"
		"remote = 192.0.2.2\n"		/* 15 */
		"psk = 1234567890abcdef\n"
		"mode = transport\n";
	static const char *const want[] = {
		"1: 'local' outside any [section]",
		"2: tunnel mode needs local_ts and remote_ts",
		"4: local and remote are not the same address family",
		"6: invalid mode 'bogus' (expected tunnel or transport)",
		"7: expected `key = value` or `[section]`",
		"8: section [a] given twice (first on line 2)",
		"8: missing key 'local'",
		"8: missing key 'remote'",
		"8: missing key 'psk' (or 'psk_file')",
		"8: tunnel mode needs local_ts and remote_ts",
		"9: unknown key 'foo' (known: local, remote, local_id, remote_id, psk, psk_file, local_ts, remote_ts, mode, ike, esp, ike_lifetime, lifetime, dpd, start, encap, auth, remote_auth, cert, key, ca, crl, remote_cert, send_cert, rsa_pss, fragment_size, ppk, ppk_file, ppk_id, ppk_required, pool, pool6, dns, unique, if_id, interface)",
		"10: lifetime '5' is too short (at least 10s)",
		"11: 'lifetime' given twice (first on line 10)",
		"12: expected `key = value` or `[section]`",
	};
	struct ike_config conf = { 0 };
	char *msgs, *expect = NULL;
	size_t i, len = 0;
	FILE *f = open_memstream(&expect, &len);
	int n = load(text, &conf, &msgs);

	for (i = 0; i < sizeof(want) / sizeof(want[0]); i++)
		fprintf(f, "%s:%s\n", path, want[i]);
	fclose(f);
	TAP_CHECK(n == (int)(sizeof(want) / sizeof(want[0])),
		  "every error counted (%d)", n);
	TAP_CHECK(!strcmp(msgs, expect), "every error reported, in line order");
	if (strcmp(msgs, expect))
		printf("#   got:\n%s#   wanted:\n%s", msgs, expect);
	TAP_CHECK(!conf.conns, "nothing kept, not even the good connection");
	free(msgs);
	free(expect);
}

static void test_error_kinds(void)
{
	static const struct {
		const char *what, *text;
		unsigned int line;
		const char *msg;
	} cases[] = {
		{ "address", "[c]\nlocal = 192.0.2\nremote = 192.0.2.2\npsk = 1234567890abcdef\n" TS,
		  2, "invalid local '192.0.2' (expected an IPv4 or IPv6 address)" },
		{ "address", "[c]\nlocal = 192.0.2.1\nremote = gw.example.org\npsk = 1234567890abcdef\n" TS,
		  3, "invalid remote 'gw.example.org' (expected an IPv4 or IPv6 address)" },
		{ "family", "[c]\nremote = 2001:db8::2\nlocal = 192.0.2.1\npsk = 1234567890abcdef\n" TS,
		  3, "local and remote are not the same address family" },
		{ "missing", "[c]\nlocal = 192.0.2.1\npsk = 1234567890abcdef\n" TS,
		  1, "missing key 'remote'" },
		{ "id", BASE TS "local_id = a b\n",
		  7, "invalid local_id 'a b' (expected an address, a name or user@name, without blanks)" },
		{ "id", BASE TS "remote_id = @\n",
		  7, "invalid remote_id '' (expected an address, a name or user@name)" },
		{ "psk", "[c]\nlocal = 192.0.2.1\nremote = 192.0.2.2\n" TS,
		  1, "missing key 'psk' (or 'psk_file')" },
		{ "psk", "[c]\nlocal = 192.0.2.1\nremote = 192.0.2.2\npsk_file = /nonexistent/k\n" TS,
		  4, "psk_file /nonexistent/k: No such file or directory" },
		{ "psk", "[c]\nlocal = 192.0.2.1\nremote = 192.0.2.2\npsk = 0x\n" TS,
		  4, "psk: the key is empty" },
		{ "psk", "[c]\nlocal = 192.0.2.1\nremote = 192.0.2.2\npsk = 0x123\n" TS,
		  4, "psk: invalid hex key (expected 0x and an even number of hex digits, at most 256 bytes)" },
		{ "psk", "[c]\nlocal = 192.0.2.1\nremote = 192.0.2.2\npsk = 0x12zz\n" TS,
		  4, "psk: invalid hex key (expected 0x and an even number of hex digits, at most 256 bytes)" },
		{ "ts", BASE "local_ts = 10.1.0.1/16\nremote_ts = 10.2.0.0/16\n",
		  5, "10.1.0.1/16 has host bits set" },
		{ "ts", BASE "local_ts = 10.1.0.0/16\nremote_ts = 2001:db8::1/64\n",
		  6, "2001:db8::1/64 has host bits set" },
		{ "ts", BASE "local_ts = 10.1.0.0/33\nremote_ts = 10.2.0.0/16\n",
		  5, "invalid prefix length in '10.1.0.0/33' (expected 0 to 32)" },
		{ "ts", BASE "local_ts = 10.1.0.0/16[bogus]\nremote_ts = 10.2.0.0/16\n",
		  5, "unknown protocol 'bogus' in '10.1.0.0/16[bogus]' (expected a name such as tcp or udp, or a number)" },
		{ "ts", BASE "local_ts = 10.1.0.0/16[tcp/65536]\nremote_ts = 10.2.0.0/16\n",
		  5, "invalid port '65536' in '10.1.0.0/16[tcp/65536]' (expected 0 to 65535)" },
		{ "ts", BASE "local_ts = 10.1.0.0/16[0/80]\nremote_ts = 10.2.0.0/16\n",
		  5, "a port needs a protocol in '10.1.0.0/16[0/80]'" },
		{ "ts", BASE "local_ts = 10.1.0.0/16[tcp\nremote_ts = 10.2.0.0/16\n",
		  5, "invalid local_ts '10.1.0.0/16[tcp' (expected ADDRESS[/PREFIX_LENGTH][[PROTOCOL[/PORT]]])" },
		{ "ts", BASE "local_ts = 10.1.0.0/16,,10.3.0.0/16\nremote_ts = 10.2.0.0/16\n",
		  5, "invalid local_ts '10.1.0.0/16,,10.3.0.0/16' (expected prefixes separated by commas)" },
		{ "ts", BASE "local_ts = 10.1.0.0/16, 2001:db8::/32\nremote_ts = 10.2.0.0/16\n",
		  6, "local_ts and remote_ts do not have the same address families (each needs selectors on both sides)" },
		{ "ts", BASE "local_ts = 10.1.0.0/16\nremote_ts = 2001:db8::/32\n",
		  6, "local_ts and remote_ts are not the same address family" },
		{ "ts", BASE "local_ts = 1.0.0.0,2.0.0.0,3.0.0.0,4.0.0.0,5.0.0.0,6.0.0.0,7.0.0.0,8.0.0.0,9.0.0.0\nremote_ts = 10.2.0.0/16\n",
		  5, "more than 8 selectors in local_ts" },
		{ "ts", BASE "local_ts = 10.1.0.0/16\n",
		  1, "tunnel mode needs local_ts and remote_ts" },
		{ "ts", BASE "mode = transport\nlocal_ts = 2001:db8::/32\n",
		  6, "local_ts and remote_ts are not the same address family" },
		{ "mode", BASE TS "mode = Tunnel\n",
		  7, "invalid mode 'Tunnel' (expected tunnel or transport)" },
		{ "start", BASE TS "start = yes\n",
		  7, "invalid start 'yes' (expected trap, start or none)" },
		{ "encap", BASE TS "encap = on\n",
		  7, "invalid encap 'on' (expected yes or no)" },
		{ "time", BASE TS "lifetime = 4x\n",
		  7, "invalid lifetime '4x' (expected seconds, or a number with s, m, h or d after it, at most a year)" },
		{ "time", BASE TS "ike_lifetime = 0\n",
		  7, "ike_lifetime '0' is too short (at least 10s)" },
		{ "time", BASE TS "lifetime = 5s\n",
		  7, "lifetime '5s' is too short (at least 10s)" },
		{ "time", BASE TS "dpd = 99999999999999999999\n",
		  7, "invalid dpd '99999999999999999999' (expected seconds, or a number with s, m, h or d after it, at most a year)" },
		{ "time", BASE TS "lifetime = 366d\n",
		  7, "invalid lifetime '366d' (expected seconds, or a number with s, m, h or d after it, at most a year)" },
		{ "time", BASE TS "lifetime = 8761h\n",
		  7, "invalid lifetime '8761h' (expected seconds, or a number with s, m, h or d after it, at most a year)" },
		{ "key", BASE TS "foo = 1\n",
		  7, "unknown key 'foo' (known: local, remote, local_id, remote_id, psk, psk_file, local_ts, remote_ts, mode, ike, esp, ike_lifetime, lifetime, dpd, start, encap, auth, remote_auth, cert, key, ca, crl, remote_cert, send_cert, rsa_pss, fragment_size, ppk, ppk_file, ppk_id, ppk_required, pool, pool6, dns, unique, if_id, interface)" },
		{ "key", BASE TS "local = 192.0.2.3\n",
		  7, "'local' given twice (first on line 2)" },
		{ "key", "dpd = 10\n" BASE TS,
		  1, "'dpd' outside any [section]" },
		{ "psk", BASE TS "psk_file = good.psk\n",
		  7, "psk and psk_file both given (give one)" },
		{ "section", BASE TS "[c]\n" "local = 192.0.2.1\nremote = 192.0.2.2\npsk = 1234567890abcdef\n" TS,
		  7, "section [c] given twice (first on line 1)" },
		{ "section", "[a b]\nlocal = 192.0.2.1\nremote = 192.0.2.2\npsk = 1234567890abcdef\n" TS,
		  1, "invalid section name 'a b' (expected 1 to 63 of A-Z a-z 0-9 _ . -)" },
		{ "section", "[]\nlocal = 192.0.2.1\nremote = 192.0.2.2\npsk = 1234567890abcdef\n" TS,
		  1, "invalid section name '' (expected 1 to 63 of A-Z a-z 0-9 _ . -)" },
		{ "section", "[c0123456789012345678901234567890123456789012345678901234567890123]\n"
		  "local = 192.0.2.1\nremote = 192.0.2.2\npsk = 1234567890abcdef\n" TS,
		  1, "invalid section name 'c0123456789012345678901234567890123456789012345678901234567890123' (expected 1 to 63 of A-Z a-z 0-9 _ . -)" },
		{ "section", "[c\nlocal = 192.0.2.1\nremote = 192.0.2.2\npsk = 1234567890abcdef\n" TS,
		  1, "expected ']' after the section name" },
		{ "section", "[c] x\nlocal = 192.0.2.1\nremote = 192.0.2.2\npsk = 1234567890abcdef\n" TS,
		  1, "unexpected text after ']'" },
		{ "syntax", BASE TS "local_ts\n",
		  7, "expected `key = value` or `[section]`" },
		{ "syntax", BASE "local_ts = 10.1.0.0/16\n  10.3.0.0/16\nremote_ts = 10.2.0.0/16\n",
		  6, "expected `key = value` or `[section]`" },
	};
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		check_error(cases[i].what, cases[i].text, cases[i].line,
			    cases[i].msg);
}

/* proposals_parse's message, whatever it says, with the key and line. */
static void test_proposal_errors(void)
{
	static const struct {
		const char *key, *value, *word;
	} cases[] = {
		{ "ike", "aes128-sha1-modp2048", "sha1" },
		{ "esp", "aes128gcm16-bogus", "bogus" },
	};
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct ike_config conf = { 0 };
		char text[256], *msgs, *prefix;
		int n;

		snprintf(text, sizeof(text), BASE TS "%s = %s\n", cases[i].key,
			 cases[i].value);
		n = load(text, &conf, &msgs);
		if (asprintf(&prefix, "%s:7: %s: ", path, cases[i].key) < 0)
			exit(2);
		TAP_CHECK(n == 1 && !strncmp(msgs, prefix, strlen(prefix)) &&
			  strstr(msgs, cases[i].word) && !conf.conns,
			  "%s = %s: its line and proposals_parse's message", cases[i].key,
			  cases[i].value);
		printf("#   %s", msgs);
		free(prefix);
		free(msgs);
	}
}

static void test_long_line(void)
{
	char text[512], *msgs;
	struct ike_config conf = { 0 };
	char want[512];
	int n;

	snprintf(text, sizeof(text), BASE TS "local_id = %0250d\nfoo = 1\n", 0);
	n = load(text, &conf, &msgs);
	snprintf(want, sizeof(want),
		 "%s:7: line too long (more than 198 characters)\n%s:8: unknown key 'foo'",
		 path, path);
	TAP_CHECK(n == 2 && !strncmp(msgs, want, strlen(want)),
		  "a line too long, and the next line still counted");
	if (strncmp(msgs, want, strlen(want)))
		printf("#   got %d: %s", n, msgs);
	free(msgs);

	/* 198 characters and the newline fit. */
	snprintf(text, sizeof(text), BASE TS "local_id = %0187d\n", 0);
	n = load(text, &conf, &msgs);
	TAP_CHECK(n == 0 && conf.conns && conf.conns->local_id.len == 187,
		  "a line of 198 characters is not too long");
	free(msgs);
	config_free(&conf);
}

static void test_psk_file(void)
{
	struct ike_config conf = { 0 };
	char key_path[128], text[512], want[512], *msgs;
	int n;

	write_file("k644.psk", "secret-key\n", 0644, key_path, sizeof(key_path));
	snprintf(text, sizeof(text),
		 "[c]\nlocal = 192.0.2.1\nremote = 192.0.2.2\npsk_file = %s\n" TS,
		 key_path);
	snprintf(want, sizeof(want),
		 "psk_file %s is readable by others (mode 0644): chmod 600 it",
		 key_path);
	check_error("psk_file", text, 4, want);

	write_file("k620.psk", "secret-key\n", 0620, key_path, sizeof(key_path));
	snprintf(text, sizeof(text),
		 "[c]\nlocal = 192.0.2.1\nremote = 192.0.2.2\npsk_file = %s\n" TS,
		 key_path);
	snprintf(want, sizeof(want),
		 "psk_file %s is writable by others (mode 0620): chmod 600 it",
		 key_path);
	check_error("psk_file", text, 4, want);

	write_file("k600.psk", "a secret-key of ours\r\n", 0600, key_path, sizeof(key_path));
	snprintf(text, sizeof(text),
		 "[c]\nlocal = 192.0.2.1\nremote = 192.0.2.2\npsk_file = %s\n" TS,
		 key_path);
	n = load(text, &conf, &msgs);
	TAP_CHECK(n == 0 && conf.conns && conf.conns->psk_len == 20 &&
		  !memcmp(conf.conns->psk, "a secret-key of ours", 20),
		  "psk_file with mode 0600 taken, without its CR LF");
	free(msgs);
	config_free(&conf);

	write_file("empty.psk", "\n", 0600, key_path, sizeof(key_path));
	snprintf(text, sizeof(text),
		 "[c]\nlocal = 192.0.2.1\nremote = 192.0.2.2\npsk_file = %s\n" TS,
		 key_path);
	snprintf(want, sizeof(want), "psk_file %s: the key is empty", key_path);
	check_error("psk_file", text, 4, want);

	snprintf(text, sizeof(text),
		 "[c]\nlocal = 192.0.2.1\nremote = 192.0.2.2\npsk_file = %s\n" TS,
		 dir);
	snprintf(want, sizeof(want), "psk_file %s is not a regular file", dir);
	check_error("psk_file", text, 4, want);

	/* A symbolic link: what it points to escapes the checks below. */
	snprintf(want, sizeof(want), "%s/link.psk", dir);
	if (symlink(key_path, want))
		exit(2);
	snprintf(text, sizeof(text),
		 "[c]\nlocal = 192.0.2.1\nremote = 192.0.2.2\npsk_file = %s/link.psk\n" TS,
		 dir);
	snprintf(want, sizeof(want),
		 "psk_file %s/link.psk: a symbolic link (name the file itself)", dir);
	check_error("psk_file", text, 4, want);
}

/* Where a secret lives: its owner, its directory. */
static void test_secret_place(void)
{
	char sub[160], key_path[200], text[512], want[512];
	FILE *f;

	snprintf(sub, sizeof(sub), "%s/open", dir);
	if (mkdir(sub, 0700) || chmod(sub, 01777))
		exit(2);
	snprintf(key_path, sizeof(key_path), "%s/k.psk", sub);
	f = fopen(key_path, "w");
	if (!f)
		exit(2);
	fputs("a secret key, 16+ bytes\n", f);
	fclose(f);
	chmod(key_path, 0600);
	snprintf(text, sizeof(text),
		 "[c]\nlocal = 192.0.2.1\nremote = 192.0.2.2\npsk_file = %s\n" TS,
		 key_path);
	snprintf(want, sizeof(want),
		 "psk_file %s is in %s, which others can write (owner uid %u, mode 1777): another key could be put in its place",
		 key_path, sub, (unsigned int)geteuid());
	check_error("psk_file", text, 4, want);

	if (geteuid() != 0) {
		printf("ok %d - # SKIP a psk_file of another user: not root\n", ++tap_run);
		return;
	}
	chmod(sub, 0700);
	if (chown(key_path, 4321, (gid_t)-1))
		exit(2);
	snprintf(want, sizeof(want),
		 "psk_file %s is owned by uid 4321: a secret must be root's or iked's (uid 0): chown it",
		 key_path);
	check_error("psk_file", text, 4, want);
}

/* Keys that are no secret: short, the example's, in a file everyone reads. */
static void test_weak_psk(void)
{
	struct ike_config conf = { 0 };
	char path_644[128], want[512], *msgs;
	size_t len;
	FILE *errs;
	int n;

	check_error("psk", "[c]\nlocal = 192.0.2.1\nremote = 192.0.2.2\npsk = 0123456789abcde\n" TS,
		    4, "psk: a key of 15 bytes is too short (at least 16): one captured IKE_AUTH lets anyone guess it offline");
	check_error("psk", "[c]\nlocal = 192.0.2.1\nremote = 192.0.2.2\n"
		    "psk = 0x3c6f8a1d92e04b7f5a18c3d6e29b7f04a1c58e3d6b2f9a07\n" TS,
		    4, "psk: the key of the shipped example configuration, which everyone has: make one of your own (openssl rand -hex 32)");

	write_file("world.conf", "[c]\nlocal = 192.0.2.1\nremote = 192.0.2.2\n"
		   "psk = 1234567890abcdef\n" TS, 0644, path_644, sizeof(path_644));
	errs = open_memstream(&msgs, &len);
	n = config_load(path_644, &conf, errs);
	fclose(errs);
	snprintf(want, sizeof(want),
		 "%s:4: psk: %s, which holds it, is readable by everyone (mode 0644): chmod o-r it, or use psk_file\n",
		 path_644, path_644);
	TAP_CHECK(n == 1 && !strcmp(msgs, want) && !conf.conns,
		  "an inline psk in a file everyone can read: refused");
	if (n != 1 || strcmp(msgs, want))
		printf("#   got %d: %s", n, msgs);
	free(msgs);

	write_file("group.conf", "[c]\nlocal = 192.0.2.1\nremote = 192.0.2.2\n"
		   "psk = 1234567890abcdef\n" TS, 0640, path_644, sizeof(path_644));
	errs = open_memstream(&msgs, &len);
	n = config_load(path_644, &conf, errs);
	fclose(errs);
	TAP_CHECK(n == 0 && conf.conns,
		  "an inline psk in a file its group may read (iked's user, for reloads): taken");
	free(msgs);
	config_free(&conf);

	write_file("writable.conf", "[c]\nlocal = 192.0.2.1\nremote = 192.0.2.2\n"
		   "psk_file = k600.psk\n" TS, 0602, path_644, sizeof(path_644));
	errs = open_memstream(&msgs, &len);
	n = config_load(path_644, &conf, errs);
	fclose(errs);
	snprintf(want, sizeof(want),
		 "%s: writable by others (mode 0602): anyone could change its keys and connections: chmod go-w it\n",
		 path_644);
	TAP_CHECK(n == 1 && !strcmp(msgs, want) && !conf.conns,
		  "a configuration others can write: refused");
	if (n != 1 || strcmp(msgs, want))
		printf("#   got %d: %s", n, msgs);
	free(msgs);
}

static void test_missing_file(void)
{
	struct ike_config conf = { 0 };
	char missing[128], want[256], *msgs = NULL;
	size_t len;
	FILE *errs = open_memstream(&msgs, &len);
	int n;

	snprintf(missing, sizeof(missing), "%s/none.conf", dir);
	n = config_load(missing, &conf, errs);
	fclose(errs);
	snprintf(want, sizeof(want), "%s: %s\n", missing, strerror(ENOENT));
	TAP_CHECK(n == 1 && !strcmp(msgs, want) && !conf.conns,
		  "a missing file: one error with its path and why");
	free(msgs);
}

static void test_bom_crlf(void)
{
	struct ike_config conf = { 0 };

	check_good("a BOM and CR LF",
		   "\xef\xbb\xbf[c]\r\nlocal = 192.0.2.1\r\nremote = 192.0.2.2\r\n"
		   "psk = 1234567890abcdef\r\nmode = transport\r\n", &conf);
	TAP_CHECK(conf.conns && !strcmp(conf.conns->name, "c") &&
		  conf.conns->psk_len == 16, "the name and key without BOM or CR");
	config_free(&conf);

	TAP_CHECK(config_load("/dev/null", &conf, stdout) == 0 && !conf.conns,
		  "an empty file: no error, no connection");
}

static void test_ids(void)
{
	struct ike_id fqdn = { .type = IKE_ID_FQDN, .len = 6 };
	struct ike_id v4 = { .type = IKE_ID_IPV4_ADDR, .len = 4,
			     .data = { 192, 0, 2, 1 } };
	static const uint8_t v6[16] = { 0x20, 0x01, 0x0d, 0xb8, [15] = 1 };
	char buf[64];

	memcpy(fqdn.data, "gw.org", 6);
	TAP_CHECK(ike_id_equal(&fqdn, IKE_ID_FQDN, (const uint8_t *)"gw.org", 6) &&
		  ike_id_equal(&fqdn, IKE_ID_FQDN, (const uint8_t *)"GW.org", 6),
		  "FQDNs equal, case aside");
	TAP_CHECK(!ike_id_equal(&fqdn, IKE_ID_RFC822_ADDR, (const uint8_t *)"gw.org", 6) &&
		  !ike_id_equal(&fqdn, IKE_ID_FQDN, (const uint8_t *)"gw.or", 5) &&
		  !ike_id_equal(&fqdn, IKE_ID_FQDN, (const uint8_t *)"gw.org\0", 7) &&
		  !ike_id_equal(&fqdn, IKE_ID_FQDN, (const uint8_t *)"gw.orh", 6),
		  "IDs of another type, length or name differ");
	TAP_CHECK(ike_id_equal(&v4, IKE_ID_IPV4_ADDR, v4.data, 4) &&
		  !ike_id_equal(&v4, IKE_ID_IPV4_ADDR, (const uint8_t *)"\xc0\0\2\2", 4),
		  "address IDs compare their bytes");

	ike_id_format(IKE_ID_IPV4_ADDR, v4.data, 4, buf, sizeof(buf));
	TAP_CHECK(!strcmp(buf, "192.0.2.1"), "IPv4 ID formatted (%s)", buf);
	ike_id_format(IKE_ID_IPV6_ADDR, v6, 16, buf, sizeof(buf));
	TAP_CHECK(!strcmp(buf, "2001:db8::1"), "IPv6 ID formatted (%s)", buf);
	ike_id_format(IKE_ID_RFC822_ADDR, (const uint8_t *)"u@x.org", 7, buf,
		      sizeof(buf));
	TAP_CHECK(!strcmp(buf, "u@x.org"), "user@fqdn formatted (%s)", buf);
	ike_id_format(IKE_ID_FQDN, (const uint8_t *)"a\nb\\", 4, buf, sizeof(buf));
	TAP_CHECK(!strcmp(buf, "a\\x0ab\\x5c"), "names escaped (%s)", buf);
	ike_id_format(IKE_ID_KEY_ID, (const uint8_t *)"\x01\xab", 2, buf,
		      sizeof(buf));
	TAP_CHECK(!strcmp(buf, "ID type 11: 01ab"), "other types in hex (%s)", buf);
	ike_id_format(IKE_ID_FQDN, (const uint8_t *)"abcdefgh", 8, buf, 4);
	TAP_CHECK(!strcmp(buf, "abc"), "cut to the buffer (%s)", buf);
	ike_id_format(IKE_ID_IPV4_ADDR, v4.data, 3, buf, sizeof(buf));
	TAP_CHECK(!strcmp(buf, "ID type 1: c00002"),
		  "an address ID of the wrong length in hex (%s)", buf);
}

/* What a reload compares: a connection as written, moved, or changed. */
static void test_same(void)
{
	static const struct {
		const char *what, *text;
		bool same;
	} cases[] = {
		{ "the same text", BASE TS, true },
		{ "moved down a line, keys reordered",
		  "# a comment\n[c]\npsk = 1234567890abcdef\nremote = 192.0.2.2\nlocal = 192.0.2.1\n" TS,
		  true },
		{ "a default spelled out", BASE TS "mode = tunnel\n", true },
		{ "another key", "[c]\nlocal = 192.0.2.1\nremote = 192.0.2.2\npsk = 1234567890abcdeg\n" TS,
		  false },
		{ "another selector", BASE "local_ts = 10.1.0.0/24\nremote_ts = 10.2.0.0/16\n",
		  false },
		{ "another proposal", BASE TS "esp = aes256gcm16\n", false },
		{ "another lifetime", BASE TS "lifetime = 30m\n", false },
		{ "another start", BASE TS "start = start\n", false },
	};
	struct ike_config a = { 0 }, b = { 0 };
	unsigned int i;

	check_good("the reference", BASE TS, &a);
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		check_good(cases[i].what, cases[i].text, &b);
		TAP_CHECK(a.conns && b.conns &&
			  config_conn_same(a.conns, b.conns) == cases[i].same,
			  "%s: %s", cases[i].what,
			  cases[i].same ? "the same connection" : "a changed connection");
		config_free(&b);
	}
	config_free(&a);
}

/* [global]: iked's settings, checked as keys are; defaults without it. */
static void test_global(void)
{
	struct ike_config conf = { 0 };

	check_good("[global] before a connection",
		   "[global]\nretries = 2\ncookie_threshold = 0\nhalf_open_max = 100\n" BASE TS, &conf);
	TAP_CHECK(conf.settings.retries == 2 && conf.settings.cookie_threshold == 0 &&
		  conf.settings.half_open_max == 100, "... its settings taken");
	config_free(&conf);
	check_good("no [global]", BASE TS, &conf);
	TAP_CHECK(conf.settings.retries == IKE_DEFAULT_RETRIES &&
		  conf.settings.cookie_threshold == IKE_DEFAULT_COOKIE_THRESHOLD &&
		  conf.settings.half_open_max == IKE_DEFAULT_HALF_OPEN_MAX,
		  "... the defaults: retries 5, cookie_threshold 16, half_open_max 1024");
	config_free(&conf);
	check_error("global", BASE TS "[global]\nretries = abc\n", 8,
		    "invalid retries 'abc' (expected 1 to 10: resends of an unanswered request)");
	check_error("global", BASE TS "[global]\nretries = 0\n", 8,
		    "invalid retries '0' (expected 1 to 10: resends of an unanswered request)");
	check_error("global", "[global]\nhalf_open_max = 70000\n" BASE TS, 2,
		    "invalid half_open_max '70000' (expected 1 to 65535: half-open IKE SAs at most)");
	check_error("global", "[global]\nlocal = 192.0.2.1\n" BASE TS, 2,
		    "'local' is no [global] setting (known: retries, cookie_threshold, half_open_max; a connection's keys go in its own section)");
	check_error("global", "[global]\nretries = 2\nretries = 3\n" BASE TS, 3,
		    "'retries' given twice (first on line 2)");
	check_error("global", "[global]\n" BASE TS "[global]\n", 8,
		    "section [global] given twice (first on line 1)");
}

int main(void)
{
	char cmd[128];

	snprintf(dir, sizeof(dir), "/tmp/ike_config_test.XXXXXX");
	if (!mkdtemp(dir)) {
		perror("mkdtemp");
		return 2;
	}
	write_file("good.psk", "1234567890abcdef", 0600, cmd, sizeof(cmd));
	test_good();
	test_many_errors();
	test_error_kinds();
	test_proposal_errors();
	test_long_line();
	test_psk_file();
	test_secret_place();
	test_weak_psk();
	test_missing_file();
	test_bom_crlf();
	test_ids();
	test_same();
	test_global();

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	if (system(cmd))
		printf("# could not remove %s\n", dir);
	return tap_done();
}
