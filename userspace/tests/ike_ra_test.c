// SPDX-License-Identifier: GPL-2.0
/*
 * Remote access, the gateway's side, in the harness: b answers clients of
 * any address (remote = %any), told apart by identity; clients rw1, rw2,
 * rw3 (connections of a's address) ask for addresses in IKE_AUTH (a CP
 * request the test adds to each client's message): each gets its own from
 * the pools, with the DNS servers, and CHILD SAs of its addresses; a full
 * pool answers INTERNAL_ADDRESS_FAILURE; a client that connects again
 * replaces its IKE SA (unique = replace) or is refused (keep); leases wait
 * for their clients; and the configuration's refusals.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../iked/cp.h"
#include "../iked/ikev2.h"
#include "harness/harness.h"
#include "tap.h"

static const char gateway[] =
	"[b]\nlocal = 192.0.2.2\nremote = %%any\nlocal_id = gw.example.org\n"
	"remote_id = *.example.org\npsk = 0x00112233445566778899aabbccddeeff\n"
	"local_ts = 10.2.0.0/16%s\npool = 10.99.0.0/30\n%s"
	"dns = 10.2.0.53, fd02::53\nunique = %s\nstart = none\n"
	"ike = aes128gcm16-prfsha256-x25519\nesp = aes128gcm16\n";
static const char client[] =
	"[rw%u]\nlocal = 192.0.2.1\nremote = 192.0.2.2\nlocal_id = rw%u.example.org\n"
	"remote_id = gw.example.org\npsk = 0x00112233445566778899aabbccddeeff\n"
	"local_ts = 0.0.0.0/0, ::/0\nremote_ts = 10.2.0.0/16, fd02::/64\nstart = none\n"
	"ike = aes128gcm16-prfsha256-x25519\nesp = aes128gcm16\n";

/* The gateway with @unique, dual stack or IPv4 alone. */
static void load(const char *unique, bool dual)
{
	char *text, *gw, *c1, *c2, *c3;

	if (asprintf(&gw, gateway, dual ? ", fd02::/64" : "",
		     dual ? "pool6 = fd00:99::/112\n" : "", unique) < 0 || asprintf(&c1, client, 1, 1) < 0 ||
	    asprintf(&c2, client, 2, 2) < 0 || asprintf(&c3, client, 3, 3) < 0 ||
	    asprintf(&text, "%s%s%s%s", gw, c1, c2, c3) < 0)
		exit(2);
	harness_reset();
	harness_load(text);
	free(text);
	free(gw);
	free(c1);
	free(c2);
	free(c3);
}

/* What the gateway's IKE_AUTH answer said. */
struct answer {
	bool cp;
	unsigned int n;
	struct ike_cp_attr attrs[IKE_CP_MAX_ATTRS];
	uint8_t plain[IKE_MAX_MSG];
	bool address_failure;
};

/*
 * Delivers the queue until a message to @to of @exchange is next, and
 * takes it (others, such as the DELETE of a replaced IKE SA, go on).
 */
static bool next_to(const struct sockaddr_storage *to, uint8_t exchange, struct sent_msg *m)
{
	unsigned int i;

	for (i = 0; i < 16 && harness_take(m); i++) {
		if (sockaddr_same_addr(&m->to, to) && m->data[18] == exchange)
			return true;
		stub_side = m->to;
		ike_receive(m->data, m->len, &m->to, &m->from);
		sent_free(m);
	}
	return false;
}

/*
 * Client @num connects: its IKE_AUTH request gets a CP request for an
 * IPv4 and an IPv6 address and DNS; the gateway's answer goes into @ans.
 */
