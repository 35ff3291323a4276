// SPDX-License-Identifier: GPL-2.0
/*
 * The security policy databases: which policy a packet matches. Each
 * direction keeps its policies in one hash table keyed by class (family
 * and prefix lengths) and masked addresses, and a short list of the
 * classes in use; a lookup probes the table once per class and keeps the
 * best of the policies that match.
 */
#include <linux/rculist.h>
#include <linux/rhashtable.h>
#include <linux/slab.h>
#include <net/ipv6.h>

#include "nfesp.h"

struct nfesp_spd_class {
	struct list_head list;		/* in nfesp_spd.classes, RCU */
	u16 family;
	u8 src_len, dst_len;
	unsigned int count;		/* its policies */
	struct rcu_head rcu;
};

static const struct rhashtable_params nfesp_spd_params = {
	.key_len = sizeof(struct nfesp_spd_key),
	.key_offset = offsetof(struct nfesp_policy, key),
	.head_offset = offsetof(struct nfesp_policy, node),
	.automatic_shrinking = true,
};

int nfesp_spd_init(struct nfesp_spd *spd, struct mutex *lock)
{
	INIT_LIST_HEAD(&spd->classes);
	xa_init(&spd->bound);
	spd->lock = lock;
	return rhltable_init(&spd->table, &nfesp_spd_params);
}
NFESP_EXPORT_FOR_KUNIT(nfesp_spd_init);

/* Empty by now: policies are removed first. */
void nfesp_spd_destroy(struct nfesp_spd *spd)
{
	WARN_ON_ONCE(!list_empty(&spd->classes) || !xa_empty(&spd->bound));
	xa_destroy(&spd->bound);
	rhltable_destroy(&spd->table);
}
NFESP_EXPORT_FOR_KUNIT(nfesp_spd_destroy);

static void nfesp_addr_mask(union nfesp_addr *out, const union nfesp_addr *in,
			    u16 family, u8 len)
{
	if (family == AF_INET) {
		out->a4 = len ? in->a4 & htonl(~0U << (32 - len)) : 0;
		return;
	}
	ipv6_addr_prefix(&out->a6, &in->a6, len);
}

void nfesp_selector_mask(struct nfesp_selector *sel)
{
	union nfesp_addr a;

	nfesp_addr_mask(&a, &sel->src, sel->family, sel->src_len);
	sel->src = a;
	nfesp_addr_mask(&a, &sel->dst, sel->family, sel->dst_len);
	sel->dst = a;
}
NFESP_EXPORT_FOR_KUNIT(nfesp_selector_mask);

static bool nfesp_prefix_match(const union nfesp_addr *prefix,
			       const union nfesp_addr *addr, u16 family, u8 len)
{
	union nfesp_addr masked;

	nfesp_addr_mask(&masked, addr, family, len);
	if (family == AF_INET)
		return masked.a4 == prefix->a4;
	return ipv6_addr_equal(&masked.a6, &prefix->a6);
}

enum nfesp_l4_match {
	NFESP_L4_NO,
	NFESP_L4_YES,
	NFESP_L4_UNKNOWN,	/* it depends on what the packet does not show */
};

static enum nfesp_l4_match nfesp_l4_match(const struct nfesp_selector *sel,
					  const struct nfesp_flow *fl)
{
	if (sel->proto && sel->proto != fl->proto)
		return fl->unread & NFESP_FLOW_NO_PROTO ? NFESP_L4_UNKNOWN :
							  NFESP_L4_NO;
	if (!sel->sport && !sel->dport)
		return NFESP_L4_YES;
	if (fl->unread & NFESP_FLOW_NO_PORTS)
		return NFESP_L4_UNKNOWN;
	if ((sel->sport && sel->sport != fl->sport) ||
	    (sel->dport && sel->dport != fl->dport))
		return NFESP_L4_NO;
	return NFESP_L4_YES;
}

