// SPDX-License-Identifier: GPL-2.0
/*
 * Route-based tunnels: network devices of the kind "nfesp". What routing
 * sends into one is protected by the newest outbound SA bound to its
 * interface id, whatever its addresses; what an inbound SA bound to that
 * id decapsulates is received on it. The routes and the firewall
 * (iifname, oifname) decide, and only they, unless policies are bound to
 * the device as well: then what passes must match one of them
 * (nfesp_dev_policy_check()). Policies of no device never apply here.
 *
 * A device belongs to the namespace it was created from, its link
 * namespace: that one keeps the device's SAs, sends and receives its ESP
 * and finds it by interface id. The device itself may be moved to another
 * namespace (as WireGuard's may), which then sees only cleartext.
 */
#include <linux/if_arp.h>
#include <linux/ip.h>
#include <linux/ipv6.h>
#include <linux/netdevice.h>
#include <net/ip.h>
#include <net/rtnetlink.h>

#include "compat.h"
#include "nfesp.h"

/*
 * Until an outbound SA says better (nfesp_sa_inner_mtu()): room for the
 * most ESP can add over IPv6 with UDP encapsulation on a 1,500-byte path:
 * outer header 40, UDP 8, ESP 8, IV 8, padding up to 15, trailer 2, ICV 16.
 */
#define NFESP_DEV_MTU 1400
#define NFESP_DEV_HEADROOM 128
#define NFESP_DEV_TAILROOM 40

struct nfesp_dev {
	struct net_device *dev;
	struct net *link_net;	/* its SAs and ESP; the device holds no ref */
	u32 if_id;
	/* Under RTNL: the MTU is the administrator's, or nfesp is setting it. */
	bool mtu_fixed, mtu_following;
};

static struct rtnl_link_ops nfesp_link_ops;

bool nfesp_is_dev(const struct net_device *dev)
{
	return dev && dev->rtnl_link_ops == &nfesp_link_ops;
}

u32 nfesp_dev_if_id(const struct net_device *dev)
{
	const struct nfesp_dev *nd = netdev_priv(dev);

	return nd->if_id;
}

/* The family of what the stack hands the device; 0 if it is no IP packet. */
static u16 nfesp_dev_family(struct sk_buff *skb)
{
	switch (skb->protocol) {
	case htons(ETH_P_IP):
		if (pskb_network_may_pull(skb, sizeof(struct iphdr)) &&
		    ip_hdr(skb)->version == 4)
			return AF_INET;
		break;
	case htons(ETH_P_IPV6):
		if (pskb_network_may_pull(skb, sizeof(struct ipv6hdr)) &&
		    ipv6_hdr(skb)->version == 6)
			return AF_INET6;
		break;
	}
	return 0;
}

/* No SA yet: the key daemon is told, with the device, and the packet dropped. */
static void nfesp_dev_no_sa(struct nfesp_net *nn, struct nfesp_dev *nd,
			    struct sk_buff *skb, u16 family)
{
	struct nfesp_flow fl;

	nfesp_flow_of(skb, family, &fl);
	nfesp_acquire(nn, NULL, nd->dev, &fl);
	nfesp_count(nn, NULL, NFESP_STAT_DROP_NO_SA, 1);
}

static netdev_tx_t nfesp_dev_xmit(struct sk_buff *skb, struct net_device *dev)
{
	struct nfesp_dev *nd = netdev_priv(dev);
	struct nfesp_net *nn = nfesp_pernet(nd->link_net);
	unsigned int len = skb->len;
	enum nfesp_stat why;
	struct nfesp_sa *sa;
	u16 family;

	family = nfesp_dev_family(skb);
	if (!family)
		goto drop;
	/* Its control block may be a packet socket's or tc's: cleared, as XFRM's are. */
	if (family == AF_INET)
		memset(IPCB(skb), 0, sizeof(*IPCB(skb)));
	else
		memset(IP6CB(skb), 0, sizeof(*IP6CB(skb)));
	why = nfesp_dev_policy_check(nn, NFESP_DIR_OUT, nd->if_id, skb, family);
	if (why != NFESP_STAT_UNSPEC) {
		nfesp_count(nn, NULL, why, 1);
		goto drop;
	}
	rcu_read_lock();
	sa = nfesp_sa_lookup_dev(nn, nd->if_id);
	if (!sa) {
		nfesp_dev_no_sa(nn, nd, skb, family);
		rcu_read_unlock();
		goto drop;
	}
	/* Marks of the device's namespace mean nothing in the link's. */
	if (!net_eq(dev_net(dev), nd->link_net))
		skb->mark = 0;
	dev_sw_netstats_tx_add(dev, 1, len);
	nfesp_output(nn, sa, skb, family, true);
	rcu_read_unlock();
	return NETDEV_TX_OK;

drop:
	DEV_STATS_INC(dev, tx_dropped);
	kfree_skb(skb);
	return NETDEV_TX_OK;
}

