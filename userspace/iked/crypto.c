// SPDX-License-Identifier: GPL-2.0
/*
 * IKEv2 cryptography on OpenSSL 3 libcrypto: HMAC PRFs and prf+, key
 * derivation, the SK payload and the PSK AUTH value (Diffie-Hellman: dh.c).
 * Every secret intermediate is wiped before it goes.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>

#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/params.h>

#include "crypto.h"
#include "ikev2.h"

#define CBC_BLOCK	16
#define CBC_IV_LEN	16
#define AEAD_IV_LEN	8
#define AEAD_SALT_LEN	4
#define AEAD_NONCE_LEN	(AEAD_SALT_LEN + AEAD_IV_LEN)
#define MAX_ICV_LEN	32

/* A piece of the input of a MAC or of prf+'s seed. */
struct chunk {
	const uint8_t *p;
	size_t len;
};

void ike_wipe(void *p, size_t len)
{
	if (p && len)
		OPENSSL_cleanse(p, len);
}

bool ike_equal(const void *a, const void *b, size_t len)
{
	return CRYPTO_memcmp(a, b, len) == 0;
}

bool ike_random(void *buf, size_t len)
{
	uint8_t *p = buf;

	while (len) {
		ssize_t n = getrandom(p, len, 0);

		if (n < 0) {
			if (errno == EINTR)
				continue;
			return false;
		}
		p += n;
		len -= n;
	}
	return true;
}

/* HMAC with digest @md over the concatenation of @in; @out gets the whole
 * digest (at most @outsize bytes), its length in *@outlen.
 */
static bool hmac(const char *md, const uint8_t *key, size_t klen,
		 const struct chunk *in, unsigned int n, uint8_t *out,
		 size_t outsize, size_t *outlen)
{
	static const uint8_t no_key;
	OSSL_PARAM params[2];
	EVP_MAC_CTX *ctx = NULL;
	EVP_MAC *mac;
	bool ok = false;
	unsigned int i;

	mac = EVP_MAC_fetch(NULL, "HMAC", NULL);
	if (!mac)
		return false;
	ctx = EVP_MAC_CTX_new(mac);
	if (!ctx)
		goto out;
	params[0] = OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST,
						     (char *)md, 0);
	params[1] = OSSL_PARAM_construct_end();
	/* OpenSSL wants a key pointer even for an empty key. */
	if (!EVP_MAC_init(ctx, klen ? key : &no_key, klen, params))
		goto out;
	for (i = 0; i < n; i++)
		if (in[i].len && !EVP_MAC_update(ctx, in[i].p, in[i].len))
			goto out;
	ok = EVP_MAC_final(ctx, out, outlen, outsize) == 1;
out:
	EVP_MAC_CTX_free(ctx);
	EVP_MAC_free(mac);
	return ok;
}

static const char *prf_md(uint16_t prf)
{
	switch (prf) {
	case IKE_PRF_HMAC_SHA2_256:
		return "SHA256";
	case IKE_PRF_HMAC_SHA2_384:
		return "SHA384";
	case IKE_PRF_HMAC_SHA2_512:
		return "SHA512";
	}
	return NULL;
}

size_t ike_prf_len(uint16_t prf)
{
	switch (prf) {
	case IKE_PRF_HMAC_SHA2_256:
		return 32;
	case IKE_PRF_HMAC_SHA2_384:
		return 48;
	case IKE_PRF_HMAC_SHA2_512:
		return 64;
	}
	return 0;
}

static bool prf_v(uint16_t prf, const uint8_t *key, size_t klen,
		  const struct chunk *in, unsigned int n, uint8_t *out)
{
	const char *md = prf_md(prf);
	size_t len = 0;

	if (!md || !hmac(md, key, klen, in, n, out, ike_prf_len(prf), &len))
		return false;
	return len == ike_prf_len(prf);
}

