// SPDX-License-Identifier: GPL-2.0
/*
 * IKE_AUTH with certificates, two peers of one iked in the harness: each
 * key type, a chain sent along, a DN pattern for remote_id, one side by
 * certificate and the other by PSK; and the refusals: revoked, expired,
 * another CA, an identity the certificate does not carry, the wrong
 * method. A refusal leaves no IKE SA and no ESP SA on either side.
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/pem.h>

#include "../iked/certs.h"
#include "../iked/ikev2.h"
#include "harness/harness.h"
#include "harness/pki.h"
#include "tap.h"

/* Past iked's warning of certificates about to expire (30 days). */
#define LIFE	(90 * 86400L)

/* Whether the peers' SIGNATURE_HASH_ALGORITHMS are lost on the way. */
static bool no_hashes;

unsigned int __real_auth_peer_hashes(const struct ike_payload *pl, unsigned int n);
unsigned int __wrap_auth_peer_hashes(const struct ike_payload *pl, unsigned int n);

unsigned int __wrap_auth_peer_hashes(const struct ike_payload *pl, unsigned int n)
{
	return no_hashes ? 0 : __real_auth_peer_hashes(pl, n);
}

static char dir[] = "/tmp/iked-pubkey-XXXXXX";
static EVP_PKEY *root_key, *mid_key, *other_key;
static X509 *root, *mid, *other_root;

/* DIR/NAME */
static const char *path(const char *name)
{
	static char buf[8][256];
	static unsigned int i;

	i = (i + 1) % 8;
	snprintf(buf[i], sizeof(buf[i]), "%s/%s", dir, name);
	return buf[i];
}

/* A leaf @host.example.org of @type by @issuer, in DIR/NAME.pem (with
 * @issuer after it when that is the intermediate) and DIR/NAME.key.
 */
static void leaf_of(const char *name, const char *host, const char *type, long serial,
		    long not_after, X509 *issuer, EVP_PKEY *issuer_key)
{
	char cn[64], san[80], file[64];
	struct pki_cert o = { .cn = cn, .o = "Example", .serial = serial,
			      .not_before = -3600, .not_after = not_after,
			      .key_usage = "digitalSignature", .san = san };
	EVP_PKEY *key = pki_key(type);
	X509 *cert;
	FILE *f;

	snprintf(cn, sizeof(cn), "%s.example.org", host);
	snprintf(san, sizeof(san), "DNS:%s.example.org", host);
	cert = pki_cert(&o, key, issuer, issuer_key);
	snprintf(file, sizeof(file), "%s.pem", name);
	f = fopen(path(file), "w");
	if (!cert || !f || !PEM_write_X509(f, cert) ||
	    (issuer == mid && !PEM_write_X509(f, mid)) || fclose(f))
		exit(2);
	snprintf(file, sizeof(file), "%s.key", name);
	if (!pki_write_key(path(file), key))
		exit(2);
	X509_free(cert);
	EVP_PKEY_free(key);
}

static void leaf(const char *name, const char *type, long serial, long not_after,
		 X509 *issuer, EVP_PKEY *issuer_key)
{
	leaf_of(name, name, type, serial, not_after, issuer, issuer_key);
}

