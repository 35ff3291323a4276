// SPDX-License-Identifier: GPL-2.0
/*
 * Incoming IKE messages: the header read, the IKE SA found by its SPIs,
 * the message ID checked against the window (a retransmitted request gets
 * the cached response again), the SK payload opened, and the message
 * handed to its exchange as request or response.
 */
#include <string.h>

#include "ike.h"
#include "net.h"

static void on_request(struct ike_sa *sa, const struct ike_header *hdr,
		       const struct ike_payload *pl, unsigned int n)
{
	sa->next_in_id++;
	switch (hdr->exchange) {
	case IKE_AUTH:
		ike_recv_auth_request(sa, hdr, pl, n);
		break;
	case CREATE_CHILD_SA:
		ike_recv_create_child(sa, hdr, pl, n);
		break;
	case INFORMATIONAL:
		ike_recv_informational(sa, hdr, pl, n);
		break;
	default:
		ike_debug(sa, "exchange %u ignored", hdr->exchange);
	}
}

static void on_response(struct ike_sa *sa, const struct ike_header *hdr,
			const struct ike_payload *pl, unsigned int n)
{
	(void)hdr;
	switch (sa->pending) {
	case REQ_AUTH:
		ike_recv_auth_response(sa, pl, n);
		break;
	case REQ_CHILD_REKEY:
	case REQ_CHILD_CREATE:
	case REQ_IKE_REKEY:
		ike_recv_create_child_response(sa, pl, n);
		break;
	case REQ_DELETE_CHILD:
	case REQ_DELETE_IKE:
	case REQ_DPD:
		ike_recv_informational_response(sa, pl, n);
		break;
	default:
		break;
	}
}

/* A request with a critical payload we do not know: answered with
 * UNSUPPORTED_CRITICAL_PAYLOAD naming it, and nothing else done (RFC 7296 2.5).
 */
static void refuse_critical(struct ike_sa *sa, const struct ike_header *hdr,
			    uint8_t type)
{
	struct ike_writer w;
	struct ike_buf out;

	ike_warn(sa, NULL, "request with unknown critical payload %u refused", type);
	sa->next_in_id++;
	ike_writer_chain(&w);
	ike_put_notify(&w, 0, NULL, 0, IKE_N_UNSUPPORTED_CRITICAL_PAYLOAD, &type, 1);
	if (ike_sa_seal(sa, hdr->exchange, true, hdr->msg_id, &w, &out))
		ike_sa_send_response(sa, &out);
	ike_buf_free(&w.buf);
}

