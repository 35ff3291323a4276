// SPDX-License-Identifier: GPL-2.0
/*
 * CREATE_CHILD_SA (RFC 7296 1.3, 2.8, 2.17, 2.18) in both roles: new and
 * rekeyed CHILD SAs, rekey collisions, and IKE SA rekeys.
 */
#include <stdlib.h>
#include <string.h>

#include "ike.h"
#include "ra.h"
#include "kernel.h"
#include "net.h"

static uint32_t spi_of(const struct ike_proposal *p)
{
	return (uint32_t)p->spi[0] << 24 | p->spi[1] << 16 | p->spi[2] << 8 |
	       p->spi[3];
}

static void set_spi(struct ike_proposal *p, uint32_t spi)
{
	p->spi_len = 4;
	p->spi[0] = spi >> 24;
	p->spi[1] = spi >> 16;
	p->spi[2] = spi >> 8;
	p->spi[3] = spi;
}

/* Keying material of a CREATE_CHILD_SA: prf+(SK_d, [g^ir] | Ni | Nr). */
static uint8_t *rekey_keymat(struct ike_sa *sa, const struct ike_suite *s,
			     struct ike_dh *dh, const uint8_t *peer_ke,
			     size_t ke_len, const uint8_t *ni, size_t ni_len,
			     const uint8_t *nr, size_t nr_len, size_t *klen)
{
	uint8_t shared[IKE_MAX_DH_LEN];
	size_t shared_len = 0;
	uint8_t *keymat;

	*klen = 2 * child_keymat_len(s);
	if (dh && !ike_dh_shared(dh, peer_ke, ke_len, shared, &shared_len))
		return NULL;
	keymat = malloc(*klen);
	if (keymat && !ike_child_keymat(&sa->keys, dh ? shared : NULL, shared_len,
					ni, ni_len, nr, nr_len, keymat, *klen)) {
		free(keymat);
		keymat = NULL;
	}
	ike_wipe(shared, sizeof(shared));
	return keymat;
}

static void free_keymat(uint8_t *keymat, size_t len)
{
	if (keymat) {
		ike_wipe(keymat, len);
		free(keymat);
	}
}

static bool new_exchange_nonce(struct ike_sa *sa, uint16_t group)
{
	sa->xnonce_len = IKE_NONCE_LEN;
	ike_dh_free(sa->xdh);
	sa->xdh = group ? ike_dh_new(group) : NULL;
	if (group && !sa->xdh)
		return false;
	return ike_random(sa->xnonce, sa->xnonce_len);
}

static void put_ke(struct ike_writer *w, struct ike_dh *dh)
{
	const uint8_t *pub;
	size_t len;

	if (!dh)
		return;
	pub = ike_dh_public(dh, &len);
	ike_put_ke(w, ike_dh_group(dh), pub, len);
}

/*
 * Our CREATE_CHILD_SA for the new CHILD SA @n (its inbound SPI reserved
 * here) with these selectors: a rekey of the one whose inbound SPI is
 * @rekey_spi, or (0) one more. On success @n is @sa's new_child; on
 * failure it is freed.
 */
static int request_child(struct ike_sa *sa, struct child_sa *n,
			 uint32_t rekey_spi, const struct ike_ts *tsl,
			 unsigned int nl, const struct ike_ts *tsr,
			 unsigned int nr, enum ike_request what)
{
	struct ike_proposal props[IKE_MAX_PROPOSALS];
	uint8_t spi[4] = { rekey_spi >> 24, rekey_spi >> 16, rekey_spi >> 8,
			   rekey_spi };
	struct ike_writer w;
	unsigned int np;
	size_t alen;

	if (kernel_alloc_spi(sa->local.ss_family, sockaddr_addr(&sa->local, &alen),
			     &n->spi_in) ||
	    !new_exchange_nonce(sa, proposals_first_dh(sa->conn->esp,
						       sa->conn->n_esp)))
		goto fail;
	np = ike_child_proposals(sa->conn, n->spi_in, props, true);
	ike_writer_chain(&w);
	if (rekey_spi)
		ike_put_notify(&w, IKE_PROTO_ESP, spi, 4, IKE_N_REKEY_SA, NULL, 0);
	if (!n->tunnel)
		ike_put_notify(&w, 0, NULL, 0, IKE_N_USE_TRANSPORT_MODE, NULL, 0);
	ike_put_sa(&w, props, np);
	ike_put_nonce(&w, sa->xnonce, sa->xnonce_len);
	put_ke(&w, sa->xdh);
	ike_put_ts(&w, IKE_PL_TSI, tsl, nl);
	ike_put_ts(&w, IKE_PL_TSR, tsr, nr);
	if (!ike_sa_request(sa, CREATE_CHILD_SA, &w, what))
		goto fail;
	sa->new_child = n;
	return 0;
fail:
	child_free(n);
	return -1;
}

