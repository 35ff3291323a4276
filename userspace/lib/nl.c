// SPDX-License-Identifier: GPL-2.0
/* Requests to the nfesp generic netlink family, on libnl-genl-3. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>

#include <linux/netlink.h>
#include <netlink/genl/ctrl.h>
#include <netlink/genl/family.h>
#include <netlink/genl/genl.h>
#include <netlink/socket.h>

#include "nl.h"

#ifndef SOL_NETLINK
#define SOL_NETLINK 270
#endif

static void set_error(struct nfesp_nl *nl, const char *what, int err)
{
	snprintf(nl->error, sizeof(nl->error), "%s: %s", what, strerror(err));
}

/* The same, for libnl's own error codes. */
static void set_nlerror(struct nfesp_nl *nl, const char *what, int nlerr)
{
	snprintf(nl->error, sizeof(nl->error), "%s: %s", what,
		 nl_geterror(nlerr));
}

/*
 * The family's id and version, asked for once per process: a batch of
 * thousands of commands would otherwise spend most of its time here.
 */
static int load_family(struct nfesp_nl *nl)
{
	static unsigned int known_abi;
	static int known_family = -1;
	struct genl_family *family = NULL;
	struct nl_cache *cache = NULL;
	int err;

	if (known_family >= 0) {
		nl->family = known_family;
		nl->abi = known_abi;
		return 0;
	}
	/* Asking for the id by name is what makes the kernel autoload. */
	nl->family = genl_ctrl_resolve(nl->sk, NFESP_GENL_NAME);
	if (nl->family < 0) {
		snprintf(nl->error, sizeof(nl->error),
			 "the nfesp kernel module is not loaded and could not be loaded (no generic netlink family \"%s\")",
			 NFESP_GENL_NAME);
		return -ENOENT;
	}
	err = genl_ctrl_alloc_cache(nl->sk, &cache);
	if (err < 0) {
		set_nlerror(nl, "reading generic netlink families", err);
		return -EIO;
	}
	family = genl_ctrl_search_by_name(cache, NFESP_GENL_NAME);
	if (family) {
		nl->abi = genl_family_get_version(family);
		genl_family_put(family);
	}
	nl_cache_free(cache);
	known_family = nl->family;
	known_abi = nl->abi;
	return 0;
}

static int connect_protocol(struct nfesp_nl *nl, int protocol)
{
	int one = 1, err;

	memset(nl, 0, sizeof(*nl));
	nl->sk = nl_socket_alloc();
	if (!nl->sk) {
		set_error(nl, "netlink socket", ENOMEM);
		return -ENOMEM;
	}
	err = nl_connect(nl->sk, protocol);
	if (err < 0) {
		set_nlerror(nl, "netlink socket", err);
		nfesp_nl_close(nl);
		return -EIO;
	}
	/* Ask for the kernel's reasons along with its errors, and not for
	 * our request echoed back in them: an SA's key would come back.
	 */
	setsockopt(nl_socket_get_fd(nl->sk), SOL_NETLINK, NETLINK_EXT_ACK,
		   &one, sizeof(one));
	setsockopt(nl_socket_get_fd(nl->sk), SOL_NETLINK, NETLINK_CAP_ACK,
		   &one, sizeof(one));
	return 0;
}

int nfesp_nl_connect(struct nfesp_nl *nl)
{
	return connect_protocol(nl, NETLINK_GENERIC);
}

int nfesp_nl_connect_route(struct nfesp_nl *nl)
{
	return connect_protocol(nl, NETLINK_ROUTE);
}

int nfesp_nl_open(struct nfesp_nl *nl)
{
	int err = nfesp_nl_connect(nl);

	if (err)
		return err;
	err = load_family(nl);
	if (err)
		nfesp_nl_close(nl);
	return err;
}

void nfesp_nl_close(struct nfesp_nl *nl)
{
	nl_socket_free(nl->sk);
	nl->sk = NULL;
}

void nfesp_nl_msg_free(struct nl_msg *msg)
{
	if (!msg)
		return;
	explicit_bzero(nlmsg_hdr(msg), nlmsg_get_max_size(msg));
	nlmsg_free(msg);
}

struct nl_msg *nfesp_nl_msg(struct nfesp_nl *nl, uint8_t cmd, int flags)
{
	struct nl_msg *msg = nlmsg_alloc();

	if (!msg)
		return NULL;
	if (!genlmsg_put(msg, NL_AUTO_PORT, NL_AUTO_SEQ, nl->family, 0,
			 flags | NLM_F_REQUEST, cmd, NFESP_GENL_VERSION)) {
		nfesp_nl_msg_free(msg);
		return NULL;
	}
	return msg;
}

