// SPDX-License-Identifier: GPL-2.0
/*
 * iked's control socket: `ipsecctl ike list|up|down|reload` connect to it,
 * send one line, and read the answer until iked closes: "OK\n" or "ERR\n",
 * then text for people.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>

#include "certs.h"
#include "ctl.h"
#include "ike.h"
#include "kernel.h"
#include "net.h"

static int listen_fd = -1;
static bool (*reload_fn)(FILE *f);
static char socket_path[sizeof(((struct sockaddr_un *)0)->sun_path)];

int ctl_open(const char *path, bool (*reload)(FILE *f))
{
	struct sockaddr_un sun = { .sun_family = AF_UNIX };
	char dir[sizeof(sun.sun_path)], *slash;

	if (strlen(path) >= sizeof(sun.sun_path)) {
		ike_log(NULL, "control socket path too long: %s", path);
		return -1;
	}
	snprintf(dir, sizeof(dir), "%s", path);
	slash = strrchr(dir, '/');
	if (slash && slash != dir) {
		*slash = '\0';
		mkdir(dir, 0700);
	}
	strcpy(sun.sun_path, path);
	listen_fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (listen_fd < 0)
		return -1;
	unlink(path);
	/* Only root (CAP_NET_ADMIN's owner, in practice) may steer iked. */
	umask(0177);
	if (bind(listen_fd, (struct sockaddr *)&sun, sizeof(sun)) < 0 ||
	    listen(listen_fd, 8) < 0) {
		ike_log(NULL, "control socket %s: %s", path, strerror(errno));
		close(listen_fd);
		listen_fd = -1;
		return -1;
	}
	snprintf(socket_path, sizeof(socket_path), "%s", path);
	reload_fn = reload;
	return 0;
}

void ctl_close(void)
{
	if (listen_fd < 0)
		return;
	close(listen_fd);
	unlink(socket_path);
	listen_fd = -1;
}

int ctl_fd(void)
{
	return listen_fd;
}

const char *ctl_state_name(enum ike_state s)
{
	switch (s) {
	case IKE_S_INIT_SENT: return "CONNECTING";
	case IKE_S_INIT_DONE: return "CONNECTING";
	case IKE_S_AUTH_SENT: return "CONNECTING";
	case IKE_S_ESTABLISHED: return "ESTABLISHED";
	case IKE_S_DELETING: return "DELETING";
	default: return "DEAD";
	}
}

const char *ctl_child_state_name(enum child_state s)
{
	switch (s) {
	case CHILD_S_INSTALLED: return "INSTALLED";
	case CHILD_S_REKEYING: return "REKEYING";
	case CHILD_S_REKEYED: return "REKEYED";
	default: return "DELETING";
	}
}

static void list_child(FILE *f, const struct ike_sa *sa,
		       const struct child_sa *c, time_t now)
{
	uint64_t in_bytes = 0, in_pkts = 0, out_bytes = 0, out_pkts = 0;
	char alg[256], ts[1024];
	size_t alen;

	suite_format(&c->suite, IKE_PROTO_ESP, alg, sizeof(alg));
	kernel_sa_use(sa->local.ss_family, sockaddr_addr(&sa->local, &alen),
		      c->spi_in, &in_bytes, &in_pkts);
	if (!c->out_pending)
		kernel_sa_use(sa->remote.ss_family,
			      sockaddr_addr(&sa->remote, &alen), c->spi_out,
			      &out_bytes, &out_pkts);
	fprintf(f, "  %s: reqid %u, %s, %s%s, ESP: %s\n", sa->conn->name,
		c->reqid, ctl_child_state_name(c->state),
		c->tunnel ? "TUNNEL" : "TRANSPORT",
		c->encap ? "-in-UDP" : "", alg);
	fprintf(f, "    installed %lds ago", (long)(now - c->created));
	if (c->if_id)
		fprintf(f, ", on device if_id %u", c->if_id);
	fputc('\n', f);
	fprintf(f, "    in  0x%08x, %llu bytes, %llu packets\n", c->spi_in,
		(unsigned long long)in_bytes, (unsigned long long)in_pkts);
	fprintf(f, "    out 0x%08x, %llu bytes, %llu packets%s\n", c->spi_out,
		(unsigned long long)out_bytes, (unsigned long long)out_pkts,
		c->out_pending ? " (not yet sending)" : "");
	ike_ts_format(c->ts_local, c->n_ts_local, ts, sizeof(ts));
	fprintf(f, "    local  %s\n", ts);
	ike_ts_format(c->ts_remote, c->n_ts_remote, ts, sizeof(ts));
	fprintf(f, "    remote %s\n", ts);
}

