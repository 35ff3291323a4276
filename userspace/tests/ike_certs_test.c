// SPDX-License-Identifier: GPL-2.0
/*
 * iked's X.509 (certs.c) and RFC 7427 signatures (sig.c): known answers
 * for RSA and Ed25519 against the openssl CLI, its ECDSA signatures
 * verified, each key type signing and
 * verifying, SHA-1 refused; chains, dates, key usage, CRLs, identities
 * and their patterns, CERTREQ hashes, and the files keys come from, on a
 * PKI the test makes.
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <openssl/core_names.h>
#include <openssl/pem.h>
#include <openssl/rsa.h>

#include "../iked/certs.h"
#include "../iked/creds.h"
#include "../iked/ikev2.h"
#include "../iked/sig.h"
#include "harness/pki.h"
#include "tap.h"

static const char kat_msg[] = "IKE signed octets: the known answer";

/* openssl dgst -sha256 -sign (pki_rsa_pem) of kat_msg */
static const char kat_rsa_sig[] =
	"101885c4fbdaff9daa7c748406809a2215ae934149e4fcb94145d73b10f49725"
	"6e161cfd5c299babd1a841918336d8a7e37462a1e6d1f699ae884196741cb94d"
	"3404fad4f76d5786088bfaf3f5d1d317f2c5f15da3b912d5b9bf2a15b0c987de"
	"74dfd068fa7190eb994d94c64fe570156f8cf2870eca865944a864bd006ad620"
	"47e506c325e45b3b35f5865aab17c6668071935f34fc4d505905b3f526de7dcf"
	"65fc065f126b74ed143c1560be5cfa9a564f116eaac6b6c71b12a5e67af87815"
	"a500cd7a73c067ae4b220711e8406653e2a2b9ee0514b9abd2b2a34ed140aa58"
	"d2d5d4e8fe87d28873a09e2e0ef343474cdcaac6a58ec0934625e0cd030bf1cd";
/* openssl pkeyutl -sign -rawin, the Ed25519 key of bytes 0..31 */
static const char kat_ed_sig[] =
	"31198d642f00260b99855fea664779681e114fb9d4aed72a4b01318e1853cbd1"
	"6a9f365992207ca5fe5e51f562d770c0af5270d46829a6c9f738167ea4db6b0e";

/* openssl genpkey (P-256, P-384); openssl dgst -sha256 / -sha384 -sign of kat_msg */
static const char kat_p256_pub[] =
	"-----BEGIN PUBLIC KEY-----\n"
	"MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAE7C3G+eAX0kSmdGjalN4bWejQiCZs\n"
	"ySE9DY5r1/15sM8ziK9PUFYlQ2ZsqIq96rxy9rMNjeYFuok652F0Sokijg==\n"
	"-----END PUBLIC KEY-----\n";
static const char kat_p256_der[] =
	"30450220686bc9e8bdd0b99b926adfa5ec51c6e98ade3fa2f63057757a2ba55e1ab8b0f9"
	"022100ffc2d54bb8506560267ee6a203e862c422e6c0a40a46a5e37ec745ffac6b5361";
static const char kat_p384_pub[] =
	"-----BEGIN PUBLIC KEY-----\n"
	"MHYwEAYHKoZIzj0CAQYFK4EEACIDYgAEn7wckmufherzxe2TSE9qwfFCMc8ebTjd\n"
	"3AEXbVJ85YzxxaNUlSnsCOGvrR3ax4ltNB2szokHZLyfcPLohjxusyzsX8QlGY03\n"
	"6Xf6zDIVhm9zATA4EQFI/18iGIVw8xFt\n"
	"-----END PUBLIC KEY-----\n";
static const char kat_p384_rs[] =
	"a75981b99847cfa0d4d084d5f7a893c044848747a86d6d46547e1a2265a4db2940db5aece5f39e81"
	"3efa358aad83d3c453693d886544771452ddff449e93120c54cb564d4d4681a506b8c1cd2751382502"
	"224b9aa2dcc94b19f40df1e5086588";

static const uint8_t *octets = (const uint8_t *)kat_msg;
static const size_t octets_len = sizeof(kat_msg) - 1;
static char err[512];

static bool hex_is(const uint8_t *p, size_t len, const char *hex)
{
	char buf[3];
	size_t i;

	if (strlen(hex) != 2 * len)
		return false;
	for (i = 0; i < len; i++) {
		snprintf(buf, sizeof(buf), "%02x", p[i]);
		if (memcmp(buf, hex + 2 * i, 2))
			return false;
	}
	return true;
}