int child_rekey(struct ike_sa *sa, struct child_sa *c)
{
	struct child_sa *n;

	if (sa->state != IKE_S_ESTABLISHED || c->state != CHILD_S_INSTALLED)
		return 0;
	if (sa->pending != REQ_NONE)
		return -1;	/* the tick tries again */
	n = calloc(1, sizeof(*n));
	if (!n)
		return -1;
	/* The successor keeps the reqid: the policies stay as they are. */
	*n = (struct child_sa){ .tunnel = c->tunnel, .reqid = c->reqid };
	memcpy(n->ts_local, c->ts_local, sizeof(c->ts_local));
	memcpy(n->ts_remote, c->ts_remote, sizeof(c->ts_remote));
	n->n_ts_local = c->n_ts_local;
	n->n_ts_remote = c->n_ts_remote;
	if (request_child(sa, n, c->spi_in, c->ts_local, c->n_ts_local,
			  c->ts_remote, c->n_ts_remote, REQ_CHILD_REKEY))
		return -1;
	ike_log(sa, "rekeying CHILD SA 0x%08x/0x%08x", c->spi_in, c->spi_out);
	c->state = CHILD_S_REKEYING;
	sa->rekeying = c;
	return 0;
}

int child_create_ts(struct ike_sa *sa, const struct ike_ts *tsl, unsigned int nl,
		    const struct ike_ts *tsr, unsigned int nr)
{
	struct child_sa *n;

	if (sa->state != IKE_S_ESTABLISHED || sa->rekeyed ||
	    sa->pending != REQ_NONE || time(NULL) < sa->child_create_after)
		return -1;
	n = calloc(1, sizeof(*n));
	if (!n)
		return -1;
	n->tunnel = sa->conn->tunnel;
	if (request_child(sa, n, 0, tsl, nl, tsr, nr, REQ_CHILD_CREATE))
		return -1;
	sa->rekeying = NULL;
	return 0;
}

int child_create(struct ike_sa *sa, const struct ike_ts *tsi,
		 const struct ike_ts *tsr)
{
	struct ike_ts l[IKE_MAX_TS + 1], r[IKE_MAX_TS + 1];
	unsigned int nl, nr, first = tsi ? 1 : 0;

	if (tsi) {
		l[0] = *tsi;
		r[0] = *tsr;
	}
	child_our_ts(sa->conn, l + first, &nl, r + first, &nr);
	return child_create_ts(sa, l, nl + first, r, nr + first);
}

int ike_rekey(struct ike_sa *sa)
{
	struct ike_proposal props[IKE_MAX_PROPOSALS];
	struct ike_conn *conn = sa->conn;
	struct ike_sa *ns;
	struct ike_writer w;
	unsigned int i;

	if (sa->pending != REQ_NONE || sa->new_ike)
		return -1;
	ns = ike_sa_new(conn, true);
	if (!ns)
		return -1;
	ns->state = IKE_S_INIT_SENT;
	if (!new_exchange_nonce(sa, proposals_first_dh(conn->ike, conn->n_ike))) {
		ns->state = IKE_S_DEAD;
		return -1;
	}
	for (i = 0; i < conn->n_ike; i++) {
		props[i] = conn->ike[i];
		props[i].spi_len = IKE_SPI_LEN;
		memcpy(props[i].spi, ns->spi_i, IKE_SPI_LEN);
	}
	ike_writer_chain(&w);
	ike_put_sa(&w, props, conn->n_ike);
	ike_put_nonce(&w, sa->xnonce, sa->xnonce_len);
	put_ke(&w, sa->xdh);
	if (!ike_sa_request(sa, CREATE_CHILD_SA, &w, REQ_IKE_REKEY)) {
		ns->state = IKE_S_DEAD;
		return -1;
	}
	ike_log(sa, "rekeying the IKE SA");
	sa->new_ike = ns;
	return 0;
}

