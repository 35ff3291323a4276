/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Virtual address pools for remote access (RFC 7296 3.15): a prefix of
 * iked.conf's pool or pool6, and its leases. A client gets the address it
 * had before, while it is connected and for a grace period after; past
 * that its address goes to another client only when no address was never
 * leased. No address is handed out twice, none is the prefix's first
 * (10.99.0.0, fd00:99::) or, for IPv4, its last (the broadcast address).
 */
#ifndef IKED_POOL_H
#define IKED_POOL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

/* How long a disconnected client's address stays its own. */
#define POOL_GRACE_SECS		(10 * 60)
/*
 * The most addresses of one pool: a lease holds an identity of up to 257
 * bytes, and clients (authenticated, but perhaps of one group PSK) may
 * claim as many identities as they like, so at most 18 MB of leases.
 */
#define POOL_MAX_SIZE		(1u << 16)
/* A client's key: its identity (type and data), as iked's IDs are. */
#define POOL_MAX_KEY		257

struct pool_lease {
	uint32_t off;		/* from the prefix's first address */
	bool online;
	time_t released;	/* when it went offline */
	size_t key_len;
	uint8_t key[POOL_MAX_KEY];
};

struct ike_pool {
	int family;		/* AF_INET or AF_INET6 */
	uint8_t base[16];	/* the prefix, network byte order */
	unsigned int prefix_len, host_bits;
	uint32_t size;		/* offsets that may be leased: 1 .. size */
	uint32_t next_new;	/* the lowest offset never leased */
	/* one a leased offset: an address is never in two */
	struct pool_lease *leases;
	unsigned int n_leases, cap_leases;
};

/*
 * "10.99.0.0/24" or "fd00:99::/112" into @p (of @family: AF_INET for
 * pool, AF_INET6 for pool6). At most POOL_MAX_SIZE addresses, at least
 * one. Returns 0, or -1 and why in @err.
 */
int pool_parse(struct ike_pool *p, int family, const char *text, char *err,
	       size_t errlen);
void pool_free(struct ike_pool *p);

/*
 * An address for the client @key at @now, into @addr (4 or 16 bytes):
 * the one it holds or held, else a free one. false: the pool is full
 * (or out of memory).
 */
bool pool_acquire(struct ike_pool *p, const uint8_t *key, size_t key_len, time_t now,
		  uint8_t *addr);

/* The client of @addr has gone (DELETE, DPD): its lease waits for it. */
void pool_release(struct ike_pool *p, const uint8_t *addr, time_t now);

/* Leases in use, and reserved for clients that went within the grace. */
unsigned int pool_online(const struct ike_pool *p);

/* The address of @l into @addr. */
void pool_lease_addr(const struct ike_pool *p, const struct pool_lease *l, uint8_t *addr);

/* "10.99.0.0/24" of @p into @buf. */
void pool_format(const struct ike_pool *p, char *buf, size_t size);

#endif
