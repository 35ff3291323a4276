// SPDX-License-Identifier: GPL-2.0
/* IKE_AUTH (RFC 7296 1.2, 2.15), both roles, with its first CHILD SA. */
#include <stdlib.h>
#include <string.h>

#include "auth.h"
#include "ra.h"
#include "ppk.h"
#include "certs.h"
#include "ike.h"
#include "kernel.h"
#include "net.h"

/*
 * Of the connections between the addresses of @sa's, the one that the
 * peer's identities name (IDi as remote_id, IDr, if sent, as local_id) and
 * whose IKE proposals allow what IKE_SA_INIT chose. None: @sa's stays, and
 * its check of IDi says why it fails.
 */
static void conn_by_ids(struct ike_sa *sa, const struct ike_payload *pl,
			unsigned int n)
{
	const struct ike_payload *idi = ike_find(pl, n, IKE_PL_IDI);
	const struct ike_payload *idr = ike_find(pl, n, IKE_PL_IDR);
	const uint8_t *di, *dr = NULL;
	size_t li, lr = 0;
	uint8_t ti, tr = 0;
	struct ike_proposal again;
	const char *err;
	struct ike_conn *c;

	if (!idi || ike_parse_id(idi, &ti, &di, &li, &err))
		return;
	if (idr && ike_parse_id(idr, &tr, &dr, &lr, &err))
		idr = NULL;
	for (c = iked.conf.conns; c; c = c->next) {
		if (!sockaddr_same_addr(&c->local, &sa->conn->local) ||
		    !conn_takes_peer(c, &sa->remote) ||
		    !ike_id_fits(&c->remote_id, ti, di, li) ||
		    (idr && !ike_id_equal(&c->local_id, tr, dr, lr)) ||
		    !proposal_select(c->ike, c->n_ike, &sa->ike_chosen, 1, &again))
			continue;
		if (c != sa->conn)
			ike_log(sa, "the peer's identities name connection %s",
				c->name);
		sa->conn = c;
		return;
	}
}

static bool id_is_pattern(const struct ike_id *id)
{
	return certs_id_is_pattern(id->type, id->data, id->len);
}

/*
 * We refuse the responder, which thinks the IKE SA up: it is told so in an
 * INFORMATIONAL of ours (RFC 7296 2.21.2), sent once, not waited for.
 */
static void tell_auth_failed(struct ike_sa *sa)
{
	struct ike_writer w;

	ike_writer_chain(&w);
	ike_put_notify(&w, 0, NULL, 0, IKE_N_AUTHENTICATION_FAILED, NULL, 0);
	ike_sa_request(sa, INFORMATIONAL, &w, REQ_DELETE_IKE);
}

/*
 * The initiator's authentication, with its PPK when it names ours; else,
 * unless ppk_required, by the AUTH it made without one (RFC 8784 3).
 */
static bool peer_authentic(struct ike_sa *sa, const struct ike_payload *pl,
			   unsigned int n)
{
	const struct ike_conn *conn = sa->conn;
	bool no_ppk_auth = ike_has_notify(pl, n, IKE_N_NO_PPK_AUTH, NULL);

	if (sa->ppk_offered && ppk_named(conn, pl, n) && ppk_apply(sa))
		return auth_check(sa, pl, n);
	if (conn->ppk_required) {
		ike_warn(sa, NULL, "AUTHENTICATION_FAILED: the initiator uses %s, and ppk_required = yes",
			 ike_has_notify(pl, n, IKE_N_PPK_IDENTITY, NULL) ?
			 "a PPK that is not our ppk_id" : "no PPK");
		return false;
	}
	if (sa->ppk_offered && no_ppk_auth)
		return auth_check_no_ppk(sa, pl, n);
	if (ike_has_notify(pl, n, IKE_N_PPK_IDENTITY, NULL)) {
		ike_warn(sa, NULL, "AUTHENTICATION_FAILED: the initiator uses a PPK that is not our ppk_id, and requires it (no NO_PPK_AUTH)");
		return false;
	}
	return auth_check(sa, pl, n);
}

static bool other_sa_with(const struct ike_sa *sa)
{
	const struct ike_sa *o;

	for (o = iked.sas; o; o = o->next)
		if (o != sa && o->conn == sa->conn && o->state == IKE_S_ESTABLISHED)
			return true;
	return false;
}

