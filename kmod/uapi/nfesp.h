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
 *
 * Security associations (SAs). An SA is identified by its family, its
 * destination address and its SPI (the protocol is always ESP).
 *
 * NFESP_CMD_SA_ADD
 *   request:  NFESP_A_SA with FAMILY, DST, SPI, SRC, MODE, ALG, KEY and
 *             optionally ICV_BITS, REPLAY_WINDOW, FLAGS, LIFETIME, ENCAP,
 *             REQID, DIR, IF_ID. EEXIST if the SA exists.
 * NFESP_CMD_SA_UPDATE
 *   request:  NFESP_A_SA with FAMILY, DST, SPI (which SA) and what changes:
 *             SRC, LIFETIME (limits given replace those set, the others
 *             stay), ENCAP. Sequence numbers and replay state stay.
 *             Anything else in the request is refused. ENOENT if no SA.
 * NFESP_CMD_SA_DEL
 *   request:  NFESP_A_SA with FAMILY, DST, SPI. ENOENT if no SA.
 * NFESP_CMD_SA_GET
 *   request:  NFESP_A_SA with FAMILY, DST, SPI; with NLM_F_DUMP, nothing
 *             (every SA). NFESP_A_SHOW_KEYS asks for the keys.
 *   reply:    NFESP_A_SA with every attribute that is set, the outputs
 *             (DRIVER, CURLIFE, STATS, KEY_LEN) and KEY only if asked for. Dumps
 *             carry NLM_F_DUMP_INTR when the SAs changed while dumping.
 * NFESP_CMD_SA_FLUSH
 *   request:  no attributes: deletes every SA of the namespace.
 * NFESP_CMD_SA_ALLOC_SPI
 *   request:  NFESP_A_SA with FAMILY, DST, optionally SRC, SPI_MIN and
 *             SPI_MAX (default 256 to 0xffffffff) and LIFETIME with
 *             HARD_ADD_SECS (default NFESP_SPI_RESERVE_SECS).
 *   reply:    NFESP_A_SA with FAMILY, DST and a random SPI of the range
 *             that no SA for DST has. The SPI is reserved (an SA with the
 *             flag NFESP_SA_F_LARVAL, which carries no traffic) until an
 *             SA_ADD takes it or the time runs out (EXPIRE, hard).
 *             ENOSPC if the range has no free SPI.
 *
 * Security policies. A policy is identified by its direction and its
 * selector (FAMILY, SRC, SRC_LEN, DST, DST_LEN, PROTO, SPORT, DPORT).
 * A packet is matched against the policies of its direction: the lowest
 * PRIORITY wins; among equals, the most specific selector (longer
 * prefixes, then a protocol, then ports); then the oldest policy.
 *
 * NFESP_CMD_POLICY_ADD
 *   request:  NFESP_A_POLICY with DIR, FAMILY, ACTION, and optionally the
 *             rest of the selector (absent: any), PRIORITY (default 0) and,
 *             for ACTION protect, TMPL. EEXIST if the policy exists.
 * NFESP_CMD_POLICY_UPDATE
 *   request:  like ADD: replaces ACTION, PRIORITY and TMPL of an existing
 *             policy. ENOENT if none.
 * NFESP_CMD_POLICY_DEL, NFESP_CMD_POLICY_GET
 *   request:  NFESP_A_POLICY with DIR and the selector; GET with
 *             NLM_F_DUMP: nothing (every policy).
 *   reply:    NFESP_A_POLICY with every attribute and STATS.
 * NFESP_CMD_POLICY_FLUSH
 *   request:  no attributes: deletes every policy of the namespace.
 *
 * Route-based tunnels: network devices of the rtnetlink kind "nfesp"
 * (IFLA_INFO_KIND), created with an interface id (IFLA_NFESP_IF_ID, u32,
 * not 0; absent: the lowest free one), unique in the namespace where the
 * device is created. That namespace keeps the device's SAs and sends its
 * ESP, wherever the device is moved later. An SA with IF_ID and DIR out
 * protects whatever is routed into the device (the newest usable one of
 * them); what an SA with IF_ID and DIR in decapsulates is received on the
 * device. Both must be tunnel mode. Policies do not apply to either.
 *
 * NFESP_CMD_LINK_GET (dump only)
 *   reply:    NFESP_A_LINK for each device created in the namespace: a
 *             nest of NFESP_LINK_A_*, with its counters (STATS).
 *
 * NFESP_CMD_EXPIRE (event only, on NFESP_MCGRP_EVENTS)
 *   NFESP_A_SA (no keys) when the SA reached a soft limit: a rekey is
 *   due; with NFESP_A_HARD when it reached a hard limit and was deleted.
 *   Time limits are checked once a second.
 *
 * NFESP_CMD_ACQUIRE (event only, on NFESP_MCGRP_EVENTS)
 *   An outbound packet matched a protect policy that no usable SA serves;
 *   the packet was dropped (never queued: the sender retransmits once the
 *   SA is there). NFESP_A_POLICY is the policy (as POLICY_GET replies) and
 *   NFESP_A_FLOW the packet: a nest of NFESP_POL_A_FAMILY, SRC, DST, PROTO,
 *   SPORT and DPORT. Sent at most once a second per policy and packet
 *   flow.
 *
 * Changes are announced on the multicast group NFESP_MCGRP_EVENTS as
 * messages of the command that made them (SA_ADD, SA_UPDATE, SA_DEL with
 * the SA, keys never included; SA_FLUSH without attributes).
 */
