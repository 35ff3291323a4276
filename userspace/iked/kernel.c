// SPDX-License-Identifier: GPL-2.0
/* iked's requests to nfesp over generic netlink, and its events. */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <netinet/in.h>
#include <netlink/socket.h>

#include "../lib/nl.h"
#include "ike.h"
#include "kernel.h"

static struct nfesp_nl req_nl, event_nl;
static void (*event_handler)(const struct kernel_event *ev);

static size_t addr_len(int family)
{
	return family == AF_INET ? 4 : 16;
}

static int parse_event(uint8_t cmd, struct nlattr **tb, void *arg);

int kernel_open(void)
{
	int err;

	err = nfesp_nl_open(&req_nl);
	if (err) {
		ike_log(NULL, "%s", req_nl.error);
		return err;
	}
	err = nfesp_nl_open(&event_nl);
	if (!err)
		err = nfesp_nl_subscribe(&event_nl, parse_event, NULL);
	if (err) {
		ike_log(NULL, "kernel events: %s", event_nl.error);
		return err;
	}
	nl_socket_set_nonblocking(event_nl.sk);
	/* Many SAs expiring at once must not overflow the socket. */
	nl_socket_set_buffer_size(event_nl.sk, 4 << 20, 0);
	return 0;
}

void kernel_close(void)
{
	nfesp_nl_close(&event_nl);
	nfesp_nl_close(&req_nl);
}

int kernel_event_fd(void)
{
	return nl_socket_get_fd(event_nl.sk);
}

static void parse_acquire(struct nlattr **tb, struct kernel_event *ev)
{
	struct nlattr *p[NFESP_POL_A_MAX + 1], *t[NFESP_TMPL_A_MAX + 1] = { 0 };
	struct nlattr *f[NFESP_POL_A_MAX + 1];

	ev->acquire = true;
	if (tb[NFESP_A_POLICY] &&
	    !nla_parse_nested(p, NFESP_POL_A_MAX, tb[NFESP_A_POLICY], NULL) &&
	    p[NFESP_POL_A_TMPL] &&
	    !nla_parse_nested(t, NFESP_TMPL_A_MAX, p[NFESP_POL_A_TMPL], NULL) &&
	    t[NFESP_TMPL_A_REQID])
		ev->reqid = nla_get_u32(t[NFESP_TMPL_A_REQID]);
	if (!tb[NFESP_A_FLOW] ||
	    nla_parse_nested(f, NFESP_POL_A_MAX, tb[NFESP_A_FLOW], NULL) ||
	    !f[NFESP_POL_A_FAMILY] || !f[NFESP_POL_A_SRC] || !f[NFESP_POL_A_DST])
		return;
	ev->family = nla_get_u16(f[NFESP_POL_A_FAMILY]);
	memcpy(ev->src, nla_data(f[NFESP_POL_A_SRC]), addr_len(ev->family));
	memcpy(ev->dst, nla_data(f[NFESP_POL_A_DST]), addr_len(ev->family));
	if (f[NFESP_POL_A_PROTO])
		ev->proto = nla_get_u8(f[NFESP_POL_A_PROTO]);
	if (f[NFESP_POL_A_SPORT])
		ev->sport = nla_get_u16(f[NFESP_POL_A_SPORT]);
	if (f[NFESP_POL_A_DPORT])
		ev->dport = nla_get_u16(f[NFESP_POL_A_DPORT]);
}

static int parse_event(uint8_t cmd, struct nlattr **tb, void *arg)
{
	struct nlattr *sa[NFESP_SA_A_MAX + 1];
	struct kernel_event ev = { 0 };

	(void)arg;
	if (cmd == NFESP_CMD_ACQUIRE) {
		parse_acquire(tb, &ev);
	} else if (cmd == NFESP_CMD_EXPIRE) {
		if (!tb[NFESP_A_SA] ||
		    nla_parse_nested(sa, NFESP_SA_A_MAX, tb[NFESP_A_SA], NULL) ||
		    !sa[NFESP_SA_A_SPI] || !sa[NFESP_SA_A_FAMILY] ||
		    !sa[NFESP_SA_A_DST])
			return 0;
		ev.spi = nla_get_u32(sa[NFESP_SA_A_SPI]);
		ev.sa_family = nla_get_u16(sa[NFESP_SA_A_FAMILY]);
		memcpy(ev.sa_dst, nla_data(sa[NFESP_SA_A_DST]),
		       addr_len(ev.sa_family));
		ev.hard = tb[NFESP_A_HARD] != NULL;
	} else {
		return 0;
	}
	if (event_handler)
		event_handler(&ev);
	return 0;
}

