// SPDX-License-Identifier: GPL-2.0
/*
 * The SA database of a namespace: a hash table by (family, dst, SPI) that
 * the packet path reads under RCU, and an index that gives dumps a stable
 * order to resume from. Both change only under nfesp_net.lock.
 */
#include <linux/rhashtable.h>
#include <linux/slab.h>
#include <crypto/aead.h>
#include <net/ipv6.h>

#include "nfesp.h"

static const struct rhashtable_params nfesp_sa_params = {
	.key_len = sizeof(struct nfesp_sa_key),
	.key_offset = offsetof(struct nfesp_sa, key),
	.head_offset = offsetof(struct nfesp_sa, node),
	.automatic_shrinking = true,
};

static const struct rhashtable_params nfesp_sa_out_params = {
	.key_len = sizeof(struct nfesp_sa_out_key),
	.key_offset = offsetof(struct nfesp_sa, out_key),
	.head_offset = offsetof(struct nfesp_sa, out_node),
	.automatic_shrinking = true,
};

int nfesp_sad_init(struct nfesp_net *nn)
{
	int err;

	xa_init_flags(&nn->sa_index, XA_FLAGS_ALLOC);
	err = rhashtable_init(&nn->sa_table, &nfesp_sa_params);
	if (err)
		return err;
	err = rhltable_init(&nn->sa_out, &nfesp_sa_out_params);
	if (err)
		rhashtable_destroy(&nn->sa_table);
	return err;
}

/* The namespace is going: nothing can reach its SAs any more. */
void nfesp_sad_exit(struct nfesp_net *nn)
{
	mutex_lock(&nn->lock);
	nfesp_sa_flush(nn);
	mutex_unlock(&nn->lock);
	rhltable_destroy(&nn->sa_out);
	rhashtable_destroy(&nn->sa_table);
	xa_destroy(&nn->sa_index);
}

/* A new SA, and its configuration (zero), which it owns until it is added. */
struct nfesp_sa *nfesp_sa_alloc(struct nfesp_sa_conf **conf)
{
	struct nfesp_sa *sa = kzalloc(sizeof(*sa), GFP_KERNEL_ACCOUNT);

	if (!sa)
		return NULL;
	*conf = kzalloc(sizeof(**conf), GFP_KERNEL_ACCOUNT);
	sa->stats = nfesp_stats_alloc();
	if (!*conf || !sa->stats) {
		nfesp_stats_free(sa->stats);
		kfree(*conf);
		kfree(sa);
		return NULL;
	}
	RCU_INIT_POINTER(sa->conf, *conf);
	refcount_set(&sa->refcnt, 1);
	return sa;
}

static void nfesp_sa_free_rcu(struct rcu_head *head)
{
	struct nfesp_sa *sa = container_of(head, struct nfesp_sa, rcu);

	nfesp_sa_crypto_free(sa);
	dst_cache_destroy(&sa->route);
	kfree(rcu_dereference_protected(sa->conf, true));
	kfree(sa->replay);
	nfesp_stats_free(sa->stats);
	kfree_sensitive(sa);	/* the key is in there */
}

void nfesp_sa_put(struct nfesp_sa *sa)
{
	if (sa && refcount_dec_and_test(&sa->refcnt))
		call_rcu(&sa->rcu, nfesp_sa_free_rcu);
}

/*
 * Takes no reference: the SA stays valid while the caller holds
 * rcu_read_lock() or nfesp_net.lock.
 */
struct nfesp_sa *nfesp_sa_lookup(struct nfesp_net *nn,
				 const struct nfesp_sa_key *key)
{
	return rhashtable_lookup_fast(&nn->sa_table, key, nfesp_sa_params);
}

/* Whether @sa may carry traffic out, and so is in nfesp_net.sa_out. */
static bool nfesp_sa_outbound(const struct nfesp_sa *sa)
{
	return sa->dir != NFESP_DIR_IN;
}

/* Gives the database the caller's reference; -EEXIST if the key is taken. */
int nfesp_sa_insert(struct nfesp_net *nn, struct nfesp_sa *sa)
{
	int err;

	lockdep_assert_held(&nn->lock);
	err = nfesp_hooks_enable(nn);
	if (err)
		return err;
	err = xa_alloc_cyclic(&nn->sa_index, &sa->index, sa, xa_limit_32b,
			      &nn->sa_next_index, GFP_KERNEL_ACCOUNT);
	if (err < 0)
		return err;
	err = rhashtable_lookup_insert_fast(&nn->sa_table, &sa->node,
					    nfesp_sa_params);
	if (err)
		goto err_index;
	if (sa->if_id) {
		sa->out_key.if_id = sa->if_id;
	} else {
		sa->out_key.dst = sa->key.dst;
		sa->out_key.family = sa->key.family;
	}
	if (nfesp_sa_outbound(sa)) {
		err = rhltable_insert(&nn->sa_out, &sa->out_node,
				      nfesp_sa_out_params);
		if (err)
			goto err_table;
	}
	nn->sa_count++;
	if (sa->flags & NFESP_SA_F_LARVAL)
		nn->sa_larval++;
	nn->gen++;
	return 0;

err_table:
	rhashtable_remove_fast(&nn->sa_table, &sa->node, nfesp_sa_params);
err_index:
	xa_erase(&nn->sa_index, sa->index);
	return err;
}

