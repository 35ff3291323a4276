// SPDX-License-Identifier: GPL-2.0
/*
 * What a section of iked.conf holds as a whole, once its keys are read:
 * defaults that follow from other keys, and the checks that need several.
 */
#include <string.h>
#include <time.h>

#include "certs.h"
#include "conf_loader.h"
#include "conf_values.h"
#include "frag.h"
#include "ike.h"
#include "ikev2.h"

/* @ss's address bytes, of the family it has or would have (not yet read). */
static const uint8_t *ss_addr(const struct sockaddr_storage *ss)
{
	if (ss->ss_family == AF_INET)
		return (const uint8_t *)&((const struct sockaddr_in *)ss)->sin_addr;
	return (const uint8_t *)&((const struct sockaddr_in6 *)ss)->sin6_addr;
}

static void id_from_addr(struct ike_id *id, const struct sockaddr_storage *ss)
{
	id->type = ss->ss_family == AF_INET ? IKE_ID_IPV4_ADDR : IKE_ID_IPV6_ADDR;
	id->len = conf_addr_len(ss->ss_family);
	memcpy(id->data, ss_addr(ss), id->len);
}

static unsigned int later(unsigned int a, unsigned int b)
{
	return a > b ? a : b;
}

void conf_conn_defaults(struct ike_conn *c)
{
	c->tunnel = true;
	c->ike_lifetime = IKE_DEFAULT_IKE_LIFETIME;
	c->lifetime = IKE_DEFAULT_LIFETIME;
	c->dpd = IKE_DEFAULT_DPD;
	c->start = IKE_START_NONE;
	c->fragment_size = FRAG_DEFAULT_SIZE;
}

/* A transport mode selector: the whole address. */
static void ts_from_addr(struct conf_ts *ts, const struct sockaddr_storage *ss)
{
	memset(ts, 0, sizeof(*ts));
	ts->family = ss->ss_family;
	ts->prefix_len = (uint8_t)(conf_addr_len(ts->family) * 8);
	memcpy(ts->addr, ss_addr(ss), conf_addr_len(ts->family));
}

static void finish_addrs(struct loader *ld, struct ike_conn *c)
{
	const unsigned int *kl = ld->key_line;

	if (!kl[K_LOCAL])
		conf_error(ld, c->line, "missing key 'local'");
	if (!kl[K_REMOTE])
		conf_error(ld, c->line, "missing key 'remote'");
	/* %any: any address of local's family. */
	if (ld->key_ok[K_LOCAL] && ld->key_ok[K_REMOTE] && !c->remote.ss_family)
		c->remote.ss_family = c->local.ss_family;
	if (ld->key_ok[K_LOCAL] && ld->key_ok[K_REMOTE] &&
	    c->local.ss_family != c->remote.ss_family)
		conf_error(ld, later(kl[K_LOCAL], kl[K_REMOTE]),
			   "local and remote are not the same address family");
	c->family = c->local.ss_family;
	if (!kl[K_LOCAL_ID] && ld->key_ok[K_LOCAL] && !c->local_id.len)
		id_from_addr(&c->local_id, &c->local);
	if (!ld->key_ok[K_REMOTE] || conn_one_peer(c)) {
		if (!kl[K_REMOTE_ID] && ld->key_ok[K_REMOTE])
			id_from_addr(&c->remote_id, &c->remote);
		if (kl[K_UNIQUE])
			conf_error(ld, kl[K_UNIQUE], "unique is for a remote of many peers (a prefix or %%any)");
		return;
	}
	/* A gateway of many peers answers them; it tells them apart by identity. */
	if (!kl[K_REMOTE_ID])
		conf_error(ld, kl[K_REMOTE],
			   "remote of many peers needs remote_id (a pattern such as *.example.org or O=Example, CN=*)");
	if (c->start != IKE_START_NONE)
		conf_error(ld, kl[K_START] ? kl[K_START] : kl[K_REMOTE],
			   "remote of many peers: start = none (iked answers them; it cannot start to them)");
}

/* pool, pool6 and dns: for a gateway of many peers in tunnel mode. */
static void finish_pools(struct loader *ld, struct ike_conn *c)
{
	const unsigned int *kl = ld->key_line;
	unsigned int line = kl[K_POOL] ? kl[K_POOL] : kl[K_POOL6];

	if (!line) {
		if (kl[K_DNS])
			conf_error(ld, kl[K_DNS], "dns is told to clients of pool or pool6");
		return;
	}
	if (ld->key_ok[K_REMOTE] && conn_one_peer(c))
		conf_error(ld, line, "pool and pool6 are for a remote of many peers (a prefix or %%any)");
	else if (!c->tunnel)
		conf_error(ld, line, "pool and pool6 need tunnel mode");
}

