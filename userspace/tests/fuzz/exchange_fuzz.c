// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer target for iked's exchanges, above the parser: two peers of one
 * iked in the harness (userspace/tests/harness) are brought to a state, and
 * the input stands in for one message the other peer would have sent
 * there: IKE_SA_INIT in the clear, or the inner payloads of IKE_AUTH,
 * CREATE_CHILD_SA (CHILD and IKE rekeys) and INFORMATIONAL, sealed with
 * the sender's real keys so that they decrypt and pass the integrity
 * check. What iked answers is delivered, and time runs on, so that what
 * the message started plays out. The peers authenticate by PSK and offer
 * a PPK (RFC 8784, not required), or, in the certificate scenarios, by
 * Ed25519 certificates of a CA of the fuzzer's (with CERT and CERTREQ);
 * one of those hands b IKE_AUTH in SKF fragments (RFC 7383) the input
 * makes; and in one b is a remote-access gateway (remote = %any, pools)
 * that a's IKE_AUTH with a CP request reaches.
 *
 * Input: one byte of scenario, then the payload chain: its first payload's
 * type, then the payloads; for S_AUTH_FRAGMENTS, after the type, fragments
 * of the chain, each its number, total (a byte each), length (two bytes)
 * and bytes. EXCHANGE_FUZZ_RECORD=DIR writes each scenario's real message
 * in this form into DIR (the seed corpus) and exits.
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../harness/harness.h"
#include "../harness/pki.h"
#include "../../iked/cp.h"

static const char conf[] =
	"[a]\n"
	"local = 192.0.2.1\n"
	"remote = 192.0.2.2\n"
	"psk = 0x00112233445566778899aabbccddeeff\n"
	"local_ts = 10.1.0.0/16\n"
	"remote_ts = 10.2.0.0/16\n"
	"ike = aes128gcm16-prfsha256-x25519\n"
	"esp = aes128gcm16-x25519, aes128gcm16\n"
	"ppk = 0x000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f\n"
	"ppk_id = fuzz\n"
	"start = trap\n"
	"[b]\n"
	"local = 192.0.2.2\n"
	"remote = 192.0.2.1\n"
	"psk = 0x00112233445566778899aabbccddeeff\n"
	"local_ts = 10.2.0.0/16\n"
	"remote_ts = 10.1.0.0/16\n"
	"ike = aes128gcm16-prfsha256-x25519-ecp256\n"
	"esp = aes128gcm16-x25519, aes128gcm16\n"
	"ppk = 0x000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f\n"
	"ppk_id = fuzz\n"
	"start = none\n";

/* The certificate pair: each "%s" a file of the fuzzer's PKI (cert_conf). */
static const char cert_text[] =
	"[a]\n"
	"local = 192.0.2.1\n"
	"remote = 192.0.2.2\n"
	"auth = pubkey\ncert = %s\nkey = %s\nca = %s\n"
	"remote_id = O=Fuzz, CN=*\n"
	"local_ts = 10.1.0.0/16\n"
	"remote_ts = 10.2.0.0/16\n"
	"ike = aes128gcm16-prfsha256-x25519\n"
	"esp = aes128gcm16\n"
	"start = trap\n"
	"[b]\n"
	"local = 192.0.2.2\n"
	"remote = 192.0.2.1\n"
	"auth = pubkey\ncert = %s\nkey = %s\nca = %s\n"
	"remote_id = O=Fuzz, CN=a.fuzz\n"
	"local_ts = 10.2.0.0/16\n"
	"remote_ts = 10.1.0.0/16\n"
	"ike = aes128gcm16-prfsha256-x25519\n"
	"esp = aes128gcm16\n"
	"start = none\n";

/* Remote access: b a gateway of any address with pools, a its client. */
static const char ra_text[] =
	"[a]\nlocal = 192.0.2.1\nremote = 192.0.2.2\nlocal_id = rw.example.org\n"
	"remote_id = gw.example.org\npsk = 0x00112233445566778899aabbccddeeff\n"
	"local_ts = 0.0.0.0/0, ::/0\nremote_ts = 10.2.0.0/16, fd02::/64\n"
	"ike = aes128gcm16-prfsha256-x25519\nesp = aes128gcm16\nstart = none\n"
	"[b]\nlocal = 192.0.2.2\nremote = %any\nlocal_id = gw.example.org\n"
	"remote_id = *.example.org\npsk = 0x00112233445566778899aabbccddeeff\n"
	"local_ts = 10.2.0.0/16, fd02::/64\npool = 10.99.0.0/30\npool6 = fd00:99::/126\n"
	"dns = 10.2.0.53, fd02::53\nike = aes128gcm16-prfsha256-x25519\nesp = aes128gcm16\n"
	"start = none\n";

