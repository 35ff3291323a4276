// SPDX-License-Identifier: GPL-2.0
/*
 * Post-quantum preshared keys (RFC 8784) between two peers of one iked in
 * the harness: the same PPK on both sides, required or not; a PPK that
 * differs; a side without one, where the other requires it or does not
 * (NO_PPK_AUTH); a PPK_IDENTITY the responder does not know. A refusal
 * leaves no IKE SA and no ESP SA on either side.
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness/harness.h"
#include "tap.h"

#define PPK_A	"ppk = 0x0102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f20\n"
#define PPK_B	"ppk = 0xf102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f20\n"

/* a and b with a PSK, each section ended by its @extra. */
static void load(const char *a_extra, const char *b_extra)
{
	static const char psk[] = "psk = 0x00112233445566778899aabbccddeeff\n";
	char a[512], b[512];

	snprintf(a, sizeof(a), "%s%s", psk, a_extra);
	snprintf(b, sizeof(b), "%s%s", psk, b_extra);
	harness_load_pair(a, b);
}

/* a starts; whether a pair works, and with a PPK on both sides (@ppk). */
static bool outcome(bool *ppk)
{
	const struct ike_sa *a, *b;

	harness_a_starts();
	harness_tick(time(NULL) + 31);	/* a half-open SA left over times out */
	ike_sa_remove_dead();
	a = harness_up("a");
	b = harness_up("b");
	*ppk = a && b && a->ppk_used && b->ppk_used;
	return harness_working_pairs() == 1 && (*ppk || (a && b && !a->ppk_used && !b->ppk_used));
}

int main(void)
{
	bool ppk;

	load(PPK_A "ppk_id = pq-1\nppk_required = yes\n", PPK_A "ppk_id = pq-1\nppk_required = yes\n");
	TAP_CHECK(outcome(&ppk) && ppk && stub_nsas == 4,
		  "the same PPK on both sides, required: up with it, its SAs in both kernels");
	TAP_CHECK(harness_ctl_says("list", "theirs psk; with a PPK (RFC 8784)"), "ipsecctl ike list says so");
	stub_side = at_a;
	ike_rekey((struct ike_sa *)harness_up("a"));
	harness_deliver(100);
	ike_sa_remove_dead();
	TAP_CHECK(harness_working_pairs() == 1 && harness_up("a") && harness_up("a")->ppk_used,
		  "an IKE rekey keeps it PPK-protected (the new keys come of SK_d)");

	load(PPK_A "ppk_id = pq-1\n", PPK_B "ppk_id = pq-1\n");
	TAP_CHECK(!outcome(&ppk) && harness_nothing_left(),
		  "the same ppk_id, another PPK: refused (it is in the AUTH), nothing left");

	load(PPK_A "ppk_id = pq-1\n", "");
	TAP_CHECK(outcome(&ppk) && !ppk,
		  "a offers a PPK it does not require, b has none: up without (b never says USE_PPK)");

	load(PPK_A "ppk_id = pq-1\n", PPK_A "ppk_id = pq-2\n");
	TAP_CHECK(outcome(&ppk) && !ppk,
		  "b knows no PPK of a's ppk_id: up by NO_PPK_AUTH, without a PPK");

	load("", PPK_A "ppk_id = pq-1\nppk_required = yes\n");
	TAP_CHECK(!outcome(&ppk) && harness_nothing_left(),
		  "b requires a PPK, a has none: refused, nothing left");

	load(PPK_A "ppk_id = pq-1\nppk_required = yes\n", "");
	TAP_CHECK(!outcome(&ppk) && harness_nothing_left(),
		  "a requires a PPK, b has none: a stops after IKE_SA_INIT, nothing left");

	load(PPK_A "ppk_id = pq-1\nppk_required = yes\n", PPK_A "ppk_id = pq-2\n");
	TAP_CHECK(!outcome(&ppk) && harness_nothing_left(),
		  "a requires its PPK, b knows another: refused, nothing left");
	harness_end();
	return tap_done();
}