/* @ns, the new IKE SA of a rekey of @old, stands in for it: same peer,
 * same addresses, a lifetime of its own.
 */
static void ike_successor(struct ike_sa *old, struct ike_sa *ns)
{
	ns->local = old->local;
	ns->remote = old->remote;
	ns->nat_local = old->nat_local;
	ns->nat_remote = old->nat_remote;
	ns->peer_id_type = old->peer_id_type;
	memcpy(ns->peer_id, old->peer_id, old->peer_id_len);
	ns->peer_id_len = old->peer_id_len;
	/* Who the peer proved to be goes along: a rekey authenticates no one. */
	memcpy(ns->peer_cert, old->peer_cert, sizeof(ns->peer_cert));
	memcpy(ns->peer_cert_issuer, old->peer_cert_issuer, sizeof(ns->peer_cert_issuer));
	ns->peer_cert_until = old->peer_cert_until;
	ns->ppk_used = old->ppk_used;	/* its SK_d had the PPK in it */
	ike_sa_established(ns);
}

/* @ns replaces @old: the CHILD SAs move over, @old is to be deleted. */
static void ike_takeover(struct ike_sa *old, struct ike_sa *ns)
{
	/* A CHILD rekey of ours on @old would never be answered on @ns: the
	 * CHILD SA is as before it, to be rekeyed again from @ns.
	 */
	if (old->rekeying) {
		if (old->rekeying->state == CHILD_S_REKEYING) {
			old->rekeying->state = CHILD_S_INSTALLED;
			old->rekeying->rekey_due = true;
		}
		old->rekeying = NULL;
	}
	ns->children = old->children;
	old->children = NULL;
	ra_move(old, ns);
	old->rekeyed = true;
	old->peer_new_ike = NULL;
}

void ike_rekey_collision_lost(struct ike_sa *old)
{
	struct ike_sa *theirs = old->peer_new_ike;

	if (old->new_ike) {
		old->new_ike->state = IKE_S_DEAD;
		old->new_ike = NULL;
	}
	ike_takeover(old, theirs);
	ike_log(theirs, "IKE SA rekeyed by the peer (our rekey of it crossed theirs)");
}

static bool rekey_ike_keys(struct ike_sa *old, struct ike_sa *ns,
			   struct ike_dh *dh, const uint8_t *ke, size_t ke_len)
{
	uint8_t shared[IKE_MAX_DH_LEN];
	size_t shared_len = 0;
	bool ok;

	ok = ike_dh_shared(dh, ke, ke_len, shared, &shared_len) &&
	     ike_derive_keys(&ns->suite, ns->ni, ns->ni_len, ns->nr, ns->nr_len,
			     shared, shared_len, ns->spi_i, ns->spi_r,
			     old->keys.sk_d, old->keys.d_len, old->suite.prf,
			     &ns->keys);
	ike_wipe(shared, sizeof(shared));
	return ok;
}

static void respond(struct ike_sa *sa, const struct ike_header *hdr,
		    struct ike_writer *w)
{
	struct ike_buf out;

	if (ike_sa_seal(sa, hdr->exchange, true, hdr->msg_id, w, &out))
		ike_sa_send_response(sa, &out);
	ike_buf_free(&w->buf);
}

static void respond_error(struct ike_sa *sa, const struct ike_header *hdr,
			  uint16_t type, const void *data, size_t len)
{
	struct ike_writer w;

	ike_writer_chain(&w);
	ike_put_notify(&w, 0, NULL, 0, type, data, len);
	respond(sa, hdr, &w);
}

