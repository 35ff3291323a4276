// SPDX-License-Identifier: GPL-2.0
/* IKE_SA_INIT and IKE_AUTH (RFC 7296 1.2, 2.6, 2.15, 2.23), both roles. */
#include <stdlib.h>
#include <string.h>
#include <openssl/evp.h>

#include "ike.h"
#include "kernel.h"
#include "net.h"

/* NAT detection (2.23): SHA-1(SPIi | SPIr | IP | port). */
static void nat_hash(const uint8_t *spi_i, const uint8_t *spi_r,
		     const struct sockaddr_storage *ss, uint8_t out[20])
{
	uint8_t buf[IKE_SPI_LEN * 2 + 16 + 2];
	const uint8_t *addr;
	uint16_t port = sockaddr_port(ss);
	size_t alen;

	addr = sockaddr_addr(ss, &alen);
	memcpy(buf, spi_i, IKE_SPI_LEN);
	memcpy(buf + IKE_SPI_LEN, spi_r, IKE_SPI_LEN);
	memcpy(buf + 2 * IKE_SPI_LEN, addr, alen);
	buf[2 * IKE_SPI_LEN + alen] = port >> 8;
	buf[2 * IKE_SPI_LEN + alen + 1] = port & 0xff;
	EVP_Digest(buf, 2 * IKE_SPI_LEN + alen + 2, out, NULL, EVP_sha1(), NULL);
}

static void put_nat_detection(struct ike_writer *w, const struct ike_sa *sa,
			      const uint8_t *spi_r)
{
	uint8_t h[20];

	nat_hash(sa->spi_i, spi_r, &sa->local, h);
	/* Forced encapsulation: a source hash that cannot match makes the
	 * peer see a NAT, as strongSwan's encap=yes does.
	 */
	if (sa->conn->encap)
		ike_random(h, sizeof(h));
	ike_put_notify(w, 0, NULL, 0, IKE_N_NAT_DETECTION_SOURCE_IP, h, sizeof(h));
	nat_hash(sa->spi_i, spi_r, &sa->remote, h);
	ike_put_notify(w, 0, NULL, 0, IKE_N_NAT_DETECTION_DESTINATION_IP, h,
		       sizeof(h));
}

/* Reads the peer's NAT-D notifies; true if it sent any. */
static bool check_nat(struct ike_sa *sa, const struct ike_payload *pl,
		      unsigned int n, const uint8_t *spi_r)
{
	uint8_t src[20], dst[20];
	bool any = false, src_ok = false, dst_ok = false;
	struct ike_notify nt;
	const char *err;
	unsigned int i;

	nat_hash(sa->spi_i, spi_r, &sa->remote, src);
	nat_hash(sa->spi_i, spi_r, &sa->local, dst);
	for (i = 0; i < n; i++) {
		if (pl[i].type != IKE_PL_NOTIFY || ike_parse_notify(&pl[i], &nt, &err))
			continue;
		if (nt.type == IKE_N_NAT_DETECTION_SOURCE_IP) {
			any = true;
			src_ok |= nt.len == 20 && !memcmp(nt.data, src, 20);
		} else if (nt.type == IKE_N_NAT_DETECTION_DESTINATION_IP) {
			any = true;
			dst_ok |= nt.len == 20 && !memcmp(nt.data, dst, 20);
		}
	}
	if (any) {
		sa->nat_remote = !src_ok || sa->conn->encap;
		sa->nat_local = !dst_ok || sa->conn->encap;
	}
	return any;
}

const char *ike_notify_name(uint16_t type)
{
	switch (type) {
	case IKE_N_UNSUPPORTED_CRITICAL_PAYLOAD: return "UNSUPPORTED_CRITICAL_PAYLOAD";
	case IKE_N_INVALID_SYNTAX: return "INVALID_SYNTAX";
	case IKE_N_NO_PROPOSAL_CHOSEN: return "NO_PROPOSAL_CHOSEN";
	case IKE_N_INVALID_KE_PAYLOAD: return "INVALID_KE_PAYLOAD";
	case IKE_N_AUTHENTICATION_FAILED: return "AUTHENTICATION_FAILED";
	case IKE_N_TS_UNACCEPTABLE: return "TS_UNACCEPTABLE";
	case IKE_N_INTERNAL_ADDRESS_FAILURE: return "INTERNAL_ADDRESS_FAILURE";
	case IKE_N_FAILED_CP_REQUIRED: return "FAILED_CP_REQUIRED";
	case IKE_N_SINGLE_PAIR_REQUIRED: return "SINGLE_PAIR_REQUIRED";
	case IKE_N_TEMPORARY_FAILURE: return "TEMPORARY_FAILURE";
	case IKE_N_CHILD_SA_NOT_FOUND: return "CHILD_SA_NOT_FOUND";
	case IKE_N_NO_ADDITIONAL_SAS: return "NO_ADDITIONAL_SAS";
	default: return "an error";
	}
}

