// SPDX-License-Identifier: GPL-2.0
/* CHILD SAs in nfesp: their two SAs (policies.c: their policies). */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "../../kmod/uapi/nfesp.h"
#include "ike.h"
#include "kernel.h"
#include "net.h"

/* A replay window as wide as strongSwan's default. */
#define CHILD_REPLAY_WINDOW	32
/* The responder of a rekey sends on the new SA after the old one's DELETE,
 * or after this long.
 */
#define CHILD_OUT_DELAY		5

void child_free(struct child_sa *c)
{
	if (!c)
		return;
	if (c->keymat) {
		ike_wipe(c->keymat, c->keymat_len);
		free(c->keymat);
	}
	free(c);
}

size_t child_keymat_len(const struct ike_suite *s)
{
	const char *alg;
	size_t key_len;
	unsigned int icv;

	return esp_suite_kernel(s, &alg, &key_len, &icv) ? key_len : 0;
}

static bool add_sa(struct ike_sa *sa, struct child_sa *c, bool outbound,
		   const uint8_t *key)
{
	const struct sockaddr_storage *src = outbound ? &sa->local : &sa->remote;
	const struct sockaddr_storage *dst = outbound ? &sa->remote : &sa->local;
	unsigned int life = sa->conn->lifetime, margin, icv_bits;
	struct nfesp_sa k = { 0 };
	const uint8_t *addr;
	uint32_t jitter = 0;
	size_t alen;

	if (!esp_suite_kernel(&c->suite, &k.alg, &k.key_len, &icv_bits))
		return false;
	ike_random(&jitter, sizeof(jitter));
	k.has = NFESP_SA_HAS_SPI | NFESP_SA_HAS_SRC | NFESP_SA_HAS_MODE |
		NFESP_SA_HAS_ALG | NFESP_SA_HAS_KEY | NFESP_SA_HAS_ICV |
		NFESP_SA_HAS_REPLAY | NFESP_SA_HAS_REQID;
	k.family = sa->local.ss_family;
	addr = sockaddr_addr(src, &alen);
	memcpy(k.src.bytes, addr, alen);
	addr = sockaddr_addr(dst, &alen);
	memcpy(k.dst.bytes, addr, alen);
	k.spi = outbound ? c->spi_out : c->spi_in;
	k.mode = c->tunnel ? NFESP_MODE_TUNNEL : NFESP_MODE_TRANSPORT;
	k.key = key;
	k.icv_bits = (uint16_t)icv_bits;
	if (c->suite.esn) {
		k.has |= NFESP_SA_HAS_FLAGS;
		k.flags = NFESP_SA_F_ESN;
	}
	k.reqid = c->reqid;
	/* Outbound too: an ESN SA needs one, though it checks nothing there. */
	k.replay_window = CHILD_REPLAY_WINDOW;
	/*
	 * Soft expiry (rekey) at 85-90%, hard at the lifetime; with short
	 * lifetimes, at least 5 s between them (the kernel checks once a
	 * second, and the rekey needs a round trip).
	 */
	margin = life / 10 > 5 ? life / 10 : (life / 2 < 5 ? life / 2 : 5);
	k.limit[NFESP_HARD_ADD_SECS] = life;
	k.limit[NFESP_SOFT_ADD_SECS] = life - margin - jitter % (life / 20 + 1);
	if (life)
		k.limits_has = 1u << NFESP_SOFT_ADD_SECS | 1u << NFESP_HARD_ADD_SECS;
	if (c->if_id) {
		k.has |= NFESP_SA_HAS_DIR | NFESP_SA_HAS_IF_ID;
		k.dir = outbound ? NFESP_DIR_OUT : NFESP_DIR_IN;
		k.if_id = c->if_id;
	}
	if (c->encap) {
		k.has |= NFESP_SA_HAS_ENCAP;
		k.encap_sport = sockaddr_port(src);
		k.encap_dport = sockaddr_port(dst);
	}
	return kernel_add_sa(&k) == 0;
}

/* The tunnel device @c is bound to: the connection's if_id, or its
 * interface's, looked up now (it may have been made after iked started).
 */
static bool child_device(struct ike_sa *sa, struct child_sa *c)
{
	const struct ike_conn *conn = sa->conn;
	int err;

	c->if_id = conn->if_id;
	if (!conn->interface[0])
		return true;
	err = kernel_link_if_id(conn->interface, &c->if_id);
	if (err == -ENODEV)
		ike_log(sa, "interface %s: no nfesp device of that name here (ipsecctl link add %s)",
			conn->interface, conn->interface);
	return !err;
}

