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

/* The most certificates (and keys) of one connection: one per CA, say. */
#define CREDS_MAX_CERTS	4

/* One of our certificates, with its chain and its key. */
struct ike_own_cert {
	X509 *cert;
	STACK_OF(X509) *chain;	/* the cert file's intermediates, sent along */
	EVP_PKEY *key;		/* one of creds' keys, paired by creds_check */
	char path[PATH_MAX];
};

struct ike_creds {
	/* ours, for auth = pubkey: the first is sent unless the peer's
	 * CERTREQ names a CA that only another one's chain leads to
	 */
	struct ike_own_cert own[CREDS_MAX_CERTS];
	unsigned int n_own;
	EVP_PKEY *keys[CREDS_MAX_CERTS];
	char key_path[CREDS_MAX_CERTS][PATH_MAX];
	unsigned int n_keys;
	bool send_cert;		/* in CERT payloads (send_cert = yes) */
	bool rsa_pss;		/* RSA signs with RSASSA-PSS (rsa_pss = yes) */
	/* the peer's, for remote_auth = pubkey */
	struct ike_trust trust;
	bool have_ca;
	X509 *peer_cert;	/* remote_cert: taken when the peer sends none */
	STACK_OF(X509) *peer_chain;	/* remote_cert's intermediates */
	char cert_paths[PATH_MAX], key_paths[PATH_MAX];	/* as given */
	char ca_paths[PATH_MAX], crl_paths[PATH_MAX];
	char peer_cert_path[PATH_MAX];
};

struct ike_creds *creds_new(void);
void creds_free(struct ike_creds *c);

/*
 * Each a key of iked.conf: 0, or -1 and why in @err. cert and key take
 * comma-separated files (each cert file: a certificate and its chain).
 */
int creds_set_cert(struct ike_creds *c, const char *paths, char *err, size_t errlen);
int creds_set_key(struct ike_creds *c, const char *paths, char *err, size_t errlen);
int creds_set_peer_cert(struct ike_creds *c, const char *path, char *err,
			size_t errlen);
/* ca and crl: comma-separated files or directories. */
int creds_add_cas(struct ike_creds *c, const char *paths, char *err, size_t errlen);
int creds_add_crls(struct ike_creds *c, const char *paths, char *err, size_t errlen);

/*
 * What the two sides' kinds need, once a connection's keys are all read:
 * a certificate and its own key for ours (each certificate paired with
 * its key, every key used), a CA for the peer's, our chains verifying
 * against our CAs when we have any. Returns 0, or -1 and why in
 * @err. @warn gets a warning, if any: a certificate that expires within
 * 30 days of @now.
 */
int creds_check(struct ike_creds *c, enum ike_auth_kind ours,
		enum ike_auth_kind theirs, time_t now, char *err, size_t errlen,
		char *warn, size_t warnlen);

/*
 * The certificate to show a peer whose CERTREQ names the CAs of @hashes
 * (@n of CERTS_HASH_LEN bytes): the first whose chain leads to one of them
 * (through its chain file and our CAs), else the first.
 */
const struct ike_own_cert *creds_pick(const struct ike_creds *c, const uint8_t *hashes,
				      unsigned int n);

/* Whether two connections' credentials are the same (a reload keeps it). */
bool creds_same(const struct ike_creds *a, const struct ike_creds *b);

#endif