static void recv_ike_rekey(struct ike_sa *sa, const struct ike_header *hdr,
			   const struct ike_proposal *theirs, unsigned int nt,
			   const uint8_t *nonce, size_t nonce_len,
			   uint16_t group, const uint8_t *ke, size_t ke_len)
{
	struct ike_proposal chosen;
	struct ike_sa *ns;
	struct ike_dh *dh;
	struct ike_writer w;

	/* Not while a CHILD SA exchange or a DELETE of ours is in flight: its
	 * answer would come to an IKE SA whose CHILD SAs moved (RFC 7296
	 * 2.25.2). Ours of the IKE SA itself is a collision, handled below.
	 */
	if (sa->peer_new_ike ||
	    (sa->pending != REQ_NONE && sa->pending != REQ_IKE_REKEY &&
	     sa->pending != REQ_DPD)) {
		respond_error(sa, hdr, IKE_N_TEMPORARY_FAILURE, NULL, 0);
		return;
	}
	if (!proposal_select(sa->conn->ike, sa->conn->n_ike, theirs, nt, &chosen) ||
	    chosen.spi_len != IKE_SPI_LEN) {
		respond_error(sa, hdr, IKE_N_NO_PROPOSAL_CHOSEN, NULL, 0);
		return;
	}
	ns = ike_sa_new(sa->conn, false);
	if (!ns) {
		respond_error(sa, hdr, IKE_N_TEMPORARY_FAILURE, NULL, 0);
		return;
	}
	proposal_suite(&chosen, &ns->suite);
	if (group != ns->suite.dh) {
		uint8_t want[2] = { ns->suite.dh >> 8, ns->suite.dh & 0xff };

		ns->state = IKE_S_DEAD;
		respond_error(sa, hdr, IKE_N_INVALID_KE_PAYLOAD, want, 2);
		return;
	}
	memcpy(ns->spi_i, chosen.spi, IKE_SPI_LEN);
	memcpy(ns->ni, nonce, nonce_len);
	ns->ni_len = nonce_len;
	ns->nr_len = IKE_NONCE_LEN;
	dh = ike_dh_new(group);
	if (!dh || !ike_random(ns->nr, ns->nr_len) ||
	    !rekey_ike_keys(sa, ns, dh, ke, ke_len)) {
		ike_dh_free(dh);
		ns->state = IKE_S_DEAD;
		respond_error(sa, hdr, IKE_N_NO_PROPOSAL_CHOSEN, NULL, 0);
		return;
	}
	memcpy(chosen.spi, ns->spi_r, IKE_SPI_LEN);
	ike_writer_chain(&w);
	ike_put_sa(&w, &chosen, 1);
	ike_put_nonce(&w, ns->nr, ns->nr_len);
	put_ke(&w, dh);
	ike_dh_free(dh);
	respond(sa, hdr, &w);
	ike_successor(sa, ns);
	if (sa->new_ike) {
		/* Ours is in flight too: which new SA stays, its answer decides. */
		sa->peer_new_ike = ns;
		ike_log(sa, "IKE SA rekey collision: the peer rekeys it too");
		return;
	}
	ike_takeover(sa, ns);
	ike_log(ns, "IKE SA rekeyed by the peer");
}

/* The lower of two nonces, as RFC 7296 2.8.1 compares them. */
static const uint8_t *lower_nonce(const uint8_t *a, size_t alen,
				  const uint8_t *b, size_t blen, size_t *len)
{
	size_t min = alen < blen ? alen : blen;
	int cmp = memcmp(a, b, min);

	if (cmp < 0 || (!cmp && alen <= blen)) {
		*len = alen;
		return a;
	}
	*len = blen;
	return b;
}

/* The peer rekeys @old while our rekey of it is in flight: both go on;
 * which new SA is redundant is decided when our answer comes.
 */
static void note_collision(struct child_sa *old, const struct child_sa *theirs,
			   const uint8_t *ni, size_t ni_len, const uint8_t *nr,
			   size_t nr_len)
{
	const uint8_t *low;
	size_t len;

	low = lower_nonce(ni, ni_len, nr, nr_len, &len);
	old->peer_rekey_spi = theirs->spi_in;
	memcpy(old->peer_rekey_nonce, low, len);
	old->peer_rekey_nonce_len = len;
}

/*
 * Our rekey of @old is done, and the peer's too: of the two new SAs, the
 * one whose exchange had the lowest of the four nonces is closed by the
 * peer that made it (RFC 7296 2.8.1). Returns whether ours is that one.
 */
