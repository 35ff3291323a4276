// SPDX-License-Identifier: GPL-2.0
/* A connection's certificate, key and trust, as iked.conf names them. */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/x509v3.h>

#include "creds.h"

#define EXPIRY_WARN_SECS	(30 * 86400)

struct ike_creds *creds_new(void)
{
	struct ike_creds *c = calloc(1, sizeof(*c));

	if (c && certs_trust_init(&c->trust)) {
		free(c);
		return NULL;
	}
	if (c)
		c->send_cert = true;
	return c;
}

void creds_free(struct ike_creds *c)
{
	if (!c)
		return;
	X509_free(c->cert);
	sk_X509_pop_free(c->chain, X509_free);
	EVP_PKEY_free(c->key);
	X509_free(c->peer_cert);
	certs_trust_free(&c->trust);
	free(c);
}

static int once(const char *what, const void *already, char *err, size_t errlen)
{
	if (!already)
		return 0;
	snprintf(err, errlen, "%s given twice", what);
	return -1;
}

int creds_set_cert(struct ike_creds *c, const char *path, char *err, size_t errlen)
{
	if (once("cert", c->cert, err, errlen))
		return -1;
	c->cert = certs_load_cert(path, err, errlen);
	if (!c->cert || certs_load_chain(path, &c->chain, err, errlen))
		return -1;
	snprintf(c->cert_path, sizeof(c->cert_path), "%s", path);
	return 0;
}

int creds_set_key(struct ike_creds *c, const char *path, char *err, size_t errlen)
{
	if (once("key", c->key, err, errlen))
		return -1;
	c->key = certs_load_key(path, err, errlen);
	if (!c->key)
		return -1;
	snprintf(c->key_path, sizeof(c->key_path), "%s", path);
	return 0;
}

int creds_set_peer_cert(struct ike_creds *c, const char *path, char *err,
			size_t errlen)
{
	if (once("remote_cert", c->peer_cert, err, errlen))
		return -1;
	c->peer_cert = certs_load_cert(path, err, errlen);
	if (!c->peer_cert)
		return -1;
	snprintf(c->peer_cert_path, sizeof(c->peer_cert_path), "%s", path);
	return 0;
}

/* Calls @add for each comma-separated path of @paths, blanks trimmed. */
static int each_path(struct ike_creds *c, const char *paths, char *record, size_t reclen,
		     int (*add)(struct ike_trust *, const char *, char *, size_t),
		     char *err, size_t errlen)
{
	char *copy = strdup(paths), *save = NULL, *p, *end;
	int ret = 0;

	if (!copy) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	for (p = strtok_r(copy, ",", &save); p && !ret; p = strtok_r(NULL, ",", &save)) {
		while (*p == ' ' || *p == '\t')
			p++;
		end = p + strlen(p);
		while (end > p && (end[-1] == ' ' || end[-1] == '\t'))
			*--end = '\0';
		if (*p)
			ret = add(&c->trust, p, err, errlen);
	}
	free(copy);
	if (!ret)
		snprintf(record + strlen(record), reclen - strlen(record), "%s%s",
			 *record ? "," : "", paths);
	return ret;
}

int creds_add_cas(struct ike_creds *c, const char *paths, char *err, size_t errlen)
{
	if (each_path(c, paths, c->ca_paths, sizeof(c->ca_paths), certs_trust_add_cas,
		      err, errlen))
		return -1;
	c->have_ca = true;
	return 0;
}

int creds_add_crls(struct ike_creds *c, const char *paths, char *err, size_t errlen)
{
	return each_path(c, paths, c->crl_paths, sizeof(c->crl_paths),
			 certs_trust_add_crls, err, errlen);
}

int creds_check(const struct ike_creds *c, enum ike_auth_kind ours,
		enum ike_auth_kind theirs, time_t now, char *err, size_t errlen,
		char *warn, size_t warnlen)
{
	char subject[256];
	int days;

	*warn = '\0';
	if (ours == IKE_AUTH_BY_PUBKEY) {
		if (!c || !c->cert || !c->key) {
			snprintf(err, errlen, "auth = pubkey needs cert and key");
			return -1;
		}
		certs_name(X509_get_subject_name(c->cert), subject, sizeof(subject));
		if (X509_check_private_key(c->cert, c->key) != 1) {
			snprintf(err, errlen, "key %s is not the key of cert %s (\"%s\")",
				 c->key_path, c->cert_path, subject);
			return -1;
		}
		if (c->have_ca &&
		    certs_verify(&c->trust, c->cert, c->chain, now, err, errlen))
			return -1;
		if (X509_cmp_time(X509_get0_notAfter(c->cert), &(time_t){ now + EXPIRY_WARN_SECS }) < 0 &&
		    ASN1_TIME_diff(&days, &(int){ 0 }, NULL, X509_get0_notAfter(c->cert)))
			snprintf(warn, warnlen, "cert %s (\"%s\") expires in %d day(s)",
				 c->cert_path, subject, days);
	} else if (c && (c->cert || c->key)) {
		snprintf(err, errlen, "cert and key are for auth = pubkey");
		return -1;
	}
	if (theirs == IKE_AUTH_BY_PUBKEY && (!c || (!c->have_ca && !c->peer_cert))) {
		snprintf(err, errlen, "remote_auth = pubkey needs ca (the peer's certificate must chain to one) or remote_cert");
		return -1;
	}
	if (theirs != IKE_AUTH_BY_PUBKEY && c && (c->have_ca || *c->crl_paths || c->peer_cert)) {
		snprintf(err, errlen, "ca, crl and remote_cert are for remote_auth = pubkey");
		return -1;
	}
	/* A pinned certificate is checked like one that came, when it can be. */
	if (theirs == IKE_AUTH_BY_PUBKEY && c->peer_cert && c->have_ca &&
	    certs_verify(&c->trust, c->peer_cert, NULL, now, err, errlen))
		return -1;
	return 0;
}

bool creds_same(const struct ike_creds *a, const struct ike_creds *b)
{
	if (!a || !b)
		return a == b;
	if (!a->cert != !b->cert || !a->key != !b->key)
		return false;
	if (!a->peer_cert != !b->peer_cert || a->send_cert != b->send_cert ||
	    (a->peer_cert && X509_cmp(a->peer_cert, b->peer_cert)))
		return false;
	return !strcmp(a->cert_path, b->cert_path) && !strcmp(a->key_path, b->key_path) &&
	       !strcmp(a->ca_paths, b->ca_paths) && !strcmp(a->crl_paths, b->crl_paths) &&
	       (!a->cert || !X509_cmp(a->cert, b->cert)) &&
	       (!a->key || EVP_PKEY_eq(a->key, b->key) == 1);
}
