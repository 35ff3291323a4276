// SPDX-License-Identifier: GPL-2.0
/*
 * The policies iked installs: a CHILD SA's, one for each pair of our and
 * the peer's selectors of one family in each direction, and a trap
 * connection's (its configured selectors, so that traffic raises an
 * ACQUIRE). One policy stands for a selector in nfesp; it goes when no
 * CHILD SA and no trap of its connection has that selector any more. A
 * connection on a tunnel device has none: its routes decide.
 */
#include <string.h>

#include "../../kmod/uapi/nfesp.h"
#include "ike.h"
#include "kernel.h"
#include "net.h"

/* iked's policies rank after those of the default priority 0 (the IKE
 * bypass, and the administrator's), so that a manual bypass still wins.
 */
#define CHILD_POLICY_PRIORITY	1000

static void policy_of(const struct ike_sa *sa, const struct child_sa *c,
		      const struct ike_ts *src, const struct ike_ts *dst,
		      uint8_t dir, bool outbound, struct nfesp_policy *p)
{
	const uint8_t *a;
	size_t alen;

	memset(p, 0, sizeof(*p));
	p->has = NFESP_POL_HAS_SRC | NFESP_POL_HAS_DST | NFESP_POL_HAS_ACTION |
		 NFESP_POL_HAS_PRIORITY | NFESP_POL_HAS_TMPL | NFESP_POL_HAS_REQID;
	p->dir = dir;
	p->family = ts_family(src);
	p->src_len = ts_range_prefix(src, p->src.bytes);
	p->dst_len = ts_range_prefix(dst, p->dst.bytes);
	p->proto = src->proto ? src->proto : dst->proto;
	if (p->proto)
		p->has |= NFESP_POL_HAS_PROTO;
	if (src->sport == src->eport && src->sport) {
		p->sport = src->sport;
		p->has |= NFESP_POL_HAS_SPORT;
	}
	if (dst->sport == dst->eport && dst->sport) {
		p->dport = dst->sport;
		p->has |= NFESP_POL_HAS_DPORT;
	}
	p->action = NFESP_ACTION_PROTECT;
	p->priority = CHILD_POLICY_PRIORITY;
	p->mode = c->tunnel ? NFESP_MODE_TUNNEL : NFESP_MODE_TRANSPORT;
	p->reqid = c->reqid;
	p->tfamily = sa->local.ss_family;
	a = sockaddr_addr(outbound ? &sa->local : &sa->remote, &alen);
	memcpy(p->tsrc.bytes, a, alen);
	a = sockaddr_addr(outbound ? &sa->remote : &sa->local, &alen);
	memcpy(p->tdst.bytes, a, alen);
}

/* Calls @fn for each policy of @c until it returns true; whether it did. */
static bool for_each_policy(const struct ike_sa *sa, const struct child_sa *c,
			    bool (*fn)(const struct nfesp_policy *p, void *arg),
			    void *arg)
{
	struct nfesp_policy p;
	unsigned int i, j;

	for (i = 0; i < c->n_ts_local; i++)
		for (j = 0; j < c->n_ts_remote; j++) {
			if (c->ts_local[i].type != c->ts_remote[j].type)
				continue;
			policy_of(sa, c, &c->ts_local[i], &c->ts_remote[j],
				  NFESP_DIR_OUT, true, &p);
			if (fn(&p, arg))
				return true;
			policy_of(sa, c, &c->ts_remote[j], &c->ts_local[i],
				  NFESP_DIR_IN, false, &p);
			if (fn(&p, arg))
				return true;
			if (!c->tunnel)
				continue;
			policy_of(sa, c, &c->ts_remote[j], &c->ts_local[i],
				  NFESP_DIR_FWD, false, &p);
			if (fn(&p, arg))
				return true;
		}
	return false;
}