bool ike_prf(uint16_t prf, const uint8_t *key, size_t klen,
	     const uint8_t *data, size_t dlen, uint8_t *out)
{
	struct chunk in = { data, dlen };

	return prf_v(prf, key, klen, &in, 1, out);
}

#define MAX_SEED_CHUNKS	4

/* prf+ (RFC 7296 2.13) over a seed given in pieces:
 * T1 = prf(K, S | 0x01), Tn = prf(K, Tn-1 | S | n).
 */
static bool prf_plus_v(uint16_t prf, const uint8_t *key, size_t klen,
		       const struct chunk *seed, unsigned int nseed,
		       uint8_t *out, size_t outlen)
{
	size_t plen = ike_prf_len(prf), done = 0;
	struct chunk in[MAX_SEED_CHUNKS + 2];
	uint8_t t[IKE_MAX_PRF_LEN];
	uint8_t counter = 1;
	bool ok = true;
	unsigned int i;

	if (!plen || nseed > MAX_SEED_CHUNKS || outlen > 255 * plen)
		return false;
	while (done < outlen) {
		size_t take = outlen - done < plen ? outlen - done : plen;

		/* T0 is empty: the first block has no previous T. */
		in[0] = (struct chunk){ t, counter == 1 ? 0 : plen };
		for (i = 0; i < nseed; i++)
			in[i + 1] = seed[i];
		in[nseed + 1] = (struct chunk){ &counter, 1 };
		if (!prf_v(prf, key, klen, in, nseed + 2, t)) {
			ok = false;
			break;
		}
		memcpy(out + done, t, take);
		done += take;
		counter++;
	}
	ike_wipe(t, sizeof(t));
	if (!ok)
		ike_wipe(out, outlen);
	return ok;
}

bool ike_prf_plus(uint16_t prf, const uint8_t *key, size_t klen,
		  const uint8_t *seed, size_t slen, uint8_t *out, size_t outlen)
{
	struct chunk s = { seed, slen };

	return prf_plus_v(prf, key, klen, &s, 1, out, outlen);
}

/* Keys */

struct integ_alg {
	const char *md;
	size_t key_len, icv_len;
};

static bool integ_find(uint16_t integ, struct integ_alg *a)
{
	switch (integ) {
	case IKE_INTEG_HMAC_SHA2_256_128:
		*a = (struct integ_alg){ "SHA256", 32, 16 };
		return true;
	case IKE_INTEG_HMAC_SHA2_384_192:
		*a = (struct integ_alg){ "SHA384", 48, 24 };
		return true;
	case IKE_INTEG_HMAC_SHA2_512_256:
		*a = (struct integ_alg){ "SHA512", 64, 32 };
		return true;
	}
	return false;
}

static bool aes_bits_ok(uint16_t bits)
{
	return bits == 128 || bits == 192 || bits == 256;
}

bool ike_suite_key_lens(const struct ike_suite *s, size_t *e_len, size_t *a_len)
{
	struct integ_alg ia;

	switch (s->encr) {
	case IKE_ENCR_AES_CBC:
		if (!aes_bits_ok(s->encr_bits) || !integ_find(s->integ, &ia))
			return false;
		*e_len = s->encr_bits / 8;
		*a_len = ia.key_len;
		return true;
	case IKE_ENCR_AES_GCM_8:
	case IKE_ENCR_AES_GCM_12:
	case IKE_ENCR_AES_GCM_16:
		if (!aes_bits_ok(s->encr_bits) || s->integ != IKE_INTEG_NONE)
			return false;
		*e_len = s->encr_bits / 8 + AEAD_SALT_LEN;
		*a_len = 0;
		return true;
	case IKE_ENCR_CHACHA20_POLY1305:
		if ((s->encr_bits && s->encr_bits != 256) ||
		    s->integ != IKE_INTEG_NONE)
			return false;
		*e_len = 32 + AEAD_SALT_LEN;
		*a_len = 0;
		return true;
	}
	return false;
}

