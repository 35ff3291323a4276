// SPDX-License-Identifier: GPL-2.0
/*
 * Route-based tunnels in the harness: a's CHILD SAs bound to the nfesp
 * device of if_id 7, b's to its device "ipsec9" (the stub kernel gives
 * "ipsecN" the id N): both directions bound, selectors open for both
 * families, no policy on either side, through a rekey; a trap connection
 * that the device's ACQUIRE starts (and another device's does not); a
 * device that is not there; the configuration's refusals; and
 * `ipsecctl ike list-conns` showing the connections as configured.
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../kmod/uapi/nfesp.h"
#include "harness/harness.h"
#include "tap.h"

static const char pair[] =
	"[a]\nlocal = 192.0.2.1\nremote = 192.0.2.2\nif_id = 7\nstart = %s\n"
	"psk = 0x00112233445566778899aabbccddeeff\n"
	"ike = aes128gcm16-prfsha256-x25519\nesp = aes128gcm16\n"
	"[b]\nlocal = 192.0.2.2\nremote = 192.0.2.1\ninterface = %s\n"
	"psk = 0x00112233445566778899aabbccddeeff\n"
	"ike = aes128gcm16-prfsha256-x25519\nesp = aes128gcm16\n";

static void load(const char *a_start, const char *b_interface)
{
	char *text;

	if (asprintf(&text, pair, a_start, b_interface) < 0)
		exit(2);
	harness_reset();
	harness_load(text);
	free(text);
}

/* How many SAs of @side's kernel have @dir and @if_id. */
static unsigned int bound_sas(const struct sockaddr_storage *side, uint8_t dir,
			      uint32_t if_id)
{
	unsigned int i, n = 0;

	for (i = 0; i < stub_nsas; i++)
		n += sockaddr_same_addr(&stub_sas[i].side, side) &&
		     stub_sas[i].dir == dir && stub_sas[i].if_id == if_id &&
		     stub_sas[i].tunnel;
	return n;
}

/* Whether @c's selectors are everything, IPv4 and IPv6, on both sides. */
static bool open_selectors(const struct child_sa *c)
{
	const struct ike_ts *all[] = { c->ts_local, c->ts_remote };
	unsigned int i;

	if (c->n_ts_local != 2 || c->n_ts_remote != 2)
		return false;
	for (i = 0; i < 2; i++)
		if (all[i][0].type != IKE_TS_IPV4_ADDR_RANGE ||
		    all[i][1].type != IKE_TS_IPV6_ADDR_RANGE ||
		    all[i][0].saddr[0] != 0 || all[i][0].eaddr[0] != 0xff ||
		    all[i][1].saddr[0] != 0 || all[i][1].eaddr[15] != 0xff)
			return false;
	return true;
}

static void test_bound(void)
{
	struct ike_sa *a;

	load("none", "ipsec9");
	TAP_CHECK(harness_ctl_says("conns", "a: 192.0.2.1 === 192.0.2.2, start none\n"
				   "  local  '192.0.2.1', auth psk\n"
				   "  remote '192.0.2.2', auth psk\n"
				   "  ike    aes128gcm16-prfsha256-x25519; lifetime 14400s, dpd 30s") &&
		  harness_ctl_says("conns", "  child  tunnel, 0.0.0.0/0, ::/0 === 0.0.0.0/0, ::/0\n"
				   "  device if_id 7\nb: ") &&
		  harness_ctl_says("conns", "  device ipsec9\n"),
		  "ipsecctl ike list-conns: each connection with its defaults, its device");
	harness_a_starts();
	a = harness_up("a");
	TAP_CHECK(a && a->children && open_selectors(a->children),
		  "a CHILD SA of 0.0.0.0/0 and ::/0 on both sides, by default");
	TAP_CHECK(bound_sas(&at_a, NFESP_DIR_IN, 7) == 1 &&
		  bound_sas(&at_a, NFESP_DIR_OUT, 7) == 1,
		  "a's two SAs: tunnel mode, one each way, on if_id 7");
	TAP_CHECK(bound_sas(&at_b, NFESP_DIR_IN, 9) == 1 &&
		  bound_sas(&at_b, NFESP_DIR_OUT, 9) == 1,
		  "b's on its interface ipsec9's id, 9");
	TAP_CHECK(stub_policies_of(&at_a) == 0 && stub_policies_of(&at_b) == 0,
		  "no policy on either side: the routes decide");
	if (a && a->children) {
		stub_side = at_a;
		child_rekey(a, a->children);
		harness_deliver(100);
	}
	TAP_CHECK(harness_working_pairs() == 1 && bound_sas(&at_a, NFESP_DIR_OUT, 7) == 1 &&
		  bound_sas(&at_b, NFESP_DIR_OUT, 9) == 1 &&
		  stub_policies_of(&at_a) == 0 && stub_policies_of(&at_b) == 0,
		  "rekeyed: the new SAs on the devices, still no policy");
}

