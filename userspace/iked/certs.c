// SPDX-License-Identifier: GPL-2.0
/* Certificates, keys, CAs and CRLs, and the checks of a peer's certificate. */
#define _GNU_SOURCE
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/sha.h>
#include <openssl/x509v3.h>

#include "certs.h"
#include "crypto.h"
#include "ikev2.h"
#include "secrets.h"

/* A PEM private key of RSA-8192 is about 6.5 kB. */
#define KEY_FILE_MAX	16384

static BIO *open_pem(const char *what, const char *path, char *err, size_t errlen)
{
	BIO *bio = BIO_new_file(path, "r");

	if (!bio)
		snprintf(err, errlen, "%s %s: cannot be read", what, path);
	return bio;
}

X509 *certs_load_cert(const char *path, char *err, size_t errlen)
{
	BIO *bio = open_pem("certificate", path, err, errlen);
	X509 *cert;

	if (!bio)
		return NULL;
	cert = PEM_read_bio_X509(bio, NULL, NULL, NULL);
	BIO_free(bio);
	if (!cert)
		snprintf(err, errlen, "certificate %s: no PEM certificate in it", path);
	return cert;
}

int certs_load_chain(const char *path, STACK_OF(X509) **chain, char *err,
		     size_t errlen)
{
	BIO *bio = open_pem("certificate", path, err, errlen);
	X509 *c;
	int n = 0;

	*chain = NULL;
	if (!bio)
		return -1;
	*chain = sk_X509_new_null();
	while (*chain && (c = PEM_read_bio_X509(bio, NULL, NULL, NULL))) {
		if (n++ == 0 || !sk_X509_push(*chain, c))
			X509_free(c);
	}
	ERR_clear_error();
	BIO_free(bio);
	if (!*chain) {
		snprintf(err, errlen, "certificate %s: out of memory", path);
		return -1;
	}
	return 0;
}

/* No passphrase is ever asked for: an encrypted key fails to load. */
static int no_passphrase(char *buf, int size, int rwflag, void *u)
{
	(void)buf;
	(void)size;
	(void)rwflag;
	(void)u;
	return -1;
}

EVP_PKEY *certs_load_key(const char *path, char *err, size_t errlen)
{
	uint8_t *buf = malloc(KEY_FILE_MAX);
	EVP_PKEY *key = NULL;
	ssize_t len;
	BIO *bio;

	if (!buf) {
		snprintf(err, errlen, "key %s: out of memory", path);
		return NULL;
	}
	len = secret_file_read("key", path, buf, KEY_FILE_MAX, err, errlen);
	if (len >= 0) {
		bio = BIO_new_mem_buf(buf, (int)len);
		key = bio ? PEM_read_bio_PrivateKey(bio, NULL, no_passphrase, NULL) : NULL;
		BIO_free(bio);
		ERR_clear_error();
		if (!key)
			snprintf(err, errlen, "key %s: no unencrypted PEM private key in it",
				 path);
	}
	ike_wipe(buf, KEY_FILE_MAX);
	free(buf);
	return key;
}

int certs_trust_init(struct ike_trust *t)
{
	memset(t, 0, sizeof(*t));
	t->store = X509_STORE_new();
	t->cas = sk_X509_new_null();
	if (t->store && t->cas)
		return 0;
	certs_trust_free(t);
	return -1;
}

void certs_trust_free(struct ike_trust *t)
{
	X509_STORE_free(t->store);
	sk_X509_pop_free(t->cas, X509_free);
	memset(t, 0, sizeof(*t));
}

/* Calls @one for each regular file of @path (a file: itself). */
static int each_file(const char *what, const char *path,
		     int (*one)(struct ike_trust *, const char *, char *, size_t),
		     struct ike_trust *t, char *err, size_t errlen)
{
	struct dirent *de;
	struct stat st;
	char file[4096];
	int ret = 0;
	DIR *dir;

	if (stat(path, &st)) {
		snprintf(err, errlen, "%s %s: no such file or directory", what, path);
		return -1;
	}
	if (!S_ISDIR(st.st_mode))
		return one(t, path, err, errlen);
	dir = opendir(path);
	if (!dir) {
		snprintf(err, errlen, "%s %s: the directory cannot be read", what, path);
		return -1;
	}
	while (!ret && (de = readdir(dir))) {
		if (de->d_name[0] == '.')
			continue;
		snprintf(file, sizeof(file), "%s/%s", path, de->d_name);
		if (!stat(file, &st) && S_ISREG(st.st_mode))
			ret = one(t, file, err, errlen);
	}
	closedir(dir);
	return ret;
}

