#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Gateway to gateway: LAN A - gateway A = ESP = gateway B - LAN B. The
# gateways forward between their LANs through a tunnel; hosts on the LANs
# know nothing of IPsec. Cleartext that a forward policy requires to be
# protected is dropped at the gateway; path MTU discovery works through
# the tunnel.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/esp_lib.sh"

key=${esp_key[aes256gcm16]}
for n in lana gwa gwb lanb; do
	ns_add $n || exit 1
done
ns_link lana gwa 10.1.0.2/24 10.1.0.1/24
ns_link gwa gwb 192.0.2.1/24 192.0.2.2/24
ns_link gwb lanb 10.2.0.1/24 10.2.0.2/24
in_ns lana ip route add default via 10.1.0.1
in_ns lanb ip route add default via 10.2.0.1
in_ns gwa ip route add 10.2.0.0/24 via 192.0.2.2
in_ns gwb ip route add 10.1.0.0/24 via 192.0.2.1
for g in gwa gwb; do
	in_ns $g sysctl -qw net.ipv4.ip_forward=1
done

# gateway NS ME PEER MY_LAN PEER_LAN SPI_OUT SPI_IN
gateway() {
	in_ns "$1" "$IPSECCTL" -f - <<-BATCH
	sa add src $2 dst $3 spi $6 mode tunnel enc aes256gcm16 key $key reqid 5
	sa add src $3 dst $2 spi $7 mode tunnel enc aes256gcm16 key $key reqid 5 replay-window 1024
	policy add dir out src $4 dst $5 action protect mode tunnel tsrc $2 tdst $3 reqid 5
	policy add dir fwd src $5 dst $4 action protect mode tunnel tsrc $3 tdst $2 reqid 5
	BATCH
}
check "gateway A configured" gateway gwa 192.0.2.1 192.0.2.2 10.1.0.0/24 10.2.0.0/24 0x5001 0x5002
check "gateway B configured" gateway gwb 192.0.2.2 192.0.2.1 10.2.0.0/24 10.1.0.0/24 0x5002 0x5001

check "ping LAN A -> LAN B" in_ns lana ping -q -c 3 -i 0.2 -W 5 10.2.0.2
check "ping LAN B -> LAN A" in_ns lanb ping -q -c 3 -i 0.2 -W 5 10.1.0.2
check "TCP LAN A -> LAN B" tcp_transfer lana 10.2.0.2 300000 lanb
check "TCP LAN B -> LAN A" tcp_transfer lanb 10.1.0.2 300000 lana
# Full-size TCP segments with DF do not fit in ESP over a 1500-byte link:
# the gateway said so (ICMP), and the sender's route learned the MTU.
expect_output "LAN A's route to LAN B learned a smaller MTU" " mtu 14[0-9][0-9]" \
	in_ns lana ip route get 10.2.0.2
expect_output "gateway A counted what it refused as too big" '"drop_mtu":[1-9]' \
	in_ns gwa "$IPSECCTL" -j stats
n=$(nfesp_sa_counter gwa 192.0.2.2 0x5001 out_packets)
m=$(nfesp_sa_counter gwb 192.0.2.2 0x5001 in_packets)
check "every packet gateway A sent ($n) gateway B took in ($m)" test "$n" -gt 6 -a "$n" = "$m"

# Gateway B lets one flow out in the clear; gateway A must not forward it.
in_ns gwb "$IPSECCTL" policy add dir out src 10.2.0.0/24 dst 10.1.0.0/24 \
	proto udp dport 9 action bypass priority 0
in_ns gwb "$IPSECCTL" policy update dir out src 10.2.0.0/24 dst 10.1.0.0/24 \
	action protect priority 10 mode tunnel tsrc 192.0.2.2 tdst 192.0.2.1 reqid 5
before=$(nfesp_counter gwa drop_cleartext)
in_ns lanb bash -c 'echo spoof > /dev/udp/10.1.0.2/9'
nap 0.5
after=$(nfesp_counter gwa drop_cleartext)
check "cleartext forwarded into a protected LAN is dropped ($before -> $after)" \
	test "$after" = $((before + 1))

# Gateway A also rewrites the source of what it sends to the WAN (SNAT).
# Protected flows never meet the rule as themselves (nfesp takes them in
# FORWARD), and their ESP packets carry no conntrack entry of the flow
# inside, so the rule cannot rewrite ESP as if it were that flow (a TCP
# checksum fixed up in the middle of the ciphertext). The flows are still
# tracked: their replies come back "established".
check "gateway A: SNAT on the WAN, and a count of tracked replies" \
	in_ns gwa nft -f - <<-'EOF'
	table ip gw {
		chain post {
			type nat hook postrouting priority 100;
			oifname "v-gwb" snat to 192.0.2.100
		}
		chain replies {
			type filter hook forward priority 0;
			ip saddr 10.2.0.0/24 ct state established counter
		}
	}
EOF
check "ping LAN A -> LAN B through the tunnel past the SNAT rule" \
	in_ns lana ping -q -c 3 -i 0.2 -W 5 10.2.0.2
check "TCP LAN A -> LAN B through the tunnel past the SNAT rule" \
	tcp_transfer lana 10.2.0.2 100000 lanb
expect_output "the replies were tracked as established" "counter packets [1-9]" \
	in_ns gwa nft list chain ip gw replies
done_testing
