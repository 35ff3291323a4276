/* SPDX-License-Identifier: GPL-2.0 */
/* nfesp: declarations shared by the module's files. */
#ifndef _NFESP_H
#define _NFESP_H

#include <linux/in6.h>
#include <net/ipv6.h>
#include <linux/mutex.h>
#include <linux/netdevice.h>
#include <linux/percpu.h>
#include <linux/rhashtable-types.h>
#include <linux/list.h>
#include <linux/u64_stats_sync.h>
#include <linux/workqueue.h>
#include <linux/xarray.h>
#include <crypto/aead.h>
#include <net/dst_cache.h>
#include <net/genetlink.h>
#include <net/netns/generic.h>

#include "uapi/nfesp.h"

/* Per-CPU counters, indexed by enum nfesp_stat. */
struct nfesp_stats {
	struct u64_stats_sync syncp;
	u64_stats_t count[__NFESP_STAT_MAX];
};

union nfesp_addr {
	__be32 a4;
	struct in6_addr a6;
};

/* What identifies an SA; compared as bytes, so always zero-filled first. */
struct nfesp_sa_key {
	union nfesp_addr dst;
	__be32 spi;
	u16 family;
	u16 zero;
};

/* Limits, 0 for none. Times in seconds. */
struct nfesp_lifetime {
	u64 soft_bytes, hard_bytes;
	u64 soft_packets, hard_packets;
	u64 soft_add_secs, hard_add_secs;
	u64 soft_use_secs, hard_use_secs;
};

/* An authenc key: encryption key then HMAC key; an AEAD's carries its salt. */
#define NFESP_KEY_MAX 64

struct nfesp_alg;

/* The inbound anti-replay window of an SA (replay.c). */
struct nfesp_replay {
	spinlock_t lock;
	u64 top;		/* highest verified sequence number; 0: none */
	u32 window;		/* in packets; 0: no replay check */
	u32 mask;		/* bits in the ring - 1 */
	bool esn;
	unsigned long bits[];	/* a ring: sequence number s is bit s & mask */
};

/*
 * Where outbound traffic finds its SAs: by family and destination, or,
 * for a tunnel device's, by its interface id alone.
 */
struct nfesp_sa_out_key {
	union nfesp_addr dst;
	u16 family;
	u16 zero;
	u32 if_id;
};

/* Bits of nfesp_sa.due: what the packet path left for the expire work. */
enum nfesp_sa_due {
	NFESP_SA_SOFT_DUE,	/* a soft limit was reached */
	NFESP_SA_HARD_DUE,	/* a hard limit, or the sequence numbers ran out */
};

/*
 * Laid out for the packet path: what every lookup and packet reads comes
 * first and changes only under nfesp_net.lock or not at all; what every
 * packet writes has a cache line of its own, so that CPUs sending on one
 * SA do not take the lookup's lines from each other.
 */
struct nfesp_sa {
	struct rhash_head node;		/* in nfesp_net.sa_table */
	struct rhlist_head out_node;	/* in nfesp_net.sa_out */
	struct nfesp_sa_key key;
	struct nfesp_sa_out_key out_key;
	u32 index;			/* in nfesp_net.sa_index */

	/* Set at add, never changed. */
	u8 mode;
	bool async;			/* its crypto may complete later */
	u16 icv_bits;
	u32 flags;
	u32 reqid;
	u8 dir;				/* NFESP_DIR_IN, _OUT; 0: either */
	u32 if_id;			/* bound to a tunnel device; 0: not */
	u32 replay_window;
	struct crypto_aead *aead;
	struct nfesp_replay *replay;	/* inbound; its lock inside */
	struct nfesp_stats __percpu *stats;
	struct dst_cache route;		/* tunnel mode: to the peer, per CPU */
	time64_t add_time;		/* ktime_get_seconds() */

