/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/*
 * nfesp generic netlink ABI, shared by the module and userspace.
 *
 * Family NFESP_GENL_NAME, version NFESP_GENL_VERSION. Every command needs
 * CAP_NET_ADMIN in the user namespace that owns the caller's network
 * namespace, and acts on that network namespace only. Requests are validated
 * strictly: an unknown attribute, or an attribute that is only ever sent by
 * the kernel, is refused with EINVAL and an extended ACK message naming it.
 *
 * NFESP_CMD_GET_VERSION
 *   request:  no attributes
 *   reply:    NFESP_A_VERSION        (string) module version, e.g. "0.1.0"
 *
 * NFESP_CMD_GET_STATS
 *   request:  no attributes
 *   reply:    NFESP_A_STATS          (nest) the namespace's counters:
 *               NFESP_STAT_*         (u64) one attribute per counter below,
 *                                    every counter always present
 */
#ifndef _UAPI_LINUX_NFESP_H
#define _UAPI_LINUX_NFESP_H

#define NFESP_GENL_NAME		"nfesp"
#define NFESP_GENL_VERSION	1

enum nfesp_cmd {
	NFESP_CMD_UNSPEC,
	NFESP_CMD_GET_VERSION,
	NFESP_CMD_GET_STATS,

	__NFESP_CMD_MAX,
};
#define NFESP_CMD_MAX (__NFESP_CMD_MAX - 1)

enum nfesp_attr {
	NFESP_A_UNSPEC,
	NFESP_A_VERSION,
	NFESP_A_STATS,

	__NFESP_A_MAX,
};
#define NFESP_A_MAX (__NFESP_A_MAX - 1)

/*
 * Counters of one network namespace. Each packet nfesp drops is counted
 * once, under the reason it was dropped for.
 */
enum nfesp_stat {
	NFESP_STAT_UNSPEC,
	NFESP_STAT_PAD,			/* alignment padding, never a counter */
	NFESP_STAT_IN_PACKETS,		/* ESP packets decapsulated */
	NFESP_STAT_IN_BYTES,
	NFESP_STAT_OUT_PACKETS,		/* packets sent out as ESP */
	NFESP_STAT_OUT_BYTES,
	NFESP_STAT_DROP_NO_SA,		/* no SA for an SPI or a policy */
	NFESP_STAT_DROP_REPLAY,		/* replayed or too old */
	NFESP_STAT_DROP_ICV,		/* integrity check failed */
	NFESP_STAT_DROP_TRAILER,	/* bad padding or ESP trailer */
	NFESP_STAT_DROP_TOO_SHORT,	/* shorter than ESP can be */
	NFESP_STAT_DROP_POLICY,		/* a discard policy matched */
	NFESP_STAT_DROP_CLEARTEXT,	/* cleartext where ESP is required */
	NFESP_STAT_DROP_NO_MEMORY,
	NFESP_STAT_DROP_ENCAP,		/* bad UDP encapsulation */
	NFESP_STAT_DROP_SEQ_OVERFLOW,	/* sequence number space used up */
	NFESP_STAT_DROP_EXPIRED,	/* the SA passed a hard lifetime */

	__NFESP_STAT_MAX,
};
#define NFESP_STAT_MAX (__NFESP_STAT_MAX - 1)
/* The first real counter: those before it are markers. */
#define NFESP_STAT_FIRST NFESP_STAT_IN_PACKETS

#endif /* _UAPI_LINUX_NFESP_H */
