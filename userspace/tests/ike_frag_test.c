// SPDX-License-Identifier: GPL-2.0
/*
 * IKE fragmentation's reassembly (RFC 7383 2.6), in the harness: a's CHILD
 * rekey request goes to b as SKF fragments the test makes: out of order,
 * with one missing until later, duplicated, one with a broken ICV, of
 * totals that disagree, too many, and more bytes than a message may have.
 * b answers once, and only once the whole message is there.
 */
#define _GNU_SOURCE
#include <stdlib.h>
#include <string.h>

#include "../iked/ikev2.h"
#include "harness/harness.h"
#include "tap.h"

static uint8_t plain[IKE_MAX_MSG];
static size_t chain_len;
static uint8_t first;
static struct sent_msg req;

/* a and b up; a's CHILD rekey request taken, its chain in plain. */
static bool rekey_request(void)
{
	struct ike_payload pl[IKE_MAX_PAYLOADS];
	struct ike_sa *a;
	unsigned int n;

	harness_load_pair("psk = 0x00112233445566778899aabbccddeeff\n",
			  "psk = 0x00112233445566778899aabbccddeeff\n");
	harness_a_starts();
	a = harness_up("a");
	if (!a || !a->children)
		return false;
	stub_side = at_a;
	child_rekey(a, a->children);
	if (!harness_take(&req))
		return false;
	n = harness_open(harness_sa_at(&req.to, &req), &req, plain, sizeof(plain), pl);
	if (!n)
		return false;
	first = pl[0].type;
	chain_len = (size_t)(pl[n - 1].body + pl[n - 1].len - plain);
	return chain_len >= 3;
}

/* Fragment @num of the chain cut in @total, of that total, maybe broken. */
static void piece(unsigned int num, unsigned int total, bool broken)
{
	unsigned int parts = total && total <= 4 ? total : 1;
	size_t part = (chain_len + parts - 1) / parts, off = (num - 1) * part;
	size_t len = num >= parts ? chain_len - off : part;

	if (num > parts)
		off = len = 0;
	harness_send_fragment(&req, first, num, total, plain + off, len, broken);
}

/* Whether b answered the rekey; what was sent is dropped. */
static bool answered(void)
{
	struct sent_msg m;
	bool yes = false;

	while (harness_take(&m)) {
		yes |= sockaddr_same_addr(&m.to, &at_a) && m.data[18] == CREATE_CHILD_SA &&
		       (m.data[19] & IKE_FLAG_RESPONSE);
		sent_free(&m);
	}
	return yes;
}

static void done(void)
{
	sent_free(&req);
}

int main(void)
{
	static uint8_t big[1100];
	unsigned int i;

	TAP_CHECK(rekey_request(), "a's CHILD rekey request, %zu bytes of payloads", chain_len);
	piece(3, 3, false);
	piece(1, 3, false);
	TAP_CHECK(!answered(), "fragments 3 and 1 of 3: nothing yet");
	piece(2, 3, false);
	TAP_CHECK(answered(), "... then 2: b answers");
	done();

	if (rekey_request()) {
		piece(1, 3, false);
		piece(1, 3, false);
		piece(2, 3, true);
		piece(3, 3, false);
		TAP_CHECK(!answered(), "1 twice, 2 with a broken ICV, 3: nothing yet");
		piece(2, 3, false);
		TAP_CHECK(answered(), "... the good 2: b answers");
		piece(2, 3, false);
		TAP_CHECK(!answered(), "fragment 2 of a message answered: no second answer");
	}
	done();

	if (rekey_request()) {
		piece(1, 3, false);
		piece(2, 3, false);
		piece(2, 4, false);
		piece(3, 3, false);
		TAP_CHECK(!answered(),
			  "1 and 2 of 3, then 2 of 4 (the reassembly starts over), then 3 of 3 (stale): no answer");
		piece(1, 4, false);
		piece(3, 4, false);
		piece(4, 4, false);
		TAP_CHECK(answered(), "... the rest of the four: b answers");
	}
	done();

	if (rekey_request()) {
		piece(1, 33, false);
		piece(1, 0, false);
		TAP_CHECK(!answered(), "a total of 33 (more than 32) or 0: refused");
		memset(big, 0, sizeof(big));
		for (i = 1; i <= 31; i++)
			harness_send_fragment(&req, first, i, 32, big, sizeof(big), false);
		TAP_CHECK(!answered() && harness_up("b")->frags.bytes <= FRAG_MAX_BYTES,
			  "31 fragments of 1,100 bytes (past 32 KiB): no answer, at most 32 KiB kept");
	}
	done();
	harness_end();
	return tap_done();
}
