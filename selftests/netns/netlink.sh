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

# The events tell of every SA, policy and wanted flow: they are for
# CAP_NET_ADMIN (in the namespace's user namespace) too.
ns_add a
out=$(mktemp)
trap 'rm -f "$out"; cleanup' EXIT
in_ns a timeout 20 $nobody "$IPSECCTL" monitor count 1 >"$out" 2>&1 &
monitor=$!
for i in $(seq 50); do	# refused at once, or listening by then
	kill -0 "$monitor" 2>/dev/null || break
	nap 0.1
done
in_ns a "$IPSECCTL" sa add src 192.0.2.1 dst 192.0.2.2 spi 0x1000 mode tunnel \
	enc aes128gcm16 key 0x0102030405060708090a0b0c0d0e0f1011121314
wait "$monitor"
status=$?
check "an unprivileged monitor gets exit status 1 (got $status)" test "$status" = 1
expect_output "... is told why" "joining the events group: .*CAP_NET_ADMIN is needed" cat "$out"
check "... and learns nothing of the SA added" sh -c "! grep -q 'sa add' '$out'"

# What a request makes the kernel keep is charged to the requester's
# memory cgroup, so that a container's limits hold for it too.
cg=/sys/fs/cgroup
grep -q "^cgroup2 $cg " /proc/mounts || mount -t cgroup2 none $cg
echo +memory >$cg/cgroup.subtree_control
mkdir $cg/nfesp-$$
trap 'rmdir $cg/nfesp-$$; rm -f "$out"; cleanup' EXIT
ns_add charged
bulk="python3 $NFESP_TOP/selftests/netns/bulk.py sa"
in_ns charged $bulk 0	# what Python reads is in the page cache before
check "5000 SAs added from a memory cgroup" sh -c "echo \$\$ >$cg/nfesp-$$/cgroup.procs &&
	exec ip netns exec $ns_prefix-charged $bulk 5000"
kb=$(($(cat $cg/nfesp-$$/memory.current) / 1024))
check "... are charged to it once its process is gone (${kb} KiB)" test "$kb" -gt 2000
done_testing