bool nfesp_selector_match(const struct nfesp_selector *sel,
			  const struct nfesp_flow *fl)
{
	return sel->family == fl->family &&
	       nfesp_prefix_match(&sel->src, &fl->src, fl->family, sel->src_len) &&
	       nfesp_prefix_match(&sel->dst, &fl->dst, fl->family, sel->dst_len) &&
	       nfesp_l4_match(sel, fl) == NFESP_L4_YES;
}
NFESP_EXPORT_FOR_KUNIT(nfesp_selector_match);

static unsigned int nfesp_specificity(const struct nfesp_selector *sel)
{
	return (sel->src_len + sel->dst_len) * 4 + (sel->proto ? 2 : 0) +
	       !!sel->sport + !!sel->dport;
}

/* Whether @a wins over @b (NULL: anything wins): the order of the ABI. */
bool nfesp_policy_better(const struct nfesp_policy *a,
			 const struct nfesp_policy *b)
{
	unsigned int sa, sb;
	u32 pa, pb;

	if (!b)
		return true;
	pa = READ_ONCE(a->priority);
	pb = READ_ONCE(b->priority);
	if (pa != pb)
		return pa < pb;
	sa = nfesp_specificity(&a->sel);
	sb = nfesp_specificity(&b->sel);
	if (sa != sb)
		return sa > sb;
	return a->index < b->index;
}
NFESP_EXPORT_FOR_KUNIT(nfesp_policy_better);

/* A new policy, and what it does (nothing yet), for the caller to fill. */
struct nfesp_policy *nfesp_policy_alloc(struct nfesp_pol_conf **conf)
{
	struct nfesp_policy *pol = kzalloc(sizeof(*pol), GFP_KERNEL_ACCOUNT);

	if (!pol)
		return NULL;
	*conf = kzalloc(sizeof(**conf), GFP_KERNEL_ACCOUNT);
	pol->stats = nfesp_stats_alloc();
	if (!*conf || !pol->stats) {
		nfesp_stats_free(pol->stats);
		kfree(*conf);
		kfree(pol);
		return NULL;
	}
	RCU_INIT_POINTER(pol->conf, *conf);
	return pol;
}
NFESP_EXPORT_FOR_KUNIT(nfesp_policy_alloc);

/* Frees @pol at once: it was never in a database. */
void nfesp_policy_destroy(struct nfesp_policy *pol)
{
	kfree(rcu_dereference_protected(pol->conf, true));
	nfesp_stats_free(pol->stats);
	kfree(pol);
}

static void nfesp_policy_free_rcu(struct rcu_head *head)
{
	nfesp_policy_destroy(container_of(head, struct nfesp_policy, rcu));
}

/* After an RCU grace period: lookups may still hold @pol. */
void nfesp_policy_free(struct nfesp_policy *pol)
{
	call_rcu(&pol->rcu, nfesp_policy_free_rcu);
}
NFESP_EXPORT_FOR_KUNIT(nfesp_policy_free);

static void nfesp_spd_key_of(struct nfesp_spd_key *key, u16 family,
			     u8 src_len, u8 dst_len,
			     const union nfesp_addr *src,
			     const union nfesp_addr *dst, u32 if_id)
{
	memset(key, 0, sizeof(*key));
	key->family = family;
	key->if_id = if_id;
	key->src_len = src_len;
	key->dst_len = dst_len;
	nfesp_addr_mask(&key->src, src, family, src_len);
	nfesp_addr_mask(&key->dst, dst, family, dst_len);
}

static struct nfesp_spd_class *nfesp_spd_class(struct nfesp_spd *spd,
					       const struct nfesp_selector *sel)
{
	struct nfesp_spd_class *c;

	list_for_each_entry(c, &spd->classes, list)
		if (c->family == sel->family && c->src_len == sel->src_len &&
		    c->dst_len == sel->dst_len)
			return c;
	return NULL;
}