static bool ours_redundant(struct ike_sa *sa, const struct child_sa *old,
			   const uint8_t *nr, size_t nr_len)
{
	const uint8_t *ours, *low;
	size_t ours_len, low_len;

	ours = lower_nonce(sa->xnonce, sa->xnonce_len, nr, nr_len, &ours_len);
	low = lower_nonce(ours, ours_len, old->peer_rekey_nonce,
			  old->peer_rekey_nonce_len, &low_len);
	ike_log(sa, "rekey collision on CHILD SA 0x%08x: the %s new SA is redundant",
		old->spi_in, low == ours ? "our" : "peer's");
	return low == ours;
}

void ike_recv_create_child(struct ike_sa *sa, const struct ike_header *hdr,
			   const struct ike_payload *pl, unsigned int n)
{
	struct ike_proposal theirs[IKE_MAX_PROPOSALS], chosen;
	struct ike_ts tsi[IKE_MAX_TS_PEER], tsr[IKE_MAX_TS_PEER];
	const struct ike_payload *p;
	struct child_sa *old = NULL, *c = NULL;
	const uint8_t *nonce, *ke = NULL;
	size_t nonce_len, ke_len = 0, klen = 0;
	unsigned int nt, ni, nr;
	struct ike_notify nt_rekey;
	struct ike_dh *dh = NULL;
	struct ike_writer w;
	uint8_t nr_buf[IKE_NONCE_LEN], *keymat = NULL;
	const char *err = NULL;
	uint16_t group = 0;
	bool transport;

	if (sa->state != IKE_S_ESTABLISHED || sa->rekeyed) {
		respond_error(sa, hdr, IKE_N_TEMPORARY_FAILURE, NULL, 0);
		return;
	}
	if (ike_need(pl, n, IKE_PL_SA, &p, &err) ||
	    ike_parse_sa(p, theirs, IKE_MAX_PROPOSALS, &nt, &err) || !nt ||
	    ike_need(pl, n, IKE_PL_NONCE, &p, &err) ||
	    ike_parse_nonce(p, &nonce, &nonce_len, &err) ||
	    (ike_has(pl, n, IKE_PL_KE, &p) &&
	     ike_parse_ke(p, &group, &ke, &ke_len, &err))) {
		ike_warn(sa, NULL, "CREATE_CHILD_SA refused: %s",
			err ? err : "SA or Nonce missing");
		respond_error(sa, hdr, IKE_N_INVALID_SYNTAX, NULL, 0);
		return;
	}
	if (theirs[0].protocol == IKE_PROTO_IKE) {
		recv_ike_rekey(sa, hdr, theirs, nt, nonce, nonce_len, group, ke,
			       ke_len);
		return;
	}
	if (ike_has_notify(pl, n, IKE_N_REKEY_SA, &nt_rekey)) {
		uint32_t spi = nt_rekey.spi_len == 4 ?
			       (uint32_t)nt_rekey.spi[0] << 24 | nt_rekey.spi[1] << 16 |
			       nt_rekey.spi[2] << 8 | nt_rekey.spi[3] : 0;

		old = child_by_spi(sa, spi, false);
		if (!old || old->state == CHILD_S_DELETING) {
			ike_log(sa, "CREATE_CHILD_SA: no CHILD SA 0x%08x to rekey", spi);
			respond_error(sa, hdr, IKE_N_CHILD_SA_NOT_FOUND, NULL, 0);
			return;
		}
	}
	transport = ike_has_notify(pl, n, IKE_N_USE_TRANSPORT_MODE, NULL);
	if (ike_need(pl, n, IKE_PL_TSI, &p, &err) ||
	    ike_parse_ts(p, tsi, IKE_MAX_TS_PEER, &ni, &err) ||
	    ike_need(pl, n, IKE_PL_TSR, &p, &err) ||
	    ike_parse_ts(p, tsr, IKE_MAX_TS_PEER, &nr, &err)) {
		respond_error(sa, hdr, IKE_N_INVALID_SYNTAX, NULL, 0);
		return;
	}
	if (!proposal_select(sa->conn->esp, sa->conn->n_esp, theirs, nt, &chosen) ||
	    chosen.spi_len != 4 || transport == sa->conn->tunnel) {
		char a[1024], b[1024];

		proposals_format(theirs, nt, a, sizeof(a));
		proposals_format(sa->conn->esp, sa->conn->n_esp, b, sizeof(b));
		ike_warn(sa, NULL, "NO_PROPOSAL_CHOSEN for a CHILD SA: the peer proposed %s (%s mode); we accept %s",
			a, transport ? "transport" : "tunnel", b);
		respond_error(sa, hdr, IKE_N_NO_PROPOSAL_CHOSEN, NULL, 0);
		return;
	}
	c = calloc(1, sizeof(*c));
	if (!c)
		goto temporary;
	c->tunnel = sa->conn->tunnel;
	if (old)
		c->reqid = old->reqid;
	proposal_suite(&chosen, &c->suite);
	if (c->suite.dh != group && c->suite.dh) {
		uint8_t want[2] = { c->suite.dh >> 8, c->suite.dh & 0xff };

		child_free(c);
		respond_error(sa, hdr, IKE_N_INVALID_KE_PAYLOAD, want, 2);
		return;
	}
	c->spi_out = spi_of(&chosen);
	if (!child_narrow(sa, tsi, ni, tsr, nr, c)) {
		child_free(c);
		respond_error(sa, hdr, IKE_N_TS_UNACCEPTABLE, NULL, 0);
		return;
	}
	dh = c->suite.dh ? ike_dh_new(c->suite.dh) : NULL;
	if (c->suite.dh && !dh)
		goto temporary;
	if (kernel_alloc_spi(sa->local.ss_family,
			     sockaddr_addr(&sa->local, &klen), &c->spi_in) ||
	    !ike_random(nr_buf, sizeof(nr_buf)))
		goto temporary;
	keymat = rekey_keymat(sa, &c->suite, dh, ke, ke_len, nonce, nonce_len,
			      nr_buf, sizeof(nr_buf), &klen);
	/* A new SA of a rekey sends once the initiator can take it. */
	if (!keymat || !child_install(sa, c, keymat, false, !old))
		goto temporary;
	free_keymat(keymat, klen);
	c->next = sa->children;
	sa->children = c;
	if (old && old->state == CHILD_S_REKEYING)
		note_collision(old, c, nonce, nonce_len, nr_buf, sizeof(nr_buf));
	else if (old)
		old->state = CHILD_S_REKEYED;
	set_spi(&chosen, c->spi_in);
	ike_writer_chain(&w);
	if (!c->tunnel)
		ike_put_notify(&w, 0, NULL, 0, IKE_N_USE_TRANSPORT_MODE, NULL, 0);
	ike_put_sa(&w, &chosen, 1);
	ike_put_nonce(&w, nr_buf, sizeof(nr_buf));
	put_ke(&w, dh);
	ike_put_ts(&w, IKE_PL_TSI, c->ts_remote, c->n_ts_remote);
	ike_put_ts(&w, IKE_PL_TSR, c->ts_local, c->n_ts_local);
	ike_dh_free(dh);
	respond(sa, hdr, &w);
	return;
temporary:
	free_keymat(keymat, klen);
	ike_dh_free(dh);
	if (c) {
		child_uninstall(sa, c);
		child_free(c);
	}
	respond_error(sa, hdr, IKE_N_TEMPORARY_FAILURE, NULL, 0);
}

