// SPDX-License-Identifier: GPL-2.0
/* The table of IKE SAs, sending, retransmission and timers. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ike.h"
#include "ra.h"
#include "kernel.h"
#include "net.h"

struct iked iked;

/* Retransmission: 1, 2, 4, 8, 16 s (retries = 5, [global]); then the
 * peer is taken for dead.
 */
#define RETRY_FIRST	1

static unsigned int retry_max(void)
{
	return iked.conf.settings.retries;
}

struct ike_sa *ike_sa_new(struct ike_conn *conn, bool initiator)
{
	struct ike_sa *sa = calloc(1, sizeof(*sa));
	uint8_t *ours;

	if (!sa)
		return NULL;
	sa->conn = conn;
	sa->initiator = initiator;
	ours = initiator ? sa->spi_i : sa->spi_r;
	do {
		if (!ike_random(ours, IKE_SPI_LEN)) {
			free(sa);
			return NULL;
		}
	} while (ike_sa_by_spi(ours, initiator));
	sa->created = time(NULL);
	sa->last_heard = sa->created;
	sa->next = iked.sas;
	iked.sas = sa;
	return sa;
}

void ike_sa_free(struct ike_sa *sa)
{
	struct child_sa *c;

	while ((c = sa->children)) {
		sa->children = c->next;
		child_free(c);
	}
	if (sa->new_child)
		child_free(sa->new_child);
	ike_dh_free(sa->dh);
	ike_dh_free(sa->xdh);
	ike_buf_free(&sa->init_req);
	ike_buf_free(&sa->init_resp);
	ike_buf_free(&sa->cookie);
	ike_buf_free(&sa->request);
	frag_reset(&sa->frags);
	ike_buf_free(&sa->response);
	ike_buf_free(&sa->last_request);
	ike_wipe(sa, sizeof(*sa));
	free(sa);
}

const uint8_t *ike_sa_our_spi(const struct ike_sa *sa)
{
	return sa->initiator ? sa->spi_i : sa->spi_r;
}

struct ike_sa *ike_sa_by_spi(const uint8_t spi[IKE_SPI_LEN], bool we_initiated)
{
	struct ike_sa *sa;

	for (sa = iked.sas; sa; sa = sa->next)
		if (sa->state != IKE_S_DEAD && sa->initiator == we_initiated &&
		    !memcmp(ike_sa_our_spi(sa), spi, IKE_SPI_LEN))
			return sa;
	return NULL;
}

struct ike_sa *ike_sa_by_init(const uint8_t spi_i[IKE_SPI_LEN],
			      const struct sockaddr_storage *remote)
{
	struct ike_sa *sa;

	for (sa = iked.sas; sa; sa = sa->next)
		if (sa->state != IKE_S_DEAD && !sa->initiator &&
		    !memcmp(sa->spi_i, spi_i, IKE_SPI_LEN) &&
		    sockaddr_same_addr(&sa->remote, remote))
			return sa;
	return NULL;
}

/* No IKE SA may keep pointing at @gone. */
static void forget(const struct ike_sa *gone)
{
	struct ike_sa *sa;

	for (sa = iked.sas; sa; sa = sa->next) {
		if (sa->new_ike == gone)
			sa->new_ike = NULL;
		if (sa->peer_new_ike == gone)
			sa->peer_new_ike = NULL;
	}
}

void ike_sa_remove_dead(void)
{
	struct ike_sa **p = &iked.sas, *sa;

	while ((sa = *p)) {
		if (sa->state == IKE_S_DEAD) {
			*p = sa->next;
			forget(sa);
			ike_sa_free(sa);
		} else {
			p = &sa->next;
		}
	}
}

void ike_sa_header(const struct ike_sa *sa, struct ike_header *hdr,
		   uint8_t exchange, bool response, uint32_t msg_id)
{
	memset(hdr, 0, sizeof(*hdr));
	memcpy(hdr->spi_i, sa->spi_i, IKE_SPI_LEN);
	memcpy(hdr->spi_r, sa->spi_r, IKE_SPI_LEN);
	hdr->version = IKE_VERSION;
	hdr->exchange = exchange;
	hdr->flags = (sa->initiator ? IKE_FLAG_INITIATOR : 0) |
		     (response ? IKE_FLAG_RESPONSE : 0);
	hdr->msg_id = msg_id;
}

