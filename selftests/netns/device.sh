#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Route-based tunnels: nfesp devices (ip link add ... type nfesp) against
# XFRM interfaces (type xfrm if_id) as the peer no one here wrote. What is
# routed into the device is protected by its SA whatever its addresses,
# v4 and v6 inside, over v4 (ipsec4) and v6 (ipsec6); what its SA
# decapsulates arrives on the device (counters, the firewall's iifname),
# and nowhere else: with the device down or gone it is dropped. No SA: the
# packet is dropped, counted and announced (ACQUIRE with the device). The
# device moved to another namespace keeps its ESP in the first, and goes
# when that one goes. A smaller path MTU under the device is learned by
# its routes (ICMP "too big", both families).
#
#   left (nfesp)                            right (XFRM)
#   ipsec4 if-id 4 -- 192.0.2.1 <-> 192.0.2.2 -- xfrm4 if_id 42
#   ipsec6 if-id 6 -- 2001:db8::1 <-> ::2    -- xfrm6 if_id 43
#   inner 10.1.0.1 fd01::1                     inner 10.2.0.1 fd02::1
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/esp_lib.sh"

esp_topology || exit 1
trap 'cleanup' EXIT
key=${esp_key[aes128gcm16]}

# The kind, as ip(8) and ipsecctl create it.
check "ip link add ... type nfesp makes a device" \
	in_ns left ip link add ipsec9 type nfesp
expect_output "... of kind nfesp, if-id 1 (the lowest free), MTU 1400" \
	'ipsec9 if-id 1$' in_ns left "$IPSECCTL" link list
expect_output "... MTU 1400, point to point" 'POINTOPOINT.* mtu 1400 ' \
	in_ns left ip link show ipsec9
check "ipsecctl link add with an if-id" in_ns left "$IPSECCTL" link add ipsec4 if-id 4
check "... and with an MTU" in_ns left "$IPSECCTL" link add ipsec6 if-id 6 mtu 1380
expect_output "... which it has" 'mtu 1380 ' in_ns left ip link show ipsec6
expect_refusal "an if-id a device has is refused" 1 'IFLA_NFESP_IF_ID: a device of this namespace has it' \
	in_ns left "$IPSECCTL" link add ipsec5 if-id 4
check "... and no device made" bash -c "! ip -n $ns_prefix-left link show ipsec5 2>/dev/null"
expect_output "link list -j" '\{"ifname":"ipsec4","if_id":4,"ifindex":[0-9]+,"here":true,"stats":\{"rx_packets":0,"rx_bytes":0,"rx_dropped":0,"tx_packets":0,"tx_bytes":0,"tx_dropped":0\},"sas":\[\]\},\{"ifname":"ipsec6","if_id":6,' \
	in_ns left "$IPSECCTL" -j link list
expect_refusal "an SA of a device needs tunnel mode" 2 'needs mode tunnel and dir' \
	in_ns left "$IPSECCTL" sa add src 192.0.2.1 dst 192.0.2.2 spi 0x401 mode transport \
	enc aes128gcm16 key "$key" dir out dev ipsec4
expect_refusal "... and a direction" 2 'needs mode tunnel and dir' \
	in_ns left "$IPSECCTL" sa add src 192.0.2.1 dst 192.0.2.2 spi 0x401 mode tunnel \
	enc aes128gcm16 key "$key" if-id 4
expect_refusal "dev names an nfesp device" 1 '"veth0" is no nfesp device' \
	in_ns left "$IPSECCTL" sa add src 192.0.2.1 dst 192.0.2.2 spi 0x401 mode tunnel \
	enc aes128gcm16 key "$key" dir out dev veth0
