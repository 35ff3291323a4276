// SPDX-License-Identifier: GPL-2.0
/* The SA commands of the nfesp family: add, update, delete, get, dump, flush. */
#include <linux/socket.h>
#include <crypto/aead.h>
#include <net/genetlink.h>
#include <net/ipv6.h>
#include <net/sock.h>

#include "compat.h"
#include "nfesp.h"

#define NFESP_OUTPUT_ONLY(attr) {					\
	.type = NLA_REJECT,						\
	.reject_message = #attr " is only sent by the kernel",		\
}

static const struct nla_policy nfesp_lifetime_policy[NFESP_LT_A_MAX + 1] = {
	[NFESP_LT_A_SOFT_BYTES] = { .type = NLA_U64 },
	[NFESP_LT_A_HARD_BYTES] = { .type = NLA_U64 },
	[NFESP_LT_A_SOFT_PACKETS] = { .type = NLA_U64 },
	[NFESP_LT_A_HARD_PACKETS] = { .type = NLA_U64 },
	[NFESP_LT_A_SOFT_ADD_SECS] = { .type = NLA_U64 },
	[NFESP_LT_A_HARD_ADD_SECS] = { .type = NLA_U64 },
	[NFESP_LT_A_SOFT_USE_SECS] = { .type = NLA_U64 },
	[NFESP_LT_A_HARD_USE_SECS] = { .type = NLA_U64 },
	[NFESP_LT_A_BYTES] = NFESP_OUTPUT_ONLY(NFESP_LT_A_BYTES),
	[NFESP_LT_A_PACKETS] = NFESP_OUTPUT_ONLY(NFESP_LT_A_PACKETS),
	[NFESP_LT_A_ADD_SECS] = NFESP_OUTPUT_ONLY(NFESP_LT_A_ADD_SECS),
	[NFESP_LT_A_USE_SECS] = NFESP_OUTPUT_ONLY(NFESP_LT_A_USE_SECS),
};

static const struct nla_policy nfesp_encap_policy[NFESP_ENCAP_A_MAX + 1] = {
	[NFESP_ENCAP_A_SPORT] = { .type = NLA_U16 },
	[NFESP_ENCAP_A_DPORT] = { .type = NLA_U16 },
};

static const struct nla_policy nfesp_sa_policy[NFESP_SA_A_MAX + 1] = {
	[NFESP_SA_A_FAMILY] = { .type = NLA_U16 },
	[NFESP_SA_A_DST] = { .type = NLA_BINARY, .len = sizeof(struct in6_addr) },
	[NFESP_SA_A_SPI] = { .type = NLA_U32 },
	[NFESP_SA_A_SRC] = { .type = NLA_BINARY, .len = sizeof(struct in6_addr) },
	[NFESP_SA_A_MODE] = { .type = NLA_U8 },
	[NFESP_SA_A_ALG] = { .type = NLA_NUL_STRING, .len = 64 },
	[NFESP_SA_A_KEY] = { .type = NLA_BINARY, .len = NFESP_KEY_MAX },
	[NFESP_SA_A_ICV_BITS] = { .type = NLA_U16 },
	[NFESP_SA_A_REPLAY_WINDOW] = { .type = NLA_U32 },
	[NFESP_SA_A_FLAGS] = { .type = NLA_U32 },
	[NFESP_SA_A_LIFETIME] = NLA_POLICY_NESTED(nfesp_lifetime_policy),
	[NFESP_SA_A_ENCAP] = NLA_POLICY_NESTED(nfesp_encap_policy),
	[NFESP_SA_A_REQID] = { .type = NLA_U32 },
	[NFESP_SA_A_DRIVER] = NFESP_OUTPUT_ONLY(NFESP_SA_A_DRIVER),
	[NFESP_SA_A_CURLIFE] = NFESP_OUTPUT_ONLY(NFESP_SA_A_CURLIFE),
	[NFESP_SA_A_STATS] = NFESP_OUTPUT_ONLY(NFESP_SA_A_STATS),
	[NFESP_SA_A_KEY_LEN] = NFESP_OUTPUT_ONLY(NFESP_SA_A_KEY_LEN),
	[NFESP_SA_A_SPI_MIN] = { .type = NLA_U32 },
	[NFESP_SA_A_SPI_MAX] = { .type = NLA_U32 },
	[NFESP_SA_A_DIR] = NLA_POLICY_RANGE(NLA_U8, NFESP_DIR_IN, NFESP_DIR_OUT),
	[NFESP_SA_A_IF_ID] = NLA_POLICY_MIN(NLA_U32, 1),
};

