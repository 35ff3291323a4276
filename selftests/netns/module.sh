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

# Loading nfesp changes nothing for a namespace that does not use it: no
# hook of nfesp runs there, and nothing is reassembled that would not be.
# Its first SA or policy brings both.
ns_add quiet
check "nft lists a namespace's hooks" in_ns quiet nft list hooks
for h in nfesp defrag; do
	expect_output "a namespace without SAs or policies: no $h hook" "^0$" \
		sh -c "ip netns exec $ns_prefix-quiet nft list hooks | grep -c $h"
done
in_ns quiet "$IPSECCTL" stats >/dev/null
expect_output "reading the counters adds none" "^0$" \
	sh -c "ip netns exec $ns_prefix-quiet nft list hooks | grep -c nfesp"
check "a first policy" in_ns quiet "$IPSECCTL" policy add dir out \
	src 192.0.2.1 dst 192.0.2.2 action discard
for h in nfesp_hook_local_in nfesp_hook_forward nfesp_hook_local_out \
	ipv4_conntrack_defrag ipv6_defrag; do
	expect_output "then the namespace has $h" "$h" in_ns quiet nft list hooks
done

for i in 1 2 3; do
	ns_add "loop$i"
	in_ns "loop$i" "$IPSECCTL" stats >/dev/null &&
		modprobe -r nfesp && modprobe nfesp || break
	ns_del "loop$i"
done
check "three load/use/unload cycles" test "$i" = 3 -a -d /sys/module/nfesp

done_testing