bool ike_sa_seal(struct ike_sa *sa, uint8_t exchange, bool response,
		 uint32_t msg_id, struct ike_writer *inner, struct ike_buf *out)
{
	struct ike_header hdr;
	struct ike_writer w;
	size_t body, sk, out_len;
	bool ok;

	if (inner->buf.failed)
		return false;
	ike_sa_header(sa, &hdr, exchange, response, msg_id);
	body = ike_sk_overhead(&sa->suite, inner->buf.len);
	ike_writer_message(&w, &hdr);
	sk = ike_writer_begin(&w, IKE_PL_SK, false);
	/* Room for the body, so that the lengths (authenticated) are final. */
	ike_buf_put(&w.buf, NULL, body);
	ike_writer_end(&w, sk);
	if (!ike_writer_finish(&w))
		goto fail;
	/* The SK payload's next-payload field names the first inner one. */
	w.buf.data[sk] = inner->first_type;
	w.buf.len -= body;
	ok = ike_sk_seal(&sa->suite, &sa->keys, sa->initiator, w.buf.data,
			 w.buf.len, inner->buf.data, inner->buf.len,
			 w.buf.data + w.buf.len, &out_len);
	if (!ok || out_len != body)
		goto fail;
	w.buf.len += body;
	*out = w.buf;
	return true;
fail:
	ike_buf_free(&w.buf);
	return false;
}

static void send_msg(struct ike_sa *sa, const struct ike_buf *msg)
{
	char buf[64];

	if (frag_send(sa, msg))
		return;
	if (!net_send(&sa->local, &sa->remote, msg->data, msg->len))
		ike_log(sa, "cannot send to %s",
			sockaddr_str(&sa->remote, buf, sizeof(buf)));
	sa->bytes_out += msg->len;
}

void ike_sa_send_request(struct ike_sa *sa, struct ike_buf *msg,
			 enum ike_request what)
{
	ike_buf_free(&sa->request);
	sa->request = *msg;
	memset(msg, 0, sizeof(*msg));
	sa->pending = what;
	sa->retries = 0;
	sa->retry_at = time(NULL) + RETRY_FIRST;
	send_msg(sa, &sa->request);
}

bool ike_sa_request(struct ike_sa *sa, uint8_t exchange, struct ike_writer *w,
		    enum ike_request what)
{
	struct ike_buf out;
	bool ok = ike_sa_seal(sa, exchange, false, sa->next_out_id, w, &out);

	ike_buf_free(&w->buf);
	if (!ok)
		return false;
	sa->next_out_id++;
	ike_sa_send_request(sa, &out, what);
	return true;
}

void ike_sa_send_response(struct ike_sa *sa, struct ike_buf *msg)
{
	ike_buf_free(&sa->response);
	sa->response = *msg;
	memset(msg, 0, sizeof(*msg));
	send_msg(sa, &sa->response);
}

void ike_sa_resend_response(struct ike_sa *sa)
{
	ike_debug(sa, "a request came again: our response sent again");
	send_msg(sa, &sa->response);
}

void ike_sa_established(struct ike_sa *sa)
{
	unsigned int life = sa->conn->ike_lifetime;
	uint32_t jitter = 0;

	sa->state = IKE_S_ESTABLISHED;
	sa->created = sa->last_heard = time(NULL);
	/* Rekey at 85-90%: two peers with the same lifetime rarely collide. */
	ike_random(&jitter, sizeof(jitter));
	sa->rekey_at = sa->created + life - life / 10 - jitter % (life / 20 + 1);
}

