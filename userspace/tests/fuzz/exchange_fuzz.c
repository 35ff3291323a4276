// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer target for iked's exchanges, above the parser: two peers of one
 * iked in the harness (userspace/tests/harness) are brought to a state, and
 * the input stands in for one message the other peer would have sent
 * there: IKE_SA_INIT in the clear, or the inner payloads of IKE_AUTH,
 * CREATE_CHILD_SA (CHILD and IKE rekeys) and INFORMATIONAL, sealed with
 * the sender's real keys so that they decrypt and pass the integrity
 * check. What iked answers is delivered, and time runs on, so that what
 * the message started plays out.
 *
 * Input: one byte of scenario, then the payload chain: its first payload's
 * type, then the payloads. EXCHANGE_FUZZ_RECORD=DIR writes each scenario's
 * real message in this form into DIR (the seed corpus) and exits.
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../harness/harness.h"

static const char conf[] =
	"[a]\n"
	"local = 192.0.2.1\n"
	"remote = 192.0.2.2\n"
	"psk = 0x00112233445566778899aabbccddeeff\n"
	"local_ts = 10.1.0.0/16\n"
	"remote_ts = 10.2.0.0/16\n"
	"ike = aes128gcm16-prfsha256-x25519\n"
	"esp = aes128gcm16-x25519, aes128gcm16\n"
	"start = trap\n"
	"[b]\n"
	"local = 192.0.2.2\n"
	"remote = 192.0.2.1\n"
	"psk = 0x00112233445566778899aabbccddeeff\n"
	"local_ts = 10.2.0.0/16\n"
	"remote_ts = 10.1.0.0/16\n"
	"ike = aes128gcm16-prfsha256-x25519-ecp256\n"
	"esp = aes128gcm16-x25519, aes128gcm16\n"
	"start = none\n";

enum scenario {
	S_INIT_REQUEST,		/* to b: an IKE_SA_INIT request */
	S_INIT_RESPONSE,	/* to a: the answer to its IKE_SA_INIT */
	S_AUTH_REQUEST,		/* to b, past IKE_SA_INIT: IKE_AUTH */
	S_AUTH_RESPONSE,	/* to a: the answer to its IKE_AUTH */
	S_CHILD_REQUEST,	/* to b, up: CREATE_CHILD_SA */
	S_INFO_REQUEST,		/* to b, up: INFORMATIONAL */
	S_CHILD_REKEY_RESPONSE,	/* to a: the answer to its CHILD rekey */
	S_IKE_REKEY_RESPONSE,	/* to a: the answer to its IKE rekey */
	S_DELETE_RESPONSE,	/* to a: the answer to its DELETE of a CHILD SA */
	S_DPD_RESPONSE,		/* to a: the answer to its liveness check */
	S_COUNT
};

static struct sockaddr_storage at_a, at_b;
static const char *record_dir;

/*
 * A fixed key schedule: SPIs, nonces and DH private keys come from a
 * generator started afresh for each input (ike_random and ike_dh_new are
 * wrapped at link time), so that a message recorded once (a seed, with its
 * AUTH) is right again in every run, and a finding replays exactly.
 */
static uint64_t rng;

bool __wrap_ike_random(void *buf, size_t len);
struct ike_dh *__wrap_ike_dh_new(uint16_t group);
struct ike_dh *__real_ike_dh_new(uint16_t group);

bool __wrap_ike_random(void *buf, size_t len)
{
	uint8_t *p = buf;
	uint64_t z;
	size_t i;

	for (i = 0; i < len; i++) {
		if (!(i % 8)) {
			/* splitmix64 */
			z = (rng += 0x9e3779b97f4a7c15ull);
			z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
			z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
			z ^= z >> 31;
		}
		p[i] = (uint8_t)(z >> (8 * (i % 8)));
	}
	return true;
}

struct ike_dh *__wrap_ike_dh_new(uint16_t group)
{
	uint8_t priv[32];

	if (group != IKE_DH_X25519 && group != IKE_DH_ECP256)
		return __real_ike_dh_new(group);
	__wrap_ike_random(priv, sizeof(priv));
	priv[0] = 0x01;	/* below the order of P-256 */
	return ike_dh_from_private(group, priv, sizeof(priv));
}

static struct ike_sa *sa_of(const char *name)
{
	struct ike_sa *sa;