/* The CHILD SA's proposals with our SPI in each. */
unsigned int ike_child_proposals(const struct ike_conn *conn, uint32_t spi,
				    struct ike_proposal *props, bool with_dh)
{
	unsigned int i, j, k;

	for (i = 0; i < conn->n_esp; i++) {
		props[i] = conn->esp[i];
		props[i].spi_len = 4;
		props[i].spi[0] = spi >> 24;
		props[i].spi[1] = spi >> 16;
		props[i].spi[2] = spi >> 8;
		props[i].spi[3] = spi;
		if (with_dh)
			continue;
		/* IKE_AUTH's CHILD SA takes its keys from the IKE SA: no DH. */
		for (j = k = 0; j < props[i].n; j++)
			if (props[i].t[j].type != IKE_TT_DH)
				props[i].t[k++] = props[i].t[j];
		props[i].n = k;
	}
	return conn->n_esp;
}

int ike_send_auth_request(struct ike_sa *sa)
{
	struct ike_proposal props[IKE_MAX_PROPOSALS];
	struct ike_ts tsl[IKE_MAX_TS + 1], tsr[IKE_MAX_TS + 1];
	struct ike_conn *conn = sa->conn;
	unsigned int nl, nr, cl, cr, np;
	struct child_sa *c;
	struct ike_writer w;
	const uint8_t *addr;
	size_t alen;

	c = calloc(1, sizeof(*c));
	if (!c)
		return -1;
	sa->new_child = c;
	c->tunnel = conn->tunnel;
	addr = sockaddr_addr(&sa->local, &alen);
	if (kernel_alloc_spi(sa->local.ss_family, addr, &c->spi_in))
		return -1;
	/* An ACQUIRE's packet goes first: the responder narrows to it. */
	_Static_assert(IKE_MAX_TS + 1 <= IKE_MAX_TS_PEER,
		       "a responder of our kind takes what we send");
	nl = nr = 0;
	if (sa->acquire_ts_valid) {
		tsl[nl++] = sa->acquire_tsi;
		tsr[nr++] = sa->acquire_tsr;
	}
	child_our_ts(conn, tsl + nl, &cl, tsr + nr, &cr);
	nl += cl;
	nr += cr;
	ike_writer_chain(&w);
	ike_put_id(&w, IKE_PL_IDI, conn->local_id.type, conn->local_id.data,
		   conn->local_id.len);
	if (!other_sa_with(sa))
		ike_put_notify(&w, 0, NULL, 0, IKE_N_INITIAL_CONTACT, NULL, 0);
	auth_put_certreq(conn, &w);
	if (sa->ppk_offered && ppk_apply(sa))
		ppk_put_identity(conn, &w);
	/* A pattern names no one: then the responder says who it is. */
	if (!id_is_pattern(&conn->remote_id))
		ike_put_id(&w, IKE_PL_IDR, conn->remote_id.type, conn->remote_id.data,
			   conn->remote_id.len);
	if (!auth_put(sa, &w) ||
	    (sa->ppk_used && !conn->ppk_required && !auth_put_no_ppk(sa, &w))) {
		ike_buf_free(&w.buf);
		return -1;
	}
	if (!conn->tunnel)
		ike_put_notify(&w, 0, NULL, 0, IKE_N_USE_TRANSPORT_MODE, NULL, 0);
	np = ike_child_proposals(conn, c->spi_in, props, false);
	ike_put_sa(&w, props, np);
	ike_put_ts(&w, IKE_PL_TSI, tsl, nl);
	ike_put_ts(&w, IKE_PL_TSR, tsr, nr);
	/* Message ID 1: IKE_SA_INIT was 0. */
	if (!ike_sa_request(sa, IKE_AUTH, &w, REQ_AUTH))
		return -1;
	sa->state = IKE_S_AUTH_SENT;
	return 0;
}

static void established(struct ike_sa *sa)
{
	char remote[64];

	ike_sa_established(sa);
	ike_log(sa, "IKE SA established with %s (%s)",
		sockaddr_str(&sa->remote, remote, sizeof(remote)),
		sa->initiator ? "we initiated" : "the peer initiated");
}

/* INITIAL_CONTACT: the peer has no other SA with us (RFC 7296 2.4: between
 * the two authenticated identities); ours with it that are up are stale.
 * Not those of other identities (remote access: other clients, maybe
 * behind the same address), nor those still being set up: the peer may be
 * answering one of them as we answer it (both ends started at once).
 */
