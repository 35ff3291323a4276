#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Unloading the module, and deleting namespaces, while SAs and policies
# exist and time limits are pending: everything goes, nothing leaks (the
# debug kernel's kmemleak and KASAN judge that after the run).
. "$(dirname "$0")/lib.sh"

key20=0x0102030405060708090a0b0c0d0e0f1011121314
fill() {	# fill NS: SAs with pending time limits, policies, a reservation
	local ns=$ns_prefix-$1 i
	for i in 1 2 3; do
		"$IPSECCTL" -N "$ns" sa add src 192.0.2.1 dst 192.0.2.$i spi 0x100$i \
			mode tunnel enc aes128gcm16 key $key20 soft-time 30 hard-time 60 || return 1
		"$IPSECCTL" -N "$ns" policy add dir out dst 10.$i.0.0/16 action protect \
			mode transport || return 1
	done
	"$IPSECCTL" -N "$ns" sa allocspi dst 192.0.2.9 >/dev/null
}

ns_add a
ns_add b
check "SAs, policies and a reserved SPI in namespace a" fill a
check "... and in namespace b" fill b
check "the module unloads with all of it in place" modprobe -r nfesp
check "... and is gone" test ! -d /sys/module/nfesp
expect_output "loaded again on demand, namespace a starts empty" "^0 0$" sh -c \
	"echo \$('$IPSECCTL' -N $ns_prefix-a sa list | grep -c '^src') \$('$IPSECCTL' -N $ns_prefix-a policy list | grep -c '^dir')"
check "filled again" fill a
check "a namespace with SAs due to expire is deleted" ns_del a
check "the other namespace still answers" "$IPSECCTL" -N "$ns_prefix-b" sa list

done_testing