struct request {
	struct nfesp_nl *nl;
	nfesp_nl_reply_fn fn;
	void *arg;
	int err;	/* negative errno from the kernel */
	int ret;	/* what fn returned */
	int done;
	int interrupted;	/* a dump saw the objects change */
};

/* The extack TLVs follow the error, after the request when it is echoed. */
static void read_extack(struct nfesp_nl *nl, struct nlmsghdr *nlh,
			struct nlmsgerr *e)
{
	struct nlattr *tb[NLMSGERR_ATTR_MAX + 1];
	size_t off = sizeof(*e);
	int len;

	if (!(nlh->nlmsg_flags & NLM_F_ACK_TLVS))
		return;
	if (!(nlh->nlmsg_flags & NLM_F_CAPPED))
		off += e->msg.nlmsg_len - NLMSG_HDRLEN;
	len = (int)nlmsg_datalen(nlh) - (int)off;
	if (len <= 0)
		return;
	if (nla_parse(tb, NLMSGERR_ATTR_MAX,
		      (struct nlattr *)((char *)nlmsg_data(nlh) + off), len,
		      NULL) < 0)
		return;
	if (tb[NLMSGERR_ATTR_MSG])
		snprintf(nl->error, sizeof(nl->error), "%s (%s)",
			 nla_get_string(tb[NLMSGERR_ATTR_MSG]),
			 strerror(-e->error));
}

static int on_error(struct sockaddr_nl *who, struct nlmsgerr *e, void *arg)
{
	struct request *req = arg;
	struct nlmsghdr *nlh = (struct nlmsghdr *)e - 1;

	(void)who;
	req->err = e->error ? e->error : -EIO;
	if (req->err == -EPERM)
		snprintf(req->nl->error, sizeof(req->nl->error),
			 "the kernel refused the request: %s (CAP_NET_ADMIN is needed)",
			 strerror(EPERM));
	else
		set_error(req->nl, "the kernel refused the request", -req->err);
	read_extack(req->nl, nlh, e);
	req->done = 1;
	return NL_STOP;
}

static int on_ack(struct nl_msg *msg, void *arg)
{
	struct request *req = arg;

	(void)msg;
	req->done = 1;
	return NL_STOP;
}

static int on_dump_intr(struct nl_msg *msg, void *arg)
{
	struct request *req = arg;

	(void)msg;
	req->interrupted = 1;
	return NL_OK;
}

static int on_reply(struct nl_msg *msg, void *arg)
{
	struct nlattr *tb[NFESP_A_MAX + 1];
	struct request *req = arg;
	int err;

	err = genlmsg_parse(nlmsg_hdr(msg), 0, tb, NFESP_A_MAX, NULL);
	if (err < 0) {
		set_nlerror(req->nl, "malformed reply from the kernel", err);
		req->err = -EPROTO;
		return NL_STOP;
	}
	if (req->fn && !req->ret)
		req->ret = req->fn(tb, req->arg);
	return NL_OK;
}

int nfesp_nl_request(struct nfesp_nl *nl, struct nl_msg *msg,
		     nfesp_nl_reply_fn fn, void *arg)
{
	struct request req = { .nl = nl, .fn = fn, .arg = arg };
	struct nl_cb *cb;
	int err;

	nl->error[0] = '\0';
	if (!msg) {
		set_error(nl, "building the request", ENOMEM);
		return -ENOMEM;
	}
	cb = nl_cb_alloc(NL_CB_DEFAULT);
	if (!cb) {
		nfesp_nl_msg_free(msg);
		set_error(nl, "netlink callbacks", ENOMEM);
		return -ENOMEM;
	}
	nlmsg_hdr(msg)->nlmsg_flags |= NLM_F_ACK;
	nl_cb_err(cb, NL_CB_CUSTOM, on_error, &req);
	nl_cb_set(cb, NL_CB_ACK, NL_CB_CUSTOM, on_ack, &req);
	nl_cb_set(cb, NL_CB_FINISH, NL_CB_CUSTOM, on_ack, &req);
	nl_cb_set(cb, NL_CB_VALID, NL_CB_CUSTOM, on_reply, &req);
	nl_cb_set(cb, NL_CB_DUMP_INTR, NL_CB_CUSTOM, on_dump_intr, &req);

	err = nl_send_auto(nl->sk, msg);
	nfesp_nl_msg_free(msg);
	if (err < 0) {
		set_nlerror(nl, "sending to the kernel", err);
		req.err = -EIO;
	}
	while (!req.err && !req.done) {
		err = nl_recvmsgs(nl->sk, cb);
		if (err < 0 && !req.err) {
			set_nlerror(nl, "reading from the kernel", err);
			req.err = -EIO;
		}
	}
	nl_cb_put(cb);
	if (req.err)
		return req.err;
	if (req.interrupted && !req.ret) {
		set_error(nl, "the objects changed while being listed", EAGAIN);
		return -EAGAIN;
	}
	return req.ret;
}

