// SPDX-License-Identifier: GPL-2.0
/* nfesp_test.ko: KUnit suites for nfesp.ko's internals. */
#include <linux/module.h>

#include "tests.h"

kunit_test_suites(&nfesp_stats_suite, &nfesp_netlink_suite,
		  &nfesp_policy_suite, &nfesp_replay_suite, &nfesp_esp_suite);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("KUnit tests for nfesp");
MODULE_IMPORT_NS(NFESP_KUNIT);
