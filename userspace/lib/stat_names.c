// SPDX-License-Identifier: GPL-2.0
/* How the tools name the kernel's counters (enum nfesp_stat). */
#include "../../kmod/uapi/nfesp.h"
#include "util.h"

static const char *const stat_names[__NFESP_STAT_MAX] = {
	[NFESP_STAT_IN_PACKETS] = "in_packets",
	[NFESP_STAT_IN_BYTES] = "in_bytes",
	[NFESP_STAT_OUT_PACKETS] = "out_packets",
	[NFESP_STAT_OUT_BYTES] = "out_bytes",
	[NFESP_STAT_DROP_NO_SA] = "drop_no_sa",
	[NFESP_STAT_DROP_REPLAY] = "drop_replay",
	[NFESP_STAT_DROP_ICV] = "drop_icv",
	[NFESP_STAT_DROP_TRAILER] = "drop_trailer",
	[NFESP_STAT_DROP_TOO_SHORT] = "drop_too_short",
	[NFESP_STAT_DROP_POLICY] = "drop_policy",
	[NFESP_STAT_DROP_CLEARTEXT] = "drop_cleartext",
	[NFESP_STAT_DROP_NO_MEMORY] = "drop_no_memory",
	[NFESP_STAT_DROP_ENCAP] = "drop_encap",
	[NFESP_STAT_DROP_SEQ_OVERFLOW] = "drop_seq_overflow",
	[NFESP_STAT_DROP_EXPIRED] = "drop_expired",
	[NFESP_STAT_DROP_MTU] = "drop_mtu",
	[NFESP_STAT_DROP_ECN] = "drop_ecn",
	[NFESP_STAT_DROP_SELECTOR] = "drop_selector",
	[NFESP_STAT_DROP_OVERSIZE] = "drop_oversize",
	[NFESP_STAT_IN_DUMMY] = "in_dummy",
	[NFESP_STAT_DROP_UNREADABLE] = "drop_unreadable",
	[NFESP_STAT_DROP_NESTED] = "drop_nested",
	[NFESP_STAT_DROP_CRYPTO] = "drop_crypto",
	[NFESP_STAT_DROP_BACKLOG] = "drop_backlog",
	[NFESP_STAT_DROP_CONNTRACK] = "drop_conntrack",
	[NFESP_STAT_DROP_NO_DEVICE] = "drop_no_device",
	[NFESP_STAT_DROP_LOOP] = "drop_loop",
};

const char *nfesp_stat_name(unsigned int stat)
{
	return stat < __NFESP_STAT_MAX ? stat_names[stat] : NULL;
}