	for (sa = iked.sas; sa; sa = sa->next)
		if (sa->state != IKE_S_DEAD && !sa->rekeyed &&
		    !strcmp(sa->conn->name, name))
			return sa;
	return NULL;
}

/* Delivers what is queued until a message to @to is next; takes it. */
static bool next_to(const struct sockaddr_storage *to, struct sent_msg *m)
{
	unsigned int i;

	for (i = 0; i < 64 && harness_take(m); i++) {
		if (sockaddr_same_addr(&m->to, to))
			return true;
		stub_side = m->to;
		ike_receive(m->data, m->len, &m->to, &m->from);
		sent_free(m);
		ike_sa_remove_dead();
	}
	return false;
}

static void record(enum scenario s, uint8_t first, const uint8_t *chain,
		   size_t len)
{
	char path[512];
	FILE *f;

	snprintf(path, sizeof(path), "%s/scenario-%02u", record_dir, s);
	f = fopen(path, "w");
	if (!f || fputc(s, f) == EOF || fputc(first, f) == EOF ||
	    fwrite(chain, 1, len, f) != len || fclose(f)) {
		perror(path);
		exit(1);
	}
}

/* An IKE_SA_INIT like @real (its header), with @chain in place of its
 * payloads, to @to from @from.
 */
static void send_clear(const struct sent_msg *real, uint8_t first,
		       const uint8_t *chain, size_t len)
{
	struct ike_header hdr;
	struct ike_writer w;
	const char *err;

	if (ike_parse_header(real->data, real->len, &hdr, &err))
		return;
	hdr.next_payload = first;
	ike_writer_message(&w, &hdr);
	ike_buf_put(&w.buf, chain, len);
	/* The header's next-payload field: ike_writer_begin was not used. */
	if (ike_writer_finish(&w)) {
		w.buf.data[16] = first;
		stub_side = real->to;
		ike_receive(w.buf.data, w.buf.len, &real->to, &real->from);
	}
	ike_buf_free(&w.buf);
}

/* @chain sealed by @from as a message of @exchange with @msg_id to its peer. */
static void send_sealed(struct ike_sa *from, const struct sockaddr_storage *to,
			uint8_t exchange, bool response, uint32_t msg_id,
			uint8_t first, const uint8_t *chain, size_t len)
{
	struct ike_writer w;
	struct ike_buf out;

	ike_writer_chain(&w);
	w.first_type = first;
	ike_buf_put(&w.buf, chain, len);
	if (ike_sa_seal(from, exchange, response, msg_id, &w, &out)) {
		stub_side = *to;
		ike_receive(out.data, out.len, to, &from->local);
		ike_buf_free(&out);
	}
	ike_buf_free(&w.buf);
}

/* The real message @m: recorded as the seed of @s (its chain opened with
 * @reader's keys, or in the clear without).
 */
static void record_real(enum scenario s, const struct sent_msg *m,
			const struct ike_sa *reader)
{
	static uint8_t plain[IKE_MAX_MSG];
	struct ike_payload pl[IKE_MAX_PAYLOADS];
	unsigned int n;

	if (!reader) {
		record(s, m->data[16], m->data + IKE_HDR_LEN, m->len - IKE_HDR_LEN);
		return;
	}
	n = harness_open(reader, m, plain, sizeof(plain), pl);
	if (!n)
		record(s, 0, plain, 0);
	else
		record(s, pl[0].type, plain,
		       (size_t)(pl[n - 1].body + pl[n - 1].len - plain));
}

/* a up with b: both IKE SAs, a's CHILD SA. */
static bool establish(struct ike_sa **a, struct ike_sa **b)
{
	stub_side = at_a;
	ike_initiate(config_find(&iked.conf, "a"), NULL, NULL);
	harness_deliver(32);
	*a = sa_of("a");
	*b = sa_of("b");
	return *a && *b && (*a)->state == IKE_S_ESTABLISHED && (*a)->children;
}

/*
 * Brings the peers to scenario @s and hands b or a the message: @chain
 * (first payload @first) when given, else the real one, recorded.
 */
