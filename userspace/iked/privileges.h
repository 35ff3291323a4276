/* SPDX-License-Identifier: GPL-2.0 */
/* What iked keeps once its sockets are bound. */
#ifndef IKED_PRIVILEGES_H
#define IKED_PRIVILEGES_H

#include <stddef.h>

/*
 * Becomes @user (NULL: stays who it is; the same user as now: no change),
 * keeps CAP_NET_ADMIN alone (ambient too) and sets NO_NEW_PRIVS. 0, or -1
 * and why in @err.
 */
int privileges_drop(const char *user, char *err, size_t errlen);

/* Then the seccomp filter: a call outside it kills the process, which
 * says on stderr which call it was. 0, or -1.
 */
int privileges_seccomp(void);

#endif
