// SPDX-License-Identifier: GPL-2.0
/*
 * Traffic selectors (RFC 7296 2.9): ours from the configuration, the
 * responder's narrowing, the initiator's check of the answer, and how they
 * are shown.
 */
#include <string.h>
#include <arpa/inet.h>

#include "../lib/parse.h"
#include "ike.h"

int ts_family(const struct ike_ts *ts)
{
	return ts->type == IKE_TS_IPV4_ADDR_RANGE ? AF_INET : AF_INET6;
}

static size_t ts_alen(const struct ike_ts *ts)
{
	return ts->type == IKE_TS_IPV4_ADDR_RANGE ? 4 : 16;
}

static void conf_to_ts(const struct conf_ts *in, struct ike_ts *ts)
{
	size_t alen = in->family == AF_INET ? 4 : 16, i;

	memset(ts, 0, sizeof(*ts));
	ts->type = in->family == AF_INET ? IKE_TS_IPV4_ADDR_RANGE :
					   IKE_TS_IPV6_ADDR_RANGE;
	ts->proto = in->proto;
	ts->sport = in->port;
	ts->eport = in->port ? in->port : 65535;
	for (i = 0; i < alen; i++) {
		unsigned int bits = in->prefix_len > i * 8 ?
				    in->prefix_len - i * 8 : 0;
		uint8_t mask = bits >= 8 ? 0xff : (uint8_t)(0xff00 >> bits);

		ts->saddr[i] = in->addr[i] & mask;
		ts->eaddr[i] = in->addr[i] | (uint8_t)~mask;
	}
}

void child_our_ts(const struct ike_conn *conn, struct ike_ts *local,
		  unsigned int *nl, struct ike_ts *remote, unsigned int *nr)
{
	unsigned int i;

	for (i = 0; i < conn->n_local_ts; i++)
		conf_to_ts(&conn->local_ts[i], &local[i]);
	for (i = 0; i < conn->n_remote_ts; i++)
		conf_to_ts(&conn->remote_ts[i], &remote[i]);
	*nl = conn->n_local_ts;
	*nr = conn->n_remote_ts;
}

/* The intersection of two selectors; false if empty. */
static bool ts_intersect(const struct ike_ts *a, const struct ike_ts *b,
			 struct ike_ts *out)
{
	size_t alen = ts_alen(a);

	if (a->type != b->type)
		return false;
	if (a->proto && b->proto && a->proto != b->proto)
		return false;
	*out = *a;
	out->proto = a->proto ? a->proto : b->proto;
	out->sport = a->sport > b->sport ? a->sport : b->sport;
	out->eport = a->eport < b->eport ? a->eport : b->eport;
	if (out->sport > out->eport)
		return false;
	memcpy(out->saddr, memcmp(a->saddr, b->saddr, alen) > 0 ? a->saddr : b->saddr,
	       alen);
	memcpy(out->eaddr, memcmp(a->eaddr, b->eaddr, alen) < 0 ? a->eaddr : b->eaddr,
	       alen);
	return memcmp(out->saddr, out->eaddr, alen) <= 0;
}

/* Whether all that @a matches, @b matches too. */
static bool ts_within(const struct ike_ts *a, const struct ike_ts *b)
{
	struct ike_ts x;

	return ts_intersect(a, b, &x) && !memcmp(&x, a, sizeof(x));
}

/*
 * The intersections of their selectors with ours, without those that
 * another one holds (an ACQUIRE's packet within the configured prefix).
 */
static unsigned int narrow(const struct ike_ts *theirs, unsigned int nt,
			   const struct ike_ts *ours, unsigned int no,
			   struct ike_ts *out)
{
	unsigned int i, j, k, n = 0;
	struct ike_ts x;

	for (i = 0; i < nt; i++)
		for (j = 0; j < no && n < IKE_MAX_TS; j++) {
			if (!ts_intersect(&theirs[i], &ours[j], &x))
				continue;
			for (k = 0; k < n && !ts_within(&x, &out[k]); k++)
				;
			if (k < n)
				continue;
			/* Those the new one holds go. */
			for (k = 0; k < n;) {
				if (ts_within(&out[k], &x))
					out[k] = out[--n];
				else
					k++;
			}
			out[n++] = x;
		}
	return n;
}

/* Whether the range of @ts is exactly a prefix (else it is shown as a-b). */
static bool ts_is_prefix(const struct ike_ts *ts, uint8_t *len)
{
	uint8_t addr[16], last[16];
	size_t alen = ts_alen(ts), i;

	*len = ts_range_prefix(ts, addr);
	for (i = 0; i < alen; i++) {
		unsigned int bits = *len > i * 8 ? *len - i * 8 : 0;
		uint8_t mask = bits >= 8 ? 0xff : (uint8_t)(0xff00 >> bits);

		last[i] = addr[i] | (uint8_t)~mask;
	}
	return !memcmp(addr, ts->saddr, alen) && !memcmp(last, ts->eaddr, alen);
}

