/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Remote access, the gateway's side: a connection of many peers (remote =
 * a prefix or %any) tells its clients apart by identity (unique = ...),
 * and hands out virtual addresses from its pools and its DNS servers in
 * IKE_AUTH's configuration payload (RFC 7296 2.19, 3.15); a client's
 * CHILD SAs carry its virtual addresses.
 */
#ifndef IKED_RA_H
#define IKED_RA_H

#include <stdbool.h>
#include <stdint.h>

#include "ike.h"

/*
 * unique = ... for @sa, just authenticated: replace ends the client's
 * other IKE SAs of this connection; keep returns false (the new one is
 * refused, logged); no leaves them.
 */
bool ra_unique(struct ike_sa *sa);

/*
 * A CFG_REQUEST in @pl answered into @w: addresses of the families asked
 * for, from the connection's pools, and DNS servers. Returns 0, or
 * INTERNAL_ADDRESS_FAILURE when addresses were asked for and none could
 * be had (the pool full, or no pool of that family): no CHILD SA then.
 */
uint16_t ra_configure(struct ike_sa *sa, const struct ike_payload *pl, unsigned int n,
		      struct ike_writer *w);

/* @sa's virtual addresses go back to their pools (it is down). */
void ra_release(struct ike_sa *sa);
/* An IKE rekey: @ns holds @old's virtual addresses from now on. */
void ra_move(struct ike_sa *old, struct ike_sa *ns);

#endif
