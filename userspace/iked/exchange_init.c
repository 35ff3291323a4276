// SPDX-License-Identifier: GPL-2.0
/* IKE_SA_INIT (RFC 7296 1.2, 2.6, 2.7), both roles; IKE_AUTH: exchange_auth.c. */
#include <string.h>

#include "auth.h"
#include "ppk.h"
#include "ike.h"
#include "net.h"

static bool keep_copy(struct ike_buf *dst, const uint8_t *data, size_t len)
{
	ike_buf_free(dst);
	ike_buf_put(dst, data, len);
	return !dst->failed;
}

/* IKE_SA_INIT request, first or again (cookie, another DH group). */
static int send_init_request(struct ike_sa *sa)
{
	static const uint8_t zero[IKE_SPI_LEN];
	struct ike_conn *conn = sa->conn;
	struct ike_header hdr;
	struct ike_writer w;
	const uint8_t *pub;
	size_t pub_len;

	if (!sa->dh) {
		sa->dh = ike_dh_new(proposals_first_dh(conn->ike, conn->n_ike));
		if (!sa->dh)
			return -1;
	}
	if (!sa->ni_len) {
		sa->ni_len = IKE_NONCE_LEN;
		if (!ike_random(sa->ni, sa->ni_len))
			return -1;
	}
	ike_sa_header(sa, &hdr, IKE_SA_INIT, false, 0);
	ike_writer_message(&w, &hdr);
	if (sa->cookie.len)
		ike_put_notify(&w, 0, NULL, 0, IKE_N_COOKIE, sa->cookie.data,
			       sa->cookie.len);
	ike_put_sa(&w, conn->ike, conn->n_ike);
	pub = ike_dh_public(sa->dh, &pub_len);
	ike_put_ke(&w, ike_dh_group(sa->dh), pub, pub_len);
	ike_put_nonce(&w, sa->ni, sa->ni_len);
	ike_put_nat_detection(&w, sa, zero);
	ike_put_notify(&w, 0, NULL, 0, IKE_N_IKEV2_FRAGMENTATION_SUPPORTED, NULL, 0);
	auth_put_hash_algorithms(sa->conn, &w);
	ppk_put_use(sa->conn, &w);
	if (!ike_writer_finish(&w) || !keep_copy(&sa->init_req, w.buf.data, w.buf.len)) {
		ike_buf_free(&w.buf);
		return -1;
	}
	sa->state = IKE_S_INIT_SENT;
	sa->next_out_id = 1;
	ike_sa_send_request(sa, &w.buf, REQ_INIT);
	return 0;
}

int ike_initiate(struct ike_conn *conn, const struct ike_ts *tsi,
		 const struct ike_ts *tsr)
{
	struct ike_sa *sa;
	char buf[64];

	/* A gateway of many clients has no one address to start to. */
	if (!conn_one_peer(conn))
		return -1;
	sa = ike_sa_new(conn, true);
	if (!sa)
		return -1;
	sa->local = conn->local;
	sa->remote = conn->remote;
	sockaddr_set_port(&sa->local, IKE_PORT);
	sockaddr_set_port(&sa->remote, IKE_PORT);
	if (tsi && tsr) {
		sa->acquire_ts_valid = true;
		sa->acquire_tsi = *tsi;
		sa->acquire_tsr = *tsr;
	}
	ike_log(sa, "initiating IKE SA with %s",
		sockaddr_str(&sa->remote, buf, sizeof(buf)));
	if (send_init_request(sa)) {
		ike_sa_down(sa, "cannot build IKE_SA_INIT");
		return -1;
	}
	return 0;
}

void ike_send_init_error(const struct ike_header *req,
			    const struct sockaddr_storage *local,
			    const struct sockaddr_storage *remote,
			    uint16_t type, const void *data, size_t len)
{
	struct ike_header hdr = *req;
	struct ike_writer w;

	memset(hdr.spi_r, 0, IKE_SPI_LEN);
	hdr.flags = IKE_FLAG_RESPONSE;
	hdr.version = IKE_VERSION;
	ike_writer_message(&w, &hdr);
	ike_put_notify(&w, 0, NULL, 0, type, data, len);
	if (ike_writer_finish(&w))
		net_send(local, remote, w.buf.data, w.buf.len);
	ike_buf_free(&w.buf);
}