static void play(enum scenario s, uint8_t first, const uint8_t *chain,
		 size_t len)
{
	struct ike_sa *a = NULL, *b = NULL;
	bool real = !chain && record_dir;
	time_t now = time(NULL);
	struct sent_msg m;
	unsigned int i;

	harness_reset();
	rng = 0;
	if (s <= S_AUTH_RESPONSE) {
		stub_side = at_a;
		ike_initiate(config_find(&iked.conf, "a"), NULL, NULL);
		/* a's IKE_SA_INIT request, to b. */
		if (!next_to(&at_b, &m))
			return;
		if (s == S_INIT_REQUEST) {
			if (real)
				record_real(s, &m, NULL);
			else
				send_clear(&m, first, chain, len);
			sent_free(&m);
			goto play_out;
		}
		stub_side = at_b;
		ike_receive(m.data, m.len, &m.to, &m.from);
		sent_free(&m);
		/* b's answer, to a. */
		if (!next_to(&at_a, &m))
			return;
		if (s == S_INIT_RESPONSE) {
			if (real)
				record_real(s, &m, NULL);
			else
				send_clear(&m, first, chain, len);
			sent_free(&m);
			goto play_out;
		}
		stub_side = at_a;
		ike_receive(m.data, m.len, &m.to, &m.from);
		sent_free(&m);
		/* a's IKE_AUTH, to b. */
		a = sa_of("a");
		b = sa_of("b");
		if (!a || !b || !next_to(&at_b, &m))
			return;
		if (s == S_AUTH_REQUEST) {
			if (real)
				record_real(s, &m, b);
			else
				send_sealed(a, &at_b, IKE_AUTH, false, 1, first,
					    chain, len);
			sent_free(&m);
			goto play_out;
		}
		stub_side = at_b;
		ike_receive(m.data, m.len, &m.to, &m.from);
		sent_free(&m);
		if (!next_to(&at_a, &m))
			return;
		if (real)
			record_real(s, &m, a);
		else
			send_sealed(b, &at_a, IKE_AUTH, true, 1, first, chain, len);
		sent_free(&m);
		goto play_out;
	}
	if (!establish(&a, &b))
		return;
	stub_side = at_a;
	switch (s) {
	case S_CHILD_REQUEST:
		child_rekey(a, a->children);
		break;
	case S_INFO_REQUEST:
		ike_send_dpd(a);
		break;
	case S_CHILD_REKEY_RESPONSE:
		child_rekey(a, a->children);
		break;
	case S_IKE_REKEY_RESPONSE:
		ike_rekey(a);
		break;
	case S_DELETE_RESPONSE:
		ike_send_delete_child(a, a->children);
		break;
	default:
		ike_send_dpd(a);
		break;
	}
	if (!next_to(&at_b, &m))
		return;
	if (s == S_CHILD_REQUEST || s == S_INFO_REQUEST) {
		/* In place of a's request, ours with its message ID. */
		if (real)
			record_real(s, &m, b);
		else
			send_sealed(a, &at_b, s == S_CHILD_REQUEST ?
				    CREATE_CHILD_SA : INFORMATIONAL, false,
				    a->next_out_id - 1, first, chain, len);
		sent_free(&m);
		goto play_out;
	}
	stub_side = at_b;
	ike_receive(m.data, m.len, &m.to, &m.from);
	sent_free(&m);
	b = sa_of("b");
	if (!b || !next_to(&at_a, &m))
		return;
	if (real)
		record_real(s, &m, a);
	else
		send_sealed(b, &at_a, s == S_IKE_REKEY_RESPONSE ||
			    s == S_CHILD_REKEY_RESPONSE ? CREATE_CHILD_SA :
			    INFORMATIONAL, true, a->next_out_id - 1, first,
			    chain, len);
	sent_free(&m);
play_out:
	harness_deliver(64);
	for (i = 1; i <= 40; i += 13) {
		harness_tick(now + i);
		harness_deliver(64);
	}
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	unsigned int s;

	(void)argc;
	(void)argv;
	at_a = harness_addr("192.0.2.1", IKE_PORT);
	at_b = harness_addr("192.0.2.2", IKE_PORT);
	harness_load(conf);
	record_dir = getenv("EXCHANGE_FUZZ_RECORD");
	if (record_dir) {
		for (s = 0; s < S_COUNT; s++)
			play(s, 0, NULL, 0);
		harness_end();
		exit(0);
	}
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const uint8_t none[1];

	if (size < 2)
		return 0;
	play((enum scenario)(data[0] % S_COUNT), data[1],
	     size > 2 ? data + 2 : none, size - 2);
	return 0;
}
