#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Tunnel mode keeps the route to the peer (a per-CPU cache in the SA):
# when that route changes under traffic (a new outgoing device, a new next
# hop on the same device, a smaller MTU) or SA_UPDATE gives the SA a new
# source, the very next ESP packets follow, in both families. Then the
# namespace with cached routes is deleted and the module unloaded with
# them in place, under traffic (the debug kernel judges what is left).
#
#   left: ends 192.0.2.1 2001:db8::1, inner 10.1.0.1 fd01::1
#     pa ==== pa (10.0.1.2, fd00:1::2) and pa2 (a macvlan: 10.0.1.3)
#     pb ==== pb (10.0.2.2, fd00:2::2)
#   right: ends 192.0.2.2 2001:db8::2, inner 10.2.0.1 fd02::1
#
# What left sends is counted in right's PREROUTING before defragmentation,
# by the device it came in on.
. "$(dirname "$0")/lib.sh"

key=0x0102030405060708090a0b0c0d0e0f1011121314
ns_add left && ns_add right || exit 1
pings=$(mktemp -d)
trap 'kill $pinger4 $pinger6 $pinger 2>/dev/null; rm -rf "$pings"; cleanup' EXIT

# right's MAC addresses, fixed so that left's static neighbours need not
# read them; each side is configured by one ip (a batch) and one sysctl.
mac_a=02:00:00:00:02:01 mac_a2=02:00:00:00:02:02 mac_b=02:00:00:00:02:03
setup() {
	local side n
	ip link add pa netns "$ns_prefix-left" type veth peer name pa address $mac_a \
		netns "$ns_prefix-right" &&
		ip link add pb netns "$ns_prefix-left" type veth peer name pb address $mac_b \
			netns "$ns_prefix-right" || return 1
	# The debug kernel has no macvlan: that case runs on the stock ones.
	in_ns right ip link add pa2 link pa address $mac_a2 type macvlan mode bridge 2>/dev/null ||
		in_ns right ip link add pa2 address $mac_a2 type dummy || return 1
	for side in left right; do
		[ $side = left ] && n=1 || n=2
		in_ns $side sysctl -qw net.ipv4.conf.all.rp_filter=0 \
			net.ipv4.conf.default.rp_filter=0 || return 1
		in_ns $side ip -batch - <<-BATCH || return 1
		link add ends type dummy
		link add inner type dummy
		link set pa up
		link set pb up
		link set ends up
		link set inner up
		addr add 10.0.1.$n/24 dev pa
		addr add fd00:1::$n/64 dev pa nodad
		addr add 10.0.2.$n/24 dev pb
		addr add fd00:2::$n/64 dev pb nodad
		addr add 192.0.2.$n/32 dev ends
		addr add 2001:db8::$n/128 dev ends nodad
		addr add 10.$n.0.1/32 dev inner
		addr add fd0$n::1/128 dev inner nodad
		BATCH
	done
	in_ns right sysctl -qw net.ipv4.conf.pa.rp_filter=0 net.ipv4.conf.pa2.rp_filter=0 \
		net.ipv4.conf.pb.rp_filter=0 || return 1
	# Every next hop by its own MAC address, known in advance. The tunnel
	# ends by path pa; the inner addresses by it too (what the packet's
	# own route says does not matter to the tunnel). From the second
	# source address, by path pb (a rule of its own).
	in_ns left ip -batch - <<-BATCH || return 1
	addr add 192.0.2.11/32 dev ends
	neigh replace 10.0.1.2 lladdr $mac_a dev pa nud permanent
	neigh replace fd00:1::2 lladdr $mac_a dev pa nud permanent
	neigh replace 10.0.1.3 lladdr $mac_a2 dev pa nud permanent
	neigh replace 10.0.2.2 lladdr $mac_b dev pb nud permanent
	neigh replace fd00:2::2 lladdr $mac_b dev pb nud permanent
	route add 192.0.2.2/32 via 10.0.1.2 dev pa
	route add 2001:db8::2/128 via fd00:1::2 dev pa
	route add 10.2.0.1/32 via 10.0.1.2 src 10.1.0.1
	route add fd02::1/128 via fd00:1::2 src fd01::1
	rule add from 192.0.2.11 table 100
	route add 192.0.2.2/32 via 10.0.2.2 dev pb table 100
	BATCH
	in_ns right ip -batch - <<-BATCH || return 1
	link set pa2 up
	addr add 10.0.1.3/24 dev pa2
	route add 192.0.2.1/32 via 10.0.1.1 dev pa
	route add 192.0.2.11/32 via 10.0.1.1 dev pa
	route add 2001:db8::1/128 via fd00:1::1 dev pa
	route add 10.1.0.1/32 via 10.0.1.1 src 10.2.0.1
	route add fd01::1/128 via fd00:1::1 src fd02::1
	BATCH
	# Tunnels both ways (right's replies by path pa all along).
	local sas="
	sa add src 192.0.2.1 dst 192.0.2.2 spi 0x104 mode tunnel enc aes128gcm16 key $key
	sa add src 2001:db8::1 dst 2001:db8::2 spi 0x106 mode tunnel enc aes128gcm16 key $key
	sa add src 192.0.2.2 dst 192.0.2.1 spi 0x204 mode tunnel enc aes128gcm16 key $key
	sa add src 2001:db8::2 dst 2001:db8::1 spi 0x206 mode tunnel enc aes128gcm16 key $key"
	in_ns left "$IPSECCTL" -f - <<-BATCH || return 1
	$sas
	policy add dir out src 10.1.0.1 dst 10.2.0.1 action protect mode tunnel tsrc 192.0.2.1 tdst 192.0.2.2
	policy add dir out src fd01::1 dst fd02::1 action protect mode tunnel tsrc 2001:db8::1 tdst 2001:db8::2
	policy add dir in src 10.2.0.1 dst 10.1.0.1 action protect mode tunnel tsrc 192.0.2.2 tdst 192.0.2.1
	policy add dir in src fd02::1 dst fd01::1 action protect mode tunnel tsrc 2001:db8::2 tdst 2001:db8::1
	BATCH
	in_ns right "$IPSECCTL" -f - <<-BATCH || return 1
	$sas
	policy add dir in src 10.1.0.1 dst 10.2.0.1 action protect mode tunnel tsrc 192.0.2.1 tdst 192.0.2.2
	policy add dir in src fd01::1 dst fd02::1 action protect mode tunnel tsrc 2001:db8::1 tdst 2001:db8::2
	policy add dir out src 10.2.0.1 dst 10.1.0.1 action protect mode tunnel tsrc 192.0.2.2 tdst 192.0.2.1
	policy add dir out src fd02::1 dst fd01::1 action protect mode tunnel tsrc 2001:db8::2 tdst 2001:db8::1
	BATCH
	in_ns right nft -f - <<-'NFT'
	table inet seen {
		chain pre {
			type filter hook prerouting priority -450;
			iifname "pa" ip protocol esp counter comment "a4"
			iifname "pa2" ip protocol esp counter comment "a2_4"
			iifname "pb" ip protocol esp counter comment "b4"
			iifname "pb" ip protocol esp ip frag-off & 0x3fff != 0 counter comment "frag_b4"
			iifname "pb" ip protocol esp meta length > 1300 counter comment "big_b4"
			ip saddr 192.0.2.11 ip protocol esp counter comment "new_src4"
			iifname "pa" ip6 nexthdr esp counter comment "a6"
			iifname "pb" ip6 nexthdr esp counter comment "b6"
			iifname "pb" ip6 nexthdr ipv6-frag counter comment "frag_b6"
			iifname "pb" ip6 nexthdr { esp, ipv6-frag } meta length > 1300 counter comment "big_b6"
		}
	}
	NFT
}

