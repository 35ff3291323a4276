/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Proposals as strongSwan spells them ("aes128gcm16-prfsha256-x25519",
 * several separated by commas), their selection, and the algorithms a
 * selected proposal stands for.
 */
#ifndef IKED_PROPOSAL_H
#define IKED_PROPOSAL_H

#include <stdbool.h>
#include <stddef.h>

#include "payload.h"

/*
 * Parses @text into proposals for @protocol (IKE_PROTO_IKE or _ESP),
 * numbered from 1. Keywords (strongSwan's): aes128 aes192 aes256 (CBC),
 * aes128gcm16 aes256gcm16 (also gcm8/gcm12 for ESP), chacha20poly1305,
 * sha256 sha384 sha512 (integrity, and PRF for IKE when no prf is given),
 * prfsha256 prfsha384 prfsha512, x25519 ecp256 ecp384 modp2048 modp3072,
 * esn noesn (ESP). An ESP proposal may name a DH group (PFS). Weak
 * algorithms (des, 3des, md5, sha1, prfsha1, modp1024, ...) are refused by
 * name as weak; unknown words as unknown. An IKE proposal needs an
 * encryption algorithm, a PRF (explicit or from the integrity algorithm), an
 * integrity algorithm unless AEAD (and none with AEAD) and a DH group.
 * Returns 0, or -1 with a message naming the word in @err.
 */
int proposals_parse(const char *text, uint8_t protocol,
		    struct ike_proposal *props, unsigned int max,
		    unsigned int *n, char *err, size_t errlen);

/* strongSwan's spelling of @p ("aes128gcm16-prfsha256-x25519"); a proposal
 * with several of one type lists each. Unknown transforms as "TYPE:ID".
 */
void proposal_format(const struct ike_proposal *p, char *buf, size_t len);
/* All of them, separated by ", ". */
void proposals_format(const struct ike_proposal *props, unsigned int n,
		      char *buf, size_t len);

/*
 * The responder's choice: the first of @theirs (in their order) for which
 * every transform type has a transform that one of @mine also has (same id
 * and key length); @chosen gets that proposal with one transform per type
 * (the first of theirs that matches) and their proposal number and SPI.
 * Types that @mine lacks must be absent from theirs too, except ESN, where
 * an absent ESN transform means no ESN; one with a transform type iked
 * does not know is refused (RFC 7296 3.3.6). Returns false if none.
 */
bool proposal_select(const struct ike_proposal *mine, unsigned int nmine,
		     const struct ike_proposal *theirs, unsigned int ntheirs,
		     struct ike_proposal *chosen);

/* Moves the transform (@type, @id) ahead of the others of its type in each
 * proposal that has it, so that proposal_select prefers it.
 */
void proposals_prefer(struct ike_proposal *props, unsigned int n, uint8_t type,
		      uint16_t id);

/*
 * The initiator's check of the responder's answer: @chosen must be one
 * proposal with one transform of each type, all of them in the proposal of
 * @mine with the same number.
 */
bool proposal_accept(const struct ike_proposal *mine, unsigned int nmine,
		     const struct ike_proposal *chosen);

/* The algorithms of a selected proposal. */
struct ike_suite {
	uint16_t encr;		/* IKE_ENCR_* */
	uint16_t encr_bits;	/* key length in bits */
	uint16_t prf;		/* IKE_PRF_*, IKE only */
	uint16_t integ;		/* IKE_INTEG_*, 0 with AEAD */
	uint16_t dh;		/* IKE_DH_*, 0: none */
	bool esn;
};

/* Fills @s from a selected proposal; false if it lacks something required. */
bool proposal_suite(const struct ike_proposal *p, struct ike_suite *s);

/* strongSwan's spelling of a suite of @protocol. */
void suite_format(const struct ike_suite *s, uint8_t protocol, char *buf,
		  size_t len);

/* Whether @p has the transform (@type, @id, key @bits); how many of @type. */
bool proposal_has(const struct ike_proposal *p, uint8_t type, uint16_t id,
		  uint16_t bits);
unsigned int proposal_count(const struct ike_proposal *p, uint8_t type);

/* The DH group of the first proposal that has one (the KE to send), or 0. */
uint16_t proposals_first_dh(const struct ike_proposal *props, unsigned int n);

/* Whether any proposal offers DH group @group. */
bool proposals_have_dh(const struct ike_proposal *props, unsigned int n,
		       uint16_t group);

/*
 * ESP: the kernel algorithm (NFESP_SA_A_ALG), key bytes for each direction
 * (salt or HMAC key included) and ICV bits of a suite; false if nfesp
 * cannot do it.
 */
bool esp_suite_kernel(const struct ike_suite *s, const char **alg,
		      size_t *key_len, unsigned int *icv_bits);

#endif