static void make_pki(void)
{
	struct pki_cert r = { .cn = "Root", .o = "Example", .ca = true,
			      .not_before = -7200, .not_after = LIFE };
	struct pki_cert m = { .cn = "Intermediate", .o = "Example", .ca = true,
			      .serial = 2, .not_before = -7200, .not_after = LIFE };
	struct pki_cert x = { .cn = "Other Root", .o = "Elsewhere", .ca = true,
			      .not_before = -7200, .not_after = LIFE };
	static const long revoked[] = { 13 };
	X509_CRL *crl;

	root_key = pki_key("P-384");
	mid_key = pki_key("RSA");
	other_key = pki_key("P-256");
	root = pki_cert(&r, root_key, NULL, NULL);
	mid = pki_cert(&m, mid_key, root, root_key);
	other_root = pki_cert(&x, other_key, NULL, NULL);
	crl = pki_crl(mid, mid_key, revoked, 1);
	if (!root || !mid || !other_root || !crl || !pki_write_cert(path("root.pem"), root) ||
	    !pki_write_cert(path("other.pem"), other_root) || !pki_write_crl(path("mid.crl"), crl))
		exit(2);
	X509_CRL_free(crl);
	leaf("a", "ED25519", 10, LIFE, mid, mid_key);
	leaf("b", "P-256", 11, LIFE, root, root_key);
	leaf("rsa", "RSA", 12, LIFE, mid, mid_key);
	leaf("p384", "P-384", 16, LIFE, mid, mid_key);
	leaf("soon", "P-256", 17, 10 * 86400 - 600, mid, mid_key);
	leaf("revoked", "P-256", 13, LIFE, mid, mid_key);
	leaf("expired", "P-256", 14, -60, mid, mid_key);
	leaf("stranger", "P-256", 15, LIFE, other_root, other_key);
	leaf("p521", "P-521", 18, LIFE, mid, mid_key);
	/* a's identity from the other CA as well: a CA being moved to */
	leaf_of("a-other", "a", "RSA", 19, LIFE, other_root, other_key);
	leaf_of("b-mid", "b", "ED25519", 20, LIFE, mid, mid_key);
	leaf_of("b-other", "b", "ED25519", 21, LIFE, other_root, other_key);
}

/* a and b in transport mode, each section ended by its @extra keys. */
static void load(const char *a_extra, const char *b_extra)
{
	char a[1024], b[1024];

	snprintf(a, sizeof(a), "remote_id = b.example.org\n%s", a_extra);
	snprintf(b, sizeof(b), "local_id = b.example.org\n%s", b_extra);
	harness_load_pair(a, b);
}

static char a_keys[512], b_keys[512];

/* auth = pubkey on both sides; a with certificate @a, as @a_id (NULL:
 * its subject).
 */
static void both_pubkey(const char *a, const char *a_id, const char *b_remote_id,
			const char *b_more)
{
	char a_cert[64], a_key[64], id[80] = "";

	snprintf(a_cert, sizeof(a_cert), "%s.pem", a);
	snprintf(a_key, sizeof(a_key), "%s.key", a);
	if (a_id)
		snprintf(id, sizeof(id), "local_id = %s\n", a_id);
	snprintf(a_keys, sizeof(a_keys),
		 "auth = pubkey\ncert = %s\nkey = %s\nca = %s\n%s", path(a_cert),
		 path(a_key), path("root.pem"), id);
	snprintf(b_keys, sizeof(b_keys),
		 "auth = pubkey\ncert = %s\nkey = %s\nca = %s\nremote_id = %s\n%s",
		 path("b.pem"), path("b.key"), path("root.pem"), b_remote_id, b_more);
	load(a_keys, b_keys);
}