static void connect_client(unsigned int num, struct answer *ans)
{
	struct ike_payload pl[IKE_MAX_PAYLOADS];
	static uint8_t plain[IKE_MAX_MSG];
	struct ike_writer w;
	struct sent_msg m;
	char name[8];
	const char *err;
	unsigned int n, i;
	uint8_t type;

	memset(ans, 0, sizeof(*ans));
	snprintf(name, sizeof(name), "rw%u", num);
	stub_side = at_a;
	ike_initiate(config_find(&iked.conf, name), NULL, NULL);
	/* IKE_SA_INIT both ways, then the client's IKE_AUTH. */
	if (!next_to(&at_b, IKE_SA_INIT, &m))
		return;
	stub_side = m.to;
	ike_receive(m.data, m.len, &m.to, &m.from);
	sent_free(&m);
	if (!next_to(&at_b, IKE_AUTH, &m))
		return;
	n = harness_open(harness_sa_at(&m.to, &m), &m, plain, sizeof(plain), pl);
	harness_chain_of(&w, pl, n);
	ike_put_cp(&w, IKE_CFG_REQUEST, harness_cp_request, HARNESS_CP_REQUEST_N);
	if (n && ike_writer_finish(&w))
		harness_send_sealed(&m, w.first_type, w.buf.data, w.buf.len);
	ike_buf_free(&w.buf);
	sent_free(&m);
	/* The gateway's answer, read before the client takes it. */
	if (!next_to(&at_a, IKE_AUTH, &m))
		return;
	n = harness_open(harness_sa_at(&m.to, &m), &m, ans->plain, sizeof(ans->plain), pl);
	for (i = 0; i < n; i++) {
		struct ike_notify nt;

		if (pl[i].type == IKE_PL_CP)
			ans->cp = !ike_parse_cp(&pl[i], &type, ans->attrs, IKE_CP_MAX_ATTRS,
						&ans->n, &err) && type == IKE_CFG_REPLY;
		if (pl[i].type == IKE_PL_NOTIFY && !ike_parse_notify(&pl[i], &nt, &err) &&
		    nt.type == IKE_N_INTERNAL_ADDRESS_FAILURE)
			ans->address_failure = true;
	}
	stub_side = m.to;
	ike_receive(m.data, m.len, &m.to, &m.from);
	sent_free(&m);
	harness_deliver(32);
	ike_sa_remove_dead();
}

/* The gateway's established IKE SA of client @num, or NULL; how many. */
static struct ike_sa *gw_sa_of(unsigned int num, unsigned int *count)
{
	struct ike_sa *sa, *found = NULL;
	char id[32];

	snprintf(id, sizeof(id), "rw%u.example.org", num);
	*count = 0;
	for (sa = iked.sas; sa; sa = sa->next)
		if (sa->state == IKE_S_ESTABLISHED && !strcmp(sa->conn->name, "b") &&
		    sa->peer_id_len == strlen(id) && !memcmp(sa->peer_id, id, strlen(id))) {
			found = sa;
			(*count)++;
		}
	return found;
}

static bool has_attr(const struct answer *a, uint16_t type, const char *text)
{
	uint8_t want[16];
	unsigned int i;
	int family = strchr(text, ':') ? AF_INET6 : AF_INET;

	if (inet_pton(family, text, want) != 1)
		return false;
	for (i = 0; i < a->n; i++)
		if (a->attrs[i].type == type && a->attrs[i].len >= (family == AF_INET ? 4 : 16) &&
		    !memcmp(a->attrs[i].value, want, family == AF_INET ? 4 : 16))
			return true;
	return false;
}

