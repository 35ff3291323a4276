/* SPDX-License-Identifier: GPL-2.0 */
/* The KUnit suites that make up nfesp_test.ko. */
#ifndef _NFESP_TESTS_H
#define _NFESP_TESTS_H

#include <kunit/test.h>

extern struct kunit_suite nfesp_stats_suite;
extern struct kunit_suite nfesp_netlink_suite;
extern struct kunit_suite nfesp_policy_suite;
extern struct kunit_suite nfesp_replay_suite;
extern struct kunit_suite nfesp_esp_suite;

#endif /* _NFESP_TESTS_H */
