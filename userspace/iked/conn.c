// SPDX-License-Identifier: GPL-2.0
/*
 * The configured connections at run time: started (trap policies, or an
 * IKE SA at once), stopped (their SAs and every policy iked installed for
 * them), and a reload that touches only what changed.
 */
#include "ike.h"

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
			n->reqid = o->reqid;
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