#ifndef _UAPI_LINUX_NFESP_H
#define _UAPI_LINUX_NFESP_H

#define NFESP_GENL_NAME		"nfesp"
#define NFESP_GENL_VERSION	1
#define NFESP_MCGRP_EVENTS	"events"

enum nfesp_cmd {
	NFESP_CMD_UNSPEC,
	NFESP_CMD_GET_VERSION,
	NFESP_CMD_GET_STATS,
	NFESP_CMD_SA_ADD,
	NFESP_CMD_SA_UPDATE,
	NFESP_CMD_SA_DEL,
	NFESP_CMD_SA_GET,
	NFESP_CMD_SA_FLUSH,
	NFESP_CMD_POLICY_ADD,
	NFESP_CMD_POLICY_UPDATE,
	NFESP_CMD_POLICY_DEL,
	NFESP_CMD_POLICY_GET,
	NFESP_CMD_POLICY_FLUSH,
	NFESP_CMD_EXPIRE,	/* event only */
	NFESP_CMD_SA_ALLOC_SPI,
	NFESP_CMD_ACQUIRE,	/* event only */
	NFESP_CMD_LINK_GET,

	__NFESP_CMD_MAX,
};
#define NFESP_CMD_MAX (__NFESP_CMD_MAX - 1)

enum nfesp_attr {
	NFESP_A_UNSPEC,
	NFESP_A_VERSION,
	NFESP_A_STATS,
	NFESP_A_SA,		/* nest of NFESP_SA_A_* */
	NFESP_A_SHOW_KEYS,	/* flag: replies include keys */
	NFESP_A_POLICY,		/* nest of NFESP_POL_A_* */
	NFESP_A_HARD,		/* flag, in EXPIRE: the hard limit; the SA is gone */
	NFESP_A_FLOW,		/* nest, in ACQUIRE: the packet's selector */
	NFESP_A_LINK,		/* nest of NFESP_LINK_A_* */

	__NFESP_A_MAX,
};
#define NFESP_A_MAX (__NFESP_A_MAX - 1)

