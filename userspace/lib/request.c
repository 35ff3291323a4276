// SPDX-License-Identifier: GPL-2.0
/* The SA and policy nests of nfesp's requests, from their description. */
#include <errno.h>
#include <sys/socket.h>

#include "nl.h"
#include "request.h"

size_t nfesp_addr_len(int family)
{
	return family == AF_INET ? 4 : 16;
}

static int put_limits(struct nl_msg *msg, const struct nfesp_sa *sa)
{
	struct nlattr *nest = nla_nest_start(msg, NFESP_SA_A_LIFETIME);
	int i;

	if (!nest)
		return -ENOMEM;
	for (i = 0; i < NFESP_LIMITS; i++)
		if (sa->limits_has & (1u << i))
			NLA_PUT_U64(msg, NFESP_LT_A_SOFT_BYTES + i, sa->limit[i]);
	nla_nest_end(msg, nest);
	return 0;
nla_put_failure:
	return -ENOMEM;
}

static int put_encap(struct nl_msg *msg, const struct nfesp_sa *sa)
{
	struct nlattr *nest = nla_nest_start(msg, NFESP_SA_A_ENCAP);

	if (!nest)
		return -ENOMEM;
	NLA_PUT_U16(msg, NFESP_ENCAP_A_SPORT, sa->encap_sport);
	NLA_PUT_U16(msg, NFESP_ENCAP_A_DPORT, sa->encap_dport);
	nla_nest_end(msg, nest);
	return 0;
nla_put_failure:
	return -ENOMEM;
}

int nfesp_put_sa(struct nl_msg *msg, const struct nfesp_sa *sa)
{
	int alen = (int)nfesp_addr_len(sa->family);
	struct nlattr *nest = nla_nest_start(msg, NFESP_A_SA);
	uint32_t has = sa->has;

	if (!nest)
		return -ENOMEM;
	NLA_PUT_U16(msg, NFESP_SA_A_FAMILY, (uint16_t)sa->family);
	NLA_PUT(msg, NFESP_SA_A_DST, alen, sa->dst.bytes);
	if (has & NFESP_SA_HAS_SPI)
		NLA_PUT_U32(msg, NFESP_SA_A_SPI, sa->spi);
	if (has & NFESP_SA_HAS_SPI_MIN)
		NLA_PUT_U32(msg, NFESP_SA_A_SPI_MIN, sa->spi_min);
	if (has & NFESP_SA_HAS_SPI_MAX)
		NLA_PUT_U32(msg, NFESP_SA_A_SPI_MAX, sa->spi_max);
	if (has & NFESP_SA_HAS_SRC)
		NLA_PUT(msg, NFESP_SA_A_SRC, alen, sa->src.bytes);
	if (has & NFESP_SA_HAS_MODE)
		NLA_PUT_U8(msg, NFESP_SA_A_MODE, sa->mode);
	if (has & NFESP_SA_HAS_ALG)
		NLA_PUT_STRING(msg, NFESP_SA_A_ALG, sa->alg);
	if (has & NFESP_SA_HAS_KEY)
		NLA_PUT(msg, NFESP_SA_A_KEY, (int)sa->key_len, sa->key);
	if (has & NFESP_SA_HAS_ICV)
		NLA_PUT_U16(msg, NFESP_SA_A_ICV_BITS, sa->icv_bits);
	if (has & NFESP_SA_HAS_REPLAY)
		NLA_PUT_U32(msg, NFESP_SA_A_REPLAY_WINDOW, sa->replay_window);
	if (has & NFESP_SA_HAS_FLAGS)
		NLA_PUT_U32(msg, NFESP_SA_A_FLAGS, sa->flags);
	if (has & NFESP_SA_HAS_REQID)
		NLA_PUT_U32(msg, NFESP_SA_A_REQID, sa->reqid);
	if (has & NFESP_SA_HAS_DIR)
		NLA_PUT_U8(msg, NFESP_SA_A_DIR, sa->dir);
	if (has & NFESP_SA_HAS_IF_ID)
		NLA_PUT_U32(msg, NFESP_SA_A_IF_ID, sa->if_id);
	if ((has & NFESP_SA_HAS_ENCAP) && put_encap(msg, sa))
		return -ENOMEM;
	if (sa->limits_has && put_limits(msg, sa))
		return -ENOMEM;
	nla_nest_end(msg, nest);
	return 0;
nla_put_failure:
	return -ENOMEM;
}