static void finish_psk(struct loader *ld, struct ike_conn *c)
{
	const unsigned int *kl = ld->key_line;

	bool needed = c->auth == IKE_AUTH_BY_PSK || c->remote_auth == IKE_AUTH_BY_PSK;

	if (kl[K_PSK] && kl[K_PSK_FILE])
		conf_error(ld, later(kl[K_PSK], kl[K_PSK_FILE]),
			   "psk and psk_file both given (give one)");
	else if (needed && !kl[K_PSK] && !kl[K_PSK_FILE])
		conf_error(ld, c->line, "missing key 'psk' (or 'psk_file')");
	else if (!needed && (kl[K_PSK] || kl[K_PSK_FILE]))
		conf_error(ld, later(kl[K_PSK], kl[K_PSK_FILE]),
			   "a psk is for auth = psk or remote_auth = psk; both sides here use pubkey");
}

/* The certificate's subject, as an ID_DER_ASN1_DN. */
static bool id_from_cert(struct ike_id *id, X509 *cert)
{
	unsigned char *p = id->data;
	int len = i2d_X509_NAME(X509_get_subject_name(cert), NULL);

	if (len <= 0 || (size_t)len > sizeof(id->data))
		return false;
	id->type = IKE_ID_DER_ASN1_DN;
	id->len = (size_t)i2d_X509_NAME(X509_get_subject_name(cert), &p);
	return true;
}

static void finish_creds(struct loader *ld, struct ike_conn *c)
{
	const unsigned int *kl = ld->key_line;
	char err[PATH_MAX + 512], warn[CREDS_MAX_CERTS * (PATH_MAX + 256)];
	char id[IKE_MAX_ID + 1];
	unsigned int i;

	if (!kl[K_REMOTE_AUTH])
		c->remote_auth = c->auth;
	/* A file that did not load is said already. */
	if ((kl[K_CERT] && !ld->key_ok[K_CERT]) || (kl[K_KEY] && !ld->key_ok[K_KEY]) ||
	    (kl[K_CA] && !ld->key_ok[K_CA]) || (kl[K_CRL] && !ld->key_ok[K_CRL]) ||
	    (kl[K_REMOTE_CERT] && !ld->key_ok[K_REMOTE_CERT]))
		return;
	if (kl[K_SEND_CERT] && c->auth != IKE_AUTH_BY_PUBKEY) {
		conf_error(ld, kl[K_SEND_CERT], "send_cert is for auth = pubkey");
		return;
	}
	if (kl[K_RSA_PSS] && c->auth != IKE_AUTH_BY_PUBKEY) {
		conf_error(ld, kl[K_RSA_PSS], "rsa_pss is for auth = pubkey");
		return;
	}
	if (creds_check(c->creds, c->auth, c->remote_auth, time(NULL), err, sizeof(err),
			warn, sizeof(warn))) {
		conf_error(ld, c->line, "%s", err);
		return;
	}
	if (*warn)
		conf_warn(ld, kl[K_CERT], "%s", warn);
	if (c->auth != IKE_AUTH_BY_PUBKEY)
		return;
	/* Our identity: the first certificate's subject, or one it carries;
	 * every other certificate must carry it too.
	 */
	if (!kl[K_LOCAL_ID] && !id_from_cert(&c->local_id, c->creds->own[0].cert)) {
		conf_error(ld, kl[K_CERT], "cert %s: its subject is too long for an ID",
			   c->creds->own[0].path);
		return;
	}
	if (kl[K_LOCAL_ID] && !ld->key_ok[K_LOCAL_ID])
		return;
	for (i = 0; i < c->creds->n_own; i++) {
		const struct ike_own_cert *o = &c->creds->own[i];

		if (certs_has_id(o->cert, c->local_id.type, c->local_id.data, c->local_id.len))
			continue;
		ike_id_format(c->local_id.type, c->local_id.data, c->local_id.len, id,
			      sizeof(id));
		conf_error(ld, kl[K_LOCAL_ID] ? kl[K_LOCAL_ID] : kl[K_CERT],
			   "%s '%s' is not in cert %s (its subject, or a subjectAltName of that kind)",
			   kl[K_LOCAL_ID] ? "local_id" : "the first cert's subject", id, o->path);
		return;
	}
}

/* Which families @ts has: 1 IPv4, 2 IPv6, 3 both. */
static unsigned int ts_families(const struct conf_ts *ts, unsigned int n)
{
	unsigned int i, f = 0;

	for (i = 0; i < n; i++)
		f |= ts[i].family == AF_INET ? 1 : 2;
	return f;
}

static void pool_ts(const struct ike_pool *p, struct conf_ts *ts)
{
	memset(ts, 0, sizeof(*ts));
	ts->family = p->family;
	memcpy(ts->addr, p->base, conf_addr_len(p->family));
	ts->prefix_len = (uint8_t)p->prefix_len;
}

/* Every address of both families. */
static void ts_any(struct conf_ts *ts, unsigned int *n)
{
	memset(ts, 0, 2 * sizeof(*ts));
	ts[0].family = AF_INET;
	ts[1].family = AF_INET6;
	*n = 2;
}

