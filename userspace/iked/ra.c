// SPDX-License-Identifier: GPL-2.0
/* Remote access on the gateway: clients by identity, virtual addresses, DNS. */
#include <arpa/inet.h>
#include <string.h>
#include <sys/socket.h>

#include "cp.h"
#include "ikev2.h"
#include "ra.h"

/* A lease's key: the client's identity, its type first. */
static size_t client_key(const struct ike_sa *sa, uint8_t *key)
{
	key[0] = sa->peer_id_type;
	memcpy(key + 1, sa->peer_id, sa->peer_id_len);
	return 1 + sa->peer_id_len;
}

static bool same_client(const struct ike_sa *a, const struct ike_sa *b)
{
	return a->conn == b->conn && a->peer_id_type == b->peer_id_type &&
	       a->peer_id_len == b->peer_id_len &&
	       !memcmp(a->peer_id, b->peer_id, a->peer_id_len);
}

bool ra_unique(struct ike_sa *sa)
{
	char id[IKE_MAX_ID + 1];
	struct ike_sa *o;

	if (conn_one_peer(sa->conn) || sa->conn->unique == IKE_UNIQUE_NO)
		return true;
	ike_id_format(sa->peer_id_type, sa->peer_id, sa->peer_id_len, id, sizeof(id));
	for (o = iked.sas; o; o = o->next) {
		if (o == sa || o->state != IKE_S_ESTABLISHED || o->rekeyed || !same_client(o, sa))
			continue;
		if (sa->conn->unique == IKE_UNIQUE_KEEP) {
			ike_warn(sa, NULL, "AUTHENTICATION_FAILED: \"%s\" has an IKE SA already, and unique = keep",
				 id);
			return false;
		}
		ike_send_delete_ike(o);
		ike_sa_down(o, "replaced: its client connected again (unique = replace)");
	}
	return true;
}

/* A lease of @family for @sa, if the connection has a pool of it. */
static bool lease(struct ike_sa *sa, int family)
{
	struct ike_pool *p = family == AF_INET ? sa->conn->pool4 : sa->conn->pool6;
	uint8_t key[1 + IKE_MAX_ID], *addr = family == AF_INET ? sa->vip4 : sa->vip6;
	bool *has = family == AF_INET ? &sa->has_vip4 : &sa->has_vip6;
	char text[INET6_ADDRSTRLEN], id[IKE_MAX_ID + 1], prefix[64];

	if (!p)
		return false;
	if (*has)
		return true;
	ike_id_format(sa->peer_id_type, sa->peer_id, sa->peer_id_len, id, sizeof(id));
	if (!pool_acquire(p, key, client_key(sa, key), time(NULL), addr)) {
		pool_format(p, prefix, sizeof(prefix));
		ike_warn(sa, NULL, "INTERNAL_ADDRESS_FAILURE: pool %s is full (%u clients): no address for \"%s\"",
			 prefix, pool_online(p), id);
		return false;
	}
	*has = true;
	ike_log(sa, "virtual address %s for \"%s\"", inet_ntop(family, addr, text, sizeof(text)),
		id);
	return true;
}

uint16_t ra_configure(struct ike_sa *sa, const struct ike_payload *pl, unsigned int n,
		      struct ike_writer *w)
{
	struct ike_cp_attr in[IKE_CP_MAX_ATTRS], out[2 + IKE_MAX_DNS];
	const struct ike_payload *cp = ike_find(pl, n, IKE_PL_CP);
	bool want4 = false, want6 = false;
	unsigned int nin = 0, nout = 0, i;
	uint8_t vip6[17], type;
	const char *err;

	if (!cp || (!sa->conn->pool4 && !sa->conn->pool6))
		return 0;
	if (ike_parse_cp(cp, &type, in, IKE_CP_MAX_ATTRS, &nin, &err) ||
	    type != IKE_CFG_REQUEST) {
		ike_log(sa, "the client's CP is not a request we take: %s",
			type != IKE_CFG_REQUEST ? "not CFG_REQUEST" : err);
		return 0;
	}
	for (i = 0; i < nin; i++) {
		want4 |= in[i].type == IKE_CP_INTERNAL_IP4_ADDRESS;
		want6 |= in[i].type == IKE_CP_INTERNAL_IP6_ADDRESS;
	}
	if (want4 && lease(sa, AF_INET))
		out[nout++] = (struct ike_cp_attr){ IKE_CP_INTERNAL_IP4_ADDRESS, 4, sa->vip4 };
	if (want6 && lease(sa, AF_INET6)) {
		memcpy(vip6, sa->vip6, 16);
		vip6[16] = 128;	/* the prefix length: the address alone */
		out[nout++] = (struct ike_cp_attr){ IKE_CP_INTERNAL_IP6_ADDRESS, 17, vip6 };
	}
	if ((want4 || want6) && !nout)
		return IKE_N_INTERNAL_ADDRESS_FAILURE;
	for (i = 0; i < sa->conn->n_dns; i++) {
		const struct conf_ts *d = &sa->conn->dns[i];

		out[nout++] = d->family == AF_INET ?
			(struct ike_cp_attr){ IKE_CP_INTERNAL_IP4_DNS, 4, d->addr } :
			(struct ike_cp_attr){ IKE_CP_INTERNAL_IP6_DNS, 16, d->addr };
	}
	ike_put_cp(w, IKE_CFG_REPLY, out, nout);
	return 0;
}

void ra_release(struct ike_sa *sa)
{
	time_t now = time(NULL);

	if (sa->has_vip4 && sa->conn && sa->conn->pool4)
		pool_release(sa->conn->pool4, sa->vip4, now);
	if (sa->has_vip6 && sa->conn && sa->conn->pool6)
		pool_release(sa->conn->pool6, sa->vip6, now);
	sa->has_vip4 = sa->has_vip6 = false;
}

void ra_move(struct ike_sa *old, struct ike_sa *ns)
{
	ns->has_vip4 = old->has_vip4;
	ns->has_vip6 = old->has_vip6;
	memcpy(ns->vip4, old->vip4, sizeof(ns->vip4));
	memcpy(ns->vip6, old->vip6, sizeof(ns->vip6));
	old->has_vip4 = old->has_vip6 = false;
}
