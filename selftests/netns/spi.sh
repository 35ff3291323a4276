#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# SPI allocation: a free random SPI of a range, reserved until an SA takes
# it or its time runs out.
. "$(dirname "$0")/lib.sh"

ns_add a
ipsecctl() { in_ns a "$IPSECCTL" "$@"; }
key20=0x0102030405060708090a0b0c0d0e0f1011121314

expect_output "a range of one gives that SPI" "^spi 0x00002000$" \
	ipsecctl sa allocspi dst 192.0.2.2 min 0x2000 max 0x2000
expect_output "the SPI is listed as reserved" "spi 0x00002000 reserved, for [0-9]+s more" \
	ipsecctl sa list
expect_status "the range is now full: exit 1" 1 ipsecctl sa allocspi dst 192.0.2.2 min 0x2000 max 0x2000
expect_output "... saying so" "no free SPI in the range" \
	ipsecctl sa allocspi dst 192.0.2.2 min 0x2000 max 0x2000
check "another destination has its own SPIs" ipsecctl sa allocspi dst 192.0.2.3 min 0x2000 max 0x2000
check "an SA takes the reserved SPI" ipsecctl sa add src 192.0.2.1 dst 192.0.2.2 \
	spi 0x2000 mode tunnel enc aes128gcm16 key $key20
expect_output "... and is no longer a reservation" "^0$" sh -c \
	"ip netns exec $ns_prefix-a $IPSECCTL sa list | grep -c 'dst 192.0.2.2 spi 0x00002000 reserved'"
# Reserved long enough to outlast the loop, even on a slow kernel.
expect_output "40 allocations in a range of 64 are all different" "^40 40$" sh -c \
	"for i in \$(seq 40); do echo 'sa allocspi dst 192.0.2.9 min 0x3000 max 0x303f hard-time 900'; done |
	 $IPSECCTL -N $ns_prefix-a -f - | awk '/^spi 0x000030/ { n++; seen[\$2]++ } END { print n, length(seen) }'"
expect_output "-j gives the SPI as a number" '^\{"spi":[0-9]+\}$' ipsecctl -j sa allocspi dst 2001:db8::1
expect_status "a reversed range is a usage error" 2 ipsecctl sa allocspi dst 192.0.2.2 min 0x3000 max 0x2000
expect_output "the kernel refuses reserved SPIs in a range" "NFESP_SA_A_SPI_MIN/MAX" \
	in_ns a "$NFESP_TOP/selftests/netns/genl.py" SA_ALLOC_SPI SA=$(python3 -c '
import struct
def a(t, d): return struct.pack("HH", 4 + len(d), t) + d + b"\0" * (-len(d) % 4)
print((a(2, struct.pack("H", 2)) + a(3, bytes([192, 0, 2, 2])) + a(19, struct.pack("I", 1))).hex())')
check "a reservation with a short time" ipsecctl sa allocspi dst 192.0.2.4 min 0x4000 max 0x4000 hard-time 1
nap 3
expect_output "... runs out" "^0$" sh -c \
	"ip netns exec $ns_prefix-a $IPSECCTL sa list | grep -c 'spi 0x00004000'"
check "... and the SPI is free again" ipsecctl sa allocspi dst 192.0.2.4 min 0x4000 max 0x4000

# Reservations are bounded per namespace (NFESP_LARVAL_MAX, 4096), so a
# namespace's admin, which any user may be of a namespace of its own,
# cannot fill memory with them; SAs that use them make room again.
ns_add b
bulk() { in_ns b python3 "$NFESP_TOP/selftests/netns/bulk.py" "$@"; }
check "4096 reservations in a namespace" bulk spi 4096
expect_output "the next is refused, saying why" \
	"refused: No space left on device .*too many SPIs reserved in this namespace" bulk spi 1 4096
check "... while other namespaces may still reserve" ipsecctl sa allocspi dst 192.0.2.9
check "an SA that takes a reserved SPI" in_ns b "$IPSECCTL" sa add src 192.0.2.1 \
	dst 10.0.0.0 spi "$(in_ns b "$IPSECCTL" sa list | awk '$4 == "10.0.0.0" { print $6; exit }')" \
	mode tunnel enc aes128gcm16 key $key20
check "... makes room for one more" bulk spi 1 4096
in_ns b "$IPSECCTL" sa flush
done_testing