check "... and nothing was added" test -z "$(in_ns left "$IPSECCTL" sa list)"
# The kernel's own refusals, by raw netlink (ipsecctl refuses these first).
raw_sa() {	# raw_sa CMD MODE(1 transport, 2 tunnel) DIR(0 none, 1 in, 2 out, 3 fwd) [IF_ID]
	in_ns left "$NFESP_TOP/selftests/netns/genl.py" "$1" SA="$(NFESP_TOP=$NFESP_TOP python3 - "$@" <<-'PY'
	import os, struct, sys
	sys.path.insert(0, os.environ["NFESP_TOP"] + "/selftests/netns")
	from genl import nlattr, uapi_enum
	A = uapi_enum("NFESP_SA_A_")
	a = (nlattr(A["FAMILY"], struct.pack("H", 2)) + nlattr(A["DST"], bytes([192, 0, 2, 2])) +
	     nlattr(A["SPI"], struct.pack("I", 0x4ff)))
	if sys.argv[1] == "SA_ADD":
	    a += (nlattr(A["SRC"], bytes([192, 0, 2, 1])) + nlattr(A["MODE"], bytes([int(sys.argv[2])])) +
	          nlattr(A["ALG"], b"rfc4106(gcm(aes))\0") + nlattr(A["KEY"], bytes(20)))
	if sys.argv[3] != "0":
	    a += nlattr(A["DIR"], bytes([int(sys.argv[3])]))
	if len(sys.argv) > 4:
	    a += nlattr(A["IF_ID"], struct.pack("I", int(sys.argv[4])))
	print(a.hex())
	PY
	)"
}
expect_output "the kernel: IF_ID needs tunnel mode" "^error EINVAL: NFESP_SA_A_IF_ID needs tunnel mode" \
	raw_sa SA_ADD 1 2 4
expect_output "... and DIR" "^error EINVAL: NFESP_SA_A_IF_ID needs NFESP_SA_A_DIR" raw_sa SA_ADD 2 0 4
expect_output "... and DIR is in or out, not fwd" "^error (ERANGE|EINVAL)" raw_sa SA_ADD 2 3 4
check "... and an SA of either direction without IF_ID is taken" raw_sa SA_ADD 2 2
expect_output "SA_UPDATE changes neither" "^error EINVAL: SA_UPDATE changes only" raw_sa SA_UPDATE 2 1 4
expect_output "... as ipsecctl shows: dir out, no if-id" 'spi 0x000004ff mode tunnel reqid 0 dir out$' \
	in_ns left "$IPSECCTL" sa list
in_ns left "$IPSECCTL" sa flush

# left: one SA pair per device; right: XFRM interfaces, states and
# policies by if_id (selectors open, both families inside).
left_sas() {
	in_ns left "$IPSECCTL" -f - <<-BATCH
	sa add src 192.0.2.1 dst 192.0.2.2 spi 0x401 mode tunnel enc aes128gcm16 key $key dir out dev ipsec4
	sa add src 192.0.2.2 dst 192.0.2.1 spi 0x402 mode tunnel enc aes128gcm16 key $key dir in dev ipsec4
	sa add src 2001:db8::1 dst 2001:db8::2 spi 0x601 mode tunnel enc aes128gcm16 key $key dir out dev ipsec6
	sa add src 2001:db8::2 dst 2001:db8::1 spi 0x602 mode tunnel enc aes128gcm16 key $key dir in dev ipsec6
	BATCH
}
check "SAs bound to the devices, by name" left_sas
expect_output "sa list shows the binding" 'spi 0x00000401 mode tunnel reqid 0 dir out if-id 4' \
	in_ns left "$IPSECCTL" sa list
expect_output "link list shows each device's SAs" \
	'ipsec4 if-id 4.*    sa out src 192.0.2.1 dst 192.0.2.2 spi 0x00000401.*    sa in src 192.0.2.2 dst 192.0.2.1 spi 0x00000402.*ipsec6' \
	bash -c "ip netns exec $ns_prefix-left $IPSECCTL link list | tr '\n' ' '"
expect_output "... and with -j" '"sas":\[\{"dir":"out","src":"2001:db8::1","dst":"2001:db8::2","spi":1537\},\{"dir":"in",' \
	in_ns left "$IPSECCTL" -j link list