/*
 * The connection of an IKE_SA_INIT: of those between these addresses
 * (a remote that is the peer's address before a prefix that holds it, the
 * longer prefix first), the first whose IKE proposals take one of
 * @theirs, else the first (its refusal is logged). IKE_AUTH's identities
 * may pick another of the same addresses (conn_by_ids).
 */
static struct ike_conn *conn_for(const struct sockaddr_storage *local,
				 const struct sockaddr_storage *remote,
				 const struct ike_proposal *theirs, unsigned int n)
{
	struct ike_conn *c, *first = NULL, *best = NULL;
	struct ike_proposal chosen;

	for (c = iked.conf.conns; c; c = c->next) {
		if (!sockaddr_same_addr(&c->local, local) || !conn_takes_peer(c, remote))
			continue;
		if (!first || c->remote_prefix > first->remote_prefix)
			first = c;
		if (n && proposal_select(c->ike, c->n_ike, theirs, n, &chosen) &&
		    (!best || c->remote_prefix > best->remote_prefix))
			best = c;
	}
	return best ? best : first;
}

static bool derive(struct ike_sa *sa, const uint8_t *peer_ke, size_t ke_len)
{
	uint8_t shared[IKE_MAX_DH_LEN];
	size_t shared_len = 0;
	bool ok;

	ok = ike_dh_shared(sa->dh, peer_ke, ke_len, shared, &shared_len) &&
	     ike_derive_keys(&sa->suite, sa->ni, sa->ni_len, sa->nr, sa->nr_len,
			     shared, shared_len, sa->spi_i, sa->spi_r, NULL, 0, 0,
			     &sa->keys);
	ike_wipe(shared, sizeof(shared));
	return ok;
}