#define MAX_KEYMAT	(7 * IKE_MAX_KEY_LEN)

/* Cuts SK_d | SK_ai | SK_ar | SK_ei | SK_er | SK_pi | SK_pr out of @km. */
static void keys_split(struct ike_keys *k, const uint8_t *km)
{
	memcpy(k->sk_d, km, k->d_len);
	km += k->d_len;
	memcpy(k->sk_ai, km, k->a_len);
	km += k->a_len;
	memcpy(k->sk_ar, km, k->a_len);
	km += k->a_len;
	memcpy(k->sk_ei, km, k->e_len);
	km += k->e_len;
	memcpy(k->sk_er, km, k->e_len);
	km += k->e_len;
	memcpy(k->sk_pi, km, k->p_len);
	km += k->p_len;
	memcpy(k->sk_pr, km, k->p_len);
}

bool ike_derive_keys(const struct ike_suite *s, const uint8_t *ni, size_t ni_len,
		     const uint8_t *nr, size_t nr_len, const uint8_t *shared,
		     size_t shared_len, const uint8_t spi_i[8],
		     const uint8_t spi_r[8], const uint8_t *old_sk_d,
		     size_t old_d_len, uint16_t old_prf, struct ike_keys *k)
{
	struct chunk seed[4] = {
		{ ni, ni_len }, { nr, nr_len },
		{ spi_i, IKE_SPI_LEN }, { spi_r, IKE_SPI_LEN },
	};
	uint8_t skeyseed[IKE_MAX_PRF_LEN], km[MAX_KEYMAT];
	uint8_t nonces[2 * IKE_NONCE_MAX];
	size_t plen = ike_prf_len(s->prf), total;
	bool ok;

	memset(k, 0, sizeof(*k));
	if (!plen || plen > IKE_MAX_KEY_LEN ||
	    !ike_suite_key_lens(s, &k->e_len, &k->a_len))
		return false;
	k->prf = s->prf;
	k->d_len = k->p_len = plen;
	total = k->d_len + 2 * k->a_len + 2 * k->e_len + 2 * k->p_len;

	if (old_sk_d) {
		/* Rekey (2.18): prf(SK_d (old), g^ir (new) | Ni | Nr). */
		struct chunk in[3] = {
			{ shared, shared_len }, { ni, ni_len }, { nr, nr_len },
		};

		ok = prf_v(old_prf, old_sk_d, old_d_len, in, 3, skeyseed) &&
		     ike_prf_len(old_prf) == plen;
	} else {
		/* prf(Ni | Nr, g^ir): the whole of Ni | Nr is the key. */
		if (ni_len > IKE_NONCE_MAX || nr_len > IKE_NONCE_MAX)
			return false;
		memcpy(nonces, ni, ni_len);
		memcpy(nonces + ni_len, nr, nr_len);
		ok = ike_prf(s->prf, nonces, ni_len + nr_len, shared,
			     shared_len, skeyseed);
	}
	ok = ok && prf_plus_v(s->prf, skeyseed, plen, seed, 4, km, total);
	if (ok)
		keys_split(k, km);
	else
		ike_wipe(k, sizeof(*k));
	ike_wipe(skeyseed, sizeof(skeyseed));
	ike_wipe(km, sizeof(km));
	return ok;
}

bool ike_child_keymat(const struct ike_keys *k, const uint8_t *shared,
		      size_t shared_len, const uint8_t *ni, size_t ni_len,
		      const uint8_t *nr, size_t nr_len, uint8_t *out,
		      size_t outlen)
{
	struct chunk seed[3] = {
		{ shared, shared ? shared_len : 0 },
		{ ni, ni_len }, { nr, nr_len },
	};

	return prf_plus_v(k->prf, k->sk_d, k->d_len, seed, 3, out, outlen);
}

/* The SK payload */

struct sk_alg {
	const char *cipher;
	bool aead;
	size_t key_len;		/* cipher key, salt apart */
	size_t iv_len, icv_len;
	struct integ_alg integ;	/* CBC only */
};

