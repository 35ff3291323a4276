#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The netlink contract: who may ask, and what a malformed request gets.
. "$(dirname "$0")/lib.sh"
genl=$NFESP_TOP/selftests/netns/genl.py

check "a raw netlink client reads the version" "$genl" GET_VERSION
check "a raw netlink client reads the counters" "$genl" GET_STATS
expect_output "an output-only attribute is refused, by name" \
	"^error EINVAL: NFESP_A_STATS is only sent by the kernel\$" \
	"$genl" GET_VERSION STATS=00000000
expect_output "an unknown attribute is refused" "^error EINVAL: " \
	"$genl" GET_STATS 200=00000000
expect_output "an unknown command is refused" "^error (EOPNOTSUPP|ENOTSUP)" "$genl" 99

# CAP_NET_ADMIN over the namespace's user namespace, nothing less.
nobody="setpriv --reuid=65534 --regid=65534 --clear-groups"
expect_status "an unprivileged user gets exit status 1" 1 $nobody "$IPSECCTL" version
expect_output "... and is told why" "Operation not permitted \(CAP_NET_ADMIN is needed\)" \
	$nobody "$IPSECCTL" stats
expect_output "... by the kernel itself" "^error EPERM" $nobody "$genl" GET_VERSION
expect_output "an unprivileged user is admin of a namespace of its own" \
	"^nfesp module $NFESP_VERSION" $nobody unshare --user --map-root-user --net \
	"$IPSECCTL" version

done_testing
