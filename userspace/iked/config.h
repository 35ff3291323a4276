/* SPDX-License-Identifier: GPL-2.0 */
/*
 * iked's configuration: /etc/nfesp/iked.conf, an INI file read with libinih,
 * one section per connection:
 *
 *   [NAME]
 *   local = 192.0.2.1             our address (IKE and tunnel end)
 *   remote = 192.0.2.2            the peer's address; for a gateway of
 *                                 many: a prefix, or %any (of local's family)
 *   local_id = gw1.example.org    IDs: an address, an FQDN or user@fqdn;
 *   remote_id = gw2.example.org   default: the address
 *   psk = secret                  or psk_file = /etc/nfesp/gw2.psk (not
 *                                 readable by others); "0x..." is hex
 *   auth = psk                    or pubkey: cert = FILE, key = FILE;
 *   remote_auth = psk             the peer's (default: auth); pubkey:
 *                                 ca = FILE|DIR,..., crl = FILE|DIR,...
 *   local_ts = 10.1.0.0/16        traffic selectors: prefixes, comma-separated,
 *   remote_ts = 10.2.0.0/16       each optionally [proto/port]; default: the
 *                                 address (transport) / required (tunnel)
 *   mode = tunnel                 or transport
 *   ike = aes128gcm16-prfsha256-x25519   proposals, as strongSwan spells them
 *   esp = aes128gcm16
 *   ike_lifetime = 4h             IKE SA: rekeyed at ~90% (rekey = ...)
 *   lifetime = 1h                 CHILD SA: soft expiry at ~90%, hard at 100%
 *   dpd = 30s                     liveness check interval; 0: off
 *   start = trap                  trap | start | none
 *   encap = no                    yes: force UDP encapsulation (port 4500)
 *   pool = 10.99.0.0/24           remote access: the clients' virtual
 *   pool6 = fd00:99::/112         addresses (CP), and the DNS servers they
 *   dns = 10.1.0.53, fd01::53     are told of
 *   unique = replace              a client's new IKE SA ends its old one
 *
 * Times take s, m, h suffixes (plain numbers are seconds).
 */
#ifndef IKED_CONFIG_H
#define IKED_CONFIG_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/socket.h>

#include "creds.h"
#include "pool.h"
#include "payload.h"
#include "secrets.h"

#define IKE_MAX_ID	256
#define IKE_MAX_PSK	SECRET_PSK_MAX
#define IKE_NAME_MAX	64

enum ike_start {
	IKE_START_NONE,
	IKE_START_TRAP,
	IKE_START_START,
};

struct ike_id {
	uint8_t type;		/* IKE_ID_* */
	size_t len;
	uint8_t data[IKE_MAX_ID];	/* 4/16 address bytes, or the name */
};

/* A traffic selector as configured: a prefix and optionally a protocol and port. */
struct conf_ts {
	int family;		/* AF_INET or AF_INET6 */
	uint8_t addr[16];
	uint8_t prefix_len;
	uint8_t proto;		/* 0: any */
	uint16_t port;		/* 0: any */
};

/* What a new IKE SA of an identity that has one does (unique = ...). */
enum ike_unique {
	IKE_UNIQUE_REPLACE,	/* the old one ends */
	IKE_UNIQUE_KEEP,	/* the new one is refused */
	IKE_UNIQUE_NO,		/* both stay */
};

#define IKE_MAX_DNS	4