static void drop_stale(struct ike_sa *sa)
{
	struct ike_sa *o;

	for (o = iked.sas; o; o = o->next)
		if (o != sa && o->conn == sa->conn && o->state == IKE_S_ESTABLISHED &&
		    sockaddr_same_addr(&o->remote, &sa->remote) &&
		    o->peer_id_type == sa->peer_id_type && o->peer_id_len == sa->peer_id_len &&
		    !memcmp(o->peer_id, sa->peer_id, sa->peer_id_len))
			ike_sa_down(o, "replaced: the peer started afresh (INITIAL_CONTACT)");
}

/* IKE_AUTH's answer AUTHENTICATION_FAILED, and the SA ends (@why). */
static void refuse_initiator(struct ike_sa *sa, const char *why)
{
	struct ike_writer w;
	struct ike_buf out;

	ike_writer_chain(&w);
	ike_put_notify(&w, 0, NULL, 0, IKE_N_AUTHENTICATION_FAILED, NULL, 0);
	if (ike_sa_seal(sa, IKE_AUTH, true, 1, &w, &out))
		ike_sa_send_response(sa, &out);
	ike_buf_free(&w.buf);
	ike_sa_down(sa, why);
}

void ike_recv_auth_request(struct ike_sa *sa, const struct ike_header *hdr,
			   const struct ike_payload *pl, unsigned int n)
{
	struct ike_proposal theirs[IKE_MAX_PROPOSALS], mine[IKE_MAX_PROPOSALS];
	struct ike_proposal chosen;
	struct ike_ts tsi[IKE_MAX_TS_PEER], tsr[IKE_MAX_TS_PEER];
	struct ike_conn *conn;
	const struct ike_payload *p;
	unsigned int nprops, nmine, ni, nr;
	struct child_sa *c = NULL;
	struct ike_writer w;
	struct ike_buf out;
	uint16_t child_error = 0;
	const char *err = NULL;
	uint8_t *keymat = NULL;
	bool transport;
	size_t klen, alen;

	(void)hdr;
	if (sa->state != IKE_S_INIT_DONE)
		return;
	conn_by_ids(sa, pl, n);
	conn = sa->conn;
	if (!peer_authentic(sa, pl, n)) {
		refuse_initiator(sa, "authentication failed");
		return;
	}
	if (!ra_unique(sa)) {
		refuse_initiator(sa, "refused: unique = keep");
		return;
	}
	ike_writer_chain(&w);
	/* Ours before the SA counts as up: without it there is no answer. */
	auth_peer_cas(sa, pl, n);
	ike_put_id(&w, IKE_PL_IDR, conn->local_id.type, conn->local_id.data,
		   conn->local_id.len);
	if (sa->ppk_used)
		ike_put_notify(&w, 0, NULL, 0, IKE_N_PPK_IDENTITY, NULL, 0);
	if (!auth_put(sa, &w)) {
		ike_buf_free(&w.buf);
		ike_sa_down(sa, "cannot compute our AUTH");
		return;
	}
	ppk_settle(sa);
	ike_sa_half_open(sa, false);
	established(sa);
	if (ike_has_notify(pl, n, IKE_N_INITIAL_CONTACT, NULL))
		drop_stale(sa);
	auth_forget_inputs(sa);
	/* Remote access: addresses and DNS (CP) before the CHILD SA, whose
	 * selectors are the client's addresses.
	 */
	child_error = ra_configure(sa, pl, n, &w);
	if (child_error)
		goto respond;

	/* The CHILD SA: its failure leaves the IKE SA up (RFC 7296 1.2). */
	transport = ike_has_notify(pl, n, IKE_N_USE_TRANSPORT_MODE, NULL);
	if (ike_need(pl, n, IKE_PL_SA, &p, &err) ||
	    ike_parse_sa(p, theirs, IKE_MAX_PROPOSALS, &nprops, &err) ||
	    ike_need(pl, n, IKE_PL_TSI, &p, &err) ||
	    ike_parse_ts(p, tsi, IKE_MAX_TS_PEER, &ni, &err) ||
	    ike_need(pl, n, IKE_PL_TSR, &p, &err) ||
	    ike_parse_ts(p, tsr, IKE_MAX_TS_PEER, &nr, &err)) {
		ike_log(sa, "no CHILD SA: %s", err ? err : "SA, TSi or TSr missing");
		child_error = IKE_N_INVALID_SYNTAX;
		goto respond;
	}
	/* Ours as IKE_AUTH has them: without DH (PFS applies to rekeys). */
	nmine = ike_child_proposals(conn, 0, mine, false);
	if (!proposal_select(mine, nmine, theirs, nprops, &chosen) ||
	    chosen.spi_len != 4) {
		ike_log_no_proposal(sa, "the CHILD SA", mine, nmine, theirs, nprops);
		child_error = IKE_N_NO_PROPOSAL_CHOSEN;
		goto respond;
	}
	if (transport == conn->tunnel) {
		ike_log(sa, "no CHILD SA: the peer wants %s mode, we are configured for %s mode",
			transport ? "transport" : "tunnel",
			conn->tunnel ? "tunnel" : "transport");
		child_error = IKE_N_NO_PROPOSAL_CHOSEN;
		goto respond;
	}
	c = calloc(1, sizeof(*c));
	if (!c) {
		child_error = IKE_N_TEMPORARY_FAILURE;
		goto respond;
	}
	c->tunnel = conn->tunnel;
	proposal_suite(&chosen, &c->suite);
	c->spi_out = (uint32_t)chosen.spi[0] << 24 | chosen.spi[1] << 16 |
		     chosen.spi[2] << 8 | chosen.spi[3];
	if (!child_narrow(sa, tsi, ni, tsr, nr, c)) {
		child_error = IKE_N_TS_UNACCEPTABLE;
		goto respond;
	}
	if (kernel_alloc_spi(sa->local.ss_family, sockaddr_addr(&sa->local, &alen),
			     &c->spi_in)) {
		child_error = IKE_N_TEMPORARY_FAILURE;
		goto respond;
	}
	klen = 2 * child_keymat_len(&c->suite);
	keymat = malloc(klen);
	if (!keymat || !ike_child_keymat(&sa->keys, NULL, 0, sa->ni, sa->ni_len,
					 sa->nr, sa->nr_len, keymat, klen) ||
	    !child_install(sa, c, keymat, false, true)) {
		child_error = IKE_N_TEMPORARY_FAILURE;
		goto respond;
	}
	c->next = sa->children;
	sa->children = c;
	chosen.spi[0] = c->spi_in >> 24;
	chosen.spi[1] = c->spi_in >> 16;
	chosen.spi[2] = c->spi_in >> 8;
	chosen.spi[3] = c->spi_in;
	if (!conn->tunnel)
		ike_put_notify(&w, 0, NULL, 0, IKE_N_USE_TRANSPORT_MODE, NULL, 0);
	ike_put_sa(&w, &chosen, 1);
	ike_put_ts(&w, IKE_PL_TSI, c->ts_remote, c->n_ts_remote);
	ike_put_ts(&w, IKE_PL_TSR, c->ts_local, c->n_ts_local);
	c = NULL;
respond:
	if (keymat) {
		ike_wipe(keymat, klen);
		free(keymat);
	}
	if (c)
		child_free(c);
	if (child_error)
		ike_put_notify(&w, 0, NULL, 0, child_error, NULL, 0);
	if (ike_sa_seal(sa, IKE_AUTH, true, 1, &w, &out))
		ike_sa_send_response(sa, &out);
	ike_buf_free(&w.buf);
}