static int nfesp_parse_addr(const struct nlattr *attr, u16 family,
			    union nfesp_addr *addr)
{
	unsigned int len = family == AF_INET ? 4 : 16;

	if (nla_len(attr) != len)
		return -EINVAL;
	memset(addr, 0, sizeof(*addr));
	memcpy(addr, nla_data(attr), len);
	return 0;
}

/* FAMILY and DST, into a zeroed @key. */
static int nfesp_parse_sa_dst(struct nlattr **tb, struct nfesp_sa_key *key,
			      struct netlink_ext_ack *extack)
{
	if (NFESP_REQUIRE(tb, NFESP_SA_A_FAMILY, extack) ||
	    NFESP_REQUIRE(tb, NFESP_SA_A_DST, extack))
		return -EINVAL;
	memset(key, 0, sizeof(*key));
	key->family = nla_get_u16(tb[NFESP_SA_A_FAMILY]);
	if (key->family != AF_INET && key->family != AF_INET6) {
		NL_SET_ERR_MSG_ATTR(extack, tb[NFESP_SA_A_FAMILY],
				    "NFESP_SA_A_FAMILY must be AF_INET or AF_INET6");
		return -EAFNOSUPPORT;
	}
	if (nfesp_parse_addr(tb[NFESP_SA_A_DST], key->family, &key->dst)) {
		NL_SET_ERR_MSG_ATTR(extack, tb[NFESP_SA_A_DST],
				    "NFESP_SA_A_DST is not an address of NFESP_SA_A_FAMILY");
		return -EINVAL;
	}
	return 0;
}

/* The SA's identity: FAMILY, DST, SPI. */
static int nfesp_parse_sa_key(struct nlattr **tb, struct nfesp_sa_key *key,
			      struct netlink_ext_ack *extack)
{
	u32 spi;
	int err;

	err = nfesp_parse_sa_dst(tb, key, extack);
	if (err)
		return err;
	if (NFESP_REQUIRE(tb, NFESP_SA_A_SPI, extack))
		return -EINVAL;
	spi = nla_get_u32(tb[NFESP_SA_A_SPI]);
	if (spi < 256) {
		NL_SET_ERR_MSG_ATTR(extack, tb[NFESP_SA_A_SPI],
				    "NFESP_SA_A_SPI 0-255 is reserved (RFC 4303)");
		return -EINVAL;
	}
	key->spi = htonl(spi);
	return 0;
}

static int nfesp_parse_lifetime(const struct nlattr *attr,
				struct nfesp_lifetime *lt,
				struct netlink_ext_ack *extack)
{
	struct nlattr *tb[NFESP_LT_A_MAX + 1];
	int err;

	err = nla_parse_nested(tb, NFESP_LT_A_MAX, attr, nfesp_lifetime_policy,
			       extack);
	if (err)
		return err;
	/* Limits not in the request stay as they were. */
#define GET(field, attr) (lt->field = tb[attr] ? nla_get_u64(tb[attr]) : lt->field)
	GET(soft_bytes, NFESP_LT_A_SOFT_BYTES);
	GET(hard_bytes, NFESP_LT_A_HARD_BYTES);
	GET(soft_packets, NFESP_LT_A_SOFT_PACKETS);
	GET(hard_packets, NFESP_LT_A_HARD_PACKETS);
	GET(soft_add_secs, NFESP_LT_A_SOFT_ADD_SECS);
	GET(hard_add_secs, NFESP_LT_A_HARD_ADD_SECS);
	GET(soft_use_secs, NFESP_LT_A_SOFT_USE_SECS);
	GET(hard_use_secs, NFESP_LT_A_HARD_USE_SECS);
#undef GET
	/* A soft limit tells of a hard one to come: it cannot lie past it. */
	if ((lt->hard_bytes && lt->soft_bytes > lt->hard_bytes) ||
	    (lt->hard_packets && lt->soft_packets > lt->hard_packets) ||
	    (lt->hard_add_secs && lt->soft_add_secs > lt->hard_add_secs) ||
	    (lt->hard_use_secs && lt->soft_use_secs > lt->hard_use_secs)) {
		NL_SET_ERR_MSG_ATTR(extack, attr,
				    "NFESP_SA_A_LIFETIME: a soft limit is above its hard limit");
		return -EINVAL;
	}
	return 0;
}

static int nfesp_parse_encap(const struct nlattr *attr, u16 *sport, u16 *dport,
			     struct netlink_ext_ack *extack)
{
	struct nlattr *tb[NFESP_ENCAP_A_MAX + 1];
	int err;