static void child_rekey_response(struct ike_sa *sa, const struct ike_payload *pl,
				 unsigned int n)
{
	struct child_sa *c = sa->new_child, *old = sa->rekeying;
	struct ike_proposal chosen[IKE_MAX_PROPOSALS];
	struct ike_ts tsi[IKE_MAX_TS], tsr[IKE_MAX_TS];
	const struct ike_payload *p;
	const uint8_t *nonce, *ke = NULL;
	size_t nonce_len, ke_len = 0, klen = 0;
	unsigned int np, ni, nr;
	uint8_t *keymat = NULL;
	const char *err = NULL;
	uint16_t type, group = 0;

	sa->new_child = NULL;
	sa->rekeying = NULL;
	if (old && old->state == CHILD_S_REKEYING)
		old->state = CHILD_S_INSTALLED;
	type = ike_error_notify(pl, n, NULL);
	if (type && old) {
		ike_log(sa, "rekeying CHILD SA 0x%08x failed: the peer answered %s; trying again in 10 s",
			old->spi_in, ike_notify_name(type));
		old->rekey_due = true;
		old->rekey_after = time(NULL) + 10;
		goto fail;
	}
	if (type) {
		/* The next ACQUIRE asks again, but not before 10 s. */
		ike_log(sa, "a new CHILD SA failed: the peer answered %s",
			ike_notify_name(type));
		sa->child_create_after = time(NULL) + 10;
		goto fail;
	}
	if (ike_need(pl, n, IKE_PL_SA, &p, &err) ||
	    ike_parse_sa(p, chosen, IKE_MAX_PROPOSALS, &np, &err) || np != 1 ||
	    chosen[0].spi_len != 4 ||
	    !proposal_accept(sa->conn->esp, sa->conn->n_esp, &chosen[0]) ||
	    ike_need(pl, n, IKE_PL_NONCE, &p, &err) ||
	    ike_parse_nonce(p, &nonce, &nonce_len, &err) ||
	    (ike_has(pl, n, IKE_PL_KE, &p) &&
	     ike_parse_ke(p, &group, &ke, &ke_len, &err)) ||
	    ike_need(pl, n, IKE_PL_TSI, &p, &err) ||
	    ike_parse_ts(p, tsi, IKE_MAX_TS, &ni, &err) ||
	    ike_need(pl, n, IKE_PL_TSR, &p, &err) ||
	    ike_parse_ts(p, tsr, IKE_MAX_TS, &nr, &err) || !ni || !nr ||
	    !child_ts_within_ours(sa, tsi, ni, tsr, nr)) {
		ike_warn(sa, NULL, "rekeying a CHILD SA failed: the answer is not acceptable (%s)",
			err ? err : "proposal or selectors");
		goto fail;
	}
	proposal_suite(&chosen[0], &c->suite);
	if (c->suite.dh && (!sa->xdh || group != ike_dh_group(sa->xdh))) {
		ike_log(sa, "rekeying a CHILD SA failed: the peer chose DH group %u without its KE",
			c->suite.dh);
		goto fail;
	}
	c->spi_out = spi_of(&chosen[0]);
	memcpy(c->ts_local, tsi, ni * sizeof(*tsi));
	c->n_ts_local = ni;
	memcpy(c->ts_remote, tsr, nr * sizeof(*tsr));
	c->n_ts_remote = nr;
	keymat = rekey_keymat(sa, &c->suite, c->suite.dh ? sa->xdh : NULL, ke,
			      ke_len, sa->xnonce, sa->xnonce_len, nonce,
			      nonce_len, &klen);
	if (!keymat || !child_install(sa, c, keymat, true, true))
		goto fail;
	free_keymat(keymat, klen);
	c->next = sa->children;
	sa->children = c;
	if (!old)
		return;
	old->state = CHILD_S_REKEYED;
	if (old->peer_rekey_spi && ours_redundant(sa, old, nonce, nonce_len)) {
		/* Theirs carries the traffic; ours and the old one go. */
		struct child_sa *theirs = child_by_spi(sa, old->peer_rekey_spi, true);

		if (theirs)
			child_install_outbound(sa, theirs);
		c->state = CHILD_S_REKEYED;
		ike_send_delete_child(sa, c);
	}
	ike_send_delete_child(sa, old);
	return;
fail:
	free_keymat(keymat, klen);
	child_uninstall(sa, c);
	child_free(c);
}