/*
 * Receives @skb, which @sa (bound to a device) decapsulated, on the
 * device; if it is gone or down, the packet is dropped: it is never
 * received as if it came from anywhere else. With BHs off.
 */
void nfesp_dev_rx(struct nfesp_net *nn, struct nfesp_sa *sa,
		  struct sk_buff *skb)
{
	struct net_device *dev = NULL;
	struct nfesp_dev *nd;
	unsigned int len;

	rcu_read_lock();
	nd = xa_load(&nn->devices, sa->if_id);
	if (nd)
		dev = nd->dev;
	if (!dev || !netif_running(dev)) {
		rcu_read_unlock();
		nfesp_drop(nn, sa, skb, NFESP_STAT_DROP_NO_DEVICE);
		return;
	}
	skb_scrub_packet(skb, !net_eq(nn->net, dev_net(dev)));
	skb->dev = dev;
	skb_reset_mac_header(skb);
	len = skb->len;
	/* Queued, not received on this stack: ESP in ESP cannot recurse. */
	if (netif_rx(skb) == NET_RX_SUCCESS)
		dev_sw_netstats_rx_add(dev, len);
	else
		DEV_STATS_INC(dev, rx_dropped);
	rcu_read_unlock();
}

static int nfesp_dev_ndo_init(struct net_device *dev)
{
	struct nfesp_dev *nd = netdev_priv(dev);
	int err;

	dev->tstats = netdev_alloc_pcpu_stats(struct pcpu_sw_netstats);
	if (!dev->tstats)
		return -ENOMEM;
	err = xa_insert(&nfesp_pernet(nd->link_net)->devices, nd->if_id, nd,
			GFP_KERNEL_ACCOUNT);
	if (err) {
		free_percpu(dev->tstats);
		dev->tstats = NULL;
	}
	return err;
}

/* Under RTNL; readers under RCU may still see it until a grace period. */
static void nfesp_dev_ndo_uninit(struct net_device *dev)
{
	struct nfesp_dev *nd = netdev_priv(dev);

	xa_erase(&nfesp_pernet(nd->link_net)->devices, nd->if_id);
}

/* Under RTNL. An MTU set by anyone but nfesp stays. */
static int nfesp_dev_change_mtu(struct net_device *dev, int new_mtu)
{
	struct nfesp_dev *nd = netdev_priv(dev);

	if (!nd->mtu_following)
		nd->mtu_fixed = true;
	WRITE_ONCE(dev->mtu, new_mtu);
	return 0;
}

/*
 * A new outbound SA of @if_id, which carries @mtu bytes over its path (0:
 * unknown): the device's MTU follows it, unless the administrator set one.
 * Takes RTNL: the caller holds none of nfesp's locks.
 */
void nfesp_dev_follow_sa(struct nfesp_net *nn, u32 if_id, unsigned int mtu)
{
	struct nfesp_dev *nd;

	if (!mtu)
		return;
	rtnl_lock();
	nd = xa_load(&nn->devices, if_id);
	if (nd && !nd->mtu_fixed) {
		nd->mtu_following = true;
		dev_set_mtu(nd->dev, clamp_t(int, mtu, nd->dev->min_mtu,
					     nd->dev->max_mtu));
		nd->mtu_following = false;
	}
	rtnl_unlock();
}

static void nfesp_dev_free(struct net_device *dev)
{
	free_percpu(dev->tstats);
}

static const struct net_device_ops nfesp_dev_ops = {
	.ndo_init = nfesp_dev_ndo_init,
	.ndo_uninit = nfesp_dev_ndo_uninit,
	.ndo_start_xmit = nfesp_dev_xmit,
	.ndo_change_mtu = nfesp_dev_change_mtu,
	.ndo_get_stats64 = dev_get_tstats64,
};

#define NFESP_DEV_FEATURES (NETIF_F_SG | NETIF_F_FRAGLIST | \
			    NETIF_F_HW_CSUM | NETIF_F_GSO_SOFTWARE)

