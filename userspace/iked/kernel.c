// SPDX-License-Identifier: GPL-2.0
/* iked's requests to nfesp over generic netlink, and its events. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <netinet/in.h>
#include <netlink/socket.h>

#include "../lib/nl.h"
#include "ike.h"
#include "kernel.h"

static struct nfesp_nl req_nl, event_nl;
static void (*event_handler)(const struct kernel_event *ev);

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
	struct nlattr *f[NFESP_POL_A_MAX + 1], *link[NFESP_LINK_A_MAX + 1];

	ev->acquire = true;
	/* A tunnel device's: the device, no policy. */
	if (!nfesp_nl_link_parse(tb, link)) {
		ev->if_id = nla_get_u32(link[NFESP_LINK_A_IF_ID]);
		snprintf(ev->ifname, sizeof(ev->ifname), "%s",
			 nla_get_string(link[NFESP_LINK_A_IFNAME]));
		ev->if_here = link[NFESP_LINK_A_HERE] != NULL;
	}
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
	memcpy(ev->src, nla_data(f[NFESP_POL_A_SRC]), nfesp_addr_len(ev->family));
	memcpy(ev->dst, nla_data(f[NFESP_POL_A_DST]), nfesp_addr_len(ev->family));
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
		       nfesp_addr_len(ev.sa_family));
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

/* A request for @cmd about @sa; NULL when out of memory. */
static struct nl_msg *sa_msg(uint8_t cmd, const struct nfesp_sa *sa)
{
	struct nl_msg *msg = nfesp_nl_msg(&req_nl, cmd, 0);

	if (msg && nfesp_put_sa(msg, sa)) {
		nfesp_nl_msg_free(msg);
		return NULL;
	}
	return msg;
}

/* The SA known by @family, @dst and @spi (0: none). */
static struct nfesp_sa sa_id(int family, const uint8_t *dst, uint32_t spi)
{
	struct nfesp_sa sa = { .family = family, .spi = spi };

	memcpy(sa.dst.bytes, dst, nfesp_addr_len(family));
	if (spi)
		sa.has |= NFESP_SA_HAS_SPI;
	return sa;
}

int kernel_alloc_spi(int family, const uint8_t *dst, uint32_t *spi)
{
	struct nfesp_sa sa = sa_id(family, dst, 0);

	return request(sa_msg(NFESP_CMD_SA_ALLOC_SPI, &sa), got_spi, spi,
		       "reserving an SPI");
}

int kernel_link_if_id(const char *name, uint32_t *if_id)
{
	int err = nfesp_nl_link_if_id(&req_nl, name, if_id);

	if (err && err != -ENODEV)
		ike_log(NULL, "interface %s: %s", name, req_nl.error);
	return err;
}

int kernel_add_sa(const struct nfesp_sa *sa)
{
	return request(sa_msg(NFESP_CMD_SA_ADD, sa), NULL, NULL, "adding an SA");
}

int kernel_sa_set_encap(int family, const uint8_t *dst, uint32_t spi,
			uint16_t sport, uint16_t dport)
{
	struct nfesp_sa sa = sa_id(family, dst, spi);

	sa.has |= NFESP_SA_HAS_ENCAP;
	sa.encap_sport = sport;
	sa.encap_dport = dport;
	return request(sa_msg(NFESP_CMD_SA_UPDATE, &sa), NULL, NULL,
		       "updating an SA's UDP encapsulation");
}

int kernel_del_sa(int family, const uint8_t *dst, uint32_t spi)
{
	struct nfesp_sa sa = sa_id(family, dst, spi);

	return request(sa_msg(NFESP_CMD_SA_DEL, &sa), NULL, NULL, "deleting an SA");
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
	struct nfesp_sa sa = sa_id(family, dst, spi);
	struct sa_use use = { 0 };
	int err;

	err = nfesp_nl_request(&req_nl, sa_msg(NFESP_CMD_SA_GET, &sa), got_use, &use);
	*bytes = use.bytes;
	*packets = use.packets;
	return err;
}

static struct nl_msg *policy_msg(uint8_t cmd, const struct nfesp_policy *p)
{
	struct nl_msg *msg = nfesp_nl_msg(&req_nl, cmd, 0);

	if (msg && nfesp_put_policy(msg, p)) {
		nfesp_nl_msg_free(msg);
		return NULL;
	}
	return msg;
}

int kernel_set_policy(const struct nfesp_policy *p)
{
	int err;

	err = nfesp_nl_request(&req_nl, policy_msg(NFESP_CMD_POLICY_ADD, p),
			       NULL, NULL);
	if (err == -EEXIST)
		err = nfesp_nl_request(&req_nl,
				       policy_msg(NFESP_CMD_POLICY_UPDATE, p),
				       NULL, NULL);
	if (err < 0)
		ike_log(NULL, "installing a policy: %s", req_nl.error);
	return err;
}

int kernel_del_policy(const struct nfesp_policy *p)
{
	struct nfesp_policy sel = *p;
	int err;

	sel.has &= NFESP_POL_HAS_SRC | NFESP_POL_HAS_DST | NFESP_POL_HAS_PROTO |
		   NFESP_POL_HAS_SPORT | NFESP_POL_HAS_DPORT;
	err = nfesp_nl_request(&req_nl, policy_msg(NFESP_CMD_POLICY_DEL, &sel),
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
					struct nfesp_policy pol = {
						.has = NFESP_POL_HAS_SRC |
						       NFESP_POL_HAS_DST |
						       NFESP_POL_HAS_PROTO |
						       NFESP_POL_HAS_ACTION |
						       NFESP_POL_HAS_PRIORITY |
						       (end ? NFESP_POL_HAS_SPORT :
							      NFESP_POL_HAS_DPORT),
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
