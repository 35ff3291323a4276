// SPDX-License-Identifier: GPL-2.0
/*
 * `ipsecctl ike list-conns`: the configured connections, each setting as
 * it is in force, defaults filled in, keys and secrets left out.
 */
#include <arpa/inet.h>
#include <stdio.h>

#include "creds.h"
#include "ike.h"
#include "pool.h"
#include "proposal.h"

const char *conn_start_word(enum ike_start s)
{
	return s == IKE_START_TRAP ? "trap" : s == IKE_START_START ? "start" : "none";
}

const char *conn_auth_word(enum ike_auth_kind k)
{
	return k == IKE_AUTH_BY_PUBKEY ? "pubkey" : "psk";
}

void conn_addr_format(const struct sockaddr_storage *ss, unsigned int prefix, char *buf,
		      size_t len)
{
	unsigned int full = ss->ss_family == AF_INET ? 32 : 128;
	char s[INET6_ADDRSTRLEN];
	size_t alen;

	if (!prefix) {
		snprintf(buf, len, "%%any");
		return;
	}
	inet_ntop(ss->ss_family, sockaddr_addr(ss, &alen), s, sizeof(s));
	snprintf(buf, len, prefix < full ? "%s/%u" : "%s", s, prefix);
}

static void put_id(FILE *f, const char *side, const struct ike_id *id, enum ike_auth_kind auth)
{
	char s[IKE_MAX_ID + 1] = "%any";

	if (id->len)
		ike_id_format(id->type, id->data, id->len, s, sizeof(s));
	fprintf(f, "  %-6s '%s', auth %s\n", side, s, conn_auth_word(auth));
}

static void put_pool(FILE *f, const char *key, const struct ike_pool *p)
{
	char s[INET6_ADDRSTRLEN];

	inet_ntop(p->family, p->base, s, sizeof(s));
	fprintf(f, "  %-6s %s/%u\n", key, s, p->prefix_len);
}

void conn_show(FILE *f, const struct ike_conn *c)
{
	struct ike_ts l[IKE_MAX_TS], r[IKE_MAX_TS];
	char a[1024], b[1024];
	unsigned int nl, nr;

	conn_addr_format(&c->local, c->local.ss_family == AF_INET ? 32 : 128, a, sizeof(a));
	conn_addr_format(&c->remote, c->remote_prefix, b, sizeof(b));
	fprintf(f, "%s: %s === %s, start %s%s\n", c->name, a, b, conn_start_word(c->start),
		c->encap ? ", encap" : "");
	put_id(f, "local", &c->local_id, c->auth);
	put_id(f, "remote", &c->remote_id, c->remote_auth);
	proposals_format(c->ike, c->n_ike, a, sizeof(a));
	fprintf(f, "  ike    %s; lifetime %us, dpd %us, fragments of %u bytes\n", a,
		c->ike_lifetime, c->dpd, c->fragment_size);
	proposals_format(c->esp, c->n_esp, a, sizeof(a));
	fprintf(f, "  esp    %s; lifetime %us\n", a, c->lifetime);
	child_our_ts(c, l, &nl, r, &nr);
	ike_ts_format(l, nl, a, sizeof(a));
	ike_ts_format(r, nr, b, sizeof(b));
	fprintf(f, "  child  %s, %s === %s\n", c->tunnel ? "tunnel" : "transport", a, b);
	if (c->if_id)
		fprintf(f, "  device if_id %u\n", c->if_id);
	else if (c->interface[0])
		fprintf(f, "  device %s\n", c->interface);
	if (c->pool4)
		put_pool(f, "pool", c->pool4);
	if (c->pool6)
		put_pool(f, "pool6", c->pool6);
	if (c->ppk_len)
		fprintf(f, "  ppk    '%.*s'%s\n", (int)c->ppk_id_len, (const char *)c->ppk_id,
			c->ppk_required ? ", required" : "");
}
