#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The packet fuzzer (espfuzz.py): a peer that holds the SA's key sends
# ESP that passes the ICV with random and mutated packets inside, and
# around them unknown SPIs, replays, broken ICVs and cut packets: in
# transport and tunnel mode, both families, and in UDP. Nothing may reach
# a socket that no policy lets through (raw sockets at the receiver catch
# what does), the counters must show every kind of failure, and KASAN and
# kmemleak judge the rest. A long run by hand (the count is per form:
# 166667 for a million in all):
#   NFESP_FUZZ_PACKETS=166667 selftests/vm/run --timeout 43200 selftests/netns/run-all espfuzz.sh
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/esp_lib.sh"

fuzz=$NFESP_TOP/selftests/netns/espfuzz.py
count=${NFESP_FUZZ_PACKETS:-2000}
key=${esp_key[aes128gcm16]}
esp_topology || exit 1
caught=$(mktemp)
trap 'rm -f "$caught"; cleanup' EXIT

# fuzz NAME MODE SRC DST POLICY ALLOWED [ENCAP]: right takes ESP from
# left on one SA with one inbound policy (right's view of the selector).
fuzz() {
	local name=$1 mode=$2 src=$3 dst=$4 policy=$5 allowed=$6 encap=$7
	local sa="mode tunnel" tmpl="mode tunnel tsrc $src tdst $dst" catcher
	[ "$mode" != transport ] || { sa="mode transport"; tmpl="mode transport"; }
	esp_clear
	in_ns right "$IPSECCTL" sa add src "$src" dst "$dst" spi 0x9001 $sa \
		enc aes128gcm16 key "$key" ${encap:+encap udp sport ${encap%:*} dport ${encap#*:}}
	in_ns right "$IPSECCTL" policy add dir in $policy action protect $tmpl
	local mine
	mine=$(in_ns right ip -o addr show | awk '{ sub("/.*", "", $4); printf "%s,", $4 }')
	# It watches until killed below; its bound only ends one left behind,
	# and grows with the count (a long run sends for hours).
	in_ns_bg right python3 "$fuzz" catch $((600 + count)) --local="${mine%,}" $allowed >"$caught"
	catcher=$!
	wait_until 20 grep -q ready "$caught"
	expect_output "$name: $count packets sent" "packets sent" in_ns left \
		python3 "$fuzz" send ${encap:+--encap $encap} "$mode" "$src" "$dst" \
		0x9001 "$key" "$count"
	nap 1
	kill "$catcher"
	wait "$catcher"
	expect_output "$name: nothing arrived that the policy does not let in" \
		"^caught 0, allowed [1-9]" tail -n 3 "$caught"
	local c n
	for c in in_packets drop_icv drop_replay drop_trailer; do
		n=$(nfesp_sa_counter right "$dst" 0x9001 $c)
		check "$name: $c counted ($n)" test "${n:-0}" -gt 0
	done
}
any4="src 10.1.0.0/24 dst 10.2.0.1 proto udp dport 7000"
any6="src fd01::/64 dst fd02::1 proto udp dport 7000"
fuzz "tunnel 4in4" tunnel4 192.0.2.1 192.0.2.2 "$any4" "10.1.0.0/24,10.2.0.1,17,7000"
fuzz "tunnel 6in4" tunnel6 192.0.2.1 192.0.2.2 "$any6" "fd01::/64,*,17,7000"
fuzz "tunnel 4in6" tunnel4 2001:db8::1 2001:db8::2 "$any4" "10.1.0.0/24,10.2.0.1,17,7000"
# Transport mode: what comes from the peer that no policy covers is let in,
# as cleartext from it would be; nothing may come from anyone else.
fuzz "transport 4" transport 192.0.2.1 192.0.2.2 \
	"src 192.0.2.1 dst 192.0.2.2 proto udp dport 7000" "192.0.2.1/32,*,*,*"
fuzz "transport 6" transport 2001:db8::1 2001:db8::2 \
	"src 2001:db8::1 dst 2001:db8::2 proto udp dport 7000" "2001:db8::1/128,*,*,*"
# UDP to port 4500 that no SA expects is not ESP, and no policy stops it.
fuzz "tunnel 4in4 in UDP" tunnel4 192.0.2.1 192.0.2.2 "$any4" \
	"10.1.0.0/24,10.2.0.1,17,7000 192.0.2.1/32,192.0.2.2,17,4500" 4500:4500
n=$(nfesp_counter right drop_no_sa)
check "unknown SPIs counted ($n)" test "${n:-0}" -gt 0
done_testing