/* Takes @sa out of the database and drops the database's reference. */
void nfesp_sa_unlink(struct nfesp_net *nn, struct nfesp_sa *sa)
{
	lockdep_assert_held(&nn->lock);
	rhashtable_remove_fast(&nn->sa_table, &sa->node, nfesp_sa_params);
	if (nfesp_sa_outbound(sa))
		rhltable_remove(&nn->sa_out, &sa->out_node,
				nfesp_sa_out_params);
	xa_erase(&nn->sa_index, sa->index);
	nn->sa_count--;
	if (sa->flags & NFESP_SA_F_LARVAL)
		nn->sa_larval--;
	nn->gen++;
	nfesp_sa_put(sa);
}

void nfesp_sa_flush(struct nfesp_net *nn)
{
	struct nfesp_sa *sa;
	unsigned long index;

	lockdep_assert_held(&nn->lock);
	xa_for_each(&nn->sa_index, index, sa) {
		nfesp_sa_unlink(nn, sa);
		cond_resched();
	}
}

static bool nfesp_addr_any(const union nfesp_addr *a, u16 family)
{
	if (family == AF_INET)
		return !a->a4;
	return ipv6_addr_any(&a->a6);
}

/* Whether @sa may carry a packet out now. */
static bool nfesp_sa_usable(const struct nfesp_sa *sa)
{
	return !(sa->flags & NFESP_SA_F_LARVAL) &&
	       !test_bit(NFESP_SA_HARD_DUE, &sa->due);
}

/* Of two SAs that fit, the one to use: the newer (a rekey takes over). */
static bool nfesp_sa_newer(const struct nfesp_sa *sa,
			   const struct nfesp_sa *best)
{
	return !best || sa->add_time > best->add_time ||
	       (sa->add_time == best->add_time && sa->index > best->index);
}

/*
 * The SA that protects @fl under a policy with template @tmpl: to the
 * tunnel end (tunnel mode) or to the packet's destination (transport), of
 * the template's mode and reqid, usable, and the newest of those that fit
 * (during a rekey the new SA takes over at once), or the one the template
 * is bound to. Called under RCU; takes no reference.
 */
struct nfesp_sa *nfesp_sa_lookup_out(struct nfesp_net *nn,
				     const struct nfesp_tmpl *tmpl,
				     const struct nfesp_flow *fl)
{
	const union nfesp_addr *src = &fl->src;
	struct nfesp_sa *sa, *best = NULL;
	struct nfesp_sa_out_key key = {};
	struct rhlist_head *list, *pos;

	if (tmpl->mode == NFESP_MODE_TUNNEL) {
		key.dst = tmpl->tdst;
		key.family = tmpl->family;
		src = &tmpl->tsrc;
	} else {
		key.dst = fl->dst;
		key.family = fl->family;
	}
	if (tmpl->spi) {
		struct nfesp_sa_key bound = {
			.dst = key.dst, .spi = tmpl->spi, .family = key.family,
		};

		sa = nfesp_sa_lookup(nn, &bound);
		if (!sa || sa->mode != tmpl->mode || sa->if_id ||
		    !nfesp_sa_outbound(sa) || !nfesp_sa_usable(sa))
			return NULL;
		return sa;
	}
	list = rhltable_lookup(&nn->sa_out, &key, nfesp_sa_out_params);
	rhl_for_each_entry_rcu(sa, pos, list, out_node) {
		if (sa->mode != tmpl->mode || !nfesp_sa_usable(sa) ||
		    (tmpl->reqid && sa->reqid != tmpl->reqid))
			continue;
		if (!nfesp_addr_any(src, key.family) &&
		    !nfesp_addr_equal(&nfesp_sa_conf(sa, nn)->src, src,
				      key.family))
			continue;
		if (nfesp_sa_newer(sa, best))
			best = sa;
	}
	return best;
}

/*
 * The SA that protects what is routed into the tunnel device of @if_id:
 * the newest usable one bound to it. Under RCU; takes no reference.
 */
struct nfesp_sa *nfesp_sa_lookup_dev(struct nfesp_net *nn, u32 if_id)
{
	struct nfesp_sa_out_key key = { .if_id = if_id };
	struct nfesp_sa *sa, *best = NULL;
	struct rhlist_head *list, *pos;

	list = rhltable_lookup(&nn->sa_out, &key, nfesp_sa_out_params);
	rhl_for_each_entry_rcu(sa, pos, list, out_node) {
		if (nfesp_sa_usable(sa) && nfesp_sa_newer(sa, best))
			best = sa;
	}
	return best;
}