	err = nla_parse_nested(tb, NFESP_ENCAP_A_MAX, attr, nfesp_encap_policy,
			       extack);
	if (err)
		return err;
	if (NFESP_REQUIRE(tb, NFESP_ENCAP_A_SPORT, extack) ||
	    NFESP_REQUIRE(tb, NFESP_ENCAP_A_DPORT, extack))
		return -EINVAL;
	*sport = nla_get_u16(tb[NFESP_ENCAP_A_SPORT]);
	*dport = nla_get_u16(tb[NFESP_ENCAP_A_DPORT]);
	if (!*sport || !*dport) {
		NL_SET_ERR_MSG_ATTR(extack, attr,
				    "NFESP_SA_A_ENCAP: port 0 is not a port");
		return -EINVAL;
	}
	return 0;
}

/* What SA_ADD and SA_UPDATE share: SRC, LIFETIME, ENCAP, into @conf. */
static int nfesp_parse_sa_conf(struct nlattr **tb, u16 family,
			       struct nfesp_sa_conf *conf,
			       struct netlink_ext_ack *extack)
{
	int err;

	if (tb[NFESP_SA_A_SRC] &&
	    nfesp_parse_addr(tb[NFESP_SA_A_SRC], family, &conf->src)) {
		NL_SET_ERR_MSG_ATTR(extack, tb[NFESP_SA_A_SRC],
				    "NFESP_SA_A_SRC is not an address of NFESP_SA_A_FAMILY");
		return -EINVAL;
	}
	if (tb[NFESP_SA_A_LIFETIME]) {
		err = nfesp_parse_lifetime(tb[NFESP_SA_A_LIFETIME], &conf->limits,
					   extack);
		if (err)
			return err;
	}
	if (tb[NFESP_SA_A_ENCAP]) {
		err = nfesp_parse_encap(tb[NFESP_SA_A_ENCAP], &conf->encap_sport,
					&conf->encap_dport, extack);
		if (err)
			return err;
	}
	return 0;
}

static struct nlattr **nfesp_sa_attrs(struct genl_info *info,
				      struct nlattr **tb)
{
	if (NFESP_REQUIRE(info->attrs, NFESP_A_SA, info->extack))
		return NULL;
	if (nla_parse_nested(tb, NFESP_SA_A_MAX, info->attrs[NFESP_A_SA],
			     nfesp_sa_policy, info->extack))
		return NULL;
	return tb;
}

static int nfesp_put_addr(struct sk_buff *skb, int type, u16 family,
			  const union nfesp_addr *addr)
{
	return nla_put(skb, type, family == AF_INET ? 4 : 16, addr);
}

static int nfesp_put_lifetime(struct sk_buff *skb, const struct nfesp_lifetime *lt)
{
	struct nlattr *nest = nla_nest_start(skb, NFESP_SA_A_LIFETIME);

	if (!nest ||
	    nla_put_u64_64bit(skb, NFESP_LT_A_SOFT_BYTES, lt->soft_bytes, NFESP_LT_A_PAD) ||
	    nla_put_u64_64bit(skb, NFESP_LT_A_HARD_BYTES, lt->hard_bytes, NFESP_LT_A_PAD) ||
	    nla_put_u64_64bit(skb, NFESP_LT_A_SOFT_PACKETS, lt->soft_packets, NFESP_LT_A_PAD) ||
	    nla_put_u64_64bit(skb, NFESP_LT_A_HARD_PACKETS, lt->hard_packets, NFESP_LT_A_PAD) ||
	    nla_put_u64_64bit(skb, NFESP_LT_A_SOFT_ADD_SECS, lt->soft_add_secs, NFESP_LT_A_PAD) ||
	    nla_put_u64_64bit(skb, NFESP_LT_A_HARD_ADD_SECS, lt->hard_add_secs, NFESP_LT_A_PAD) ||
	    nla_put_u64_64bit(skb, NFESP_LT_A_SOFT_USE_SECS, lt->soft_use_secs, NFESP_LT_A_PAD) ||
	    nla_put_u64_64bit(skb, NFESP_LT_A_HARD_USE_SECS, lt->hard_use_secs, NFESP_LT_A_PAD))
		return -EMSGSIZE;
	nla_nest_end(skb, nest);
	return 0;
}

