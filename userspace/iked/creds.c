// SPDX-License-Identifier: GPL-2.0
/* A connection's certificate, key and trust, as iked.conf names them. */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/err.h>
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
	unsigned int i;

	if (!c)
		return;
	for (i = 0; i < c->n_own; i++) {
		X509_free(c->own[i].cert);
		sk_X509_pop_free(c->own[i].chain, X509_free);
	}
	for (i = 0; i < c->n_keys; i++)
		EVP_PKEY_free(c->keys[i]);
	X509_free(c->peer_cert);
	sk_X509_pop_free(c->peer_chain, X509_free);
	certs_trust_free(&c->trust);
	free(c);
}

/* Calls @add for each comma-separated path of @paths, blanks trimmed. */
static int each_path(struct ike_creds *c, const char *paths, char *record, size_t reclen,
		     int (*add)(struct ike_creds *, const char *, char *, size_t),
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
			ret = add(c, p, err, errlen);
	}
	free(copy);
	if (!ret)
		snprintf(record + strlen(record), reclen - strlen(record), "%s%s",
			 *record ? "," : "", paths);
	return ret;
}

static int one_cert(struct ike_creds *c, const char *path, char *err, size_t errlen)
{
	struct ike_own_cert *o = &c->own[c->n_own];

	if (c->n_own == CREDS_MAX_CERTS) {
		snprintf(err, errlen, "more than %d certificates", CREDS_MAX_CERTS);
		return -1;
	}
	o->cert = certs_load_cert(path, err, errlen);
	if (!o->cert)
		return -1;
	c->n_own++;
	if (certs_load_chain(path, &o->chain, err, errlen))
		return -1;
	snprintf(o->path, sizeof(o->path), "%s", path);
	return 0;
}

static int one_key(struct ike_creds *c, const char *path, char *err, size_t errlen)
{
	if (c->n_keys == CREDS_MAX_CERTS) {
		snprintf(err, errlen, "more than %d keys", CREDS_MAX_CERTS);
		return -1;
	}
	c->keys[c->n_keys] = certs_load_key(path, err, errlen);
	if (!c->keys[c->n_keys])
		return -1;
	snprintf(c->key_path[c->n_keys++], sizeof(c->key_path[0]), "%s", path);
	return 0;
}

int creds_set_cert(struct ike_creds *c, const char *paths, char *err, size_t errlen)
{
	if (c->n_own) {
		snprintf(err, errlen, "cert given twice (several: cert = a.pem, b.pem)");
		return -1;
	}
	return each_path(c, paths, c->cert_paths, sizeof(c->cert_paths), one_cert, err,
			 errlen);
}

int creds_set_key(struct ike_creds *c, const char *paths, char *err, size_t errlen)
{
	if (c->n_keys) {
		snprintf(err, errlen, "key given twice (several: key = a.key, b.key)");
		return -1;
	}
	return each_path(c, paths, c->key_paths, sizeof(c->key_paths), one_key, err,
			 errlen);
}

int creds_set_peer_cert(struct ike_creds *c, const char *path, char *err,
			size_t errlen)
{
	if (c->peer_cert) {
		snprintf(err, errlen, "remote_cert given twice");
		return -1;
	}
	c->peer_cert = certs_load_cert(path, err, errlen);
	if (!c->peer_cert || certs_load_chain(path, &c->peer_chain, err, errlen))
		return -1;
	snprintf(c->peer_cert_path, sizeof(c->peer_cert_path), "%s", path);
	return 0;
}

static int add_cas(struct ike_creds *c, const char *path, char *err, size_t errlen)
{
	return certs_trust_add_cas(&c->trust, path, err, errlen);
}

static int add_crls(struct ike_creds *c, const char *path, char *err, size_t errlen)
{
	return certs_trust_add_crls(&c->trust, path, err, errlen);
}

int creds_add_cas(struct ike_creds *c, const char *paths, char *err, size_t errlen)
{
	if (each_path(c, paths, c->ca_paths, sizeof(c->ca_paths), add_cas, err, errlen))
		return -1;
	c->have_ca = true;
	return 0;
}

int creds_add_crls(struct ike_creds *c, const char *paths, char *err, size_t errlen)
{
	return each_path(c, paths, c->crl_paths, sizeof(c->crl_paths), add_crls, err,
			 errlen);
}

/* Each certificate with the key that is its own; every key used. */
static int pair_keys(struct ike_creds *c, char *err, size_t errlen)
{
	bool used[CREDS_MAX_CERTS] = { false };
	char subject[256];
	unsigned int i, k;

	for (i = 0; i < c->n_own; i++) {
		struct ike_own_cert *o = &c->own[i];

		for (k = 0; k < c->n_keys && !o->key; k++)
			if (X509_check_private_key(o->cert, c->keys[k]) == 1) {
				o->key = c->keys[k];
				used[k] = true;
			}
		ERR_clear_error();
		if (!o->key) {
			certs_name(X509_get_subject_name(o->cert), subject, sizeof(subject));
			snprintf(err, errlen, "cert %s (\"%s\"): its key is not among key = %s",
				 o->path, subject, c->key_paths);
			return -1;
		}
	}
	for (k = 0; k < c->n_keys; k++)
		if (!used[k]) {
			snprintf(err, errlen, "key %s is the key of no cert (cert = %s)",
				 c->key_path[k], c->cert_paths);
			return -1;
		}
	return 0;
}

