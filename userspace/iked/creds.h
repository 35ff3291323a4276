/* SPDX-License-Identifier: GPL-2.0 */
/*
 * How a connection authenticates: each side by pre-shared key or by public
 * key (a certificate), and the credentials for it (iked.conf's auth,
 * remote_auth, cert, key, ca, crl).
 */
#ifndef IKED_CREDS_H
#define IKED_CREDS_H

#include <limits.h>
#include <stdbool.h>
#include <stddef.h>
#include <time.h>

#include "certs.h"

enum ike_auth_kind {
	IKE_AUTH_BY_PSK,
	IKE_AUTH_BY_PUBKEY,
};

struct ike_creds {
	/* ours, for auth = pubkey */
	X509 *cert;
	STACK_OF(X509) *chain;	/* the cert file's intermediates, sent along */
	EVP_PKEY *key;
	bool send_cert;		/* in CERT payloads (send_cert = yes) */
	/* the peer's, for remote_auth = pubkey */
	struct ike_trust trust;
	bool have_ca;
	X509 *peer_cert;	/* remote_cert: taken when the peer sends none */
	char cert_path[PATH_MAX], key_path[PATH_MAX];
	char ca_paths[PATH_MAX], crl_paths[PATH_MAX];	/* as given */
	char peer_cert_path[PATH_MAX];
};

struct ike_creds *creds_new(void);
void creds_free(struct ike_creds *c);

/* Each a key of iked.conf: 0, or -1 and why in @err. */
int creds_set_cert(struct ike_creds *c, const char *path, char *err, size_t errlen);
int creds_set_key(struct ike_creds *c, const char *path, char *err, size_t errlen);
int creds_set_peer_cert(struct ike_creds *c, const char *path, char *err,
			size_t errlen);
/* ca and crl: comma-separated files or directories. */
int creds_add_cas(struct ike_creds *c, const char *paths, char *err, size_t errlen);
int creds_add_crls(struct ike_creds *c, const char *paths, char *err, size_t errlen);

/*
 * What the two sides' kinds need, once a connection's keys are all read:
 * a certificate and its own key for ours, a CA for the peer's, our chain
 * verifying against our CAs when we have any. Returns 0, or -1 and why in
 * @err. @warn gets a warning, if any: a certificate that expires within
 * 30 days of @now.
 */
int creds_check(const struct ike_creds *c, enum ike_auth_kind ours,
		enum ike_auth_kind theirs, time_t now, char *err, size_t errlen,
		char *warn, size_t warnlen);

/* Whether two connections' credentials are the same (a reload keeps it). */
bool creds_same(const struct ike_creds *a, const struct ike_creds *b);

#endif