static void finish_ts(struct loader *ld, struct ike_conn *c)
{
	const unsigned int *kl = ld->key_line;
	bool lok = ld->key_ok[K_LOCAL_TS], rok = ld->key_ok[K_REMOTE_TS];
	bool device = kl[K_IF_ID] || kl[K_INTERFACE];

	/* A tunnel device's: open, both families; its routes decide. */
	if (device && !kl[K_LOCAL_TS]) {
		ts_any(c->local_ts, &c->n_local_ts);
		lok = true;
	}
	if (device && !kl[K_REMOTE_TS]) {
		ts_any(c->remote_ts, &c->n_remote_ts);
		rok = true;
	}
	/* The clients' side: their virtual addresses, when not given. */
	if (!kl[K_REMOTE_TS] && !c->n_remote_ts && (c->pool4 || c->pool6)) {
		if (c->pool4)
			pool_ts(c->pool4, &c->remote_ts[c->n_remote_ts++]);
		if (c->pool6)
			pool_ts(c->pool6, &c->remote_ts[c->n_remote_ts++]);
		if (kl[K_LOCAL_TS])
			return;
	}
	if (c->tunnel && ((!kl[K_LOCAL_TS] && !c->n_local_ts) ||
			  (!kl[K_REMOTE_TS] && !c->n_remote_ts))) {
		conf_error(ld, c->line, "tunnel mode needs local_ts and remote_ts");
		return;
	}
	if (!c->tunnel && !kl[K_LOCAL_TS] && ld->key_ok[K_LOCAL]) {
		ts_from_addr(&c->local_ts[0], &c->local);
		c->n_local_ts = 1;
		lok = true;
	}
	if (!c->tunnel && !kl[K_REMOTE_TS] && ld->key_ok[K_REMOTE]) {
		ts_from_addr(&c->remote_ts[0], &c->remote);
		c->remote_ts[0].prefix_len = c->remote_prefix;
		c->n_remote_ts = 1;
		rok = true;
	}
	/* Both defaults: "local and remote" said it already. Each family
	 * needs selectors on both sides (dual stack has both on both).
	 */
	if (lok && rok && (kl[K_LOCAL_TS] || kl[K_REMOTE_TS] || c->pool4 || c->pool6 || device) &&
	    ts_families(c->local_ts, c->n_local_ts) != ts_families(c->remote_ts, c->n_remote_ts))
		conf_error(ld, later(later(kl[K_LOCAL_TS], kl[K_REMOTE_TS]), c->line),
			   "%s", ts_families(c->local_ts, c->n_local_ts) == 3 ||
				 ts_families(c->remote_ts, c->n_remote_ts) == 3 ?
			   "local_ts and remote_ts do not have the same address families (each needs selectors on both sides)" :
			   "local_ts and remote_ts are not the same address family");
}



/* A connection on a route-based tunnel device (if_id or interface). */
static void finish_device(struct loader *ld, struct ike_conn *c)
{
	const unsigned int *kl = ld->key_line;
	unsigned int line = later(kl[K_IF_ID], kl[K_INTERFACE]);
	const char *key = kl[K_IF_ID] ? "if_id" : "interface";

	if (!line)
		return;
	if (kl[K_IF_ID] && kl[K_INTERFACE])
		conf_error(ld, line, "if_id and interface both given (give one)");
	if (!c->tunnel)
		conf_error(ld, later(line, kl[K_MODE]),
			   "%s needs mode = tunnel (a device carries whole packets)", key);
	/* The device sends on its newest SA: one peer only. */
	if (ld->key_ok[K_REMOTE] && !conn_one_peer(c))
		conf_error(ld, later(line, kl[K_REMOTE]),
			   "%s needs remote to be one peer's address, not a prefix or %%any",
			   key);
}

static void finish_ppk(struct loader *ld, struct ike_conn *c)
{
	const unsigned int *kl = ld->key_line;
	bool key = kl[K_PPK] || kl[K_PPK_FILE];

	if (kl[K_PPK] && kl[K_PPK_FILE])
		conf_error(ld, later(kl[K_PPK], kl[K_PPK_FILE]),
			   "ppk and ppk_file both given (give one)");
	else if (key != !!kl[K_PPK_ID])
		conf_error(ld, c->line, "a PPK needs ppk (or ppk_file) and ppk_id both");
	else if (kl[K_PPK_REQUIRED] && !key)
		conf_error(ld, kl[K_PPK_REQUIRED], "ppk_required without a ppk");
}

void conf_conn_finish(struct loader *ld, struct ike_conn *c)
{
	finish_creds(ld, c);
	finish_addrs(ld, c);
	finish_psk(ld, c);
	finish_ppk(ld, c);
	finish_pools(ld, c);
	finish_device(ld, c);
	finish_ts(ld, c);
	conf_default_proposals(ld, c);
}

void conf_conn_release(struct ike_conn *c)
{
	conn_log_free(c);
	creds_free(c->creds);
	c->creds = NULL;
	if (c->pool4)
		pool_free(c->pool4);
	if (c->pool6)
		pool_free(c->pool6);
	free(c->pool4);
	free(c->pool6);
	c->pool4 = c->pool6 = NULL;
}
