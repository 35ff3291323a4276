// SPDX-License-Identifier: GPL-2.0
/*
 * The configured connections at run time: started (trap policies, or an
 * IKE SA at once), stopped (their SAs and every policy iked installed for
 * them), a reload that touches only what changed, and nfesp's events for
 * them (ACQUIRE, EXPIRE).
 */
#include <string.h>

#include "ike.h"
#include "kernel.h"

unsigned int conn_start_all(void)
{
	struct ike_conn *conn;
	unsigned int n = 0;

	for (conn = iked.conf.conns; conn; conn = conn->next) {
		if (conn->reqid)
			continue;
		conn->reqid = ++iked.next_reqid;
		n++;
		if (conn->start == IKE_START_TRAP)
			child_trap_policies(conn, true);
		else if (conn->start == IKE_START_START)
			ike_initiate(conn, NULL, NULL);
	}
	return n;
}

void conn_stop(const struct ike_conn *conn)
{
	struct ike_sa *sa;
	struct ike_conn *c;

	for (sa = iked.sas; sa; sa = sa->next) {
		if (conn && sa->conn != conn)
			continue;
		if (sa->state == IKE_S_ESTABLISHED) {
			sa->pending = REQ_NONE;
			ike_send_delete_ike(sa);
		}
		ike_sa_down(sa, NULL);
	}
	ike_sa_remove_dead();
	for (c = iked.conf.conns; c; c = c->next)
		if ((!conn || c == conn) && c->start == IKE_START_TRAP)
			child_trap_policies(c, false);
}

/*
 * A new configuration: a connection that did not change keeps its SAs
 * (and its reqid); one that changed or went is stopped; one that changed
 * or came is started.
 */
bool conn_reload(FILE *f)
{
	struct ike_config conf = { 0 };
	struct ike_conn *o, *n;
	unsigned int kept = 0, stopped = 0, started;
	struct ike_sa *sa;
	int errors;

	errors = config_load(iked.conf_path, &conf, f);
	if (errors) {
		fprintf(f, "%s: %d error(s); the running configuration stays\n",
			iked.conf_path, errors);
		return false;
	}
	for (o = iked.conf.conns; o; o = o->next) {
		n = config_find(&conf, o->name);
		if (n && config_conn_same(o, n)) {
			struct ike_pool *p4 = n->pool4, *p6 = n->pool6;

			n->reqid = o->reqid;
			/* The leases go with it; the new, empty pools with the old file. */
			n->pool4 = o->pool4;
			n->pool6 = o->pool6;
			o->pool4 = p4;
			o->pool6 = p6;
			for (sa = iked.sas; sa; sa = sa->next)
				if (sa->conn == o)
					sa->conn = n;
			kept++;
		} else {
			ike_log(NULL, "%s: %s: its SAs end", o->name,
				n ? "changed" : "removed");
			conn_stop(o);
			stopped++;
		}
	}
	config_free(&iked.conf);
	iked.conf = conf;
	started = conn_start_all();
	fprintf(f, "%s reloaded: %u connection(s) kept, %u stopped, %u started\n",
		iked.conf_path, kept, stopped, started);
	ike_log(NULL, "configuration reloaded from %s: %u connection(s) kept, %u stopped, %u started",
		iked.conf_path, kept, stopped, started);
	return true;
}

/* The connection of a policy's reqid: its trap's, or one of its CHILD SAs'. */
static struct ike_conn *conn_by_reqid(uint32_t reqid)
{
	const struct child_sa *ch;
	const struct ike_sa *sa;
	struct ike_conn *c;

	for (c = iked.conf.conns; c; c = c->next)
		if (c->reqid == reqid)
			return c;
	for (sa = iked.sas; sa; sa = sa->next)
		for (ch = sa->children; sa->state != IKE_S_DEAD && ch; ch = ch->next)
			if (ch->reqid == reqid)
				return sa->conn;
	return NULL;
}

/*
 * The trap connection on the tunnel device of a device's ACQUIRE: by its
 * id, or by its name while it is in iked's namespace (where a device was
 * moved to, another may name it as it likes).
 */