void ike_recv_auth_response(struct ike_sa *sa, const struct ike_payload *pl,
			    unsigned int n)
{
	struct ike_proposal chosen[IKE_MAX_PROPOSALS], mine[IKE_MAX_PROPOSALS];
	struct ike_ts tsi[IKE_MAX_TS], tsr[IKE_MAX_TS];
	struct child_sa *c = sa->new_child;
	const struct ike_payload *p;
	unsigned int nprops, ni, nr;
	struct ike_notify nt;
	const char *err = NULL;
	uint8_t *keymat;
	uint16_t type;
	bool transport;
	size_t klen;
	char a[1024];

	if (sa->state != IKE_S_AUTH_SENT || sa->pending != REQ_AUTH)
		return;
	sa->pending = REQ_NONE;
	type = ike_error_notify(pl, n, &nt);
	if (type == IKE_N_AUTHENTICATION_FAILED) {
		const struct ike_id *id = &sa->conn->local_id;

		ike_id_format(id->type, id->data, id->len, a, sizeof(a));
		ike_warn(sa, NULL, "AUTHENTICATION_FAILED: the peer refused our authentication as \"%s\": check %s and local_id on both sides",
			 a, sa->conn->auth == IKE_AUTH_BY_PSK ? "the PSK" :
			 "our certificate (its CA, its dates, its identities)");
		ike_sa_down(sa, "authentication failed");
		return;
	}
	if (sa->ppk_used && !ike_has_notify(pl, n, IKE_N_PPK_IDENTITY, NULL)) {
		if (sa->conn->ppk_required) {
			ike_warn(sa, NULL, "AUTHENTICATION_FAILED: the responder used no PPK, and ppk_required = yes");
			tell_auth_failed(sa);
			ike_sa_down(sa, "no PPK");
			return;
		}
		ppk_revert(sa);
	}
	ppk_settle(sa);
	if (!auth_check(sa, pl, n)) {
		tell_auth_failed(sa);
		ike_sa_down(sa, "authentication failed");
		return;
	}
	auth_forget_inputs(sa);
	established(sa);
	sa->new_child = NULL;
	if (type) {
		if (type == IKE_N_NO_PROPOSAL_CHOSEN) {
			proposals_format(sa->conn->esp, sa->conn->n_esp, a, sizeof(a));
			ike_warn(sa, NULL, "no CHILD SA: the peer accepts none of our ESP proposals (NO_PROPOSAL_CHOSEN): we proposed %s",
				a);
		} else if (type == IKE_N_TS_UNACCEPTABLE) {
			ike_warn(sa, NULL, "no CHILD SA: the peer accepts none of our traffic selectors (TS_UNACCEPTABLE): see `ipsecctl ike list` for ours");
		} else {
			ike_log(sa, "no CHILD SA: the peer answered %s", ike_notify_name(type));
		}
		child_uninstall(sa, c);
		child_free(c);
		return;
	}
	transport = ike_has_notify(pl, n, IKE_N_USE_TRANSPORT_MODE, NULL);
	if (ike_need(pl, n, IKE_PL_SA, &p, &err) ||
	    ike_parse_sa(p, chosen, IKE_MAX_PROPOSALS, &nprops, &err) ||
	    nprops != 1 || chosen[0].spi_len != 4 ||
	    !proposal_accept(mine, ike_child_proposals(sa->conn, 0, mine, false),
			     &chosen[0]) ||
	    ike_need(pl, n, IKE_PL_TSI, &p, &err) ||
	    ike_parse_ts(p, tsi, IKE_MAX_TS, &ni, &err) ||
	    ike_need(pl, n, IKE_PL_TSR, &p, &err) ||
	    ike_parse_ts(p, tsr, IKE_MAX_TS, &nr, &err) ||
	    transport == sa->conn->tunnel || !ni || !nr ||
	    !child_ts_within_ours(sa, tsi, ni, tsr, nr)) {
		ike_warn(sa, NULL, "no CHILD SA: the peer's answer is not acceptable (%s)",
			err ? err : "proposal, mode or selectors");
		child_uninstall(sa, c);
		child_free(c);
		ike_send_delete_ike(sa);
		return;
	}
	proposal_suite(&chosen[0], &c->suite);
	c->spi_out = (uint32_t)chosen[0].spi[0] << 24 | chosen[0].spi[1] << 16 |
		     chosen[0].spi[2] << 8 | chosen[0].spi[3];
	memcpy(c->ts_local, tsi, ni * sizeof(*tsi));
	c->n_ts_local = ni;
	memcpy(c->ts_remote, tsr, nr * sizeof(*tsr));
	c->n_ts_remote = nr;
	klen = 2 * child_keymat_len(&c->suite);
	keymat = malloc(klen);
	if (!keymat || !ike_child_keymat(&sa->keys, NULL, 0, sa->ni, sa->ni_len,
					 sa->nr, sa->nr_len, keymat, klen) ||
	    !child_install(sa, c, keymat, true, true)) {
		free(keymat);
		child_uninstall(sa, c);
		child_free(c);
		return;
	}
	ike_wipe(keymat, klen);
	free(keymat);
	c->next = sa->children;
	sa->children = c;
}