/* The signature after the AlgorithmIdentifier of method 14's data. */
static const uint8_t *sig_of(const struct ike_buf *b, size_t *len)
{
	*len = b->len - 1 - b->data[0];
	return b->data + 1 + b->data[0];
}

static void test_known_answers(void)
{
	uint8_t raw[32];
	EVP_PKEY *rsa = pki_key("RSA"), *ed;
	struct ike_buf a = { 0 }, b = { 0 };
	const uint8_t *s;
	size_t len;
	unsigned int i;

	for (i = 0; i < sizeof(raw); i++)
		raw[i] = (uint8_t)i;
	ed = EVP_PKEY_new_raw_private_key(EVP_PKEY_ED25519, NULL, raw, sizeof(raw));
	TAP_CHECK(rsa && !sig_sign(rsa, false, IKE_HASH_BIT(IKE_HASH_SHA256), octets, octets_len,
				   &a, err, sizeof(err)) &&
		  (s = sig_of(&a, &len)) && hex_is(s, len, kat_rsa_sig),
		  "RSA PKCS#1 v1.5 with SHA-256: the openssl CLI's signature");
	TAP_CHECK(ed && !sig_sign(ed, false, IKE_HASHES_OURS, octets, octets_len, &b, err,
				  sizeof(err)) &&
		  (s = sig_of(&b, &len)) && hex_is(s, len, kat_ed_sig) &&
		  hex_is(b.data, 8, "07300506032b6570"),
		  "Ed25519 (RFC 8420): the CLI's signature, behind id-Ed25519");
	ike_buf_free(&a);
	ike_buf_free(&b);
	EVP_PKEY_free(rsa);
	EVP_PKEY_free(ed);
}

static size_t unhex(const char *hex, uint8_t *out)
{
	size_t i, n = strlen(hex) / 2;
	unsigned int v;

	for (i = 0; i < n; i++) {
		if (sscanf(hex + 2 * i, "%2x", &v) != 1)
			return 0;
		out[i] = (uint8_t)v;
	}
	return n;
}

static EVP_PKEY *pub_of(const char *pem)
{
	BIO *bio = BIO_new_mem_buf(pem, -1);
	EVP_PKEY *k = bio ? PEM_read_bio_PUBKEY(bio, NULL, NULL, NULL) : NULL;

	BIO_free(bio);
	return k;
}

/* ECDSA signatures made by the openssl CLI, verified in both forms. */
static void test_ecdsa_known_answers(void)
{
	/* length, then ecdsa-with-SHA256's AlgorithmIdentifier (RFC 7427 A.3) */
	static const uint8_t algid[] = { 12, 0x30, 0x0a, 0x06, 0x08, 0x2a, 0x86, 0x48, 0xce,
					 0x3d, 0x04, 0x03, 0x02 };
	EVP_PKEY *p256 = pub_of(kat_p256_pub), *p384 = pub_of(kat_p384_pub);
	uint8_t auth[256], rs[96];
	size_t len;

	memcpy(auth, algid, sizeof(algid));
	len = sizeof(algid) + unhex(kat_p256_der, auth + sizeof(algid));
	TAP_CHECK(p256 && !sig_verify(p256, auth, len, octets, octets_len, err, sizeof(err)),
		  "P-256, SHA-256: the openssl CLI's signature verifies in RFC 7427's form");
	auth[len - 1] ^= 1;
	TAP_CHECK(sig_verify(p256, auth, len, octets, octets_len, err, sizeof(err)),
		  "... not with its last byte changed");
	len = unhex(kat_p384_rs, rs);
	TAP_CHECK(p384 && len == 96 &&
		  !sig_ecdsa_verify(p384, IKE_AUTH_ECDSA_P384, rs, len, octets, octets_len, err,
				    sizeof(err)),
		  "P-384, SHA-384: the CLI's signature, as r and s, verifies as RFC 4754's method 10");
	EVP_PKEY_free(p256);
	EVP_PKEY_free(p384);
}

static void test_each_key_type(void)
{
	static const char *const types[] = { "RSA", "P-256", "P-384", "P-521", "ED25519",
					     "RSA-PSS" };
	unsigned int i;

	for (i = 0; i < sizeof(types) / sizeof(types[0]); i++) {
		EVP_PKEY *key = pki_key(types[i]), *other = pki_key("P-256");
		struct ike_buf b = { 0 };
		uint8_t changed[sizeof(kat_msg)];
		bool signs, verifies, tamper, wrong_key;

		memcpy(changed, kat_msg, sizeof(changed));
		changed[3] ^= 1;
		signs = !sig_sign(key, false, IKE_HASHES_OURS, octets, octets_len, &b, err,
				  sizeof(err));
		verifies = signs && !sig_verify(key, b.data, b.len, octets, octets_len,
						err, sizeof(err));
		tamper = signs && sig_verify(key, b.data, b.len, changed, octets_len,
					     err, sizeof(err));
		wrong_key = signs && sig_verify(other, b.data, b.len, octets, octets_len,
						err, sizeof(err));
		TAP_CHECK(verifies && tamper && wrong_key,
			  "%s: signs, verifies; other octets or another key do not", types[i]);
		ike_buf_free(&b);
		EVP_PKEY_free(key);
		EVP_PKEY_free(other);
	}
}