static void test_acquire(void)
{
	struct kernel_event ev = { .acquire = true, .if_id = 8, .ifname = "ipsec8", .if_here = true,
				   .family = AF_INET6, .src = { 0xfd, 1 },
				   .dst = { 0xfd, 2 } };
	struct ike_sa *a;

	load("trap", "ipsec9");
	TAP_CHECK(stub_policies_of(&at_a) == 0 && harness_nsent == 0,
		  "start = trap on a device: no trap policy, nothing sent");
	stub_side = at_a;
	conn_kernel_event(&ev);
	TAP_CHECK(harness_nsent == 0, "another device's ACQUIRE starts nothing");
	ev.if_id = 7;
	snprintf(ev.ifname, sizeof(ev.ifname), "ipsec7");
	conn_kernel_event(&ev);
	harness_deliver(100);
	a = harness_up("a");
	TAP_CHECK(a && a->children && open_selectors(a->children) &&
		  bound_sas(&at_a, NFESP_DIR_OUT, 7) == 1,
		  "its device's ACQUIRE: a CHILD SA of every address, not of the flow alone");
}

/* By name, a device counts only while it is in iked's namespace. */
static void test_acquire_by_name(void)
{
	struct kernel_event ev = { .acquire = true, .if_id = 5, .ifname = "ipsec5",
				   .family = AF_INET, .src = { 10, 1, 0, 1 },
				   .dst = { 10, 2, 0, 1 } };

	harness_reset();
	harness_load("[c]\nlocal = 192.0.2.1\nremote = 192.0.2.2\ninterface = ipsec5\nstart = trap\n"
		     "psk = 0x00112233445566778899aabbccddeeff\n"
		     "ike = aes128gcm16-prfsha256-x25519\nesp = aes128gcm16\n");
	stub_side = at_a;
	conn_kernel_event(&ev);
	TAP_CHECK(harness_nsent == 0,
		  "an ACQUIRE of a device named ipsec5 in another namespace starts nothing");
	ev.if_here = true;
	conn_kernel_event(&ev);
	TAP_CHECK(harness_nsent == 1, "... the one in iked's namespace starts c");
}

static void test_missing_device(void)
{
	load("none", "eth0");
	harness_a_starts();
	TAP_CHECK(bound_sas(&at_b, NFESP_DIR_IN, 0) == 0 &&
		  bound_sas(&at_b, NFESP_DIR_OUT, 0) == 0 && stub_policies_of(&at_b) == 0 &&
		  bound_sas(&at_a, NFESP_DIR_OUT, 7) == 0,
		  "interface eth0 is no nfesp device: no SA, no policy, on either side");
}

static void test_config(void)
{
	static const struct {
		const char *keys, *said;
	} bad[] = {
		{ "if_id = 0\n", "invalid if_id '0' (expected 1 to 4294967295" },
		{ "if_id = 7x\n", "invalid if_id '7x'" },
		{ "interface = ipsec0:1\n", "invalid interface 'ipsec0:1'" },
		{ "interface = an-interface-name\n", "invalid interface 'an-interface-name'" },
		{ "if_id = 7\ninterface = ipsec0\n", "if_id and interface both given" },
		{ "if_id = 7\nmode = transport\n", "if_id needs mode = tunnel" },
		{ "interface = ipsec0\nremote = %any\nremote_id = *.example.org\nstart = none\n",
		  "interface needs remote to be one peer's address" },
		{ "if_id = 7\nlocal_ts = 10.1.0.0/16\n",
		  "local_ts and remote_ts do not have the same address families" },
	};
	char text[1024];
	const char *said;
	unsigned int i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		snprintf(text, sizeof(text), "[g]\nlocal = 192.0.2.2\npsk = 0x00112233445566778899aabbccddeeff\n%s%s",
			 strstr(bad[i].keys, "remote =") ? "" : "remote = 192.0.2.1\n", bad[i].keys);
		said = harness_conf_says(text);
		TAP_CHECK(strstr(said, bad[i].said), "refused: %s", said);
	}
	said = harness_conf_says("[g]\nlocal = 192.0.2.2\nremote = 192.0.2.1\n"
				 "psk = 0x00112233445566778899aabbccddeeff\nif_id = 7\n"
				 "local_ts = 10.1.0.0/16\nremote_ts = 10.2.0.0/16\n");
	TAP_CHECK(!*said, "a device with selectors of its own (%s)", said);
}

int main(void)
{
	test_config();
	test_bound();
	test_acquire();
	test_acquire_by_name();
	test_missing_device();
	harness_end();
	return tap_done();
}