/* "10.1.0.0/16", "10.1.0.5-10.1.0.9", with "[tcp/443]" when narrower than any. */
void ike_ts_format(const struct ike_ts *ts, unsigned int n, char *buf,
		   size_t len)
{
	char s[INET6_ADDRSTRLEN], e[INET6_ADDRSTRLEN];
	size_t off = 0;
	unsigned int i;
	uint8_t plen;

	buf[0] = '\0';
	for (i = 0; i < n && off < len; i++) {
		const struct ike_ts *t = &ts[i];

		inet_ntop(ts_family(t), t->saddr, s, sizeof(s));
		inet_ntop(ts_family(t), t->eaddr, e, sizeof(e));
		if (ts_is_prefix(t, &plen))
			off += snprintf(buf + off, len - off, "%s%s/%u", i ? ", " : "",
					s, plen);
		else
			off += snprintf(buf + off, len - off, "%s%s-%s", i ? ", " : "",
					s, e);
		if (off >= len || (!t->proto && !t->sport && t->eport == 65535))
			continue;
		if (proto_name(t->proto))
			off += snprintf(buf + off, len - off, "[%s", proto_name(t->proto));
		else
			off += snprintf(buf + off, len - off, "[%u", t->proto);
		if (off < len && t->sport == t->eport)
			off += snprintf(buf + off, len - off, "/%u", t->sport);
		else if (off < len && (t->sport || t->eport != 65535))
			off += snprintf(buf + off, len - off, "/%u-%u", t->sport, t->eport);
		if (off < len)
			off += snprintf(buf + off, len - off, "]");
	}
}

/* One address, any protocol and port. */
static void ts_host(struct ike_ts *ts, int family, const uint8_t *addr)
{
	size_t alen = family == AF_INET ? 4 : 16;

	memset(ts, 0, sizeof(*ts));
	ts->type = family == AF_INET ? IKE_TS_IPV4_ADDR_RANGE : IKE_TS_IPV6_ADDR_RANGE;
	ts->eport = 65535;
	memcpy(ts->saddr, addr, alen);
	memcpy(ts->eaddr, addr, alen);
}

/*
 * Ours for @sa: the connection's, but a remote-access client's side is
 * its virtual addresses (RFC 7296 2.19).
 */
static void sa_our_ts(const struct ike_sa *sa, struct ike_ts *local, unsigned int *nl,
		      struct ike_ts *remote, unsigned int *nr)
{
	child_our_ts(sa->conn, local, nl, remote, nr);
	if (!sa->has_vip4 && !sa->has_vip6)
		return;
	*nr = 0;
	if (sa->has_vip4)
		ts_host(&remote[(*nr)++], AF_INET, sa->vip4);
	if (sa->has_vip6)
		ts_host(&remote[(*nr)++], AF_INET6, sa->vip6);
}

bool child_narrow(struct ike_sa *sa, const struct ike_ts *tsi, unsigned int ni,
		  const struct ike_ts *tsr, unsigned int nr, struct child_sa *c)
{
	struct ike_ts ours_l[IKE_MAX_TS], ours_r[IKE_MAX_TS];
	unsigned int nl, nrr;
	char a[512], b[512], x[512], y[512];

	sa_our_ts(sa, ours_l, &nl, ours_r, &nrr);
	/* Their TSi is our remote side, their TSr our local one. */
	c->n_ts_remote = narrow(tsi, ni, ours_r, nrr, c->ts_remote);
	c->n_ts_local = narrow(tsr, nr, ours_l, nl, c->ts_local);
	if (c->n_ts_remote && c->n_ts_local)
		return true;
	ike_ts_format(tsi, ni, a, sizeof(a));
	ike_ts_format(tsr, nr, b, sizeof(b));
	ike_ts_format(ours_r, nrr, x, sizeof(x));
	ike_ts_format(ours_l, nl, y, sizeof(y));
	ike_warn(sa, NULL, "TS_UNACCEPTABLE: the peer proposed TSi %s, TSr %s; we accept remote_ts %s, local_ts %s",
		a, b, x, y);
	return false;
}

bool child_ts_within_ours(struct ike_sa *sa, const struct ike_ts *tsi,
			  unsigned int ni, const struct ike_ts *tsr,
			  unsigned int nr)
{
	struct ike_ts ours_l[IKE_MAX_TS], ours_r[IKE_MAX_TS];
	unsigned int nl, nrr, i, j;
	char a[512], b[512];

	sa_our_ts(sa, ours_l, &nl, ours_r, &nrr);
	for (i = 0; i < ni; i++) {
		for (j = 0; j < nl && !ts_within(&tsi[i], &ours_l[j]); j++)
			;
		if (j == nl)
			goto wider;
	}
	for (i = 0; i < nr; i++) {
		for (j = 0; j < nrr && !ts_within(&tsr[i], &ours_r[j]); j++)
			;
		if (j == nrr)
			goto wider;
	}
	return true;
wider:
	ike_ts_format(tsi, ni, a, sizeof(a));
	ike_ts_format(tsr, nr, b, sizeof(b));
	ike_warn(sa, NULL, "the peer answered selectors wider than ours (TSi %s, TSr %s): refused",
		a, b);
	return false;
}

/* The prefix of a range (the smallest one that holds it). */
uint8_t ts_range_prefix(const struct ike_ts *ts, uint8_t *addr)
{
	size_t alen = ts_alen(ts), i;
	unsigned int len = 0;

	for (i = 0; i < alen * 8; i++) {
		uint8_t bit = 0x80 >> (i % 8);

		if ((ts->saddr[i / 8] & bit) != (ts->eaddr[i / 8] & bit))
			break;
		len++;
	}
	for (i = 0; i < alen; i++) {
		unsigned int bits = len > i * 8 ? len - i * 8 : 0;

		addr[i] = ts->saddr[i] & (bits >= 8 ? 0xff : (uint8_t)(0xff00 >> bits));
	}
	return (uint8_t)len;
}