# The MTU follows the device's newest outbound SA unless it was set:
# AES-GCM over IPv4 on the 1,500-byte veth leaves 1500 - 20 (IPv4) - 8
# (ESP) - 8 (IV) - 16 (ICV) = 1448 for a multiple of 4, less the trailer's
# 2: 1446. ipsec6's 1380 was set, and stays.
expect_output "an outbound SA gives its device the MTU it carries: 1446" ' mtu 1446 ' \
	in_ns left ip link show ipsec4
expect_output "... but not where the MTU was set" ' mtu 1380 ' in_ns left ip link show ipsec6
sa8() {	# sa8 SPI SRC DST [WORDS]: an outbound SA of if-id 8
	in_ns left "$IPSECCTL" sa add src "$2" dst "$3" spi "$1" mode tunnel \
		enc aes128gcm16 key "$key" dir out if-id 8 "${@:4}"
}
check "an SA over IPv6 for a device not made yet" sa8 0x801 2001:db8::1 2001:db8::2
check "... then the device" in_ns left "$IPSECCTL" link add ipsec8 if-id 8
expect_output "... which starts with the SA's MTU: 1500 - 40 - 8 - 8 - 16 - 2 = 1426" ' mtu 1426 ' \
	in_ns left ip link show ipsec8
check "a newer SA, over IPv4 in UDP" sa8 0x802 192.0.2.1 192.0.2.2 encap udp sport 4500 dport 4500
expect_output "... moves it: 1500 - 20 - 8 - 8 - 8 - 16 - 2 = 1438" ' mtu 1438 ' \
	in_ns left ip link show ipsec8
check "the administrator sets it" in_ns left ip link set ipsec8 mtu 1300
check "... and the next SA" sa8 0x803 192.0.2.1 192.0.2.2
expect_output "... leaves it so" ' mtu 1300 ' in_ns left ip link show ipsec8
in_ns left ip link del ipsec8
in_ns left "$IPSECCTL" sa del dst 2001:db8::2 spi 0x801
in_ns left "$IPSECCTL" sa del dst 192.0.2.2 spi 0x802
in_ns left "$IPSECCTL" sa del dst 192.0.2.2 spi 0x803
xfrm_peer() {	# xfrm_peer DEV IF_ID ME PEER SPI_OUT SPI_IN
	local dev=$1 id=$2 me=$3 peer=$4 sel dir
	in_ns right ip link add "$dev" type xfrm dev veth0 if_id "$id" &&
		in_ns right ip link set "$dev" up || return 1
	# shellcheck disable=SC2046
	in_ns right ip xfrm state add src "$me" dst "$peer" proto esp spi "$5" \
		mode tunnel if_id "$id" flag af-unspec $(xfrm_alg aes128gcm16) &&
	in_ns right ip xfrm state add src "$peer" dst "$me" proto esp spi "$6" \
		mode tunnel if_id "$id" flag af-unspec $(xfrm_alg aes128gcm16) || return 1
	for sel in 0.0.0.0/0 ::/0; do
		in_ns right ip xfrm policy add src $sel dst $sel dir out if_id "$id" \
			tmpl src "$me" dst "$peer" proto esp mode tunnel &&
		in_ns right ip xfrm policy add src $sel dst $sel dir in if_id "$id" \
			tmpl src "$peer" dst "$me" proto esp mode tunnel || return 1
	done
}
check "the XFRM peer: interface xfrm4" xfrm_peer xfrm4 42 192.0.2.2 192.0.2.1 0x402 0x401
check "the XFRM peer: interface xfrm6" xfrm_peer xfrm6 43 2001:db8::2 2001:db8::1 0x602 0x601