static void test_clients(void)
{
	struct answer ans;
	uint8_t first_spi[IKE_SPI_LEN];
	struct ike_sa *sa, *first;
	unsigned int count;

	load("replace", true);
	connect_client(1, &ans);
	sa = gw_sa_of(1, &count);
	TAP_CHECK(sa && count == 1 && ans.cp &&
		  has_attr(&ans, IKE_CP_INTERNAL_IP4_ADDRESS, "10.99.0.1") &&
		  has_attr(&ans, IKE_CP_INTERNAL_IP6_ADDRESS, "fd00:99::1") &&
		  has_attr(&ans, IKE_CP_INTERNAL_IP4_DNS, "10.2.0.53") &&
		  has_attr(&ans, IKE_CP_INTERNAL_IP6_DNS, "fd02::53"),
		  "rw1 (of any address): CFG_REPLY with 10.99.0.1, fd00:99::1 and both DNS servers");
	TAP_CHECK(sa && sa->children && harness_ctl_says("list", "  vip    10.99.0.1 fd00:99::1") &&
		  harness_ctl_says("list", "    remote 10.99.0.1/32, fd00:99::1/128"),
		  "its CHILD SA carries its virtual addresses; ipsecctl ike list shows them");
	stub_side = at_b;
	ike_rekey(sa);
	harness_deliver(32);
	ike_sa_remove_dead();
	sa = gw_sa_of(1, &count);
	TAP_CHECK(sa && count == 1 && sa->has_vip4 && sa->children &&
		  harness_ctl_says("leases", "    10.99.0.1  'rw1.example.org'  online"),
		  "the gateway rekeys rw1's IKE SA: the new one holds its addresses, the lease stays online");
	connect_client(2, &ans);
	TAP_CHECK(gw_sa_of(2, &count) && ans.cp &&
		  has_attr(&ans, IKE_CP_INTERNAL_IP4_ADDRESS, "10.99.0.2") &&
		  has_attr(&ans, IKE_CP_INTERNAL_IP6_ADDRESS, "fd00:99::2") && gw_sa_of(1, &count),
		  "rw2 from the same address: its own IKE SA, 10.99.0.2 and fd00:99::2; rw1's stays");
	connect_client(3, &ans);
	sa = gw_sa_of(3, &count);
	TAP_CHECK(sa && ans.cp && !sa->has_vip4 &&
		  has_attr(&ans, IKE_CP_INTERNAL_IP6_ADDRESS, "fd00:99::3") &&
		  !has_attr(&ans, IKE_CP_INTERNAL_IP4_ADDRESS, "10.99.0.3"),
		  "rw3: the /30 is full: no IPv4 address (logged), its IPv6 one");
	TAP_CHECK(harness_ctl_says("leases", "  pool 10.99.0.0/30: 2 addresses, 2 online, 2 leased") &&
		  harness_ctl_says("leases", "    10.99.0.2  'rw2.example.org'  online"),
		  "ipsecctl ike leases shows the pool and who has what");
	first = gw_sa_of(1, &count);
	if (first)
		memcpy(first_spi, first->spi_r, IKE_SPI_LEN);
	connect_client(1, &ans);
	sa = gw_sa_of(1, &count);
	TAP_CHECK(first && sa && count == 1 && memcmp(sa->spi_r, first_spi, IKE_SPI_LEN) && ans.cp &&
		  has_attr(&ans, IKE_CP_INTERNAL_IP4_ADDRESS, "10.99.0.1"),
		  "rw1 connects again: its old IKE SA replaced (unique = replace), the same address");
	stub_side = at_b;
	if (gw_sa_of(2, &count)) {
		sa = gw_sa_of(2, &count);
		ike_send_delete_ike(sa);
		harness_deliver(32);
		ike_sa_remove_dead();
	}
	TAP_CHECK(!gw_sa_of(2, &count) &&
		  harness_ctl_says("leases", "    10.99.0.2  'rw2.example.org'  offline for"),
		  "rw2's IKE SA deleted: its lease waits for it");
	connect_client(2, &ans);
	TAP_CHECK(gw_sa_of(2, &count) && has_attr(&ans, IKE_CP_INTERNAL_IP4_ADDRESS, "10.99.0.2"),
		  "rw2 back: 10.99.0.2 again");
	load("replace", false);
	connect_client(1, &ans);
	connect_client(2, &ans);
	connect_client(3, &ans);
	sa = gw_sa_of(3, &count);
	TAP_CHECK(sa && !sa->children && ans.address_failure && !ans.cp,
		  "IPv4 alone, the /30 full: rw3 gets INTERNAL_ADDRESS_FAILURE, no CP, no CHILD SA (its IKE SA stays)");
	load("keep", true);
	connect_client(1, &ans);
	first = gw_sa_of(1, &count);
	connect_client(1, &ans);
	sa = gw_sa_of(1, &count);
	TAP_CHECK(first && sa == first && count == 1,
		  "unique = keep: rw1's second IKE SA refused, the first stays");
	load("no", true);
	connect_client(1, &ans);
	connect_client(1, &ans);
	gw_sa_of(1, &count);
	TAP_CHECK(count == 2 && has_attr(&ans, IKE_CP_INTERNAL_IP4_ADDRESS, "10.99.0.1"),
		  "unique = no: both stay, sharing rw1's address");
	connect_client(2, &ans);
	TAP_CHECK(harness_ctl_says("down b rw1.example.org", "b: rw1.example.org going down") &&
		  (gw_sa_of(1, &count), count == 0) && gw_sa_of(2, &count),
		  "ipsecctl ike down b rw1.example.org: both of rw1's IKE SAs end, rw2's stays");
	TAP_CHECK(harness_ctl_says("down b rw9.example.org", "b has no IKE SA of rw9.example.org"),
		  "... an identity without one: said so");
	{
		char cmd[32];
		unsigned int num = 0;

		ike_sa_remove_dead();
		for (sa = iked.sas; sa; sa = sa->next) {
			if (sa->state == IKE_S_DEAD)
				continue;
			num++;
			if (sa == gw_sa_of(2, &count))
				break;
		}
		snprintf(cmd, sizeof(cmd), "down b #%u", num);
		TAP_CHECK(sa && harness_ctl_says(cmd, "going down") && !gw_sa_of(2, &count),
			  "ipsecctl ike down b #N: the IKE SA that ike list numbers so");
	}
	TAP_CHECK(!harness_ctl_says("up b", "negotiating") &&
		  harness_ctl_says("up b", "answers clients of many addresses"),
		  "ipsecctl ike up of the gateway: refused, with why");
}

