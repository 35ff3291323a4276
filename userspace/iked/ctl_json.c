// SPDX-License-Identifier: GPL-2.0
/*
 * `ipsecctl -j ike list | list-conns | leases | certs`: what ctl.c and conn_show.c
 * say for people, as JSON (one array, keys stable, numbers as numbers).
 */
#include <arpa/inet.h>
#include <stdio.h>
#include <time.h>

#include <openssl/x509.h>

#include "../lib/util.h"
#include "certs.h"
#include "creds.h"
#include "ctl.h"
#include "ike.h"
#include "kernel.h"
#include "pool.h"
#include "proposal.h"

static void put_str(FILE *f, const char *key, const char *v, bool comma)
{
	fprintf(f, "%s\"%s\":", comma ? "," : "", key);
	json_print_string(f, v);
}

/* An address and port, as {"address": ..., "port": ...}. */
static void put_endpoint(FILE *f, const char *key, const char *id,
			 const struct sockaddr_storage *ss)
{
	char a[INET6_ADDRSTRLEN];
	size_t alen;

	inet_ntop(ss->ss_family, sockaddr_addr(ss, &alen), a, sizeof(a));
	fprintf(f, ",\"%s\":{", key);
	put_str(f, "id", id, false);
	put_str(f, "address", a, true);
	fprintf(f, ",\"port\":%u}", sockaddr_port(ss));
}

static void put_ts(FILE *f, const char *key, const struct ike_ts *ts, unsigned int n)
{
	char s[256];
	unsigned int i;

	fprintf(f, ",\"%s\":[", key);
	for (i = 0; i < n; i++) {
		ike_ts_format(&ts[i], 1, s, sizeof(s));
		if (i)
			fputc(',', f);
		json_print_string(f, s);
	}
	fputc(']', f);
}

static void put_child(FILE *f, const struct ike_sa *sa, const struct child_sa *c, time_t now)
{
	uint64_t in_bytes = 0, in_pkts = 0, out_bytes = 0, out_pkts = 0;
	char alg[256];
	size_t alen;

	suite_format(&c->suite, IKE_PROTO_ESP, alg, sizeof(alg));
	kernel_sa_use(sa->local.ss_family, sockaddr_addr(&sa->local, &alen), c->spi_in,
		      &in_bytes, &in_pkts);
	if (!c->out_pending)
		kernel_sa_use(sa->remote.ss_family, sockaddr_addr(&sa->remote, &alen),
			      c->spi_out, &out_bytes, &out_pkts);
	fprintf(f, "{\"reqid\":%u", c->reqid);
	put_str(f, "state", ctl_child_state_name(c->state), true);
	put_str(f, "mode", c->tunnel ? "tunnel" : "transport", true);
	fprintf(f, ",\"encap\":%s", c->encap ? "true" : "false");
	put_str(f, "esp", alg, true);
	fprintf(f, ",\"installed_secs\":%ld", (long)(now - c->created));
	if (c->if_id)
		fprintf(f, ",\"if_id\":%u", c->if_id);
	fprintf(f, ",\"spi_in\":%u,\"spi_out\":%u,\"in_bytes\":%llu,\"in_packets\":%llu,"
		"\"out_bytes\":%llu,\"out_packets\":%llu,\"out_pending\":%s",
		c->spi_in, c->spi_out, (unsigned long long)in_bytes,
		(unsigned long long)in_pkts, (unsigned long long)out_bytes,
		(unsigned long long)out_pkts, c->out_pending ? "true" : "false");
	put_ts(f, "local_ts", c->ts_local, c->n_ts_local);
	put_ts(f, "remote_ts", c->ts_remote, c->n_ts_remote);
	fputc('}', f);
}