uint32_t child_new_reqid(const struct ike_sa *sa)
{
	const struct ike_sa *o;
	const struct child_sa *c;

	for (o = iked.sas; o; o = o->next) {
		if (o->conn != sa->conn || o->state == IKE_S_DEAD)
			continue;
		for (c = o->children; c; c = c->next)
			if (c->spi_in && c->reqid == sa->conn->reqid)
				return ++iked.next_reqid;
	}
	return sa->conn->reqid;
}

bool child_install(struct ike_sa *sa, struct child_sa *c, const uint8_t *keymat,
		   bool we_initiated, bool outbound_now)
{
	size_t klen = child_keymat_len(&c->suite);
	/* KEYMAT: the initiator's outbound key first, then the responder's. */
	const uint8_t *out_key = we_initiated ? keymat : keymat + klen;
	const uint8_t *in_key = we_initiated ? keymat + klen : keymat;
	char a[512], b[512], alg[128];

	if (!c->reqid)
		c->reqid = child_new_reqid(sa);
	c->encap = ike_sa_natt(sa) && (sa->nat_local || sa->nat_remote);
	c->created = time(NULL);
	if (!klen || !child_device(sa, c) || !add_sa(sa, c, false, in_key))
		return false;
	if (outbound_now) {
		if (!add_sa(sa, c, true, out_key))
			return false;
	} else {
		/* Kept until the old SA's DELETE: see CHILD_OUT_DELAY. */
		c->keymat = malloc(klen);
		if (!c->keymat)
			return false;
		memcpy(c->keymat, out_key, klen);
		c->keymat_len = klen;
		c->out_pending = true;
		c->out_install_at = time(NULL) + CHILD_OUT_DELAY;
	}
	child_policies(sa, c, true);
	c->state = CHILD_S_INSTALLED;
	ike_ts_format(c->ts_local, c->n_ts_local, a, sizeof(a));
	ike_ts_format(c->ts_remote, c->n_ts_remote, b, sizeof(b));
	snprintf(alg, sizeof(alg), "%s", c->tunnel ? "tunnel" : "transport");
	if (c->if_id)
		snprintf(alg, sizeof(alg), "tunnel, on device if_id %u", c->if_id);
	ike_log(sa, "CHILD SA installed (%s%s): in 0x%08x, out 0x%08x, %s === %s",
		alg, c->encap ? ", UDP-encapsulated" : "", c->spi_in, c->spi_out, a, b);
	return true;
}

void child_install_outbound(struct ike_sa *sa, struct child_sa *c)
{
	if (!c->out_pending)
		return;
	c->out_pending = false;
	if (!add_sa(sa, c, true, c->keymat))
		ike_log(sa, "cannot install the outbound SA 0x%08x", c->spi_out);
	ike_wipe(c->keymat, c->keymat_len);
	free(c->keymat);
	c->keymat = NULL;
}

void child_follow_peer(struct ike_sa *sa)
{
	uint16_t ours = sockaddr_port(&sa->local), theirs = sockaddr_port(&sa->remote);
	int family = sa->local.ss_family;
	struct child_sa *c;
	size_t alen;

	for (c = sa->children; c; c = c->next) {
		if (!c->encap)
			continue;
		if (c->spi_in)
			kernel_sa_set_encap(family, sockaddr_addr(&sa->local, &alen),
					    c->spi_in, theirs, ours);
		if (c->spi_out && !c->out_pending)
			kernel_sa_set_encap(family, sockaddr_addr(&sa->remote, &alen),
					    c->spi_out, ours, theirs);
	}
}

void child_uninstall(struct ike_sa *sa, struct child_sa *c)
{
	size_t alen;

	if (!c)
		return;
	if (c->spi_in)
		kernel_del_sa(sa->local.ss_family,
			      sockaddr_addr(&sa->local, &alen), c->spi_in);
	if (c->spi_out && !c->out_pending)
		kernel_del_sa(sa->remote.ss_family,
			      sockaddr_addr(&sa->remote, &alen), c->spi_out);
	c->spi_in = c->spi_out = 0;
	child_policies(sa, c, false);
}

struct child_sa *child_by_spi(struct ike_sa *sa, uint32_t spi, bool inbound)
{
	struct child_sa *c;

	for (c = sa->children; c; c = c->next)
		if ((inbound ? c->spi_in : c->spi_out) == spi)
			return c;
	return NULL;
}