void ike_recv_init_request(const struct ike_header *hdr, const uint8_t *msg,
			   size_t len, const struct sockaddr_storage *local,
			   const struct sockaddr_storage *remote)
{
	static const uint8_t zero[IKE_SPI_LEN];
	struct ike_proposal theirs[IKE_MAX_PROPOSALS], chosen;
	struct ike_payload pl[IKE_MAX_PAYLOADS];
	const struct ike_payload *p;
	const uint8_t *ke, *nonce, *pub;
	unsigned int n, nprops;
	struct ike_writer w;
	struct ike_conn *conn;
	struct ike_header rh;
	struct ike_sa *sa;
	uint16_t group;
	size_t ke_len, nonce_len, pub_len;
	const char *err = NULL;
	uint8_t critical;
	char a[64], b[64];

	sa = ike_sa_by_init(hdr->spi_i, remote);
	if (sa) {
		/* A retransmission: the same answer again. */
		if (sa->response.len && sa->next_in_id == 1 &&
		    sa->init_req.len == len && !memcmp(sa->init_req.data, msg, len))
			ike_sa_resend_response(sa);
		return;
	}
	if (ike_parse_chain(hdr->next_payload, msg + IKE_HDR_LEN, len - IKE_HDR_LEN,
			    pl, IKE_MAX_PAYLOADS, &n, &err)) {
		ike_warn(NULL, remote, "IKE_SA_INIT from %s refused: %s",
			sockaddr_str(remote, a, sizeof(a)), err);
		ike_send_init_error(hdr, local, remote, IKE_N_INVALID_SYNTAX,
				NULL, 0);
		return;
	}
	critical = ike_unknown_critical(pl, n);
	if (critical) {
		ike_warn(NULL, remote, "IKE_SA_INIT from %s refused: unknown critical payload %u",
			sockaddr_str(remote, a, sizeof(a)), critical);
		ike_send_init_error(hdr, local, remote,
				    IKE_N_UNSUPPORTED_CRITICAL_PAYLOAD, &critical, 1);
		return;
	}
	conn = conn_for(local, remote, NULL, 0);
	if (!conn) {
		ike_warn(NULL, remote, "IKE_SA_INIT from %s to %s: no connection is configured between these addresses",
			sockaddr_str(remote, a, sizeof(a)),
			sockaddr_str(local, b, sizeof(b)));
		ike_send_init_error(hdr, local, remote,
				IKE_N_NO_PROPOSAL_CHOSEN, NULL, 0);
		return;
	}
	if (ike_need(pl, n, IKE_PL_SA, &p, &err) ||
	    ike_parse_sa(p, theirs, IKE_MAX_PROPOSALS, &nprops, &err) ||
	    ike_need(pl, n, IKE_PL_KE, &p, &err) ||
	    ike_parse_ke(p, &group, &ke, &ke_len, &err) ||
	    ike_need(pl, n, IKE_PL_NONCE, &p, &err) ||
	    ike_parse_nonce(p, &nonce, &nonce_len, &err)) {
		ike_warn(NULL, remote, "%s: IKE_SA_INIT from %s refused: %s", conn->name,
			sockaddr_str(remote, a, sizeof(a)),
			err ? err : "an SA, KE or Nonce payload is missing");
		ike_send_init_error(hdr, local, remote, IKE_N_INVALID_SYNTAX,
				NULL, 0);
		return;
	}
	if (!ike_cookie_ok(hdr, pl, n, nonce, nonce_len, local, remote))
		return;
	/* Their KE's group first, where they propose it: no INVALID_KE round
	 * trip when we allow it too (RFC 7296 1.2).
	 */
	proposals_prefer(theirs, nprops, IKE_TT_DH, group);
	conn = conn_for(local, remote, theirs, nprops);
	if (!proposal_select(conn->ike, conn->n_ike, theirs, nprops, &chosen)) {
		struct ike_sa tmp = { .conn = conn };

		ike_log_no_proposal(&tmp, "the IKE SA", conn->ike, conn->n_ike, theirs,
				nprops);
		ike_send_init_error(hdr, local, remote,
				IKE_N_NO_PROPOSAL_CHOSEN, NULL, 0);
		return;
	}
	{
		struct ike_suite s;

		proposal_suite(&chosen, &s);
		if (group != s.dh) {
			uint8_t want[2] = { s.dh >> 8, s.dh & 0xff };

			ike_log(NULL, "%s: the peer's KE is of DH group %u; asking for group %u (INVALID_KE_PAYLOAD)",
				conn->name, group, s.dh);
			ike_send_init_error(hdr, local, remote,
					IKE_N_INVALID_KE_PAYLOAD, want, 2);
			return;
		}
	}
	if (!ike_half_open_room(remote))
		return;
	sa = ike_sa_new(conn, false);
	if (!sa)
		return;
	ike_sa_half_open(sa, true);
	memcpy(sa->spi_i, hdr->spi_i, IKE_SPI_LEN);
	sa->local = *local;
	sa->remote = *remote;
	proposal_suite(&chosen, &sa->suite);
	sa->ike_chosen = chosen;
	memcpy(sa->ni, nonce, nonce_len);
	sa->ni_len = nonce_len;
	sa->peer_hashes = auth_peer_hashes(pl, n);
	sa->peer_fragments = ike_has_notify(pl, n, IKE_N_IKEV2_FRAGMENTATION_SUPPORTED, NULL);
	sa->ppk_offered = conn->ppk_len && ike_has_notify(pl, n, IKE_N_USE_PPK, NULL);
	sa->nr_len = IKE_NONCE_LEN;
	sa->dh = ike_dh_new(group);
	if (!sa->dh || !ike_random(sa->nr, sa->nr_len) || !derive(sa, ke, ke_len)) {
		ike_sa_down(sa, "the peer's KE is not a valid public value, or key derivation failed");
		ike_send_init_error(hdr, local, remote, IKE_N_INVALID_SYNTAX,
				NULL, 0);
		return;
	}
	/* The request's hashes were made before there was an SPIr. */
	ike_check_nat(sa, pl, n, zero);
	ike_sa_header(sa, &rh, IKE_SA_INIT, true, 0);
	ike_writer_message(&w, &rh);
	ike_put_sa(&w, &chosen, 1);
	pub = ike_dh_public(sa->dh, &pub_len);
	ike_put_ke(&w, group, pub, pub_len);
	/* The shared secret is made: the private key is of no more use. */
	ike_dh_free(sa->dh);
	sa->dh = NULL;
	ike_put_nonce(&w, sa->nr, sa->nr_len);
	ike_put_nat_detection(&w, sa, sa->spi_r);
	/* Only when the initiator offered it (RFC 7383 2.3). */
	if (sa->peer_fragments)
		ike_put_notify(&w, 0, NULL, 0, IKE_N_IKEV2_FRAGMENTATION_SUPPORTED, NULL, 0);
	auth_put_hash_algorithms(conn, &w);
	auth_put_certreq(conn, &w);
	if (sa->ppk_offered)
		ike_put_notify(&w, 0, NULL, 0, IKE_N_USE_PPK, NULL, 0);
	if (!ike_writer_finish(&w) || !keep_copy(&sa->init_req, msg, len) ||
	    !keep_copy(&sa->init_resp, w.buf.data, w.buf.len)) {
		ike_buf_free(&w.buf);
		ike_sa_down(sa, "out of memory");
		return;
	}
	proposal_format(&chosen, a, sizeof(a));
	ike_log(sa, "IKE_SA_INIT from %s: %s", sockaddr_str(remote, b, sizeof(b)), a);
	sa->state = IKE_S_INIT_DONE;
	sa->next_in_id = 1;
	sa->bytes_in += len;
	ike_sa_send_response(sa, &w.buf);
}