/* An encrypted message for @sa: checks its message ID, opens it, hands it on. */
static void on_protected(struct ike_sa *sa, const struct ike_header *hdr,
			 const uint8_t *msg, size_t len,
			 const struct sockaddr_storage *local,
			 const struct sockaddr_storage *remote)
{
	static uint8_t plain[IKE_MAX_MSG];
	struct ike_payload outer[IKE_MAX_PAYLOADS], pl[IKE_MAX_PAYLOADS];
	bool response = hdr->flags & IKE_FLAG_RESPONSE;
	const struct ike_payload *sk = NULL;
	unsigned int n;
	const char *err = NULL;
	uint8_t critical, first;
	int done;
	size_t plain_len;
	char a[64];

	if (response) {
		if (sa->pending == REQ_NONE || hdr->msg_id != sa->next_out_id - 1)
			return;
	} else if (hdr->msg_id + 1 == sa->next_in_id && sa->response.len) {
		/* A retransmission is the very same bytes (RFC 7296 2.1); of
		 * one in fragments, the first fragment, authentic, says it
		 * (RFC 7383 2.6.1), the others go.
		 */
		if (len == sa->last_request.len &&
		    !memcmp(msg, sa->last_request.data, len))
			ike_sa_resend_response(sa);
		else if (hdr->next_payload == IKE_PL_SKF) {
			if (frag_retransmitted(sa, hdr, msg, len))
				ike_sa_resend_response(sa);
		} else
			ike_warn(sa, remote, "message from %s dropped: the ID of the last request, other bytes",
				sockaddr_str(remote, a, sizeof(a)));
		return;
	} else if (hdr->msg_id != sa->next_in_id) {
		ike_debug(sa, "message ID %u outside the window (expected %u): dropped",
			  hdr->msg_id, sa->next_in_id);
		return;
	}
	if (ike_parse_chain(hdr->next_payload, msg + IKE_HDR_LEN, len - IKE_HDR_LEN,
			    outer, IKE_MAX_PAYLOADS, &n, &err) ||
	    (!ike_find(outer, n, IKE_PL_SKF) && ike_need(outer, n, IKE_PL_SK, &sk, &err))) {
		ike_warn(sa, remote, "message from %s dropped: %s",
			sockaddr_str(remote, a, sizeof(a)),
			err ? err : "no SK payload");
		return;
	}
	if (ike_find(outer, n, IKE_PL_SKF)) {
		/* In fragments: on when the last one is in. */
		done = frag_receive(sa, hdr, msg, len, ike_find(outer, n, IKE_PL_SKF),
				    plain, sizeof(plain), &plain_len, &first, &err);
		if (done < 0)
			ike_warn(sa, remote, "fragment from %s dropped: %s",
				 sockaddr_str(remote, a, sizeof(a)), err);
		if (done <= 0)
			return;
	} else if (!ike_sk_open(&sa->suite, &sa->keys, !sa->initiator, msg, len,
				(size_t)(sk->body - msg), plain, sizeof(plain), &plain_len,
				&err)) {
		ike_warn(sa, remote, "message from %s dropped: %s",
			sockaddr_str(remote, a, sizeof(a)), err);
		return;
	} else {
		first = sk->body[-4];
	}
	if (ike_parse_chain(first, plain, plain_len, pl, IKE_MAX_PAYLOADS, &n, &err)) {
		ike_warn(sa, remote, "message from %s dropped: %s",
			sockaddr_str(remote, a, sizeof(a)), err);
		return;
	}
	critical = ike_unknown_critical(pl, n);
	if (critical && response) {
		ike_warn(sa, remote, "response with unknown critical payload %u dropped",
			critical);
		return;
	}
	/* Authentic: the peer is alive, and where it sends from is where it
	 * is: a request says so, and so does a response from behind a NAT,
	 * which may have mapped the peer anew (RFC 7296 2.23).
	 */
	sa->last_heard = time(NULL);
	sa->bytes_in += len;
	if (!response || sa->nat_remote)
		ike_sa_peer_at(sa, local, remote);
	if (!response) {
		ike_buf_free(&sa->last_request);
		ike_buf_put(&sa->last_request, msg, len);
	}
	if (critical)
		refuse_critical(sa, hdr, critical);
	else if (response)
		on_response(sa, hdr, pl, n);
	else
		on_request(sa, hdr, pl, n);
}

void ike_receive(const uint8_t *msg, size_t len,
		 const struct sockaddr_storage *local,
		 const struct sockaddr_storage *remote)
{
	static const uint8_t zero[IKE_SPI_LEN];
	struct ike_header hdr;
	const char *err = NULL;
	struct ike_sa *sa;
	bool we_initiated;
	char a[64];

	if (ike_parse_header(msg, len, &hdr, &err)) {
		ike_debug(NULL, "datagram from %s dropped: %s",
			  sockaddr_str(remote, a, sizeof(a)), err);
		return;
	}
	if (hdr.exchange == IKE_SA_INIT) {
		if (!(hdr.flags & IKE_FLAG_RESPONSE)) {
			if ((hdr.flags & IKE_FLAG_INITIATOR) && hdr.msg_id == 0 &&
			    !memcmp(hdr.spi_r, zero, IKE_SPI_LEN))
				ike_recv_init_request(&hdr, msg, len, local, remote);
			return;
		}
		sa = ike_sa_by_spi(hdr.spi_i, true);
		if (sa && hdr.msg_id == 0)
			ike_recv_init_response(sa, &hdr, msg, len);
		return;
	}
	we_initiated = !(hdr.flags & IKE_FLAG_INITIATOR);
	sa = ike_sa_by_spi(we_initiated ? hdr.spi_i : hdr.spi_r, we_initiated);
	if (!sa || (!we_initiated && memcmp(sa->spi_i, hdr.spi_i, IKE_SPI_LEN)) ||
	    (we_initiated && sa->state > IKE_S_INIT_SENT &&
	     memcmp(sa->spi_r, hdr.spi_r, IKE_SPI_LEN))) {
		ike_debug(NULL, "message from %s for an unknown IKE SA dropped",
			  sockaddr_str(remote, a, sizeof(a)));
		return;
	}
	on_protected(sa, &hdr, msg, len, local, remote);
}

void ike_dispatch(int fd)
{
	static uint8_t buf[IKE_MAX_MSG];
	struct sockaddr_storage local, remote;
	ssize_t len;

	while ((len = net_recv(fd, buf, sizeof(buf), &local, &remote)) >= 0)
		if (len > 0)
			ike_receive(buf, (size_t)len, &local, &remote);
}
