/* SPDX-License-Identifier: GPL-2.0 */
/*
 * X.509 for iked: a connection's certificate and private key, the CAs and
 * CRLs it trusts, and the judgement of a peer's certificate (its chain to
 * a trust anchor, dates, key usage, revocation, and the identity it
 * carries). OpenSSL parses and verifies; iked reads no ASN.1 itself.
 */
#ifndef IKED_CERTS_H
#define IKED_CERTS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include <openssl/x509.h>

/* What a connection trusts: CAs (files or directories of PEM) and CRLs. */
struct ike_trust {
	X509_STORE *store;
	STACK_OF(X509) *cas;	/* the anchors, for CERTREQ */
	bool crls;		/* any CRL loaded: every certificate checked */
};

/* SHA-1 of a CA's subjectPublicKeyInfo, as CERTREQ names it (3.7). */
#define CERTS_HASH_LEN	20

/*
 * Each reads PEM from @path; on failure -1 (or NULL) and why in @err,
 * naming the file.
 */
X509 *certs_load_cert(const char *path, char *err, size_t errlen);
/* The certificates after the first in @path (a chain file's intermediates). */
int certs_load_chain(const char *path, STACK_OF(X509) **chain, char *err,
		     size_t errlen);
/* A private key: a secret file (secret_file_read's rules), unencrypted. */
EVP_PKEY *certs_load_key(const char *path, char *err, size_t errlen);

int certs_trust_init(struct ike_trust *t);
void certs_trust_free(struct ike_trust *t);
/* @path: a PEM file of one or more CAs, or a directory of such files. */
int certs_trust_add_cas(struct ike_trust *t, const char *path, char *err,
			size_t errlen);
/* @path: a PEM file of CRLs, or a directory of them. */
int certs_trust_add_crls(struct ike_trust *t, const char *path, char *err,
			 size_t errlen);

/*
 * Whether @leaf chains to one of @t's anchors through @untrusted (the
 * peer's intermediates, may be NULL), valid at @now (0: the present), for
 * digital signatures, and not revoked where a CRL is loaded. Returns 0, or
 * -1 and why in @err (the subject and OpenSSL's reason).
 */
int certs_verify(const struct ike_trust *t, X509 *leaf,
		 STACK_OF(X509) *untrusted, time_t now, char *err,
		 size_t errlen);

/*
 * Whether @cert carries the IKE identity @type/@data: ID_DER_ASN1_DN its
 * subject, an FQDN, RFC 822 address or IP address one of its
 * subjectAltNames of that kind.
 */
bool certs_has_id(X509 *cert, uint8_t type, const uint8_t *data, size_t len);

/*
 * Whether the identity @type/@data fits @pattern of the same type: a DN
 * whose RDN values may be "*" (any value of that attribute), an FQDN
 * "*.example.org" (one or more labels), or exactly.
 */
bool certs_id_fits(uint8_t pattern_type, const uint8_t *pattern,
		   size_t pattern_len, uint8_t type, const uint8_t *data,
		   size_t len);

/* Whether @data has wildcards (certs_id_fits' patterns). */
bool certs_id_is_pattern(uint8_t type, const uint8_t *data, size_t len);

/* Into @out: SHA-1 over the DER of @ca's subjectPublicKeyInfo. */
bool certs_ca_hash(X509 *ca, uint8_t *out);
/* Into @out: the CERTREQ hashes of @t's anchors; how many fit in @cap bytes. */
size_t certs_ca_hashes(const struct ike_trust *t, uint8_t *out, size_t cap);
/* Whether @hash (CERTS_HASH_LEN bytes) is that of @ca. */
bool certs_is_ca_hash(X509 *ca, const uint8_t *hash);

/*
 * "O=Example, CN=gw.example.org" (RDNs separated by commas, each a known
 * attribute name and its value) as the DER of an ID_DER_ASN1_DN, at most
 * @cap bytes. Returns 0, or -1 and why in @err.
 */
int certs_dn_parse(const char *text, uint8_t *der, size_t cap, size_t *len,
		   char *err, size_t errlen);

/* The end of @cert's validity, in seconds since the epoch (0: unknown). */
time_t certs_not_after(const X509 *cert);

/* "CN=gw.example.org, O=Example" of @name, for log lines. */
void certs_name(const X509_NAME *name, char *buf, size_t size);

#endif