/* A point-to-point IP device with no link layer, like the kernel's tunnels. */
static void nfesp_dev_setup(struct net_device *dev)
{
	dev->netdev_ops = &nfesp_dev_ops;
	dev->type = ARPHRD_NONE;
	dev->flags = IFF_POINTOPOINT | IFF_NOARP | IFF_MULTICAST;
	dev->priv_flags |= IFF_NO_QUEUE;
	nfesp_dev_set_lltx(dev);
	dev->hard_header_len = 0;
	dev->addr_len = 0;
	dev->needed_headroom = NFESP_DEV_HEADROOM;
	dev->needed_tailroom = NFESP_DEV_TAILROOM;
	dev->mtu = NFESP_DEV_MTU;
	dev->min_mtu = IPV4_MIN_MTU;
	dev->max_mtu = IP_MAX_MTU - NFESP_DEV_HEADROOM - NFESP_DEV_TAILROOM;
	dev->features |= NFESP_DEV_FEATURES;
	dev->hw_features |= NFESP_DEV_FEATURES;
	dev->needs_free_netdev = true;
	dev->priv_destructor = nfesp_dev_free;
	netif_keep_dst(dev);
}

static const struct nla_policy nfesp_dev_policy[IFLA_NFESP_MAX + 1] = {
	[IFLA_NFESP_IF_ID] = NLA_POLICY_MIN(NLA_U32, 1),
};

/* The lowest interface id no device of @nn has. Under RTNL. */
static u32 nfesp_dev_free_id(struct nfesp_net *nn)
{
	u32 id = 1;

	while (xa_load(&nn->devices, id))
		id++;
	return id;
}

static int nfesp_dev_newlink(struct net *src_net, struct net_device *dev,
			     struct nlattr *tb[], struct nlattr *data[],
			     struct netlink_ext_ack *extack)
{
	struct nfesp_net *nn = nfesp_pernet(src_net);
	struct nfesp_dev *nd = netdev_priv(dev);
	struct nfesp_sa *sa;
	unsigned int mtu;

	nd->dev = dev;
	nd->link_net = src_net;
	if (data && data[IFLA_NFESP_IF_ID]) {
		nd->if_id = nla_get_u32(data[IFLA_NFESP_IF_ID]);
		if (xa_load(&nn->devices, nd->if_id)) {
			NL_SET_ERR_MSG_ATTR(extack, data[IFLA_NFESP_IF_ID],
					    "IFLA_NFESP_IF_ID: a device of this namespace has it");
			return -EEXIST;
		}
	} else {
		nd->if_id = nfesp_dev_free_id(nn);
	}
	/* A device made after its SA starts with the SA's MTU. */
	if (tb[IFLA_MTU]) {
		nd->mtu_fixed = true;
	} else {
		rcu_read_lock();
		sa = nfesp_sa_lookup_dev(nn, nd->if_id);
		mtu = sa ? nfesp_sa_inner_mtu(nn, sa) : 0;
		rcu_read_unlock();
		if (mtu)
			dev->mtu = clamp_t(unsigned int, mtu, dev->min_mtu,
					   dev->max_mtu);
	}
	return register_netdevice(dev);
}

static int nfesp_dev_changelink(struct net_device *dev, struct nlattr *tb[],
				struct nlattr *data[],
				struct netlink_ext_ack *extack)
{
	struct nfesp_dev *nd = netdev_priv(dev);

	if (data && data[IFLA_NFESP_IF_ID] &&
	    nla_get_u32(data[IFLA_NFESP_IF_ID]) != nd->if_id) {
		NL_SET_ERR_MSG_ATTR(extack, data[IFLA_NFESP_IF_ID],
				    "IFLA_NFESP_IF_ID cannot change: delete the device and add it again");
		return -EOPNOTSUPP;
	}
	return 0;
}

static size_t nfesp_dev_get_size(const struct net_device *dev)
{
	return nla_total_size(sizeof(u32));	/* IFLA_NFESP_IF_ID */
}

static int nfesp_dev_fill_info(struct sk_buff *skb,
			       const struct net_device *dev)
{
	const struct nfesp_dev *nd = netdev_priv(dev);

	return nla_put_u32(skb, IFLA_NFESP_IF_ID, nd->if_id);
}

static struct net *nfesp_dev_get_link_net(const struct net_device *dev)
{
	const struct nfesp_dev *nd = netdev_priv(dev);

	return nd->link_net;
}

static struct rtnl_link_ops nfesp_link_ops __read_mostly = {
	.kind = "nfesp",
	.priv_size = sizeof(struct nfesp_dev),
	.setup = nfesp_dev_setup,
	.maxtype = IFLA_NFESP_MAX,
	.policy = nfesp_dev_policy,
	.newlink = nfesp_dev_newlink,
	.changelink = nfesp_dev_changelink,
	.get_size = nfesp_dev_get_size,
	.fill_info = nfesp_dev_fill_info,
	.get_link_net = nfesp_dev_get_link_net,
};

