// SPDX-License-Identifier: GPL-2.0
/*
 * userspace/lib/nl.c: a request (an SA's key in it, for ipsecctl and iked)
 * is wiped before its buffer is freed. nlmsg_free is wrapped at link time,
 * so that every request freed is looked at first; the request goes to the
 * host's own generic netlink controller, which refuses it. And the refusal
 * does not carry the request back (NETLINK_CAP_ACK): the key stays here.
 */
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <netlink/genl/ctrl.h>
#include <netlink/genl/genl.h>
#include <linux/genetlink.h>

#include "../lib/nl.h"
#include "tap.h"

#define KEY_BYTE	0xa5
#define KEY_LEN		36

static unsigned int freed, with_key;

void __real_nlmsg_free(struct nl_msg *msg);
void __wrap_nlmsg_free(struct nl_msg *msg);

/* Whether @len bytes at @p hold the key's run of bytes. */
static bool holds_key(const uint8_t *p, size_t len)
{
	size_t i, run = 0;

	for (i = 0; i < len; i++) {
		run = p[i] == KEY_BYTE ? run + 1 : 0;
		if (run == KEY_LEN)
			return true;
	}
	return false;
}

void __wrap_nlmsg_free(struct nl_msg *msg)
{
	if (msg) {
		freed++;
		with_key += holds_key((const uint8_t *)nlmsg_hdr(msg),
				      nlmsg_get_max_size(msg));
	}
	__real_nlmsg_free(msg);
}

/* A GETFAMILY for no family, with the key as an attribute. */
static struct nl_msg *request_with_key(struct nfesp_nl *nl)
{
	uint8_t key[KEY_LEN];
	struct nl_msg *msg;

	memset(key, KEY_BYTE, sizeof(key));
	msg = nfesp_nl_msg(nl, CTRL_CMD_GETFAMILY, 0);
	if (!msg || nla_put_string(msg, CTRL_ATTR_FAMILY_NAME, "nfesp-none") ||
	    nla_put(msg, CTRL_ATTR_MAX + 7, sizeof(key), key))
		exit(2);
	return msg;
}

/* The kernel's answer to the request, read as it comes off the socket. */
static void test_refusal_not_echoed(struct nfesp_nl *nl)
{
	struct nl_msg *msg = request_with_key(nl);
	uint8_t answer[4096];
	struct nlmsghdr *h = (struct nlmsghdr *)answer;
	ssize_t len;
	int sent;

	sent = nl_send_auto(nl->sk, msg);
	nfesp_nl_msg_free(msg);
	len = recv(nl_socket_get_fd(nl->sk), answer, sizeof(answer), 0);
	TAP_CHECK(sent > 0 && len >= (ssize_t)sizeof(*h) &&
		  h->nlmsg_type == NLMSG_ERROR,
		  "the controller answers with an error (%zd bytes)", len);
	TAP_CHECK(len > 0 && !holds_key(answer, (size_t)len),
		  "the error does not echo the request: no key in it");
}

int main(void)
{
	struct nfesp_nl nl;
	struct nl_msg *msg;
	int err;

	if (nfesp_nl_connect(&nl)) {
		printf("1..0 # SKIP no generic netlink here: %s\n", nl.error);
		return 0;
	}
	nl.family = GENL_ID_CTRL;
	msg = request_with_key(&nl);
	err = nfesp_nl_request(&nl, msg, NULL, NULL);
	TAP_CHECK(err < 0, "the controller refuses the request (%d: %s)", err, nl.error);
	TAP_CHECK(freed == 1 && !with_key,
		  "the request is freed wiped: no key in it (%u freed, %u with the key)",
		  freed, with_key);
	/* Read by hand, after: libnl's sequence numbers are not kept. */
	test_refusal_not_echoed(&nl);
	nfesp_nl_close(&nl);
	return tap_done();
}