static int nfesp_put_curlife(struct sk_buff *skb, const struct nfesp_sa *sa,
			     const u64 *sum)
{
	struct nlattr *nest = nla_nest_start(skb, NFESP_SA_A_CURLIFE);
	time64_t now = ktime_get_seconds(), first = READ_ONCE(sa->first_use);
	u64 age = now - sa->add_time;

	if (!nest ||
	    nla_put_u64_64bit(skb, NFESP_LT_A_BYTES,
			      sum[NFESP_STAT_IN_BYTES] + sum[NFESP_STAT_OUT_BYTES],
			      NFESP_LT_A_PAD) ||
	    nla_put_u64_64bit(skb, NFESP_LT_A_PACKETS,
			      sum[NFESP_STAT_IN_PACKETS] + sum[NFESP_STAT_OUT_PACKETS],
			      NFESP_LT_A_PAD) ||
	    nla_put_u64_64bit(skb, NFESP_LT_A_ADD_SECS, age, NFESP_LT_A_PAD) ||
	    nla_put_u64_64bit(skb, NFESP_LT_A_USE_SECS, first ? now - first : 0,
			      NFESP_LT_A_PAD))
		return -EMSGSIZE;
	nla_nest_end(skb, nest);
	return 0;
}

static int nfesp_sa_fill(struct sk_buff *skb, const struct nfesp_sa *sa,
			 bool show_keys)
{
	u16 family = sa->key.family;
	u64 sum[__NFESP_STAT_MAX];
	struct nfesp_sa_conf conf;
	struct nlattr *nest;

	rcu_read_lock();
	conf = *rcu_dereference(sa->conf);
	rcu_read_unlock();
	nfesp_stats_sum(sa->stats, sum);
	nest = nla_nest_start(skb, NFESP_A_SA);
	if (!nest)
		return -EMSGSIZE;
	if (nla_put_u16(skb, NFESP_SA_A_FAMILY, family) ||
	    nfesp_put_addr(skb, NFESP_SA_A_DST, family, &sa->key.dst) ||
	    nla_put_u32(skb, NFESP_SA_A_SPI, ntohl(sa->key.spi)) ||
	    nfesp_put_addr(skb, NFESP_SA_A_SRC, family, &conf.src) ||
	    nla_put_u32(skb, NFESP_SA_A_FLAGS, sa->flags) ||
	    nla_put_u32(skb, NFESP_SA_A_REQID, sa->reqid) ||
	    (sa->dir && nla_put_u8(skb, NFESP_SA_A_DIR, sa->dir)) ||
	    (sa->if_id && nla_put_u32(skb, NFESP_SA_A_IF_ID, sa->if_id)))
		goto cancel;
	/* A reserved SPI has no mode or crypto yet. */
	if (sa->aead &&
	    (nla_put_u8(skb, NFESP_SA_A_MODE, sa->mode) ||
	     nla_put_string(skb, NFESP_SA_A_ALG, nfesp_sa_alg_name(sa)) ||
	     nla_put_u16(skb, NFESP_SA_A_ICV_BITS, sa->icv_bits) ||
	     nla_put_u32(skb, NFESP_SA_A_REPLAY_WINDOW, sa->replay_window) ||
	     nla_put_u16(skb, NFESP_SA_A_KEY_LEN, sa->secret_len) ||
	     nla_put_string(skb, NFESP_SA_A_DRIVER,
			    crypto_tfm_alg_driver_name(crypto_aead_tfm(sa->aead)))))
		goto cancel;
	if (nfesp_put_lifetime(skb, &conf.limits) ||
	    nfesp_put_curlife(skb, sa, sum) ||
	    nfesp_stats_fill(skb, NFESP_SA_A_STATS, sum))
		goto cancel;
	if (conf.encap_sport) {
		struct nlattr *encap = nla_nest_start(skb, NFESP_SA_A_ENCAP);

		if (!encap ||
		    nla_put_u16(skb, NFESP_ENCAP_A_SPORT, conf.encap_sport) ||
		    nla_put_u16(skb, NFESP_ENCAP_A_DPORT, conf.encap_dport))
			goto cancel;
		nla_nest_end(skb, encap);
	}
	if (show_keys &&
	    nla_put(skb, NFESP_SA_A_KEY, sa->secret_len, sa->secret))
		goto cancel;
	nla_nest_end(skb, nest);
	return 0;
cancel:
	nla_nest_cancel(skb, nest);
	return -EMSGSIZE;
}