static void test_works(void)
{
	const struct ike_sa *a, *b;

	both_pubkey("a", NULL, "O=Example, CN=*", "");
	harness_a_starts();
	a = harness_up("a");
	b = harness_up("b");
	TAP_CHECK(harness_working_pairs() == 1 && stub_nsas == 4,
		  "Ed25519 (through an intermediate, sent along) and P-256 certificates: up, SAs in both kernels");
	TAP_CHECK(a && b && !strcmp(a->peer_cert, "O = Example, CN = b.example.org") &&
		  !strcmp(b->peer_cert, "O = Example, CN = a.example.org") &&
		  b->peer_id_type == IKE_ID_DER_ASN1_DN,
		  "each side knows the other's certificate; a's identity is its subject DN (b took it by the pattern O=Example, CN=*)");
	TAP_CHECK(harness_ctl_says("certs", "a:\n  cert   \"O = Example, CN = a.example.org\" from \"O = Example, CN = Intermediate\", from 20") &&
		  harness_ctl_says("certs", "  chain  \"O = Example, CN = Intermediate\" from \"O = Example, CN = Root\"") &&
		  harness_ctl_says("certs", "  ca     \"O = Example, CN = Root\" from \"O = Example, CN = Root\""),
		  "ipsecctl ike certs: each connection's certificate, chain and CAs with their dates");
	TAP_CHECK(harness_ctl_says("json certs", "{\"name\":\"a\",\"certs\":[{\"role\":\"cert\",\"subject\":\"O = Example, CN = a.example.org\",\"issuer\":\"O = Example, CN = Intermediate\",\"not_before\":\"20") &&
		  harness_ctl_says("json certs", "{\"role\":\"ca\",\"subject\":\"O = Example, CN = Root\""),
		  "ipsecctl -j ike certs: the same as JSON");
	TAP_CHECK(harness_ctl_says("list", "auth   ours pubkey \"O = Example, CN = a.example.org\"; theirs pubkey \"O = Example, CN = b.example.org\" from \"O = Example, CN = Root\", until 20"),
		  "ipsecctl ike list shows both certificates, the peer's issuer and end");
	/* Rekeys keep what IKE_AUTH established: no new authentication. */
	stub_side = at_a;
	if (a)
		child_rekey((struct ike_sa *)a, a->children);
	harness_deliver(100);
	a = harness_up("a");
	stub_side = at_a;
	if (a)
		ike_rekey((struct ike_sa *)a);
	harness_deliver(100);
	ike_sa_remove_dead();
	a = harness_up("a");
	TAP_CHECK(harness_working_pairs() == 1 && stub_nsas == 4 && a &&
		  !strcmp(a->peer_cert, "O = Example, CN = b.example.org"),
		  "a CHILD rekey and an IKE rekey of the certificate-authenticated SA: one pair, SAs in both kernels, the certificate still known");
	both_pubkey("rsa", "rsa.example.org", "*.example.org", "");
	harness_a_starts();
	TAP_CHECK(harness_working_pairs() == 1,
		  "an RSA certificate, b's remote_id the pattern *.example.org: up");
	both_pubkey("rsa", "rsa.example.org", "*.example.org", "");
	config_find(&iked.conf, "a")->creds->rsa_pss = true;
	harness_a_starts();
	TAP_CHECK(harness_working_pairs() == 1,
		  "... signing with RSASSA-PSS (rsa_pss = yes): up");
	both_pubkey("p521", NULL, "O=Example, CN=*", "");
	harness_a_starts();
	TAP_CHECK(harness_working_pairs() == 1, "a P-521 certificate: up");
	/* Peers without RFC 7427: ECDSA by RFC 4754's methods 10 and 9. */
	no_hashes = true;
	both_pubkey("p384", NULL, "O=Example, CN=*", "");
	harness_a_starts();
	TAP_CHECK(harness_working_pairs() == 1,
		  "no SIGNATURE_HASH_ALGORITHMS: P-384 (method 10) and P-256 (method 9) certificates, up");
	both_pubkey("p521", NULL, "O=Example, CN=*", "");
	harness_a_starts();
	TAP_CHECK(harness_working_pairs() == 1, "... and P-521 (method 11), up");
	both_pubkey("a", NULL, "O=Example, CN=*", "");
	harness_a_starts();
	/* b's half of IKE_SA_INIT waits for an IKE_AUTH that never comes. */
	harness_tick(time(NULL) + 31);
	TAP_CHECK(!harness_working_pairs() && harness_nothing_left(),
		  "... where Ed25519 has no method without them: nothing up, nothing left once b's half-open SA times out");
	no_hashes = false;
}

/*
 * a presents the certificate @name (and its key) from now on, whatever
 * its configuration's checks would say: the peer of an attacker's kind.
 */
static void a_shows(const char *name)
{
	struct ike_creds *cr = config_find(&iked.conf, "a")->creds;
	struct ike_own_cert *o = &cr->own[0];
	char cert[64], key[64], err[512];

	snprintf(cert, sizeof(cert), "%s.pem", name);
	snprintf(key, sizeof(key), "%s.key", name);
	X509_free(o->cert);
	EVP_PKEY_free(cr->keys[0]);
	sk_X509_pop_free(o->chain, X509_free);
	o->cert = certs_load_cert(path(cert), err, sizeof(err));
	o->key = cr->keys[0] = certs_load_key(path(key), err, sizeof(err));
	if (!o->cert || !o->key || certs_load_chain(path(cert), &o->chain, err, sizeof(err)))
		exit(2);
}

