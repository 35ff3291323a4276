// SPDX-License-Identifier: GPL-2.0
/*
 * IKE_AUTH when iked cannot compute its own AUTH (the PRF fails: OpenSSL
 * out of memory, say): the exchange ends there, and nothing is sent in
 * place of the value that could not be made. ike_psk_auth is wrapped at
 * link time so that a chosen call fails.
 */
#define _GNU_SOURCE
#include <stdlib.h>
#include <string.h>

#include "harness/harness.h"
#include "tap.h"

/* ike_psk_auth fails at its fail_at'th call (0: never). */
static unsigned int calls, fail_at;

bool __real_ike_psk_auth(uint16_t prf, const uint8_t *psk, size_t psk_len,
			 const uint8_t *msg, size_t msg_len, const uint8_t *nonce,
			 size_t nonce_len, const uint8_t *sk_p, size_t sk_p_len,
			 const uint8_t *id_body, size_t id_len, uint8_t *out);
bool __wrap_ike_psk_auth(uint16_t prf, const uint8_t *psk, size_t psk_len,
			 const uint8_t *msg, size_t msg_len, const uint8_t *nonce,
			 size_t nonce_len, const uint8_t *sk_p, size_t sk_p_len,
			 const uint8_t *id_body, size_t id_len, uint8_t *out);

bool __wrap_ike_psk_auth(uint16_t prf, const uint8_t *psk, size_t psk_len,
			 const uint8_t *msg, size_t msg_len, const uint8_t *nonce,
			 size_t nonce_len, const uint8_t *sk_p, size_t sk_p_len,
			 const uint8_t *id_body, size_t id_len, uint8_t *out)
{
	if (++calls == fail_at)
		return false;
	return __real_ike_psk_auth(prf, psk, psk_len, msg, msg_len, nonce,
				   nonce_len, sk_p, sk_p_len, id_body, id_len,
				   out);
}

/* a starts with the @nth computation of AUTH failing: how many messages
 * went (IKE_SA_INIT's two, then IKE_AUTH's).
 */
static unsigned int start_failing_at(unsigned int nth)
{
	harness_reset();
	calls = 0;
	fail_at = nth;
	stub_side = at_a;
	ike_initiate(config_find(&iked.conf, "a"), NULL, NULL);
	return harness_deliver(100);
}

int main(void)
{
	struct ike_conn *a, *b;
	unsigned int went;

	harness_load(harness_pair);
	a = config_find(&iked.conf, "a");
	b = config_find(&iked.conf, "b");

	went = start_failing_at(0);
	TAP_CHECK(went == 4 && harness_ike_sas(a, true) == 1 &&
		  harness_ike_sas(b, true) == 1 && calls == 4 && stub_nsas == 4,
		  "unhindered: 4 messages, 4 AUTH computed, both sides up with their SAs");

	/* The calls: a's AUTH, a's checked by b, b's, b's checked by a. */
	went = start_failing_at(1);
	TAP_CHECK(went == 2 && !harness_ike_sas(a, false) && !stub_nsas,
		  "the initiator cannot compute its AUTH: no IKE_AUTH sent, its SA gone (%u messages)",
		  went);

	went = start_failing_at(3);
	ike_sa_remove_dead();
	TAP_CHECK(went == 3 && !harness_ike_sas(b, false) &&
		  !harness_ike_sas(a, true) && !stub_nsas,
		  "the responder cannot compute its AUTH: no answer, its SA gone, none up (%u messages)",
		  went);
	harness_end();
	return tap_done();
}