static bool sk_alg_find(const struct ike_suite *s, struct sk_alg *a)
{
	static const char *const cbc[] = {
		"AES-128-CBC", "AES-192-CBC", "AES-256-CBC" };
	static const char *const gcm[] = {
		"AES-128-GCM", "AES-192-GCM", "AES-256-GCM" };
	size_t e_len, a_len;

	if (!ike_suite_key_lens(s, &e_len, &a_len))
		return false;
	memset(a, 0, sizeof(*a));
	a->aead = ike_encr_is_aead(s->encr);
	a->key_len = a->aead ? e_len - AEAD_SALT_LEN : e_len;
	switch (s->encr) {
	case IKE_ENCR_AES_CBC:
		a->cipher = cbc[(s->encr_bits - 128) / 64];
		a->iv_len = CBC_IV_LEN;
		integ_find(s->integ, &a->integ);
		a->icv_len = a->integ.icv_len;
		break;
	case IKE_ENCR_CHACHA20_POLY1305:
		a->cipher = "ChaCha20-Poly1305";
		a->iv_len = AEAD_IV_LEN;
		a->icv_len = 16;
		break;
	default:
		a->cipher = gcm[(s->encr_bits - 128) / 64];
		a->iv_len = AEAD_IV_LEN;
		a->icv_len = s->encr == IKE_ENCR_AES_GCM_8 ? 8 :
			     s->encr == IKE_ENCR_AES_GCM_12 ? 12 : 16;
	}
	return true;
}

/* Ciphertext length of @plain_len bytes with the pad length byte. */
static size_t sk_ct_len(const struct sk_alg *a, size_t plain_len)
{
	if (a->aead)
		return plain_len + 1;
	return (plain_len + 1 + CBC_BLOCK - 1) / CBC_BLOCK * CBC_BLOCK;
}

size_t ike_sk_overhead(const struct ike_suite *s, size_t plain_len)
{
	struct sk_alg a;

	if (!sk_alg_find(s, &a))
		return 0;
	return a.iv_len + sk_ct_len(&a, plain_len) + a.icv_len;
}

/* The sender's keys, checked against what the suite needs. */
static bool sk_keys(const struct sk_alg *a, const struct ike_keys *k,
		    bool initiator, const uint8_t **ek, const uint8_t **ak)
{
	size_t e_len = a->aead ? a->key_len + AEAD_SALT_LEN : a->key_len;

	if (k->e_len != e_len || k->a_len != a->integ.key_len)
		return false;
	*ek = initiator ? k->sk_ei : k->sk_er;
	*ak = initiator ? k->sk_ai : k->sk_ar;
	return true;
}

/*
 * One pass of @a's cipher over @len bytes of @in into @out (which may be
 * @in): CBC without padding, or an AEAD with @aad, whose tag @tag is
 * written when encrypting and checked when decrypting.
 */
static bool sk_cipher(const struct sk_alg *a, bool enc, const uint8_t *key,
		      const uint8_t *iv, const uint8_t *aad, size_t aad_len,
		      const uint8_t *in, size_t len, uint8_t *out, uint8_t *tag)
{
	EVP_CIPHER_CTX *ctx = NULL;
	EVP_CIPHER *c;
	bool ok = false;
	int n;

	c = EVP_CIPHER_fetch(NULL, a->cipher, NULL);
	if (!c)
		return false;
	ctx = EVP_CIPHER_CTX_new();
	if (!ctx || !EVP_CipherInit_ex2(ctx, c, NULL, NULL, enc, NULL))
		goto out;
	if (a->aead) {
		if (!EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_AEAD_SET_IVLEN,
					 AEAD_NONCE_LEN, NULL))
			goto out;
		if (!enc && !EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_AEAD_SET_TAG,
						 a->icv_len, tag))
			goto out;
	}
	if (!EVP_CipherInit_ex2(ctx, NULL, key, iv, enc, NULL) ||
	    !EVP_CIPHER_CTX_set_padding(ctx, 0))
		goto out;
	if (a->aead && aad_len &&
	    !EVP_CipherUpdate(ctx, NULL, &n, aad, aad_len))
		goto out;
	if (len && !EVP_CipherUpdate(ctx, out, &n, in, len))
		goto out;
	/* Final checks the tag when decrypting; CBC has nothing left. */
	if (!EVP_CipherFinal_ex(ctx, out + len, &n) || n != 0)
		goto out;
	ok = !a->aead || !enc ||
	     EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_AEAD_GET_TAG, a->icv_len, tag);