/* A message of @cmd about @sa; with @flag (an NFESP_A_ flag), that flag too. */
struct sk_buff *nfesp_sa_msg(const struct nfesp_sa *sa, u8 cmd, int flag,
			     u32 portid, u32 seq, bool show_keys)
{
	struct sk_buff *skb = genlmsg_new(NLMSG_GOODSIZE, GFP_KERNEL);
	void *hdr;

	if (!skb)
		return NULL;
	hdr = genlmsg_put(skb, portid, seq, &nfesp_genl_family, 0, cmd);
	if (!hdr || nfesp_sa_fill(skb, sa, show_keys) ||
	    (flag && nla_put_flag(skb, flag))) {
		nlmsg_free(skb);
		return NULL;
	}
	genlmsg_end(skb, hdr);
	return skb;
}

/* Tells the namespace's listeners, keys left out. */
static void nfesp_sa_notify(struct net *net, const struct nfesp_sa *sa, u8 cmd)
{
	struct sk_buff *skb = nfesp_sa_msg(sa, cmd, 0, 0, 0, false);

	if (skb)
		nfesp_genl_notify(net, skb);
}

/* DIR and IF_ID: which way the SA carries traffic, and for which device. */
static int nfesp_parse_sa_binding(struct nlattr **tb, struct nfesp_sa *sa,
				  struct netlink_ext_ack *extack)
{
	if (tb[NFESP_SA_A_DIR])
		sa->dir = nla_get_u8(tb[NFESP_SA_A_DIR]);
	if (!tb[NFESP_SA_A_IF_ID])
		return 0;
	sa->if_id = nla_get_u32(tb[NFESP_SA_A_IF_ID]);
	if (!sa->dir) {
		NL_SET_ERR_MSG_ATTR(extack, tb[NFESP_SA_A_IF_ID],
				    "NFESP_SA_A_IF_ID needs NFESP_SA_A_DIR");
		return -EINVAL;
	}
	if (sa->mode != NFESP_MODE_TUNNEL) {
		NL_SET_ERR_MSG_ATTR(extack, tb[NFESP_SA_A_IF_ID],
				    "NFESP_SA_A_IF_ID needs tunnel mode");
		return -EINVAL;
	}
	return 0;
}

