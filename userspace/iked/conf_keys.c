// SPDX-License-Identifier: GPL-2.0
/*
 * iked.conf's keys: each one's parser (which reports its own errors), the
 * defaults of a connection, and what needs several keys once its section
 * is over. The reader is config.c.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <ctype.h>
#include <ini.h>
#include <limits.h>
#include <netdb.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "../lib/parse.h"
#include "conf_loader.h"
#include "conf_values.h"
#include "frag.h"
#include "ikev2.h"
#include "proposal.h"
#include "secrets.h"

#define CONF_MIN_LIFETIME	10

/* Keys and their parsers. Each reports its own errors. */

static bool key_addr(struct loader *ld, struct sockaddr_storage *ss,
		     const char *key, const char *v)
{
	uint8_t addr[16];
	int family = conf_literal_family(v, addr);

	if (!family) {
		conf_error(ld, ld->line,
			   "invalid %s '%s' (expected an IPv4 or IPv6 address)",
			   key, v);
		return false;
	}
	memset(ss, 0, sizeof(*ss));
	if (family == AF_INET) {
		struct sockaddr_in *sin = (struct sockaddr_in *)ss;

		sin->sin_family = AF_INET;
		memcpy(&sin->sin_addr, addr, 4);
	} else {
		struct sockaddr_in6 *sin6 = (struct sockaddr_in6 *)ss;

		sin6->sin6_family = AF_INET6;
		memcpy(&sin6->sin6_addr, addr, 16);
	}
	return true;
}

static bool key_local(struct loader *ld, struct ike_conn *c, const char *v)
{
	return key_addr(ld, &c->local, "local", v);
}

/* An address, or for a gateway of many peers a prefix or %any. */
static bool key_remote(struct loader *ld, struct ike_conn *c, const char *v)
{
	struct conf_ts net;
	char err[256];

	if (!strcmp(v, "%any")) {
		/* Of local's family: finish_addrs sets it. */
		memset(&c->remote, 0, sizeof(c->remote));
		c->remote_prefix = 0;
		return true;
	}
	if (!strchr(v, '/')) {
		if (!key_addr(ld, &c->remote, "remote", v))
			return false;
		c->remote_prefix = (uint8_t)(conf_addr_len(c->remote.ss_family) * 8);
		return true;
	}
	if (!conf_ts_parse("remote", v, &net, err, sizeof(err)) || net.proto) {
		conf_error(ld, ld->line, "%s", net.proto ?
			   "remote: a prefix, without a protocol or port" : err);
		return false;
	}
	memset(&c->remote, 0, sizeof(c->remote));
	c->remote.ss_family = (sa_family_t)net.family;
	if (net.family == AF_INET)
		memcpy(&((struct sockaddr_in *)&c->remote)->sin_addr, net.addr, 4);
	else
		memcpy(&((struct sockaddr_in6 *)&c->remote)->sin6_addr, net.addr, 16);
	c->remote_prefix = net.prefix_len;
	return true;
}

/*
 * An address, a name (FQDN) or user@name (RFC 822). As in strongSwan, a
 * leading '@' says "a name, not an address": "@gw" is the FQDN "gw".
 */
static bool key_id(struct loader *ld, struct ike_id *id, const char *key,
		   const char *v)
{
	const char *p;
	size_t len;
	int family;

	char err[256];

	family = conf_literal_family(v, id->data);
	if (family) {
		id->type = family == AF_INET ? IKE_ID_IPV4_ADDR : IKE_ID_IPV6_ADDR;
		id->len = conf_addr_len(family);
		return true;
	}
	/* "O=Example, CN=gw": a distinguished name (a value "*": any). */
	if (strchr(v, '=')) {
		if (certs_dn_parse(v, id->data, sizeof(id->data), &id->len, err,
				   sizeof(err))) {
			conf_error(ld, ld->line, "invalid %s '%s' (a DN: %s)", key, v, err);
			return false;
		}
		id->type = IKE_ID_DER_ASN1_DN;
		return true;
	}
	for (p = v; *p; p++) {
		if (!isgraph((unsigned char)*p)) {
			conf_error(ld, ld->line,
				   "invalid %s '%s' (expected an address, a name or user@name, without blanks)",
				   key, v);
			return false;
		}
	}
	if (v[0] == '@')
		v++;
	len = strlen(v);
	if (!len || len > IKE_MAX_ID) {
		conf_error(ld, ld->line,
			   "invalid %s '%s' (expected an address, a name or user@name)",
			   key, v);
		return false;
	}
	id->type = strchr(v, '@') ? IKE_ID_RFC822_ADDR : IKE_ID_FQDN;
	id->len = len;
	memcpy(id->data, v, len);
	return true;
}