	struct nfesp_sa_conf __rcu *conf;	/* replaced by SA_UPDATE */
	unsigned long due;		/* enum nfesp_sa_due bits */
	time64_t first_use;		/* 0 until a packet used the SA; set once */

	/* Written by the packet path. */
	atomic64_t seq_out ____cacheline_aligned_in_smp; /* the last sent */
	/* Only while the SA has byte or packet limits (nfesp_sa_used()). */
	atomic64_t life_bytes, life_packets;
	/* Taken by packets only while their crypto runs asynchronously. */
	refcount_t refcnt;

	/* Cold: configuration, dumps, teardown. */
	bool soft_expired;		/* the soft EXPIRE was sent */
	const struct nfesp_alg *alg;
	struct rcu_head rcu;
	u8 secret_len;
	u8 secret[NFESP_KEY_MAX];
};

/*
 * Where an SA takes its traffic from, and for how long: what SA_UPDATE
 * changes (a peer moves, NAT-T ports change, a rekey is due later). It is
 * replaced whole, under nfesp_net.lock, and read under RCU, so a packet
 * sees the old values or the new ones, never some of each.
 */
struct nfesp_sa_conf {
	union nfesp_addr src;
	struct nfesp_lifetime limits;
	u16 encap_sport, encap_dport;	/* host order; 0: no UDP encapsulation */
	struct rcu_head rcu;
};

/* Under rcu_read_lock() (or with BHs off) or @nn's lock. */
#define nfesp_sa_conf(sa, nn)						\
	rcu_dereference_check((sa)->conf, rcu_read_lock_any_held() ||	\
			      lockdep_is_held(&(nn)->lock))

/* What a policy matches; addresses are stored masked to their prefixes. */
struct nfesp_selector {
	union nfesp_addr src, dst;
	u16 family;
	u8 src_len, dst_len;
	u8 proto;		/* 0: any */
	__be16 sport, dport;	/* 0: any */
	u32 if_id;		/* for that tunnel device's traffic; 0: none */
};

/* Bits of nfesp_flow.unread: what the packet does not show. */
enum {
	NFESP_FLOW_NO_PORTS = 1 << 0,
	NFESP_FLOW_NO_PROTO = 1 << 1,
};

/* What a packet offers to be matched. */
struct nfesp_flow {
	union nfesp_addr src, dst;
	u16 family;
	u8 proto;
	u8 unread;		/* NFESP_FLOW_* */
	__be16 sport, dport;
	u32 if_id;		/* a tunnel device's traffic; 0: none */
};

struct nfesp_tmpl {
	union nfesp_addr tsrc, tdst;
	u16 family;
	u8 mode;
	u32 reqid;
	__be32 spi;		/* a bound SA; 0: any that fits */
};

/* The hash key of a policy: its class, its masked addresses, its device. */
struct nfesp_spd_key {
	union nfesp_addr src, dst;
	u16 family;
	u8 src_len, dst_len;
	u32 if_id;
};

struct nfesp_policy {
	struct rhlist_head node;	/* in its direction's nfesp_spd */
	struct nfesp_spd_key key;
	u32 index;			/* in nfesp_net.pol_index */
	struct rcu_head rcu;
	u8 dir;
	struct nfesp_selector sel;

	/* Changed by POLICY_UPDATE under nfesp_net.lock; read under RCU. */
	u32 priority;			/* one word, read once */
	struct nfesp_pol_conf __rcu *conf;

	struct nfesp_stats __percpu *stats;
};

/*
 * What a policy does: replaced whole by POLICY_UPDATE, so that a packet
 * never meets one update's action with another's template.
 */
struct nfesp_pol_conf {
	u8 action;
	struct nfesp_tmpl tmpl;
	struct rcu_head rcu;
};

/* Under rcu_read_lock() (or with BHs off) or @nn's lock. */
#define nfesp_pol_conf(pol, nn)						\
	rcu_dereference_check((pol)->conf, rcu_read_lock_any_held() ||	\
			      lockdep_is_held(&(nn)->lock))

