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
trap 'kill $listener 2>/dev/null; rm -rf "$got"; cleanup' EXIT

# send_udp NS SRC DST BYTES: one datagram of BYTES from SRC to DST:7001.
send_udp() {
	in_ns "$1" python3 -c '
import socket, sys
fam = socket.AF_INET6 if ":" in sys.argv[1] else socket.AF_INET
s = socket.socket(fam, socket.SOCK_DGRAM)
s.bind((sys.argv[1], 0))
s.sendto(b"x" * int(sys.argv[3]), (sys.argv[2], 7001))' "${@:2}"
}

# listen ADDR FILE: in the background ($listener), the length of every
# datagram to ADDR:7001, a line each, after "ready".
listen() {
	local i
	in_ns_bg right python3 -c '
import socket, sys
s = socket.socket(socket.AF_INET6 if ":" in sys.argv[1] else socket.AF_INET,
                  socket.SOCK_DGRAM)
s.bind((sys.argv[1], 7001))
print("ready", flush=True)
while True:
    print(len(s.recv(65536)), flush=True)' "$1" >"$2"
	listener=$!
	for i in $(seq 50); do
		grep -q ready "$2" && return 0
		sleep 0.1
	done
	return 1
}

# received BYTES: a datagram of BYTES arrived, within 5 s.
received() {
	local i
	for i in $(seq 50); do
		grep -qx "$1" "$got/$case" && return 0
		sleep 0.1
	done
	return 1
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
	listen "$to_l" "$got/$case" || exit 1
	before=$(nfesp_counter left drop_oversize)
	send_udp left "$from_l" "$to_l" "$max"
	check "$case: $max bytes of UDP, too long once in ESP, counted as drop_oversize" \
		test "$(nfesp_counter left drop_oversize)" = $((before + 1))
	send_udp left "$from_l" "$to_l" 60000
	check "$case: 60000 bytes, which fit, arrive" received 60000
	check "$case: the one that did not fit does not" sh -c "! grep -qx '$max' '$got/$case'"
	kill "$listener"
	wait "$listener" 2>/dev/null
done
done_testing
