// SPDX-License-Identifier: GPL-2.0
/* RFC 8784: PPKs mixed into an IKE SA's keys. */
#include <string.h>

#include "crypto.h"
#include "ppk.h"

/* PPK_IDENTITY's first byte: an identity both peers know (RFC 8784 3). */
#define PPK_ID_FIXED	2

void ppk_put_use(const struct ike_conn *c, struct ike_writer *w)
{
	if (c->ppk_len)
		ike_put_notify(w, 0, NULL, 0, IKE_N_USE_PPK, NULL, 0);
}

static bool mix(const struct ike_sa *sa, uint8_t *key, size_t len)
{
	uint8_t out[IKE_MAX_KEY_LEN];
	bool ok;

	ok = ike_prf_plus(sa->suite.prf, sa->conn->ppk, sa->conn->ppk_len, key, len,
			  out, len);
	if (ok)
		memcpy(key, out, len);
	ike_wipe(out, sizeof(out));
	return ok;
}

bool ppk_apply(struct ike_sa *sa)
{
	struct ike_keys *k = &sa->keys;

	memcpy(sa->no_ppk.sk_d, k->sk_d, sizeof(k->sk_d));
	memcpy(sa->no_ppk.sk_pi, k->sk_pi, sizeof(k->sk_pi));
	memcpy(sa->no_ppk.sk_pr, k->sk_pr, sizeof(k->sk_pr));
	sa->ppk_used = mix(sa, k->sk_d, k->d_len) && mix(sa, k->sk_pi, k->p_len) &&
		       mix(sa, k->sk_pr, k->p_len);
	if (!sa->ppk_used)
		ppk_revert(sa);
	return sa->ppk_used;
}

void ppk_revert(struct ike_sa *sa)
{
	struct ike_keys *k = &sa->keys;

	memcpy(k->sk_d, sa->no_ppk.sk_d, sizeof(k->sk_d));
	memcpy(k->sk_pi, sa->no_ppk.sk_pi, sizeof(k->sk_pi));
	memcpy(k->sk_pr, sa->no_ppk.sk_pr, sizeof(k->sk_pr));
	sa->ppk_used = false;
}

void ppk_settle(struct ike_sa *sa)
{
	ike_wipe(&sa->no_ppk, sizeof(sa->no_ppk));
}

void ppk_put_identity(const struct ike_conn *c, struct ike_writer *w)
{
	uint8_t id[1 + IKE_MAX_ID];

	id[0] = PPK_ID_FIXED;
	memcpy(id + 1, c->ppk_id, c->ppk_id_len);
	ike_put_notify(w, 0, NULL, 0, IKE_N_PPK_IDENTITY, id, 1 + c->ppk_id_len);
}

bool ppk_named(const struct ike_conn *c, const struct ike_payload *pl, unsigned int n)
{
	struct ike_notify nt;

	return c->ppk_len && ike_has_notify(pl, n, IKE_N_PPK_IDENTITY, &nt) &&
	       nt.len == 1 + c->ppk_id_len && nt.data[0] == PPK_ID_FIXED &&
	       !memcmp(nt.data + 1, c->ppk_id, c->ppk_id_len);
}
