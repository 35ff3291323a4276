// SPDX-License-Identifier: GPL-2.0
/* Unit tests of userspace/iked/pool.c: virtual address leases. */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>

#include "../iked/pool.h"
#include "tap.h"

static char err[256];

#define KEY(s) (const uint8_t *)(s), strlen(s)

static const char *v4(const uint8_t *a)
{
	static char buf[4][INET_ADDRSTRLEN];
	static unsigned int i;

	i = (i + 1) % 4;
	return inet_ntop(AF_INET, a, buf[i], sizeof(buf[i]));
}

static void test_parse(void)
{
	static const char *const bad4[] = { "10.99.0.0", "10.99.0.1/24", "10.99.0.0/33",
					    "10.99.0.0/31", "10.0.0.0/15", "fd00::/64",
					    "10.99.0.0/x" };
	struct ike_pool p;
	char buf[64];
	unsigned int i;

	TAP_CHECK(!pool_parse(&p, AF_INET, "10.99.0.0/24", err, sizeof(err)) && p.size == 254,
		  "10.99.0.0/24: 254 addresses (not .0, not .255)");
	pool_format(&p, buf, sizeof(buf));
	TAP_CHECK(!strcmp(buf, "10.99.0.0/24"), "... and it reads back (%s)", buf);
	pool_free(&p);
	TAP_CHECK(!pool_parse(&p, AF_INET6, "fd00:99::/112", err, sizeof(err)) &&
		  p.size == 65535, "fd00:99::/112: 65,535 addresses (not ::)");
	pool_free(&p);
	TAP_CHECK(!pool_parse(&p, AF_INET6, "fd00:99::/127", err, sizeof(err)) && p.size == 1,
		  "fd00:99::/127: one address");
	pool_free(&p);
	TAP_CHECK(!pool_parse(&p, AF_INET, "10.0.0.0/16", err, sizeof(err)) && p.size == 65534,
		  "10.0.0.0/16: the largest IPv4 pool");
	pool_free(&p);
	for (i = 0; i < sizeof(bad4) / sizeof(bad4[0]); i++) {
		err[0] = '\0';
		TAP_CHECK(pool_parse(&p, AF_INET, bad4[i], err, sizeof(err)) && strstr(err, bad4[i]),
			  "pool '%s' refused: %s", bad4[i], err);
	}
}

static void test_leases(void)
{
	uint8_t a[16], b[16], c[16], again[16];
	struct ike_pool p;
	char key[32];
	unsigned int i, distinct = 0;
	time_t t = 1000;

	if (pool_parse(&p, AF_INET, "10.99.0.0/30", err, sizeof(err)))
		return;
	TAP_CHECK(pool_acquire(&p, KEY("alice"), t, a) && !strcmp(v4(a), "10.99.0.1") &&
		  pool_acquire(&p, KEY("bob"), t, b) && !strcmp(v4(b), "10.99.0.2"),
		  "/30: alice 10.99.0.1, bob 10.99.0.2");
	TAP_CHECK(!pool_acquire(&p, KEY("carol"), t, c) && pool_online(&p) == 2,
		  "a third client: the pool is full (never the network or broadcast address)");
	TAP_CHECK(pool_acquire(&p, KEY("alice"), t, again) && !memcmp(again, a, 4),
		  "alice again while connected: her address");
	pool_release(&p, a, t);
	TAP_CHECK(pool_online(&p) == 1 && !pool_acquire(&p, KEY("carol"), t + 60, c),
		  "alice gone a minute: her address stays hers, carol still refused");
	TAP_CHECK(pool_acquire(&p, KEY("alice"), t + 120, again) && !memcmp(again, a, 4),
		  "alice back within the grace: the same address");
	pool_release(&p, a, t + 200);
	TAP_CHECK(pool_acquire(&p, KEY("carol"), t + 200 + POOL_GRACE_SECS, c) &&
		  !memcmp(c, a, 4), "past the grace: carol gets alice's old address");
	TAP_CHECK(!pool_acquire(&p, KEY("alice"), t + 200 + POOL_GRACE_SECS, again),
		  "... and alice, back late, finds the pool full: no address twice");
	pool_release(&p, (const uint8_t *)"\x0a\x63\x00\x03", t);
	pool_release(&p, (const uint8_t *)"\x0a\x64\x00\x01", t);
	TAP_CHECK(pool_online(&p) == 2, "releasing addresses not leased, or of another prefix: nothing");
	pool_free(&p);

	if (pool_parse(&p, AF_INET6, "fd00:99::/120", err, sizeof(err)))
		return;
	for (i = 0; i < 255; i++) {
		snprintf(key, sizeof(key), "user%u", i);
		if (pool_acquire(&p, KEY(key), t, a) && a[15] == (uint8_t)(i + 1) &&
		    !memcmp(a, "\xfd\x00\x00\x99", 4))
			distinct++;
	}
	TAP_CHECK(distinct == 255 && !pool_acquire(&p, KEY("one more"), t, a),
		  "fd00:99::/120: 255 clients, 255 distinct addresses, then full");
	pool_free(&p);
}

int main(void)
{
	test_parse();
	test_leases();
	return tap_done();
}