/* The policy with exactly this selector, or NULL. Under spd->lock. */
struct nfesp_policy *nfesp_spd_find(struct nfesp_spd *spd,
				    const struct nfesp_selector *sel)
{
	struct nfesp_policy *pol, *found = NULL;
	struct rhlist_head *list, *pos;
	struct nfesp_spd_key key;

	lockdep_assert_held(spd->lock);
	nfesp_spd_key_of(&key, sel->family, sel->src_len, sel->dst_len,
			 &sel->src, &sel->dst, sel->if_id);
	rcu_read_lock();
	list = rhltable_lookup(&spd->table, &key, nfesp_spd_params);
	rhl_for_each_entry_rcu(pol, pos, list, node) {
		if (pol->sel.proto == sel->proto && pol->sel.sport == sel->sport &&
		    pol->sel.dport == sel->dport) {
			found = pol;
			break;
		}
	}
	rcu_read_unlock();
	return found;
}
NFESP_EXPORT_FOR_KUNIT(nfesp_spd_find);

/*
 * Counts a policy in or out of those bound to the tunnel device of
 * @if_id (none: 0). Only -1 to what +1 counted before, which cannot fail.
 */
static int nfesp_spd_bound_add(struct nfesp_spd *spd, u32 if_id, int delta)
{
	unsigned long n;

	if (!if_id)
		return 0;
	n = xa_to_value(xa_load(&spd->bound, if_id) ?: xa_mk_value(0)) + delta;
	if (!n) {
		xa_erase(&spd->bound, if_id);
		return 0;
	}
	return xa_err(xa_store(&spd->bound, if_id, xa_mk_value(n),
			       GFP_KERNEL_ACCOUNT));
}

/* Whether a policy of @spd is bound to the tunnel device of @if_id. Under RCU. */
bool nfesp_spd_bound(struct nfesp_spd *spd, u32 if_id)
{
	return xa_load(&spd->bound, if_id);
}

/* @pol->sel must be masked, and not in @spd yet (see nfesp_spd_find). */
int nfesp_spd_insert(struct nfesp_spd *spd, struct nfesp_policy *pol)
{
	struct nfesp_spd_class *c, *new = NULL;
	int err;

	lockdep_assert_held(spd->lock);
	c = nfesp_spd_class(spd, &pol->sel);
	if (!c) {
		new = kzalloc(sizeof(*new), GFP_KERNEL_ACCOUNT);
		if (!new)
			return -ENOMEM;
		new->family = pol->sel.family;
		new->src_len = pol->sel.src_len;
		new->dst_len = pol->sel.dst_len;
		c = new;
	}
	nfesp_spd_key_of(&pol->key, pol->sel.family, pol->sel.src_len,
			 pol->sel.dst_len, &pol->sel.src, &pol->sel.dst,
			 pol->sel.if_id);
	err = nfesp_spd_bound_add(spd, pol->sel.if_id, 1);
	if (err) {
		kfree(new);
		return err;
	}
	err = rhltable_insert(&spd->table, &pol->node, nfesp_spd_params);
	if (err) {
		nfesp_spd_bound_add(spd, pol->sel.if_id, -1);
		kfree(new);
		return err;
	}
	c->count++;
	if (new)
		list_add_tail_rcu(&new->list, &spd->classes);
	return 0;
}
NFESP_EXPORT_FOR_KUNIT(nfesp_spd_insert);

void nfesp_spd_remove(struct nfesp_spd *spd, struct nfesp_policy *pol)
{
	struct nfesp_spd_class *c;

	lockdep_assert_held(spd->lock);
	rhltable_remove(&spd->table, &pol->node, nfesp_spd_params);
	nfesp_spd_bound_add(spd, pol->sel.if_id, -1);
	c = nfesp_spd_class(spd, &pol->sel);
	if (c && !--c->count) {
		list_del_rcu(&c->list);
		kfree_rcu(c, rcu);
	}
}
NFESP_EXPORT_FOR_KUNIT(nfesp_spd_remove);