void ctl_json_list(FILE *f)
{
	char id[IKE_MAX_ID + 1], alg[256], spi[20], a[INET6_ADDRSTRLEN];
	const struct child_sa *c;
	const struct ike_sa *sa;
	time_t now = time(NULL);
	unsigned int i = 0;

	fputc('[', f);
	for (sa = iked.sas; sa; sa = sa->next) {
		if (sa->state == IKE_S_DEAD)
			continue;
		fprintf(f, "%s{", i++ ? "," : "");
		put_str(f, "name", sa->conn->name, false);
		fprintf(f, ",\"number\":%u", i);
		put_str(f, "state", ctl_state_name(sa->state), true);
		fprintf(f, ",\"initiator\":%s", sa->initiator ? "true" : "false");
		snprintf(spi, sizeof(spi), "%016llx", ike_spi64(sa->spi_i));
		put_str(f, "spi_i", spi, true);
		snprintf(spi, sizeof(spi), "%016llx", ike_spi64(sa->spi_r));
		put_str(f, "spi_r", spi, true);
		ike_id_format(sa->conn->local_id.type, sa->conn->local_id.data,
			      sa->conn->local_id.len, id, sizeof(id));
		put_endpoint(f, "local", id, &sa->local);
		if (sa->peer_id_len)
			ike_id_format(sa->peer_id_type, sa->peer_id, sa->peer_id_len, id,
				      sizeof(id));
		else
			snprintf(id, sizeof(id), "%%any");
		put_endpoint(f, "remote", id, &sa->remote);
		fprintf(f, ",\"nat\":%s", sa->nat_local || sa->nat_remote ? "true" : "false");
		if (sa->state >= IKE_S_AUTH_SENT) {
			suite_format(&sa->suite, IKE_PROTO_IKE, alg, sizeof(alg));
			put_str(f, "ike", alg, true);
		}
		if (sa->state == IKE_S_ESTABLISHED)
			fprintf(f, ",\"established_secs\":%ld,\"rekey_in_secs\":%ld,"
				"\"bytes_in\":%llu,\"bytes_out\":%llu",
				(long)(now - sa->created),
				(long)(sa->rekey_at > now ? sa->rekey_at - now : 0),
				(unsigned long long)sa->bytes_in,
				(unsigned long long)sa->bytes_out);
		fputs(",\"vips\":[", f);
		if (sa->has_vip4)
			fprintf(f, "\"%s\"", inet_ntop(AF_INET, sa->vip4, a, sizeof(a)));
		if (sa->has_vip6)
			fprintf(f, "%s\"%s\"", sa->has_vip4 ? "," : "",
				inet_ntop(AF_INET6, sa->vip6, a, sizeof(a)));
		fputs("],\"children\":[", f);
		for (c = sa->children; c; c = c->next) {
			if (c != sa->children)
				fputc(',', f);
			put_child(f, sa, c, now);
		}
		fputs("]}", f);
	}
	fputs("]\n", f);
}

static void put_pool(FILE *f, const struct ike_pool *p, time_t now, bool comma)
{
	char prefix[64], addr[INET6_ADDRSTRLEN], id[IKE_MAX_ID + 1];
	uint8_t a[16];
	unsigned int i;

	pool_format(p, prefix, sizeof(prefix));
	fprintf(f, "%s{", comma ? "," : "");
	put_str(f, "prefix", prefix, false);
	fprintf(f, ",\"size\":%u,\"online\":%u,\"leased\":%u,\"leases\":[", p->size,
		pool_online(p), p->n_leases);
	for (i = 0; i < p->n_leases; i++) {
		const struct pool_lease *l = &p->leases[i];

		pool_lease_addr(p, l, a);
		ike_id_format(l->key[0], l->key + 1, l->key_len - 1, id, sizeof(id));
		fprintf(f, "%s{", i ? "," : "");
		put_str(f, "address", inet_ntop(p->family, a, addr, sizeof(addr)), false);
		put_str(f, "id", id, true);
		fprintf(f, ",\"online\":%s", l->online ? "true" : "false");
		if (!l->online)
			fprintf(f, ",\"offline_secs\":%ld", (long)(now - l->released));
		fputc('}', f);
	}
	fputs("]}", f);
}

void ctl_json_leases(FILE *f)
{
	const struct ike_conn *c;
	time_t now = time(NULL);
	unsigned int n = 0;

	fputc('[', f);
	for (c = iked.conf.conns; c; c = c->next) {
		if (!c->pool4 && !c->pool6)
			continue;
		fprintf(f, "%s{", n++ ? "," : "");
		put_str(f, "name", c->name, false);
		fputs(",\"pools\":[", f);
		if (c->pool4)
			put_pool(f, c->pool4, now, false);
		if (c->pool6)
			put_pool(f, c->pool6, now, c->pool4 != NULL);
		fputs("]}", f);
	}
	fputs("]\n", f);
}

static void put_proposals(FILE *f, const char *key, const struct ike_proposal *p,
			  unsigned int n)
{
	char s[512];
	unsigned int i;

	fprintf(f, ",\"%s\":[", key);
	for (i = 0; i < n; i++) {
		proposal_format(&p[i], s, sizeof(s));
		if (i)
			fputc(',', f);
		json_print_string(f, s);
	}
	fputc(']', f);
}

static void put_id(FILE *f, const char *key, const struct ike_id *id)
{
	char s[IKE_MAX_ID + 1] = "%any";

	if (id->len)
		ike_id_format(id->type, id->data, id->len, s, sizeof(s));
	put_str(f, key, s, true);
}