/* Our certificates: each with its key, its chain verifying, not expiring. */
static int check_own(struct ike_creds *c, time_t now, char *err, size_t errlen,
		     char *warn, size_t warnlen)
{
	char subject[256];
	unsigned int i;
	size_t wl;
	int days;

	if (!c || !c->n_own || !c->n_keys) {
		snprintf(err, errlen, "auth = pubkey needs cert and key");
		return -1;
	}
	if (pair_keys(c, err, errlen))
		return -1;
	for (i = 0; i < c->n_own; i++) {
		const struct ike_own_cert *o = &c->own[i];

		if (c->have_ca && certs_verify(&c->trust, o->cert, o->chain, now, err, errlen))
			return -1;
		certs_name(X509_get_subject_name(o->cert), subject, sizeof(subject));
		wl = strlen(warn);
		if (X509_cmp_time(X509_get0_notAfter(o->cert), &(time_t){ now + EXPIRY_WARN_SECS }) < 0 &&
		    ASN1_TIME_diff(&days, &(int){ 0 }, NULL, X509_get0_notAfter(o->cert)))
			snprintf(warn + wl, warnlen - wl, "%scert %s (\"%s\") expires in %d day(s)",
				 wl ? "; " : "", o->path, subject, days);
	}
	return 0;
}

int creds_check(struct ike_creds *c, enum ike_auth_kind ours,
		enum ike_auth_kind theirs, time_t now, char *err, size_t errlen,
		char *warn, size_t warnlen)
{
	*warn = '\0';
	if (ours == IKE_AUTH_BY_PUBKEY) {
		if (check_own(c, now, err, errlen, warn, warnlen))
			return -1;
	} else if (c && (c->n_own || c->n_keys)) {
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
	/* A pinned certificate is checked like one that came, with its file's chain. */
	if (theirs == IKE_AUTH_BY_PUBKEY && c->peer_cert && c->have_ca &&
	    certs_verify(&c->trust, c->peer_cert, c->peer_chain, now, err, errlen))
		return -1;
	return 0;
}

/* The issuer of @cert among @a and @b (NULL: none there). */
static X509 *issuer_in(X509 *cert, STACK_OF(X509) *a, STACK_OF(X509) *b)
{
	STACK_OF(X509) *where[] = { a, b };
	unsigned int w;
	int i;

	for (w = 0; w < 2; w++)
		for (i = 0; i < sk_X509_num(where[w]); i++) {
			X509 *x = sk_X509_value(where[w], i);

			if (x != cert && X509_check_issued(x, cert) == X509_V_OK)
				return x;
		}
	return NULL;
}

/* Whether @o's chain, up through its file and our CAs, names a CA of @hashes. */
static bool leads_to(const struct ike_creds *c, const struct ike_own_cert *o,
		     const uint8_t *hashes, unsigned int n)
{
	X509 *x = o->cert;
	unsigned int depth, i;

	/* A chain is short; the bound keeps a loop of cross-signed CAs finite. */
	for (depth = 0; depth < 8 && (x = issuer_in(x, o->chain, c->trust.cas)); depth++)
		for (i = 0; i < n; i++)
			if (certs_is_ca_hash(x, hashes + i * CERTS_HASH_LEN))
				return true;
	return false;
}

const struct ike_own_cert *creds_pick(const struct ike_creds *c, const uint8_t *hashes,
				      unsigned int n)
{
	unsigned int i;

	for (i = 0; n && i < c->n_own; i++)
		if (leads_to(c, &c->own[i], hashes, n))
			return &c->own[i];
	return &c->own[0];
}

bool creds_same(const struct ike_creds *a, const struct ike_creds *b)
{
	unsigned int i;

	if (!a || !b)
		return a == b;
	if (a->n_own != b->n_own || a->n_keys != b->n_keys || a->rsa_pss != b->rsa_pss)
		return false;
	if (!a->peer_cert != !b->peer_cert || a->send_cert != b->send_cert ||
	    (a->peer_cert && X509_cmp(a->peer_cert, b->peer_cert)))
		return false;
	for (i = 0; i < a->n_own; i++)
		if (X509_cmp(a->own[i].cert, b->own[i].cert))
			return false;
	for (i = 0; i < a->n_keys; i++)
		if (EVP_PKEY_eq(a->keys[i], b->keys[i]) != 1)
			return false;
	return !strcmp(a->cert_paths, b->cert_paths) && !strcmp(a->key_paths, b->key_paths) &&
	       !strcmp(a->ca_paths, b->ca_paths) && !strcmp(a->crl_paths, b->crl_paths);
}
