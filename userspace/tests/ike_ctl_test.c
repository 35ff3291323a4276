// SPDX-License-Identifier: GPL-2.0
/*
 * iked's control commands in the harness: `ipsecctl ike log LEVEL` changes
 * the log level at run time (as -v does at start) and refuses a level it
 * does not know; an unknown command names the ones there are; list,
 * list-conns and leases as JSON.
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
	harness_a_starts();
	TAP_CHECK(harness_ctl_says("json list", "{\"name\":\"a\",\"number\":2,\"state\":\"ESTABLISHED\",\"initiator\":true,") &&
		  harness_ctl_says("json list", "\"local\":{\"id\":\"192.0.2.1\",\"address\":\"192.0.2.1\",\"port\":500}") &&
		  harness_ctl_says("json list", "\"children\":[{\"reqid\":") &&
		  harness_ctl_says("json list", "\"state\":\"INSTALLED\",\"mode\":\"transport\",\"encap\":false,\"esp\":\"aes128gcm16-noesn\""),
		  "ike list as JSON: the IKE SAs, their ends, their CHILD SAs");
	TAP_CHECK(harness_ctl_says("json conns", "[{\"name\":\"a\",\"local\":\"192.0.2.1\",\"remote\":\"192.0.2.2\",") &&
		  harness_ctl_says("json conns", "\"start\":\"none\",\"encap\":false,\"ike\":[\"aes128gcm16-prfsha256-x25519\"],\"esp\":[\"aes128gcm16-noesn\"]"),
		  "ike list-conns as JSON");
	TAP_CHECK(harness_ctl_says("json leases", "[]"), "ike leases as JSON: no pool, an empty array");
	TAP_CHECK(harness_ctl_says("json certs", "[]"), "ike certs as JSON: no certificate here, an empty array");
	TAP_CHECK(harness_ctl_says("json up a", "no JSON for \"up a\""), "what has no JSON in iked says so");
	harness_end();
	return tap_done();
}