static void test_weak_refused(void)
{
	EVP_PKEY *rsa = pki_key("RSA"), *ed = pki_key("ED25519");
	uint8_t auth[600], *sig = auth + 16;
	static const uint8_t sha1_rsa[] = { 15, 0x30, 0x0d, 0x06, 0x09, 0x2a, 0x86,
		0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x05, 0x05, 0x00 };
	struct ike_buf b = { 0 };
	EVP_MD_CTX *ctx = EVP_MD_CTX_new();
	size_t len = sizeof(auth) - 16;
	bool refused;

	TAP_CHECK(sig_sign(rsa, false, IKE_HASH_BIT(IKE_HASH_SHA1), octets, octets_len, &b,
			   err, sizeof(err)) && strstr(err, "SIGNATURE_HASH_ALGORITHMS"),
		  "a peer that takes only SHA-1: iked does not sign (%s)", err);
	TAP_CHECK(sig_sign(ed, false, IKE_HASH_BIT(IKE_HASH_SHA256), octets, octets_len, &b,
			   err, sizeof(err)),
		  "Ed25519 needs the peer to take the identity hash");
	/* sha1WithRSAEncryption, made by hand: a valid signature, refused. */
	memcpy(auth, sha1_rsa, sizeof(sha1_rsa));
	refused = ctx && EVP_DigestSignInit(ctx, NULL, EVP_sha1(), NULL, rsa) == 1 &&
		  EVP_DigestSign(ctx, sig, &len, octets, octets_len) == 1 &&
		  sig_verify(rsa, auth, 16 + len, octets, octets_len, err, sizeof(err)) &&
		  strstr(err, "SHA-1");
	TAP_CHECK(refused, "an RSA signature with SHA-1 is refused as weak (%s)", err);
	TAP_CHECK(sig_verify(rsa, auth, 3, octets, octets_len, err, sizeof(err)) &&
		  sig_verify(rsa, (const uint8_t *)"\x40", 1, octets, octets_len, err,
			     sizeof(err)),
		  "cut AUTH data: refused (%s)", err);
	EVP_MD_CTX_free(ctx);
	EVP_PKEY_free(rsa);
	EVP_PKEY_free(ed);
}

/* Method 14's data of an RSASSA-PSS signature of @md, made by OpenSSL. */
static size_t pss_auth(EVP_PKEY *rsa, const EVP_MD *md, uint8_t *auth, size_t cap)
{
	uint8_t algid[128];
	OSSL_PARAM params[] = {
		OSSL_PARAM_construct_octet_string(OSSL_SIGNATURE_PARAM_ALGORITHM_ID,
						  algid, sizeof(algid)),
		OSSL_PARAM_END
	};
	EVP_MD_CTX *ctx = EVP_MD_CTX_new();
	EVP_PKEY_CTX *pctx = NULL;
	size_t alen, len = 0;

	if (!ctx || EVP_DigestSignInit(ctx, &pctx, md, NULL, rsa) != 1 ||
	    EVP_PKEY_CTX_set_rsa_padding(pctx, RSA_PKCS1_PSS_PADDING) != 1 ||
	    EVP_PKEY_CTX_set_rsa_mgf1_md(pctx, md) != 1 ||
	    EVP_PKEY_CTX_set_rsa_pss_saltlen(pctx, EVP_MD_get_size(md)) != 1 ||
	    EVP_PKEY_CTX_get_params(pctx, params) != 1)
		goto done;
	alen = params[0].return_size;
	auth[0] = (uint8_t)alen;
	memcpy(auth + 1, algid, alen);
	len = cap - 1 - alen;
	if (EVP_DigestSign(ctx, auth + 1 + alen, &len, octets, octets_len) != 1)
		len = 0;
	else
		len += 1 + alen;
done:
	EVP_MD_CTX_free(ctx);
	return len;
}

