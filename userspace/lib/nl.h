/* SPDX-License-Identifier: GPL-2.0 */
/* Requests to the nfesp generic netlink family, on libnl-genl-3. */
#ifndef NFESP_NL_H
#define NFESP_NL_H

#include <stddef.h>
#include <stdint.h>

#include <netlink/attr.h>
#include <netlink/msg.h>

#include "../../kmod/uapi/nfesp.h"

struct nfesp_nl {
	struct nl_sock *sk;
	int family;		/* generic netlink family id */
	unsigned int abi;	/* the family's version, NFESP_GENL_VERSION */
	/* Why the last call failed, in words: the kernel's extack message
	 * where it sent one.
	 */
	char error[256];
	/* Events, once subscribed. */
	int (*event_fn)(uint8_t cmd, struct nlattr **tb, void *arg);
	void *event_arg;
	int event_ret;
};

/* Called with each reply's attributes, indexed by NFESP_A_*. */
typedef int (*nfesp_nl_reply_fn)(struct nlattr **tb, void *arg);

/*
 * Connects to the nfesp family (the kernel loads the module on demand).
 * Returns 0, or a negative errno with nl->error set.
 */
int nfesp_nl_open(struct nfesp_nl *nl);
/* The socket alone, with the options every request relies on (nl->family
 * not set); nfesp_nl_open's first step.
 */
int nfesp_nl_connect(struct nfesp_nl *nl);
/* The same on rtnetlink, for requests of its own (nfesp_nl_request
 * reports their errors, but does not parse replies).
 */
int nfesp_nl_connect_route(struct nfesp_nl *nl);
void nfesp_nl_close(struct nfesp_nl *nl);

/* A new request for @cmd; NULL when out of memory. */
struct nl_msg *nfesp_nl_msg(struct nfesp_nl *nl, uint8_t cmd, int flags);
/* Frees a request wiped (it may hold an SA's key); what every caller of
 * nfesp_nl_msg uses rather than nlmsg_free.
 */
void nfesp_nl_msg_free(struct nl_msg *msg);

/*
 * Sends @msg and frees it (a NULL @msg, from a failed nfesp_nl_msg, fails),
 * waits for the answer and calls @fn for each reply. Returns 0, the first
 * non-zero value @fn returned, or a negative errno with nl->error set:
 * -EAGAIN for a dump that the kernel flagged inconsistent (NLM_F_DUMP_INTR).
 */
int nfesp_nl_request(struct nfesp_nl *nl, struct nl_msg *msg,
		     nfesp_nl_reply_fn fn, void *arg);

/* Tunnel devices (LINK_GET): @link gets the reply's NFESP_LINK_A_*
 * (IF_ID, IFNAME and IFINDEX present) or -EPROTO is returned.
 */
int nfesp_nl_link_parse(struct nlattr **tb, struct nlattr **link);
/* The interface id of the nfesp device @name of the caller's namespace:
 * 0, -ENODEV if there is none, or another negative errno (nl->error set).
 */
int nfesp_nl_link_if_id(struct nfesp_nl *nl, const char *name, uint32_t *if_id);

/* Events: joins the family's multicast group, then calls @fn for each
 * event until @fn returns non-zero (returned) or reading fails (negative
 * errno, nl->error set).
 */
typedef int (*nfesp_nl_event_fn)(uint8_t cmd, struct nlattr **tb, void *arg);
int nfesp_nl_listen(struct nfesp_nl *nl, nfesp_nl_event_fn fn, void *arg);

/* The same in two steps, for an event loop: subscribe once, then read
 * what is there whenever the socket is readable (make it non-blocking):
 * 0, @fn's non-zero value, or a negative errno (-EAGAIN: nothing left).
 */
int nfesp_nl_subscribe(struct nfesp_nl *nl, nfesp_nl_event_fn fn, void *arg);
int nfesp_nl_read_events(struct nfesp_nl *nl);

#endif