static int put_template(struct nl_msg *msg, const struct nfesp_policy *p)
{
	int tlen = (int)nfesp_addr_len(p->tfamily);
	struct nlattr *nest = nla_nest_start(msg, NFESP_POL_A_TMPL);

	if (!nest)
		return -ENOMEM;
	NLA_PUT_U8(msg, NFESP_TMPL_A_MODE, p->mode);
	if (p->has & NFESP_POL_HAS_REQID)
		NLA_PUT_U32(msg, NFESP_TMPL_A_REQID, p->reqid);
	if (p->has & NFESP_POL_HAS_SPI)
		NLA_PUT_U32(msg, NFESP_TMPL_A_SPI, p->spi);
	if (p->mode == NFESP_MODE_TUNNEL) {
		NLA_PUT_U16(msg, NFESP_TMPL_A_FAMILY, (uint16_t)p->tfamily);
		NLA_PUT(msg, NFESP_TMPL_A_TSRC, tlen, p->tsrc.bytes);
		NLA_PUT(msg, NFESP_TMPL_A_TDST, tlen, p->tdst.bytes);
	}
	nla_nest_end(msg, nest);
	return 0;
nla_put_failure:
	return -ENOMEM;
}

int nfesp_put_policy(struct nl_msg *msg, const struct nfesp_policy *p)
{
	int alen = (int)nfesp_addr_len(p->family);
	struct nlattr *nest = nla_nest_start(msg, NFESP_A_POLICY);
	uint32_t has = p->has;

	if (!nest)
		return -ENOMEM;
	NLA_PUT_U8(msg, NFESP_POL_A_DIR, p->dir);
	NLA_PUT_U16(msg, NFESP_POL_A_FAMILY, (uint16_t)p->family);
	if (has & NFESP_POL_HAS_SRC) {
		NLA_PUT(msg, NFESP_POL_A_SRC, alen, p->src.bytes);
		NLA_PUT_U8(msg, NFESP_POL_A_SRC_LEN, p->src_len);
	}
	if (has & NFESP_POL_HAS_DST) {
		NLA_PUT(msg, NFESP_POL_A_DST, alen, p->dst.bytes);
		NLA_PUT_U8(msg, NFESP_POL_A_DST_LEN, p->dst_len);
	}
	if (has & NFESP_POL_HAS_PROTO)
		NLA_PUT_U8(msg, NFESP_POL_A_PROTO, p->proto);
	if (has & NFESP_POL_HAS_SPORT)
		NLA_PUT_U16(msg, NFESP_POL_A_SPORT, p->sport);
	if (has & NFESP_POL_HAS_DPORT)
		NLA_PUT_U16(msg, NFESP_POL_A_DPORT, p->dport);
	if (has & NFESP_POL_HAS_ACTION)
		NLA_PUT_U8(msg, NFESP_POL_A_ACTION, p->action);
	if (has & NFESP_POL_HAS_PRIORITY)
		NLA_PUT_U32(msg, NFESP_POL_A_PRIORITY, p->priority);
	if (has & NFESP_POL_HAS_IF_ID)
		NLA_PUT_U32(msg, NFESP_POL_A_IF_ID, p->if_id);
	if ((has & NFESP_POL_HAS_TMPL) && put_template(msg, p))
		return -ENOMEM;
	nla_nest_end(msg, nest);
	return 0;
nla_put_failure:
	return -ENOMEM;
}