void kernel_read_events(void (*fn)(const struct kernel_event *ev))
{
	int err;

	event_handler = fn;
	do
		err = nfesp_nl_read_events(&event_nl);
	while (!err);
	if (err != -EAGAIN)
		ike_log(NULL, "kernel events: %s", event_nl.error);
}

static int request(struct nl_msg *msg, nfesp_nl_reply_fn fn, void *arg,
		   const char *what)
{
	int err = nfesp_nl_request(&req_nl, msg, fn, arg);

	if (err < 0)
		ike_log(NULL, "%s: %s", what, req_nl.error);
	return err;
}

static int got_spi(struct nlattr **tb, void *arg)
{
	struct nlattr *sa[NFESP_SA_A_MAX + 1];

	if (!tb[NFESP_A_SA] ||
	    nla_parse_nested(sa, NFESP_SA_A_MAX, tb[NFESP_A_SA], NULL) ||
	    !sa[NFESP_SA_A_SPI])
		return -EPROTO;
	*(uint32_t *)arg = nla_get_u32(sa[NFESP_SA_A_SPI]);
	return 0;
}

/*
 * A request for @cmd with its NFESP_A_SA nest opened (*@nest, for the
 * caller to close) and the SA's identity in it (SPI 0: none); NULL when out
 * of memory.
 */
static struct nl_msg *sa_msg(uint8_t cmd, int family, const uint8_t *dst,
			     uint32_t spi, struct nlattr **nest)
{
	struct nl_msg *msg = nfesp_nl_msg(&req_nl, cmd, 0);

	if (!msg)
		return NULL;
	*nest = nla_nest_start(msg, NFESP_A_SA);
	NLA_PUT_U16(msg, NFESP_SA_A_FAMILY, (uint16_t)family);
	NLA_PUT(msg, NFESP_SA_A_DST, (int)addr_len(family), dst);
	if (spi)
		NLA_PUT_U32(msg, NFESP_SA_A_SPI, spi);
	return msg;
nla_put_failure:
	nfesp_nl_msg_free(msg);
	return NULL;
}

static int put_encap(struct nl_msg *msg, uint16_t sport, uint16_t dport)
{
	struct nlattr *nest = nla_nest_start(msg, NFESP_SA_A_ENCAP);

	NLA_PUT_U16(msg, NFESP_ENCAP_A_SPORT, sport);
	NLA_PUT_U16(msg, NFESP_ENCAP_A_DPORT, dport);
	nla_nest_end(msg, nest);
	return 0;
nla_put_failure:
	return -ENOMEM;
}

static struct nl_msg *sa_id_msg(uint8_t cmd, int family, const uint8_t *dst,
				uint32_t spi)
{
	struct nlattr *nest;
	struct nl_msg *msg = sa_msg(cmd, family, dst, spi, &nest);

	if (msg)
		nla_nest_end(msg, nest);
	return msg;
}

int kernel_alloc_spi(int family, const uint8_t *dst, uint32_t *spi)
{
	return request(sa_id_msg(NFESP_CMD_SA_ALLOC_SPI, family, dst, 0),
		       got_spi, spi, "reserving an SPI");
}

