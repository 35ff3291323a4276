// SPDX-License-Identifier: GPL-2.0
/*
 * Connections compared (what a reload keeps running), found by name, and
 * identities matched and shown.
 */
#include <arpa/inet.h>
#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "certs.h"
#include "config.h"
#include "ikev2.h"
#include "net.h"
#include "proposal.h"

static bool same_addr(const struct sockaddr_storage *a,
		      const struct sockaddr_storage *b)
{
	if (a->ss_family != b->ss_family)
		return false;
	if (a->ss_family == AF_INET)
		return ((const struct sockaddr_in *)a)->sin_addr.s_addr ==
		       ((const struct sockaddr_in *)b)->sin_addr.s_addr;
	return !memcmp(&((const struct sockaddr_in6 *)a)->sin6_addr,
		       &((const struct sockaddr_in6 *)b)->sin6_addr, 16);
}

static bool same_id(const struct ike_id *a, const struct ike_id *b)
{
	return a->type == b->type && a->len == b->len &&
	       !memcmp(a->data, b->data, a->len);
}

static bool same_proposals(const struct ike_proposal *a, unsigned int na,
			   const struct ike_proposal *b, unsigned int nb)
{
	char x[1024], y[1024];

	proposals_format(a, na, x, sizeof(x));
	proposals_format(b, nb, y, sizeof(y));
	return na == nb && !strcmp(x, y);
}

bool conn_one_peer(const struct ike_conn *c)
{
	return c->remote_prefix == (c->remote.ss_family == AF_INET ? 32 : 128);
}

bool conn_takes_peer(const struct ike_conn *c, const struct sockaddr_storage *peer)
{
	unsigned int bits = c->remote_prefix;
	const uint8_t *a, *b;
	size_t len;

	if (peer->ss_family != c->remote.ss_family)
		return false;
	a = sockaddr_addr(&c->remote, &len);
	b = sockaddr_addr(peer, &len);
	if (memcmp(a, b, bits / 8))
		return false;
	return !(bits % 8) || !((a[bits / 8] ^ b[bits / 8]) & (0xff00 >> (bits % 8)));
}

static bool same_pool(const struct ike_pool *a, const struct ike_pool *b)
{
	return !a == !b && (!a || (a->prefix_len == b->prefix_len &&
				   !memcmp(a->base, b->base, sizeof(a->base))));
}

bool config_conn_same(const struct ike_conn *a, const struct ike_conn *b)
{
	return !strcmp(a->name, b->name) && same_addr(&a->local, &b->local) &&
	       same_addr(&a->remote, &b->remote) &&
	       same_id(&a->local_id, &b->local_id) &&
	       same_id(&a->remote_id, &b->remote_id) &&
	       a->psk_len == b->psk_len && !memcmp(a->psk, b->psk, a->psk_len) &&
	       a->n_local_ts == b->n_local_ts && a->n_remote_ts == b->n_remote_ts &&
	       !memcmp(a->local_ts, b->local_ts, a->n_local_ts * sizeof(a->local_ts[0])) &&
	       !memcmp(a->remote_ts, b->remote_ts, a->n_remote_ts * sizeof(a->remote_ts[0])) &&
	       a->tunnel == b->tunnel &&
	       same_proposals(a->ike, a->n_ike, b->ike, b->n_ike) &&
	       same_proposals(a->esp, a->n_esp, b->esp, b->n_esp) &&
	       a->ike_lifetime == b->ike_lifetime && a->lifetime == b->lifetime &&
	       a->dpd == b->dpd && a->start == b->start && a->encap == b->encap &&
	       a->auth == b->auth && a->remote_auth == b->remote_auth &&
	       a->fragment_size == b->fragment_size &&
	       a->ppk_len == b->ppk_len && !memcmp(a->ppk, b->ppk, a->ppk_len) &&
	       a->ppk_id_len == b->ppk_id_len && !memcmp(a->ppk_id, b->ppk_id, a->ppk_id_len) &&
	       a->ppk_required == b->ppk_required &&
	       a->remote_prefix == b->remote_prefix && a->unique == b->unique &&
	       a->if_id == b->if_id && !strcmp(a->interface, b->interface) &&
	       same_pool(a->pool4, b->pool4) && same_pool(a->pool6, b->pool6) &&
	       a->n_dns == b->n_dns && !memcmp(a->dns, b->dns, a->n_dns * sizeof(a->dns[0])) &&
	       creds_same(a->creds, b->creds);
}

struct ike_conn *config_find(const struct ike_config *conf, const char *name)
{
	struct ike_conn *c;

	for (c = conf->conns; c; c = c->next)
		if (!strcmp(c->name, name))
			return c;
	return NULL;
}

bool ike_id_equal(const struct ike_id *want, uint8_t type, const uint8_t *data,
		  size_t len)
{
	if (want->type != type || want->len != len)
		return false;
	/* DNS names are not case sensitive. */
	if (type == IKE_ID_FQDN)
		return !strncasecmp((const char *)want->data, (const char *)data, len) &&
		       !memchr(data, '\0', len);
	return !memcmp(want->data, data, len);
}

bool ike_id_fits(const struct ike_id *pattern, uint8_t type, const uint8_t *data,
		 size_t len)
{
	return certs_id_fits(pattern->type, pattern->data, pattern->len, type, data,
			     len);
}

void ike_id_format(uint8_t type, const uint8_t *data, size_t len, char *buf,
		   size_t size)
{
	size_t i, o = 0;

	if (!size)
		return;
	buf[0] = '\0';
	if ((type == IKE_ID_IPV4_ADDR && len == 4) ||
	    (type == IKE_ID_IPV6_ADDR && len == 16)) {
		if (!inet_ntop(type == IKE_ID_IPV4_ADDR ? AF_INET : AF_INET6, data,
			       buf, (socklen_t)size))
			buf[0] = '\0';
		return;
	}
	if (type == IKE_ID_DER_ASN1_DN) {
		const uint8_t *p = data;
		X509_NAME *name = d2i_X509_NAME(NULL, &p, (long)len);

		if (name && p == data + len)
			certs_name(name, buf, size);
		else
			snprintf(buf, size, "(a DN that does not parse)");
		X509_NAME_free(name);
		return;
	}
	if (type != IKE_ID_FQDN && type != IKE_ID_RFC822_ADDR) {
		/* Key IDs and the like: their type and bytes in hex. */
		o = (size_t)snprintf(buf, size, "ID type %u: ", type);
		for (i = 0; i < len && o + 2 < size; i++)
			o += (size_t)snprintf(buf + o, size - o, "%02x", data[i]);
		return;
	}
	/* Names come from the peer: escape what is not printable. */
	for (i = 0; i < len && o + 1 < size; i++) {
		if (isgraph(data[i]) && data[i] != '\\') {
			buf[o++] = (char)data[i];
		} else {
			if (o + 5 > size)
				break;
			o += (size_t)snprintf(buf + o, size - o, "\\x%02x", data[i]);
		}
	}
	buf[o] = '\0';
}