# route_into OUTER: both inner families routed through the devices of OUTER.
route_into() {
	in_ns left ip route replace 10.2.0.1/32 dev "ipsec$1" src 10.1.0.1 &&
	in_ns left ip -6 route replace fd02::1/128 dev "ipsec$1" src fd01::1 &&
	in_ns right ip route replace 10.1.0.1/32 dev "xfrm$1" src 10.2.0.1 &&
	in_ns right ip -6 route replace fd01::1/128 dev "xfrm$1" src fd02::1
}
# dev_packets NS DEV rx|tx: the device's packet counter.
dev_packets() {
	link_stat "$1" "$2" "$3_packets"
}
in_ns left ip link set ipsec4 up
in_ns left ip link set ipsec6 up
# The firewall sees what arrives by the device.
in_ns left nft -f - <<-NFT
table inet t {
	chain in {
		type filter hook input priority 0;
		iifname "ipsec4" meta l4proto icmp counter comment "ping4 by ipsec4"
		iifname "ipsec4" meta l4proto ipv6-icmp counter comment "ping6 by ipsec4"
	}
}
NFT
nft_count() {
	in_ns left nft list chain inet t in |
		sed -n "s/.*packets \([0-9]*\) .*comment \"$1\".*/\1/p"
}
for outer in 4 6; do
	route_into $outer
	before_tx=$(dev_packets left "ipsec$outer" tx)
	before_rx=$(dev_packets right "xfrm$outer" rx)
	check "over IPv$outer: IPv4 inside, both ways" in_ns left ping -4 -c 3 -i 0.2 -W 2 10.2.0.1
	check "over IPv$outer: IPv6 inside, both ways" in_ns left ping -6 -c 3 -i 0.2 -W 2 fd02::1
	check "over IPv$outer: TCP from the XFRM side" tcp_transfer right 10.1.0.1 100000 left
	check "over IPv$outer: TCP over IPv6 from the nfesp side" tcp_transfer left fd02::1 100000 right
	check "over IPv$outer: ipsec$outer counted what it sent" \
		test "$(dev_packets left "ipsec$outer" tx)" -ge $((before_tx + 6))
	check "over IPv$outer: xfrm$outer received as much" \
		test "$(dev_packets right "xfrm$outer" rx)" -ge $((before_rx + 6))
done
check "the other way: ipsec4 received what xfrm4 sent" \
	test "$(dev_packets left ipsec4 rx)" -ge "$(( $(dev_packets right xfrm4 tx) - 2 ))"
check "the firewall saw IPv4 arrive on ipsec4" test "$(nft_count 'ping4 by ipsec4')" -ge 3
check "... and IPv6" test "$(nft_count 'ping6 by ipsec4')" -ge 3
expect_output "the SA counted its packets" 'out_packets [1-9]' \
	in_ns left "$IPSECCTL" -s sa get dst 192.0.2.2 spi 0x401
link_counters() {	# the counters line of ipsec4 in link list
	in_ns left "$IPSECCTL" link list | grep -A1 '^ipsec4 ' | tail -n 1
}
# The peer's interface may send of itself (IPv6 MLD) meanwhile: link
# list's figures lie between the kernel's before and after.
counters_agree() {
	local rx0 tx0 line rx tx
	rx0=$(dev_packets left ipsec4 rx) tx0=$(dev_packets left ipsec4 tx)
	line=$(link_counters)
	rx=$(sed -n 's/^ *rx \([0-9]*\) packets, [0-9]* bytes, 0 dropped; .*/\1/p' <<<"$line")
	tx=$(sed -n 's/.*; tx \([0-9]*\) packets, .*/\1/p' <<<"$line")
	echo "$line"
	[ -n "$rx" ] && [ -n "$tx" ] && [ "$rx" -ge "$rx0" ] && [ "$tx" -ge "$tx0" ] &&
		[ "$rx" -le "$(dev_packets left ipsec4 rx)" ] && [ "$tx" -le "$(dev_packets left ipsec4 tx)" ]
}
check "link list shows ipsec4's counters, as the kernel's" counters_agree

# A policy that would want these flows in ESP of its own does not apply
# to what enters and leaves by a device: the route decides.
in_ns left "$IPSECCTL" policy add dir out dst 10.2.0.1 action discard
in_ns left "$IPSECCTL" policy add dir in src 10.2.0.1 action protect mode transport
route_into 4
check "a device's traffic meets no policy" in_ns left ping -4 -c 2 -i 0.2 -W 2 10.2.0.1
in_ns left "$IPSECCTL" policy flush

