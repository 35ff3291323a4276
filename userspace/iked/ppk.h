/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Post-quantum preshared keys (RFC 8784): offered in IKE_SA_INIT
 * (USE_PPK), named in IKE_AUTH (PPK_IDENTITY), mixed into SK_d, SK_pi and
 * SK_pr, so that an IKE SA stays secret even if its Diffie-Hellman is
 * broken later. Without ppk_required a peer without the PPK is still
 * taken, by the AUTH made without it (NO_PPK_AUTH).
 */
#ifndef IKED_PPK_H
#define IKED_PPK_H

#include <stdbool.h>

#include "ike.h"

/* USE_PPK in our IKE_SA_INIT, when the connection has a PPK. */
void ppk_put_use(const struct ike_conn *c, struct ike_writer *w);

/* SK_d, SK_pi and SK_pr become prf+(PPK, each); the old ones are kept
 * until ppk_settle, for NO_PPK_AUTH and for a peer that has no PPK.
 */
bool ppk_apply(struct ike_sa *sa);
/* The keys without the PPK again (the peer used none). */
void ppk_revert(struct ike_sa *sa);
/* IKE_AUTH is over: the keys without the PPK go. */
void ppk_settle(struct ike_sa *sa);

/* PPK_IDENTITY with our ppk_id (RFC 8784 3: PPK_ID_FIXED). */
void ppk_put_identity(const struct ike_conn *c, struct ike_writer *w);
/* Whether @pl has PPK_IDENTITY naming the connection's ppk_id. */
bool ppk_named(const struct ike_conn *c, const struct ike_payload *pl, unsigned int n);

#endif
