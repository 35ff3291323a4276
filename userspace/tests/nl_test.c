// SPDX-License-Identifier: GPL-2.0
/*
 * userspace/lib/nl.c: a request (an SA's key in it, for ipsecctl and iked)
 * is wiped before its buffer is freed. nlmsg_free is wrapped at link time,
 * so that every request freed is looked at first; the request goes to the
 * host's own generic netlink controller, which refuses it.
 */
#include <stdbool.h>
#include <string.h>
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

int main(void)
{
	struct nfesp_nl nl = { 0 };
	uint8_t key[KEY_LEN];
	struct nl_msg *msg;
	int err;

	memset(key, KEY_BYTE, sizeof(key));
	nl.sk = nl_socket_alloc();
	if (!nl.sk || genl_connect(nl.sk)) {
		printf("1..0 # SKIP no generic netlink here\n");
		return 0;
	}
	nl.family = GENL_ID_CTRL;
	msg = nfesp_nl_msg(&nl, CTRL_CMD_GETFAMILY, 0);
	if (!msg || nla_put_string(msg, CTRL_ATTR_FAMILY_NAME, "nfesp-none") ||
	    nla_put(msg, CTRL_ATTR_MAX + 7, sizeof(key), key))
		return 2;
	err = nfesp_nl_request(&nl, msg, NULL, NULL);
	TAP_CHECK(err < 0, "the controller refuses the request (%d: %s)", err, nl.error);
	TAP_CHECK(freed == 1 && !with_key,
		  "the request is freed wiped: no key in it (%u freed, %u with the key)",
		  freed, with_key);
	nl_socket_free(nl.sk);
	return tap_done();
}