/* How each side authenticated, with the peer's certificate. */
static void list_auth(FILE *f, const struct ike_sa *sa)
{
	char ours[300] = "psk", until[32] = "?";
	struct tm tm;

	if (*sa->own_cert)
		snprintf(ours, sizeof(ours), "pubkey \"%s\"", sa->own_cert);
	fprintf(f, "  auth   ours %s; theirs ", ours);
	if (!*sa->peer_cert) {
		fputs("psk", f);
	} else {
		if (sa->peer_cert_until && gmtime_r(&sa->peer_cert_until, &tm))
			strftime(until, sizeof(until), "%Y-%m-%d %H:%M UTC", &tm);
		fprintf(f, "pubkey \"%s\" from \"%s\", until %s", sa->peer_cert,
			sa->peer_cert_issuer, until);
	}
	fputs(sa->ppk_used ? "; with a PPK (RFC 8784)\n" : "\n", f);
}

static void put_time(FILE *f, const char *what, const ASN1_TIME *t)
{
	struct tm tm;
	char buf[32];

	if (t && ASN1_TIME_to_tm(t, &tm) && strftime(buf, sizeof(buf), "%Y-%m-%d %H:%M UTC", &tm))
		fprintf(f, ", %s %s", what, buf);
}

static void put_cert(FILE *f, const char *what, X509 *c)
{
	char subject[256], issuer[256];

	certs_name(X509_get_subject_name(c), subject, sizeof(subject));
	certs_name(X509_get_issuer_name(c), issuer, sizeof(issuer));
	fprintf(f, "  %-6s \"%s\" from \"%s\"", what, subject, issuer);
	put_time(f, "from", X509_get0_notBefore(c));
	put_time(f, "until", X509_get0_notAfter(c));
	fputc('\n', f);
}

/* Each connection's certificate and chain, CAs and CRLs. */
static void certs(FILE *f)
{
	const struct ike_conn *c;
	STACK_OF(X509_OBJECT) *objs;
	char issuer[256];
	unsigned int n = 0, k;
	int i;

	for (c = iked.conf.conns; c; c = c->next) {
		if (!c->creds)
			continue;
		n++;
		fprintf(f, "%s:\n", c->name);
		for (k = 0; k < c->creds->n_own; k++) {
			const struct ike_own_cert *o = &c->creds->own[k];

			put_cert(f, "cert", o->cert);
			for (i = 0; i < sk_X509_num(o->chain); i++)
				put_cert(f, "chain", sk_X509_value(o->chain, i));
		}
		for (i = 0; i < sk_X509_num(c->creds->trust.cas); i++)
			put_cert(f, "ca", sk_X509_value(c->creds->trust.cas, i));
		objs = X509_STORE_get0_objects(c->creds->trust.store);
		for (i = 0; i < sk_X509_OBJECT_num(objs); i++) {
			X509_CRL *crl = X509_OBJECT_get0_X509_CRL(sk_X509_OBJECT_value(objs, i));

			if (!crl)
				continue;
			certs_name(X509_CRL_get_issuer(crl), issuer, sizeof(issuer));
			fprintf(f, "  crl    of \"%s\", %d revoked", issuer,
				sk_X509_REVOKED_num(X509_CRL_get_REVOKED(crl)));
			put_time(f, "updated", X509_CRL_get0_lastUpdate(crl));
			put_time(f, "next", X509_CRL_get0_nextUpdate(crl));
			fputc('\n', f);
		}
	}
	if (!n)
		fprintf(f, "no connection authenticates by certificate\n");
}

/* A remote-access client's virtual addresses. */
static void list_vips(FILE *f, const struct ike_sa *sa)
{
	char a[INET6_ADDRSTRLEN];

	if (!sa->has_vip4 && !sa->has_vip6)
		return;
	fputs("  vip   ", f);
	if (sa->has_vip4)
		fprintf(f, " %s", inet_ntop(AF_INET, sa->vip4, a, sizeof(a)));
	if (sa->has_vip6)
		fprintf(f, " %s", inet_ntop(AF_INET6, sa->vip6, a, sizeof(a)));
	fputc('\n', f);
}

