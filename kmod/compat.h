/* SPDX-License-Identifier: GPL-2.0 */
/* What differs between the kernels nfesp builds against (6.1 to 6.12). */
#ifndef _NFESP_COMPAT_H
#define _NFESP_COMPAT_H

#include <linux/version.h>
#include <net/genetlink.h>

/* A dump request's attributes: 6.2 moved them into a struct genl_info. */
static inline struct nlattr **nfesp_dump_attrs(struct netlink_callback *cb)
{
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 2, 0)
	return genl_info_dump(cb)->attrs;
#else
	return genl_dumpit_info(cb)->attrs;
#endif
}

#endif /* _NFESP_COMPAT_H */