int kernel_add_sa(const struct kernel_sa *a)
{
	struct nlattr *nest, *inner;
	struct nl_msg *msg = sa_msg(NFESP_CMD_SA_ADD, a->family, a->dst, a->spi,
				    &nest);

	if (!msg)
		return -ENOMEM;
	NLA_PUT(msg, NFESP_SA_A_SRC, (int)addr_len(a->family), a->src);
	NLA_PUT_U8(msg, NFESP_SA_A_MODE,
		   a->tunnel ? NFESP_MODE_TUNNEL : NFESP_MODE_TRANSPORT);
	NLA_PUT_STRING(msg, NFESP_SA_A_ALG, a->alg);
	NLA_PUT(msg, NFESP_SA_A_KEY, (int)a->key_len, a->key);
	NLA_PUT_U16(msg, NFESP_SA_A_ICV_BITS, (uint16_t)a->icv_bits);
	NLA_PUT_U32(msg, NFESP_SA_A_REPLAY_WINDOW, a->replay_window);
	if (a->esn)
		NLA_PUT_U32(msg, NFESP_SA_A_FLAGS, NFESP_SA_F_ESN);
	NLA_PUT_U32(msg, NFESP_SA_A_REQID, a->reqid);
	if (a->encap_sport && put_encap(msg, a->encap_sport, a->encap_dport))
		goto nla_put_failure;
	if (a->soft_secs || a->hard_secs) {
		inner = nla_nest_start(msg, NFESP_SA_A_LIFETIME);
		if (a->soft_secs)
			NLA_PUT_U64(msg, NFESP_LT_A_SOFT_ADD_SECS, a->soft_secs);
		if (a->hard_secs)
			NLA_PUT_U64(msg, NFESP_LT_A_HARD_ADD_SECS, a->hard_secs);
		nla_nest_end(msg, inner);
	}
	nla_nest_end(msg, nest);
	return request(msg, NULL, NULL, "adding an SA");
nla_put_failure:
	nfesp_nl_msg_free(msg);
	return -ENOMEM;
}

int kernel_sa_set_encap(int family, const uint8_t *dst, uint32_t spi,
			uint16_t sport, uint16_t dport)
{
	struct nlattr *nest;
	struct nl_msg *msg = sa_msg(NFESP_CMD_SA_UPDATE, family, dst, spi, &nest);

	if (!msg)
		return -ENOMEM;
	if (put_encap(msg, sport, dport)) {
		nfesp_nl_msg_free(msg);
		return -ENOMEM;
	}
	nla_nest_end(msg, nest);
	return request(msg, NULL, NULL, "updating an SA's UDP encapsulation");
}

int kernel_del_sa(int family, const uint8_t *dst, uint32_t spi)
{
	return request(sa_id_msg(NFESP_CMD_SA_DEL, family, dst, spi), NULL, NULL,
		       "deleting an SA");
}

struct sa_use {
	uint64_t bytes, packets;
};

static int got_use(struct nlattr **tb, void *arg)
{
	struct nlattr *sa[NFESP_SA_A_MAX + 1], *lt[NFESP_LT_A_MAX + 1];
	struct sa_use *use = arg;

	if (!tb[NFESP_A_SA] ||
	    nla_parse_nested(sa, NFESP_SA_A_MAX, tb[NFESP_A_SA], NULL) ||
	    !sa[NFESP_SA_A_CURLIFE] ||
	    nla_parse_nested(lt, NFESP_LT_A_MAX, sa[NFESP_SA_A_CURLIFE], NULL))
		return -EPROTO;
	if (lt[NFESP_LT_A_BYTES])
		use->bytes = nla_get_u64(lt[NFESP_LT_A_BYTES]);
	if (lt[NFESP_LT_A_PACKETS])
		use->packets = nla_get_u64(lt[NFESP_LT_A_PACKETS]);
	return 0;
}

int kernel_sa_use(int family, const uint8_t *dst, uint32_t spi,
		  uint64_t *bytes, uint64_t *packets)
{
	struct sa_use use = { 0 };
	int err;

	err = nfesp_nl_request(&req_nl, sa_id_msg(NFESP_CMD_SA_GET, family, dst, spi),
			       got_use, &use);
	*bytes = use.bytes;
	*packets = use.packets;
	return err;
}