out:
	EVP_CIPHER_CTX_free(ctx);
	EVP_CIPHER_free(c);
	return ok;
}

/* CBC's ICV: HMAC over @in, truncated. */
static bool sk_integ(const struct sk_alg *a, const uint8_t *key,
		     const struct chunk *in, unsigned int n, uint8_t *icv)
{
	uint8_t mac[IKE_MAX_PRF_LEN];
	size_t len = 0;
	bool ok;

	ok = hmac(a->integ.md, key, a->integ.key_len, in, n, mac, sizeof(mac),
		  &len) && len >= a->icv_len;
	if (ok)
		memcpy(icv, mac, a->icv_len);
	ike_wipe(mac, sizeof(mac));
	return ok;
}

bool ike_sk_seal(const struct ike_suite *s, const struct ike_keys *k,
		 bool initiator, const uint8_t *aad, size_t aad_len,
		 const uint8_t *plain, size_t plain_len, uint8_t *out,
		 size_t *out_len)
{
	uint8_t nonce[AEAD_NONCE_LEN];
	const uint8_t *ek, *ak;
	struct sk_alg a;
	size_t ct_len;
	uint8_t *ct;
	bool ok;

	*out_len = 0;
	if (!sk_alg_find(s, &a) || !sk_keys(&a, k, initiator, &ek, &ak))
		return false;
	ct_len = sk_ct_len(&a, plain_len);
	ct = out + a.iv_len;
	if (!ike_random(out, a.iv_len))
		return false;
	/* Padding of zeros, then the pad length byte; encrypted in place. */
	if (plain_len)	/* an empty INFORMATIONAL has no plaintext */
		memmove(ct, plain, plain_len);
	memset(ct + plain_len, 0, ct_len - plain_len);
	ct[ct_len - 1] = ct_len - plain_len - 1;

	if (a.aead) {
		/* Nonce: the salt at SK_e's end, then the explicit IV. */
		memcpy(nonce, ek + a.key_len, AEAD_SALT_LEN);
		memcpy(nonce + AEAD_SALT_LEN, out, AEAD_IV_LEN);
		ok = sk_cipher(&a, true, ek, nonce, aad, aad_len, ct, ct_len,
			       ct, ct + ct_len);
	} else {
		struct chunk in[2] = {
			{ aad, aad_len }, { out, a.iv_len + ct_len },
		};

		ok = sk_cipher(&a, true, ek, out, NULL, 0, ct, ct_len, ct,
			       NULL) &&
		     sk_integ(&a, ak, in, 2, ct + ct_len);
	}
	ike_wipe(nonce, sizeof(nonce));
	if (!ok) {
		ike_wipe(out, a.iv_len + ct_len + a.icv_len);
		return false;
	}
	*out_len = a.iv_len + ct_len + a.icv_len;
	return true;
}

/* Checks the lengths of an SK body; *@ct_len gets the ciphertext's. */
static const char *sk_check_lens(const struct sk_alg *a, size_t body_len,
				 size_t *ct_len)
{
	size_t min = a->iv_len + a->icv_len + (a->aead ? 1 : CBC_BLOCK);

	if (body_len < min)
		return "SK payload too short";
	*ct_len = body_len - a->iv_len - a->icv_len;
	if (!a->aead && *ct_len % CBC_BLOCK)
		return "SK payload not a multiple of the block size";
	return NULL;
}