# Policies bound to a device narrow what it carries, in their direction:
# only what one that protects matches passes, whatever the family. They
# apply to that device alone, and no device's policies to anything else.
raw_pol() {	# raw_pol DIR ACTION [tmpl]: a policy of if-id 4 for dst 10.2.0.1
	in_ns left "$NFESP_TOP/selftests/netns/genl.py" POLICY_ADD POLICY="$(NFESP_TOP=$NFESP_TOP python3 - "$@" <<-'PY'
	import os, struct, sys
	sys.path.insert(0, os.environ["NFESP_TOP"] + "/selftests/netns")
	from genl import nlattr, uapi_enum
	A, T = uapi_enum("NFESP_POL_A_"), uapi_enum("NFESP_TMPL_A_")
	a = (nlattr(A["DIR"], bytes([int(sys.argv[1])])) + nlattr(A["FAMILY"], struct.pack("H", 2)) +
	     nlattr(A["DST"], bytes([10, 2, 0, 1])) + nlattr(A["DST_LEN"], bytes([32])) +
	     nlattr(A["ACTION"], bytes([int(sys.argv[2])])) + nlattr(A["IF_ID"], struct.pack("I", 4)))
	if len(sys.argv) > 3:
	    a += nlattr(A["TMPL"] | 0x8000, nlattr(T["MODE"], bytes([1])))
	print(a.hex())
	PY
	)"
}
expect_output "the kernel: a device's policy is not fwd" \
	"^error EINVAL: NFESP_POL_A_IF_ID: a device's policies are in or out" raw_pol 3 1
expect_output "... nor bypass" "^error EINVAL: a device's policy protects or discards" raw_pol 2 2
expect_output "... and has no template" "^error EINVAL: NFESP_POL_A_TMPL: a device's policy has none" \
	raw_pol 2 1 tmpl
check "... and nothing was added" test -z "$(in_ns left "$IPSECCTL" policy list)"
in_ns left ip route replace 10.2.0.3/32 dev ipsec4 src 10.1.0.1
in_ns left ip route replace 10.2.0.9/32 dev ipsec4 src 10.1.0.1
check "policy add bound to ipsec4 by name: out to 10.2.0.0/30" \
	in_ns left "$IPSECCTL" policy add dir out dst 10.2.0.0/30 dev ipsec4 action protect
check "... with a discard carved out" \
	in_ns left "$IPSECCTL" policy add dir out dst 10.2.0.3 dev ipsec4 action discard
check "... in from 10.2.0.1, by if-id" \
	in_ns left "$IPSECCTL" policy add dir in src 10.2.0.1 if-id 4 action protect
check "... and one for the peer's outer address, which is no traffic of ipsec4" \
	in_ns left "$IPSECCTL" policy add dir out dst 192.0.2.2 if-id 4 action discard
expect_output "policy list shows the binding" \
	'^dir out src 0.0.0.0/0 dst 10.2.0.0/30 if-id 4 priority 0 action protect$' \
	in_ns left "$IPSECCTL" policy list
expect_output "... -j too" '"dst":"10.2.0.0/30",.*"action":"protect","if_id":4\}' \
	in_ns left "$IPSECCTL" -j policy list
expect_output "get finds it with its device" 'dst 10.2.0.0/30 if-id 4 ' \
	in_ns left "$IPSECCTL" policy get dir out dst 10.2.0.0/30 dev ipsec4
expect_status "... and not without" 1 in_ns left "$IPSECCTL" policy get dir out dst 10.2.0.0/30
check "what the device's policies allow passes, both ways" \
	in_ns left ping -4 -c 2 -i 0.2 -W 2 10.2.0.1
check "the peer's outer address is still reached in the clear" \
	in_ns left ping -4 -c 1 -W 2 192.0.2.2