/* The link namespace is going: its devices go with it, wherever they are. */
void nfesp_dev_net_exit(struct nfesp_net *nn)
{
	struct nfesp_dev *nd;
	unsigned long id;
	LIST_HEAD(list);

	rtnl_lock();
	xa_for_each(&nn->devices, id, nd)
		unregister_netdevice_queue(nd->dev, &list);
	unregister_netdevice_many(&list);
	rtnl_unlock();
}

/* NFESP_LINK_A_STATS: the device's counters. Under RTNL. */
static int nfesp_dev_fill_stats(struct sk_buff *skb, struct net_device *dev)
{
	struct rtnl_link_stats64 st;
	struct nlattr *nest;

	dev_get_stats(dev, &st);
	nest = nla_nest_start(skb, NFESP_LINK_A_STATS);
	if (!nest ||
	    nla_put_u64_64bit(skb, NFESP_LINK_STAT_RX_PACKETS, st.rx_packets,
			      NFESP_LINK_STAT_PAD) ||
	    nla_put_u64_64bit(skb, NFESP_LINK_STAT_RX_BYTES, st.rx_bytes,
			      NFESP_LINK_STAT_PAD) ||
	    nla_put_u64_64bit(skb, NFESP_LINK_STAT_RX_DROPPED, st.rx_dropped,
			      NFESP_LINK_STAT_PAD) ||
	    nla_put_u64_64bit(skb, NFESP_LINK_STAT_TX_PACKETS, st.tx_packets,
			      NFESP_LINK_STAT_PAD) ||
	    nla_put_u64_64bit(skb, NFESP_LINK_STAT_TX_BYTES, st.tx_bytes,
			      NFESP_LINK_STAT_PAD) ||
	    nla_put_u64_64bit(skb, NFESP_LINK_STAT_TX_DROPPED, st.tx_dropped,
			      NFESP_LINK_STAT_PAD))
		return -EMSGSIZE;
	nla_nest_end(skb, nest);
	return 0;
}

/*
 * NFESP_A_LINK of @dev, for a caller in @here. Under RTNL or RCU (a rename
 * meanwhile may show either name: the name's last byte is always NUL);
 * with @stats (under RTNL only), its counters too.
 */
int nfesp_dev_fill_link(struct sk_buff *skb, struct net_device *dev,
			const struct net *here, bool stats)
{
	const struct nfesp_dev *nd = netdev_priv(dev);
	struct nlattr *nest = nla_nest_start(skb, NFESP_A_LINK);

	if (!nest ||
	    nla_put_u32(skb, NFESP_LINK_A_IF_ID, nd->if_id) ||
	    nla_put_string(skb, NFESP_LINK_A_IFNAME, dev->name) ||
	    nla_put_u32(skb, NFESP_LINK_A_IFINDEX, dev->ifindex) ||
	    (net_eq(dev_net(dev), here) && nla_put_flag(skb, NFESP_LINK_A_HERE)) ||
	    (stats && nfesp_dev_fill_stats(skb, dev)))
		return -EMSGSIZE;
	nla_nest_end(skb, nest);
	return 0;
}

/* LINK_GET dump: the namespace's devices by interface id, resumable. */
int nfesp_nl_link_dump(struct sk_buff *skb, struct netlink_callback *cb)
{
	struct net *net = sock_net(skb->sk);
	struct nfesp_net *nn = nfesp_pernet(net);
	unsigned long id = cb->args[0];
	struct nfesp_dev *nd;
	void *hdr;
	int err = 0;

	rtnl_lock();	/* names and namespaces change under it */
	xa_for_each_start(&nn->devices, id, nd, id) {
		hdr = genlmsg_put(skb, NETLINK_CB(cb->skb).portid,
				  cb->nlh->nlmsg_seq, &nfesp_genl_family,
				  NLM_F_MULTI, NFESP_CMD_LINK_GET);
		if (!hdr || nfesp_dev_fill_link(skb, nd->dev, net, true)) {
			if (hdr)
				genlmsg_cancel(skb, hdr);
			err = -EMSGSIZE;
			break;
		}
		genlmsg_end(skb, hdr);
		cb->args[0] = id + 1;
	}
	rtnl_unlock();
	if (err && !skb->len)
		return err;
	return skb->len;
}

int nfesp_dev_init(void)
{
	return rtnl_link_register(&nfesp_link_ops);
}

/* Deletes every device of the kind, in every namespace. */
void nfesp_dev_exit(void)
{
	rtnl_link_unregister(&nfesp_link_ops);
}