/*
 * SPI reservations a namespace may hold at once: they cost memory for a
 * minute each (NFESP_SPI_RESERVE_SECS), and any user may be the admin of
 * a namespace of its own.
 */
#define NFESP_LARVAL_MAX 4096

/* Flows recently announced by ACQUIRE, a slot per flow hash (acquire.c). */
#define NFESP_ACQUIRE_SLOTS 256

/*
 * The policies of one direction. Lookup is a tuple-space search: one hash
 * probe per class of selectors (family and prefix lengths) in use, so its
 * cost grows with the number of classes, not of policies.
 */
struct nfesp_spd {
	struct rhltable table;		/* by nfesp_spd_key */
	struct list_head classes;	/* RCU list of nfesp_spd_class */
	struct xarray bound;		/* by if_id: how many are that device's */
	struct mutex *lock;		/* serializes changes */
};

/* What nfesp keeps for each network namespace. */
struct nfesp_net {
	struct nfesp_stats __percpu *stats;
	struct mutex lock;		/* serializes configuration changes */
	struct rhashtable sa_table;	/* by nfesp_sa_key, for the packet path */
	struct rhltable sa_out;		/* by nfesp_sa_out_key: outbound choice */
	struct xarray sa_index;		/* by nfesp_sa.index: dump order */
	u32 sa_next_index;
	unsigned int sa_count;
	unsigned int sa_larval;		/* of them, SPI reservations */
	unsigned int gen;		/* bumped by every change, for dumps */
	struct nfesp_spd spd[NFESP_DIR_MAX];	/* by direction - 1 */
	struct net *net;
	struct delayed_work expire_work; /* checks SA time limits, 1/s */
	struct xarray pol_index;	/* by nfesp_policy.index: dump order */
	u32 pol_next_index;
	unsigned int pol_count;
	atomic_t inflight;		/* packets waiting for async crypto */
	bool hooked;			/* nfesp_hooks_enable() done; under lock */
	struct xarray devices;		/* by if_id: nfesp_dev; changes under RTNL */
	/* Each: the hash of a policy and flow << 32 | when it was announced. */
	u64 acquire_last[NFESP_ACQUIRE_SLOTS];
};

static inline bool nfesp_addr_equal(const union nfesp_addr *a,
				    const union nfesp_addr *b, u16 family)
{
	if (family == AF_INET)
		return a->a4 == b->a4;
	return ipv6_addr_equal(&a->a6, &b->a6);
}

extern unsigned int nfesp_net_id;

static inline struct nfesp_net *nfesp_pernet(const struct net *net)
{
	return net_generic(net, nfesp_net_id);
}

/*
 * What one packet's crypto needs (pkt.c); the AEAD request and the
 * scatterlist follow it in the same allocation.
 */
struct nfesp_pkt {
	struct nfesp_net *nn;
	struct nfesp_sa *sa;		/* held if async (pkt.c) */
	struct sk_buff *skb;
	u64 seq;
	unsigned int len;		/* output: what was protected */
	unsigned int esp_off;		/* input: where ESP starts */
	u8 aad[12];
	u8 iv[16];
};

/* esp.c */
unsigned int nfesp_esp_pad_len(unsigned int len, unsigned int align);
void nfesp_esp_fill_pad(u8 *pad, unsigned int len);
bool nfesp_esp_pad_ok(const u8 *pad, unsigned int len);
unsigned int nfesp_esp_align(struct crypto_aead *aead);
unsigned int nfesp_esp_aad(u8 *aad, __be32 spi, u64 seq, bool esn);
int nfesp_ecn_decap(u8 outer, u8 inner);

