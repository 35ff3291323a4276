#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Lifetimes that traffic uses up (bytes, packets, time since first use) and
# ACQUIRE, as `ipsecctl monitor` shows them.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/esp_lib.sh"

key=${esp_key[aes128gcm16]}
esp_topology || exit 1
events=$(mktemp)
trap 'kill $monitor 2>/dev/null; rm -f "$events"; cleanup' EXIT

# monitor NS: records events until stopped; returns once it listens. Not
# run by check(): a process left behind would hold check's output open.
monitor() {
	in_ns_bg "$1" "$IPSECCTL" monitor >"$events" 2>&1
	monitor=$!
	# It listens once it reports the SA change made to find out.
	local i
	for i in $(seq 50); do
		in_ns "$1" "$IPSECCTL" policy add dir in src 203.0.113.$i dst 203.0.113.$i action bypass
		nap 0.3
		grep -q "policy add" "$events" && return 0
	done
	return 1
}

in_ns right "$IPSECCTL" sa add src 192.0.2.1 dst 192.0.2.2 spi 0x7001 mode transport \
	enc aes128gcm16 key "$key" replay-window 64
in_ns right "$IPSECCTL" policy add dir in src 192.0.2.1 dst 192.0.2.2 proto icmp \
	action protect mode transport
in_ns left "$IPSECCTL" policy add dir out src 192.0.2.1 dst 192.0.2.2 proto icmp \
	action protect mode transport
check "an SA of 5 packets, with a warning after 200 bytes" in_ns left \
	"$IPSECCTL" sa add src 192.0.2.1 dst 192.0.2.2 spi 0x7001 mode transport \
	enc aes128gcm16 key "$key" soft-bytes 200 hard-packets 5
if monitor left; then ok "monitor listens"; else not_ok "monitor listens"; fi
in_ns left ping -q -c 8 -i 0.3 -W 1 -s 100 192.0.2.2 >/dev/null
nap 2
expect_output "soft EXPIRE after the second packet (216 bytes)" \
	"^expire soft: .*spi 0x0*7001" cat "$events"
expect_output "hard EXPIRE after the fifth" "^expire hard: .*spi 0x0*7001" cat "$events"
expect_status "the SA is gone" 1 in_ns left "$IPSECCTL" sa get dst 192.0.2.2 spi 0x7001
n=$(nfesp_sa_counter right 192.0.2.2 0x7001 in_packets)
check "exactly 5 packets went through ($n)" test "$n" = 5

# Limits that SA_UPDATE adds count what the SA carried before them.
in_ns right "$IPSECCTL" sa add src 192.0.2.1 dst 192.0.2.2 spi 0x7003 mode transport \
	enc aes128gcm16 key "$key" replay-window 64
in_ns left "$IPSECCTL" sa add src 192.0.2.1 dst 192.0.2.2 spi 0x7003 mode transport \
	enc aes128gcm16 key "$key"
in_ns left ping -q -c 3 -i 0.1 -W 1 192.0.2.2 >/dev/null
check "an SA without limits carried 3 packets, then gets a limit of 5" in_ns left \
	"$IPSECCTL" sa update dst 192.0.2.2 spi 0x7003 hard-packets 5
in_ns left ping -q -c 4 -i 0.3 -W 1 192.0.2.2 >/dev/null
nap 1
expect_output "hard EXPIRE after the fifth in all" "^expire hard: .*spi 0x0*7003" cat "$events"
n=$(nfesp_sa_counter right 192.0.2.2 0x7003 in_packets)
check "exactly 5 packets went through ($n)" test "$n" = 5

# With no SA, the policy asks for one, once a second per flow.
: >"$events"
in_ns left ping -c 5 -i 0.01 -W 1 192.0.2.2 >/dev/null 2>&1
nap 1
expect_output "ACQUIRE names the packet's flow and the policy" \
	"^acquire: src 192.0.2.1 dst 192.0.2.2 proto 1 sport 0 dport 0, by policy .*dir out" \
	cat "$events"
n=$(grep -c '^acquire' "$events")
check "five packets in a moment ask once ($n)" test "$n" = 1
# Two flows of one policy, their packets alternating: each flow is asked
# for, once (a slot per flow, not one per policy).
: >"$events"
in_ns left "$IPSECCTL" policy add dir out src 192.0.2.1 dst 192.0.2.2 proto udp \
	action protect mode transport
in_ns left python3 -c '
import socket
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
for i in range(20):
    try:
        s.sendto(b"x", ("192.0.2.2", 9001 + i % 2))
    except OSError:
        pass'
nap 1
for port in 9001 9002; do
	expect_output "alternating flows: the one to port $port is announced" \
		"^acquire: src 192.0.2.1 dst 192.0.2.2 proto 17 sport [0-9]+ dport $port," cat "$events"
done
n=$(grep -c '^acquire: .* proto 17 ' "$events")
check "alternating flows: 20 packets ask about twice, not every time ($n)" test "$n" -le 4
stats=$(in_ns left "$IPSECCTL" -j stats)
expect_output "the packets were dropped as having no SA" '"drop_no_sa":[1-9]' echo "$stats"

# Time since first use: unused, the SA stays; used, it goes.
: >"$events"
check "an SA that lives 6 s from its first use" in_ns left \
	"$IPSECCTL" sa add src 192.0.2.1 dst 192.0.2.2 spi 0x7002 mode transport \
	enc aes128gcm16 key "$key" hard-use-time 6
nap 3
check "unused for 3 s, it is still there" in_ns left "$IPSECCTL" sa get dst 192.0.2.2 spi 0x7002
expect_output "... aged 3 s or more, used for 0" '"age":[3-9],"used":0\}' \
	in_ns left "$IPSECCTL" -j sa get dst 192.0.2.2 spi 0x7002
in_ns left ping -c 1 -W 1 192.0.2.2 >/dev/null
nap 2
expect_output "2 s after its first packet, it says it is in use" '"used":[1-5]\}' \
	in_ns left "$IPSECCTL" -j sa get dst 192.0.2.2 spi 0x7002
nap 5
expect_output "6 s after its first packet, hard EXPIRE" "^expire hard: .*spi 0x0*7002" cat "$events"
expect_status "and it is gone" 1 in_ns left "$IPSECCTL" sa get dst 192.0.2.2 spi 0x7002
done_testing