static int on_event(struct nl_msg *msg, void *arg)
{
	struct genlmsghdr *gnlh = nlmsg_data(nlmsg_hdr(msg));
	struct nlattr *tb[NFESP_A_MAX + 1];
	struct nfesp_nl *nl = arg;

	if (genlmsg_parse(nlmsg_hdr(msg), 0, tb, NFESP_A_MAX, NULL) < 0)
		return NL_SKIP;
	nl->event_ret = nl->event_fn(gnlh->cmd, tb, nl->event_arg);
	return nl->event_ret ? NL_STOP : NL_OK;
}

int nfesp_nl_subscribe(struct nfesp_nl *nl, nfesp_nl_event_fn fn, void *arg)
{
	int group, err;

	group = genl_ctrl_resolve_grp(nl->sk, NFESP_GENL_NAME, NFESP_MCGRP_EVENTS);
	if (group < 0) {
		set_nlerror(nl, "finding the events group", group);
		return -ENOENT;
	}
	err = nl_socket_add_membership(nl->sk, group);
	if (err == -NLE_PERM) {
		snprintf(nl->error, sizeof(nl->error),
			 "joining the events group: %s (CAP_NET_ADMIN is needed)",
			 strerror(EPERM));
		return -EPERM;
	}
	if (err < 0) {
		set_nlerror(nl, "joining the events group", err);
		return -EIO;
	}
	nl->event_fn = fn;
	nl->event_arg = arg;
	nl->event_ret = 0;
	nl_socket_disable_seq_check(nl->sk);
	nl_socket_modify_cb(nl->sk, NL_CB_VALID, NL_CB_CUSTOM, on_event, nl);
	return 0;
}

int nfesp_nl_read_events(struct nfesp_nl *nl)
{
	int err;

	nl->event_ret = 0;
	err = nl_recvmsgs_default(nl->sk);
	if (nl->event_ret)
		return nl->event_ret;
	if (err == -NLE_AGAIN)
		return -EAGAIN;
	if (err < 0) {
		set_nlerror(nl, "reading events", err);
		return -EIO;
	}
	return 0;
}

int nfesp_nl_listen(struct nfesp_nl *nl, nfesp_nl_event_fn fn, void *arg)
{
	int err;

	err = nfesp_nl_subscribe(nl, fn, arg);
	while (!err)
		err = nfesp_nl_read_events(nl);
	return err;
}

int nfesp_nl_link_parse(struct nlattr **tb, struct nlattr **link)
{
	if (!tb[NFESP_A_LINK] ||
	    nla_parse_nested(link, NFESP_LINK_A_MAX, tb[NFESP_A_LINK], NULL) ||
	    !link[NFESP_LINK_A_IF_ID] || !link[NFESP_LINK_A_IFNAME] ||
	    !link[NFESP_LINK_A_IFINDEX])
		return -EPROTO;
	return 0;
}

struct link_find {
	const char *name;
	uint32_t if_id;
};

static int link_match(struct nlattr **tb, void *arg)
{
	struct nlattr *link[NFESP_LINK_A_MAX + 1];
	struct link_find *find = arg;

	if (nfesp_nl_link_parse(tb, link))
		return -EPROTO;
	if (link[NFESP_LINK_A_HERE] &&
	    !strcmp(nla_get_string(link[NFESP_LINK_A_IFNAME]), find->name))
		find->if_id = nla_get_u32(link[NFESP_LINK_A_IF_ID]);
	return 0;
}

int nfesp_nl_link_if_id(struct nfesp_nl *nl, const char *name, uint32_t *if_id)
{
	struct link_find find = { .name = name };
	int err;

	err = nfesp_nl_request(nl, nfesp_nl_msg(nl, NFESP_CMD_LINK_GET, NLM_F_DUMP),
			       link_match, &find);
	if (err)
		return err;
	if (!find.if_id)
		return -ENODEV;
	*if_id = find.if_id;
	return 0;
}