bool ike_sk_open(const struct ike_suite *s, const struct ike_keys *k,
		 bool initiator, const uint8_t *msg, size_t msg_len,
		 size_t body_off, uint8_t *plain, size_t plain_cap,
		 size_t *plain_len, const char **err)
{
	uint8_t nonce[AEAD_NONCE_LEN], icv[MAX_ICV_LEN];
	const uint8_t *ek, *ak, *body, *ct;
	size_t ct_len = 0, pad;
	struct sk_alg a;
	bool ok;

	*plain_len = 0;
	if (!sk_alg_find(s, &a) || !sk_keys(&a, k, initiator, &ek, &ak)) {
		*err = "SK algorithms or keys not usable";
		return false;
	}
	if (body_off > msg_len) {
		*err = "SK payload too short";
		return false;
	}
	body = msg + body_off;
	*err = sk_check_lens(&a, msg_len - body_off, &ct_len);
	if (*err)
		return false;
	if (ct_len > plain_cap) {
		*err = "SK payload larger than the buffer";
		return false;
	}
	ct = body + a.iv_len;
	memcpy(icv, ct + ct_len, a.icv_len);

	if (a.aead) {
		memcpy(nonce, ek + a.key_len, AEAD_SALT_LEN);
		memcpy(nonce + AEAD_SALT_LEN, body, AEAD_IV_LEN);
		ok = sk_cipher(&a, false, ek, nonce, msg, body_off, ct, ct_len,
			       plain, icv);
		ike_wipe(nonce, sizeof(nonce));
	} else {
		/* Integrity first: nothing unauthenticated gets decrypted. */
		struct chunk in = { msg, msg_len - a.icv_len };
		uint8_t want[MAX_ICV_LEN];

		ok = sk_integ(&a, ak, &in, 1, want) &&
		     ike_equal(want, icv, a.icv_len);
		ike_wipe(want, sizeof(want));
		if (!ok) {
			*err = "ICV check failed";
			return false;
		}
		ok = sk_cipher(&a, false, ek, body, NULL, 0, ct, ct_len, plain,
			       NULL);
	}
	if (!ok) {
		ike_wipe(plain, ct_len);
		*err = a.aead ? "ICV check failed" : "decryption failed";
		return false;
	}
	pad = plain[ct_len - 1];
	if (pad + 1 > ct_len) {
		ike_wipe(plain, ct_len);
		*err = "SK pad length larger than the plaintext";
		return false;
	}
	*plain_len = ct_len - pad - 1;
	/* The padding is no business of the caller's. */
	ike_wipe(plain + *plain_len, pad + 1);
	return true;
}

/* AUTH */

bool ike_psk_auth(uint16_t prf, const uint8_t *psk, size_t psk_len,
		  const uint8_t *msg, size_t msg_len, const uint8_t *nonce,
		  size_t nonce_len, const uint8_t *sk_p, size_t sk_p_len,
		  const uint8_t *id_body, size_t id_len, uint8_t *out)
{
	static const char pad[] = "Key Pad for IKEv2";
	uint8_t key[IKE_MAX_PRF_LEN], maced_id[IKE_MAX_PRF_LEN];
	size_t plen = ike_prf_len(prf);
	struct chunk signed_octets[3] = {
		{ msg, msg_len }, { nonce, nonce_len }, { maced_id, plen },
	};
	bool ok;

	/* The pad string goes in without its NUL (17 bytes). */
	ok = ike_prf(prf, psk, psk_len, (const uint8_t *)pad, sizeof(pad) - 1,
		     key) &&
	     ike_prf(prf, sk_p, sk_p_len, id_body, id_len, maced_id) &&
	     prf_v(prf, key, plen, signed_octets, 3, out);
	ike_wipe(key, sizeof(key));
	ike_wipe(maced_id, sizeof(maced_id));
	return ok;
}
