#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# NAT traversal (RFC 3948): ESP in UDP on port 4500 between nfesp and XFRM,
# both ways, while IKE on the same port (the zero non-ESP marker) still
# reaches the socket that owns it.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/esp_lib.sh"

esp_topology || exit 1
got=$(mktemp)
trap 'kill $encap_sock $ike_sock 2>/dev/null; rm -f "$got"; cleanup' EXIT

# XFRM takes ESP in UDP only on a socket that asked for it (UDP_ENCAP).
xfrm_encap_socket() {	# xfrm_encap_socket NS ADDR: in the background, as $!
	in_ns_bg "$1" python3 -c '
import socket, sys, time
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.bind((sys.argv[1], 4500))
s.setsockopt(socket.IPPROTO_UDP, 100, 2)   # UDP_ENCAP, UDP_ENCAP_ESPINUDP
time.sleep(600)' "$2"
}
xfrm_encap_socket right 192.0.2.2
encap_sock=$!
# nfesp's side: an IKE daemon's socket, which must see only IKE.
udp_listener left 192.0.2.1 4500 4 "$got" || exit 1
ike_sock=$udp_pid

check "nfesp side, ESP in UDP 4500" nfesp_side left aes128gcm16 transport 4 4 0x6001 0x6002 \
	encap udp sport 4500 dport 4500
check "xfrm side, espinudp 4500" xfrm_side right aes128gcm16 transport 4 4 0x6002 0x6001 \
	encap espinudp 4500 4500 0.0.0.0
# IKE's port in the clear: XFRM checks its inbound policy before the
# encapsulation socket sees a packet, so it needs a bypass (charon sets one
# on its socket); nfesp needs one for IKE itself.
in_ns right ip xfrm policy del src 192.0.2.1/32 dst 192.0.2.2/32 dir in
in_ns right ip xfrm policy add src 192.0.2.1/32 dst 192.0.2.2/32 dir in priority 100 \
	tmpl src 192.0.2.1 dst 192.0.2.2 proto esp reqid 1 mode transport
in_ns right ip xfrm policy add src 192.0.2.1/32 dst 192.0.2.2/32 proto udp dport 4500 \
	dir in priority 10
in_ns left "$IPSECCTL" policy add dir in src 192.0.2.2 dst 192.0.2.1 proto udp dport 4500 \
	action bypass
check "ping nfesp -> xfrm" in_ns left ping -q -c 3 -i 0.2 -W 5 192.0.2.2
check "ping xfrm -> nfesp" in_ns right ping -q -c 3 -i 0.2 -W 5 192.0.2.1
n=$(nfesp_sa_counter left 192.0.2.2 0x6001 out_packets)
x=$(xfrm_sa_packets right 0x6001 192.0.2.1 192.0.2.2)
check "xfrm took in all that nfesp sent in UDP ($n, $x)" test "$n" = 6 -a "$x" = 6
n=$(nfesp_sa_counter left 192.0.2.1 0x6002 in_packets)
check "nfesp took in all that xfrm sent in UDP ($n)" test "$n" = 6
check "TCP nfesp -> xfrm in UDP" tcp_transfer left 192.0.2.2 200000 right

in_ns right python3 -c '
import socket
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.sendto(b"\0\0\0\0IKE_SA_INIT", ("192.0.2.1", 4500))'
nap 0.5
expect_output "IKE on port 4500 reaches the socket" "^IKE_SA_INIT$" cat "$got"

# Behind a real NAT (RFC 3948 3.1.2): home (10.0.0.2) is masqueraded as
# 198.51.100.1 on its way to office. In transport mode the TCP checksum
# covers the addresses its sender saw, which the packet no longer has on
# arrival; the receiver must not drop it for that. TCP both ways, with
# XFRM at the office, then nfesp at both ends.
for n in home nat office; do
	ns_add $n || exit 1
done
ns_link home nat 10.0.0.2/24 10.0.0.1/24
ns_link nat office 198.51.100.1/24 198.51.100.2/24
in_ns home ip route add default via 10.0.0.1
in_ns nat sysctl -qw net.ipv4.ip_forward=1
check "the NAT masquerades home" in_ns nat nft -f - <<-'EOF'
	table ip nat {
		chain postrouting {
			type nat hook postrouting priority 100;
			oifname "v-office" masquerade
		}
	}
EOF
xfrm_encap_socket office 198.51.100.2
office_sock=$!
trap 'kill $encap_sock $ike_sock $office_sock 2>/dev/null; rm -f "$got"; cleanup' EXIT
key=${esp_key[aes128gcm16]}
enc="mode transport enc aes128gcm16 key $key reqid 1 encap udp sport 4500 dport 4500"
# nat_side NS ME PEER SPI_OUT SPI_IN: nfesp's SAs and policies.
nat_side() {
	in_ns "$1" "$IPSECCTL" -f - <<-BATCH
	sa add src $2 dst $3 spi $4 $enc
	sa add src $3 dst $2 spi $5 $enc
	policy add dir out src $2 dst $3 action protect mode transport reqid 1
	policy add dir in src $3 dst $2 action protect mode transport reqid 1
	BATCH
}
# The same with XFRM at the office. The office knows home by the address
# and port the NAT gave it.
office_xfrm() {
	local e="mode transport $(xfrm_alg aes128gcm16) encap espinudp 4500 4500 0.0.0.0"
	# The last policy lets IKE's port in the clear, ahead of ESP's.
	in_ns office ip -batch - <<-BATCH
	xfrm state add src 198.51.100.1 dst 198.51.100.2 proto esp spi 0x7001 reqid 1 $e
	xfrm state add src 198.51.100.2 dst 198.51.100.1 proto esp spi 0x7002 reqid 1 $e
	xfrm policy add src 198.51.100.2 dst 198.51.100.1 dir out tmpl src 198.51.100.2 dst 198.51.100.1 proto esp reqid 1 mode transport
	xfrm policy add src 198.51.100.1 dst 198.51.100.2 dir in priority 100 tmpl src 198.51.100.1 dst 198.51.100.2 proto esp reqid 1 mode transport
	xfrm policy add src 198.51.100.1 dst 198.51.100.2 proto udp dport 4500 dir in priority 10
	BATCH
}
for office in xfrm nfesp; do
	check "behind NAT, office $office: home configured" \
		nat_side home 10.0.0.2 198.51.100.2 0x7001 0x7002
	if [ $office = xfrm ]; then
		check "behind NAT, office xfrm: office configured" office_xfrm
	else
		check "behind NAT, office nfesp: office configured" \
			nat_side office 198.51.100.2 198.51.100.1 0x7002 0x7001
	fi
	# home speaks first: the NAT maps its port 4500 before office answers.
	check "behind NAT, office $office: TCP home -> office" \
		tcp_transfer home 198.51.100.2 100000 office
	check "behind NAT, office $office: TCP office -> home (its NAT address)" \
		tcp_transfer office 198.51.100.1 100000 home 0.0.0.0
	n=$(nfesp_sa_counter home 198.51.100.2 0x7001 out_packets)
	check "behind NAT, office $office: home's TCP went in ESP ($n packets)" test "$n" -gt 10
	esp_clear home office
done
done_testing
