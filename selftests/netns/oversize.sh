#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# A packet that ESP would make longer than IP allows (65,535 bytes; the
# IPv6 payload likewise) is refused and counted (drop_oversize), never sent
# with a length that wrapped; a large one that fits still goes through, in
# fragments.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/esp_lib.sh"

esp_topology || exit 1
got=$(mktemp -d)
trap 'kill $udp_pid 2>/dev/null; rm -rf "$got"; cleanup' EXIT

# send_udp NS SRC DST BYTES: one datagram of BYTES from SRC to DST:7001.
send_udp() {
	udp_send "$1" "$2" "$3" 7001 "$(head -c "$4" /dev/zero | tr '\0' x)"
}

# received BYTES: a datagram of BYTES arrived, within 5 s.
received() {
	wait_until 5 has_line "^$1\$" "$got/$case"
}

spi=0x7100
for c in "transport 4 4 65507" "transport 6 6 65527" "tunnel 4 4 65507" "tunnel 6 4 65527"; do
	read -r mode inner outer max <<<"$c"
	case="$mode $inner in $outer"
	esp_clear
	esp_flow "$mode" "$inner" "$outer"
	check "$case: configured" nfesp_side left aes128gcm16 "$mode" "$inner" "$outer" \
		$((spi += 1)) $((spi + 1))
	check "$case: the peer configured" nfesp_side right aes128gcm16 "$mode" "$inner" \
		"$outer" $((spi + 1)) "$spi"
	spi=$((spi + 1))
	udp_listener right "$to_l" 7001 len "$got/$case" || exit 1
	before=$(nfesp_counter left drop_oversize)
	send_udp left "$from_l" "$to_l" "$max"
	check "$case: $max bytes of UDP, too long once in ESP, counted as drop_oversize" \
		test "$(nfesp_counter left drop_oversize)" = $((before + 1))
	send_udp left "$from_l" "$to_l" 60000
	check "$case: 60000 bytes, which fit, arrive" received 60000
	check "$case: the one that did not fit does not" sh -c "! grep -qx '$max' '$got/$case'"
	kill "$udp_pid"
	wait "$udp_pid" 2>/dev/null
done
done_testing