enum nfesp_sa_attr {
	NFESP_SA_A_UNSPEC,
	NFESP_SA_A_PAD,
	NFESP_SA_A_FAMILY,	/* u16: AF_INET or AF_INET6, of SRC and DST */
	NFESP_SA_A_DST,		/* binary: 4 or 16 bytes, network order */
	NFESP_SA_A_SPI,		/* u32: the SPI, not 0 and not 1-255 */
	NFESP_SA_A_SRC,		/* binary: like DST */
	NFESP_SA_A_MODE,	/* u8: enum nfesp_mode */
	NFESP_SA_A_ALG,		/* string: a kernel AEAD, see below */
	NFESP_SA_A_KEY,		/* binary: the key, see below */
	NFESP_SA_A_ICV_BITS,	/* u16: ICV length; default: the longest */
	NFESP_SA_A_REPLAY_WINDOW, /* u32: 0 to NFESP_REPLAY_MAX; absent: _DEFAULT */
	NFESP_SA_A_FLAGS,	/* u32: NFESP_SA_F_* */
	NFESP_SA_A_LIFETIME,	/* nest of NFESP_LT_A_*: limits, 0 = none */
	NFESP_SA_A_ENCAP,	/* nest of NFESP_ENCAP_A_*: ESP in UDP */
	NFESP_SA_A_REQID,	/* u32: ties the SA to policies */
	NFESP_SA_A_DRIVER,	/* string, output: the crypto driver in use */
	NFESP_SA_A_CURLIFE,	/* nest of NFESP_LT_A_*, output: use so far */
	NFESP_SA_A_STATS,	/* nest of NFESP_STAT_*, output: the SA's counters */
	NFESP_SA_A_KEY_LEN,	/* u16, output: the length of KEY in bytes */
	NFESP_SA_A_SPI_MIN,	/* u32, ALLOC_SPI: the range to pick from */
	NFESP_SA_A_SPI_MAX,	/* u32 */
	NFESP_SA_A_DIR,		/* u8: NFESP_DIR_IN or _OUT; absent: either */
	NFESP_SA_A_IF_ID,	/* u32: bound to the nfesp device of this id */

	__NFESP_SA_A_MAX,
};
#define NFESP_SA_A_MAX (__NFESP_SA_A_MAX - 1)

/*
 * Algorithms (NFESP_SA_A_ALG) and their keys (NFESP_SA_A_KEY):
 *   "rfc4106(gcm(aes))"              AES key (16 or 32 bytes) + 4-byte salt;
 *                                    ICV 64, 96 or 128 bits
 *   "rfc7539esp(chacha20,poly1305)"  ChaCha20 key (32 bytes) + 4-byte salt;
 *                                    ICV 128 bits
 *   "authenc(hmac(sha256),cbc(aes))" AES key (16 or 32 bytes) followed by
 *                                    the HMAC-SHA-256 key (32 bytes);
 *                                    ICV 128 bits
 * The key layout for the AEADs is the one `ip xfrm ... aead` takes.
 */
#define NFESP_REPLAY_MAX 32768
/* RFC 4303 3.4.3: "a window size of 64 is preferred ... as the default". */
#define NFESP_REPLAY_DEFAULT 64

enum nfesp_mode {
	NFESP_MODE_TRANSPORT = 1,
	NFESP_MODE_TUNNEL,
};

enum nfesp_sa_flags {
	NFESP_SA_F_ESN = 1 << 0,	/* 64-bit extended sequence numbers */
	NFESP_SA_F_LARVAL = 1 << 1,	/* output: an SPI reserved by ALLOC_SPI */
};

/* How long ALLOC_SPI reserves an SPI unless the request says (seconds). */
#define NFESP_SPI_RESERVE_SECS 60