/* Our IKE rekey failed. If the peer's crossed it, the peer's takes over
 * (the peer finished before it saw ours, and deletes the old SA); else ours
 * is tried again in 5-15 s, so that two peers that refused each other's do
 * not meet again at the same time.
 */
static void ike_rekey_failed(struct ike_sa *sa, struct ike_sa *ns)
{
	uint32_t jitter = 0;

	ns->state = IKE_S_DEAD;
	if (sa->peer_new_ike) {
		ike_rekey_collision_lost(sa);
		return;
	}
	ike_random(&jitter, sizeof(jitter));
	sa->rekey_at = time(NULL) + 5 + jitter % 11;
}

/* Of two new IKE SAs of crossed rekeys, whether @ours was made with the
 * lowest of the four nonces: that one goes (RFC 7296 2.8.2).
 */
static bool ours_lowest(const struct ike_sa *ours, const struct ike_sa *theirs)
{
	const uint8_t *a, *b;
	size_t alen, blen, len;

	a = lower_nonce(ours->ni, ours->ni_len, ours->nr, ours->nr_len, &alen);
	b = lower_nonce(theirs->ni, theirs->ni_len, theirs->nr, theirs->nr_len,
			&blen);
	return lower_nonce(a, alen, b, blen, &len) == a;
}

