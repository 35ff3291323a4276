/* SPDX-License-Identifier: GPL-2.0 */
/*
 * IKEv2 cryptography on OpenSSL 3 (EVP): the PRF and prf+, key derivation
 * (RFC 7296 2.13-2.18), Diffie-Hellman, the SK payload's protection (RFC
 * 7296 3.14 with CBC + HMAC, RFC 5282 with AES-GCM, RFC 7634 with
 * ChaCha20-Poly1305) and the PSK AUTH value (2.15). Secrets are wiped with
 * OPENSSL_cleanse before their memory is given back.
 */
#ifndef IKED_CRYPTO_H
#define IKED_CRYPTO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "proposal.h"

#define IKE_MAX_PRF_LEN		64	/* SHA-512 */
#define IKE_MAX_KEY_LEN		68	/* an SK_e: 256-bit key + salt, or SK_a/SK_d/SK_p */
#define IKE_MAX_DH_LEN		384	/* MODP 3072 */

/* Random bytes from the kernel (getrandom); false if it failed. */
bool ike_random(void *buf, size_t len);

/* Output length of PRF @prf in bytes, 0 if unknown. */
size_t ike_prf_len(uint16_t prf);

/* prf(@key, @data) into @out (ike_prf_len bytes). */
bool ike_prf(uint16_t prf, const uint8_t *key, size_t klen,
	     const uint8_t *data, size_t dlen, uint8_t *out);

/* prf+ (@key, @seed): @outlen bytes of T1 | T2 | ... (at most 255 blocks). */
bool ike_prf_plus(uint16_t prf, const uint8_t *key, size_t klen,
		  const uint8_t *seed, size_t slen, uint8_t *out, size_t outlen);

/* Diffie-Hellman: a fresh key pair of @group. */
struct ike_dh;
bool ike_dh_supported(uint16_t group);
size_t ike_dh_public_len(uint16_t group);	/* KE data length, 0 if unknown */
struct ike_dh *ike_dh_new(uint16_t group);
uint16_t ike_dh_group(const struct ike_dh *dh);
/* Our public value as the KE payload carries it. */
const uint8_t *ike_dh_public(const struct ike_dh *dh, size_t *len);
/* g^ir from the peer's KE data; checks its length and that it is a valid
 * point/element. @secret (room for IKE_MAX_DH_LEN bytes) gets the modulus
 * length for MODP (leading zeros kept, as RFC 7296 2.14 wants), the x
 * coordinate for ECP (RFC 5903: 32 or 48 bytes), 32 bytes for X25519;
 * *@slen its length.
 */
bool ike_dh_shared(struct ike_dh *dh, const uint8_t *peer, size_t plen,
		   uint8_t *secret, size_t *slen);
void ike_dh_free(struct ike_dh *dh);
/* For the tests: a key pair from a known private key (X25519, ECP). */
struct ike_dh *ike_dh_from_private(uint16_t group, const uint8_t *priv,
				   size_t len);

/* The keys of an IKE SA (RFC 7296 2.14). */
struct ike_keys {
	uint16_t prf;
	size_t d_len, a_len, e_len, p_len;
	uint8_t sk_d[IKE_MAX_KEY_LEN];
	uint8_t sk_ai[IKE_MAX_KEY_LEN], sk_ar[IKE_MAX_KEY_LEN];
	uint8_t sk_ei[IKE_MAX_KEY_LEN], sk_er[IKE_MAX_KEY_LEN];
	uint8_t sk_pi[IKE_MAX_KEY_LEN], sk_pr[IKE_MAX_KEY_LEN];
};

/* Key lengths of the SK payload's algorithms: encryption key (+4-byte salt
 * for AEAD), integrity key (0 for AEAD). False if @s is not supported.
 */
bool ike_suite_key_lens(const struct ike_suite *s, size_t *e_len, size_t *a_len);

/*
 * Initial exchange: SKEYSEED = prf(Ni | Nr, g^ir), then
 * {SK_d, SK_ai, SK_ar, SK_ei, SK_er, SK_pi, SK_pr} = prf+(SKEYSEED, Ni | Nr | SPIi | SPIr).
 * With @old_sk_d (IKE SA rekey, 2.18): SKEYSEED = prf(SK_d(old), g^ir | Ni | Nr)
 * under the old SA's PRF @old_prf.
 */
bool ike_derive_keys(const struct ike_suite *s, const uint8_t *ni, size_t ni_len,
		     const uint8_t *nr, size_t nr_len, const uint8_t *shared,
		     size_t shared_len, const uint8_t spi_i[8],
		     const uint8_t spi_r[8], const uint8_t *old_sk_d,
		     size_t old_d_len, uint16_t old_prf, struct ike_keys *k);

/* CHILD SA keying material (2.17): prf+(SK_d, [g^ir] | Ni | Nr). */
bool ike_child_keymat(const struct ike_keys *k, const uint8_t *shared,
		      size_t shared_len, const uint8_t *ni, size_t ni_len,
		      const uint8_t *nr, size_t nr_len, uint8_t *out,
		      size_t outlen);

/*
 * The SK payload. Sealing: @aad is the message from its first byte through
 * the SK payload's generic header, with the final lengths already in place
 * (ike_sk_overhead() gives the body's length ahead); @plain is the inner
 * payload chain. @out gets the SK body, IV | ciphertext (padding and pad
 * length inside) | ICV, protected with the sender's keys: the initiator's
 * (SK_ei, SK_ai) when @initiator. CBC+HMAC's ICV covers @aad | IV |
 * ciphertext; the AEADs take @aad as associated data.
 */
size_t ike_sk_overhead(const struct ike_suite *s, size_t plain_len);
bool ike_sk_seal(const struct ike_suite *s, const struct ike_keys *k,
		 bool initiator, const uint8_t *aad, size_t aad_len,
		 const uint8_t *plain, size_t plain_len, uint8_t *out,
		 size_t *out_len);
/*
 * Opening checks the ICV over @msg[0..msg_len) (the whole message; the SK
 * payload's body starts at @body_off and runs to the end) with the keys of
 * the side that sent it (@initiator: the initiator sent it), decrypts and
 * strips the padding. @plain gets at most @plain_cap bytes.
 */
bool ike_sk_open(const struct ike_suite *s, const struct ike_keys *k,
		 bool initiator, const uint8_t *msg, size_t msg_len,
		 size_t body_off, uint8_t *plain, size_t plain_cap,
		 size_t *plain_len, const char **err);

/*
 * AUTH with a pre-shared key (2.15):
 *   prf(prf(PSK, "Key Pad for IKEv2"), msg | nonce | prf(SK_px, ID body))
 * @msg is the first message the signer sent (IKE_SA_INIT request or
 * response), @nonce the peer's nonce, @id_body the ID payload's body (type,
 * reserved, data), @sk_p SK_pi for the initiator's AUTH, SK_pr for the
 * responder's. @out gets ike_prf_len(prf) bytes.
 */
bool ike_psk_auth(uint16_t prf, const uint8_t *psk, size_t psk_len,
		  const uint8_t *msg, size_t msg_len, const uint8_t *nonce,
		  size_t nonce_len, const uint8_t *sk_p, size_t sk_p_len,
		  const uint8_t *id_body, size_t id_len, uint8_t *out);

/* Constant-time comparison. */
bool ike_equal(const void *a, const void *b, size_t len);

/* Wipes @len bytes at @p. */
void ike_wipe(void *p, size_t len);

#endif
