// SPDX-License-Identifier: GPL-2.0
/* RFC 7427 signatures: AUTH method 14, made and checked with OpenSSL. */
#include <stdio.h>
#include <string.h>

#include <openssl/core_names.h>
#include <openssl/ec.h>
#include <openssl/objects.h>
#include <openssl/rsa.h>
#include <openssl/x509.h>

#include "ikev2.h"
#include "sig.h"

/* An AlgorithmIdentifier's DER is far shorter; RSA-PSS's is the longest. */
#define ALGID_MAX	128

static const EVP_MD *hash_md(enum ike_hash h)
{
	switch (h) {
	case IKE_HASH_SHA256: return EVP_sha256();
	case IKE_HASH_SHA384: return EVP_sha384();
	case IKE_HASH_SHA512: return EVP_sha512();
	default: return NULL;
	}
}

/*
 * The hash to sign with: Ed25519 signs the message itself (identity);
 * otherwise the first of the key's preference that the peer takes.
 */
static int pick_hash(EVP_PKEY *key, unsigned int peer_hashes)
{
	static const enum ike_hash rsa[] = { IKE_HASH_SHA256, IKE_HASH_SHA384,
					     IKE_HASH_SHA512 };
	static const enum ike_hash p384[] = { IKE_HASH_SHA384, IKE_HASH_SHA512,
					      IKE_HASH_SHA256 };
	static const enum ike_hash p521[] = { IKE_HASH_SHA512, IKE_HASH_SHA384,
					      IKE_HASH_SHA256 };
	const enum ike_hash *pref = rsa;
	unsigned int i, take = peer_hashes & IKE_HASHES_OURS;

	if (EVP_PKEY_is_a(key, "ED25519"))
		return take & IKE_HASH_BIT(IKE_HASH_IDENTITY) ? IKE_HASH_IDENTITY : -1;
	/* The hash of the curve's strength first (RFC 5480 4). */
	if (EVP_PKEY_is_a(key, "EC") && EVP_PKEY_get_bits(key) > 384)
		pref = p521;
	else if (EVP_PKEY_is_a(key, "EC") && EVP_PKEY_get_bits(key) > 256)
		pref = p384;
	for (i = 0; i < 3; i++)
		if (take & IKE_HASH_BIT(pref[i]))
			return (int)pref[i];
	return -1;
}

static bool signs_with(EVP_PKEY *key)
{
	return EVP_PKEY_is_a(key, "RSA") || EVP_PKEY_is_a(key, "RSA-PSS") ||
	       EVP_PKEY_is_a(key, "EC") || EVP_PKEY_is_a(key, "ED25519");
}

/*
 * RSASSA-PSS as RFC 7427 A.4 and strongSwan make it: MGF1 with the
 * signature's hash, a salt of the hash's length. An RSA-PSS key always
 * signs so; an RSA key when the connection says rsa_pss = yes.
 */
static int use_pss(EVP_PKEY *key, bool pss, EVP_PKEY_CTX *pctx, const EVP_MD *md)
{
	if (!EVP_PKEY_is_a(key, "RSA-PSS") && !(pss && EVP_PKEY_is_a(key, "RSA")))
		return 1;
	return EVP_PKEY_CTX_set_rsa_padding(pctx, RSA_PKCS1_PSS_PADDING) == 1 &&
	       EVP_PKEY_CTX_set_rsa_mgf1_md(pctx, md) == 1 &&
	       EVP_PKEY_CTX_set_rsa_pss_saltlen(pctx, RSA_PSS_SALTLEN_DIGEST) == 1;
}