/* RSASSA-PSS (RFC 7427 A.4), as peers that prefer it sign. */
static void test_pss(void)
{
	EVP_PKEY *rsa = pki_key("RSA");
	uint8_t auth[600];
	size_t len;

	len = pss_auth(rsa, EVP_sha384(), auth, sizeof(auth));
	TAP_CHECK(len && !sig_verify(rsa, auth, len, octets, octets_len, err, sizeof(err)),
		  "RSASSA-PSS with SHA-384 and MGF1-SHA-384: verified");
	auth[len - 1] ^= 1;
	TAP_CHECK(sig_verify(rsa, auth, len, octets, octets_len, err, sizeof(err)),
		  "... not with its last byte changed");
	len = pss_auth(rsa, EVP_sha1(), auth, sizeof(auth));
	TAP_CHECK(len && sig_verify(rsa, auth, len, octets, octets_len, err, sizeof(err)) &&
		  strstr(err, "RSASSA-PSS parameters"),
		  "RSASSA-PSS with SHA-1: refused (%s)", err);
	EVP_PKEY_free(rsa);
}

/* Whether @auth (method 14's data) verifies as RSASSA-PSS of @md, MGF1 of
 * @md and a salt of its length, checked by OpenSSL without sig.c.
 */
static bool pss_as_openssl_says(EVP_PKEY *rsa, const EVP_MD *md, const struct ike_buf *auth)
{
	EVP_MD_CTX *ctx = EVP_MD_CTX_new();
	EVP_PKEY_CTX *pctx = NULL;
	const uint8_t *s;
	size_t len;
	bool ok;

	s = sig_of(auth, &len);
	ok = ctx && EVP_DigestVerifyInit(ctx, &pctx, md, NULL, rsa) == 1 &&
	     EVP_PKEY_CTX_set_rsa_padding(pctx, RSA_PKCS1_PSS_PADDING) == 1 &&
	     EVP_PKEY_CTX_set_rsa_mgf1_md(pctx, md) == 1 &&
	     EVP_PKEY_CTX_set_rsa_pss_saltlen(pctx, EVP_MD_get_size(md)) == 1 &&
	     EVP_DigestVerify(ctx, s, len, octets, octets_len) == 1;
	EVP_MD_CTX_free(ctx);
	return ok;
}

/* Our RSASSA-PSS: with rsa_pss = yes, or always with an RSA-PSS key. */
static void test_pss_signing(void)
{
	/* DER of id-RSASSA-PSS (1.2.840.113549.1.1.10), after SEQUENCE's header */
	static const uint8_t pss_oid[] = { 0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d,
					   0x01, 0x01, 0x0a };
	EVP_PKEY *rsa = pki_key("RSA"), *pss_key = pki_key("RSA-PSS");
	struct ike_buf a = { 0 }, b = { 0 }, c = { 0 };

	TAP_CHECK(rsa && !sig_sign(rsa, true, IKE_HASH_BIT(IKE_HASH_SHA384), octets,
				   octets_len, &a, err, sizeof(err)) &&
		  a.len > 2 + sizeof(pss_oid) && !memcmp(a.data + 3, pss_oid, sizeof(pss_oid)) &&
		  pss_as_openssl_says(rsa, EVP_sha384(), &a) &&
		  !sig_verify(rsa, a.data, a.len, octets, octets_len, err, sizeof(err)),
		  "rsa_pss: RSASSA-PSS with SHA-384, MGF1-SHA-384, a salt of 48: OpenSSL and sig_verify take it");
	TAP_CHECK(!sig_sign(rsa, false, IKE_HASH_BIT(IKE_HASH_SHA384), octets, octets_len,
			    &b, err, sizeof(err)) && memcmp(b.data + 3, pss_oid, sizeof(pss_oid)) &&
		  !pss_as_openssl_says(rsa, EVP_sha384(), &b),
		  "without it: PKCS#1 v1.5");
	TAP_CHECK(pss_key && !sig_sign(pss_key, false, IKE_HASHES_OURS, octets, octets_len,
				       &c, err, sizeof(err)) &&
		  !memcmp(c.data + 3, pss_oid, sizeof(pss_oid)) &&
		  pss_as_openssl_says(pss_key, EVP_sha256(), &c),
		  "an RSA-PSS key signs RSASSA-PSS, SHA-256 first");
	ike_buf_free(&a);
	ike_buf_free(&b);
	ike_buf_free(&c);
	EVP_PKEY_free(rsa);
	EVP_PKEY_free(pss_key);
}

