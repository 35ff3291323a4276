// SPDX-License-Identifier: GPL-2.0
/* The policy commands of the nfesp family: add, update, delete, get, dump, flush. */
#include <linux/in.h>
#include <linux/socket.h>
#include <net/genetlink.h>
#include <net/sock.h>

#include "nfesp.h"

static const struct nla_policy nfesp_tmpl_policy[NFESP_TMPL_A_MAX + 1] = {
	[NFESP_TMPL_A_MODE] = { .type = NLA_U8 },
	[NFESP_TMPL_A_TSRC] = { .type = NLA_BINARY, .len = sizeof(struct in6_addr) },
	[NFESP_TMPL_A_TDST] = { .type = NLA_BINARY, .len = sizeof(struct in6_addr) },
	[NFESP_TMPL_A_REQID] = { .type = NLA_U32 },
	[NFESP_TMPL_A_FAMILY] = { .type = NLA_U16 },
	[NFESP_TMPL_A_SPI] = NLA_POLICY_MIN(NLA_U32, 256),
};

static const struct nla_policy nfesp_pol_policy[NFESP_POL_A_MAX + 1] = {
	[NFESP_POL_A_DIR] = { .type = NLA_U8 },
	[NFESP_POL_A_FAMILY] = { .type = NLA_U16 },
	[NFESP_POL_A_SRC] = { .type = NLA_BINARY, .len = sizeof(struct in6_addr) },
	[NFESP_POL_A_SRC_LEN] = { .type = NLA_U8 },
	[NFESP_POL_A_DST] = { .type = NLA_BINARY, .len = sizeof(struct in6_addr) },
	[NFESP_POL_A_DST_LEN] = { .type = NLA_U8 },
	[NFESP_POL_A_PROTO] = { .type = NLA_U8 },
	[NFESP_POL_A_SPORT] = { .type = NLA_U16 },
	[NFESP_POL_A_DPORT] = { .type = NLA_U16 },
	[NFESP_POL_A_ACTION] = { .type = NLA_U8 },
	[NFESP_POL_A_PRIORITY] = { .type = NLA_U32 },
	[NFESP_POL_A_TMPL] = NLA_POLICY_NESTED(nfesp_tmpl_policy),
	[NFESP_POL_A_STATS] = {
		.type = NLA_REJECT,
		.reject_message = "NFESP_POL_A_STATS is only sent by the kernel",
	},
	[NFESP_POL_A_IF_ID] = NLA_POLICY_MIN(NLA_U32, 1),
};

static unsigned int nfesp_addr_len(u16 family)
{
	return family == AF_INET ? 4 : 16;
}

/* An address and its prefix length; neither: any address. */
static int nfesp_parse_prefix(struct nlattr *addr, struct nlattr *len,
			      u16 family, union nfesp_addr *out, u8 *plen,
			      struct netlink_ext_ack *extack)
{
	unsigned int bits = nfesp_addr_len(family) * 8;

	memset(out, 0, sizeof(*out));
	*plen = 0;
	if (!addr) {
		if (len && nla_get_u8(len)) {
			NL_SET_ERR_MSG_ATTR(extack, len,
					    "a prefix length without an address");
			return -EINVAL;
		}
		return 0;
	}
	if (nla_len(addr) != nfesp_addr_len(family)) {
		NL_SET_ERR_MSG_ATTR(extack, addr,
				    "NFESP_POL_A_SRC/DST is not an address of NFESP_POL_A_FAMILY");
		return -EINVAL;
	}
	memcpy(out, nla_data(addr), nla_len(addr));
	*plen = len ? nla_get_u8(len) : bits;
	if (*plen > bits) {
		NL_SET_ERR_MSG_ATTR(extack, len,
				    "NFESP_POL_A_SRC_LEN/DST_LEN is longer than the address");
		return -EINVAL;
	}
	return 0;
}

static int nfesp_parse_selector(struct nlattr **tb, u8 *dir,
				struct nfesp_selector *sel,
				struct netlink_ext_ack *extack)
{
	int err;