static void test_refused(void)
{
	static const char *const refused[][2] = {
		{ "revoked", "revoked by the intermediate's CRL" },
		{ "expired", "expired" },
		{ "stranger", "of another CA" },
	};
	char crl[300];
	unsigned int i;

	snprintf(crl, sizeof(crl), "crl = %s\n", path("mid.crl"));
	for (i = 0; i < 3; i++) {
		both_pubkey("a", NULL, "O=Example, CN=*", crl);
		if (!i)
			TAP_CHECK(harness_ctl_says("certs", "  crl    of \"O = Example, CN = Intermediate\", 1 revoked, updated 20"),
				  "ipsecctl ike certs shows the CRL, its issuer and count");
		a_shows(refused[i][0]);
		harness_a_starts();
		TAP_CHECK(!harness_working_pairs() && harness_nothing_left(),
			  "a certificate %s: refused, nothing left on either side",
			  refused[i][1]);
	}
	/* The identity a claims is not in its certificate (made so by hand:
	 * iked -n refuses such a configuration).
	 */
	both_pubkey("a", "a.example.org", "*.example.org", "");
	config_find(&iked.conf, "a")->local_id.type = IKE_ID_FQDN;
	memcpy(config_find(&iked.conf, "a")->local_id.data, "x.example.org", 13);
	config_find(&iked.conf, "a")->local_id.len = 13;
	harness_a_starts();
	TAP_CHECK(!harness_working_pairs() && harness_nothing_left(),
		  "an identity that the certificate does not carry: refused");
}

/*
 * Delivers what is sent, each SKF fragment three times over, shuffled: a
 * copy with a broken ICV first, then itself twice. How many fragments
 * went, and the largest datagram.
 */
static unsigned int deliver_meddling(size_t *largest)
{
	struct sent_msg m;
	unsigned int frags = 0, went = 0;

	*largest = 0;
	harness_shuffle(7);
	while (went++ < 400 && harness_take(&m)) {
		bool skf = m.len > IKE_HDR_LEN && m.data[16] == IKE_PL_SKF;

		*largest = m.len > *largest ? m.len : *largest;
		stub_side = m.to;
		if (skf) {
			frags++;
			m.data[m.len - 1] ^= 1;
			ike_receive(m.data, m.len, &m.to, &m.from);
			m.data[m.len - 1] ^= 1;
			ike_receive(m.data, m.len, &m.to, &m.from);
		}
		ike_receive(m.data, m.len, &m.to, &m.from);
		sent_free(&m);
		ike_sa_remove_dead();
	}
	harness_shuffle(0);
	return frags;
}

/* RFC 7383: certificate chains over a small path, in fragments. */
static void test_fragments(void)
{
	static const char small[] = "fragment_size = 576\n";
	size_t largest;
	unsigned int frags;

	both_pubkey("rsa", "rsa.example.org", "*.example.org", small);
	/* a's fragment_size too: the keys after both_pubkey's go by hand. */
	config_find(&iked.conf, "a")->fragment_size = 576;
	stub_side = at_a;
	ike_initiate(config_find(&iked.conf, "a"), NULL, NULL);
	frags = deliver_meddling(&largest);
	TAP_CHECK(harness_working_pairs() == 1 && frags >= 4 && largest <= 576 - 28,
		  "RSA chains in fragments of at most 548 bytes (%u fragments, the largest datagram %zu bytes), shuffled, each after a copy with a broken ICV and again: up",
		  frags, largest);
}