/* RFC 4754's ECDSA methods, for peers without SIGNATURE_HASH_ALGORITHMS. */
static void test_ecdsa_methods(void)
{
	EVP_PKEY *p256 = pki_key("P-256"), *p384 = pki_key("P-384"), *ed = pki_key("ED25519");
	EVP_PKEY *p521 = pki_key("P-521");
	struct ike_buf a = { 0 }, b = { 0 };
	uint8_t changed[sizeof(kat_msg)];

	memcpy(changed, kat_msg, sizeof(changed));
	changed[0] ^= 1;
	TAP_CHECK(sig_method(p256, 0) == IKE_AUTH_ECDSA_P256 &&
		  sig_method(p384, 0) == IKE_AUTH_ECDSA_P384 &&
		  sig_method(p256, IKE_HASHES_OURS) == IKE_AUTH_DIGITAL_SIGNATURE &&
		  sig_method(ed, 0) == IKE_AUTH_DIGITAL_SIGNATURE,
		  "without the peer's hash list ECDSA keys sign by method 9 or 10; with it, and Ed25519 always, by 14");
	TAP_CHECK(!sig_ecdsa_sign(p256, IKE_AUTH_ECDSA_P256, octets, octets_len, &a, err,
				  sizeof(err)) && a.len == 64 &&
		  !sig_ecdsa_verify(p256, IKE_AUTH_ECDSA_P256, a.data, a.len, octets,
				    octets_len, err, sizeof(err)) &&
		  sig_ecdsa_verify(p256, IKE_AUTH_ECDSA_P256, a.data, a.len, changed,
				   octets_len, err, sizeof(err)),
		  "method 9: r and s of 32 bytes; verifies, and not over other octets");
	TAP_CHECK(!sig_ecdsa_sign(p384, IKE_AUTH_ECDSA_P384, octets, octets_len, &b, err,
				  sizeof(err)) && b.len == 96 &&
		  !sig_ecdsa_verify(p384, IKE_AUTH_ECDSA_P384, b.data, b.len, octets,
				    octets_len, err, sizeof(err)),
		  "method 10: r and s of 48 bytes; verifies");
	ike_buf_free(&b);
	TAP_CHECK(sig_method(p521, 0) == IKE_AUTH_ECDSA_P521 &&
		  !sig_ecdsa_sign(p521, IKE_AUTH_ECDSA_P521, octets, octets_len, &b, err,
				  sizeof(err)) && b.len == 132 &&
		  !sig_ecdsa_verify(p521, IKE_AUTH_ECDSA_P521, b.data, b.len, octets,
				    octets_len, err, sizeof(err)) &&
		  sig_ecdsa_verify(p521, IKE_AUTH_ECDSA_P521, b.data, b.len, changed,
				   octets_len, err, sizeof(err)),
		  "method 11 (P-521, SHA-512): r and s of 66 bytes; verifies, not over other octets");
	ike_buf_free(&b);
	TAP_CHECK(sig_ecdsa_verify(p384, IKE_AUTH_ECDSA_P256, a.data, a.len, octets,
				   octets_len, err, sizeof(err)) &&
		  sig_ecdsa_verify(p256, IKE_AUTH_ECDSA_P256, a.data, a.len - 1, octets,
				   octets_len, err, sizeof(err)) &&
		  sig_ecdsa_sign(ed, IKE_AUTH_ECDSA_P256, octets, octets_len, &b, err, sizeof(err)),
		  "the method of another curve, a cut signature, a key that is not ECDSA: refused (%s)",
		  err);
	ike_buf_free(&a);
	ike_buf_free(&b);
	EVP_PKEY_free(p256);
	EVP_PKEY_free(p384);
	EVP_PKEY_free(p521);
	EVP_PKEY_free(ed);
}

/* The test's PKI. */
static EVP_PKEY *root_key, *mid_key, *leaf_key, *other_key;
static X509 *root, *mid, *leaf, *other_root;
static STACK_OF(X509) *mids;
static struct ike_trust trust;

static X509 *leaf_with(const struct pki_cert *o)
{
	return pki_cert(o, leaf_key, mid, mid_key);
}

static void make_pki(void)
{
	struct pki_cert r = { .cn = "Test Root", .o = "Example", .ca = true,
			      .not_before = -3600, .not_after = 7 * 86400 };
	struct pki_cert m = { .cn = "Test Intermediate", .o = "Example", .ca = true,
			      .serial = 2, .not_before = -3600, .not_after = 7 * 86400 };
	struct pki_cert l = { .cn = "gw.example.org", .o = "Example", .serial = 3,
			      .not_before = -60, .key_usage = "digitalSignature",
			      .san = "DNS:gw.example.org,email:ops@example.org,IP:192.0.2.1" };
	struct pki_cert x = { .cn = "Other Root", .o = "Elsewhere", .ca = true,
			      .not_before = -60 };

	root_key = pki_key("P-256");
	mid_key = pki_key("RSA");
	leaf_key = pki_key("ED25519");
	other_key = pki_key("P-256");
	root = pki_cert(&r, root_key, NULL, NULL);
	mid = pki_cert(&m, mid_key, root, root_key);
	leaf = leaf_with(&l);
	other_root = pki_cert(&x, other_key, NULL, NULL);
	mids = sk_X509_new_null();
	if (!leaf || !other_root || !mids || !sk_X509_push(mids, mid) ||
	    certs_trust_init(&trust) || !X509_STORE_add_cert(trust.store, root) ||
	    !X509_up_ref(root) || !sk_X509_push(trust.cas, root))
		exit(2);
	X509_up_ref(mid);
}