void ctl_json_conns(FILE *f)
{
	struct ike_ts l[IKE_MAX_TS], r[IKE_MAX_TS];
	const struct ike_conn *c;
	unsigned int nl, nr;
	char a[INET6_ADDRSTRLEN + 8];

	fputc('[', f);
	for (c = iked.conf.conns; c; c = c->next) {
		fprintf(f, "%s{", c == iked.conf.conns ? "" : ",");
		put_str(f, "name", c->name, false);
		conn_addr_format(&c->local, c->local.ss_family == AF_INET ? 32 : 128, a, sizeof(a));
		put_str(f, "local", a, true);
		conn_addr_format(&c->remote, c->remote_prefix, a, sizeof(a));
		put_str(f, "remote", a, true);
		put_id(f, "local_id", &c->local_id);
		put_id(f, "remote_id", &c->remote_id);
		put_str(f, "auth", conn_auth_word(c->auth), true);
		put_str(f, "remote_auth", conn_auth_word(c->remote_auth), true);
		put_str(f, "start", conn_start_word(c->start), true);
		fprintf(f, ",\"encap\":%s", c->encap ? "true" : "false");
		put_proposals(f, "ike", c->ike, c->n_ike);
		put_proposals(f, "esp", c->esp, c->n_esp);
		fprintf(f, ",\"ike_lifetime\":%u,\"lifetime\":%u,\"dpd\":%u,\"fragment_size\":%u",
			c->ike_lifetime, c->lifetime, c->dpd, c->fragment_size);
		put_str(f, "mode", c->tunnel ? "tunnel" : "transport", true);
		child_our_ts(c, l, &nl, r, &nr);
		put_ts(f, "local_ts", l, nl);
		put_ts(f, "remote_ts", r, nr);
		if (c->if_id)
			fprintf(f, ",\"if_id\":%u", c->if_id);
		if (c->interface[0])
			put_str(f, "interface", c->interface, true);
		fputc('}', f);
	}
	fputs("]\n", f);
}

/* An ASN1 time as "YYYY-MM-DDTHH:MM:SSZ", or null. */
static void put_asn1_time(FILE *f, const char *key, const ASN1_TIME *t)
{
	char buf[32];
	struct tm tm;

	fprintf(f, ",\"%s\":", key);
	if (t && ASN1_TIME_to_tm(t, &tm) && strftime(buf, sizeof(buf), "%Y-%m-%dT%H:%M:%SZ", &tm))
		json_print_string(f, buf);
	else
		fputs("null", f);
}

static void put_cert_json(FILE *f, const char *role, X509 *c, bool *first)
{
	char name[256];

	fprintf(f, "%s{", *first ? "" : ",");
	*first = false;
	put_str(f, "role", role, false);
	certs_name(X509_get_subject_name(c), name, sizeof(name));
	put_str(f, "subject", name, true);
	certs_name(X509_get_issuer_name(c), name, sizeof(name));
	put_str(f, "issuer", name, true);
	put_asn1_time(f, "not_before", X509_get0_notBefore(c));
	put_asn1_time(f, "not_after", X509_get0_notAfter(c));
	fputc('}', f);
}

void ctl_json_certs(FILE *f)
{
	STACK_OF(X509_OBJECT) *objs;
	const struct ike_conn *c;
	bool first_conn = true, first;
	char issuer[256];
	unsigned int k;
	int i;

	fputc('[', f);
	for (c = iked.conf.conns; c; c = c->next) {
		if (!c->creds)
			continue;
		fprintf(f, "%s{", first_conn ? "" : ",");
		first_conn = false;
		put_str(f, "name", c->name, false);
		fputs(",\"certs\":[", f);
		first = true;
		for (k = 0; k < c->creds->n_own; k++) {
			const struct ike_own_cert *o = &c->creds->own[k];

			put_cert_json(f, "cert", o->cert, &first);
			for (i = 0; i < sk_X509_num(o->chain); i++)
				put_cert_json(f, "chain", sk_X509_value(o->chain, i), &first);
		}
		for (i = 0; i < sk_X509_num(c->creds->trust.cas); i++)
			put_cert_json(f, "ca", sk_X509_value(c->creds->trust.cas, i), &first);
		fputs("],\"crls\":[", f);
		first = true;
		objs = X509_STORE_get0_objects(c->creds->trust.store);
		for (i = 0; i < sk_X509_OBJECT_num(objs); i++) {
			X509_CRL *crl = X509_OBJECT_get0_X509_CRL(sk_X509_OBJECT_value(objs, i));

			if (!crl)
				continue;
			fprintf(f, "%s{", first ? "" : ",");
			first = false;
			certs_name(X509_CRL_get_issuer(crl), issuer, sizeof(issuer));
			put_str(f, "issuer", issuer, false);
			fprintf(f, ",\"revoked\":%d", sk_X509_REVOKED_num(X509_CRL_get_REVOKED(crl)));
			put_asn1_time(f, "updated", X509_CRL_get0_lastUpdate(crl));
			put_asn1_time(f, "next", X509_CRL_get0_nextUpdate(crl));
			fputc('}', f);
		}
		fputs("]}", f);
	}
	fputs("]\n", f);
}