static bool key_local_id(struct loader *ld, struct ike_conn *c, const char *v)
{
	return key_id(ld, &c->local_id, "local_id", v);
}

static bool key_remote_id(struct loader *ld, struct ike_conn *c, const char *v)
{
	return key_id(ld, &c->remote_id, "remote_id", v);
}

/* @v[0..len) as a key (psk_parse's checks) into @key; never quoted in messages. */
static bool secret_set(struct loader *ld, const char *what, const char *v, size_t len,
		       uint8_t *key, size_t *key_len)
{
	char err[PATH_MAX + 256];

	if (psk_parse(what, v, len, key, key_len, err, sizeof(err))) {
		conf_error(ld, ld->line, "%s", err);
		return false;
	}
	return true;
}

/* An inline secret (psk, ppk): the file must be as private as a key file's
 * (its group may read it, so that iked's user can read it again).
 */
static bool key_inline_secret(struct loader *ld, const char *what, const char *v,
			      uint8_t *key, size_t *key_len)
{
	if (ld->mode & S_IROTH) {
		conf_error(ld, ld->line,
			   "%s: %s, which holds it, is readable by everyone (mode %04o): chmod o-r it, or use %s_file",
			   what, ld->path, (unsigned int)(ld->mode & 07777), what);
		return false;
	}
	return secret_set(ld, what, v, strlen(v), key, key_len);
}

/* A secret (psk_file, ppk_file) from a file of its own. */
static bool key_secret_file(struct loader *ld, const char *what, const char *v,
			    uint8_t *key, size_t *key_len)
{
	/* The longest that may hold a key: "0x", its hex digits, CR LF, and one more. */
	uint8_t buf[2 + 2 * IKE_MAX_PSK + 3];
	char path[PATH_MAX], err[PATH_MAX + 256];
	ssize_t n;
	bool ok;
	int ret;

	if (v[0] == '/')
		ret = snprintf(path, sizeof(path), "%s", v);
	else
		ret = snprintf(path, sizeof(path), "%s/%s", ld->dir, v);
	if (ret < 0 || (size_t)ret >= sizeof(path) || !*v) {
		conf_error(ld, ld->line, "invalid %s '%s' (expected a path)", what, v);
		return false;
	}
	n = secret_file_read(what, path, buf, sizeof(buf), err, sizeof(err));
	if (n < 0) {
		conf_error(ld, ld->line, "%s", err);
		return false;
	}
	if ((size_t)n == sizeof(buf)) {
		conf_error(ld, ld->line, "%s %s: key longer than %d bytes", what, path,
			   IKE_MAX_PSK);
		ok = false;
	} else {
		char label[PATH_MAX + 16];

		while (n > 0 && (buf[n - 1] == '\n' || buf[n - 1] == '\r'))
			n--;
		snprintf(label, sizeof(label), "%s %s", what, path);
		ok = secret_set(ld, label, (const char *)buf, (size_t)n, key, key_len);
	}
	explicit_bzero(buf, sizeof(buf));
	return ok;
}

static bool key_psk(struct loader *ld, struct ike_conn *c, const char *v)
{
	return key_inline_secret(ld, "psk", v, c->psk, &c->psk_len);
}

static bool key_psk_file(struct loader *ld, struct ike_conn *c, const char *v)
{
	return key_secret_file(ld, "psk_file", v, c->psk, &c->psk_len);
}

/* RFC 8784's post-quantum preshared key, its identity, and whether it must be used. */
static bool key_ppk(struct loader *ld, struct ike_conn *c, const char *v)
{
	return key_inline_secret(ld, "ppk", v, c->ppk, &c->ppk_len);
}

static bool key_ppk_file(struct loader *ld, struct ike_conn *c, const char *v)
{
	return key_secret_file(ld, "ppk_file", v, c->ppk, &c->ppk_len);
}

