#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Hostile input: ESP made by hand (selftests/tools/esp-craft) that is
# replayed, truncated, ICV-corrupted, padding-corrupted or for an unknown
# SPI, and cleartext spoofing a protected flow. Each is dropped, counted
# under its reason, and nothing reaches the socket; a correct packet made
# the same way does, before and after, so the tool is known to be right.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/esp_lib.sh"

CRAFT=${ESP_CRAFT:-$(dirname "$IPSECCTL")/esp-craft}
key=${esp_key[aes128gcm16]}
spi=0x1000
esp_topology || exit 1

in_ns right "$IPSECCTL" -f - <<BATCH || exit 1
sa add src 192.0.2.1 dst 192.0.2.2 spi $spi mode transport enc aes128gcm16 key $key replay-window 64
policy add dir in src 192.0.2.1 dst 192.0.2.2 proto udp action protect mode transport
BATCH

got=$(mktemp)
trap 'kill $udp_pid 2>/dev/null; rm -f "$got"; cleanup' EXIT
udp_listener right 192.0.2.2 7777 0 "$got" || exit 1

delivered() {	# counted in bash: no grep started for each look
	local line n=0
	while IFS= read -r line; do
		[[ $line != *nfesp-hostile* ]] || n=$((n + 1))
	done <"$got"
	echo "$n"
}

global() {
	nfesp_counter right "$1"
}

# send WHAT SEQ HOW COUNTER [SPI]: one packet, made as HOW says, which
# must add 1 to COUNTER (a global counter) and deliver nothing, unless
# COUNTER is in_packets: then it is delivered.
send() {
	local what=$1 seq=$2 how=$3 counter=$4 spi_=${5:-$spi} before after want
	before=$(global "$counter")
	want=$(delivered)
	[ "$counter" = in_packets ] && want=$((want + 1))
	in_ns left "$CRAFT" 192.0.2.2 "$spi_" "$seq" "$key" 7777 "$how"
	nap 0.5
	after=$(global "$counter")
	check "$what: $counter went from $before to $((before + 1))" \
		test "$after" = $((before + 1))
	check "$what: $want datagram(s) delivered in all" test "$(delivered)" = "$want"
}

send "a correct packet" 1 ok in_packets
send "the same packet again" 1 ok drop_replay
send "a corrupted ICV" 2 icv drop_icv
send "corrupted padding" 3 pad drop_trailer
send "a truncated packet" 4 short drop_too_short
send "an unknown SPI" 5 ok drop_no_sa 0x2000
before=$(global drop_cleartext)
want=$(delivered)
in_ns left bash -c 'echo nfesp-hostile-clear > /dev/udp/192.0.2.2/7777'
nap 0.5
check "cleartext of a protected flow: drop_cleartext counted" \
	test "$(global drop_cleartext)" = $((before + 1))
check "cleartext of a protected flow: not delivered" test "$(delivered)" = "$want"
# IKE must pass a protect policy: a bypass policy that ranks first lets
# it; a discard policy drops what it covers.
in_ns right "$IPSECCTL" -f - <<BATCH
policy add dir in src 192.0.2.1 dst 192.0.2.2 proto udp dport 500 action bypass priority 0
policy add dir in src 192.0.2.1 dst 192.0.2.2 proto udp dport 7778 action discard priority 0
BATCH
before=$(global drop_cleartext)
in_ns left bash -c 'echo ike > /dev/udp/192.0.2.2/500'
nap 0.5
expect_output "a bypass policy lets IKE in the clear through" "in_packets 1 " \
	in_ns right "$IPSECCTL" -s policy get dir in src 192.0.2.1 dst 192.0.2.2 proto udp dport 500
check "... which is no cleartext drop" test "$(global drop_cleartext)" = "$before"
before=$(global drop_policy)
in_ns left bash -c 'echo x > /dev/udp/192.0.2.2/7778'
nap 0.5
check "a discard policy drops what it covers (drop_policy)" \
	test "$(global drop_policy)" = $((before + 1))
# A dummy packet (next header 59, RFC 4303 2.6): authentic, so it counts
# once (in_dummy), and is discarded without a word back (no ICMP).
icmp_out() {
	in_ns right awk '$1 == "Icmp:" && !n++ { for (i = 1; i <= NF; i++) col[$i] = i; next }
		$1 == "Icmp:" { print $col["OutMsgs"] }' /proc/net/snmp
}
icmp_before=$(icmp_out)
in_before=$(global in_packets)
send "a dummy packet" 6 dummy in_dummy
check "a dummy packet: no in_packets counted" test "$(global in_packets)" = "$in_before"
check "a dummy packet: no ICMP sent back" test "$(icmp_out)" = "$icmp_before"
send "a correct packet after all that" 7 ok in_packets
n=$(nfesp_sa_counter right 192.0.2.2 $spi drop_replay)
check "the SA counted its replay too ($n)" test "$n" = 1
done_testing