dev_stat() {
	link_stat "$1" "$2" "$3"
}
# drops REASON CMD...: CMD gets no answer, REASON and ipsec4's tx_dropped grow.
drops() {
	local why=$1 before tx_before
	shift
	before=$(nfesp_counter left "$why")
	tx_before=$(dev_stat left ipsec4 tx_dropped)
	! "$@" >/dev/null 2>&1 &&
		test "$(nfesp_counter left "$why")" -gt "$before" &&
		test "$(dev_stat left ipsec4 tx_dropped)" -gt "$tx_before"
}
check "out to an address no policy of ipsec4 has: drop_selector, tx_dropped" \
	drops drop_selector in_ns left ping -4 -c 1 -W 1 10.2.0.9
check "... IPv6, which none has: the same" \
	drops drop_selector in_ns left ping -6 -c 1 -W 1 fd02::1
check "out to the carved-out address: drop_policy, tx_dropped" \
	drops drop_policy in_ns left ping -4 -c 1 -W 1 10.2.0.3
sa_before=$(nfesp_sa_counter left 192.0.2.1 0x402 drop_selector)
check "in from a source no policy of ipsec4 has: not received" \
	bash -c "! ip netns exec $ns_prefix-right ping -6 -c 1 -W 1 fd01::1"
check "... counted as drop_selector on its SA" \
	test "$(nfesp_sa_counter left 192.0.2.1 0x402 drop_selector)" -gt "$sa_before"
route_into 6
check "ipsec6, with no policy of its own, carries IPv6 still" \
	in_ns left ping -6 -c 2 -i 0.2 -W 2 fd02::1
route_into 4
in_ns left "$IPSECCTL" policy flush
check "the policies gone, ipsec4 carries IPv6 again" in_ns left ping -6 -c 2 -i 0.2 -W 2 fd02::1

# MTU: the device's 1446 bytes (its SA's) fit ESP on a 1500-byte path. A
# smaller path MTU to the peer (1360) is learned by the device's routes
# from "too big" (no black hole), for both families inside.
in_ns left ip route add 192.0.2.2/32 dev veth0 mtu 1360
# mtu_of DST: the path MTU the route to DST has learned, if any.
mtu_of() {
	in_ns left ip route get "$1" | sed -n 's/.* mtu \([0-9]*\).*/\1/p'
}
expect_output "a 1400-byte IPv4 packet with DF into ipsec4: frag needed" 'Frag needed|mtu=1' \
	in_ns left ping -4 -M do -c 2 -i 0.2 -W 1 -s 1372 10.2.0.1
check "... and the device's route learned a path MTU below 1360" \
	test "$(mtu_of 10.2.0.1)" -lt 1360 -a "$(mtu_of 10.2.0.1)" -ge 1280
check "... which carries a packet of that size" \
	in_ns left ping -4 -M do -c 2 -i 0.2 -W 2 -s $(( $(mtu_of 10.2.0.1) - 28 )) 10.2.0.1
expect_output "a 1400-byte IPv6 packet: packet too big" 'too big|mtu=1' \
	in_ns left ping -6 -M do -c 2 -i 0.2 -W 1 -s 1352 fd02::1
check "... learned by its route too" test "$(mtu_of fd02::1)" -lt 1360 -a "$(mtu_of fd02::1)" -ge 1280
# The same packet written into the device by a packet socket has no route
# of its own to learn the MTU: refused and counted all the same.
inject_big() {
	in_ns left python3 - <<-'PY'
	import socket, struct
	s = socket.socket(socket.AF_PACKET, socket.SOCK_DGRAM, socket.htons(0x0800))
	body = bytes(1400 - 28)
	udp = struct.pack("!HHHH", 4000, 4000, 8 + len(body), 0) + body
	hdr = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + len(udp), 1, 0x4000, 64, 17, 0,
	                  socket.inet_aton("10.1.0.1"), socket.inet_aton("10.2.0.1"))
	words = struct.unpack("!10H", hdr)
	c = sum(words); c = (c & 0xffff) + (c >> 16); c = (c & 0xffff) + (c >> 16)
	hdr = hdr[:10] + struct.pack("!H", ~c & 0xffff) + hdr[12:]
	s.sendto(hdr + udp, ("ipsec4", 0x0800))
	PY
}
n=$(nfesp_counter left drop_mtu)
check "a 1400-byte packet with DF from a packet socket into ipsec4" inject_big
check "... is dropped as drop_mtu, the kernel unharmed" \
	test "$(nfesp_counter left drop_mtu)" -gt "$n"