/* The first error notify of a message, 0 if none. */
uint16_t ike_error_notify(const struct ike_payload *pl, unsigned int n,
			     struct ike_notify *out)
{
	struct ike_notify nt;
	const char *err;
	unsigned int i;

	for (i = 0; i < n; i++)
		if (pl[i].type == IKE_PL_NOTIFY && !ike_parse_notify(&pl[i], &nt, &err) &&
		    nt.type < IKE_N_STATUS_MIN) {
			if (out)
				*out = nt;
			return nt.type;
		}
	return 0;
}

bool ike_has_notify(const struct ike_payload *pl, unsigned int n,
		       uint16_t type, struct ike_notify *out)
{
	struct ike_notify nt;
	const char *err;
	unsigned int i;

	for (i = 0; i < n; i++)
		if (pl[i].type == IKE_PL_NOTIFY && !ike_parse_notify(&pl[i], &nt, &err) &&
		    nt.type == type) {
			if (out)
				*out = nt;
			return true;
		}
	return false;
}

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
	put_nat_detection(&w, sa, zero);
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
	struct ike_sa *sa = ike_sa_new(conn, true);
	char buf[64];

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
 * The connection of an IKE_SA_INIT: the first between these addresses
 * whose IKE proposals take one of @theirs, else the first between them
 * (its refusal is logged). IKE_AUTH's identities may pick another of the
 * same addresses (conn_by_ids).
 */
static struct ike_conn *conn_for(const struct sockaddr_storage *local,
				 const struct sockaddr_storage *remote,
				 const struct ike_proposal *theirs, unsigned int n)
{
	struct ike_conn *c, *first = NULL;
	struct ike_proposal chosen;

	for (c = iked.conf.conns; c; c = c->next) {
		if (!sockaddr_same_addr(&c->local, local) ||
		    !sockaddr_same_addr(&c->remote, remote))
			continue;
		if (!first)
			first = c;
		if (n && proposal_select(c->ike, c->n_ike, theirs, n, &chosen))
			return c;
	}
	return first;
}

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
		    !sockaddr_same_addr(&c->remote, &sa->conn->remote) ||
		    !ike_id_equal(&c->remote_id, ti, di, li) ||
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