# counted: "NAME PACKETS" for each of right's counting rules (one nft
# call: on the debug kernel each takes a while).
counted() {
	in_ns right nft list chain inet seen pre |
		awk '$NF ~ /^"/ { for (i = 1; i < NF; i++) if ($i == "packets") print substr($NF, 2, length($NF) - 2), $(i + 1) }'
}

# snapshot: the counters now, once what was on its way has arrived;
# more NAME: how many packets NAME counted since (after counted_now).
declare -A snap now
snapshot() {
	local name n
	nap 0.3
	while read -r name n; do snap[$name]=$n; done < <(counted)
}
counted_now() {
	local name n
	while read -r name n; do now[$name]=$n; done < <(counted)
}
more() {
	echo $((${now[$1]:-0} - ${snap[$1]:-0}))
}

# probe FAMILY SIZE: five pings from left's inner address to right's,
# with no DF (the outer packet may be fragmented); all must be answered.
probe() {
	local dst=10.2.0.1 flag=-4
	[ "$1" = 6 ] && dst=fd02::1 flag=-6
	in_ns left ping $flag -q -c 5 -i 0.05 -W 2 -M dont -s "$2" "$dst"
}

# expect_more WHAT NAME MIN [NAME MAX]...: counter NAME grew by MIN or
# more since the snapshot, and each further NAME by MAX or less.
expect_more() {
	local what=$1 name=$2 min=$3 out n bad=
	shift 3
	counted_now
	n=$(more "$name")
	out="$name +$n"
	[ "$n" -ge "$min" ] || bad=1
	while [ $# -ge 2 ]; do
		n=$(more "$1")
		out+=", $1 +$n"
		[ "$n" -le "$2" ] || bad=1
		shift 2
	done
	if [ -z "$bad" ]; then ok "$what ($out)"; else not_ok "$what ($out)"; fi
}

check "two paths between left and right, tunnels of both families on path pa" setup
macvlan=
in_ns right ip -d link show pa2 | grep -q macvlan && macvlan=1
in_ns_bg left ping -4 -q -i 0.1 -W 1 10.2.0.1 >"$pings/4" 2>&1
pinger4=$!
in_ns_bg left ping -6 -q -i 0.1 -W 1 fd02::1 >"$pings/6" 2>&1
pinger6=$!

snapshot
check "IPv4: the tunnel works" probe 4 56
expect_more "IPv4: ESP came by path pa" a4 5 b4 0 a2_4 0
check "IPv6: the tunnel works" probe 6 56
expect_more "IPv6: ESP came by path pa" a6 5 b6 0

# A new outgoing device.
in_ns left ip route replace 192.0.2.2/32 via 10.0.2.2 dev pb
in_ns left ip -6 route replace 2001:db8::2/128 via fd00:2::2 dev pb
snapshot
check "IPv4, the route moved to device pb: the tunnel works" probe 4 56
expect_more "... every ESP packet since came by pb" b4 5 a4 0 a2_4 0
check "IPv6, the route moved to device pb: the tunnel works" probe 6 56
expect_more "... every ESP packet since came by pb" b6 5 a6 0

# A new next hop on the same device (its own MAC address).
if [ -n "$macvlan" ]; then
	in_ns left ip route replace 192.0.2.2/32 via 10.0.1.3 dev pa
	snapshot
	check "IPv4, the next hop is another host on device pa: the tunnel works" probe 4 56
	expect_more "... every ESP packet since went to that host" a2_4 5 a4 0 b4 0
else
	ok "# SKIP the next hop on the same device: this kernel has no macvlan (stock 6.12 runs it)"
fi

# A smaller MTU on the route: the ESP packets leave in fragments that fit.
in_ns left ip route replace 192.0.2.2/32 via 10.0.2.2 dev pb mtu 1300
in_ns left ip -6 route replace 2001:db8::2/128 via fd00:2::2 dev pb mtu 1300
snapshot
check "IPv4, the route's MTU is 1300: 1,250-byte pings through" probe 4 1250
expect_more "... their ESP in fragments, none over 1300 bytes" frag_b4 10 big_b4 0 a2_4 0
check "IPv6, the route's MTU is 1300: 1,250-byte pings through" probe 6 1250
expect_more "... their ESP in fragments, none over 1300 bytes" frag_b6 10 big_b6 0

# SA_UPDATE gives the outbound SA another source address, which the
# routing rules send by path pb.
in_ns left ip route replace 192.0.2.2/32 via 10.0.1.2 dev pa
probe 4 56 >/dev/null
check "the IPv4 SA's source changes to 192.0.2.11, and its policy's" in_ns left \
	"$IPSECCTL" -f - <<-BATCH
sa update dst 192.0.2.2 spi 0x104 src 192.0.2.11
policy update dir out src 10.1.0.1 dst 10.2.0.1 action protect mode tunnel tsrc 192.0.2.11 tdst 192.0.2.2
BATCH
snapshot
check "... the tunnel works" probe 4 56
expect_more "... the ESP packets since come from it, by its route" new_src4 5 a4 0

# answered FILE: a background ping, ended, lost at most two (one at a
# change, one on its way at the end).
answered() {
	local sent got
	read -r sent got < <(sed -n 's/^\([0-9]*\) packets transmitted, \([0-9]*\) received.*/\1 \2/p' "$1")
	cat "$1"
	[ "${sent:-0}" -ge 20 ] && [ "$got" -ge $((sent - 2)) ]
}
kill -INT $pinger4 $pinger6
wait $pinger4 $pinger6
check "IPv4 pings under all of it: answered" answered "$pings/4"
check "IPv6 pings under all of it: answered" answered "$pings/6"

# Left's SAs hold routes; right keeps sending to left meanwhile.
in_ns_bg right ping -4 -q -i 0.05 -W 1 10.1.0.1 >/dev/null 2>&1
pinger=$!
sa_out() {
	in_ns right "$IPSECCTL" -s sa get dst 192.0.2.1 spi 0x204 |
		awk '$1 == "stats" { for (i = 2; i < NF; i += 2) if ($i == "out_packets") print $(i + 1) }'
}
check "the namespace with the cached routes is deleted under traffic" ns_del left
kill $pinger
wait $pinger
# Path pa went with it: right's tunnel goes into a dummy device now.
in_ns right ip route replace 192.0.2.1/32 dev ends
in_ns right ip route replace 10.1.0.1/32 dev ends src 10.2.0.1
n=$(sa_out)
in_ns_bg right ping -4 -q -i 0.05 10.1.0.1 >/dev/null 2>&1
pinger=$!
sa_out_above() { [ "$(sa_out)" -ge $(($1 + 5)) ]; }
check "right's tunnel SA sends by its new route" wait_until 10 sa_out_above "$n"
check "the module unloads with that SA and its route in place, under traffic" \
	modprobe -r nfesp
check "... and is gone" test ! -d /sys/module/nfesp
check "... and comes back on demand" "$IPSECCTL" sa list

done_testing