in_ns left ip route flush cache
in_ns left ip -6 route flush cache
check "TCP from the nfesp side finds the path MTU itself" tcp_transfer left 10.2.0.1 100000 right
in_ns left ip route del 192.0.2.2/32 dev veth0

# Down or gone: what its SA decapsulates is dropped, never received elsewhere.
in_ns left ip link set ipsec4 down
n=$(nfesp_counter left drop_no_device)
check "ipsec4 down: no answer" bash -c "! ip netns exec $ns_prefix-left ping -4 -c 2 -i 0.2 -W 1 10.2.0.1"
in_ns right ping -4 -c 3 -i 0.2 -W 1 -I 10.2.0.1 10.1.0.1 >/dev/null 2>&1
check "... what arrives for it is dropped as drop_no_device" \
	test "$(nfesp_counter left drop_no_device)" -ge $((n + 3))
in_ns left ip link set ipsec4 up
route_into 4	# down took its routes
check "up again: through" in_ns left ping -4 -c 2 -i 0.2 -W 2 10.2.0.1

# No SA: dropped, counted, announced with the device.
events=$(mktemp)
in_ns_bg left timeout 20 "$IPSECCTL" monitor >"$events"
monitor=$!
in_ns left ip link set ipsec9 up
in_ns left ip route add 10.2.0.9/32 dev ipsec9 src 10.1.0.1
n=$(nfesp_counter left drop_no_sa)
# Until the monitor, started meanwhile, hears one (one a second per flow).
acquired() {
	in_ns left ping -4 -c 1 -W 1 10.2.0.9 >/dev/null 2>&1
	grep -q 'dst 10.2.0.9' "$events"
}
wait_until 8 acquired
kill $monitor
wait $monitor
check "a device without SA: the packet is dropped as drop_no_sa" \
	test "$(nfesp_counter left drop_no_sa)" -gt "$n"
check "... and as the device's tx_dropped" test "$(link_stat left ipsec9 tx_dropped)" -ge 1
expect_output "... and an ACQUIRE names the device" 'acquire: src 10.1.0.1 dst 10.2.0.9 .*, by device ipsec9 if-id 1' \
	cat "$events"
rm -f "$events"

# Moved to another namespace: cleartext there, ESP still here.
ns_add lan
in_ns left ip link set ipsec4 netns "$ns_prefix-lan"
in_ns lan ip link set ipsec4 up
in_ns lan ip addr add 10.1.0.1/32 dev ipsec4
in_ns lan ip route add 10.2.0.1/32 dev ipsec4 src 10.1.0.1
expect_output "a moved device is listed where it was made" 'ipsec4 if-id 4 \(moved to another namespace\)' \
	in_ns left "$IPSECCTL" link list
check "from the other namespace through the device" in_ns lan ping -4 -c 3 -i 0.2 -W 2 10.2.0.1
check "the namespace that made the device goes, the device with it" \
	bash -c "ip netns del $ns_prefix-left &&
		for i in \$(seq 50); do ip -n $ns_prefix-lan link show ipsec4 >/dev/null 2>&1 || exit 0; sleep 0.2; done; exit 1"

# The module goes with devices in place, and comes back for ip(8).
in_ns lan ip link add ipsec1 type nfesp
in_ns lan ip link set ipsec1 up
in_ns lan ip route add 10.2.0.1/32 dev ipsec1 src 10.1.0.1
in_ns_bg lan ping -4 -q -i 0.05 10.2.0.1 >/dev/null 2>&1
pinger=$!
check "the module unloads with a device sending" modprobe -r nfesp
kill $pinger
wait $pinger 2>/dev/null
check "... the device went with it" bash -c "! ip -n $ns_prefix-lan link show ipsec1 2>/dev/null"
check "... and ip link add loads it again" in_ns lan ip link add ipsec1 type nfesp

done_testing