static void test_chains(void)
{
	struct pki_cert expired = { .cn = "old", .serial = 4, .not_before = -7200,
				    .not_after = -3600 };
	struct pki_cert early = { .cn = "early", .serial = 5, .not_before = 3600 };
	struct pki_cert no_sign = { .cn = "enc", .serial = 6,
				    .key_usage = "keyEncipherment" };
	struct pki_cert stranger = { .cn = "stranger", .serial = 7 };
	X509 *c;

	TAP_CHECK(!certs_verify(&trust, leaf, mids, 0, err, sizeof(err)),
		  "a leaf through its intermediate to the root: verified");
	TAP_CHECK(certs_verify(&trust, leaf, NULL, 0, err, sizeof(err)) &&
		  strstr(err, "gw.example.org") && strstr(err, "issuer"),
		  "without the intermediate: refused, subject and reason named (%s)", err);
	c = leaf_with(&expired);
	TAP_CHECK(c && certs_verify(&trust, c, mids, 0, err, sizeof(err)) &&
		  strstr(err, "expired"), "an expired certificate: refused (%s)", err);
	X509_free(c);
	c = leaf_with(&early);
	TAP_CHECK(c && certs_verify(&trust, c, mids, 0, err, sizeof(err)) &&
		  strstr(err, "not yet valid"), "a certificate not yet valid: refused (%s)", err);
	TAP_CHECK(!certs_verify(&trust, c, mids, time(NULL) + 7200, err, sizeof(err)),
		  "... and taken at a time it is valid");
	X509_free(c);
	c = leaf_with(&no_sign);
	TAP_CHECK(c && certs_verify(&trust, c, mids, 0, err, sizeof(err)) &&
		  strstr(err, "key usage"), "a key usage without digitalSignature: refused (%s)",
		  err);
	X509_free(c);
	c = pki_cert(&stranger, leaf_key, other_root, other_key);
	TAP_CHECK(c && certs_verify(&trust, c, NULL, 0, err, sizeof(err)),
		  "a certificate of another CA: refused (%s)", err);
	X509_free(c);
}

static void test_crls(const char *dir)
{
	static const long revoked[] = { 3 };
	struct pki_cert fine = { .cn = "fine", .serial = 9 };
	X509_CRL *crl = pki_crl(mid, mid_key, revoked, 1);
	char crls[512], path[600];
	X509 *c = leaf_with(&fine);

	snprintf(crls, sizeof(crls), "%s/crls", dir);
	snprintf(path, sizeof(path), "%s/mid.pem", crls);
	TAP_CHECK(crl && c && !mkdir(crls, 0700) && pki_write_crl(path, crl) &&
		  !certs_trust_add_crls(&trust, crls, err, sizeof(err)),
		  "a directory of CRLs loads");
	TAP_CHECK(certs_verify(&trust, leaf, mids, 0, err, sizeof(err)) &&
		  strstr(err, "revoked"), "a revoked certificate: refused (%s)", err);
	TAP_CHECK(!certs_verify(&trust, c, mids, 0, err, sizeof(err)),
		  "one the CRL does not name: verified, the root having no CRL");
	X509_CRL_free(crl);
	X509_free(c);
}

/* The DER of a DN, for ID_DER_ASN1_DN. */
static size_t dn(const char *o, const char *cn, uint8_t *out)
{
	X509_NAME *name = X509_NAME_new();
	unsigned char *p = out;
	int len;

	X509_NAME_add_entry_by_txt(name, "O", MBSTRING_UTF8, (const unsigned char *)o,
				   -1, -1, 0);
	X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_UTF8, (const unsigned char *)cn,
				   -1, -1, 0);
	len = i2d_X509_NAME(name, &p);
	X509_NAME_free(name);
	return len > 0 ? (size_t)len : 0;
}