static struct nl_msg *policy_msg(uint8_t cmd, const struct kernel_policy *p,
				 bool full)
{
	struct nl_msg *msg = nfesp_nl_msg(&req_nl, cmd, 0);
	int alen = (int)addr_len(p->family);
	struct nlattr *nest, *tmpl;

	if (!msg)
		return NULL;
	nest = nla_nest_start(msg, NFESP_A_POLICY);
	NLA_PUT_U8(msg, NFESP_POL_A_DIR, p->dir);
	NLA_PUT_U16(msg, NFESP_POL_A_FAMILY, (uint16_t)p->family);
	NLA_PUT(msg, NFESP_POL_A_SRC, alen, p->src);
	NLA_PUT_U8(msg, NFESP_POL_A_SRC_LEN, p->src_len);
	NLA_PUT(msg, NFESP_POL_A_DST, alen, p->dst);
	NLA_PUT_U8(msg, NFESP_POL_A_DST_LEN, p->dst_len);
	if (p->proto)
		NLA_PUT_U8(msg, NFESP_POL_A_PROTO, p->proto);
	if (p->sport)
		NLA_PUT_U16(msg, NFESP_POL_A_SPORT, p->sport);
	if (p->dport)
		NLA_PUT_U16(msg, NFESP_POL_A_DPORT, p->dport);
	if (full) {
		NLA_PUT_U8(msg, NFESP_POL_A_ACTION, p->action);
		NLA_PUT_U32(msg, NFESP_POL_A_PRIORITY, p->priority);
	}
	if (full && p->action == NFESP_ACTION_PROTECT) {
		tmpl = nla_nest_start(msg, NFESP_POL_A_TMPL);
		NLA_PUT_U8(msg, NFESP_TMPL_A_MODE,
			   p->tunnel ? NFESP_MODE_TUNNEL : NFESP_MODE_TRANSPORT);
		NLA_PUT_U32(msg, NFESP_TMPL_A_REQID, p->reqid);
		if (p->tunnel) {
			NLA_PUT_U16(msg, NFESP_TMPL_A_FAMILY, (uint16_t)p->tfamily);
			NLA_PUT(msg, NFESP_TMPL_A_TSRC, (int)addr_len(p->tfamily),
				p->tsrc);
			NLA_PUT(msg, NFESP_TMPL_A_TDST, (int)addr_len(p->tfamily),
				p->tdst);
		}
		nla_nest_end(msg, tmpl);
	}
	nla_nest_end(msg, nest);
	return msg;
nla_put_failure:
	nfesp_nl_msg_free(msg);
	return NULL;
}

int kernel_set_policy(const struct kernel_policy *p)
{
	int err;

	err = nfesp_nl_request(&req_nl, policy_msg(NFESP_CMD_POLICY_ADD, p, true),
			       NULL, NULL);
	if (err == -EEXIST)
		err = nfesp_nl_request(&req_nl,
				       policy_msg(NFESP_CMD_POLICY_UPDATE, p, true),
				       NULL, NULL);
	if (err < 0)
		ike_log(NULL, "installing a policy: %s", req_nl.error);
	return err;
}

int kernel_del_policy(const struct kernel_policy *p)
{
	int err;

	err = nfesp_nl_request(&req_nl, policy_msg(NFESP_CMD_POLICY_DEL, p, false),
			       NULL, NULL);
	if (err < 0 && err != -ENOENT)
		ike_log(NULL, "deleting a policy: %s", req_nl.error);
	return err;
}

/*
 * IKE itself must never be caught by an ESP policy: UDP from and to ports
 * 500 and 4500, both directions, both families, bypass at priority 0 (the
 * most specific selectors win among equals anyway).
 */
int kernel_bypass_ike(bool add)
{
	static const int families[] = { AF_INET, AF_INET6 };
	static const uint16_t ports[] = { IKE_PORT, IKE_NATT_PORT };
	unsigned int f, p, d, end;
	int err = 0;

	for (f = 0; f < 2; f++)
		for (p = 0; p < 2; p++)
			for (d = 0; d < 2; d++)
				for (end = 0; end < 2; end++) {
					struct kernel_policy pol = {
						.dir = d ? NFESP_DIR_OUT : NFESP_DIR_IN,
						.family = families[f],
						.proto = IPPROTO_UDP,
						.action = NFESP_ACTION_BYPASS,
					};

					if (end)
						pol.sport = ports[p];
					else
						pol.dport = ports[p];
					if (add)
						err = kernel_set_policy(&pol) ? -1 : err;
					else
						kernel_del_policy(&pol);
				}
	return err;
}
