#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# DSCP and ECN in tunnel mode. Going in, the outer header takes the inner
# DSCP (RFC 4301 5.1.2.1) and ECN, CE becoming ECT(0) (RFC 6040 normal
# mode); coming out, congestion marked on the way (CE outside) reaches the
# inner packet, and CE outside a packet that is not ECN-capable is dropped
# (RFC 6040 4.2; the whole table is in KUnit's nfesp_esp suite).
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/esp_lib.sh"

DS="python3 $(dirname "$0")/dsfield.py"
CRAFT=${ESP_CRAFT:-$(dirname "$IPSECCTL")/esp-craft}
port=7000
esp_topology || exit 1
sniffed=$(mktemp)
got=$(mktemp)
bg=()
trap 'kill "${bg[@]}" 2>/dev/null; rm -f "$sniffed" "$got"; cleanup' EXIT

# listen N [RECEIVED]: the ESP packets that arrive on right's link (N, to
# $sniffed) and what right receives on its inner address of $inner
# (RECEIVED, default N, to $got), or what came within 20 s.
listen() {
	: >"$sniffed"
	: >"$got"
	in_ns_bg right $DS sniff veth0 "$1" 20 >"$sniffed"
	bg+=($!)
	in_ns_bg right $DS recv "${esp_addr[right,inner$inner]}" $port "${2:-$1}" 20 >"$got"
	bg+=($!)
	wait_until 10 has_line ready "$sniffed" && wait_until 10 has_line ready "$got"
}

# Both listeners done: their findings, one line each, without "ready".
findings() {
	wait "${bg[@]}"
	bg=()
	wire=$(grep -av ready "$sniffed" | xargs)
	arrived=$(grep -av ready "$got" | awk '{ print $2 }' | xargs)
}

spi=0x5000
# The slow debug kernel (NFESP_TEST_MATRIX=short) takes the one case that
# goes through both families' code.
combos=("4 4" "6 6" "6 4")
[ "${NFESP_TEST_MATRIX:-full}" != short ] || combos=("6 4")
for c in "${combos[@]}"; do
	read -r inner outer <<<"$c"
	esp_clear
	nfesp_side left aes128gcm16 tunnel "$inner" "$outer" $((spi += 1)) $((spi += 1))
	nfesp_side right aes128gcm16 tunnel "$inner" "$outer" $spi $((spi - 1))
	to=${esp_addr[right,inner$inner]}

	# Not-ECT, then EF with each ECN codepoint, then AF11 with ECT(1).
	listen 6 || exit 1
	in_ns left $DS send "$to" $port 0x00 0xb8 0xba 0xb9 0xbb 0x29
	findings
	check "IPv$inner in IPv$outer: outer DS copies DSCP and ECN, CE going out as ECT(0) ($wire)" \
		test "$wire" = "0x00 0xb8 0xba 0xb9 0xba 0x29"
	check "IPv$inner in IPv$outer: each arrives with the DS it was sent with ($arrived)" \
		test "$arrived" = "0x00 0xb8 0xba 0xb9 0xbb 0x29"

	# netem marks ECN-capable packets CE instead of dropping them: the mark
	# is made on the outer header, and must reach the inner one.
	in_ns left tc qdisc add dev veth0 root netem loss 100% ecn || exit 1
	listen 2 || exit 1
	in_ns left $DS send "$to" $port 0xba 0xb9
	findings
	in_ns left tc qdisc del dev veth0 root
	check "IPv$inner in IPv$outer: marked CE on the way ($wire)" test "$wire" = "0xbb 0xbb"
	check "IPv$inner in IPv$outer: CE outside reaches the inner packet ($arrived)" \
		test "$arrived" = "0xbb 0xbb"
done

# CE outside a packet that is not ECN-capable: made by hand, since a
# correct sender never makes one. The same packet without the mark passes.
esp_clear
inner=4
nfesp_side right aes128gcm16 tunnel 4 4 0x5100 0x5101
listen 1 || exit 1
in_ns left "$CRAFT" 192.0.2.2 0x5101 1 "${esp_key[aes128gcm16]}" $port tunnel 10.1.0.1 10.2.0.1
findings
check "a hand-made tunnel packet, outer not ECN-capable, arrives" test "$arrived" = 0x00
# Two on the wire, one received: the listeners end as soon as they have
# them (a fixed short wait lost the second on the slow debug kernel).
listen 2 1 || exit 1
in_ns left "$CRAFT" 192.0.2.2 0x5101 2 "${esp_key[aes128gcm16]}" $port tunnel-ce 10.1.0.1 10.2.0.1
in_ns left "$CRAFT" 192.0.2.2 0x5101 3 "${esp_key[aes128gcm16]}" $port tunnel 10.1.0.1 10.2.0.1
findings
check "the same with CE outside is dropped, the next one arrives ($arrived)" \
	test "$arrived" = 0x00
check "counted as drop_ecn on the SA" \
	test "$(nfesp_sa_counter right 192.0.2.2 0x5101 drop_ecn)" = 1
check "and in the namespace" test "$(nfesp_counter right drop_ecn)" = 1
done_testing