struct ike_conn {
	char name[IKE_NAME_MAX];
	int family;
	struct sockaddr_storage local, remote;	/* port 0 */
	/* the bits of remote a peer's address must share: all of them for
	 * one peer, 0 for %any
	 */
	uint8_t remote_prefix;
	struct ike_id local_id, remote_id;
	enum ike_auth_kind auth, remote_auth;
	struct ike_creds *creds;	/* NULL: pre-shared keys alone */
	uint8_t psk[IKE_MAX_PSK];
	size_t psk_len;
	/* RFC 8784: a post-quantum preshared key (0 bytes: none) */
	uint8_t ppk[IKE_MAX_PSK];
	size_t ppk_len;
	uint8_t ppk_id[IKE_MAX_ID];
	size_t ppk_id_len;
	bool ppk_required;
	struct conf_ts local_ts[IKE_MAX_TS], remote_ts[IKE_MAX_TS];
	unsigned int n_local_ts, n_remote_ts;
	bool tunnel;
	struct ike_proposal ike[IKE_MAX_PROPOSALS], esp[IKE_MAX_PROPOSALS];
	unsigned int n_ike, n_esp;
	unsigned int ike_lifetime, lifetime;	/* seconds */
	unsigned int dpd;	/* seconds, 0: off */
	enum ike_start start;
	bool encap;
	unsigned int fragment_size;	/* the largest IP datagram of IKE (7383) */
	/* remote access: virtual addresses (NULL: none), DNS servers */
	struct ike_pool *pool4, *pool6;
	struct conf_ts dns[IKE_MAX_DNS];	/* full-length prefixes */
	unsigned int n_dns;
	enum ike_unique unique;
	/* route-based: the nfesp device's interface id, or its name (0, "": none) */
	uint32_t if_id;
	char interface[16];
	unsigned int line;	/* where its section starts, for messages */
	uint32_t reqid;		/* iked's: ties its SAs to its policies */
	struct conn_log *log;	/* its latest log lines (conn_log.c), or NULL */
	struct ike_conn *next;
};

/* [global]: iked's own settings, beside the connections. */
struct ike_settings {
	unsigned int retries;		/* resends of a request before the peer is dead */
	unsigned int cookie_threshold;	/* half-open IKE SAs before cookies are asked */
	unsigned int half_open_max;	/* half-open IKE SAs at most, cookie or not */
};

#define IKE_DEFAULT_RETRIES		5
#define IKE_DEFAULT_COOKIE_THRESHOLD	16
#define IKE_DEFAULT_HALF_OPEN_MAX	1024

struct ike_config {
	struct ike_conn *conns;	/* in file order */
	struct ike_settings settings;
};

/*
 * Reads @path. Every error is written to @errors as "PATH:LINE: message"
 * (a missing required key: at its section's line), and counted; the
 * configuration is kept only when there is none. Returns the number of
 * errors (a file that cannot be opened is one), 0 on success.
 */
int config_load(const char *path, struct ike_config *conf, FILE *errors);

/* Frees (and wipes the keys of) every connection. */
void config_free(struct ike_config *conf);

struct ike_conn *config_find(const struct ike_config *conf, const char *name);

/* Whether @c's remote is one peer's address (not a prefix or %any). */
bool conn_one_peer(const struct ike_conn *c);
/* Whether the address of @peer (port aside) is one of @c's remote. */
bool conn_takes_peer(const struct ike_conn *c, const struct sockaddr_storage *peer);

/* Whether @a and @b say the same (where in the file aside). */
bool config_conn_same(const struct ike_conn *a, const struct ike_conn *b);

/* Whether @id (type, data as received) is @want. */
bool ike_id_equal(const struct ike_id *want, uint8_t type, const uint8_t *data,
		  size_t len);

/* Whether @type/@data fits @pattern: the same, or what its wildcards
 * allow (a DN's "*" values, "*.example.org"; certs_id_fits).
 */
bool ike_id_fits(const struct ike_id *pattern, uint8_t type, const uint8_t *data,
		 size_t len);

/* @id for people: "192.0.2.1", "gw.example.org", "user@example.org". */
void ike_id_format(uint8_t type, const uint8_t *data, size_t len, char *buf,
		   size_t size);

/* Defaults, as strongSwan's (5.9) where it has one. */
#define IKE_DEFAULT_IKE_PROPOSALS \
	"aes128gcm16-aes256gcm16-prfsha256-prfsha384-x25519-ecp256-modp3072," \
	"aes128-aes256-sha256-sha384-sha512-x25519-ecp256-modp3072"
#define IKE_DEFAULT_ESP_PROPOSALS \
	"aes128gcm16-aes256gcm16-chacha20poly1305,aes128-aes256-sha256"
#define IKE_DEFAULT_IKE_LIFETIME	(4 * 3600)
#define IKE_DEFAULT_LIFETIME		3600
#define IKE_DEFAULT_DPD			30

#endif