/* Lifetimes: limits in SA_A_LIFETIME, use so far in SA_A_CURLIFE. */
enum nfesp_lifetime_attr {
	NFESP_LT_A_UNSPEC,
	NFESP_LT_A_PAD,
	NFESP_LT_A_SOFT_BYTES,		/* u64 */
	NFESP_LT_A_HARD_BYTES,		/* u64 */
	NFESP_LT_A_SOFT_PACKETS,	/* u64 */
	NFESP_LT_A_HARD_PACKETS,	/* u64 */
	NFESP_LT_A_SOFT_ADD_SECS,	/* u64: seconds since the SA was added */
	NFESP_LT_A_HARD_ADD_SECS,	/* u64 */
	NFESP_LT_A_SOFT_USE_SECS,	/* u64: seconds since its first use */
	NFESP_LT_A_HARD_USE_SECS,	/* u64 */
	NFESP_LT_A_BYTES,		/* u64, output in CURLIFE: bytes so far */
	NFESP_LT_A_PACKETS,		/* u64, output in CURLIFE */
	NFESP_LT_A_ADD_SECS,		/* u64, output in CURLIFE: age */
	NFESP_LT_A_USE_SECS,		/* u64, output in CURLIFE: 0 if unused */

	__NFESP_LT_A_MAX,
};
#define NFESP_LT_A_MAX (__NFESP_LT_A_MAX - 1)

enum nfesp_policy_attr {
	NFESP_POL_A_UNSPEC,
	NFESP_POL_A_PAD,
	NFESP_POL_A_DIR,	/* u8: enum nfesp_dir */
	NFESP_POL_A_FAMILY,	/* u16: AF_INET or AF_INET6 */
	NFESP_POL_A_SRC,	/* binary: 4 or 16 bytes; absent: any */
	NFESP_POL_A_SRC_LEN,	/* u8: prefix length; absent: the whole address */
	NFESP_POL_A_DST,	/* binary, like SRC */
	NFESP_POL_A_DST_LEN,	/* u8 */
	NFESP_POL_A_PROTO,	/* u8: IP protocol; absent or 0: any */
	NFESP_POL_A_SPORT,	/* u16, host order: TCP/UDP/SCTP only; 0: any */
	NFESP_POL_A_DPORT,	/* u16 */
	NFESP_POL_A_ACTION,	/* u8: enum nfesp_action */
	NFESP_POL_A_PRIORITY,	/* u32: lower wins */
	NFESP_POL_A_TMPL,	/* nest of NFESP_TMPL_A_*: how to protect */
	NFESP_POL_A_STATS,	/* nest of NFESP_STAT_*, output */
	NFESP_POL_A_IF_ID,	/* u32: for the nfesp device of this id; absent: 0, none */

	__NFESP_POL_A_MAX,
};
#define NFESP_POL_A_MAX (__NFESP_POL_A_MAX - 1)

enum nfesp_dir {
	NFESP_DIR_IN = 1,
	NFESP_DIR_OUT,
	NFESP_DIR_FWD,
};
#define NFESP_DIR_MAX NFESP_DIR_FWD

enum nfesp_action {
	NFESP_ACTION_PROTECT = 1,	/* ESP, with the SA the template finds */
	NFESP_ACTION_BYPASS,		/* in the clear */
	NFESP_ACTION_DISCARD,		/* dropped */
};

/* Which SA protects what a protect policy matches. */
enum nfesp_tmpl_attr {
	NFESP_TMPL_A_UNSPEC,
	NFESP_TMPL_A_MODE,	/* u8: enum nfesp_mode */
	NFESP_TMPL_A_TSRC,	/* binary: tunnel source (tunnel mode) */
	NFESP_TMPL_A_TDST,	/* binary: tunnel destination (tunnel mode) */
	NFESP_TMPL_A_REQID,	/* u32: the SA's reqid; 0: any */
	NFESP_TMPL_A_FAMILY,	/* u16: of TSRC and TDST */
	NFESP_TMPL_A_SPI,	/* u32: binds the policy to one SA, below */

	__NFESP_TMPL_A_MAX,
};
#define NFESP_TMPL_A_MAX (__NFESP_TMPL_A_MAX - 1)
/*
 * Outbound, the newest of the SAs that fit a template (mode, reqid, tunnel
 * ends) carries the traffic. NFESP_TMPL_A_SPI binds the policy to the SA
 * with that SPI instead: to TDST, or in transport mode to the packet's
 * destination.
 */

