// SPDX-License-Identifier: GPL-2.0
/* nfesp as the exchange tests see it: a table of SAs and policies. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "../../../kmod/uapi/nfesp.h"
#include "harness.h"

struct stub_sa stub_sas[STUB_MAX_SAS];
unsigned int stub_nsas;
struct stub_policy stub_policies[STUB_MAX_POLICIES];
unsigned int stub_npolicies;
struct sockaddr_storage stub_side;
static uint32_t next_spi = 0x1000;

void stub_kernel_reset(void)
{
	stub_nsas = stub_npolicies = 0;
	next_spi = 0x1000;
}

const struct stub_sa *stub_sa_by_spi(const struct sockaddr_storage *side,
				     uint32_t spi)
{
	unsigned int i;

	for (i = 0; i < stub_nsas; i++)
		if (stub_sas[i].spi == spi &&
		    sockaddr_same_addr(&stub_sas[i].side, side))
			return &stub_sas[i];
	return NULL;
}

unsigned int stub_policies_of(const struct sockaddr_storage *side)
{
	unsigned int i, n = 0;

	for (i = 0; i < stub_npolicies; i++)
		n += sockaddr_same_addr(&stub_policies[i].side, side);
	return n;
}

static size_t alen(int family)
{
	return family == AF_INET ? 4 : 16;
}

int kernel_open(void)
{
	return 0;
}

void kernel_close(void)
{
}

int kernel_event_fd(void)
{
	return -1;
}

void kernel_read_events(void (*fn)(const struct kernel_event *ev))
{
	(void)fn;
}

int kernel_alloc_spi(int family, const uint8_t *dst, uint32_t *spi)
{
	(void)family;
	(void)dst;
	*spi = next_spi++;
	return 0;
}

static int sa_index(int family, const uint8_t *dst, uint32_t spi)
{
	unsigned int i;

	for (i = 0; i < stub_nsas; i++)
		if (sockaddr_same_addr(&stub_sas[i].side, &stub_side) &&
		    stub_sas[i].family == family && stub_sas[i].spi == spi &&
		    !memcmp(stub_sas[i].dst, dst, alen(family)))
			return (int)i;
	return -1;
}

int kernel_add_sa(const struct nfesp_sa *sa)
{
	struct stub_sa *s;

	if (sa_index(sa->family, sa->dst.bytes, sa->spi) >= 0)
		return -EEXIST;
	if (stub_nsas >= STUB_MAX_SAS)
		return -ENOSPC;
	s = &stub_sas[stub_nsas++];
	memset(s, 0, sizeof(*s));
	s->side = stub_side;
	s->family = sa->family;
	memcpy(s->src, sa->src.bytes, alen(sa->family));
	memcpy(s->dst, sa->dst.bytes, alen(sa->family));
	s->spi = sa->spi;
	s->reqid = sa->reqid;
	s->tunnel = sa->mode == NFESP_MODE_TUNNEL;
	s->dir = sa->has & NFESP_SA_HAS_DIR ? sa->dir : 0;
	s->if_id = sa->has & NFESP_SA_HAS_IF_ID ? sa->if_id : 0;
	return 0;
}

/* Tunnel devices: "ipsecN" has the interface id N (N at least 1). */
int kernel_link_if_id(const char *name, uint32_t *if_id)
{
	unsigned long n;
	char *end;

	if (strncmp(name, "ipsec", 5))
		return -ENODEV;
	n = strtoul(name + 5, &end, 10);
	if (end == name + 5 || *end || !n || n > UINT32_MAX)
		return -ENODEV;
	*if_id = (uint32_t)n;
	return 0;
}

int kernel_del_sa(int family, const uint8_t *dst, uint32_t spi)
{
	int i = sa_index(family, dst, spi);

	if (i < 0)
		return -ENOENT;
	stub_sas[i] = stub_sas[--stub_nsas];
	return 0;
}

int kernel_sa_set_encap(int family, const uint8_t *dst, uint32_t spi,
			uint16_t sport, uint16_t dport)
{
	(void)sport;
	(void)dport;
	return sa_index(family, dst, spi) < 0 ? -ENOENT : 0;
}

int kernel_sa_use(int family, const uint8_t *dst, uint32_t spi,
		  uint64_t *bytes, uint64_t *packets)
{
	*bytes = *packets = 0;
	return sa_index(family, dst, spi) < 0 ? -ENOENT : 0;
}

/* Whose kernel a policy is in: the local end of its template. */
static struct sockaddr_storage policy_side(const struct nfesp_policy *p)
{
	const uint8_t *local = p->dir == NFESP_DIR_OUT ? p->tsrc.bytes : p->tdst.bytes;
	struct sockaddr_storage ss;

	memset(&ss, 0, sizeof(ss));
	ss.ss_family = (sa_family_t)p->tfamily;
	if (p->tfamily == AF_INET)
		memcpy(&((struct sockaddr_in *)&ss)->sin_addr, local, 4);
	else
		memcpy(&((struct sockaddr_in6 *)&ss)->sin6_addr, local, 16);
	return ss;
}

/* Policies are known by their selector and direction, as in nfesp. */
static int policy_index(const struct nfesp_policy *p)
{
	struct sockaddr_storage side = policy_side(p);
	const struct nfesp_policy *q;
	unsigned int i;

	for (i = 0; i < stub_npolicies; i++) {
		q = &stub_policies[i].p;
		if (!sockaddr_same_addr(&stub_policies[i].side, &side))
			continue;
		if (q->dir == p->dir && q->family == p->family &&
		    q->src_len == p->src_len && q->dst_len == p->dst_len &&
		    !memcmp(&q->src, &p->src, sizeof(q->src)) &&
		    !memcmp(&q->dst, &p->dst, sizeof(q->dst)) &&
		    q->proto == p->proto && q->sport == p->sport &&
		    q->dport == p->dport)
			return (int)i;
	}
	return -1;
}

int kernel_set_policy(const struct nfesp_policy *p)
{
	int i = policy_index(p);

	if (i < 0) {
		if (stub_npolicies >= STUB_MAX_POLICIES)
			return -ENOSPC;
		i = (int)stub_npolicies++;
	}
	stub_policies[i].side = policy_side(p);
	stub_policies[i].p = *p;
	return 0;
}

int kernel_del_policy(const struct nfesp_policy *p)
{
	int i = policy_index(p);

	if (i < 0)
		return -ENOENT;
	stub_policies[i] = stub_policies[--stub_npolicies];
	return 0;
}

int kernel_bypass_ike(bool add)
{
	(void)add;
	return 0;
}
