// SPDX-License-Identifier: GPL-2.0
/* Certificates, CRLs and keys made in the tests, with OpenSSL. */
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <openssl/pem.h>
#include <openssl/rsa.h>
#include <openssl/x509v3.h>

#include "pki.h"

/* RSA-2048, fixed: a test's own key generation would take seconds under
 * valgrind, and a known key gives known answers.
 */
const char pki_rsa_pem[] =
	"-----BEGIN PRIVATE KEY-----\n"
	"MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQC/1K9vZT7aiQha\n"
	"G27fxIyDQflpXMUgxcckF4uhXl4eVJPk+0UD5K2FIr/hoA+5lU0LcjEw5AoORumI\n"
	"CbkVlKfbPx0oEDNJ61Fu2zLc5mJ4QTkt7A2KxpYaxbO3tHH0+nRQFqTgD3DB6ROZ\n"
	"eV7OIVA/yERo6ifoC5bpzJKbsAOC7/BXgU4CZ7PJwWn6SyEVmN/fVz/GTMngXS2s\n"
	"M7bp/H9bwANfigCTNXA3NM9pp09e3Xzrzk/VEdRju2YtiQ2BQRZkrd/fHNEJxz3o\n"
	"XW1MYh8Z7phIoCkICN+fJxDvFLeEh2TYMBwu+ma6x8WE9MU5y+7OCZm3reqmIsy6\n"
	"4FPN8CsxAgMBAAECggEAAaZe+pKgr259n5DG1lkxatuWvTzqsR/NA6we1lIidcOn\n"
	"y1C3ROj4Q8Hga/IIJezOedUPQ+q3hMHqtkcnIV64Rt7MbbtzRXp8USYaJ446YJW8\n"
	"W9RrlWWkhYcXxvJgBzRe6xAWy5qLug86zOzJ+kniZSS1eercUaxFLa5FwIhgr1qZ\n"
	"zbMp7nRHF5OyIxpdYauvhSJV4oNv8OCd7xvJOCMo5UIbV4MzUco1w9GZ5cChvzrv\n"
	"FXovHAp3WxR1N+duYDpsGzf3LjHU5BqzdMnD9GGjrr3+GNtCQ8R3M7b/W2RkIOG8\n"
	"8dEZUFNPP91BX80HC+5QUZE2DHGQPDhnWdIsoyNFcQKBgQDfCyKJD3gkp4SW2g4F\n"
	"pT1FALEePubuUwiLKqwNPMTtbfhH5fXMbJk8psEyEdQgKcbPm58VTJnbsS19qRxv\n"
	"V8GVDsDyMTFsNgRUHvVVexcz0TCWS1AAlZ2lqBz2epvWlwe+9sv2SCcNLb5n8C6M\n"
	"Y7GKPL7ojlHrnXL2Lz9Q/dcN3QKBgQDcLOVe7zUaBizoQq3S6DpdL0D+eaBj9nHJ\n"
	"ia5FCYtGC0zViRPACg9O8+ZYc5d2HtPsQYeGbbbE+hhLXJ3X/wyZkdfa/FV6qAss\n"
	"oVbM0B1SW9A/XvL/j04saMs+dcw1lP8LqkP+f7+1+JjGUTkyMa59cxN1N3aiog6m\n"
	"wW/AqkrPZQKBgG9svKAEHl0RYueJn5+qYOVr5w/ZFLzStl3vv2wNg8OpQHOKqjSp\n"
	"vBPUqoc86N/4ft2QPPUDA4oBBVzVcuMc0BSK/lD/ylTo11i+7oj5qSm1w7QRg7IH\n"
	"DG6JgY6QyfF2GeSInnQ2r2uiApEiJ97ynusUVbsP/lTan2flSphHd3vxAoGBAKtQ\n"
	"X5RTibzbCzwZDckqGqeA6hBXMJ43FmhbMXbUK0Lv7fPEedKVwT2MdzFhl3s4F2sf\n"
	"vcSyP2Dau+Z/hO2YrQQcv5jLd/M9J5ytWK16TSZU/B8i0O5aYdgaHfJWk/MpIJ3B\n"
	"+K/gVJnReYXtkxRkJcHEtWIiKrP2ZnIH1t1RY24lAoGAcxX9V5ZX/TXa2nT5ZIpg\n"
	"smC8gOEBCIyopOl+IaklU0qFgYrqNVkYVWgKES74nBp8XhgO4caHvqZKjue3akg1\n"
	"EiqYgCB5yQ+y7sl1NLpBQOVs6+pBzSmVUcT0uM8P/KxS4Ep+K/LDrnaGakcfiqWK\n"
	"ddUMNSEj3hAPPzCqgFccg2w=\n"
	"-----END PRIVATE KEY-----\n"
	;

static EVP_PKEY *rsa_pss_key(void)
{
	EVP_PKEY_CTX *ctx = EVP_PKEY_CTX_new_from_name(NULL, "RSA-PSS", NULL);
	EVP_PKEY *key = NULL;

	if (!ctx || EVP_PKEY_keygen_init(ctx) != 1 ||
	    EVP_PKEY_CTX_set_rsa_keygen_bits(ctx, 2048) != 1 ||
	    EVP_PKEY_generate(ctx, &key) != 1)
		key = NULL;
	EVP_PKEY_CTX_free(ctx);
	return key;
}

