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
in_ns_bg right python3 -c '
import socket, time
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.bind(("192.0.2.2", 4500))
s.setsockopt(socket.IPPROTO_UDP, 100, 2)   # UDP_ENCAP, UDP_ENCAP_ESPINUDP
time.sleep(600)'
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
sleep 0.5
expect_output "IKE on port 4500 reaches the socket" "^IKE_SA_INIT$" cat "$got"
done_testing
