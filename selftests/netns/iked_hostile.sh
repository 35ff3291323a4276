#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# iked under attack, iked against iked over nfesp: a flood of IKE_SA_INIT
# requests from spoofed sources (the peer's own address among them, so that
# they reach the half-open accounting) while the real peer connects; and
# an IKE rekey by the peer crossing our CHILD rekey on a slow path. With
# IKED=build/asan/iked, any sanitizer report fails the file.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/esp_lib.sh"
. "$(dirname "$0")/iked_lib.sh"

esp_topology || exit 1

# 1. 10,000 IKE_SA_INITs at 1,000 a second, half from addresses no
# connection has, half from left's own address (what an attacker who knows
# the peers would send), every other one with a KE of one byte, while
# left's iked connects: right keeps at most 16 half-open SAs (then
# stateless cookies, RFC 7296 2.6; a failed KE does not make room), left
# answers its cookie and gets through, right's log stays short.
flood_sources="192.0.2.1/32 203.0.113.0/24"
in_ns right ip route add 203.0.113.0/24 via "${esp_addr[left,4]}"
iked_tunnel_conf right start=none ike=aes128gcm16-prfsha256-x25519
iked_retries=6 iked_tunnel_conf left start=none ike=aes128gcm16-prfsha256-x25519
check_here "iked starts (right)" iked_start right
check_here "iked starts (left), patient with a busy peer (retries = 6)" iked_start left

half_open() {
	ike right list | grep -c CONNECTING
}
# The most half-open SAs right has had, sampled until the flood ends.
most_half_open() {
	local n most=0
	while kill -0 "$1" 2>/dev/null; do
		n=$(half_open)
		[ "$n" -le "$most" ] || most=$n
		nap 0.2
	done
	echo "$most"
}
flood_start=$SECONDS
in_ns_bg left python3 "$(dirname "$0")/ikeflood.py" "${esp_addr[right,4]}" 10000 1000 \
	$flood_sources >"$iked_dir/flood.out" 2>&1
flood_pid=$!
most_half_open "$flood_pid" >"$iked_dir/half_open" &
sampler_pid=$!
check "right is under the flood: 16 half-open SAs to left's address, cookies from now on" \
	wait_for 15 "^16$" half_open
check "left's iked connects during the flood" ike left up net
check "... its CHILD SA is installed" wait_for 30 INSTALLED ike left list
check "... before the flood ends" kill -0 "$flood_pid"
check "... it was asked for a cookie, and answered" \
	wait_for 5 "the peer asks for a cookie" cat "$iked_dir/left.log"
check "traffic flows while the flood goes on" ping_esp 10.1.0.1 10.2.0.1
wait "$flood_pid"
flood_secs=$((SECONDS - flood_start))
wait "$sampler_pid"
expect_output "the flood sent all 10,000" "^10000$" cat "$iked_dir/flood.out"
# 16 without a cookie, and left's own once it answered its cookie (the
# sampler may see it before it is up, beside 16 of the flood).
expect_output "right never had more than 16 half-open SAs, and left's" "^([0-9]|1[0-7])$" \
	cat "$iked_dir/half_open"
# The warnings' bound: 100 in all each 10 s and a line for what was held
# back; some 60 lines besides (the half-open SAs, start and stop).
most_lines=$(((flood_secs / 10 + 2) * 101 + 60))
check "right's log stays short: at most $most_lines lines for 10,000 requests in $flood_secs s" \
	test "$(wc -l <"$iked_dir/right.log")" -le "$most_lines"
no_half_open() {
	[ "$(half_open)" = 0 ]
}
check "the flood's half-open SAs time out (30 s)" wait_until 45 no_half_open
check "traffic still flows after it" ping_esp 10.1.0.1 10.2.0.1
iked_stop left
iked_stop right
# The next part's logs on their own.
for ns in left right; do
	mv "$iked_dir/$ns.log" "$iked_dir/$ns-flood.log"
done

# 2. RFC 7296 2.25.2 on a 200 ms path: left rekeys the CHILD SA and, within
# 100 ms, right rekeys the IKE SA; right's request crosses left's and is
# answered TEMPORARY_FAILURE; every SA that remains works, no ping is lost.
iked_tunnel_conf right start=none
iked_tunnel_conf left start=start
check_here "iked starts (right)" iked_start right
check_here "iked starts (left)" iked_start left
check "CHILD SA installed" wait_for 20 INSTALLED ike left list
slow_path on
in_ns_bg left ping -q -c 50 -i 0.1 -I 10.1.0.1 10.2.0.1 >"$iked_dir/ping.log" 2>&1
ping_pid=$!
nap 0.5
ike left rekey net >/dev/null &
nap 0.05
ike right rekey net ike >/dev/null
wait $!
check "left's CHILD rekey is done" \
	wait_for 15 "CHILD SA 0x[0-9a-f]+/0x[0-9a-f]+ deleted" cat "$iked_dir/left.log"
wait "$ping_pid"
slow_path off
expect_output "no ping lost across the crossing rekeys" " 0% packet loss" cat "$iked_dir/ping.log"
check "right's IKE rekey is done, at once or tried again after TEMPORARY_FAILURE" \
	wait_for 30 "IKE SA rekeyed" cat "$iked_dir/right.log"
children_each() {
	echo "$(ike left list | grep -c INSTALLED) $(ike right list | grep -c INSTALLED)"
}
expect_output "one CHILD SA on each side" "^1 1$" children_each
check "traffic over what is left" ping_esp 10.1.0.1 10.2.0.1

iked_stop left
iked_stop right
check "no AddressSanitizer or LeakSanitizer report from iked" \
	sh -c "! grep -h -A20 'Sanitizer' '$iked_dir'/*.log"
done_testing