int sig_sign(EVP_PKEY *key, bool pss, unsigned int peer_hashes, const uint8_t *octets,
	     size_t len, struct ike_buf *out, char *err, size_t errlen)
{
	uint8_t algid[ALGID_MAX], *sig = NULL;
	OSSL_PARAM params[] = {
		OSSL_PARAM_construct_octet_string(OSSL_SIGNATURE_PARAM_ALGORITHM_ID,
						  algid, sizeof(algid)),
		OSSL_PARAM_END
	};
	EVP_MD_CTX *ctx = NULL;
	EVP_PKEY_CTX *pctx = NULL;
	size_t sig_len = 0;
	int hash, ret = -1;

	memset(out, 0, sizeof(*out));
	if (!signs_with(key)) {
		snprintf(err, errlen, "a %s key cannot sign IKE_AUTH (RSA, ECDSA or Ed25519)",
			 EVP_PKEY_get0_type_name(key));
		return -1;
	}
	hash = pick_hash(key, peer_hashes);
	if (hash < 0) {
		snprintf(err, errlen, "the peer takes no hash this %s key can sign with (SIGNATURE_HASH_ALGORITHMS)",
			 EVP_PKEY_get0_type_name(key));
		return -1;
	}
	ctx = EVP_MD_CTX_new();
	if (!ctx || EVP_DigestSignInit(ctx, &pctx, hash_md(hash), NULL, key) != 1 ||
	    !use_pss(key, pss, pctx, hash_md(hash)) ||
	    EVP_PKEY_CTX_get_params(pctx, params) != 1 ||
	    params[0].return_size > 255 ||
	    EVP_DigestSign(ctx, NULL, &sig_len, octets, len) != 1)
		goto fail;
	sig = OPENSSL_malloc(sig_len);
	if (!sig || EVP_DigestSign(ctx, sig, &sig_len, octets, len) != 1)
		goto fail;
	ike_buf_put(out, (uint8_t[]){ (uint8_t)params[0].return_size }, 1);
	ike_buf_put(out, algid, params[0].return_size);
	ike_buf_put(out, sig, sig_len);
	ret = out->failed ? -1 : 0;
	if (ret)
		snprintf(err, errlen, "out of memory");
	goto done;
fail:
	snprintf(err, errlen, "OpenSSL cannot sign with the %s key",
		 EVP_PKEY_get0_type_name(key));
done:
	OPENSSL_free(sig);
	EVP_MD_CTX_free(ctx);
	if (ret)
		ike_buf_free(out);
	return ret;
}

/*
 * What an AlgorithmIdentifier asks for, of those iked takes: the digest
 * (NULL for Ed25519) and the key type it needs. SHA-1 and everything else
 * is refused.
 */
static int algid_method(const X509_ALGOR *alg, const EVP_MD **md,
			const char **key_type)
{
	static const struct {
		int nid;
		const char *key_type;
		enum ike_hash hash;
	} known[] = {
		{ NID_sha256WithRSAEncryption, "RSA", IKE_HASH_SHA256 },
		{ NID_sha384WithRSAEncryption, "RSA", IKE_HASH_SHA384 },
		{ NID_sha512WithRSAEncryption, "RSA", IKE_HASH_SHA512 },
		{ NID_ecdsa_with_SHA256, "EC", IKE_HASH_SHA256 },
		{ NID_ecdsa_with_SHA384, "EC", IKE_HASH_SHA384 },
		{ NID_ecdsa_with_SHA512, "EC", IKE_HASH_SHA512 },
		{ NID_ED25519, "ED25519", IKE_HASH_IDENTITY },
	};
	int nid = OBJ_obj2nid(alg->algorithm);
	unsigned int i;

	for (i = 0; i < sizeof(known) / sizeof(known[0]); i++)
		if (known[i].nid == nid) {
			*md = hash_md(known[i].hash);
			*key_type = known[i].key_type;
			return 0;
		}
	return -1;
}

/* A hash of SHA-2 (iked's), of @obj. */
static const EVP_MD *sha2_of(const ASN1_OBJECT *obj)
{
	switch (OBJ_obj2nid(obj)) {
	case NID_sha256: return EVP_sha256();
	case NID_sha384: return EVP_sha384();
	case NID_sha512: return EVP_sha512();
	default: return NULL;
	}
}

/*
 * RSASSA-PSS's parameters (RFC 4055, as RFC 7427 A.4 sends them): its
 * hash and MGF1's, both SHA-2, and the salt length. OpenSSL decodes them.
 */
static int pss_params(const X509_ALGOR *alg, const EVP_MD **md, const EVP_MD **mgf,
		      int *salt)
{
	RSA_PSS_PARAMS *pss = NULL;
	X509_ALGOR *mgf_hash = NULL;
	const void *pval;
	int ptype, ret = -1;

	X509_ALGOR_get0(NULL, &ptype, &pval, alg);
	if (ptype != V_ASN1_SEQUENCE)
		return -1;
	pss = ASN1_TYPE_unpack_sequence(ASN1_ITEM_rptr(RSA_PSS_PARAMS), alg->parameter);
	/* An absent hash is SHA-1's (RFC 4055), which iked does not take. */
	if (!pss || !pss->hashAlgorithm || !pss->maskGenAlgorithm ||
	    OBJ_obj2nid(pss->maskGenAlgorithm->algorithm) != NID_mgf1 ||
	    !(*md = sha2_of(pss->hashAlgorithm->algorithm)) ||
	    (pss->trailerField && ASN1_INTEGER_get(pss->trailerField) != 1))
		goto done;
	mgf_hash = ASN1_TYPE_unpack_sequence(ASN1_ITEM_rptr(X509_ALGOR),
					     pss->maskGenAlgorithm->parameter);
	if (!mgf_hash || !(*mgf = sha2_of(mgf_hash->algorithm)))
		goto done;
	*salt = pss->saltLength ? (int)ASN1_INTEGER_get(pss->saltLength) : 20;
	ret = *salt >= 0 && *salt <= 512 ? 0 : -1;
done:
	X509_ALGOR_free(mgf_hash);
	RSA_PSS_PARAMS_free(pss);
	return ret;
}