int nfesp_nl_sa_add(struct sk_buff *req, struct genl_info *info)
{
	struct nfesp_net *nn = nfesp_pernet(genl_info_net(info));
	struct netlink_ext_ack *extack = info->extack;
	struct nlattr *tbuf[NFESP_SA_A_MAX + 1], **tb;
	struct nfesp_sa *sa, *old;
	struct nfesp_sa_conf *conf;
	unsigned int mtu = 0;
	u32 if_id;
	int err;

	tb = nfesp_sa_attrs(info, tbuf);
	if (!tb)
		return -EINVAL;
	if (NFESP_REQUIRE(tb, NFESP_SA_A_SRC, extack) ||
	    NFESP_REQUIRE(tb, NFESP_SA_A_MODE, extack) ||
	    NFESP_REQUIRE(tb, NFESP_SA_A_ALG, extack) ||
	    NFESP_REQUIRE(tb, NFESP_SA_A_KEY, extack))
		return -EINVAL;

	sa = nfesp_sa_alloc(&conf);
	if (!sa)
		return -ENOMEM;
	err = nfesp_parse_sa_key(tb, &sa->key, extack);
	if (err)
		goto out;
	err = -EINVAL;
	sa->mode = nla_get_u8(tb[NFESP_SA_A_MODE]);
	if (sa->mode != NFESP_MODE_TRANSPORT && sa->mode != NFESP_MODE_TUNNEL) {
		NL_SET_ERR_MSG_ATTR(extack, tb[NFESP_SA_A_MODE],
				    "NFESP_SA_A_MODE must be transport or tunnel");
		goto out;
	}
	if (sa->mode == NFESP_MODE_TUNNEL &&
	    dst_cache_init(&sa->route, GFP_KERNEL_ACCOUNT)) {
		err = -ENOMEM;
		goto out;
	}
	sa->replay_window = NFESP_REPLAY_DEFAULT;
	if (tb[NFESP_SA_A_REPLAY_WINDOW]) {
		sa->replay_window = nla_get_u32(tb[NFESP_SA_A_REPLAY_WINDOW]);
		if (sa->replay_window > NFESP_REPLAY_MAX) {
			NL_SET_ERR_MSG_ATTR(extack, tb[NFESP_SA_A_REPLAY_WINDOW],
					    "NFESP_SA_A_REPLAY_WINDOW is above NFESP_REPLAY_MAX");
			goto out;
		}
	}
	if (tb[NFESP_SA_A_FLAGS]) {
		sa->flags = nla_get_u32(tb[NFESP_SA_A_FLAGS]);
		if (sa->flags & ~NFESP_SA_F_ESN) {
			NL_SET_ERR_MSG_ATTR(extack, tb[NFESP_SA_A_FLAGS],
					    "NFESP_SA_A_FLAGS has unknown flags");
			goto out;
		}
	}
	/* ESN infers the high half of the number from the window (RFC 4303 A2). */
	if ((sa->flags & NFESP_SA_F_ESN) && !sa->replay_window) {
		NL_SET_ERR_MSG_ATTR(extack, tb[NFESP_SA_A_REPLAY_WINDOW],
				    "NFESP_SA_F_ESN needs a replay window (1 or more)");
		goto out;
	}
	if (tb[NFESP_SA_A_REQID])
		sa->reqid = nla_get_u32(tb[NFESP_SA_A_REQID]);
	err = nfesp_parse_sa_binding(tb, sa, extack);
	if (err)
		goto out;
	err = nfesp_parse_sa_conf(tb, sa->key.family, conf, extack);
	if (err)
		goto out;
	/* Allocating the transform may sleep and load modules: before the lock. */
	err = nfesp_sa_crypto_init(sa, nla_data(tb[NFESP_SA_A_ALG]),
				   nla_data(tb[NFESP_SA_A_KEY]),
				   nla_len(tb[NFESP_SA_A_KEY]),
				   tb[NFESP_SA_A_ICV_BITS] ?
				   nla_get_u16(tb[NFESP_SA_A_ICV_BITS]) : 0,
				   extack);
	if (err)
		goto out;
	err = -ENOMEM;
	sa->replay = nfesp_replay_alloc(sa->replay_window,
					sa->flags & NFESP_SA_F_ESN,
					GFP_KERNEL_ACCOUNT);
	if (!sa->replay)
		goto out;
	sa->add_time = ktime_get_seconds();
	/* What a tunnel device's MTU becomes once this SA is its newest. */
	if_id = sa->dir == NFESP_DIR_OUT ? sa->if_id : 0;
	if (if_id) {
		rcu_read_lock();
		mtu = nfesp_sa_inner_mtu(nn, sa);
		rcu_read_unlock();
	}

	mutex_lock(&nn->lock);
	old = nfesp_sa_lookup(nn, &sa->key);
	if (old && (old->flags & NFESP_SA_F_LARVAL))
		nfesp_sa_unlink(nn, old);	/* the SPI it reserved is taken */
	err = nfesp_sa_insert(nn, sa);
	if (err == -EEXIST)
		NL_SET_ERR_MSG(extack, "an SA with this NFESP_SA_A_DST and NFESP_SA_A_SPI exists");
	if (!err) {
		nfesp_sa_notify(genl_info_net(info), sa, NFESP_CMD_SA_ADD);
		nfesp_expire_arm(nn, sa);
	}
	mutex_unlock(&nn->lock);
	if (err)
		goto out;
	if (if_id)
		nfesp_dev_follow_sa(nn, if_id, mtu);
	return 0;
out:
	nfesp_sa_put(sa);
	return err;
}

int nfesp_nl_sa_update(struct sk_buff *req, struct genl_info *info)
{
	static const int fixed[] = {
		NFESP_SA_A_MODE, NFESP_SA_A_ALG, NFESP_SA_A_KEY,
		NFESP_SA_A_ICV_BITS, NFESP_SA_A_REPLAY_WINDOW,
		NFESP_SA_A_FLAGS, NFESP_SA_A_REQID, NFESP_SA_A_DIR,
		NFESP_SA_A_IF_ID,
	};
	struct nfesp_net *nn = nfesp_pernet(genl_info_net(info));
	struct netlink_ext_ack *extack = info->extack;
	struct nlattr *tbuf[NFESP_SA_A_MAX + 1], **tb;
	struct nfesp_sa_conf *old, *next;
	struct nfesp_sa_key key;
	struct nfesp_sa *sa;
	unsigned int i;
	int err;

	tb = nfesp_sa_attrs(info, tbuf);
	if (!tb)
		return -EINVAL;
	err = nfesp_parse_sa_key(tb, &key, extack);
	if (err)
		return err;
	for (i = 0; i < ARRAY_SIZE(fixed); i++) {
		if (tb[fixed[i]]) {
			NL_SET_ERR_MSG_ATTR(extack, tb[fixed[i]],
					    "SA_UPDATE changes only NFESP_SA_A_SRC, _LIFETIME and _ENCAP");
			return -EINVAL;
		}
	}

	mutex_lock(&nn->lock);
	sa = nfesp_sa_lookup(nn, &key);
	if (!sa) {
		NL_SET_ERR_MSG(extack, "no SA with this NFESP_SA_A_DST and NFESP_SA_A_SPI");
		err = -ENOENT;
		goto unlock;
	}
	/* Parse into a copy: a refused update must change nothing. */
	old = nfesp_sa_conf(sa, nn);
	next = kmemdup(old, sizeof(*old), GFP_KERNEL_ACCOUNT);
	if (!next) {
		err = -ENOMEM;
		goto unlock;
	}
	err = nfesp_parse_sa_conf(tb, key.family, next, extack);
	if (err) {
		kfree(next);
		goto unlock;
	}
	if (!nfesp_limits_counted(&old->limits) &&
	    nfesp_limits_counted(&next->limits))
		nfesp_sa_count_from_stats(sa);
	rcu_assign_pointer(sa->conf, next);
	kfree_rcu(old, rcu);
	sa->soft_expired = false;	/* new limits: a new warning is due */
	clear_bit(NFESP_SA_SOFT_DUE, &sa->due);
	nn->gen++;
	nfesp_expire_arm(nn, sa);
	nfesp_sa_notify(genl_info_net(info), sa, NFESP_CMD_SA_UPDATE);
unlock:
	mutex_unlock(&nn->lock);
	return err;
}