/*
 * The best policy for @fl, or NULL. ERR_PTR(-ENOKEY) if a policy that
 * needs what @fl does not show (its ports, its protocol) might match and
 * would then win: which one applies cannot be told, and a guess could
 * let the packet past a protect or discard policy (fail closed).
 * Under rcu_read_lock().
 */
struct nfesp_policy *nfesp_spd_lookup(struct nfesp_spd *spd,
				      const struct nfesp_flow *fl)
{
	struct nfesp_policy *pol, *best = NULL, *maybe = NULL;
	struct rhlist_head *list, *pos;
	struct nfesp_spd_class *c;
	struct nfesp_spd_key key;

	list_for_each_entry_rcu(c, &spd->classes, list) {
		if (c->family != fl->family)
			continue;
		nfesp_spd_key_of(&key, c->family, c->src_len, c->dst_len,
				 &fl->src, &fl->dst, fl->if_id);
		list = rhltable_lookup(&spd->table, &key, nfesp_spd_params);
		rhl_for_each_entry_rcu(pol, pos, list, node) {
			switch (nfesp_l4_match(&pol->sel, fl)) {
			case NFESP_L4_YES:
				if (nfesp_policy_better(pol, best))
					best = pol;
				break;
			case NFESP_L4_UNKNOWN:
				if (nfesp_policy_better(pol, maybe))
					maybe = pol;
				break;
			case NFESP_L4_NO:
				break;
			}
		}
	}
	if (maybe && nfesp_policy_better(maybe, best))
		return ERR_PTR(-ENOKEY);
	return best;
}
NFESP_EXPORT_FOR_KUNIT(nfesp_spd_lookup);

int nfesp_pol_net_init(struct nfesp_net *nn)
{
	int dir, err;

	xa_init_flags(&nn->pol_index, XA_FLAGS_ALLOC);
	for (dir = 0; dir < NFESP_DIR_MAX; dir++) {
		err = nfesp_spd_init(&nn->spd[dir], &nn->lock);
		if (err)
			goto err_spd;
	}
	return 0;

err_spd:
	while (dir--)
		nfesp_spd_destroy(&nn->spd[dir]);
	return err;
}

void nfesp_pol_net_exit(struct nfesp_net *nn)
{
	int dir;

	mutex_lock(&nn->lock);
	nfesp_pol_flush(nn);
	mutex_unlock(&nn->lock);
	for (dir = 0; dir < NFESP_DIR_MAX; dir++)
		nfesp_spd_destroy(&nn->spd[dir]);
	xa_destroy(&nn->pol_index);
}

/* Adds @pol to its direction's database and to the dump index. */
int nfesp_pol_link(struct nfesp_net *nn, struct nfesp_policy *pol)
{
	int err;

	lockdep_assert_held(&nn->lock);
	err = nfesp_hooks_enable(nn);
	if (err)
		return err;
	err = xa_alloc_cyclic(&nn->pol_index, &pol->index, pol, xa_limit_32b,
			      &nn->pol_next_index, GFP_KERNEL_ACCOUNT);
	if (err < 0)
		return err;
	err = nfesp_spd_insert(&nn->spd[pol->dir - 1], pol);
	if (err) {
		xa_erase(&nn->pol_index, pol->index);
		return err;
	}
	nn->pol_count++;
	nn->gen++;
	return 0;
}

void nfesp_pol_unlink(struct nfesp_net *nn, struct nfesp_policy *pol)
{
	lockdep_assert_held(&nn->lock);
	nfesp_spd_remove(&nn->spd[pol->dir - 1], pol);
	xa_erase(&nn->pol_index, pol->index);
	nn->pol_count--;
	nn->gen++;
	nfesp_policy_free(pol);
}

void nfesp_pol_flush(struct nfesp_net *nn)
{
	struct nfesp_policy *pol;
	unsigned long index;

	lockdep_assert_held(&nn->lock);
	xa_for_each(&nn->pol_index, index, pol) {
		nfesp_pol_unlink(nn, pol);
		cond_resched();
	}
}