EVP_PKEY *pki_key(const char *type)
{
	BIO *bio;
	EVP_PKEY *key;

	if (!strcmp(type, "RSA")) {
		bio = BIO_new_mem_buf(pki_rsa_pem, -1);
		key = bio ? PEM_read_bio_PrivateKey(bio, NULL, NULL, NULL) : NULL;
		BIO_free(bio);
		return key;
	}
	if (!strcmp(type, "RSA-PSS"))
		return rsa_pss_key();
	if (!strcmp(type, "ED25519"))
		return EVP_PKEY_Q_keygen(NULL, NULL, "ED25519");
	return EVP_PKEY_Q_keygen(NULL, NULL, "EC", type);
}

static bool add_ext(X509 *cert, X509 *issuer, int nid, const char *value)
{
	X509V3_CTX ctx;
	X509_EXTENSION *ext;
	bool ok;

	X509V3_set_ctx(&ctx, issuer, cert, NULL, NULL, 0);
	ext = X509V3_EXT_conf_nid(NULL, &ctx, nid, value);
	ok = ext && X509_add_ext(cert, ext, -1);
	X509_EXTENSION_free(ext);
	return ok;
}

X509 *pki_cert(const struct pki_cert *o, EVP_PKEY *key, X509 *issuer,
	       EVP_PKEY *issuer_key)
{
	X509 *c = X509_new();
	X509_NAME *name = X509_NAME_new();
	const EVP_MD *md = EVP_PKEY_is_a(issuer_key ? issuer_key : key, "ED25519") ?
			   NULL : EVP_sha256();
	bool ok;

	ok = c && name && X509_set_version(c, 2) &&
	     ASN1_INTEGER_set(X509_get_serialNumber(c), o->serial ? o->serial : 1) &&
	     X509_gmtime_adj(X509_getm_notBefore(c), o->not_before) &&
	     X509_gmtime_adj(X509_getm_notAfter(c), o->not_after ? o->not_after : 86400) &&
	     (!o->o || X509_NAME_add_entry_by_txt(name, "O", MBSTRING_UTF8,
						   (const unsigned char *)o->o, -1, -1, 0)) &&
	     X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_UTF8,
					(const unsigned char *)o->cn, -1, -1, 0) &&
	     X509_set_subject_name(c, name) &&
	     X509_set_issuer_name(c, issuer ? X509_get_subject_name(issuer) : name) &&
	     X509_set_pubkey(c, key);
	if (ok && o->ca)
		ok = add_ext(c, issuer ? issuer : c, NID_basic_constraints, "critical,CA:TRUE") &&
		     add_ext(c, issuer ? issuer : c, NID_key_usage, "critical,keyCertSign,cRLSign");
	else if (ok && o->key_usage)
		ok = add_ext(c, issuer ? issuer : c, NID_key_usage, o->key_usage);
	if (ok && o->san)
		ok = add_ext(c, issuer ? issuer : c, NID_subject_alt_name, o->san);
	if (ok)
		ok = X509_sign(c, issuer_key ? issuer_key : key, md) > 0;
	X509_NAME_free(name);
	if (!ok) {
		X509_free(c);
		return NULL;
	}
	return c;
}

X509_CRL *pki_crl(X509 *ca, EVP_PKEY *ca_key, const long *revoked, unsigned int n)
{
	X509_CRL *crl = X509_CRL_new();
	ASN1_TIME *now = X509_gmtime_adj(NULL, -60), *next = X509_gmtime_adj(NULL, 86400);
	bool ok = crl && now && next && X509_CRL_set_version(crl, 1) &&
		  X509_CRL_set_issuer_name(crl, X509_get_subject_name(ca)) &&
		  X509_CRL_set1_lastUpdate(crl, now) && X509_CRL_set1_nextUpdate(crl, next);
	unsigned int i;

	for (i = 0; ok && i < n; i++) {
		X509_REVOKED *r = X509_REVOKED_new();
		ASN1_INTEGER *serial = ASN1_INTEGER_new();

		ok = r && serial && ASN1_INTEGER_set(serial, revoked[i]) &&
		     X509_REVOKED_set_serialNumber(r, serial) &&
		     X509_REVOKED_set_revocationDate(r, now) && X509_CRL_add0_revoked(crl, r);
		ASN1_INTEGER_free(serial);
		if (!ok)
			X509_REVOKED_free(r);
	}
	ok = ok && X509_CRL_sort(crl) &&
	     X509_CRL_sign(crl, ca_key, EVP_PKEY_is_a(ca_key, "ED25519") ? NULL : EVP_sha256()) > 0;
	ASN1_TIME_free(now);
	ASN1_TIME_free(next);
	if (!ok) {
		X509_CRL_free(crl);
		return NULL;
	}
	return crl;
}

/* @path, mode 0600, written by @put. */
static bool write_pem(const char *path, int (*put)(BIO *, const void *), const void *obj)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	BIO *bio;
	bool ok;

	if (fd < 0)
		return false;
	bio = BIO_new_fd(fd, BIO_CLOSE);
	ok = bio && put(bio, obj) > 0;
	BIO_free(bio);
	return ok;
}

static int put_cert(BIO *bio, const void *c)
{
	return PEM_write_bio_X509(bio, (X509 *)c);
}

static int put_key(BIO *bio, const void *k)
{
	return PEM_write_bio_PrivateKey(bio, (EVP_PKEY *)k, NULL, NULL, 0, NULL, NULL);
}

static int put_crl(BIO *bio, const void *crl)
{
	return PEM_write_bio_X509_CRL(bio, (X509_CRL *)crl);
}

bool pki_write_cert(const char *path, X509 *c)
{
	return write_pem(path, put_cert, c);
}

bool pki_write_key(const char *path, EVP_PKEY *k)
{
	return write_pem(path, put_key, k);
}

bool pki_write_crl(const char *path, X509_CRL *crl)
{
	return write_pem(path, put_crl, crl);
}