void ike_recv_init_response(struct ike_sa *sa, const struct ike_header *hdr,
			    const uint8_t *msg, size_t len)
{
	struct ike_proposal chosen[IKE_MAX_PROPOSALS];
	struct ike_payload pl[IKE_MAX_PAYLOADS];
	const struct ike_payload *p;
	struct ike_conn *conn = sa->conn;
	const uint8_t *ke, *nonce;
	size_t ke_len, nonce_len;
	unsigned int n, nprops;
	struct ike_notify nt;
	const char *err = NULL;
	uint16_t group, type;
	char a[1024];

	if (sa->state != IKE_S_INIT_SENT || sa->pending != REQ_INIT)
		return;
	if (ike_parse_chain(hdr->next_payload, msg + IKE_HDR_LEN, len - IKE_HDR_LEN,
			    pl, IKE_MAX_PAYLOADS, &n, &err)) {
		ike_log(sa, "IKE_SA_INIT response ignored: %s", err);
		return;
	}
	sa->bytes_in += len;
	if (ike_has_notify(pl, n, IKE_N_COOKIE, &nt) && nt.len >= 1 && nt.len <= 64) {
		if (sa->cookie_retries++ >= IKE_COOKIE_RETRIES) {
			ike_sa_down(sa, "the peer asks for a cookie again and again");
			return;
		}
		ike_debug(sa, "the peer asks for a cookie");
		ike_buf_free(&sa->cookie);
		ike_buf_put(&sa->cookie, nt.data, nt.len);
		send_init_request(sa);
		return;
	}
	type = ike_error_notify(pl, n, &nt);
	if (type == IKE_N_INVALID_KE_PAYLOAD && nt.len == 2) {
		group = (uint16_t)(nt.data[0] << 8 | nt.data[1]);
		if (!proposals_have_dh(conn->ike, conn->n_ike, group) ||
		    sa->invalid_ke_retries++ >= 2) {
			ike_sa_down(sa, "the peer wants a DH group we do not propose (INVALID_KE_PAYLOAD)");
			return;
		}
		ike_log(sa, "the peer asks for DH group %u (INVALID_KE_PAYLOAD): trying again", group);
		ike_dh_free(sa->dh);
		sa->dh = ike_dh_new(group);
		if (!sa->dh || send_init_request(sa))
			ike_sa_down(sa, "cannot build IKE_SA_INIT");
		return;
	}
	if (type) {
		if (type == IKE_N_NO_PROPOSAL_CHOSEN) {
			proposals_format(conn->ike, conn->n_ike, a, sizeof(a));
			ike_warn(sa, NULL, "the peer accepts none of our IKE proposals (NO_PROPOSAL_CHOSEN): we proposed %s",
				a);
		}
		sa->pending = REQ_NONE;
		ike_sa_down(sa, ike_notify_name(type));
		return;
	}
	if (ike_need(pl, n, IKE_PL_SA, &p, &err) ||
	    ike_parse_sa(p, chosen, IKE_MAX_PROPOSALS, &nprops, &err) ||
	    ike_need(pl, n, IKE_PL_KE, &p, &err) ||
	    ike_parse_ke(p, &group, &ke, &ke_len, &err) ||
	    ike_need(pl, n, IKE_PL_NONCE, &p, &err) ||
	    ike_parse_nonce(p, &nonce, &nonce_len, &err)) {
		ike_log(sa, "IKE_SA_INIT response ignored: %s",
			err ? err : "an SA, KE or Nonce payload is missing");
		return;
	}
	if (nprops != 1 || !proposal_accept(conn->ike, conn->n_ike, &chosen[0]) ||
	    !proposal_suite(&chosen[0], &sa->suite) ||
	    group != ike_dh_group(sa->dh)) {
		proposal_format(&chosen[0], a, sizeof(a));
		ike_log(sa, "the peer chose %s with a KE of group %u: not what we proposed",
			a, group);
		sa->pending = REQ_NONE;
		ike_sa_down(sa, "invalid IKE_SA_INIT response");
		return;
	}
	memcpy(sa->spi_r, hdr->spi_r, IKE_SPI_LEN);
	memcpy(sa->nr, nonce, nonce_len);
	sa->nr_len = nonce_len;
	sa->peer_hashes = auth_peer_hashes(pl, n);
	auth_peer_cas(sa, pl, n);
	sa->peer_fragments = ike_has_notify(pl, n, IKE_N_IKEV2_FRAGMENTATION_SUPPORTED, NULL);
	sa->ppk_offered = conn->ppk_len && ike_has_notify(pl, n, IKE_N_USE_PPK, NULL);
	if (conn->ppk_required && !sa->ppk_offered) {
		sa->pending = REQ_NONE;
		ike_warn(sa, NULL, "the responder offers no PPK (USE_PPK), and ppk_required = yes");
		ike_sa_down(sa, "no PPK");
		return;
	}
	if (!derive(sa, ke, ke_len)) {
		sa->pending = REQ_NONE;
		ike_sa_down(sa, "the peer's KE is not a valid public value");
		return;
	}
	ike_dh_free(sa->dh);
	sa->dh = NULL;
	if (!keep_copy(&sa->init_resp, msg, len)) {
		ike_sa_down(sa, "out of memory");
		return;
	}
	/* Behind a NAT (or told to encapsulate): on to port 4500. */
	if (ike_check_nat(sa, pl, n, sa->spi_r) && (sa->nat_local || sa->nat_remote)) {
		sockaddr_set_port(&sa->local, IKE_NATT_PORT);
		sockaddr_set_port(&sa->remote, IKE_NATT_PORT);
	}
	proposal_format(&chosen[0], a, sizeof(a));
	ike_debug(sa, "IKE_SA_INIT done: %s%s", a, ike_sa_natt(sa) ? ", NAT-T" : "");
	sa->pending = REQ_NONE;
	if (ike_send_auth_request(sa))
		ike_sa_down(sa, "cannot build IKE_AUTH");
}
