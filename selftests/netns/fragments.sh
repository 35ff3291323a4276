#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# What a packet does not show: the later fragments of a datagram carry no
# ports, a truncated header hides them, an IPv6 header chain can hide the
# protocol. Port-specific policies must hold all the same (RFC 4301 7): a
# gateway reassembles before it matches, without conntrack, and drops what
# it cannot match rather than forward it in the clear. What it reassembled
# it must still be able to forward (IPv6: in fragments again).
#   LAN A - gateway A = WAN router = gateway B - LAN B
# The WAN router counts what it forwards from LAN A's addresses: with
# everything protected, that is nothing.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/esp_lib.sh"

key=${esp_key[aes256gcm16]}
for n in lana gwa wan gwb lanb; do
	ns_add $n || exit 1
done
ns_link lana gwa 10.1.0.2/24 10.1.0.1/24 fd01::2/64 fd01::1/64
ns_link gwa wan 192.0.2.1/24 192.0.2.254/24 fd00:a::1/64 fd00:a::254/64
ns_link wan gwb 198.51.100.254/24 198.51.100.2/24 fd00:b::254/64 fd00:b::2/64
ns_link gwb lanb 10.2.0.1/24 10.2.0.2/24 fd02::1/64 fd02::2/64
in_ns lana ip route add default via 10.1.0.1
in_ns lana ip -6 route add default via fd01::1
in_ns lanb ip route add default via 10.2.0.1
in_ns lanb ip -6 route add default via fd02::1
in_ns gwa ip route add default via 192.0.2.254
in_ns gwa ip -6 route add default via fd00:a::254
in_ns gwb ip route add default via 198.51.100.254
in_ns gwb ip -6 route add default via fd00:b::254
in_ns wan ip route add 10.1.0.0/24 via 192.0.2.1
in_ns wan ip route add 10.2.0.0/24 via 198.51.100.2
in_ns wan ip -6 route add fd01::/64 via fd00:a::1
in_ns wan ip -6 route add fd02::/64 via fd00:b::2
for n in gwa wan gwb; do
	in_ns $n sysctl -qw net.ipv4.ip_forward=1 net.ipv6.conf.all.forwarding=1
done
check "the WAN router counts what it forwards from LAN A" in_ns wan nft -f - <<-'EOF'
	table inet wan {
		chain forward {
			type filter hook forward priority 0;
			ip saddr 10.1.0.0/24 counter
			ip6 saddr fd01::/64 counter
		}
	}
EOF
leaked() {	# packets of LAN A's that crossed the WAN in the clear
	local rules
	rules=$(in_ns wan nft list chain inet wan forward) || { echo unknown; return; }
	awk 'NF > 4 && $(NF - 3) == "packets" { n += $(NF - 2); r++ }
		END { print r == 2 ? n : "unknown" }' <<<"$rules"
}

# LAN A to LAN B: UDP to port 5000 (IPv4); everything (IPv6) but UDP to
# port 5000, which a bypass policy ahead of it lets go. The same on both
# gateways: out of gateway A, forwarded by gateway B.
gateway() {	# gateway NS DIR
	local t="mode tunnel tsrc 192.0.2.1 tdst 198.51.100.2 reqid 5"
	in_ns "$1" "$IPSECCTL" -f - <<-BATCH
	sa add src 192.0.2.1 dst 198.51.100.2 spi 0x6001 mode tunnel enc aes256gcm16 key $key reqid 5
	sa add src 198.51.100.2 dst 192.0.2.1 spi 0x6002 mode tunnel enc aes256gcm16 key $key reqid 5
	policy add dir $2 src 10.1.0.0/24 dst 10.2.0.0/24 proto udp dport 5000 action protect $t
	policy add dir $2 src fd01::/64 dst fd02::/64 action protect $t
	policy add dir $2 src fd01::/64 dst fd02::/64 proto udp dport 5000 action bypass priority 0
	BATCH
}
check "gateway A configured" gateway gwa out
check "gateway B configured" gateway gwb fwd
expect_output "gateway A has no conntrack hook" "^none$" sh -c \
	"ip netns exec $ns_prefix-gwa nft list hooks | grep -c conntrack_in || echo none"