/* The stand-in IKE SA and CHILD SA whose policies are @conn's trap. */
static void trap_of(const struct ike_conn *conn, struct ike_sa *sa,
		    struct child_sa *c)
{
	memset(sa, 0, sizeof(*sa));
	memset(c, 0, sizeof(*c));
	sa->conn = (struct ike_conn *)conn;
	sa->local = conn->local;
	sa->remote = conn->remote;
	c->tunnel = conn->tunnel;
	c->reqid = conn->reqid;
	child_our_ts(conn, c->ts_local, &c->n_ts_local, c->ts_remote,
		     &c->n_ts_remote);
}

/* A policy of the same selector as @want is looked for; @found gets it. */
struct selector_search {
	const struct nfesp_policy *want;
	struct nfesp_policy found;
};

/* Same direction and selector: the same policy in nfesp. */
static bool same_selector(const struct nfesp_policy *p, void *arg)
{
	struct selector_search *s = arg;
	const struct nfesp_policy *q = s->want;

	if (p->dir != q->dir || p->family != q->family ||
	    p->src_len != q->src_len || p->dst_len != q->dst_len ||
	    memcmp(&p->src, &q->src, sizeof(p->src)) ||
	    memcmp(&p->dst, &q->dst, sizeof(p->dst)) || p->proto != q->proto ||
	    p->sport != q->sport || p->dport != q->dport)
		return false;
	s->found = *p;
	return true;
}

/*
 * Whether the policy @p of @c is needed still: another CHILD SA of the
 * connection that is up has it (a rekey's other half), or its trap does;
 * @s->found is then theirs (their reqid, their tunnel ends), which is what
 * the policy must become.
 */
static bool still_needed(const struct ike_sa *sa, const struct child_sa *c,
			 struct selector_search *s)
{
	struct ike_sa *o, trap_sa;
	struct child_sa *oc, trap_c;

	for (o = iked.sas; o; o = o->next) {
		if (o->conn != sa->conn || o->state == IKE_S_DEAD)
			continue;
		for (oc = o->children; oc; oc = oc->next)
			if (oc != c && oc->spi_in &&
			    (oc->state == CHILD_S_INSTALLED ||
			     oc->state == CHILD_S_REKEYING) &&
			    for_each_policy(o, oc, same_selector, s))
				return true;
	}
	if (sa->conn->start != IKE_START_TRAP)
		return false;
	trap_of(sa->conn, &trap_sa, &trap_c);
	return for_each_policy(&trap_sa, &trap_c, same_selector, s);
}

static bool set_policy(const struct nfesp_policy *p, void *arg)
{
	(void)arg;
	kernel_set_policy(p);
	return false;
}

static bool del_policy(const struct nfesp_policy *p, void *arg)
{
	(void)arg;
	kernel_del_policy(p);
	return false;
}

struct policy_owner {
	const struct ike_sa *sa;
	const struct child_sa *c;
};

/* Deleted, or handed to the CHILD SA or trap that has its selector too
 * (so that an ACQUIRE of it names a reqid that iked knows).
 */
static bool del_policy_unneeded(const struct nfesp_policy *p, void *arg)
{
	const struct policy_owner *o = arg;
	struct selector_search s = { .want = p };

	if (!still_needed(o->sa, o->c, &s))
		kernel_del_policy(p);
	else if (s.found.reqid != p->reqid ||
		 memcmp(&s.found.tsrc, &p->tsrc, sizeof(p->tsrc)) ||
		 memcmp(&s.found.tdst, &p->tdst, sizeof(p->tdst)))
		kernel_set_policy(&s.found);
	return false;
}

void child_policies(const struct ike_sa *sa, const struct child_sa *c, bool add)
{
	struct policy_owner o = { sa, c };

	if (c->if_id)
		return;		/* a tunnel device's: routes decide */
	if (add)
		for_each_policy(sa, c, set_policy, NULL);
	else
		for_each_policy(sa, c, del_policy_unneeded, &o);
}

void child_trap_policies(const struct ike_conn *conn, bool add)
{
	struct ike_sa sa;
	struct child_sa c;

	/* A tunnel device's trap is the device: its ACQUIRE names it. */
	if (conn->if_id || conn->interface[0])
		return;
	trap_of(conn, &sa, &c);
	for_each_policy(&sa, &c, add ? set_policy : del_policy, NULL);
}