/* The configurations, loaded once; play() puts the one it needs in iked.conf. */
static struct ike_config psk_conf, cert_conf, ra_conf;

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
	S_AUTH_REQUEST_CERT,	/* as S_AUTH_REQUEST, by certificates */
	S_AUTH_RESPONSE_CERT,	/* as S_AUTH_RESPONSE, by certificates */
	S_AUTH_FRAGMENTS,	/* as S_AUTH_REQUEST_CERT, in SKF fragments */
	S_AUTH_REQUEST_RA,	/* to b, a remote-access gateway: IKE_AUTH with CP */
	S_COUNT
};

static struct ike_config *conf_of(enum scenario s)
{
	if (s == S_AUTH_REQUEST_RA)
		return &ra_conf;
	return s >= S_AUTH_REQUEST_CERT ? &cert_conf : &psk_conf;
}

/* The scenario's place in IKE_SA_INIT and IKE_AUTH (0 to 3), or -1. */
static int setup_place(enum scenario s)
{
	switch (s) {
	case S_INIT_REQUEST: return 0;
	case S_INIT_RESPONSE: return 1;
	case S_AUTH_REQUEST: case S_AUTH_REQUEST_CERT: case S_AUTH_FRAGMENTS:
	case S_AUTH_REQUEST_RA:
		return 2;
	case S_AUTH_RESPONSE: case S_AUTH_RESPONSE_CERT: return 3;
	default: return -1;
	}
}

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
 * payloads.
 */
