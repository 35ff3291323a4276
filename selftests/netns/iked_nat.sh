#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# iked behind a NAT: left (10.0.0.2) reaches right (192.0.2.2) through a
# router that masquerades it as 192.0.2.1. Both ends detect the NAT, IKE
# floats to port 4500, the CHILD SAs carry ESP in UDP through the NAT, the
# side behind the NAT sends keepalives, a CHILD rekey under ping loses
# nothing, and when the NAT maps left anew (another port) right follows.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/esp_lib.sh"
. "$(dirname "$0")/iked_lib.sh"

nat_topology() {
	ns_add left && ns_add nat && ns_add right || return 1
	ip link add l0 netns "$ns_prefix-left" type veth peer name n0 netns "$ns_prefix-nat" &&
	ip link add r0 netns "$ns_prefix-right" type veth peer name n1 netns "$ns_prefix-nat" ||
		return 1
	in_ns left ip addr add 10.0.0.2/24 dev l0
	in_ns left ip link set l0 up
	in_ns nat ip addr add 10.0.0.1/24 dev n0
	in_ns nat ip addr add 192.0.2.1/24 dev n1
	in_ns nat ip link set n0 up
	in_ns nat ip link set n1 up
	in_ns nat sysctl -qw net.ipv4.ip_forward=1
	in_ns nat nft -f - <<-NFT || return 1
	table ip nat {
		chain post {
			type nat hook postrouting priority srcnat;
			oifname "n1" masquerade
		}
	}
	NFT
	in_ns right ip addr add 192.0.2.2/24 dev r0
	in_ns right ip link set r0 up
	in_ns left ip link add inner type dummy
	in_ns left ip link set inner up
	in_ns left ip addr add 10.1.0.1/32 dev inner
	in_ns right ip link add inner type dummy
	in_ns right ip link set inner up
	in_ns right ip addr add 10.2.0.1/32 dev inner
	in_ns left ip route add default via 10.0.0.1
	in_ns left ip route add 10.2.0.1/32 via 10.0.0.1 src 10.1.0.1
	in_ns right ip route add 10.1.0.1/32 via 192.0.2.1 src 10.2.0.1
}

nat_topology || exit 1
iked_conf left net local=10.0.0.2 remote=192.0.2.2 local_id=left.example.org \
	remote_id=right.example.org psk=iked-nat-test-secret local_ts=10.1.0.1/32 \
	remote_ts=10.2.0.1/32 start=start lifetime=12 dpd=2
# The responder knows the initiator by the NAT's public address.
iked_conf right net local=192.0.2.2 remote=192.0.2.1 local_id=right.example.org \
	remote_id=left.example.org psk=iked-nat-test-secret local_ts=10.2.0.1/32 \
	remote_ts=10.1.0.1/32 start=none
# NAT keepalives (RFC 3948: one 0xff byte to 4500), as they reach right.
sniff_udp right r0 4500 'd == b"\xff"' "$iked_dir/keepalive"
sniffer=$!
check_here "iked starts (right)" iked_start right
check_here "iked starts (left, behind the NAT)" iked_start left
check "through the NAT: CHILD SA installed" wait_for 20 INSTALLED ike left list
expect_output "the initiator moved to port 4500 and sees the NAT" \
	"remote 'right.example.org' @ 192.0.2.2\[4500\] \(NAT-T\)" ike left list
expect_output "the responder sees the initiator behind the NAT" \
	"remote 'left.example.org' @ 192.0.2.1\[[0-9]+\] \(NAT-T\)" ike right list
expect_output "the CHILD SA is ESP in UDP" "TUNNEL-in-UDP" ike left list
expect_output "nfesp's SA on the initiator's side: ESP in UDP from and to 4500" \
	"encap udp sport 4500 dport 4500" in_ns left "$IPSECCTL" sa list
check "ping through the NAT, in ESP" ping_esp 10.1.0.1 10.2.0.1
check "the side behind the NAT sends keepalives" wait_until 25 test -s "$iked_dir/keepalive"
kill "$sniffer" 2>/dev/null
in_ns_bg left ping -q -c 150 -i 0.1 -I 10.1.0.1 10.2.0.1 >"$iked_dir/ping.log" 2>&1
ping_pid=$!
check "the CHILD SA is rekeyed through the NAT" \
	wait_for 25 "CHILD SA 0x[0-9a-f]+/0x[0-9a-f]+ deleted" cat "$iked_dir/left.log"
wait "$ping_pid"
expect_output "no packet lost across the rekey" " 0% packet loss" cat "$iked_dir/ping.log"

# The NAT forgets its mapping (a reboot, a timeout) and maps left anew, to
# another port: right follows left's next IKE message there (a liveness
# check every 2 s here), and nfesp's UDP-encapsulated SAs with it.
remap() {
	in_ns nat nft -f - <<-NFT || return 1
	flush chain ip nat post
	add rule ip nat post oifname "n1" meta l4proto udp snat to 192.0.2.1:40000-40099
	add rule ip nat post oifname "n1" masquerade
	NFT
	in_ns nat conntrack -D -p udp >/dev/null
}
check_here "the NAT maps UDP to other ports, its mappings flushed" remap
check "a new mapping: right follows left to its new port" \
	wait_for 15 "remote 'left.example.org' @ 192.0.2.1\[400[0-9]{2}\] \(NAT-T\)" ike right list
expect_output "iked says why" "the peer is now at 192.0.2.1\[400[0-9]{2}\], not 192.0.2.1\[4500\]" \
	cat "$iked_dir/right.log"
expect_output "right's outbound SA in nfesp sends to that port" \
	"encap udp sport 4500 dport 400[0-9]{2}" in_ns right "$IPSECCTL" sa list
check "ping through the new mapping, in ESP" ping_esp 10.1.0.1 10.2.0.1
iked_stop left
iked_stop right
check "no AddressSanitizer or LeakSanitizer report from iked" \
	sh -c "! grep -h -A20 'Sanitizer' '$iked_dir'/*.log"
done_testing
