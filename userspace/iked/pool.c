// SPDX-License-Identifier: GPL-2.0
/* Virtual address pools and their leases, per client identity. */
#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "pool.h"

static size_t addr_len(const struct ike_pool *p)
{
	return p->family == AF_INET ? 4 : 16;
}

int pool_parse(struct ike_pool *p, int family, const char *text, char *err,
	       size_t errlen)
{
	char addr[INET6_ADDRSTRLEN + 1], *end;
	const char *slash = strchr(text, '/');
	unsigned int bits = family == AF_INET ? 32 : 128, host, i;
	unsigned long len;
	uint64_t count, unusable;

	memset(p, 0, sizeof(*p));
	p->family = family;
	if (!slash || (size_t)(slash - text) >= sizeof(addr)) {
		snprintf(err, errlen, "'%s' is not a prefix (such as %s)", text,
			 family == AF_INET ? "10.99.0.0/24" : "fd00:99::/112");
		return -1;
	}
	memcpy(addr, text, (size_t)(slash - text));
	addr[slash - text] = '\0';
	len = strtoul(slash + 1, &end, 10);
	if (inet_pton(family, addr, p->base) != 1 || *end || end == slash + 1 || len > bits) {
		snprintf(err, errlen, "'%s' is not an %s prefix", text,
			 family == AF_INET ? "IPv4" : "IPv6");
		return -1;
	}
	p->prefix_len = (unsigned int)len;
	host = bits - p->prefix_len;
	for (i = p->prefix_len; i < bits; i++)
		if (p->base[i / 8] & (0x80 >> (i % 8))) {
			snprintf(err, errlen, "'%s' has host bits set (the prefix's first address, please)",
				 text);
			return -1;
		}
	/* Not the first address; for IPv4 not the broadcast address either. */
	count = host >= 32 ? UINT64_MAX : (1ull << host);
	unusable = family == AF_INET ? 2 : 1;
	count = count > unusable ? count - unusable : 0;
	if (!count) {
		snprintf(err, errlen, "'%s' has no address to lease", text);
		return -1;
	}
	if (count > POOL_MAX_SIZE) {
		snprintf(err, errlen, "'%s' is larger than iked's limit of %u addresses (/%u for %s)",
			 text, POOL_MAX_SIZE, bits - 16, family == AF_INET ? "IPv4" : "IPv6");
		return -1;
	}
	p->size = (uint32_t)count;
	p->host_bits = host;
	p->next_new = 1;
	return 0;
}

void pool_free(struct ike_pool *p)
{
	free(p->leases);
	memset(p, 0, sizeof(*p));
}

static void put_addr(const struct ike_pool *p, uint32_t off, uint8_t *addr)
{
	size_t n = addr_len(p);
	unsigned int i;

	memcpy(addr, p->base, n);
	/* The host bits are zero in base, and off fits in them. */
	for (i = 0; i < 4; i++)
		addr[n - 1 - i] |= (uint8_t)(off >> (8 * i));
}

static bool offset_of(const struct ike_pool *p, const uint8_t *addr, uint32_t *off)
{
	size_t n = addr_len(p);
	uint32_t v = 0;
	unsigned int i;

	if (memcmp(addr, p->base, n - 4))
		return false;
	for (i = 0; i < 4; i++)
		v = v << 8 | (uint8_t)(addr[n - 4 + i] ^ p->base[n - 4 + i]);
	*off = v;
	/* Past the host bits the address is another prefix's. */
	return !(v >> p->host_bits) && v >= 1 && v <= p->size;
}

static struct pool_lease *lease_of_key(struct ike_pool *p, const uint8_t *key, size_t len)
{
	unsigned int i;

	for (i = 0; i < p->n_leases; i++)
		if (p->leases[i].key_len == len && !memcmp(p->leases[i].key, key, len))
			return &p->leases[i];
	return NULL;
}

static struct pool_lease *new_lease(struct ike_pool *p)
{
	struct pool_lease *l;
	unsigned int cap;

	if (p->n_leases == p->cap_leases) {
		cap = p->cap_leases ? 2 * p->cap_leases : 16;
		l = reallocarray(p->leases, cap, sizeof(*l));
		if (!l)
			return NULL;
		p->leases = l;
		p->cap_leases = cap;
	}
	return &p->leases[p->n_leases++];
}

/* The lease offline the longest, if past the grace at @now. */
static struct pool_lease *oldest_expired(struct ike_pool *p, time_t now)
{
	struct pool_lease *best = NULL;
	unsigned int i;

	for (i = 0; i < p->n_leases; i++) {
		struct pool_lease *l = &p->leases[i];

		if (!l->online && now - l->released >= POOL_GRACE_SECS &&
		    (!best || l->released < best->released))
			best = l;
	}
	return best;
}

bool pool_acquire(struct ike_pool *p, const uint8_t *key, size_t key_len, time_t now,
		  uint8_t *addr)
{
	struct pool_lease *l;

	if (key_len > POOL_MAX_KEY)
		return false;
	l = lease_of_key(p, key, key_len);
	if (!l && p->next_new <= p->size) {
		l = new_lease(p);
		if (!l)
			return false;
		l->off = p->next_new++;
	} else if (!l) {
		l = oldest_expired(p, now);
		if (!l)
			return false;
	}
	l->online = true;
	l->key_len = key_len;
	memcpy(l->key, key, key_len);
	put_addr(p, l->off, addr);
	return true;
}

void pool_release(struct ike_pool *p, const uint8_t *addr, time_t now)
{
	uint32_t off;
	unsigned int i;

	if (!offset_of(p, addr, &off))
		return;
	for (i = 0; i < p->n_leases; i++)
		if (p->leases[i].off == off && p->leases[i].online) {
			p->leases[i].online = false;
			p->leases[i].released = now;
		}
}

unsigned int pool_online(const struct ike_pool *p)
{
	unsigned int i, n = 0;

	for (i = 0; i < p->n_leases; i++)
		n += p->leases[i].online;
	return n;
}

void pool_lease_addr(const struct ike_pool *p, const struct pool_lease *l, uint8_t *addr)
{
	put_addr(p, l->off, addr);
}

void pool_format(const struct ike_pool *p, char *buf, size_t size)
{
	char a[INET6_ADDRSTRLEN];

	inet_ntop(p->family, p->base, a, sizeof(a));
	snprintf(buf, size, "%s/%u", a, p->prefix_len);
}