static int add_ca_file(struct ike_trust *t, const char *path, char *err,
		       size_t errlen)
{
	BIO *bio = open_pem("ca", path, err, errlen);
	X509 *c;
	int n = 0;

	if (!bio)
		return -1;
	while ((c = PEM_read_bio_X509(bio, NULL, NULL, NULL))) {
		if (!X509_STORE_add_cert(t->store, c) || !sk_X509_push(t->cas, c)) {
			X509_free(c);
			BIO_free(bio);
			snprintf(err, errlen, "ca %s: a certificate cannot be added", path);
			return -1;
		}
		n++;
	}
	ERR_clear_error();
	BIO_free(bio);
	if (!n) {
		snprintf(err, errlen, "ca %s: no PEM certificate in it", path);
		return -1;
	}
	return 0;
}

static int add_crl_file(struct ike_trust *t, const char *path, char *err,
			size_t errlen)
{
	BIO *bio = open_pem("crl", path, err, errlen);
	X509_CRL *crl;
	int n = 0;

	if (!bio)
		return -1;
	while ((crl = PEM_read_bio_X509_CRL(bio, NULL, NULL, NULL))) {
		int added = X509_STORE_add_crl(t->store, crl);

		X509_CRL_free(crl);
		if (!added) {
			BIO_free(bio);
			snprintf(err, errlen, "crl %s: a CRL cannot be added", path);
			return -1;
		}
		n++;
	}
	ERR_clear_error();
	BIO_free(bio);
	if (!n) {
		snprintf(err, errlen, "crl %s: no PEM CRL in it", path);
		return -1;
	}
	t->crls = true;
	return 0;
}

int certs_trust_add_cas(struct ike_trust *t, const char *path, char *err,
			size_t errlen)
{
	return each_file("ca", path, add_ca_file, t, err, errlen);
}

int certs_trust_add_crls(struct ike_trust *t, const char *path, char *err,
			 size_t errlen)
{
	return each_file("crl", path, add_crl_file, t, err, errlen);
}

int certs_dn_parse(const char *text, uint8_t *der, size_t cap, size_t *len,
		   char *err, size_t errlen)
{
	X509_NAME *name = X509_NAME_new();
	char *copy = strdup(text), *save = NULL, *rdn, *eq, *attr, *value;
	unsigned char *p = der;
	int ret = -1, n;

	if (!name || !copy) {
		snprintf(err, errlen, "out of memory");
		goto done;
	}
	for (rdn = strtok_r(copy, ",", &save); rdn; rdn = strtok_r(NULL, ",", &save)) {
		eq = strchr(rdn, '=');
		if (!eq) {
			snprintf(err, errlen, "'%s' is not ATTRIBUTE=value", rdn);
			goto done;
		}
		*eq = '\0';
		attr = rdn + strspn(rdn, " \t");
		attr[strcspn(attr, " \t")] = '\0';
		value = eq + 1 + strspn(eq + 1, " \t");
		for (n = (int)strlen(value); n > 0 && strchr(" \t", value[n - 1]); n--)
			value[n - 1] = '\0';
		if (!*value || !X509_NAME_add_entry_by_txt(name, attr, MBSTRING_UTF8,
							  (const unsigned char *)value, -1, -1, 0)) {
			snprintf(err, errlen, "'%s=%s': %s", attr, value,
				 *value ? "not a known attribute (C, O, OU, CN, ...)" : "no value");
			goto done;
		}
	}
	n = i2d_X509_NAME(name, NULL);
	if (n <= 0 || (size_t)n > cap || !X509_NAME_entry_count(name)) {
		snprintf(err, errlen, "not a DN of 1 to %zu bytes", cap);
		goto done;
	}
	*len = (size_t)i2d_X509_NAME(name, &p);
	ret = 0;
done:
	ERR_clear_error();
	X509_NAME_free(name);
	free(copy);
	return ret;
}

time_t certs_not_after(const X509 *cert)
{
	struct tm tm;

	if (!ASN1_TIME_to_tm(X509_get0_notAfter(cert), &tm))
		return 0;
	return timegm(&tm);
}