# A datagram of 3,000 bytes leaves LAN A in three fragments; only the
# first shows the port. Gateway A reassembles it, and protects it whole.
listen=$(mktemp)
udp_listener lanb 10.2.0.2 5000 len "$listen"
check "a 3000-byte datagram to port 5000 sent" \
	udp_send lana 10.1.0.2 10.2.0.2 5000 "$(head -c 3000 /dev/zero | tr '\0' x)"
check "it arrived whole" wait_until 5 grep -qx 3000 "$listen"
kill "$udp_pid"
rm -f "$listen"
check "none of its fragments crossed the WAN in the clear ($(leaked))" \
	test "$(leaked)" = 0
n=$(nfesp_sa_counter gwa 198.51.100.2 0x6001 out_packets)
check "gateway A protected it as one packet ($n)" test "$n" = 1

# IPv6 routers do not fragment, but a datagram that gateway A reassembled
# and that does not fit the tunnel whole goes in fragments again, no
# larger than the sender's, each in an ESP packet of its own; gateway B
# reassembles and forwards it in fragments that fit LAN B.
before=$(nfesp_sa_counter gwa 198.51.100.2 0x6001 out_packets)
check "ping -6 -s 3000 from LAN A to LAN B" \
	in_ns lana ping -6 -q -c 2 -i 0.3 -W 5 -s 3000 fd02::2
n=$(($(nfesp_sa_counter gwa 198.51.100.2 0x6001 out_packets) - before))
check "gateway A sent each request in three ESP packets ($n in all)" test "$n" = 6
check "none crossed the WAN in the clear" test "$(leaked)" = 0

# Hand-made packets from LAN A that hide what the port-specific policy
# needs; the gateway must drop them, not guess.
raw_send() {	# raw_send DST HEX: an IP packet, header included
	in_ns lana python3 -c '
import socket, sys
fam = socket.AF_INET6 if ":" in sys.argv[1] else socket.AF_INET
s = socket.socket(fam, socket.SOCK_RAW, socket.IPPROTO_RAW)
s.sendto(bytes.fromhex(sys.argv[2]), (sys.argv[1], 0))' "$@"
}
unreadable() {	# unreadable WHAT DST HEX
	local before after
	before=$(nfesp_counter gwa drop_unreadable)
	check "$1: sent" raw_send "$2" "$3"
	check "$1: gateway A dropped it as unreadable" \
		wait_until 5 test "$(nfesp_counter gwa drop_unreadable)" = $((before + 1))
	check "$1: nothing crossed the WAN in the clear" test "$(leaked)" = 0
}
# IPv4, UDP: 20 bytes of IP header, then 2 of the 8 of UDP.
unreadable "IPv4 UDP cut short of its ports" 10.2.0.2 \
	"4500001600004000401100000a0100020a0200021388"
# IPv6, its first extension header promised but missing (payload 0).
unreadable "IPv6 header chain cut short" fd02::2 \
	"6000000000003c40fd010000000000000000000000000002fd020000000000000000000000000002"
# IPv6, no next header (59): nothing hidden, so the protect policy for
# everything but UDP 5000 applies.
before=$(nfesp_sa_counter gwa 198.51.100.2 0x6001 out_packets)
check "IPv6 with no next header: sent" raw_send fd02::2 \
	"6000000000003b40fd010000000000000000000000000002fd020000000000000000000000000002"
check "IPv6 with no next header: protected by gateway A" wait_until 5 test \
	"$(nfesp_sa_counter gwa 198.51.100.2 0x6001 out_packets)" = $((before + 1))
check "IPv6 with no next header: nothing crossed the WAN in the clear" \
	test "$(leaked)" = 0
done_testing