static void test_config(void)
{
	static const struct {
		const char *keys, *said;
	} bad[] = {
		{ "remote = %any\nlocal_ts = 10.2.0.0/16\nremote_ts = 0.0.0.0/0\n",
		  "remote of many peers needs remote_id" },
		{ "remote = 0.0.0.0/0\nremote_id = *.example.org\nlocal_ts = 10.2.0.0/16\nremote_ts = 0.0.0.0/0\nstart = trap\n",
		  "remote of many peers: start = none" },
		{ "remote = 192.0.2.0/24[udp]\n", "remote: a prefix, without a protocol or port" },
		{ "remote = 192.0.2.1/24\n", "has host bits set" },
		{ "remote = 192.0.2.1\nlocal_ts = 10.2.0.0/16\npool = 10.99.0.0/24\n",
		  "pool and pool6 are for a remote of many peers" },
		{ "remote = %any\nremote_id = *.example.org\nstart = none\nmode = transport\npool = 10.99.0.0/24\n",
		  "pool and pool6 need tunnel mode" },
		{ "remote = %any\nremote_id = *.example.org\nstart = none\nlocal_ts = 10.2.0.0/16\npool = 10.99.0.1/24\n",
		  "has host bits set" },
		{ "remote = 192.0.2.1\nlocal_ts = 10.2.0.0/16\nremote_ts = 10.3.0.0/16\ndns = 10.2.0.53\n",
		  "dns is told to clients of pool or pool6" },
		{ "remote = 192.0.2.1\nlocal_ts = 10.2.0.0/16\nremote_ts = 10.3.0.0/16\nunique = keep\n",
		  "unique is for a remote of many peers" },
		{ "remote = %any\nremote_id = *.example.org\nstart = none\nlocal_ts = 10.2.0.0/16\npool = 10.99.0.0/24\ndns = 10.2.0.53, x\n",
		  "invalid dns 'x'" },
		{ "remote = %any\nremote_id = *.example.org\nstart = none\nlocal_ts = 10.2.0.0/16\npool = 10.99.0.0/24\nunique = sometimes\n",
		  "invalid unique 'sometimes' (expected replace, keep or no)" },
	};
	char text[1024];
	const char *said;
	unsigned int i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		snprintf(text, sizeof(text), "[g]\nlocal = 192.0.2.2\npsk = 0x00112233445566778899aabbccddeeff\n%s",
			 bad[i].keys);
		said = harness_conf_says(text);
		TAP_CHECK(strstr(said, bad[i].said), "refused: %s", said);
	}
	said = harness_conf_says("[g]\nlocal = 192.0.2.2\nremote = %any\nremote_id = *.example.org\n"
			 "psk = 0x00112233445566778899aabbccddeeff\nstart = none\n"
			 "local_ts = 10.2.0.0/16, fd02::/64\npool = 10.99.0.0/24\npool6 = fd00:99::/112\n");
	TAP_CHECK(!*said, "a dual-stack gateway: remote_ts from the pools (%s)", said);
}

int main(void)
{
	test_config();
	test_clients();
	harness_end();
	return tap_done();
}