/* Certificates not sent, or pinned: send_cert = no and remote_cert. */
static void test_pinned(void)
{
	char a[700], b[700];

	snprintf(b, sizeof(b), "auth = pubkey\ncert = %s\nkey = %s\nca = %s\n"
		 "remote_id = O=Example, CN=*\nsend_cert = no\n",
		 path("b.pem"), path("b.key"), path("root.pem"));
	snprintf(a, sizeof(a), "auth = pubkey\ncert = %s\nkey = %s\nca = %s\nremote_cert = %s\n",
		 path("a.pem"), path("a.key"), path("root.pem"), path("b.pem"));
	load(a, b);
	harness_a_starts();
	TAP_CHECK(harness_working_pairs() == 1,
		  "b sends no certificate (send_cert = no): a takes its remote_cert, verified by its ca");
	snprintf(a, sizeof(a), "auth = pubkey\ncert = %s\nkey = %s\nca = %s\n",
		 path("a.pem"), path("a.key"), path("root.pem"));
	load(a, b);
	harness_a_starts();
	TAP_CHECK(!harness_working_pairs() && harness_nothing_left(),
		  "... without remote_cert: refused, nothing left");
	snprintf(b, sizeof(b), "auth = pubkey\ncert = %s\nkey = %s\nca = %s\n"
		 "remote_id = O=Example, CN=*\n", path("b.pem"), path("b.key"), path("root.pem"));
	snprintf(a, sizeof(a), "auth = pubkey\nremote_auth = pubkey\ncert = %s\nkey = %s\nremote_cert = %s\n",
		 path("a.pem"), path("a.key"), path("b.pem"));
	load(a, b);
	harness_a_starts();
	TAP_CHECK(harness_working_pairs() == 1,
		  "remote_cert without ca: b's certificate, pinned, taken as it is");
	snprintf(a, sizeof(a), "auth = pubkey\nremote_auth = pubkey\ncert = %s\nkey = %s\nremote_cert = %s\n",
		 path("a.pem"), path("a.key"), path("p384.pem"));
	load(a, b);
	harness_a_starts();
	harness_tick(time(NULL) + 31);
	TAP_CHECK(!harness_working_pairs() && harness_nothing_left(),
		  "... and another certificate than the pinned one refused");
	/* Pinned, issued by the intermediate that follows it in its file. */
	snprintf(b, sizeof(b), "auth = pubkey\ncert = %s\nkey = %s\nca = %s\n"
		 "remote_id = O=Example, CN=*\nsend_cert = no\n",
		 path("b-mid.pem"), path("b-mid.key"), path("root.pem"));
	snprintf(a, sizeof(a), "auth = pubkey\ncert = %s\nkey = %s\nca = %s\nremote_cert = %s\n",
		 path("a.pem"), path("a.key"), path("root.pem"), path("b-mid.pem"));
	load(a, b);
	harness_a_starts();
	TAP_CHECK(harness_working_pairs() == 1,
		  "remote_cert issued by an intermediate (after it in the file), with ca: loads, verified through it, up");
}

/* Two certificates of a's, from two CAs: the one b's CERTREQ asks for. */
static void test_two_certs(void)
{
	char a[1200], b[700];
	const struct ike_sa *sb;

	snprintf(a, sizeof(a), "auth = pubkey\ncert = %s, %s\nkey = %s,%s\nca = %s, %s\n",
		 path("a.pem"), path("a-other.pem"), path("a-other.key"), path("a.key"),
		 path("root.pem"), path("other.pem"));
	snprintf(b, sizeof(b), "auth = pubkey\ncert = %s\nkey = %s\nca = %s\nremote_id = O=Example, CN=*\n",
		 path("b-other.pem"), path("b-other.key"), path("other.pem"));
	load(a, b);
	harness_a_starts();
	sb = harness_up("b");
	TAP_CHECK(harness_working_pairs() == 1 && sb &&
		  !strcmp(sb->peer_cert_issuer, "O = Elsewhere, CN = Other Root"),
		  "b trusts only the other CA: a shows its second certificate, from that CA; up");
	TAP_CHECK(harness_ctl_says("list", "auth   ours pubkey \"O = Example, CN = a.example.org\"; theirs pubkey \"O = Example, CN = b.example.org\""),
		  "ipsecctl ike list names the certificate a showed");
	TAP_CHECK(harness_ctl_says("certs", "a:\n  cert   \"O = Example, CN = a.example.org\" from \"O = Example, CN = Intermediate\"") &&
		  harness_ctl_says("certs", "  cert   \"O = Example, CN = a.example.org\" from \"O = Elsewhere, CN = Other Root\""),
		  "ipsecctl ike certs lists both");
	snprintf(b, sizeof(b), "auth = pubkey\ncert = %s\nkey = %s\nca = %s\nremote_id = O=Example, CN=*\n",
		 path("b.pem"), path("b.key"), path("root.pem"));
	load(a, b);
	harness_a_starts();
	sb = harness_up("b");
	TAP_CHECK(harness_working_pairs() == 1 && sb &&
		  !strcmp(sb->peer_cert_issuer, "O = Example, CN = Intermediate"),
		  "b trusts the first one's root: a shows the first, its chain through the intermediate");
	/* b as the initiator: its IKE_AUTH's CERTREQ decides a's answer. */
	snprintf(b, sizeof(b), "auth = pubkey\ncert = %s\nkey = %s\nca = %s\nremote_id = O=Example, CN=*\n",
		 path("b-other.pem"), path("b-other.key"), path("other.pem"));
	load(a, b);
	stub_side = at_b;
	ike_initiate(config_find(&iked.conf, "b"), NULL, NULL);
	harness_deliver(100);
	sb = harness_up("b");
	TAP_CHECK(harness_working_pairs() == 1 && sb &&
		  !strcmp(sb->peer_cert_issuer, "O = Elsewhere, CN = Other Root"),
		  "a as the responder: the certificate b's IKE_AUTH asks for");
}