static bool key_ppk_id(struct loader *ld, struct ike_conn *c, const char *v)
{
	size_t len = strlen(v);

	if (!len || len > sizeof(c->ppk_id)) {
		conf_error(ld, ld->line, "invalid ppk_id (expected 1 to %zu characters)",
			   sizeof(c->ppk_id));
		return false;
	}
	memcpy(c->ppk_id, v, len);
	c->ppk_id_len = len;
	return true;
}

/* A virtual address pool of @family into *@slot. */
static bool key_pool(struct loader *ld, struct ike_pool **slot, int family, const char *v)
{
	char err[256];

	*slot = calloc(1, sizeof(**slot));
	if (!*slot) {
		conf_error(ld, ld->line, "out of memory");
		return false;
	}
	if (pool_parse(*slot, family, v, err, sizeof(err))) {
		conf_error(ld, ld->line, "invalid %s: %s", family == AF_INET ? "pool" : "pool6",
			   err);
		free(*slot);
		*slot = NULL;
		return false;
	}
	return true;
}

static bool key_pool4(struct loader *ld, struct ike_conn *c, const char *v)
{
	return key_pool(ld, &c->pool4, AF_INET, v);
}

static bool key_pool6(struct loader *ld, struct ike_conn *c, const char *v)
{
	return key_pool(ld, &c->pool6, AF_INET6, v);
}

/* DNS servers for remote-access clients: addresses, comma-separated. */
static bool key_dns(struct loader *ld, struct ike_conn *c, const char *v)
{
	char buf[INI_MAX_LINE], *save = NULL, *p;
	struct conf_ts *d;

	snprintf(buf, sizeof(buf), "%s", v);
	for (p = strtok_r(buf, ",", &save); p; p = strtok_r(NULL, ",", &save)) {
		p += strspn(p, " \t");
		p[strcspn(p, " \t")] = '\0';
		if (c->n_dns == IKE_MAX_DNS) {
			conf_error(ld, ld->line, "dns: more than %d servers", IKE_MAX_DNS);
			return false;
		}
		d = &c->dns[c->n_dns];
		memset(d, 0, sizeof(*d));
		d->family = conf_literal_family(p, d->addr);
		if (!d->family) {
			conf_error(ld, ld->line, "invalid dns '%s' (expected IPv4 or IPv6 addresses)",
				   p);
			return false;
		}
		d->prefix_len = (uint8_t)(conf_addr_len(d->family) * 8);
		c->n_dns++;
	}
	return true;
}

static bool key_unique(struct loader *ld, struct ike_conn *c, const char *v)
{
	static const char *const names[] = { "replace", "keep", "no" };
	unsigned int i;

	for (i = 0; i < 3; i++)
		if (!strcmp(v, names[i])) {
			c->unique = (enum ike_unique)i;
			return true;
		}
	conf_error(ld, ld->line, "invalid unique '%s' (expected replace, keep or no)", v);
	return false;
}

/* A yes-or-no key @name into @out. */
static bool yes_no(struct loader *ld, const char *name, const char *v, bool *out)
{
	if (strcmp(v, "yes") && strcmp(v, "no")) {
		conf_error(ld, ld->line, "invalid %s '%s' (expected yes or no)", name, v);
		return false;
	}
	*out = !strcmp(v, "yes");
	return true;
}

static bool key_ppk_required(struct loader *ld, struct ike_conn *c, const char *v)
{
	return yes_no(ld, "ppk_required", v, &c->ppk_required);
}

static char *trim(char *s)
{
	char *end;

	while (isspace((unsigned char)*s))
		s++;
	end = s + strlen(s);
	while (end > s && isspace((unsigned char)end[-1]))
		*--end = '\0';
	return s;
}

static bool key_ts(struct loader *ld, const char *key, const char *v,
		   struct conf_ts *ts, unsigned int *n)
{
	char buf[INI_MAX_LINE], err[2 * INI_MAX_LINE], *s, *item, *save = NULL;
	bool ok = true;

