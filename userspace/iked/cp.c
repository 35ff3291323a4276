// SPDX-License-Identifier: GPL-2.0
/* The configuration payload's encoding (RFC 7296 3.15.1). */
#include <string.h>

#include "cp.h"
#include "ikev2.h"

#define CP_HDR_LEN	4	/* CFG type, 3 reserved bytes */
#define ATTR_HDR_LEN	4	/* R bit and type, length */

/* The length an attribute of @type must have when not empty, or -1: any. */
static int value_len(uint16_t type)
{
	switch (type) {
	case IKE_CP_INTERNAL_IP4_ADDRESS:
	case IKE_CP_INTERNAL_IP4_NETMASK:
	case IKE_CP_INTERNAL_IP4_DNS:
	case IKE_CP_INTERNAL_IP4_NBNS:
	case IKE_CP_INTERNAL_IP4_DHCP:
		return 4;
	case IKE_CP_INTERNAL_IP6_ADDRESS:
	case IKE_CP_INTERNAL_IP6_SUBNET:
		return 17;
	case IKE_CP_INTERNAL_IP6_DNS:
		return 16;
	case IKE_CP_INTERNAL_IP4_SUBNET:
		return 8;
	default:
		return -1;
	}
}

int ike_parse_cp(const struct ike_payload *pl, uint8_t *cfg_type,
		 struct ike_cp_attr *attrs, unsigned int max, unsigned int *n,
		 const char **err)
{
	size_t off = CP_HDR_LEN;
	uint16_t type, len;
	int want;

	*n = 0;
	if (pl->len < CP_HDR_LEN) {
		*err = "CP payload too short";
		return -1;
	}
	*cfg_type = pl->body[0];
	if (*cfg_type < IKE_CFG_REQUEST || *cfg_type > IKE_CFG_ACK) {
		*err = "CP of an unknown CFG type";
		return -1;
	}
	while (off < pl->len) {
		if (pl->len - off < ATTR_HDR_LEN) {
			*err = "CP attribute header cut short";
			return -1;
		}
		type = (uint16_t)((pl->body[off] & 0x7f) << 8 | pl->body[off + 1]);
		len = (uint16_t)(pl->body[off + 2] << 8 | pl->body[off + 3]);
		if (len > pl->len - off - ATTR_HDR_LEN) {
			*err = "CP attribute longer than its payload";
			return -1;
		}
		want = value_len(type);
		if (len && want >= 0 && len != want) {
			*err = "CP address attribute of the wrong length";
			return -1;
		}
		if (*n == max) {
			*err = "too many CP attributes";
			return -1;
		}
		attrs[*n].type = type;
		attrs[*n].len = len;
		attrs[(*n)++].value = pl->body + off + ATTR_HDR_LEN;
		off += ATTR_HDR_LEN + len;
	}
	return 0;
}

void ike_put_cp(struct ike_writer *w, uint8_t cfg_type, const struct ike_cp_attr *attrs,
		unsigned int n)
{
	size_t off = ike_writer_begin(w, IKE_PL_CP, false);
	unsigned int i;

	ike_buf_u8(&w->buf, cfg_type);
	ike_buf_put(&w->buf, (uint8_t[3]){ 0 }, 3);
	for (i = 0; i < n; i++) {
		ike_buf_u16(&w->buf, attrs[i].type & 0x7fff);
		ike_buf_u16(&w->buf, attrs[i].len);
		ike_buf_put(&w->buf, attrs[i].value, attrs[i].len);
	}
	ike_writer_end(w, off);
}
