#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# A routing daemon over route-based tunnels: two gateways joined by two
# nfesp tunnels on two paths run OSPF (Debian's bird2) over the devices,
# learn each other's LAN (a stub: the inner addresses) through the cheaper
# tunnel, and when that path is cut the traffic moves to the other one.
#
#   left                                         right
#   ipsec1 10.255.1.1 -- veth0 192.0.2.0/24   -- ipsec1 10.255.1.2 (cost 10)
#   ipsec2 10.255.2.1 -- v-*   198.51.100.0/24 -- ipsec2 10.255.2.2 (cost 20)
#   LAN 10.1.0.1 (inner)                         LAN 10.2.0.1 (inner)
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/esp_lib.sh"

BIRD=${BIRD:-/usr/sbin/bird}
[ -x "$BIRD" ] || { echo "1..0 # SKIP no bird2 (selftests/install-deps installs it)"; exit 0; }
esp_topology || exit 1
dir=$(mktemp -d)
trap 'for p in ${birds:-}; do kill "$p" 2>/dev/null; wait "$p" 2>/dev/null; done
	[ "$tests_failed" = 0 ] || sed "s/^/#   bird: /" "$dir"/*.log; rm -rf "$dir"; cleanup' EXIT
key=${esp_key[aes128gcm16]}

# The second path; the LANs reach each other only by what OSPF learns.
ns_link left right 198.51.100.1/24 198.51.100.2/24
in_ns left ip route del 10.2.0.1/32
in_ns right ip route del 10.1.0.1/32

# tunnel SIDE N ME PEER MY_DEV_ADDR PEER_DEV_ADDR SPI_OUT SPI_IN
tunnel() {
	in_ns "$1" "$IPSECCTL" link add "ipsec$2" if-id "$2" &&
	in_ns "$1" ip link set "ipsec$2" up &&
	in_ns "$1" ip addr add "$5" peer "$6" dev "ipsec$2" &&
	in_ns "$1" "$IPSECCTL" -f - <<-BATCH
	sa add src $3 dst $4 spi $7 mode tunnel enc aes128gcm16 key $key dir out dev ipsec$2
	sa add src $4 dst $3 spi $8 mode tunnel enc aes128gcm16 key $key dir in dev ipsec$2
	BATCH
}
check "tunnel 1, left" tunnel left 1 192.0.2.1 192.0.2.2 10.255.1.1 10.255.1.2 0x1001 0x1002
check "tunnel 1, right" tunnel right 1 192.0.2.2 192.0.2.1 10.255.1.2 10.255.1.1 0x1002 0x1001
check "tunnel 2, left" tunnel left 2 198.51.100.1 198.51.100.2 10.255.2.1 10.255.2.2 0x2001 0x2002
check "tunnel 2, right" tunnel right 2 198.51.100.2 198.51.100.1 10.255.2.2 10.255.2.1 0x2002 0x2001

# bird_start NS ROUTER_ID
birds=
bird_start() {
	cat >"$dir/$1.conf" <<-CONF
	router id $2;
	protocol device { scan time 1; }
	protocol kernel { ipv4 { import none; export all; }; }
	protocol ospf v2 {
		ipv4 { import all; export none; };
		area 0 {
			interface "ipsec1" { type ptp; hello 1; dead 3; cost 10; };
			interface "ipsec2" { type ptp; hello 1; dead 3; cost 20; };
			interface "inner" { stub yes; };
		};
	}
	CONF
	in_ns_bg "$1" "$BIRD" -f -c "$dir/$1.conf" -s "$dir/$1.ctl" >"$dir/$1.log" 2>&1
	birds="$birds $!"
}
bird_start left 10.1.0.1
bird_start right 10.2.0.1
# via NS DST: the device the route to DST leaves by.
via() {	# read in bash: this is polled, and every sed costs on the debug kernel
	local route
	route=$(in_ns "$1" ip route get "$2" 2>/dev/null)
	[[ $route =~ \ dev\ ([^ ]+) ]] && echo "${BASH_REMATCH[1]}"
}
routed_by() {	# routed_by NS DST DEV
	[ "$(via "$1" "$2")" = "$3" ]
}
dev_tx() {
	link_stat left "$1" tx_packets
}
check "OSPF over the tunnels: left learns right's LAN by ipsec1 (the cheaper)" \
	wait_until 60 routed_by left 10.2.0.1 ipsec1
check "... and right learns left's by its ipsec1" wait_until 20 routed_by right 10.1.0.1 ipsec1
expect_output "the route is bird's" 'proto bird' in_ns left ip route show 10.2.0.1
tx1=$(dev_tx ipsec1)
check "LAN to LAN through tunnel 1" in_ns left ping -c 3 -i 0.2 -W 2 -I 10.1.0.1 10.2.0.1
check "... counted on ipsec1" test "$(dev_tx ipsec1)" -ge $((tx1 + 3))

# Path 1 cut: OSPF's dead interval passes and the traffic takes tunnel 2.
in_ns left ip link set veth0 down
check "path 1 cut: left moves right's LAN to ipsec2" wait_until 30 routed_by left 10.2.0.1 ipsec2
check "... and right moves left's" wait_until 30 routed_by right 10.1.0.1 ipsec2
tx2=$(dev_tx ipsec2)
check "LAN to LAN through tunnel 2" in_ns left ping -c 3 -i 0.2 -W 2 -I 10.1.0.1 10.2.0.1
check "... counted on ipsec2" test "$(dev_tx ipsec2)" -ge $((tx2 + 3))

done_testing