static void test_identities(void)
{
	static const uint8_t ip[4] = { 192, 0, 2, 1 }, other_ip[4] = { 192, 0, 2, 9 };
	uint8_t a[256], b[256], pat[256];
	size_t alen = dn("Example", "gw.example.org", a), blen, plen;

#define ID(s) (const uint8_t *)(s), strlen(s)
	TAP_CHECK(certs_has_id(leaf, IKE_ID_FQDN, ID("gw.example.org")) &&
		  certs_has_id(leaf, IKE_ID_RFC822_ADDR, ID("ops@example.org")) &&
		  certs_has_id(leaf, IKE_ID_IPV4_ADDR, ip, 4) &&
		  certs_has_id(leaf, IKE_ID_DER_ASN1_DN, a, alen),
		  "the certificate carries its subject DN and each subjectAltName kind");
	blen = dn("Example", "other.example.org", b);
	TAP_CHECK(!certs_has_id(leaf, IKE_ID_FQDN, ID("other.example.org")) &&
		  !certs_has_id(leaf, IKE_ID_FQDN, ID("example.org")) &&
		  !certs_has_id(leaf, IKE_ID_RFC822_ADDR, ID("root@example.org")) &&
		  !certs_has_id(leaf, IKE_ID_IPV4_ADDR, other_ip, 4) &&
		  !certs_has_id(leaf, IKE_ID_DER_ASN1_DN, b, blen) &&
		  !certs_has_id(leaf, IKE_ID_KEY_ID, ID("gw")),
		  "... and no other identity");
	TAP_CHECK(!certs_has_id(root, IKE_ID_FQDN, ID("Test Root")),
		  "a CN is not an FQDN identity: subjectAltNames only");
	plen = dn("Example", "*", pat);
	TAP_CHECK(certs_id_fits(IKE_ID_DER_ASN1_DN, pat, plen, IKE_ID_DER_ASN1_DN, a, alen) &&
		  certs_id_fits(IKE_ID_DER_ASN1_DN, pat, plen, IKE_ID_DER_ASN1_DN, b, blen),
		  "the DN pattern O=Example, CN=* takes two certificates' subjects");
	blen = dn("Elsewhere", "gw.example.org", b);
	TAP_CHECK(!certs_id_fits(IKE_ID_DER_ASN1_DN, pat, plen, IKE_ID_DER_ASN1_DN, b, blen) &&
		  !certs_id_fits(IKE_ID_DER_ASN1_DN, a, alen, IKE_ID_DER_ASN1_DN, b, blen),
		  "... not O=Elsewhere; an exact DN only itself");
	TAP_CHECK(certs_id_fits(IKE_ID_FQDN, ID("*.example.org"), IKE_ID_FQDN,
				ID("gw.example.org")) &&
		  certs_id_fits(IKE_ID_FQDN, ID("*.example.org"), IKE_ID_FQDN,
				ID("a.b.Example.ORG")) &&
		  !certs_id_fits(IKE_ID_FQDN, ID("*.example.org"), IKE_ID_FQDN,
				 ID("example.org")) &&
		  !certs_id_fits(IKE_ID_FQDN, ID("*.example.org"), IKE_ID_FQDN,
				 ID("gw.badexample.org")) &&
		  !certs_id_fits(IKE_ID_FQDN, ID("*.example.org"), IKE_ID_RFC822_ADDR,
				 ID("x@a.example.org")),
		  "*.example.org: its subdomains, not itself, not a lookalike, not another type");
#undef ID
}

static void test_ca_hashes(void)
{
	uint8_t hashes[3 * CERTS_HASH_LEN];

	TAP_CHECK(certs_ca_hashes(&trust, hashes, sizeof(hashes)) == 1 &&
		  certs_is_ca_hash(root, hashes) && !certs_is_ca_hash(other_root, hashes),
		  "CERTREQ: one hash, the root's public key's, not another CA's");
	TAP_CHECK(certs_ca_hashes(&trust, hashes, CERTS_HASH_LEN - 1) == 0,
		  "no room: no hash");
}

/* Which of two certificates a CERTREQ gets (creds_pick). */
static void test_pick(void)
{
	struct pki_cert x = { .cn = "stranger", .serial = 7 };
	struct ike_creds *c = creds_new();
	uint8_t want[2 * CERTS_HASH_LEN];

	if (!c || !(c->own[0].cert = X509_dup(leaf)) ||
	    !(c->own[0].chain = X509_chain_up_ref(mids)) ||
	    !(c->own[1].cert = pki_cert(&x, leaf_key, other_root, other_key)) ||
	    !(c->own[1].chain = sk_X509_new_null()) || !X509_up_ref(other_root) ||
	    !sk_X509_push(c->own[1].chain, other_root))
		exit(2);
	c->n_own = 2;
	certs_ca_hash(mid, want);
	TAP_CHECK(creds_pick(c, want, 1) == &c->own[0], "the intermediate asked for: the first, whose chain has it");
	certs_ca_hash(other_root, want);
	TAP_CHECK(creds_pick(c, want, 1) == &c->own[1],
		  "another root asked for: the second, whose file has that root");
	certs_ca_hash(root, want);
	TAP_CHECK(creds_pick(c, want, 1) == &c->own[0] && creds_pick(c, want, 0) == &c->own[0] &&
		  creds_pick(c, NULL, 0) == &c->own[0],
		  "a CA none leads to, or none asked for: the first");
	certs_ca_hash(other_root, want + CERTS_HASH_LEN);
	TAP_CHECK(creds_pick(c, want, 2) == &c->own[1],
		  "both roots asked for, the first's root unknown to us: the second");
	if (!X509_up_ref(root) || !sk_X509_push(c->trust.cas, root))
		exit(2);
	TAP_CHECK(creds_pick(c, want, 2) == &c->own[0],
		  "... and with that root among our CAs: the first, the way through them");
	creds_free(c);
}

