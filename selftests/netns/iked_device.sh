#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Route-based: iked with its connection on an nfesp device (interface =,
# then if_id =) against strongSwan's charon with if_id_in/if_id_out on an
# XFRM interface. Traffic routed into the device starts the negotiation
# (its ACQUIRE), the CHILD SA's selectors are open for both families and
# its SAs bound to the device, no policy is installed; IPv4 and IPv6
# through the device, counted on both devices; rekeys by either end under
# pings of both families lose nothing; then charon initiates to an iked
# connection by if_id; then iked at both ends.
#
#   left: iked, ipsec0 (if_id 7)  <-- 192.0.2.1 <-> .2 -->  right: charon, xfrm0 (if_id 42)
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/esp_lib.sh"
. "$(dirname "$0")/iked_lib.sh"
. "$(dirname "$0")/swan_lib.sh"

esp_topology || exit 1
trap 'swan_stop; [ "$tests_failed" = 0 ] || sed "s/^/#   charon: /" "$iked_dir/charon.log"; iked_cleanup' EXIT

check "left: an nfesp device" in_ns left "$IPSECCTL" link add ipsec0 if-id 7
in_ns left ip link set ipsec0 up
in_ns right ip link add xfrm0 type xfrm dev veth0 if_id 42
in_ns right ip link set xfrm0 up
# The inner addresses of both families, routed into the devices.
in_ns left ip route replace 10.2.0.1/32 dev ipsec0 src 10.1.0.1
in_ns left ip -6 route replace fd02::1/128 dev ipsec0 src fd01::1
in_ns right ip route replace 10.1.0.1/32 dev xfrm0 src 10.2.0.1
in_ns right ip -6 route replace fd01::1/128 dev xfrm0 src fd02::1

left_conf() {
	iked_conf left net local=192.0.2.1 remote=192.0.2.2 \
		local_id=left.example.org remote_id=right.example.org \
		psk=iked-test-secret "$@"
}
dev_packets() {	# dev_packets NS DEV rx|tx
	link_stat "$1" "$2" "$3_packets"
}

# 1. iked waits for traffic into its device (start = trap).
left_conf interface=ipsec0 start=trap lifetime=12
swan_conf lts=0.0.0.0/0,::/0 rts=0.0.0.0/0,::/0 if_id=42
check_here "charon starts, its CHILD SA on if_id 42" swan_start right
check_here "iked starts, its connection on ipsec0" iked_start left
check "no trap policy: the device's traffic raises the ACQUIRE" \
	bash -c "! ip netns exec $ns_prefix-left $IPSECCTL policy list | grep -q protect"
in_ns left ping -c 1 -W 1 10.2.0.1 >/dev/null 2>&1
check "traffic into ipsec0 starts the negotiation (its ACQUIRE)" \
	wait_for 15 "traffic into ipsec0 without an SA \(ACQUIRE\): negotiating" cat "$iked_dir/left.log"
check "CHILD SA installed on the device" wait_for 30 "CHILD SA installed \(tunnel, on device if_id 7\)" \
	cat "$iked_dir/left.log"
expect_output "... of every address of both families" '0.0.0.0/0, ::/0 === 0.0.0.0/0, ::/0' \
	cat "$iked_dir/left.log"
expect_output "nfesp: the SAs are bound to if-id 7, one each way" 'dir in if-id 7.*|dir out if-id 7' \
	in_ns left "$IPSECCTL" sa list
check "... both of them" test "$(in_ns left "$IPSECCTL" sa list | grep -c 'if-id 7')" = 2
check "still no protect policy in nfesp: routes decide" \
	bash -c "! ip netns exec $ns_prefix-left $IPSECCTL policy list | grep -q protect"
tx0=$(dev_packets left ipsec0 tx)
rx0=$(dev_packets right xfrm0 rx)
check "IPv4 through the device" ping_esp 10.1.0.1 10.2.0.1
check "IPv6 through the device" ping_esp fd01::1 fd02::1
check "ipsec0 counted what it sent" test "$(dev_packets left ipsec0 tx)" -ge $((tx0 + 6))
check "xfrm0 received as much" test "$(dev_packets right xfrm0 rx)" -ge $((rx0 + 6))
check "ipsec0 received the answers" test "$(dev_packets left ipsec0 rx)" -ge 6