	if (NFESP_REQUIRE(tb, NFESP_POL_A_DIR, extack) ||
	    NFESP_REQUIRE(tb, NFESP_POL_A_FAMILY, extack))
		return -EINVAL;
	*dir = nla_get_u8(tb[NFESP_POL_A_DIR]);
	if (*dir < NFESP_DIR_IN || *dir > NFESP_DIR_MAX) {
		NL_SET_ERR_MSG_ATTR(extack, tb[NFESP_POL_A_DIR],
				    "NFESP_POL_A_DIR must be in, out or fwd");
		return -EINVAL;
	}
	memset(sel, 0, sizeof(*sel));
	sel->family = nla_get_u16(tb[NFESP_POL_A_FAMILY]);
	if (sel->family != AF_INET && sel->family != AF_INET6) {
		NL_SET_ERR_MSG_ATTR(extack, tb[NFESP_POL_A_FAMILY],
				    "NFESP_POL_A_FAMILY must be AF_INET or AF_INET6");
		return -EAFNOSUPPORT;
	}
	err = nfesp_parse_prefix(tb[NFESP_POL_A_SRC], tb[NFESP_POL_A_SRC_LEN],
				 sel->family, &sel->src, &sel->src_len, extack);
	if (err)
		return err;
	err = nfesp_parse_prefix(tb[NFESP_POL_A_DST], tb[NFESP_POL_A_DST_LEN],
				 sel->family, &sel->dst, &sel->dst_len, extack);
	if (err)
		return err;
	if (tb[NFESP_POL_A_IF_ID]) {
		sel->if_id = nla_get_u32(tb[NFESP_POL_A_IF_ID]);
		if (*dir == NFESP_DIR_FWD) {
			NL_SET_ERR_MSG_ATTR(extack, tb[NFESP_POL_A_IF_ID],
					    "NFESP_POL_A_IF_ID: a device's policies are in or out (what it forwards, it receives or sends)");
			return -EINVAL;
		}
	}
	if (tb[NFESP_POL_A_PROTO])
		sel->proto = nla_get_u8(tb[NFESP_POL_A_PROTO]);
	if (tb[NFESP_POL_A_SPORT])
		sel->sport = htons(nla_get_u16(tb[NFESP_POL_A_SPORT]));
	if (tb[NFESP_POL_A_DPORT])
		sel->dport = htons(nla_get_u16(tb[NFESP_POL_A_DPORT]));
	if ((sel->sport || sel->dport) && sel->proto != IPPROTO_TCP &&
	    sel->proto != IPPROTO_UDP && sel->proto != IPPROTO_SCTP) {
		NL_SET_ERR_MSG_MOD(extack,
				   "NFESP_POL_A_SPORT/DPORT need NFESP_POL_A_PROTO tcp, udp or sctp");
		return -EINVAL;
	}
	nfesp_selector_mask(sel);
	return 0;
}

/*
 * ACTION, PRIORITY and TMPL, as ADD and UPDATE take them. A device's
 * policy (IF_ID) protects with the device's SAs, so it has no template,
 * and cannot bypass: what enters a device leaves in ESP or not at all.
 */
static int nfesp_parse_pol_action(struct nlattr **tb, u32 *priority,
				  struct nfesp_pol_conf *conf,
				  struct netlink_ext_ack *extack)
{
	struct nlattr *tt[NFESP_TMPL_A_MAX + 1];
	struct nfesp_tmpl *t = &conf->tmpl;
	int err;