static void list_pool(FILE *f, const struct ike_pool *p, time_t now)
{
	char prefix[64], addr[INET6_ADDRSTRLEN], id[IKE_MAX_ID + 1];
	uint8_t a[16];
	unsigned int i;

	pool_format(p, prefix, sizeof(prefix));
	fprintf(f, "  pool %s: %u addresses, %u online, %u leased\n", prefix, p->size,
		pool_online(p), p->n_leases);
	for (i = 0; i < p->n_leases; i++) {
		const struct pool_lease *l = &p->leases[i];

		pool_lease_addr(p, l, a);
		ike_id_format(l->key[0], l->key + 1, l->key_len - 1, id, sizeof(id));
		fprintf(f, "    %s  '%s'  %s", inet_ntop(p->family, a, addr, sizeof(addr)), id,
			l->online ? "online" : "offline");
		if (!l->online)
			fprintf(f, " for %lds", (long)(now - l->released));
		fputc('\n', f);
	}
}

/* Each pool, and its leases with their clients. */
static void leases(FILE *f)
{
	const struct ike_conn *c;
	time_t now = time(NULL);
	unsigned int n = 0;

	for (c = iked.conf.conns; c; c = c->next) {
		if (!c->pool4 && !c->pool6)
			continue;
		n++;
		fprintf(f, "%s:\n", c->name);
		if (c->pool4)
			list_pool(f, c->pool4, now);
		if (c->pool6)
			list_pool(f, c->pool6, now);
	}
	if (!n)
		fprintf(f, "no connection has a pool\n");
}

static void list(FILE *f)
{
	const struct ike_sa *sa;
	const struct child_sa *c;
	time_t now = time(NULL);
	char a[64], b[64], id[IKE_MAX_ID + 1], alg[256];
	unsigned int i = 0;

	for (sa = iked.sas; sa; sa = sa->next) {
		if (sa->state == IKE_S_DEAD)
			continue;
		i++;
		fprintf(f, "%s: #%u, %s, IKEv2, %016llx_i%s %016llx_r%s\n",
			sa->conn->name, i, ctl_state_name(sa->state),
			ike_spi64(sa->spi_i),
			sa->initiator ? "*" : "",
			ike_spi64(sa->spi_r),
			sa->initiator ? "" : "*");
		ike_id_format(sa->conn->local_id.type, sa->conn->local_id.data,
			      sa->conn->local_id.len, id, sizeof(id));
		fprintf(f, "  local  '%s' @ %s\n", id,
			sockaddr_str(&sa->local, a, sizeof(a)));
		if (sa->peer_id_len)
			ike_id_format(sa->peer_id_type, sa->peer_id,
				      sa->peer_id_len, id, sizeof(id));
		else
			snprintf(id, sizeof(id), "%%any");
		fprintf(f, "  remote '%s' @ %s%s\n", id,
			sockaddr_str(&sa->remote, b, sizeof(b)),
			sa->nat_local || sa->nat_remote ? " (NAT-T)" : "");
		if (sa->state >= IKE_S_AUTH_SENT) {
			suite_format(&sa->suite, IKE_PROTO_IKE, alg, sizeof(alg));
			fprintf(f, "  %s\n", alg);
		}
		if (sa->state == IKE_S_ESTABLISHED)
			fprintf(f, "  established %lds ago, rekeying in %lds, %llu bytes in, %llu bytes out (IKE)\n",
				(long)(now - sa->created),
				(long)(sa->rekey_at > now ? sa->rekey_at - now : 0),
				(unsigned long long)sa->bytes_in,
				(unsigned long long)sa->bytes_out);
		if (sa->state == IKE_S_ESTABLISHED)
			list_auth(f, sa);
		list_vips(f, sa);
		for (c = sa->children; c; c = c->next)
			list_child(f, sa, c, now);
	}
	if (!i)
		fprintf(f, "no IKE SAs\n");
}

static struct ike_sa *established_sa(const struct ike_conn *conn)
{
	struct ike_sa *sa;

	for (sa = iked.sas; sa; sa = sa->next)
		if (sa->conn == conn && sa->state != IKE_S_DEAD &&
		    sa->state != IKE_S_DELETING)
			return sa;
	return NULL;
}

/*
 * ipsecctl ike up's question while it waits: where @conn stands ("up": an
 * IKE SA with a CHILD SA installed; "connecting"; "down": no IKE SA left)
 * and its log lines after @seq.
 */
static void watch(const struct ike_conn *conn, unsigned long seq, FILE *f)
{
	const char *state = "down";
	const struct child_sa *c;
	const struct ike_sa *sa;

	for (sa = iked.sas; sa && strcmp(state, "up"); sa = sa->next) {
		if (sa->conn != conn || sa->state == IKE_S_DEAD || sa->state == IKE_S_DELETING)
			continue;
		state = "connecting";
		for (c = sa->children; c; c = c->next)
			if (sa->state == IKE_S_ESTABLISHED && c->state == CHILD_S_INSTALLED)
				state = "up";
	}
	fprintf(f, "state %s\n", state);
	fprintf(f, "seq %lu\n", conn_log_since(conn, seq, f));
}

