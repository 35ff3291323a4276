/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Digital signatures for IKE_AUTH (RFC 7427, auth method 14): the AUTH
 * payload's data is the length of an ASN.1 AlgorithmIdentifier, the
 * identifier (which names the hash), and the signature. OpenSSL makes and
 * reads the identifiers; iked parses no ASN.1 of its own.
 */
#ifndef IKED_SIG_H
#define IKED_SIG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <openssl/evp.h>

#include "payload.h"

/* The hash algorithms of SIGNATURE_HASH_ALGORITHMS (RFC 7427 4, RFC 8420). */
enum ike_hash {
	IKE_HASH_SHA1 = 1,
	IKE_HASH_SHA256 = 2,
	IKE_HASH_SHA384 = 3,
	IKE_HASH_SHA512 = 4,
	IKE_HASH_IDENTITY = 5,
};

/* A set of ike_hash values, bit (1 << value). */
#define IKE_HASH_BIT(h)		(1u << (h))
/* What iked verifies and announces: SHA-1 is not among them (weak). */
#define IKE_HASHES_OURS		(IKE_HASH_BIT(IKE_HASH_SHA256) | \
				 IKE_HASH_BIT(IKE_HASH_SHA384) | \
				 IKE_HASH_BIT(IKE_HASH_SHA512) | \
				 IKE_HASH_BIT(IKE_HASH_IDENTITY))

/*
 * The AUTH data (method 14) of @octets signed with @key: RSA (PKCS#1
 * v1.5, or RSASSA-PSS with @pss or an RSA-PSS key), ECDSA or Ed25519,
 * with the hash that fits the key best among
 * @peer_hashes (the peer's SIGNATURE_HASH_ALGORITHMS) and ours. Returns
 * 0, or -1 and why in @err.
 */
int sig_sign(EVP_PKEY *key, bool pss, unsigned int peer_hashes, const uint8_t *octets,
	     size_t len, struct ike_buf *out, char *err, size_t errlen);

/*
 * Whether @auth (method 14's data) is a signature of @octets by @pub:
 * the AlgorithmIdentifier must name a hash of ours and an algorithm of
 * the key's type (RSA: PKCS#1 v1.5 or RSASSA-PSS, whose parameters OpenSSL
 * decodes). Returns 0, or -1 and why in @err.
 */
int sig_verify(EVP_PKEY *pub, const uint8_t *auth, size_t auth_len,
	       const uint8_t *octets, size_t len, char *err, size_t errlen);

/*
 * RFC 4754's ECDSA methods, for peers without RFC 7427: 9 (SHA-256 on
 * P-256), 10 (SHA-384 on P-384) and 11 (SHA-512 on P-521), the signature
 * r and s of the curve's size each. The method iked signs with: 14 when
 * the peer announced SIGNATURE_HASH_ALGORITHMS, else 9, 10 or 11 for a key
 * of their curve, else 14.
 */
uint8_t sig_method(EVP_PKEY *key, unsigned int peer_hashes);
bool sig_is_ecdsa_method(uint8_t method);
int sig_ecdsa_sign(EVP_PKEY *key, uint8_t method, const uint8_t *octets,
		   size_t len, struct ike_buf *out, char *err, size_t errlen);
int sig_ecdsa_verify(EVP_PKEY *pub, uint8_t method, const uint8_t *auth,
		     size_t auth_len, const uint8_t *octets, size_t len, char *err,
		     size_t errlen);

#endif