void certs_name(const X509_NAME *name, char *buf, size_t size)
{
	BIO *bio = BIO_new(BIO_s_mem());
	int n;

	snprintf(buf, size, "?");
	if (!bio)
		return;
	if (X509_NAME_print_ex(bio, name, 0, XN_FLAG_ONELINE & ~ASN1_STRFLGS_ESC_MSB) >= 0 &&
	    (n = BIO_read(bio, buf, (int)size - 1)) > 0)
		buf[n] = '\0';
	BIO_free(bio);
}

/* A CA that no CRL loaded is of: its certificates go unchecked for
 * revocation (as strongSwan does without strict CRL policy).
 */
static int allow_missing_crl(int ok, X509_STORE_CTX *ctx)
{
	if (!ok && X509_STORE_CTX_get_error(ctx) == X509_V_ERR_UNABLE_TO_GET_CRL)
		return 1;
	return ok;
}

int certs_verify(const struct ike_trust *t, X509 *leaf,
		 STACK_OF(X509) *untrusted, time_t now, char *err,
		 size_t errlen)
{
	X509_STORE_CTX *ctx = X509_STORE_CTX_new();
	char subject[256], at[256];
	X509 *where;
	int ret = -1, code;

	certs_name(X509_get_subject_name(leaf), subject, sizeof(subject));
	if (!ctx || !X509_STORE_CTX_init(ctx, t->store, leaf, untrusted)) {
		snprintf(err, errlen, "certificate \"%s\": out of memory", subject);
		goto done;
	}
	if (now)
		X509_STORE_CTX_set_time(ctx, 0, now);
	if (t->crls) {
		X509_STORE_CTX_set_flags(ctx, X509_V_FLAG_CRL_CHECK |
					 X509_V_FLAG_CRL_CHECK_ALL);
		X509_STORE_CTX_set_verify_cb(ctx, allow_missing_crl);
	}
	if (X509_verify_cert(ctx) != 1) {
		code = X509_STORE_CTX_get_error(ctx);
		where = X509_STORE_CTX_get_current_cert(ctx);
		if (where && where != leaf) {
			certs_name(X509_get_subject_name(where), at, sizeof(at));
			snprintf(err, errlen, "certificate \"%s\": %s (at \"%s\")", subject,
				 X509_verify_cert_error_string(code), at);
		} else {
			snprintf(err, errlen, "certificate \"%s\": %s", subject,
				 X509_verify_cert_error_string(code));
		}
		goto done;
	}
	/* No key usage at all allows any; one that is there must allow signing. */
	if (!(X509_get_key_usage(leaf) & KU_DIGITAL_SIGNATURE)) {
		snprintf(err, errlen, "certificate \"%s\": its key usage does not allow digital signatures",
			 subject);
		goto done;
	}
	ret = 0;
done:
	X509_STORE_CTX_free(ctx);
	ERR_clear_error();
	return ret;
}

bool certs_has_id(X509 *cert, uint8_t type, const uint8_t *data, size_t len)
{
	const unsigned int san_only = X509_CHECK_FLAG_NEVER_CHECK_SUBJECT |
				      X509_CHECK_FLAG_NO_WILDCARDS;
	const uint8_t *p = data;
	X509_NAME *name;
	bool same;

	switch (type) {
	case IKE_ID_DER_ASN1_DN:
		name = d2i_X509_NAME(NULL, &p, (long)len);
		same = name && p == data + len &&
		       !X509_NAME_cmp(name, X509_get_subject_name(cert));
		X509_NAME_free(name);
		return same;
	case IKE_ID_FQDN:
		return len && X509_check_host(cert, (const char *)data, len, san_only,
					      NULL) == 1;
	case IKE_ID_RFC822_ADDR:
		return len && X509_check_email(cert, (const char *)data, len,
					       san_only) == 1;
	case IKE_ID_IPV4_ADDR:
	case IKE_ID_IPV6_ADDR:
		return len == (type == IKE_ID_IPV4_ADDR ? 4u : 16u) &&
		       X509_check_ip(cert, data, len, 0) == 1;
	default:
		return false;
	}
}