# 2. Rekeys by charon, then by iked (its 12 s lifetime), under pings of
# both families: the device moves to each new SA and loses nothing.
ping4_log=$iked_dir/ping4.log ping6_log=$iked_dir/ping6.log
in_ns_bg left ping -q -c 150 -i 0.1 -I 10.1.0.1 10.2.0.1 >"$ping4_log" 2>&1
ping4=$!
in_ns_bg left ping -q -c 150 -i 0.1 -I fd01::1 fd02::1 >"$ping6_log" 2>&1
ping6=$!
nap 1
old_spi=$(ike left list | awk '/^    in /{print $2}' | tr -d ,)
check "strongSwan rekeys the CHILD SA" swanctl --rekey --child net
check "iked took the new CHILD SA" wait_for 15 "the peer deleted CHILD SA $old_spi" cat "$iked_dir/left.log"
check "iked rekeys the CHILD SA on its soft expiry" wait_for 20 "rekeying CHILD SA" cat "$iked_dir/left.log"
check "... and deletes the old one" wait_for 15 "CHILD SA 0x[0-9a-f]+/0x[0-9a-f]+ deleted" cat "$iked_dir/left.log"
wait "$ping4" "$ping6"
expect_output "no IPv4 packet lost across the rekeys" " 0% packet loss" cat "$ping4_log"
expect_output "no IPv6 packet lost across the rekeys" " 0% packet loss" cat "$ping6_log"
check "the device has its SAs, no more (one each way)" \
	wait_until 10 bash -c "[ \$(ip netns exec $ns_prefix-left $IPSECCTL sa list | grep -c 'if-id 7') = 2 ]"
iked_stop left
check "iked stopped: no SA left on the device" test -z "$(in_ns left "$IPSECCTL" sa list)"

# 3. charon initiates; iked answers on the device by if_id.
swanctl --terminate --ike net --timeout 5 >/dev/null 2>&1
left_conf if_id=7 start=none
check_here "iked starts, its connection on if_id 7" iked_start left
check "strongSwan -> iked: initiate" swanctl --initiate --child net --timeout 30
check "iked installed the CHILD SA on the device" wait_for 10 "on device if_id 7" ike left list
check "IPv6 through the device" ping_esp fd01::1 fd02::1
check "IPv4 through the device" ping_esp 10.1.0.1 10.2.0.1

# 4. iked at both ends, as route-based.md's two sites: a device each,
# routes into it, interface = and start = trap; traffic on the right
# starts it, and a rekey under pings loses nothing.
iked_stop left
swan_stop
in_ns right ip link del xfrm0
check "right: an nfesp device too" in_ns right "$IPSECCTL" link add ipsec0
in_ns right ip link set ipsec0 up
in_ns right ip route replace 10.1.0.1/32 dev ipsec0 src 10.2.0.1
in_ns right ip -6 route replace fd01::1/128 dev ipsec0 src fd02::1
left_conf interface=ipsec0 start=trap lifetime=12
iked_conf right net local=192.0.2.2 remote=192.0.2.1 local_id=right.example.org \
	remote_id=left.example.org psk=iked-test-secret interface=ipsec0 start=trap
: >"$iked_dir/left.log"	# the rekey below is looked for in a log of its own
check_here "iked starts on the left" iked_start left
check_here "... and on the right" iked_start right
in_ns right ping -c 1 -W 1 10.1.0.1 >/dev/null 2>&1
check "traffic into the right's device: iked to iked, installed" \
	wait_for 30 "on device if_id 1" ike right list
check "... on the left's device too" wait_for 10 "on device if_id 7" ike left list
in_ns_bg left ping -q -c 120 -i 0.1 -I 10.1.0.1 10.2.0.1 >"$ping4_log" 2>&1
ping4=$!
in_ns_bg right ping -q -c 120 -i 0.1 -I fd02::1 fd01::1 >"$ping6_log" 2>&1
ping6=$!
check "the left rekeys (12 s lifetime)" wait_for 20 "rekeying CHILD SA" cat "$iked_dir/left.log"
wait "$ping4" "$ping6"
expect_output "no IPv4 packet lost from the left" " 0% packet loss" cat "$ping4_log"
expect_output "no IPv6 packet lost from the right" " 0% packet loss" cat "$ping6_log"

done_testing