/* Rekeys the IKE SA of @conn now (when the window allows). */
static bool rekey_ike(const struct ike_conn *conn, FILE *f)
{
	struct ike_sa *sa;

	for (sa = iked.sas; sa; sa = sa->next) {
		if (sa->conn != conn || sa->state != IKE_S_ESTABLISHED ||
		    sa->rekeyed)
			continue;
		if (!sa->new_ike && ike_rekey(sa))
			sa->rekey_at = time(NULL);	/* the tick tries again */
		fprintf(f, "%s: rekeying IKE SA %016llx\n", conn->name,
			ike_spi64(ike_sa_our_spi(sa)));
		return true;
	}
	fprintf(f, "%s has no IKE SA to rekey\n", conn->name);
	return false;
}

/* Rekeys the CHILD SAs of @conn now (when the window allows). */
static bool rekey(const struct ike_conn *conn, FILE *f)
{
	struct ike_sa *sa;
	struct child_sa *c;
	unsigned int n = 0;

	for (sa = iked.sas; sa; sa = sa->next) {
		if (sa->conn != conn || sa->state != IKE_S_ESTABLISHED || sa->rekeyed)
			continue;
		for (c = sa->children; c; c = c->next) {
			if (c->state != CHILD_S_INSTALLED)
				continue;
			if (child_rekey(sa, c)) {
				c->rekey_due = true;
				c->rekey_after = 0;
			}
			n++;
		}
	}
	if (!n) {
		fprintf(f, "%s has no CHILD SA to rekey\n", conn->name);
		return false;
	}
	fprintf(f, "%s: rekeying %u CHILD SA(s)\n", conn->name, n);
	return true;
}

/* Ends @sa, telling the peer; its CHILD SAs stop carrying traffic now. */
static void take_down(struct ike_sa *sa)
{
	struct child_sa *c;

	if (sa->state == IKE_S_ESTABLISHED) {
		ike_send_delete_ike(sa);
		if (sa->state == IKE_S_DELETING) {
			for (c = sa->children; c; c = c->next)
				child_uninstall(sa, c);
			return;
		}
	}
	ike_sa_down(sa, "taken down by the administrator");
}

/* down NAME WHO: the IKE SA of @conn that ike list numbers #N, or whose
 * peer has the identity @who.
 */
static bool down_one(struct ike_conn *conn, const char *who, FILE *f)
{
	char id[IKE_MAX_ID + 1];
	unsigned int i = 0, num = 0, taken = 0;
	struct ike_sa *sa;

	if (who[0] == '#')
		num = (unsigned int)strtoul(who + 1, NULL, 10);
	for (sa = iked.sas; sa; sa = sa->next) {
		if (sa->state == IKE_S_DEAD)
			continue;
		i++;
		if (sa->conn != conn || sa->state == IKE_S_DELETING)
			continue;
		ike_id_format(sa->peer_id_type, sa->peer_id, sa->peer_id_len, id, sizeof(id));
		if (num ? i == num : (sa->peer_id_len && !strcmp(id, who))) {
			take_down(sa);
			taken++;
		}
	}
	if (!taken) {
		fprintf(f, "%s has no IKE SA %s%s\n", conn->name, num ? "" : "of ", who);
		return false;
	}
	fprintf(f, "%s: %s going down\n", conn->name, who);
	return true;
}

/* ipsecctl ike log LEVEL: iked's log level, at run time (as -v at start). */
static bool set_log_level(const char *level, FILE *f)
{
	const char *was = ike_verbose ? "debug" : "info";

	if (strcmp(level, "info") && strcmp(level, "debug")) {
		fprintf(f, "log level \"%s\" is unknown: info or debug\n", level);
		return false;
	}
	ike_verbose = !strcmp(level, "debug");
	fprintf(f, "log level %s (was %s)\n", level, was);
	ike_log(NULL, "log level %s (was %s), by ipsecctl ike log", level, was);
	return true;
}