/* An RDN value of the pattern: "*" takes any. */
static bool value_fits(const ASN1_STRING *pattern, const ASN1_STRING *value)
{
	unsigned char *a = NULL, *b = NULL;
	int alen, blen;
	bool fits;

	alen = ASN1_STRING_to_UTF8(&a, pattern);
	blen = ASN1_STRING_to_UTF8(&b, value);
	fits = alen >= 0 && blen >= 0 &&
	       ((alen == 1 && a[0] == '*') ||
		(alen == blen && !memcmp(a, b, (size_t)alen)));
	OPENSSL_free(a);
	OPENSSL_free(b);
	return fits;
}

static bool dn_fits(const uint8_t *pattern, size_t pattern_len,
		    const uint8_t *data, size_t len)
{
	const uint8_t *pp = pattern, *dp = data;
	X509_NAME *want = d2i_X509_NAME(NULL, &pp, (long)pattern_len);
	X509_NAME *got = d2i_X509_NAME(NULL, &dp, (long)len);
	bool fits = want && got && pp == pattern + pattern_len && dp == data + len &&
		    X509_NAME_entry_count(want) == X509_NAME_entry_count(got);
	int i;

	for (i = 0; fits && i < X509_NAME_entry_count(want); i++) {
		const X509_NAME_ENTRY *w = X509_NAME_get_entry(want, i);
		const X509_NAME_ENTRY *g = X509_NAME_get_entry(got, i);

		fits = !OBJ_cmp(X509_NAME_ENTRY_get_object(w),
				X509_NAME_ENTRY_get_object(g)) &&
		       value_fits(X509_NAME_ENTRY_get_data(w),
				  X509_NAME_ENTRY_get_data(g));
	}
	X509_NAME_free(want);
	X509_NAME_free(got);
	return fits;
}

bool certs_id_fits(uint8_t pattern_type, const uint8_t *pattern,
		   size_t pattern_len, uint8_t type, const uint8_t *data,
		   size_t len)
{
	if (pattern_type != type)
		return false;
	if (type == IKE_ID_DER_ASN1_DN)
		return dn_fits(pattern, pattern_len, data, len);
	/* "*.example.org": a name of one or more labels more. */
	if (type == IKE_ID_FQDN && pattern_len > 2 && pattern[0] == '*' &&
	    pattern[1] == '.')
		return len > pattern_len - 1 &&
		       !strncasecmp((const char *)data + len - (pattern_len - 1),
				    (const char *)pattern + 1, pattern_len - 1) &&
		       !memchr(data, '\0', len);
	if (type == IKE_ID_FQDN || type == IKE_ID_RFC822_ADDR)
		return len == pattern_len &&
		       !strncasecmp((const char *)data, (const char *)pattern, len) &&
		       !memchr(data, '\0', len);
	return len == pattern_len && !memcmp(data, pattern, len);
}

bool certs_id_is_pattern(uint8_t type, const uint8_t *data, size_t len)
{
	const uint8_t *p = data;
	X509_NAME *name;
	bool any = false;
	int i;

	if (type == IKE_ID_FQDN)
		return len > 2 && data[0] == '*' && data[1] == '.';
	if (type != IKE_ID_DER_ASN1_DN)
		return false;
	name = d2i_X509_NAME(NULL, &p, (long)len);
	for (i = 0; name && i < X509_NAME_entry_count(name); i++) {
		const ASN1_STRING *v = X509_NAME_ENTRY_get_data(X509_NAME_get_entry(name, i));

		any |= ASN1_STRING_length(v) == 1 && ASN1_STRING_get0_data(v)[0] == '*';
	}
	X509_NAME_free(name);
	return any;
}

bool certs_ca_hash(X509 *ca, uint8_t *out)
{
	unsigned char *der = NULL;
	int len = i2d_X509_PUBKEY(X509_get_X509_PUBKEY(ca), &der);

	if (len <= 0)
		return false;
	SHA1(der, (size_t)len, out);
	OPENSSL_free(der);
	return true;
}

size_t certs_ca_hashes(const struct ike_trust *t, uint8_t *out, size_t cap)
{
	size_t n = 0;
	int i;

	for (i = 0; i < sk_X509_num(t->cas) && (n + 1) * CERTS_HASH_LEN <= cap; i++)
		if (certs_ca_hash(sk_X509_value(t->cas, i), out + n * CERTS_HASH_LEN))
			n++;
	return n;
}

bool certs_is_ca_hash(X509 *ca, const uint8_t *hash)
{
	uint8_t mine[CERTS_HASH_LEN];

	return certs_ca_hash(ca, mine) && !memcmp(mine, hash, CERTS_HASH_LEN);
}
