/* SPDX-License-Identifier: GPL-2.0 */
/* The one place the nfesp version is written; dkms.conf must agree. */
#ifndef _NFESP_VERSION_H
#define _NFESP_VERSION_H

#define NFESP_VERSION "0.1.0"

#endif /* _NFESP_VERSION_H */