	if (NFESP_REQUIRE(tb, NFESP_POL_A_ACTION, extack))
		return -EINVAL;
	conf->action = nla_get_u8(tb[NFESP_POL_A_ACTION]);
	if (conf->action < NFESP_ACTION_PROTECT ||
	    conf->action > NFESP_ACTION_DISCARD) {
		NL_SET_ERR_MSG_ATTR(extack, tb[NFESP_POL_A_ACTION],
				    "NFESP_POL_A_ACTION must be protect, bypass or discard");
		return -EINVAL;
	}
	*priority = tb[NFESP_POL_A_PRIORITY] ?
		    nla_get_u32(tb[NFESP_POL_A_PRIORITY]) : 0;
	memset(t, 0, sizeof(*t));
	if (tb[NFESP_POL_A_IF_ID]) {
		if (conf->action == NFESP_ACTION_BYPASS) {
			NL_SET_ERR_MSG_ATTR(extack, tb[NFESP_POL_A_ACTION],
					    "a device's policy protects or discards: nothing leaves a device in the clear");
			return -EINVAL;
		}
		if (tb[NFESP_POL_A_TMPL]) {
			NL_SET_ERR_MSG_ATTR(extack, tb[NFESP_POL_A_TMPL],
					    "NFESP_POL_A_TMPL: a device's policy has none (its SAs are the device's)");
			return -EINVAL;
		}
		return 0;
	}
	if (conf->action != NFESP_ACTION_PROTECT) {
		if (tb[NFESP_POL_A_TMPL]) {
			NL_SET_ERR_MSG_ATTR(extack, tb[NFESP_POL_A_TMPL],
					    "NFESP_POL_A_TMPL is for action protect only");
			return -EINVAL;
		}
		return 0;
	}
	if (NFESP_REQUIRE(tb, NFESP_POL_A_TMPL, extack))
		return -EINVAL;
	err = nla_parse_nested(tt, NFESP_TMPL_A_MAX, tb[NFESP_POL_A_TMPL],
			       nfesp_tmpl_policy, extack);
	if (err)
		return err;
	if (NFESP_REQUIRE(tt, NFESP_TMPL_A_MODE, extack))
		return -EINVAL;
	t->mode = nla_get_u8(tt[NFESP_TMPL_A_MODE]);
	if (tt[NFESP_TMPL_A_REQID])
		t->reqid = nla_get_u32(tt[NFESP_TMPL_A_REQID]);
	if (tt[NFESP_TMPL_A_SPI])
		t->spi = htonl(nla_get_u32(tt[NFESP_TMPL_A_SPI]));
	if (t->mode == NFESP_MODE_TRANSPORT) {
		if (tt[NFESP_TMPL_A_TSRC] || tt[NFESP_TMPL_A_TDST]) {
			NL_SET_ERR_MSG_ATTR(extack, tb[NFESP_POL_A_TMPL],
					    "NFESP_TMPL_A_TSRC/TDST are for tunnel mode only");
			return -EINVAL;
		}
		return 0;
	}
	if (t->mode != NFESP_MODE_TUNNEL) {
		NL_SET_ERR_MSG_ATTR(extack, tt[NFESP_TMPL_A_MODE],
				    "NFESP_TMPL_A_MODE must be transport or tunnel");
		return -EINVAL;
	}
	if (NFESP_REQUIRE(tt, NFESP_TMPL_A_FAMILY, extack) ||
	    NFESP_REQUIRE(tt, NFESP_TMPL_A_TSRC, extack) ||
	    NFESP_REQUIRE(tt, NFESP_TMPL_A_TDST, extack))
		return -EINVAL;
	t->family = nla_get_u16(tt[NFESP_TMPL_A_FAMILY]);
	if ((t->family != AF_INET && t->family != AF_INET6) ||
	    nla_len(tt[NFESP_TMPL_A_TSRC]) != nfesp_addr_len(t->family) ||
	    nla_len(tt[NFESP_TMPL_A_TDST]) != nfesp_addr_len(t->family)) {
		NL_SET_ERR_MSG_ATTR(extack, tb[NFESP_POL_A_TMPL],
				    "NFESP_TMPL_A_TSRC/TDST are not addresses of NFESP_TMPL_A_FAMILY");
		return -EINVAL;
	}
	memcpy(&t->tsrc, nla_data(tt[NFESP_TMPL_A_TSRC]), nfesp_addr_len(t->family));
	memcpy(&t->tdst, nla_data(tt[NFESP_TMPL_A_TDST]), nfesp_addr_len(t->family));
	return 0;
}

static struct nlattr **nfesp_pol_attrs(struct genl_info *info, struct nlattr **tb)
{
	if (NFESP_REQUIRE(info->attrs, NFESP_A_POLICY, info->extack))
		return NULL;
	if (nla_parse_nested(tb, NFESP_POL_A_MAX, info->attrs[NFESP_A_POLICY],
			     nfesp_pol_policy, info->extack))
		return NULL;
	return tb;
}

