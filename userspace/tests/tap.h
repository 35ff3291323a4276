/* SPDX-License-Identifier: GPL-2.0 */
/* A few lines of TAP for the userspace unit tests: one "ok"/"not ok" line a
 * case, the plan at the end, exit status 1 if any case failed.
 */
#ifndef NFESP_TAP_H
#define NFESP_TAP_H

#include <stdio.h>

static int tap_run, tap_failed;

#define TAP_CHECK(cond, ...)						\
	do {								\
		int tap_ok_ = !!(cond);	/* once: it may have effects */	\
		tap_run++;						\
		if (tap_ok_) {						\
			printf("ok %d - ", tap_run);			\
		} else {						\
			tap_failed++;					\
			printf("not ok %d - ", tap_run);		\
		}							\
		printf(__VA_ARGS__);					\
		printf("\n");						\
		if (!tap_ok_)						\
			printf("#   %s:%d: %s\n", __FILE__, __LINE__, #cond); \
	} while (0)

static inline int tap_done(void)
{
	printf("1..%d\n", tap_run);
	return tap_failed ? 1 : 0;
}

#endif