static void test_mixed(void)
{
	static const char psk[] = "psk = 0x00112233445566778899aabbccddeeff\n";
	char a[600], b[600];

	/* a shows a certificate and takes b's PSK; b the other way round. */
	snprintf(a, sizeof(a), "auth = pubkey\nremote_auth = psk\ncert = %s\nkey = %s\n%s",
		 path("a.pem"), path("a.key"), psk);
	snprintf(b, sizeof(b), "auth = psk\nremote_auth = pubkey\nca = %s\nremote_id = O=Example, CN=a.example.org\n%s",
		 path("root.pem"), psk);
	load(a, b);
	harness_a_starts();
	TAP_CHECK(harness_working_pairs() == 1, "a by certificate, b by PSK: up");
	/* b wants a certificate; a comes with its PSK, as b's remote_id. */
	snprintf(a, sizeof(a), "local_id = O=Example, CN=a.example.org\n%s", psk);
	load(a, b);
	harness_a_starts();
	TAP_CHECK(!harness_working_pairs() && harness_nothing_left(),
		  "b wants a certificate, a authenticates by PSK: refused");
}

/* What iked -n says of configurations with certificates. */
static void test_config(void)
{
	char text[1024];
	const char *said;

#define CONF(...) (snprintf(text, sizeof(text), "[c]\nlocal = 192.0.2.1\nremote = 192.0.2.2\n" \
			    "mode = transport\n" __VA_ARGS__), harness_conf_says(text))
	said = CONF("auth = pubkey\ncert = %s\nkey = %s\nca = %s\n", path("a.pem"),
		    path("b.key"), path("root.pem"));
	TAP_CHECK(strstr(said, "its key is not among key = "), "a key that is not the certificate's: %s",
		  said);
	said = CONF("auth = pubkey\ncert = %s\nkey = %s, %s\nca = %s\n", path("a.pem"),
		    path("a.key"), path("b.key"), path("root.pem"));
	TAP_CHECK(strstr(said, "b.key is the key of no cert"), "a key of no certificate: %s",
		  said);
	said = CONF("auth = pubkey\ncert = %s,%s,%s,%s,%s\nkey = %s\nca = %s\n", path("a.pem"),
		    path("a.pem"), path("a.pem"), path("a.pem"), path("a.pem"), path("a.key"),
		    path("root.pem"));
	TAP_CHECK(strstr(said, "more than 4 certificates"), "five certificates: %s", said);
	said = CONF("auth = pubkey\ncert = %s, %s\nkey = %s, %s\nca = %s, %s\n", path("a.pem"),
		    path("b.pem"), path("a.key"), path("b.key"), path("root.pem"), path("other.pem"));
	TAP_CHECK(strstr(said, "the first cert's subject 'O = Example, CN = a.example.org' is not in cert") &&
		  strstr(said, "b.pem"),
		  "two certificates of two identities: %s", said);
	said = CONF("auth = psk\npsk = 0x00112233445566778899aabbccddeeff\nrsa_pss = yes\n");
	TAP_CHECK(strstr(said, "rsa_pss is for auth = pubkey"), "rsa_pss with a PSK: %s", said);
	said = CONF("auth = pubkey\ncert = %s\nkey = %s\nca = %s\nremote_cert = %s\n",
		    path("a.pem"), path("a.key"), path("root.pem"), path("rsa.pem"));
	TAP_CHECK(!*said, "remote_cert issued by an intermediate in its file: no complaint (%s)",
		  said);
	said = CONF("auth = pubkey\ncert = %s\nkey = %s\n", path("a.pem"), path("a.key"));
	TAP_CHECK(strstr(said, "remote_auth = pubkey needs ca"),
		  "the peer to show a certificate, and no ca: %s", said);
	said = CONF("auth = pubkey\ncert = %s\nkey = %s\nca = %s\nlocal_id = b.example.org\n",
		    path("a.pem"), path("a.key"), path("root.pem"));
	TAP_CHECK(strstr(said, "local_id 'b.example.org' is not in cert"),
		  "a local_id the certificate does not carry: %s", said);
	said = CONF("auth = pubkey\ncert = %s\nkey = %s\nca = %s\npsk = 0x00112233445566778899aabbccddeeff\n",
		    path("a.pem"), path("a.key"), path("root.pem"));
	TAP_CHECK(strstr(said, "a psk is for auth = psk"), "a psk nobody uses: %s", said);
	said = CONF("auth = pubkey\ncert = %s\nkey = %s\nca = %s\n", path("stranger.pem"),
		    path("stranger.key"), path("root.pem"));
	TAP_CHECK(strstr(said, "unable to get local issuer"),
		  "our certificate does not chain to our ca: %s", said);
	said = CONF("auth = pubkey\ncert = %s\nkey = %s\nca = %s\n", path("soon.pem"),
		    path("soon.key"), path("root.pem"));
	TAP_CHECK(strstr(said, "warning: cert") && strstr(said, "expires in 9 day(s)"),
		  "a certificate that expires in 10 days: a warning (%s)", said);
	said = CONF("auth = pubkey\ncert = %s\nkey = %s\nca = %s\n", path("a.pem"),
		    path("mid.crl"), path("root.pem"));
	TAP_CHECK(strstr(said, "no unencrypted PEM private key"), "a key file without a key: %s",
		  said);
	said = CONF("auth = psk\npsk = 0x00112233445566778899aabbccddeeff\ncert = %s\n",
		    path("a.pem"));
	TAP_CHECK(strstr(said, "cert and key are for auth = pubkey"),
		  "a certificate with auth = psk: %s", said);
	said = CONF("auth = cert\n");
	TAP_CHECK(strstr(said, "invalid auth 'cert' (expected psk or pubkey)"),
		  "an auth that is not psk or pubkey: %s", said);
	said = CONF("auth = pubkey\nremote_auth = psk\npsk = 0x00112233445566778899aabbccddeeff\n"
		    "cert = %s\nkey = %s\nremote_id = O=Example, XYZ=1\n", path("a.pem"),
		    path("a.key"));
	TAP_CHECK(strstr(said, "invalid remote_id 'O=Example, XYZ=1' (a DN: 'XYZ=1': not a known attribute"),
		  "a DN with an attribute OpenSSL does not know: %s", said);
#undef CONF
}

int main(void)
{
	char rm[64];

	if (!mkdtemp(dir))
		return 2;
	make_pki();
	test_config();
	test_works();
	test_refused();
	test_pinned();
	test_two_certs();
	test_fragments();
	test_mixed();
	harness_end();
	snprintf(rm, sizeof(rm), "rm -rf %s", dir);
	if (system(rm))
		return 2;
	X509_free(root);
	X509_free(mid);
	X509_free(other_root);
	EVP_PKEY_free(root_key);
	EVP_PKEY_free(mid_key);
	EVP_PKEY_free(other_key);
	return tap_done();
}