bool ctl_command(const char *line, FILE *f)
{
	char verb[16] = "", name[IKE_NAME_MAX] = "", what[IKE_MAX_ID + 1] = "";
	struct ike_conn *conn = NULL;
	unsigned long seq;
	struct ike_sa *sa;
	bool json;
	int n;

	/* "json LISTING": list, conns, leases and certs as JSON. */
	json = !strncmp(line, "json ", 5);
	n = sscanf(line + (json ? 5 : 0), "%15s %63s %256[^\n]", verb, name, what);
	if (json && (n != 1 || (strcmp(verb, "list") && strcmp(verb, "conns") &&
				strcmp(verb, "leases") && strcmp(verb, "certs")))) {
		fprintf(f, "no JSON for \"%s\": list, conns, leases and certs have it\n", line + 5);
		return false;
	}
	if (n == 3 && !strcmp(verb, "rekey") && !strcmp(what, "ike"))
		n = 2;
	if (n == 3 && !strcmp(verb, "watch")) {
		conn = config_find(&iked.conf, name);
		if (!conn) {
			fprintf(f, "no connection \"%s\" in %s\n", name, iked.conf_path);
			return false;
		}
		watch(conn, strtoul(what, NULL, 10), f);
		return true;
	}
	if (n == 3 && !strcmp(verb, "down")) {
		conn = config_find(&iked.conf, name);
		if (!conn) {
			fprintf(f, "no connection \"%s\" in %s\n", name, iked.conf_path);
			return false;
		}
		return down_one(conn, what, f);
	}
	if (n == 2 && !strcmp(verb, "log"))
		return set_log_level(name, f);
	if (n == 2)
		conn = config_find(&iked.conf, name);
	if (n == 1 && !strcmp(verb, "list")) {
		(json ? ctl_json_list : list)(f);
		return true;
	}
	if (n == 1 && !strcmp(verb, "certs")) {
		(json ? ctl_json_certs : certs)(f);
		return true;
	}
	if (n == 1 && !strcmp(verb, "leases")) {
		(json ? ctl_json_leases : leases)(f);
		return true;
	}
	if (n == 1 && !strcmp(verb, "conns")) {
		const struct ike_conn *c;

		if (json) {
			ctl_json_conns(f);
			return true;
		}
		for (c = iked.conf.conns; c; c = c->next)
			conn_show(f, c);
		return true;
	}
	if (n == 1 && !strcmp(verb, "reload"))
		return reload_fn(f);
	if (n != 2 || (strcmp(verb, "up") && strcmp(verb, "down") &&
		       strcmp(verb, "rekey"))) {
		fprintf(f, "unknown command \"%s\": list, conns, certs, leases, up NAME, down NAME, rekey NAME [ike], reload or log LEVEL\n",
			line);
		return false;
	}
	if (!conn) {
		fprintf(f, "no connection \"%s\" in %s\n", name, iked.conf_path);
		return false;
	}
	sa = established_sa(conn);
	if (!strcmp(verb, "rekey"))
		return *what ? rekey_ike(conn, f) : rekey(conn, f);
	if (!strcmp(verb, "up")) {
		if (!conn_one_peer(conn)) {
			fprintf(f, "%s answers clients of many addresses (remote is a prefix or %%any): it cannot start\n",
				name);
			return false;
		}
		if (sa) {
			fprintf(f, "%s is already up (or coming up)\n", name);
			return true;
		}
		seq = conn_log_seq(conn);	/* where ipsecctl's watch starts */
		if (ike_initiate(conn, NULL, NULL)) {
			fprintf(f, "%s: cannot start the negotiation\n", name);
			return false;
		}
		fprintf(f, "%s: negotiating with the peer\nseq %lu\n", name, seq);
		return true;
	}
	if (!sa) {
		fprintf(f, "%s is not up\n", name);
		return true;
	}
	for (; sa; sa = established_sa(conn))
		take_down(sa);
	fprintf(f, "%s: going down\n", name);
	return true;
}

void ctl_accept(void)
{
	char line[400], *body = NULL;
	size_t body_len = 0;
	ssize_t len;
	FILE *f;
	bool ok;
	int fd;

	fd = accept4(listen_fd, NULL, NULL, SOCK_CLOEXEC);
	if (fd < 0)
		return;
	/* One short line; a client that sends nothing in time is dropped. */
	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO,
		   &(struct timeval){ .tv_sec = 1 }, sizeof(struct timeval));
	len = recv(fd, line, sizeof(line) - 1, 0);
	if (len <= 0) {
		close(fd);
		return;
	}
	line[len] = '\0';
	line[strcspn(line, "\r\n")] = '\0';
	f = open_memstream(&body, &body_len);
	if (!f) {
		close(fd);
		return;
	}
	ok = ctl_command(line, f);
	fclose(f);
	if (write(fd, ok ? "OK\n" : "ERR\n", ok ? 3 : 4) > 0 && body_len)
		if (write(fd, body, body_len) < 0)
			ike_debug(NULL, "control client went away");
	free(body);
	close(fd);
}