/* pkt.c: one packet's crypto */
#ifdef CONFIG_FAULT_INJECTION_DEBUG_FS
void nfesp_pkt_fault_init(void);
void nfesp_pkt_fault_exit(void);
#else
static inline void nfesp_pkt_fault_init(void) {}
static inline void nfesp_pkt_fault_exit(void) {}
#endif
struct nfesp_pkt *nfesp_pkt_alloc(struct nfesp_net *nn, struct nfesp_sa *sa,
				  struct sk_buff *skb, unsigned int nsg,
				  enum nfesp_stat *why);
void nfesp_pkt_free(struct nfesp_pkt *pkt);
struct aead_request *nfesp_pkt_prepare(struct nfesp_pkt *pkt,
				       unsigned int nsg, unsigned int esp_off,
				       unsigned int clen, bool decrypt,
				       crypto_completion_t done);
void nfesp_pkt_drain(struct nfesp_net *nn);

/* ip6hdrs.c: an IPv6 extension header chain; offsets from the IPv6 header */
struct nfesp_ip6_walk {
	unsigned int upper;	/* the upper-layer header */
	unsigned int upper_ptr;	/* the byte that names it */
	unsigned int esp_at;	/* where transport mode puts ESP */
	unsigned int esp_ptr;	/* the byte that names what is there */
	u8 proto;		/* the upper-layer protocol */
	bool fragment;		/* there is a fragment header */
	bool later_fragment;	/* not the first: @upper is not in it */
};

int nfesp_ip6_walk(const struct sk_buff *skb, struct nfesp_ip6_walk *w);

/* hooks.c: where packets meet nfesp */
int nfesp_hooks_enable(struct nfesp_net *nn);
void nfesp_hooks_disable(struct nfesp_net *nn);
void nfesp_flow_of(struct sk_buff *skb, u16 family, struct nfesp_flow *fl);
bool nfesp_decap_allowed(struct nfesp_net *nn, struct sk_buff *skb,
			 const struct nfesp_sa *sa);
enum nfesp_stat nfesp_dev_policy_check(struct nfesp_net *nn, u8 dir, u32 if_id,
				       struct sk_buff *skb, u16 family);

/* output.c */
unsigned int nfesp_sa_inner_mtu(struct nfesp_net *nn, struct nfesp_sa *sa);
unsigned int nfesp_output(struct nfesp_net *nn, struct nfesp_sa *sa,
			  struct sk_buff *skb, u16 family, bool forwarded);

/* device.c: route-based tunnels */
int nfesp_dev_init(void);
void nfesp_dev_exit(void);
void nfesp_dev_net_exit(struct nfesp_net *nn);
bool nfesp_is_dev(const struct net_device *dev);
u32 nfesp_dev_if_id(const struct net_device *dev);
int nfesp_dev_fill_link(struct sk_buff *skb, struct net_device *dev,
			const struct net *here, bool stats);
void nfesp_dev_rx(struct nfesp_net *nn, struct nfesp_sa *sa,
		  struct sk_buff *skb);
void nfesp_dev_follow_sa(struct nfesp_net *nn, u32 if_id, unsigned int mtu);
int nfesp_nl_link_dump(struct sk_buff *skb, struct netlink_callback *cb);

/* ct.c */
bool nfesp_ct_done(struct sk_buff *skb);

/* input.c */
unsigned int nfesp_input(struct nfesp_net *nn, struct sk_buff *skb,
			 u16 family);
const struct nfesp_sa *nfesp_input_decap_sa(const struct sk_buff *skb);

/* acquire.c */
void nfesp_acquire(struct nfesp_net *nn, struct nfesp_policy *pol,
		   struct net_device *dev, const struct nfesp_flow *fl);

/* replay.c */
struct nfesp_replay *nfesp_replay_alloc(u32 window, bool esn, gfp_t gfp);
u64 nfesp_replay_seq(const struct nfesp_replay *r, u32 seq_lo);
bool nfesp_replay_check(struct nfesp_replay *r, u64 seq);
bool nfesp_replay_advance(struct nfesp_replay *r, u64 seq);