	*n = 0;
	snprintf(buf, sizeof(buf), "%s", v);
	s = trim(buf);
	/* strtok_r would skip empty items silently. */
	if (!*s || strstr(s, ",,") || s[0] == ',' || s[strlen(s) - 1] == ',') {
		conf_error(ld, ld->line,
			   "invalid %s '%s' (expected prefixes separated by commas)",
			   key, v);
		return false;
	}
	for (item = strtok_r(s, ",", &save); item;
	     item = strtok_r(NULL, ",", &save)) {
		item = trim(item);
		if (*n == IKE_MAX_TS) {
			conf_error(ld, ld->line, "more than %d selectors in %s",
				   IKE_MAX_TS, key);
			return false;
		}
		if (!conf_ts_parse(key, item, &ts[*n], err, sizeof(err))) {
			conf_error(ld, ld->line, "%s", err);
			ok = false;
			continue;
		}
		(*n)++;
	}
	return ok;
}

static bool key_local_ts(struct loader *ld, struct ike_conn *c, const char *v)
{
	return key_ts(ld, "local_ts", v, c->local_ts, &c->n_local_ts);
}

static bool key_remote_ts(struct loader *ld, struct ike_conn *c, const char *v)
{
	return key_ts(ld, "remote_ts", v, c->remote_ts, &c->n_remote_ts);
}

static bool key_mode(struct loader *ld, struct ike_conn *c, const char *v)
{
	if (!strcmp(v, "tunnel")) {
		c->tunnel = true;
	} else if (!strcmp(v, "transport")) {
		c->tunnel = false;
	} else {
		conf_error(ld, ld->line,
			   "invalid mode '%s' (expected tunnel or transport)", v);
		return false;
	}
	return true;
}

static bool key_proposals(struct loader *ld, const char *key, const char *v,
			  uint8_t protocol, struct ike_proposal *props,
			  unsigned int *n)
{
	char err[256] = "";

	if (proposals_parse(v, protocol, props, IKE_MAX_PROPOSALS, n, err,
			    sizeof(err)) < 0) {
		conf_error(ld, ld->line, "%s: %s", key,
			   *err ? err : "invalid proposals");
		*n = 0;
		return false;
	}
	return true;
}

static bool key_ike(struct loader *ld, struct ike_conn *c, const char *v)
{
	return key_proposals(ld, "ike", v, IKE_PROTO_IKE, c->ike, &c->n_ike);
}

static bool key_esp(struct loader *ld, struct ike_conn *c, const char *v)
{
	return key_proposals(ld, "esp", v, IKE_PROTO_ESP, c->esp, &c->n_esp);
}

/* A lifetime: at least 10 s; dpd (@zero_ok): any, 0 for off. */
static bool key_time(struct loader *ld, const char *key, const char *v,
		     bool zero_ok, unsigned int *secs)
{
	unsigned int t;

	if (!conf_parse_time(v, &t)) {
		conf_error(ld, ld->line,
			   "invalid %s '%s' (expected seconds, or a number with s, m, h or d after it, at most a year)",
			   key, v);
		return false;
	}
	if (!zero_ok && t < CONF_MIN_LIFETIME) {
		conf_error(ld, ld->line, "%s '%s' is too short (at least %ds)",
			   key, v, CONF_MIN_LIFETIME);
		return false;
	}
	*secs = t;
	return true;
}

static bool key_ike_lifetime(struct loader *ld, struct ike_conn *c, const char *v)
{
	return key_time(ld, "ike_lifetime", v, false, &c->ike_lifetime);
}

static bool key_lifetime(struct loader *ld, struct ike_conn *c, const char *v)
{
	return key_time(ld, "lifetime", v, false, &c->lifetime);
}

static bool key_dpd(struct loader *ld, struct ike_conn *c, const char *v)
{
	return key_time(ld, "dpd", v, true, &c->dpd);
}

static bool key_start(struct loader *ld, struct ike_conn *c, const char *v)
{
	if (!strcmp(v, "none")) {
		c->start = IKE_START_NONE;
	} else if (!strcmp(v, "trap")) {
		c->start = IKE_START_TRAP;
	} else if (!strcmp(v, "start")) {
		c->start = IKE_START_START;
	} else {
		conf_error(ld, ld->line,
			   "invalid start '%s' (expected trap, start or none)", v);
		return false;
	}
	return true;
}

static bool key_encap(struct loader *ld, struct ike_conn *c, const char *v)
{
	return yes_no(ld, "encap", v, &c->encap);
}