int sig_verify(EVP_PKEY *pub, const uint8_t *auth, size_t auth_len,
	       const uint8_t *octets, size_t len, char *err, size_t errlen)
{
	const EVP_MD *mgf = NULL;
	EVP_PKEY_CTX *pctx = NULL;
	int salt = 0;
	const uint8_t *p = auth + 1;
	const char *key_type;
	X509_ALGOR *alg = NULL;
	EVP_MD_CTX *ctx = NULL;
	const EVP_MD *md;
	char name[80] = "?";
	size_t alen;
	int ret = -1;

	if (auth_len < 1 || (alen = auth[0]) + 1 >= auth_len ||
	    !d2i_X509_ALGOR(&alg, &p, (long)alen) || p != auth + 1 + alen) {
		snprintf(err, errlen, "the signature's AlgorithmIdentifier does not parse");
		goto done;
	}
	OBJ_obj2txt(name, sizeof(name), alg->algorithm, 0);
	if (OBJ_obj2nid(alg->algorithm) == NID_rsassaPss) {
		key_type = "RSA";
		if (pss_params(alg, &md, &mgf, &salt)) {
			snprintf(err, errlen, "RSASSA-PSS parameters iked does not take (SHA-2 for the hash and MGF1)");
			goto done;
		}
	} else if (algid_method(alg, &md, &key_type)) {
		snprintf(err, errlen, "the signature algorithm %s is not one iked takes (SHA-1 is weak; RSA PKCS#1 v1.5 or PSS, ECDSA with SHA-2, Ed25519)",
			 name);
		goto done;
	}
	if (!EVP_PKEY_is_a(pub, key_type) &&
	    !(mgf && EVP_PKEY_is_a(pub, "RSA-PSS"))) {
		snprintf(err, errlen, "a %s signature from a %s key", name,
			 EVP_PKEY_get0_type_name(pub));
		goto done;
	}
	ctx = EVP_MD_CTX_new();
	if (!ctx || EVP_DigestVerifyInit(ctx, &pctx, md, NULL, pub) != 1 ||
	    (mgf && (EVP_PKEY_CTX_set_rsa_padding(pctx, RSA_PKCS1_PSS_PADDING) != 1 ||
		     EVP_PKEY_CTX_set_rsa_mgf1_md(pctx, mgf) != 1 ||
		     EVP_PKEY_CTX_set_rsa_pss_saltlen(pctx, salt) != 1))) {
		snprintf(err, errlen, "OpenSSL cannot verify %s", name);
		goto done;
	}
	if (EVP_DigestVerify(ctx, auth + 1 + alen, auth_len - 1 - alen, octets,
			     len) != 1) {
		snprintf(err, errlen, "the %s signature does not verify", name);
		goto done;
	}
	ret = 0;
done:
	EVP_MD_CTX_free(ctx);
	X509_ALGOR_free(alg);
	return ret;
}

/* RFC 4754's methods (and RFC 4754 8's third): curve, hash, r's size. */
static const struct ecdsa_method {
	uint8_t method;
	int bits;
	size_t n;
	const EVP_MD *(*md)(void);
} ecdsa_methods[] = {
	{ IKE_AUTH_ECDSA_P256, 256, 32, EVP_sha256 },
	{ IKE_AUTH_ECDSA_P384, 384, 48, EVP_sha384 },
	{ IKE_AUTH_ECDSA_P521, 521, 66, EVP_sha512 },
};

/* @method's entry, if @key (NULL: any) is an ECDSA key of its curve. */
static const struct ecdsa_method *ecdsa_of(uint8_t method, EVP_PKEY *key)
{
	unsigned int i;

	for (i = 0; i < sizeof(ecdsa_methods) / sizeof(ecdsa_methods[0]); i++)
		if (ecdsa_methods[i].method == method)
			return !key || (EVP_PKEY_is_a(key, "EC") &&
					EVP_PKEY_get_bits(key) == ecdsa_methods[i].bits) ?
			       &ecdsa_methods[i] : NULL;
	return NULL;
}