int nfesp_pol_fill(struct sk_buff *skb, const struct nfesp_policy *pol)
{
	const struct nfesp_selector *sel = &pol->sel;
	unsigned int alen = nfesp_addr_len(sel->family);
	struct nfesp_pol_conf conf;
	const struct nfesp_tmpl *t = &conf.tmpl;
	u64 sum[__NFESP_STAT_MAX];
	struct nlattr *nest, *tmpl;

	rcu_read_lock();
	conf = *rcu_dereference(pol->conf);
	rcu_read_unlock();
	nfesp_stats_sum(pol->stats, sum);
	nest = nla_nest_start(skb, NFESP_A_POLICY);
	if (!nest)
		return -EMSGSIZE;
	if (nla_put_u8(skb, NFESP_POL_A_DIR, pol->dir) ||
	    nla_put_u16(skb, NFESP_POL_A_FAMILY, sel->family) ||
	    nla_put(skb, NFESP_POL_A_SRC, alen, &sel->src) ||
	    nla_put_u8(skb, NFESP_POL_A_SRC_LEN, sel->src_len) ||
	    nla_put(skb, NFESP_POL_A_DST, alen, &sel->dst) ||
	    nla_put_u8(skb, NFESP_POL_A_DST_LEN, sel->dst_len) ||
	    nla_put_u8(skb, NFESP_POL_A_PROTO, sel->proto) ||
	    nla_put_u16(skb, NFESP_POL_A_SPORT, ntohs(sel->sport)) ||
	    nla_put_u16(skb, NFESP_POL_A_DPORT, ntohs(sel->dport)) ||
	    nla_put_u8(skb, NFESP_POL_A_ACTION, conf.action) ||
	    nla_put_u32(skb, NFESP_POL_A_PRIORITY, READ_ONCE(pol->priority)) ||
	    nfesp_stats_fill(skb, NFESP_POL_A_STATS, sum) ||
	    (sel->if_id && nla_put_u32(skb, NFESP_POL_A_IF_ID, sel->if_id)))
		goto cancel;
	if (conf.action == NFESP_ACTION_PROTECT && !sel->if_id) {
		tmpl = nla_nest_start(skb, NFESP_POL_A_TMPL);
		if (!tmpl ||
		    nla_put_u8(skb, NFESP_TMPL_A_MODE, t->mode) ||
		    nla_put_u32(skb, NFESP_TMPL_A_REQID, t->reqid) ||
		    (t->spi && nla_put_u32(skb, NFESP_TMPL_A_SPI, ntohl(t->spi))))
			goto cancel;
		if (t->mode == NFESP_MODE_TUNNEL &&
		    (nla_put_u16(skb, NFESP_TMPL_A_FAMILY, t->family) ||
		     nla_put(skb, NFESP_TMPL_A_TSRC, nfesp_addr_len(t->family),
			     &t->tsrc) ||
		     nla_put(skb, NFESP_TMPL_A_TDST, nfesp_addr_len(t->family),
			     &t->tdst)))
			goto cancel;
		nla_nest_end(skb, tmpl);
	}
	nla_nest_end(skb, nest);
	return 0;
cancel:
	nla_nest_cancel(skb, nest);
	return -EMSGSIZE;
}

static struct sk_buff *nfesp_pol_msg(const struct nfesp_policy *pol, u8 cmd,
				     u32 portid, u32 seq)
{
	struct sk_buff *skb = genlmsg_new(NLMSG_GOODSIZE, GFP_KERNEL);
	void *hdr;

	if (!skb)
		return NULL;
	hdr = genlmsg_put(skb, portid, seq, &nfesp_genl_family, 0, cmd);
	if (!hdr || nfesp_pol_fill(skb, pol)) {
		nlmsg_free(skb);
		return NULL;
	}
	genlmsg_end(skb, hdr);
	return skb;
}

static void nfesp_pol_notify(struct net *net, const struct nfesp_policy *pol,
			     u8 cmd)
{
	struct sk_buff *skb = nfesp_pol_msg(pol, cmd, 0, 0);

	if (skb)
		nfesp_genl_notify(net, skb);
}

int nfesp_nl_pol_add(struct sk_buff *req, struct genl_info *info)
{
	struct nfesp_net *nn = nfesp_pernet(genl_info_net(info));
	struct nlattr *tbuf[NFESP_POL_A_MAX + 1], **tb;
	struct nfesp_pol_conf *conf;
	struct nfesp_policy *pol;
	int err;

	tb = nfesp_pol_attrs(info, tbuf);
	if (!tb)
		return -EINVAL;
	pol = nfesp_policy_alloc(&conf);
	if (!pol)
		return -ENOMEM;
	err = nfesp_parse_selector(tb, &pol->dir, &pol->sel, info->extack);
	if (!err)
		err = nfesp_parse_pol_action(tb, &pol->priority, conf,
					     info->extack);
	if (err)
		goto free;

	mutex_lock(&nn->lock);
	if (nfesp_spd_find(&nn->spd[pol->dir - 1], &pol->sel)) {
		NL_SET_ERR_MSG(info->extack,
			       "a policy with this direction and selector exists");
		err = -EEXIST;
	} else {
		err = nfesp_pol_link(nn, pol);
	}
	if (!err)
		nfesp_pol_notify(genl_info_net(info), pol, NFESP_CMD_POLICY_ADD);
	mutex_unlock(&nn->lock);
	if (!err)
		return 0;
free:
	nfesp_policy_destroy(pol);
	return err;
}

/* The policy a request names, under nfesp_net.lock. */
static struct nfesp_policy *nfesp_pol_from_request(struct nfesp_net *nn,
						   struct nlattr **tb,
						   struct netlink_ext_ack *extack)
{
	struct nfesp_selector sel;
	struct nfesp_policy *pol;
	u8 dir;
	int err;

