/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The configuration payload (RFC 7296 3.15): a type (request, reply, set,
 * ack) and attributes, each a 15-bit type, a length and a value. What
 * remote access asks for and hands out: addresses, DNS servers, subnets.
 */
#ifndef IKED_CP_H
#define IKED_CP_H

#include <stdint.h>

#include "payload.h"

enum ike_cfg_type {
	IKE_CFG_REQUEST = 1,
	IKE_CFG_REPLY = 2,
	IKE_CFG_SET = 3,
	IKE_CFG_ACK = 4,
};

enum ike_cp_attr_type {
	IKE_CP_INTERNAL_IP4_ADDRESS = 1,	/* 0 or 4 bytes */
	IKE_CP_INTERNAL_IP4_NETMASK = 2,
	IKE_CP_INTERNAL_IP4_DNS = 3,
	IKE_CP_INTERNAL_IP4_NBNS = 4,
	IKE_CP_INTERNAL_IP4_DHCP = 6,
	IKE_CP_APPLICATION_VERSION = 7,
	IKE_CP_INTERNAL_IP6_ADDRESS = 8,	/* 0 or 17 bytes: address, prefix */
	IKE_CP_INTERNAL_IP6_DNS = 10,
	IKE_CP_INTERNAL_IP4_SUBNET = 13,	/* 8 bytes: address, netmask */
	IKE_CP_SUPPORTED_ATTRIBUTES = 14,
	IKE_CP_INTERNAL_IP6_SUBNET = 15,	/* 17 bytes: address, prefix */
};

/* The most attributes taken from one payload. */
#define IKE_CP_MAX_ATTRS	32

struct ike_cp_attr {
	uint16_t type;		/* the R bit cleared */
	uint16_t len;
	const uint8_t *value;	/* into the payload (parsed) or the caller's */
};

/*
 * @pl's type and attributes (at most @max; more is an error). The lengths
 * of the address attributes iked uses are checked: 0 (a request) or their
 * size. Returns 0, or -1 and why in @err.
 */
int ike_parse_cp(const struct ike_payload *pl, uint8_t *cfg_type,
		 struct ike_cp_attr *attrs, unsigned int max, unsigned int *n,
		 const char **err);
void ike_put_cp(struct ike_writer *w, uint8_t cfg_type, const struct ike_cp_attr *attrs,
		unsigned int n);

#endif