static void test_files(const char *dir)
{
	char cert[512], key[512], ca[512], chain[512];
	STACK_OF(X509) *got = NULL;
	struct ike_trust t;
	EVP_PKEY *k;
	X509 *c;
	FILE *f;

	snprintf(cert, sizeof(cert), "%s/leaf.pem", dir);
	snprintf(key, sizeof(key), "%s/leaf.key", dir);
	snprintf(ca, sizeof(ca), "%s/cas", dir);
	snprintf(chain, sizeof(chain), "%s/chain.pem", dir);
	c = pki_write_cert(cert, leaf) ? certs_load_cert(cert, err, sizeof(err)) : NULL;
	TAP_CHECK(c && !X509_cmp(c, leaf), "a certificate file loads");
	X509_free(c);
	k = pki_write_key(key, leaf_key) ? certs_load_key(key, err, sizeof(err)) : NULL;
	TAP_CHECK(k && X509_check_private_key(leaf, k), "its key file (0600) loads and matches");
	EVP_PKEY_free(k);
	chmod(key, 0644);
	k = certs_load_key(key, err, sizeof(err));
	TAP_CHECK(!k && strstr(err, "key"), "a key file others can read is refused (%s)", err);
	EVP_PKEY_free(k);
	k = certs_load_key(cert, err, sizeof(err));
	TAP_CHECK(!k, "a certificate is not a key (%s)", err);
	f = fopen(chain, "w");
	if (f) {
		PEM_write_X509(f, leaf);
		PEM_write_X509(f, mid);
		fclose(f);
	}
	TAP_CHECK(!certs_load_chain(chain, &got, err, sizeof(err)) && sk_X509_num(got) == 1 &&
		  !X509_cmp(sk_X509_value(got, 0), mid),
		  "a chain file: the intermediates after the first");
	sk_X509_pop_free(got, X509_free);
	mkdir(ca, 0700);
	snprintf(ca + strlen(ca), sizeof(ca) - strlen(ca), "/root.pem");
	pki_write_cert(ca, root);
	*strrchr(ca, '/') = '\0';
	TAP_CHECK(!certs_trust_init(&t) && !certs_trust_add_cas(&t, ca, err, sizeof(err)) &&
		  sk_X509_num(t.cas) == 1 && !certs_verify(&t, leaf, mids, 0, err, sizeof(err)),
		  "a directory of CAs loads, and verifies the chain");
	TAP_CHECK(certs_trust_add_cas(&t, cert, err, sizeof(err)) == 0 &&
		  certs_trust_add_cas(&t, key, err, sizeof(err)) && strstr(err, "no PEM"),
		  "a file without a certificate is refused as a CA (%s)", err);
	TAP_CHECK(certs_trust_add_crls(&t, "/nonexistent/crl", err, sizeof(err)) &&
		  strstr(err, "/nonexistent/crl"), "a CRL path that is not there: named (%s)", err);
	certs_trust_free(&t);
}

int main(void)
{
	char dir[] = "/tmp/iked-certs-XXXXXX", rm[64];

	if (!mkdtemp(dir))
		return 2;
	test_known_answers();
	test_ecdsa_known_answers();
	test_each_key_type();
	test_weak_refused();
	test_ecdsa_methods();
	test_pss();
	test_pss_signing();
	make_pki();
	test_chains();
	test_identities();
	test_ca_hashes();
	test_pick();
	test_files(dir);
	test_crls(dir);
	certs_trust_free(&trust);
	sk_X509_pop_free(mids, X509_free);
	X509_free(root);
	X509_free(leaf);
	X509_free(other_root);
	EVP_PKEY_free(root_key);
	EVP_PKEY_free(mid_key);
	EVP_PKEY_free(leaf_key);
	EVP_PKEY_free(other_key);
	snprintf(rm, sizeof(rm), "rm -rf %s", dir);
	if (system(rm))
		return 2;
	return tap_done();
}