static void ike_rekey_response(struct ike_sa *sa, const struct ike_payload *pl,
			       unsigned int n)
{
	struct ike_sa *ns = sa->new_ike, *theirs;
	struct ike_proposal chosen[IKE_MAX_PROPOSALS];
	const struct ike_payload *p;
	const uint8_t *nonce, *ke;
	size_t nonce_len, ke_len;
	const char *err = NULL;
	unsigned int np;
	uint16_t type, group;

	sa->new_ike = NULL;
	if (!ns)
		return;
	type = ike_error_notify(pl, n, NULL);
	if (type) {
		ike_log(sa, "rekeying the IKE SA failed: the peer answered %s%s",
			ike_notify_name(type),
			sa->peer_new_ike ? "" : "; trying again later");
		ike_rekey_failed(sa, ns);
		return;
	}
	if (ike_need(pl, n, IKE_PL_SA, &p, &err) ||
	    ike_parse_sa(p, chosen, IKE_MAX_PROPOSALS, &np, &err) || np != 1 ||
	    chosen[0].spi_len != IKE_SPI_LEN ||
	    !proposal_accept(sa->conn->ike, sa->conn->n_ike, &chosen[0]) ||
	    !proposal_suite(&chosen[0], &ns->suite) ||
	    ike_need(pl, n, IKE_PL_NONCE, &p, &err) ||
	    ike_parse_nonce(p, &nonce, &nonce_len, &err) ||
	    ike_need(pl, n, IKE_PL_KE, &p, &err) ||
	    ike_parse_ke(p, &group, &ke, &ke_len, &err) || !sa->xdh ||
	    group != ike_dh_group(sa->xdh)) {
		ike_warn(sa, NULL, "rekeying the IKE SA failed: the answer is not acceptable (%s)",
			err ? err : "proposal or KE");
		ike_rekey_failed(sa, ns);
		return;
	}
	memcpy(ns->spi_r, chosen[0].spi, IKE_SPI_LEN);
	memcpy(ns->ni, sa->xnonce, sa->xnonce_len);
	ns->ni_len = sa->xnonce_len;
	memcpy(ns->nr, nonce, nonce_len);
	ns->nr_len = nonce_len;
	if (!rekey_ike_keys(sa, ns, sa->xdh, ke, ke_len)) {
		ike_rekey_failed(sa, ns);
		return;
	}
	ike_successor(sa, ns);
	theirs = sa->peer_new_ike;
	if (theirs && ours_lowest(ns, theirs)) {
		/* Ours goes, by us; the peer deletes the old one. */
		ike_log(sa, "IKE SA rekey collision: our new IKE SA has the lowest nonce and is deleted, the peer's stays");
		ike_takeover(sa, theirs);
		ns->rekeyed = true;
		ike_send_delete_ike(ns);
		return;
	}
	if (theirs) {
		ike_log(sa, "IKE SA rekey collision: the peer's new IKE SA has the lowest nonce and is deleted by the peer, ours stays");
		theirs->rekeyed = true;
	}
	ike_takeover(sa, ns);
	ike_log(ns, "IKE SA rekeyed");
	ike_send_delete_ike(sa);
}

void ike_recv_create_child_response(struct ike_sa *sa,
				    const struct ike_payload *pl,
				    unsigned int n)
{
	enum ike_request what = sa->pending;

	sa->pending = REQ_NONE;
	if (what == REQ_CHILD_REKEY || what == REQ_CHILD_CREATE)
		child_rekey_response(sa, pl, n);
	else if (what == REQ_IKE_REKEY)
		ike_rekey_response(sa, pl, n);
	/* Answered, the exchange's DH private key is of no more use. */
	ike_dh_free(sa->xdh);
	sa->xdh = NULL;
}