static void log_no_proposal(const struct ike_sa *sa, const char *what,
			    const struct ike_proposal *mine, unsigned int nmine,
			    const struct ike_proposal *theirs,
			    unsigned int ntheirs)
{
	char a[1024], b[1024];

	proposals_format(mine, nmine, a, sizeof(a));
	proposals_format(theirs, ntheirs, b, sizeof(b));
	ike_warn(sa, NULL, "NO_PROPOSAL_CHOSEN for %s: the peer proposed %s; we accept %s",
		what, b, a);
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

		log_no_proposal(&tmp, "the IKE SA", conn->ike, conn->n_ike, theirs,
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
	sa->nr_len = IKE_NONCE_LEN;
	sa->dh = ike_dh_new(group);
	if (!sa->dh || !ike_random(sa->nr, sa->nr_len) || !derive(sa, ke, ke_len)) {
		ike_sa_down(sa, "the peer's KE is not a valid public value, or key derivation failed");
		ike_send_init_error(hdr, local, remote, IKE_N_INVALID_SYNTAX,
				NULL, 0);
		return;
	}
	/* The request's hashes were made before there was an SPIr. */
	check_nat(sa, pl, n, zero);
	ike_sa_header(sa, &rh, IKE_SA_INIT, true, 0);
	ike_writer_message(&w, &rh);
	ike_put_sa(&w, &chosen, 1);
	pub = ike_dh_public(sa->dh, &pub_len);
	ike_put_ke(&w, group, pub, pub_len);
	/* The shared secret is made: the private key is of no more use. */
	ike_dh_free(sa->dh);
	sa->dh = NULL;
	ike_put_nonce(&w, sa->nr, sa->nr_len);
	put_nat_detection(&w, sa, sa->spi_r);
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

static int send_auth_request(struct ike_sa *sa);

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
	if (check_nat(sa, pl, n, sa->spi_r) && (sa->nat_local || sa->nat_remote)) {
		sockaddr_set_port(&sa->local, IKE_NATT_PORT);
		sockaddr_set_port(&sa->remote, IKE_NATT_PORT);
	}
	proposal_format(&chosen[0], a, sizeof(a));
	ike_debug(sa, "IKE_SA_INIT done: %s%s", a, ike_sa_natt(sa) ? ", NAT-T" : "");
	sa->pending = REQ_NONE;
	if (send_auth_request(sa))
		ike_sa_down(sa, "cannot build IKE_AUTH");
}

/* The ID payload body (type, reserved, data): what AUTH signs. */
static size_t id_body(const struct ike_id *id, uint8_t *out)
{
	out[0] = id->type;
	out[1] = out[2] = out[3] = 0;
	memcpy(out + 4, id->data, id->len);
	return id->len + 4;
}

static bool auth_value(struct ike_sa *sa, bool initiator_auth,
		       const uint8_t *body, size_t body_len, uint8_t *out)
{
	const struct ike_buf *msg = initiator_auth ? &sa->init_req : &sa->init_resp;
	const uint8_t *nonce = initiator_auth ? sa->nr : sa->ni;
	size_t nonce_len = initiator_auth ? sa->nr_len : sa->ni_len;
	const uint8_t *sk_p = initiator_auth ? sa->keys.sk_pi : sa->keys.sk_pr;

	return ike_psk_auth(sa->suite.prf, sa->conn->psk, sa->conn->psk_len,
			    msg->data, msg->len, nonce, nonce_len, sk_p,
			    sa->keys.p_len, body, body_len, out);
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

static int send_auth_request(struct ike_sa *sa)
{
	struct ike_proposal props[IKE_MAX_PROPOSALS];
	struct ike_ts tsl[IKE_MAX_TS + 1], tsr[IKE_MAX_TS + 1];
	uint8_t body[IKE_MAX_ID + 4], auth[IKE_MAX_PRF_LEN];
	struct ike_conn *conn = sa->conn;
	unsigned int nl, nr, cl, cr, np;
	struct child_sa *c;
	struct ike_writer w;
	const uint8_t *addr;
	size_t blen, alen;

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
	blen = id_body(&conn->local_id, body);
	if (!auth_value(sa, true, body, blen, auth))
		return -1;
	ike_writer_chain(&w);
	ike_put_id(&w, IKE_PL_IDI, conn->local_id.type, conn->local_id.data,
		   conn->local_id.len);
	if (!other_sa_with(sa))
		ike_put_notify(&w, 0, NULL, 0, IKE_N_INITIAL_CONTACT, NULL, 0);
	ike_put_id(&w, IKE_PL_IDR, conn->remote_id.type, conn->remote_id.data,
		   conn->remote_id.len);
	ike_put_auth(&w, IKE_AUTH_PSK, auth, ike_prf_len(sa->suite.prf));
	ike_wipe(auth, sizeof(auth));
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

/* Checks the peer's ID and AUTH; logs why not. */
static bool peer_authentic(struct ike_sa *sa, const struct ike_payload *pl,
			   unsigned int n, bool peer_is_initiator)
{
	const struct ike_payload *idp, *ap;
	uint8_t type, method, want[IKE_MAX_PRF_LEN];
	const uint8_t *id, *auth;
	size_t id_len, auth_len;
	const char *err = NULL;
	char got[IKE_MAX_ID + 1], exp[IKE_MAX_ID + 1];

	idp = ike_find(pl, n, peer_is_initiator ? IKE_PL_IDI : IKE_PL_IDR);
	ap = ike_find(pl, n, IKE_PL_AUTH);
	if (!idp || !ap || ike_parse_id(idp, &type, &id, &id_len, &err) ||
	    ike_parse_auth(ap, &method, &auth, &auth_len, &err)) {
		ike_warn(sa, NULL, "AUTHENTICATION_FAILED: %s",
			err ? err : "the peer sent no ID or no AUTH payload");
		return false;
	}
	ike_id_format(type, id, id_len, got, sizeof(got));
	ike_id_format(sa->conn->remote_id.type, sa->conn->remote_id.data,
		      sa->conn->remote_id.len, exp, sizeof(exp));
	if (!ike_id_equal(&sa->conn->remote_id, type, id, id_len)) {
		ike_warn(sa, NULL, "AUTHENTICATION_FAILED: the peer (%s) identifies as \"%s\", but remote_id is \"%s\"",
			peer_is_initiator ? "initiator" : "responder", got, exp);
		return false;
	}
	if (method != IKE_AUTH_PSK) {
		ike_warn(sa, NULL, "AUTHENTICATION_FAILED: \"%s\" authenticates with method %u; iked takes pre-shared keys (2) only",
			got, method);
		return false;
	}
	if (!auth_value(sa, peer_is_initiator, idp->body, idp->len, want) ||
	    auth_len != ike_prf_len(sa->suite.prf) ||
	    !ike_equal(auth, want, auth_len)) {
		ike_warn(sa, NULL, "AUTHENTICATION_FAILED: the AUTH of \"%s\" (the %s) does not match our pre-shared key: the keys differ",
			got, peer_is_initiator ? "initiator" : "responder");
		return false;
	}
	sa->peer_id_type = type;
	memcpy(sa->peer_id, id, id_len);
	sa->peer_id_len = id_len;
	return true;
}

/* AUTH is done: what it was made of goes (RFC 7296 2.15's octets and SK_p). */
static void forget_auth_inputs(struct ike_sa *sa)
{
	ike_buf_free(&sa->init_req);
	ike_buf_free(&sa->init_resp);
	ike_wipe(sa->keys.sk_pi, sizeof(sa->keys.sk_pi));
	ike_wipe(sa->keys.sk_pr, sizeof(sa->keys.sk_pr));
}

static void established(struct ike_sa *sa)
{
	char remote[64];

	ike_sa_established(sa);
	ike_log(sa, "IKE SA established with %s (%s)",
		sockaddr_str(&sa->remote, remote, sizeof(remote)),
		sa->initiator ? "we initiated" : "the peer initiated");
}

/* INITIAL_CONTACT: the peer has no other SA with us; ours that are up are
 * stale. Not those still being set up: the peer may be answering one of
 * them as we answer it (both ends started at once).
 */
static void drop_stale(struct ike_sa *sa)
{
	struct ike_sa *o;

	for (o = iked.sas; o; o = o->next)
		if (o != sa && o->conn == sa->conn && o->state == IKE_S_ESTABLISHED &&
		    sockaddr_same_addr(&o->remote, &sa->remote))
			ike_sa_down(o, "replaced: the peer started afresh (INITIAL_CONTACT)");
}

void ike_recv_auth_request(struct ike_sa *sa, const struct ike_header *hdr,
			   const struct ike_payload *pl, unsigned int n)
{
	struct ike_proposal theirs[IKE_MAX_PROPOSALS], mine[IKE_MAX_PROPOSALS];
	struct ike_proposal chosen;
	struct ike_ts tsi[IKE_MAX_TS_PEER], tsr[IKE_MAX_TS_PEER];
	uint8_t body[IKE_MAX_ID + 4], auth[IKE_MAX_PRF_LEN];
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
	size_t blen, klen, alen;

	(void)hdr;
	if (sa->state != IKE_S_INIT_DONE)
		return;
	conn_by_ids(sa, pl, n);
	conn = sa->conn;
	ike_writer_chain(&w);
	if (!peer_authentic(sa, pl, n, true)) {
		ike_put_notify(&w, 0, NULL, 0, IKE_N_AUTHENTICATION_FAILED, NULL, 0);
		if (ike_sa_seal(sa, IKE_AUTH, true, 1, &w, &out))
			ike_sa_send_response(sa, &out);
		ike_buf_free(&w.buf);
		ike_sa_down(sa, "authentication failed");
		return;
	}
	ike_sa_half_open(sa, false);
	established(sa);
	if (ike_has_notify(pl, n, IKE_N_INITIAL_CONTACT, NULL))
		drop_stale(sa);
	blen = id_body(&conn->local_id, body);
	if (!auth_value(sa, false, body, blen, auth)) {
		ike_buf_free(&w.buf);
		ike_sa_down(sa, "cannot compute our AUTH");
		return;
	}
	forget_auth_inputs(sa);
	ike_put_id(&w, IKE_PL_IDR, conn->local_id.type, conn->local_id.data,
		   conn->local_id.len);
	ike_put_auth(&w, IKE_AUTH_PSK, auth, ike_prf_len(sa->suite.prf));
	ike_wipe(auth, sizeof(auth));

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
		log_no_proposal(sa, "the CHILD SA", mine, nmine, theirs, nprops);
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
		ike_warn(sa, NULL, "AUTHENTICATION_FAILED: the peer refused our authentication as \"%.*s\": check the PSK and local_id on both sides",
			(int)sa->conn->local_id.len, sa->conn->local_id.data);
		ike_sa_down(sa, "authentication failed");
		return;
	}
	if (!peer_authentic(sa, pl, n, false)) {
		ike_sa_down(sa, "authentication failed");
		return;
	}
	forget_auth_inputs(sa);
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