/* A route-based tunnel device, in NFESP_A_LINK. */
enum nfesp_link_attr {
	NFESP_LINK_A_UNSPEC,
	NFESP_LINK_A_IF_ID,	/* u32 */
	NFESP_LINK_A_IFNAME,	/* string: its name, in its namespace */
	NFESP_LINK_A_IFINDEX,	/* u32: its index, in its namespace */
	NFESP_LINK_A_HERE,	/* flag: it is in the caller's namespace */
	NFESP_LINK_A_STATS,	/* nest of NFESP_LINK_STAT_* (u64), in LINK_GET */

	__NFESP_LINK_A_MAX,
};
#define NFESP_LINK_A_MAX (__NFESP_LINK_A_MAX - 1)

/* A tunnel device's counters (as ip -s link shows them). */
enum nfesp_link_stat {
	NFESP_LINK_STAT_UNSPEC,
	NFESP_LINK_STAT_PAD,		/* alignment only */
	NFESP_LINK_STAT_RX_PACKETS,	/* decapsulated and received on it */
	NFESP_LINK_STAT_RX_BYTES,
	NFESP_LINK_STAT_RX_DROPPED,
	NFESP_LINK_STAT_TX_PACKETS,	/* routed into it and sent in ESP */
	NFESP_LINK_STAT_TX_BYTES,
	NFESP_LINK_STAT_TX_DROPPED,	/* no SA, not IP */

	__NFESP_LINK_STAT_MAX,
};
#define NFESP_LINK_STAT_MAX (__NFESP_LINK_STAT_MAX - 1)

/* The device's rtnetlink attributes, in IFLA_INFO_DATA. */
enum {
	IFLA_NFESP_UNSPEC,
	IFLA_NFESP_IF_ID,	/* u32: not 0; fixed once the device exists */

	__IFLA_NFESP_MAX,
};
#define IFLA_NFESP_MAX (__IFLA_NFESP_MAX - 1)

/* UDP encapsulation of ESP (RFC 3948). */
enum nfesp_encap_attr {
	NFESP_ENCAP_A_UNSPEC,
	NFESP_ENCAP_A_SPORT,	/* u16, host order */
	NFESP_ENCAP_A_DPORT,	/* u16, host order */

	__NFESP_ENCAP_A_MAX,
};
#define NFESP_ENCAP_A_MAX (__NFESP_ENCAP_A_MAX - 1)

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
	NFESP_STAT_DROP_MTU,		/* too big in ESP; the sender was told */
	NFESP_STAT_DROP_ECN,		/* CE outside a packet without ECN */
	NFESP_STAT_DROP_SELECTOR,	/* not what its SA or device may carry */
	NFESP_STAT_DROP_OVERSIZE,	/* longer than IP allows once in ESP */
	NFESP_STAT_IN_DUMMY,		/* dummy packets (next header 59), discarded */
	NFESP_STAT_DROP_UNREADABLE,	/* a policy needs what the packet does not show */
	NFESP_STAT_DROP_NESTED,		/* ESP nested deeper than nfesp decapsulates */
	NFESP_STAT_DROP_CRYPTO,		/* the crypto driver failed */
	NFESP_STAT_DROP_BACKLOG,	/* too many packets waiting for crypto */
	NFESP_STAT_DROP_CONNTRACK,	/* conntrack refused to confirm the flow */
	NFESP_STAT_DROP_NO_DEVICE,	/* for a tunnel device that is gone or down */
	NFESP_STAT_DROP_LOOP,		/* a tunnel device's ESP routed into one */

	__NFESP_STAT_MAX,
};
#define NFESP_STAT_MAX (__NFESP_STAT_MAX - 1)
/* The first real counter: those before it are markers. */
#define NFESP_STAT_FIRST NFESP_STAT_IN_PACKETS

#endif /* _UAPI_LINUX_NFESP_H */
