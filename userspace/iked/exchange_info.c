// SPDX-License-Identifier: GPL-2.0
/* INFORMATIONAL exchanges (RFC 7296 1.4, 2.4): DELETE and liveness checks. */
#include <stdlib.h>
#include <string.h>

#include "ike.h"

void ike_send_delete_ike(struct ike_sa *sa)
{
	struct ike_writer w;

	if (sa->state == IKE_S_DEAD || sa->state == IKE_S_DELETING)
		return;
	if (sa->pending != REQ_NONE) {
		/* Our request in flight must end first (window of one). */
		sa->delete_due = true;
		return;
	}
	ike_writer_chain(&w);
	ike_put_delete(&w, IKE_PROTO_IKE, 0, 0, NULL);
	if (ike_sa_request(sa, INFORMATIONAL, &w, REQ_DELETE_IKE))
		sa->state = IKE_S_DELETING;
	else
		ike_sa_down(sa, "cannot send DELETE");
}

void ike_send_delete_child(struct ike_sa *sa, struct child_sa *c)
{
	uint8_t spi[4] = { c->spi_in >> 24, c->spi_in >> 16, c->spi_in >> 8,
			   c->spi_in };
	struct ike_writer w;

	if (sa->pending != REQ_NONE) {
		c->delete_due = true;
		return;
	}
	c->delete_due = false;
	ike_writer_chain(&w);
	ike_put_delete(&w, IKE_PROTO_ESP, 4, 1, spi);
	if (c->state != CHILD_S_REKEYED)
		c->state = CHILD_S_DELETING;
	sa->rekeying = c;
	ike_sa_request(sa, INFORMATIONAL, &w, REQ_DELETE_CHILD);
}

void ike_send_dpd(struct ike_sa *sa)
{
	struct ike_writer w;

	ike_writer_chain(&w);
	ike_debug(sa, "checking that the peer is alive");
	ike_sa_request(sa, INFORMATIONAL, &w, REQ_DPD);
}

static void child_remove(struct ike_sa *sa, struct child_sa *c)
{
	struct child_sa **p;

	for (p = &sa->children; *p; p = &(*p)->next)
		if (*p == c) {
			*p = c->next;
			break;
		}
	if (sa->rekeying == c)
		sa->rekeying = NULL;
	child_uninstall(sa, c);
	child_free(c);
}

/* The newer CHILD SAs of a rekey we answered send from now on. */
static void release_outbound(struct ike_sa *sa)
{
	struct child_sa *c;

	for (c = sa->children; c; c = c->next)
		if (c->out_pending)
			child_install_outbound(sa, c);
}

static uint32_t spi_at(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | p[1] << 16 | p[2] << 8 | p[3];
}

void ike_recv_informational(struct ike_sa *sa, const struct ike_header *hdr,
			    const struct ike_payload *pl, unsigned int n)
{
	uint8_t ours[4 * 64];
	unsigned int i, j, nours = 0;
	bool delete_ike = false;
	struct ike_writer w;
	struct ike_buf out;

	for (i = 0; i < n; i++) {
		const uint8_t *spis;
		uint8_t protocol, spi_len;
		uint16_t count;
		const char *err;

		if (pl[i].type != IKE_PL_DELETE ||
		    ike_parse_delete(&pl[i], &protocol, &spi_len, &count, &spis, &err))
			continue;
		if (protocol == IKE_PROTO_IKE) {
			delete_ike = true;
			continue;
		}
		if (protocol != IKE_PROTO_ESP)
			continue;
		/* The successors send first: between the two, no packet may
		 * find no outbound SA at all.
		 */
		release_outbound(sa);
		for (j = 0; j < count; j++) {
			struct child_sa *c = child_by_spi(sa, spi_at(spis + 4 * j), false);

			if (!c)
				continue;
			ike_log(sa, "the peer deleted CHILD SA 0x%08x/0x%08x",
				c->spi_in, c->spi_out);
			/* Our half goes in the answer, unless we deleted it first. */
			if (c->state != CHILD_S_DELETING && nours < 64) {
				ours[4 * nours] = c->spi_in >> 24;
				ours[4 * nours + 1] = c->spi_in >> 16;
				ours[4 * nours + 2] = c->spi_in >> 8;
				ours[4 * nours + 3] = c->spi_in;
				nours++;
			}
			child_remove(sa, c);
		}
	}
	ike_writer_chain(&w);
	if (nours)
		ike_put_delete(&w, IKE_PROTO_ESP, 4, (uint16_t)nours, ours);
	if (ike_sa_seal(sa, INFORMATIONAL, true, hdr->msg_id, &w, &out))
		ike_sa_send_response(sa, &out);
	ike_buf_free(&w.buf);
	/* The initiator refused our IKE_AUTH response (RFC 7296 2.21.2). */
	if (ike_has_notify(pl, n, IKE_N_AUTHENTICATION_FAILED, NULL)) {
		ike_warn(sa, NULL, "AUTHENTICATION_FAILED: the peer refused our authentication as the responder");
		ike_sa_down(sa, "the peer refused our authentication");
		return;
	}
	if (!delete_ike)
		return;
	/* Both rekeyed it, and the peer finished without seeing ours. */
	if (sa->peer_new_ike)
		ike_rekey_collision_lost(sa);
	ike_sa_down(sa, sa->rekeyed ? NULL : "deleted by the peer");
}

void ike_recv_informational_response(struct ike_sa *sa,
				     const struct ike_payload *pl,
				     unsigned int n)
{
	enum ike_request what = sa->pending;
	struct child_sa *c = sa->rekeying;

	(void)pl;
	(void)n;
	sa->pending = REQ_NONE;
	if (what == REQ_DELETE_IKE) {
		ike_sa_down(sa, sa->rekeyed ? NULL : "deleted");
	} else if (what == REQ_DELETE_CHILD && c) {
		ike_log(sa, "CHILD SA 0x%08x/0x%08x deleted", c->spi_in, c->spi_out);
		child_remove(sa, c);
	}
}
