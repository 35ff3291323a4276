// SPDX-License-Identifier: GPL-2.0
/*
 * iked's control commands in the harness: `ipsecctl ike log LEVEL` changes
 * the log level at run time (as -v does at start) and refuses a level it
 * does not know; an unknown command names the ones there are.
 */
#include <string.h>

#include "harness/harness.h"
#include "tap.h"

int main(void)
{
	harness_load(harness_pair);
	TAP_CHECK(!ike_verbose && harness_ctl_says("log debug", "log level debug (was info)") &&
		  ike_verbose, "ike log debug: every exchange logged from now on");
	TAP_CHECK(harness_ctl_says("log info", "log level info (was debug)") && !ike_verbose,
		  "ike log info: back to the usual lines");
	TAP_CHECK(harness_ctl_says("log loud", "log level \"loud\" is unknown: info or debug") &&
		  !ike_verbose, "an unknown level is refused and changes nothing");
	TAP_CHECK(harness_ctl_says("frobnicate", "list, conns, certs, leases, up NAME, down NAME, rekey NAME [ike], reload or log LEVEL"),
		  "an unknown command names the ones there are");
	harness_end();
	return tap_done();
}