/* stats.c */
struct nfesp_stats __percpu *nfesp_stats_alloc(void);
void nfesp_stats_free(struct nfesp_stats __percpu *stats);
void nfesp_stats_add(struct nfesp_stats __percpu *stats,
		     enum nfesp_stat stat, u64 n);
void nfesp_stats_sum(struct nfesp_stats __percpu *stats,
		     u64 sum[__NFESP_STAT_MAX]);
int nfesp_stats_fill(struct sk_buff *skb, int attrtype,
		     const u64 sum[__NFESP_STAT_MAX]);
void nfesp_count(struct nfesp_net *nn, struct nfesp_sa *sa,
		 enum nfesp_stat stat, u64 n);
void nfesp_drop(struct nfesp_net *nn, struct nfesp_sa *sa,
		struct sk_buff *skb, enum nfesp_stat reason);

/* sa.c: the SA database. Changes need nfesp_net.lock. */
int nfesp_sad_init(struct nfesp_net *nn);
void nfesp_sad_exit(struct nfesp_net *nn);
struct nfesp_sa *nfesp_sa_alloc(struct nfesp_sa_conf **conf);
void nfesp_sa_put(struct nfesp_sa *sa);
struct nfesp_sa *nfesp_sa_lookup(struct nfesp_net *nn,
				 const struct nfesp_sa_key *key);
int nfesp_sa_insert(struct nfesp_net *nn, struct nfesp_sa *sa);
void nfesp_sa_unlink(struct nfesp_net *nn, struct nfesp_sa *sa);
void nfesp_sa_flush(struct nfesp_net *nn);
struct nfesp_sa *nfesp_sa_lookup_out(struct nfesp_net *nn,
				     const struct nfesp_tmpl *tmpl,
				     const struct nfesp_flow *fl);
struct nfesp_sa *nfesp_sa_lookup_dev(struct nfesp_net *nn, u32 if_id);

/* policy.c: the policy databases. Changes need spd->lock. */
int nfesp_spd_init(struct nfesp_spd *spd, struct mutex *lock);
void nfesp_spd_destroy(struct nfesp_spd *spd);
bool nfesp_selector_match(const struct nfesp_selector *sel,
			  const struct nfesp_flow *fl);
bool nfesp_policy_better(const struct nfesp_policy *a,
			 const struct nfesp_policy *b);
struct nfesp_policy *nfesp_policy_alloc(struct nfesp_pol_conf **conf);
void nfesp_policy_destroy(struct nfesp_policy *pol);
void nfesp_policy_free(struct nfesp_policy *pol);
int nfesp_spd_insert(struct nfesp_spd *spd, struct nfesp_policy *pol);
void nfesp_spd_remove(struct nfesp_spd *spd, struct nfesp_policy *pol);
bool nfesp_spd_bound(struct nfesp_spd *spd, u32 if_id);
struct nfesp_policy *nfesp_spd_find(struct nfesp_spd *spd,
				    const struct nfesp_selector *sel);
struct nfesp_policy *nfesp_spd_lookup(struct nfesp_spd *spd,
				      const struct nfesp_flow *fl);
void nfesp_selector_mask(struct nfesp_selector *sel);
int nfesp_pol_net_init(struct nfesp_net *nn);
void nfesp_pol_net_exit(struct nfesp_net *nn);
int nfesp_pol_link(struct nfesp_net *nn, struct nfesp_policy *pol);
void nfesp_pol_unlink(struct nfesp_net *nn, struct nfesp_policy *pol);
void nfesp_pol_flush(struct nfesp_net *nn);

/* expire.c: lifetimes, charged by the packet path and watched by a work */
void nfesp_expire_init(struct nfesp_net *nn);
void nfesp_expire_exit(struct nfesp_net *nn);
void nfesp_expire_arm(struct nfesp_net *nn, const struct nfesp_sa *sa);
void nfesp_sa_used(struct nfesp_net *nn, struct nfesp_sa *sa,
		   unsigned int bytes);