static struct ike_conn *conn_by_device(const struct kernel_event *ev)
{
	struct ike_conn *c;

	for (c = iked.conf.conns; c; c = c->next)
		if (c->start == IKE_START_TRAP &&
		    (c->if_id ? c->if_id == ev->if_id :
				c->interface[0] && ev->if_here && !strcmp(c->interface, ev->ifname)))
			return c;
	return NULL;
}

static void flow_ts(int family, const uint8_t *addr, uint8_t proto,
		    uint16_t port, struct ike_ts *ts)
{
	size_t alen = family == AF_INET ? 4 : 16;

	memset(ts, 0, sizeof(*ts));
	ts->type = family == AF_INET ? IKE_TS_IPV4_ADDR_RANGE :
				       IKE_TS_IPV6_ADDR_RANGE;
	ts->proto = proto;
	ts->sport = port;
	ts->eport = port ? port : 65535;
	memcpy(ts->saddr, addr, alen);
	memcpy(ts->eaddr, addr, alen);
}

static struct ike_sa *sa_of_conn(const struct ike_conn *conn)
{
	struct ike_sa *sa;

	for (sa = iked.sas; sa; sa = sa->next)
		if (sa->conn == conn && sa->state != IKE_S_DEAD &&
		    sa->state != IKE_S_DELETING && !sa->rekeyed)
			return sa;
	return NULL;
}

static void on_acquire(const struct kernel_event *ev)
{
	struct ike_conn *conn = ev->if_id ? conn_by_device(ev) : conn_by_reqid(ev->reqid);
	struct ike_ts tsi, tsr;
	struct ike_sa *sa;

	if (!conn)
		return;
	sa = sa_of_conn(conn);
	if (sa && sa->state != IKE_S_ESTABLISHED)
		return;		/* being set up: its CHILD SA is on the way */
	/* A device's SA carries all it is given, not this flow alone. */
	if (ev->if_id && sa) {
		if (!child_create(sa, NULL, NULL))
			ike_log(sa, "traffic into %s without an SA (ACQUIRE): a new CHILD SA",
				ev->ifname);
		return;
	}
	if (ev->if_id) {
		ike_log(NULL, "%s: traffic into %s without an SA (ACQUIRE): negotiating",
			conn->name, ev->ifname);
		ike_initiate(conn, NULL, NULL);
		return;
	}
	flow_ts(ev->family, ev->src, ev->proto, ev->sport, &tsi);
	flow_ts(ev->family, ev->dst, ev->proto, ev->dport, &tsr);
	/* A flow that no CHILD SA of the IKE SA carries: one more for it. */
	if (sa) {
		if (!child_create(sa, &tsi, &tsr))
			ike_log(sa, "traffic without an SA (ACQUIRE): a new CHILD SA");
		return;
	}
	ike_log(NULL, "%s: traffic without an SA (ACQUIRE): negotiating",
		conn->name);
	ike_initiate(conn, &tsi, &tsr);
}

static void on_expire(const struct kernel_event *ev)
{
	struct ike_sa *sa;
	struct child_sa *c;
	size_t alen;

	for (sa = iked.sas; sa; sa = sa->next) {
		const uint8_t *local = sockaddr_addr(&sa->local, &alen);
		const uint8_t *remote = sockaddr_addr(&sa->remote, &alen);

		if (sa->state != IKE_S_ESTABLISHED)
			continue;
		for (c = sa->children; c; c = c->next) {
			bool in = c->spi_in == ev->spi && !memcmp(local, ev->sa_dst, alen);
			bool out = c->spi_out == ev->spi && !memcmp(remote, ev->sa_dst, alen);

			if (!in && !out)
				continue;
			if (ev->hard) {
				ike_log(sa, "CHILD SA 0x%08x/0x%08x reached its hard lifetime",
					c->spi_in, c->spi_out);
				ike_send_delete_child(sa, c);
			} else if (c->state == CHILD_S_INSTALLED && child_rekey(sa, c)) {
				c->rekey_due = true;
			}
			return;
		}
	}
}

void conn_kernel_event(const struct kernel_event *ev)
{
	if (ev->acquire)
		on_acquire(ev);
	else
		on_expire(ev);
}