static struct nfesp_sa *nfesp_sa_from_request(struct nfesp_net *nn,
					      struct genl_info *info)
{
	struct nlattr *tbuf[NFESP_SA_A_MAX + 1], **tb;
	struct nfesp_sa_key key;
	struct nfesp_sa *sa;

	lockdep_assert_held(&nn->lock);
	tb = nfesp_sa_attrs(info, tbuf);
	if (!tb)
		return ERR_PTR(-EINVAL);
	if (nfesp_parse_sa_key(tb, &key, info->extack))
		return ERR_PTR(-EINVAL);
	sa = nfesp_sa_lookup(nn, &key);
	if (!sa) {
		NL_SET_ERR_MSG(info->extack,
			       "no SA with this NFESP_SA_A_DST and NFESP_SA_A_SPI");
		return ERR_PTR(-ENOENT);
	}
	return sa;
}

int nfesp_nl_sa_del(struct sk_buff *req, struct genl_info *info)
{
	struct nfesp_net *nn = nfesp_pernet(genl_info_net(info));
	struct nfesp_sa *sa;
	int err = 0;

	mutex_lock(&nn->lock);
	sa = nfesp_sa_from_request(nn, info);
	if (IS_ERR(sa)) {
		err = PTR_ERR(sa);
	} else {
		nfesp_sa_notify(genl_info_net(info), sa, NFESP_CMD_SA_DEL);
		nfesp_sa_unlink(nn, sa);
	}
	mutex_unlock(&nn->lock);
	return err;
}

int nfesp_nl_sa_get(struct sk_buff *req, struct genl_info *info)
{
	struct nfesp_net *nn = nfesp_pernet(genl_info_net(info));
	struct sk_buff *skb = NULL;
	struct nfesp_sa *sa;

	mutex_lock(&nn->lock);
	sa = nfesp_sa_from_request(nn, info);
	if (!IS_ERR(sa))
		skb = nfesp_sa_msg(sa, NFESP_CMD_SA_GET, 0, info->snd_portid,
				   info->snd_seq,
				   info->attrs[NFESP_A_SHOW_KEYS]);
	mutex_unlock(&nn->lock);
	if (IS_ERR(sa))
		return PTR_ERR(sa);
	if (!skb)
		return -ENOMEM;
	return genlmsg_reply(skb, info);
}

static int nfesp_sa_fill_obj(struct sk_buff *skb, const void *sa, bool keys)
{
	return nfesp_sa_fill(skb, sa, keys);
}

int nfesp_nl_sa_dump(struct sk_buff *skb, struct netlink_callback *cb)
{
	struct nfesp_net *nn = nfesp_pernet(sock_net(skb->sk));

	return nfesp_genl_dump(skb, cb, &nn->sa_index, NFESP_CMD_SA_GET,
			       nfesp_sa_fill_obj,
			       nfesp_dump_attrs(cb)[NFESP_A_SHOW_KEYS]);
}

int nfesp_nl_sa_flush(struct sk_buff *req, struct genl_info *info)
{
	struct net *net = genl_info_net(info);
	struct nfesp_net *nn = nfesp_pernet(net);

	mutex_lock(&nn->lock);
	nfesp_sa_flush(nn);
	mutex_unlock(&nn->lock);
	nfesp_genl_notify_flush(net, NFESP_CMD_SA_FLUSH);
	return 0;
}

