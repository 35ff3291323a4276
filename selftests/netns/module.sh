#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The module's life: loaded, used from several namespaces, namespaces
# deleted, unloaded with namespaces alive, loaded back on demand.
. "$(dirname "$0")/lib.sh"

check "nfesp is loaded" test -d /sys/module/nfesp
expect_output "ipsecctl version names the module version and ABI" \
	"^nfesp module $NFESP_VERSION, netlink ABI 1\$" "$IPSECCTL" version
expect_output "ipsecctl -j version is JSON with the same facts" \
	"^OK $NFESP_VERSION $NFESP_VERSION 1\$" sh -c \
	"'$IPSECCTL' -j version | python3 -c 'import json,sys; v=json.load(sys.stdin); print(\"OK\", v[\"ipsecctl\"], v[\"module\"], v[\"abi\"])'"

for n in a b c; do
	ns_add "$n"
done
# Every counter of enum nfesp_stat but UNSPEC and PAD.
nstats=$(( $(sed -n '/^enum nfesp_stat {/,/__NFESP_STAT_MAX/p' \
	"$NFESP_TOP/kmod/uapi/nfesp.h" | grep -c '^	NFESP_STAT_') - 2 ))
for n in a b c; do
	expect_output "namespace $n: ipsecctl version answers" \
		"^nfesp module $NFESP_VERSION" in_ns "$n" "$IPSECCTL" version
	expect_output "namespace $n: $nstats counters, all zero" "^$nstats $nstats\$" sh -c \
		"ip netns exec $ns_prefix-$n '$IPSECCTL' stats | awk '{ n++ } \$2 == 0 { z++ } END { print n, z }'"
done

ns_del b
expect_output "a namespace deleted, the others still answer" \
	"^nfesp module" in_ns c "$IPSECCTL" version

# Unload with namespaces alive: each one's state goes with the module.
check "unloads while namespaces exist" modprobe -r nfesp
check "gone after unloading" test ! -d /sys/module/nfesp
expect_output "the family loads the module on demand, in a namespace" \
	"^nfesp module $NFESP_VERSION" in_ns a "$IPSECCTL" version
check "loaded again" test -d /sys/module/nfesp
expect_output "a namespace older than the module has its state" \
	"^$nstats$" sh -c "ip netns exec $ns_prefix-c '$IPSECCTL' stats | wc -l"

for i in 1 2 3; do
	ns_add "loop$i"
	in_ns "loop$i" "$IPSECCTL" stats >/dev/null &&
		modprobe -r nfesp && modprobe nfesp || break
	ns_del "loop$i"
done
check "three load/use/unload cycles" test "$i" = 3 -a -d /sys/module/nfesp

done_testing