void ike_sa_peer_at(struct ike_sa *sa, const struct sockaddr_storage *local,
		    const struct sockaddr_storage *remote)
{
	bool established = sa->state == IKE_S_ESTABLISHED;
	char a[64], b[64];

	if (established && !sockaddr_same_addr(&sa->remote, remote)) {
		/* Its SAs are known by the address: no moving them (no MOBIKE). */
		ike_log(sa, "a message from %s, not %s: the IKE SA stays where it is",
			sockaddr_str(remote, a, sizeof(a)),
			sockaddr_str(&sa->remote, b, sizeof(b)));
		return;
	}
	if (!established || sockaddr_port(&sa->remote) == sockaddr_port(remote)) {
		sa->local = *local;
		sa->remote = *remote;
		return;
	}
	ike_log(sa, "the peer is now at %s, not %s (a NAT mapped it anew)",
		sockaddr_str(remote, a, sizeof(a)),
		sockaddr_str(&sa->remote, b, sizeof(b)));
	sa->local = *local;
	sa->remote = *remote;
	child_follow_peer(sa);
}

void ike_sa_down(struct ike_sa *sa, const char *why)
{
	struct child_sa *c;

	if (sa->state == IKE_S_DEAD)
		return;
	if (why)
		ike_log(sa, "IKE SA %016llx down: %s",
			ike_spi64(ike_sa_our_spi(sa)),
			why);
	for (c = sa->children; c; c = c->next)
		child_uninstall(sa, c);
	if (sa->new_child)
		child_uninstall(sa, sa->new_child);
	ike_sa_half_open(sa, false);
	ra_release(sa);
	sa->state = IKE_S_DEAD;
	/* Rekeys of it that never finished end with it. */
	if (sa->new_ike)
		sa->new_ike->state = IKE_S_DEAD;
	if (sa->peer_new_ike)
		ike_sa_down(sa->peer_new_ike, NULL);
}

static void retransmit(struct ike_sa *sa, time_t now)
{
	if (sa->retries >= retry_max()) {
		ike_sa_down(sa, "the peer does not answer (dead peer)");
		if (sa->conn && sa->conn->start == IKE_START_START && !sa->rekeyed)
			ike_initiate(sa->conn, NULL, NULL);
		return;
	}
	sa->retries++;
	sa->retry_at = now + ((time_t)RETRY_FIRST << sa->retries);
	ike_debug(sa, "retransmitting request %u (try %u)", sa->next_out_id - 1,
		  sa->retries + 1);
	send_msg(sa, &sa->request);
}

void ike_sa_tick(struct ike_sa *sa, time_t now)
{
	struct child_sa *c;

	if (sa->state == IKE_S_DEAD)
		return;
	if (sa->pending != REQ_NONE && now >= sa->retry_at) {
		retransmit(sa, now);
		return;
	}
	/* Half-open SAs of a peer that went away. */
	if (sa->state == IKE_S_INIT_DONE && now - sa->created > 30) {
		ike_sa_down(sa, "IKE_AUTH never came");
		return;
	}
	if (sa->state != IKE_S_ESTABLISHED)
		return;
	for (c = sa->children; c; c = c->next)
		if (c->out_pending && now >= c->out_install_at)
			child_install_outbound(sa, c);
	if (sa->pending != REQ_NONE)
		return;
	/* Requests that waited for the window, in order of urgency. */
	if (sa->delete_due) {
		sa->delete_due = false;
		ike_send_delete_ike(sa);
		return;
	}
	for (c = sa->children; c; c = c->next) {
		if (c->delete_due) {
			ike_send_delete_child(sa, c);
			return;
		}
		if (c->rekey_due && now >= c->rekey_after && !child_rekey(sa, c)) {
			c->rekey_due = false;
			return;
		}
	}
	if (sa->rekey_at && now >= sa->rekey_at && !sa->rekeyed) {
		ike_rekey(sa);
		return;
	}
	if (sa->conn->dpd && now - sa->last_heard >= sa->conn->dpd) {
		ike_send_dpd(sa);
		return;
	}
	/* Behind a NAT: a keepalive every 20 s keeps the mapping (RFC 3948). */
	if (sa->nat_local && now >= sa->keepalive_at) {
		net_keepalive(&sa->local, &sa->remote);
		sa->keepalive_at = now + 20;
	}
}