static bool key_auth_kind(struct loader *ld, enum ike_auth_kind *kind,
			  const char *key, const char *v)
{
	if (!strcmp(v, "psk"))
		*kind = IKE_AUTH_BY_PSK;
	else if (!strcmp(v, "pubkey"))
		*kind = IKE_AUTH_BY_PUBKEY;
	else {
		conf_error(ld, ld->line, "invalid %s '%s' (expected psk or pubkey)", key, v);
		return false;
	}
	return true;
}

static bool key_auth(struct loader *ld, struct ike_conn *c, const char *v)
{
	return key_auth_kind(ld, &c->auth, "auth", v);
}

static bool key_remote_auth(struct loader *ld, struct ike_conn *c, const char *v)
{
	return key_auth_kind(ld, &c->remote_auth, "remote_auth", v);
}

/* The connection's credentials, made on the first key that needs them. */
static struct ike_creds *creds_of(struct loader *ld, struct ike_conn *c)
{
	if (!c->creds)
		c->creds = creds_new();
	if (!c->creds)
		conf_error(ld, ld->line, "out of memory");
	return c->creds;
}

/*
 * Credential files (comma-separated; for ca and crl also directories),
 * relative to iked.conf's directory, handed to @set.
 */
static bool key_creds(struct loader *ld, struct ike_conn *c, const char *v,
		      int (*set)(struct ike_creds *, const char *, char *, size_t))
{
	char paths[PATH_MAX], *save = NULL, *p, err[PATH_MAX + 256];
	size_t len = 0;

	if (!creds_of(ld, c))
		return false;
	/* Each relative path after iked.conf's directory. */
	snprintf(err, sizeof(err), "%s", v);
	paths[0] = '\0';
	for (p = strtok_r(err, ",", &save); p; p = strtok_r(NULL, ",", &save)) {
		p += strspn(p, " \t");
		len += (size_t)snprintf(paths + len, sizeof(paths) - len, "%s%s%s%s",
					len ? "," : "", *p == '/' ? "" : ld->dir,
					*p == '/' ? "" : "/", p);
		if (len >= sizeof(paths)) {
			conf_error(ld, ld->line, "path too long: '%s'", v);
			return false;
		}
	}
	if (set(c->creds, paths, err, sizeof(err))) {
		conf_error(ld, ld->line, "%s", err);
		return false;
	}
	return true;
}

static bool key_cert(struct loader *ld, struct ike_conn *c, const char *v)
{
	return key_creds(ld, c, v, creds_set_cert);
}

static bool key_key(struct loader *ld, struct ike_conn *c, const char *v)
{
	return key_creds(ld, c, v, creds_set_key);
}

static bool key_ca(struct loader *ld, struct ike_conn *c, const char *v)
{
	return key_creds(ld, c, v, creds_add_cas);
}

static bool key_crl(struct loader *ld, struct ike_conn *c, const char *v)
{
	return key_creds(ld, c, v, creds_add_crls);
}

static bool key_fragment_size(struct loader *ld, struct ike_conn *c, const char *v)
{
	unsigned long n;

	if (!conf_parse_uint(v, 65535, &n) || n < 576) {
		conf_error(ld, ld->line,
			   "invalid fragment_size '%s' (expected 576 to 65535: the largest IP datagram of an IKE message)",
			   v);
		return false;
	}
	c->fragment_size = (unsigned int)n;
	return true;
}

static bool key_if_id(struct loader *ld, struct ike_conn *c, const char *v)
{
	unsigned long n;

	if (!conf_parse_uint(v, UINT32_MAX, &n) || !n) {
		conf_error(ld, ld->line,
			   "invalid if_id '%s' (expected 1 to 4294967295: an nfesp device's interface id)",
			   v);
		return false;
	}
	c->if_id = (uint32_t)n;
	return true;
}

/* A name as the kernel takes it for a device (dev_valid_name). */
static bool key_interface(struct loader *ld, struct ike_conn *c, const char *v)
{
	size_t len = strlen(v);

	if (!len || len >= sizeof(c->interface) || !strcmp(v, ".") ||
	    !strcmp(v, "..") || strpbrk(v, "/: \t")) {
		conf_error(ld, ld->line,
			   "invalid interface '%s' (expected a device name of 1 to 15 characters, without '/', ':' or spaces)",
			   v);
		return false;
	}
	memcpy(c->interface, v, len + 1);
	return true;
}