bool nfesp_limits_counted(const struct nfesp_lifetime *lt);
void nfesp_sa_count_from_stats(struct nfesp_sa *sa);
bool nfesp_sa_stopped(struct nfesp_sa *sa);
void nfesp_sa_stop(struct nfesp_net *nn, struct nfesp_sa *sa);

/* crypto.c */
int nfesp_sa_crypto_init(struct nfesp_sa *sa, const char *alg,
			 const u8 *key, unsigned int key_len, u16 icv_bits,
			 struct netlink_ext_ack *extack);
void nfesp_sa_crypto_free(struct nfesp_sa *sa);
const char *nfesp_sa_alg_name(const struct nfesp_sa *sa);
void nfesp_sa_make_iv(const struct nfesp_sa *sa, u64 seq, u8 *iv);

/* netlink.c */
extern struct genl_family nfesp_genl_family;
int nfesp_genl_init(void);
void nfesp_genl_exit(void);
int nfesp_genl_fill_version(struct sk_buff *skb);
void nfesp_genl_notify(struct net *net, struct sk_buff *skb);
void nfesp_genl_notify_flush(struct net *net, u8 cmd);
typedef int (*nfesp_fill_fn)(struct sk_buff *skb, const void *obj, bool keys);
int nfesp_genl_dump(struct sk_buff *skb, struct netlink_callback *cb,
		    struct xarray *index, u8 cmd, nfesp_fill_fn fill, bool keys);

/* Refuses a request that lacks @attr, naming it. */
#define NFESP_REQUIRE(tb, attr, extack) ({				\
	bool __missing = !(tb)[attr];					\
	if (__missing)							\
		NL_SET_ERR_MSG_MOD(extack, #attr " is missing");	\
	__missing;							\
})

/* netlink_sa.c: the SA commands */
int nfesp_nl_sa_add(struct sk_buff *skb, struct genl_info *info);
int nfesp_nl_sa_update(struct sk_buff *skb, struct genl_info *info);
int nfesp_nl_sa_del(struct sk_buff *skb, struct genl_info *info);
int nfesp_nl_sa_get(struct sk_buff *skb, struct genl_info *info);
int nfesp_nl_sa_dump(struct sk_buff *skb, struct netlink_callback *cb);
int nfesp_nl_sa_flush(struct sk_buff *skb, struct genl_info *info);
int nfesp_nl_sa_alloc_spi(struct sk_buff *skb, struct genl_info *info);
struct sk_buff *nfesp_sa_msg(const struct nfesp_sa *sa, u8 cmd, int flag,
			     u32 portid, u32 seq, bool show_keys);

/* netlink_policy.c: the policy commands */
int nfesp_nl_pol_add(struct sk_buff *skb, struct genl_info *info);
int nfesp_nl_pol_update(struct sk_buff *skb, struct genl_info *info);
int nfesp_nl_pol_del(struct sk_buff *skb, struct genl_info *info);
int nfesp_nl_pol_get(struct sk_buff *skb, struct genl_info *info);
int nfesp_nl_pol_dump(struct sk_buff *skb, struct netlink_callback *cb);
int nfesp_nl_pol_flush(struct sk_buff *skb, struct genl_info *info);
int nfesp_pol_fill(struct sk_buff *skb, const struct nfesp_policy *pol);

/*
 * Functions the KUnit suites in tests/ call. They are exported, in a symbol
 * namespace of their own, only to a kernel built with KUnit.
 */
#if IS_ENABLED(CONFIG_KUNIT)
#define NFESP_EXPORT_FOR_KUNIT(sym) EXPORT_SYMBOL_NS_GPL(sym, NFESP_KUNIT)
#else
/* Nothing to export; naming the symbol still checks that it exists. */
#define NFESP_EXPORT_FOR_KUNIT(sym) static_assert(__same_type(sym, sym))
#endif

#endif /* _NFESP_H */
