/* SPDX-License-Identifier: GPL-2.0 */
/*
 * IKE_AUTH's authentication (RFC 7296 2.15): our AUTH, by pre-shared key
 * or by signature with our certificate and its chain (CERT payloads), and
 * the peer's checked the way the connection says; CERTREQ and
 * SIGNATURE_HASH_ALGORITHMS (RFC 7427), which go before.
 */
#ifndef IKED_AUTH_H
#define IKED_AUTH_H

#include <stdbool.h>

#include "ike.h"

/* [CERT...] AUTH for our identity; false (logged) if it cannot be made. */
bool auth_put(struct ike_sa *sa, struct ike_writer *w);

/*
 * The peer's ID, [CERT...] and AUTH in @pl: its ID what remote_id allows,
 * its AUTH by the method remote_auth says and right. Logs why not.
 */
bool auth_check(struct ike_sa *sa, const struct ike_payload *pl, unsigned int n);

/* NO_PPK_AUTH: our AUTH made with the keys without the PPK (RFC 8784). */
bool auth_put_no_ppk(struct ike_sa *sa, struct ike_writer *w);
/* The peer's NO_PPK_AUTH checked as auth_check does AUTH (the keys must
 * be those without the PPK).
 */
bool auth_check_no_ppk(struct ike_sa *sa, const struct ike_payload *pl, unsigned int n);

/* CERTREQ with our CAs' hashes, when the peer is to show a certificate. */
void auth_put_certreq(const struct ike_conn *c, struct ike_writer *w);
/*
 * The CAs the peer's CERTREQs in @pl ask for, kept for our choice of
 * certificate (IKE_SA_INIT's response, the initiator's IKE_AUTH).
 */
void auth_peer_cas(struct ike_sa *sa, const struct ike_payload *pl, unsigned int n);
/* SIGNATURE_HASH_ALGORITHMS, when either side signs. */
void auth_put_hash_algorithms(const struct ike_conn *c, struct ike_writer *w);
/* The peer's SIGNATURE_HASH_ALGORITHMS in @pl, as a set of IKE_HASH_BIT. */
unsigned int auth_peer_hashes(const struct ike_payload *pl, unsigned int n);

/* Our AUTH is sent and the peer's checked: their inputs go. */
void auth_forget_inputs(struct ike_sa *sa);

#endif