static bool key_remote_cert(struct loader *ld, struct ike_conn *c, const char *v)
{
	return key_creds(ld, c, v, creds_set_peer_cert);
}

static bool key_send_cert(struct loader *ld, struct ike_conn *c, const char *v)
{
	return creds_of(ld, c) && yes_no(ld, "send_cert", v, &c->creds->send_cert);
}

static bool key_rsa_pss(struct loader *ld, struct ike_conn *c, const char *v)
{
	return creds_of(ld, c) && yes_no(ld, "rsa_pss", v, &c->creds->rsa_pss);
}

static const struct {
	const char *name;
	bool (*parse)(struct loader *ld, struct ike_conn *c, const char *v);
} conf_keys[K_COUNT] = {
	[K_LOCAL] = { "local", key_local },
	[K_REMOTE] = { "remote", key_remote },
	[K_LOCAL_ID] = { "local_id", key_local_id },
	[K_REMOTE_ID] = { "remote_id", key_remote_id },
	[K_PSK] = { "psk", key_psk },
	[K_PSK_FILE] = { "psk_file", key_psk_file },
	[K_LOCAL_TS] = { "local_ts", key_local_ts },
	[K_REMOTE_TS] = { "remote_ts", key_remote_ts },
	[K_MODE] = { "mode", key_mode },
	[K_IKE] = { "ike", key_ike },
	[K_ESP] = { "esp", key_esp },
	[K_IKE_LIFETIME] = { "ike_lifetime", key_ike_lifetime },
	[K_LIFETIME] = { "lifetime", key_lifetime },
	[K_DPD] = { "dpd", key_dpd },
	[K_START] = { "start", key_start },
	[K_ENCAP] = { "encap", key_encap },
	[K_AUTH] = { "auth", key_auth },
	[K_REMOTE_AUTH] = { "remote_auth", key_remote_auth },
	[K_CERT] = { "cert", key_cert },
	[K_KEY] = { "key", key_key },
	[K_CA] = { "ca", key_ca },
	[K_CRL] = { "crl", key_crl },
	[K_REMOTE_CERT] = { "remote_cert", key_remote_cert },
	[K_SEND_CERT] = { "send_cert", key_send_cert },
	[K_RSA_PSS] = { "rsa_pss", key_rsa_pss },
	[K_FRAGMENT_SIZE] = { "fragment_size", key_fragment_size },
	[K_PPK] = { "ppk", key_ppk },
	[K_PPK_FILE] = { "ppk_file", key_ppk_file },
	[K_PPK_ID] = { "ppk_id", key_ppk_id },
	[K_PPK_REQUIRED] = { "ppk_required", key_ppk_required },
	[K_POOL] = { "pool", key_pool4 },
	[K_POOL6] = { "pool6", key_pool6 },
	[K_DNS] = { "dns", key_dns },
	[K_UNIQUE] = { "unique", key_unique },
	[K_IF_ID] = { "if_id", key_if_id },
	[K_INTERFACE] = { "interface", key_interface },
};

static void unknown_key(struct loader *ld, const char *name)
{
	char known[512];
	size_t len = 0;
	int k;

	known[0] = '\0';
	for (k = 0; k < K_COUNT; k++)
		len += (size_t)snprintf(known + len, sizeof(known) - len, "%s%s",
					k ? ", " : "", conf_keys[k].name);
	conf_error(ld, ld->line, "unknown key '%s' (known: %s)", name, known);
}

int conf_key_find(struct loader *ld, const char *name)
{
	int k;

	for (k = 0; k < K_COUNT; k++)
		if (!strcmp(name, conf_keys[k].name))
			return k;
	unknown_key(ld, name);
	return K_COUNT;
}

bool conf_key_parse(struct loader *ld, int k, const char *v)
{
	return conf_keys[k].parse(ld, ld->cur, v);
}

/* The default proposals for a section that gives none. */
void conf_default_proposals(struct loader *ld, struct ike_conn *c)
{
	unsigned int line = ld->line;

	/* A failure here is a bug in the defaults: blame the section. */
	ld->line = c->line;
	if (!ld->key_line[K_IKE])
		key_ike(ld, c, IKE_DEFAULT_IKE_PROPOSALS);
	if (!ld->key_line[K_ESP])
		key_esp(ld, c, IKE_DEFAULT_ESP_PROPOSALS);
	ld->line = line;
}