/* Tries random SPIs of [min, max], then walks on from one: -ENOSPC if full. */
static int nfesp_pick_spi(struct nfesp_net *nn, struct nfesp_sa_key *key,
			  u32 min, u32 max)
{
	u64 span = (u64)max - min + 1, i;
	u32 start = min + (u32)(get_random_u64() % span);

	for (i = 0; i < 16; i++) {
		key->spi = htonl(min + (u32)(get_random_u64() % span));
		if (!nfesp_sa_lookup(nn, key))
			return 0;
	}
	/* Crowded: look at each one, up to a bound a request may cost. */
	for (i = 0; i < min_t(u64, span, 1 << 16); i++) {
		key->spi = htonl(min + (u32)((start - min + i) % span));
		if (!nfesp_sa_lookup(nn, key))
			return 0;
	}
	return -ENOSPC;
}

int nfesp_nl_sa_alloc_spi(struct sk_buff *req, struct genl_info *info)
{
	struct nfesp_net *nn = nfesp_pernet(genl_info_net(info));
	struct netlink_ext_ack *extack = info->extack;
	struct nlattr *tbuf[NFESP_SA_A_MAX + 1], **tb;
	u32 min = 256, max = U32_MAX;
	struct nfesp_sa_conf *conf;
	struct nfesp_sa_key key;
	struct nlattr *nest;
	struct sk_buff *skb;
	struct nfesp_sa *sa;
	void *hdr;
	int err;

	tb = nfesp_sa_attrs(info, tbuf);
	if (!tb)
		return -EINVAL;
	if (tb[NFESP_SA_A_SPI_MIN])
		min = nla_get_u32(tb[NFESP_SA_A_SPI_MIN]);
	if (tb[NFESP_SA_A_SPI_MAX])
		max = nla_get_u32(tb[NFESP_SA_A_SPI_MAX]);
	if (min < 256 || min > max) {
		NL_SET_ERR_MSG(extack,
			       "NFESP_SA_A_SPI_MIN/MAX: an empty range, or one with reserved SPIs (0-255)");
		return -EINVAL;
	}
	sa = nfesp_sa_alloc(&conf);
	if (!sa)
		return -ENOMEM;
	err = nfesp_parse_sa_dst(tb, &sa->key, extack);
	if (!err)
		err = nfesp_parse_sa_conf(tb, sa->key.family, conf, extack);
	if (err)
		goto out;
	sa->flags = NFESP_SA_F_LARVAL;
	if (!conf->limits.hard_add_secs)
		conf->limits.hard_add_secs = NFESP_SPI_RESERVE_SECS;
	sa->add_time = ktime_get_seconds();
	skb = genlmsg_new(NLMSG_GOODSIZE, GFP_KERNEL);
	if (!skb) {
		err = -ENOMEM;
		goto out;
	}

	mutex_lock(&nn->lock);
	if (nn->sa_larval >= NFESP_LARVAL_MAX) {
		NL_SET_ERR_MSG(extack,
			       "too many SPIs reserved in this namespace (NFESP_LARVAL_MAX)");
		err = -ENOSPC;
	} else {
		err = nfesp_pick_spi(nn, &sa->key, min, max);
		if (err == -ENOSPC)
			NL_SET_ERR_MSG(extack, "no free SPI in the range");
	}
	if (!err)
		err = nfesp_sa_insert(nn, sa);
	if (!err)
		nfesp_expire_arm(nn, sa);
	/* Answer from a copy: once unlocked, the SA may be gone. */
	key = sa->key;
	mutex_unlock(&nn->lock);
	if (err) {
		nlmsg_free(skb);
		goto out;
	}
	hdr = genlmsg_put_reply(skb, info, &nfesp_genl_family, 0,
				NFESP_CMD_SA_ALLOC_SPI);
	nest = hdr ? nla_nest_start(skb, NFESP_A_SA) : NULL;
	if (!nest || nla_put_u16(skb, NFESP_SA_A_FAMILY, key.family) ||
	    nfesp_put_addr(skb, NFESP_SA_A_DST, key.family, &key.dst) ||
	    nla_put_u32(skb, NFESP_SA_A_SPI, ntohl(key.spi))) {
		nlmsg_free(skb);
		return -EMSGSIZE;
	}
	nla_nest_end(skb, nest);
	genlmsg_end(skb, hdr);
	return genlmsg_reply(skb, info);
out:
	nfesp_sa_put(sa);
	return err;
}