bool sig_is_ecdsa_method(uint8_t method)
{
	return ecdsa_of(method, NULL);
}

uint8_t sig_method(EVP_PKEY *key, unsigned int peer_hashes)
{
	unsigned int i;

	if ((peer_hashes & IKE_HASHES_OURS) || !EVP_PKEY_is_a(key, "EC"))
		return IKE_AUTH_DIGITAL_SIGNATURE;
	for (i = 0; i < sizeof(ecdsa_methods) / sizeof(ecdsa_methods[0]); i++)
		if (EVP_PKEY_get_bits(key) == ecdsa_methods[i].bits)
			return ecdsa_methods[i].method;
	return IKE_AUTH_DIGITAL_SIGNATURE;
}

int sig_ecdsa_sign(EVP_PKEY *key, uint8_t method, const uint8_t *octets,
		   size_t len, struct ike_buf *out, char *err, size_t errlen)
{
	const struct ecdsa_method *m = ecdsa_of(method, key);
	uint8_t der[160], rs[2 * 66] = { 0 };
	const uint8_t *p = der;
	const BIGNUM *r, *s;
	ECDSA_SIG *es = NULL;
	EVP_MD_CTX *ctx = EVP_MD_CTX_new();
	size_t der_len = sizeof(der);
	int ret = -1;

	memset(out, 0, sizeof(*out));
	if (!m) {
		snprintf(err, errlen, "auth method %u needs an ECDSA key of its curve", method);
		goto done;
	}
	if (!ctx || EVP_DigestSignInit(ctx, NULL, m->md(), NULL, key) != 1 ||
	    EVP_DigestSign(ctx, der, &der_len, octets, len) != 1 ||
	    !(es = d2i_ECDSA_SIG(NULL, &p, (long)der_len))) {
		snprintf(err, errlen, "OpenSSL cannot sign with the ECDSA key");
		goto done;
	}
	ECDSA_SIG_get0(es, &r, &s);
	if (BN_bn2binpad(r, rs, (int)m->n) < 0 || BN_bn2binpad(s, rs + m->n, (int)m->n) < 0) {
		snprintf(err, errlen, "an ECDSA signature too long for its curve");
		goto done;
	}
	ike_buf_put(out, rs, 2 * m->n);
	ret = out->failed ? -1 : 0;
done:
	ECDSA_SIG_free(es);
	EVP_MD_CTX_free(ctx);
	return ret;
}

int sig_ecdsa_verify(EVP_PKEY *pub, uint8_t method, const uint8_t *auth,
		     size_t auth_len, const uint8_t *octets, size_t len, char *err,
		     size_t errlen)
{
	const struct ecdsa_method *m = ecdsa_of(method, pub);
	ECDSA_SIG *es = ECDSA_SIG_new();
	EVP_MD_CTX *ctx = NULL;
	unsigned char *der = NULL;
	BIGNUM *r = NULL, *s = NULL;
	int der_len, ret = -1;

	if (!m) {
		snprintf(err, errlen, "auth method %u from a key that is not ECDSA on its curve",
			 method);
		goto done;
	}
	if (auth_len != 2 * m->n) {
		snprintf(err, errlen, "an ECDSA signature of %zu bytes, not %zu", auth_len,
			 2 * m->n);
		goto done;
	}
	r = BN_bin2bn(auth, (int)m->n, NULL);
	s = BN_bin2bn(auth + m->n, (int)m->n, NULL);
	if (!es || !r || !s || !ECDSA_SIG_set0(es, r, s)) {
		snprintf(err, errlen, "out of memory");
		goto done;
	}
	r = s = NULL;
	der_len = i2d_ECDSA_SIG(es, &der);
	ctx = EVP_MD_CTX_new();
	if (der_len <= 0 || !ctx || EVP_DigestVerifyInit(ctx, NULL, m->md(), NULL, pub) != 1 ||
	    EVP_DigestVerify(ctx, der, (size_t)der_len, octets, len) != 1) {
		snprintf(err, errlen, "the ECDSA signature (method %u) does not verify", method);
		goto done;
	}
	ret = 0;
done:
	BN_free(r);
	BN_free(s);
	OPENSSL_free(der);
	ECDSA_SIG_free(es);
	EVP_MD_CTX_free(ctx);
	return ret;
}