	lockdep_assert_held(&nn->lock);
	err = nfesp_parse_selector(tb, &dir, &sel, extack);
	if (err)
		return ERR_PTR(err);
	pol = nfesp_spd_find(&nn->spd[dir - 1], &sel);
	if (!pol) {
		NL_SET_ERR_MSG(extack, "no policy with this direction and selector");
		return ERR_PTR(-ENOENT);
	}
	return pol;
}

int nfesp_nl_pol_update(struct sk_buff *req, struct genl_info *info)
{
	struct nfesp_net *nn = nfesp_pernet(genl_info_net(info));
	struct nlattr *tbuf[NFESP_POL_A_MAX + 1], **tb;
	struct nfesp_pol_conf *old, *next;
	struct nfesp_policy *pol;
	u32 priority;
	int err;

	tb = nfesp_pol_attrs(info, tbuf);
	if (!tb)
		return -EINVAL;
	next = kzalloc(sizeof(*next), GFP_KERNEL_ACCOUNT);
	if (!next)
		return -ENOMEM;
	err = nfesp_parse_pol_action(tb, &priority, next, info->extack);
	if (err)
		goto free;
	mutex_lock(&nn->lock);
	pol = nfesp_pol_from_request(nn, tb, info->extack);
	if (IS_ERR(pol)) {
		err = PTR_ERR(pol);
		mutex_unlock(&nn->lock);
		goto free;
	}
	old = nfesp_pol_conf(pol, nn);
	WRITE_ONCE(pol->priority, priority);
	rcu_assign_pointer(pol->conf, next);
	kfree_rcu(old, rcu);
	nn->gen++;
	nfesp_pol_notify(genl_info_net(info), pol, NFESP_CMD_POLICY_UPDATE);
	mutex_unlock(&nn->lock);
	return 0;

free:
	kfree(next);
	return err;
}

int nfesp_nl_pol_del(struct sk_buff *req, struct genl_info *info)
{
	struct nfesp_net *nn = nfesp_pernet(genl_info_net(info));
	struct nlattr *tbuf[NFESP_POL_A_MAX + 1], **tb;
	struct nfesp_policy *pol;
	int err = 0;

	tb = nfesp_pol_attrs(info, tbuf);
	if (!tb)
		return -EINVAL;
	mutex_lock(&nn->lock);
	pol = nfesp_pol_from_request(nn, tb, info->extack);
	if (IS_ERR(pol)) {
		err = PTR_ERR(pol);
	} else {
		nfesp_pol_notify(genl_info_net(info), pol, NFESP_CMD_POLICY_DEL);
		nfesp_pol_unlink(nn, pol);
	}
	mutex_unlock(&nn->lock);
	return err;
}

int nfesp_nl_pol_get(struct sk_buff *req, struct genl_info *info)
{
	struct nfesp_net *nn = nfesp_pernet(genl_info_net(info));
	struct nlattr *tbuf[NFESP_POL_A_MAX + 1], **tb;
	struct nfesp_policy *pol;
	struct sk_buff *skb = NULL;

	tb = nfesp_pol_attrs(info, tbuf);
	if (!tb)
		return -EINVAL;
	mutex_lock(&nn->lock);
	pol = nfesp_pol_from_request(nn, tb, info->extack);
	if (!IS_ERR(pol))
		skb = nfesp_pol_msg(pol, NFESP_CMD_POLICY_GET, info->snd_portid,
				    info->snd_seq);
	mutex_unlock(&nn->lock);
	if (IS_ERR(pol))
		return PTR_ERR(pol);
	if (!skb)
		return -ENOMEM;
	return genlmsg_reply(skb, info);
}

static int nfesp_pol_fill_obj(struct sk_buff *skb, const void *pol, bool keys)
{
	return nfesp_pol_fill(skb, pol);
}

int nfesp_nl_pol_dump(struct sk_buff *skb, struct netlink_callback *cb)
{
	struct nfesp_net *nn = nfesp_pernet(sock_net(skb->sk));

	return nfesp_genl_dump(skb, cb, &nn->pol_index, NFESP_CMD_POLICY_GET,
			       nfesp_pol_fill_obj, false);
}

int nfesp_nl_pol_flush(struct sk_buff *req, struct genl_info *info)
{
	struct net *net = genl_info_net(info);
	struct nfesp_net *nn = nfesp_pernet(net);

	mutex_lock(&nn->lock);
	nfesp_pol_flush(nn);
	mutex_unlock(&nn->lock);
	nfesp_genl_notify_flush(net, NFESP_CMD_POLICY_FLUSH);
	return 0;
}
