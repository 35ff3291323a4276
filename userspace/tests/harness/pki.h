/* SPDX-License-Identifier: GPL-2.0 */
/* A small PKI for the tests: keys, certificates and CRLs made with OpenSSL. */
#ifndef IKED_TEST_PKI_H
#define IKED_TEST_PKI_H

#include <stdbool.h>

#include <openssl/x509.h>

/* What a certificate says; times in seconds from now. */
struct pki_cert {
	const char *cn, *o;
	long serial;		/* 0: 1 */
	long not_before;	/* e.g. -60 */
	long not_after;		/* 0: a day */
	bool ca;
	const char *key_usage;	/* "digitalSignature", or NULL: none */
	const char *san;	/* "DNS:gw.example.org,email:...,IP:...", or NULL */
};

extern const char pki_rsa_pem[];

/*
 * "RSA" (always the same RSA-2048 key), "RSA-PSS" (2048 bits, made anew),
 * "P-256", "P-384", "P-521" or "ED25519".
 */
EVP_PKEY *pki_key(const char *type);
/* @o's certificate for @key, signed by @issuer_key (NULL: self-signed). */
X509 *pki_cert(const struct pki_cert *o, EVP_PKEY *key, X509 *issuer,
	       EVP_PKEY *issuer_key);
/* @ca's CRL, revoking the serials @revoked. */
X509_CRL *pki_crl(X509 *ca, EVP_PKEY *ca_key, const long *revoked, unsigned int n);
/* PEM files, mode 0600. */
bool pki_write_cert(const char *path, X509 *c);
bool pki_write_key(const char *path, EVP_PKEY *k);
bool pki_write_crl(const char *path, X509_CRL *crl);

#endif