static void send_clear(const struct sent_msg *real, uint8_t first,
		       const uint8_t *chain, size_t len)
{
	struct ike_header hdr;
	struct ike_writer w;
	const char *err;

	if (ike_parse_header(real->data, real->len, &hdr, &err))
		return;
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

/* Fragments in the input's form: the chain cut in three, in order. */
static size_t as_fragments(const uint8_t *chain, size_t len, uint8_t *out)
{
	size_t part = (len + 2) / 3, off, o = 0, k;
	uint8_t num = 1;

	for (off = 0; off < len; off += k, num++) {
		k = len - off < part ? len - off : part;
		out[o++] = num;
		out[o++] = 3;
		out[o++] = (uint8_t)(k >> 8);
		out[o++] = (uint8_t)k;
		memcpy(out + o, chain + off, k);
		o += k;
	}
	return o;
}

/* The real message @m: recorded as the seed of @s, its chain in the clear
 * or opened with its receiver's keys.
 */
static void record_real(enum scenario s, const struct sent_msg *m)
{
	static uint8_t plain[IKE_MAX_MSG], frags[IKE_MAX_MSG + 16];
	struct ike_payload pl[IKE_MAX_PAYLOADS];
	unsigned int n;
	size_t len;

	if (m->data[18] == IKE_SA_INIT) {
		record(s, m->data[16], m->data + IKE_HDR_LEN, m->len - IKE_HDR_LEN);
		return;
	}
	n = harness_open(harness_sa_at(&m->to, m), m, plain, sizeof(plain), pl);
	len = n ? (size_t)(pl[n - 1].body + pl[n - 1].len - plain) : 0;
	if (s == S_AUTH_FRAGMENTS) {
		record(s, n ? pl[0].type : 0, frags, as_fragments(plain, len, frags));
	} else if (s == S_AUTH_REQUEST_RA) {
		struct ike_writer w;

		/* What a road warrior adds: the request for its addresses. */
		harness_chain_of(&w, pl, n);
		ike_put_cp(&w, IKE_CFG_REQUEST, harness_cp_request, HARNESS_CP_REQUEST_N);
		if (ike_writer_finish(&w))
			record(s, w.first_type, w.buf.data, w.buf.len);
		ike_buf_free(&w.buf);
	} else {
		record(s, n ? pl[0].type : 0, plain, len);
	}
}

/*
 * Like @real, in the fragments @input describes (as_fragments' form),
 * each an SKF payload sealed by the sender's IKE SA; the first says
 * @first. At most FRAG_MAX + 8 of them: duplicates and strays too.
 */
static void send_fragments(const struct sent_msg *real, uint8_t first,
			   const uint8_t *input, size_t len)
{
	unsigned int i;
	size_t off = 0, k;

	for (i = 0; i < FRAG_MAX + 8 && off + 4 <= len; i++, off += 4 + k) {
		k = (size_t)input[off + 2] << 8 | input[off + 3];
		if (k > len - off - 4)
			k = len - off - 4;
		if (!harness_send_fragment(real, first, input[off], input[off + 1],
					   input + off + 4, k, false))
			return;
	}
}

/* a up with b: both IKE SAs, a's CHILD SA. */
static bool establish(struct ike_sa **a)
{
	stub_side = at_a;
	ike_initiate(config_find(&iked.conf, "a"), NULL, NULL);
	harness_deliver(32);
	*a = sa_of("a");
	return *a && (*a)->state == IKE_S_ESTABLISHED && (*a)->children && sa_of("b");
}

/*
 * Brings the peers to scenario @s and hands over, in place of the message
 * due there, @chain (first payload @first), or records the real one.
 * Messages go b, a, b, a: in IKE_SA_INIT and IKE_AUTH the scenario is the
 * message's place; once up, a's request is the first, b's answer the next.
 */
static void play(enum scenario s, uint8_t first, const uint8_t *chain,
		 size_t len)
{
	int setup = setup_place(s);
	unsigned int i, place = setup >= 0 ? (unsigned int)setup :
				s <= S_INFO_REQUEST ? 0 : 1;
	time_t now = time(NULL);
	struct sent_msg m;
	struct ike_sa *a;

	harness_reset();
	iked.conf = *conf_of(s);
	rng = 0;
	if (setup >= 0) {
		stub_side = at_a;
		ike_initiate(config_find(&iked.conf, "a"), NULL, NULL);
	} else {
		if (!establish(&a))
			return;
		stub_side = at_a;
		if (s == S_CHILD_REQUEST || s == S_CHILD_REKEY_RESPONSE)
			child_rekey(a, a->children);
		else if (s == S_IKE_REKEY_RESPONSE)
			ike_rekey(a);
		else if (s == S_DELETE_RESPONSE)
			ike_send_delete_child(a, a->children);
		else
			ike_send_dpd(a);
	}
	for (i = 0; i <= place; i++) {
		if (!next_to(i % 2 ? &at_a : &at_b, &m))
			return;
		if (i < place) {
			stub_side = m.to;
			ike_receive(m.data, m.len, &m.to, &m.from);
		} else if (!chain) {
			record_real(s, &m);
		} else if (m.data[18] == IKE_SA_INIT) {
			send_clear(&m, first, chain, len);
		} else if (s == S_AUTH_FRAGMENTS) {
			send_fragments(&m, first, chain, len);
		} else {
			harness_send_sealed(&m, first, chain, len);
		}
		sent_free(&m);
		ike_sa_remove_dead();
	}
	harness_deliver(64);
	for (i = 1; i <= 40; i += 13) {
		harness_tick(now + i);
		harness_deliver(64);
	}
}

/*
 * An Ed25519 key from fixed bytes: the certificates made of these keys
 * (by a CA of a fixed key) verify in every run, and so do the AUTH
 * payloads of the seeds, which Ed25519 signs the same way each time.
 */
static EVP_PKEY *fixed_key(uint8_t fill)
{
	uint8_t raw[32];

	memset(raw, fill, sizeof(raw));
	return EVP_PKEY_new_raw_private_key(EVP_PKEY_ED25519, NULL, raw, sizeof(raw));
}

/* The fuzzer's PKI in a directory of its own, and the certificate pair. */
static void load_cert_conf(void)
{
	/* Valid for years, so that the seeds' certificates stay so. */
	struct pki_cert r = { .cn = "Fuzz CA", .o = "Fuzz", .ca = true,
			      .not_before = -86400, .not_after = 20 * 365 * 86400L };
	struct pki_cert la = { .cn = "a.fuzz", .o = "Fuzz", .serial = 2, .not_before = -86400,
			       .not_after = 20 * 365 * 86400L, .key_usage = "digitalSignature" };
	struct pki_cert lb = la;
	static char dir[] = "/tmp/iked-fuzz-pki-XXXXXX";
	EVP_PKEY *rk = fixed_key(1), *ka = fixed_key(2), *kb = fixed_key(3);
	X509 *root, *ca, *cb;
	char p[5][sizeof(dir) + 16], *text;
	unsigned int i;

	lb.cn = "b.fuzz";
	lb.serial = 3;
	root = pki_cert(&r, rk, NULL, NULL);
	ca = pki_cert(&la, ka, root, rk);
	cb = pki_cert(&lb, kb, root, rk);
	if (!mkdtemp(dir))
		abort();
	for (i = 0; i < 5; i++)
		snprintf(p[i], sizeof(p[i]), "%s/%u.pem", dir, i);
	if (!root || !ca || !cb || !pki_write_cert(p[0], ca) ||
	    !pki_write_key(p[1], ka) || !pki_write_cert(p[2], root) ||
	    !pki_write_cert(p[3], cb) || !pki_write_key(p[4], kb) ||
	    asprintf(&text, cert_text, p[0], p[1], p[2], p[3], p[4], p[2]) < 0)
		abort();
	harness_load(text);
	cert_conf = iked.conf;
	memset(&iked.conf, 0, sizeof(iked.conf));
	for (i = 0; i < 5; i++)
		unlink(p[i]);
	rmdir(dir);
	free(text);
	X509_free(root);
	X509_free(ca);
	X509_free(cb);
	EVP_PKEY_free(rk);
	EVP_PKEY_free(ka);
	EVP_PKEY_free(kb);
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	unsigned int s;

	(void)argc;
	(void)argv;
	load_cert_conf();
	harness_load(ra_text);
	ra_conf = iked.conf;
	memset(&iked.conf, 0, sizeof(iked.conf));
	harness_load(conf);
	psk_conf = iked.conf;
	record_dir = getenv("EXCHANGE_FUZZ_RECORD");
	if (record_dir) {
		for (s = 0; s < S_COUNT; s++)
			play(s, 0, NULL, 0);
		harness_reset();
		config_free(&cert_conf);
		config_free(&ra_conf);
		iked.conf = psk_conf;
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
