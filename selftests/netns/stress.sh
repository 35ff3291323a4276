#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Changing everything while traffic flows through it: SAs and policies
# updated, deleted, flushed and added again, a namespace deleted, and the
# module unloaded, all under flood ping and a TCP stream. The debug
# kernel's KASAN, lockdep and kmemleak judge the result after the run.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/esp_lib.sh"

esp_topology || exit 1
configure() {
	nfesp_side left aes128gcm16 tunnel 4 4 0x9001 0x9002 &&
	nfesp_side right aes128gcm16 tunnel 4 4 0x9002 0x9001
}
traffic() {	# traffic SECONDS: flood pings both ways and a TCP stream
	in_ns_bg left ping -q -f -w "$1" 10.2.0.1 >/dev/null 2>&1
	in_ns_bg right ping -q -f -w "$1" 10.1.0.1 >/dev/null 2>&1
	in_ns_bg right iperf3 -s -1 -B 10.2.0.1 >/dev/null 2>&1
	nap 1
	in_ns_bg left iperf3 -c 10.2.0.1 -t "$1" >/dev/null 2>&1
}
churn() {	# churn ROUNDS: what an administrator (or iked) may do at any time
	local i
	for i in $(seq "$1"); do
		in_ns left "$IPSECCTL" sa update dst 192.0.2.2 spi 0x9001 soft-bytes $((i * 100000))
		in_ns left "$IPSECCTL" policy update dir out src 10.1.0.1 dst 10.2.0.1 \
			action protect mode tunnel tsrc 192.0.2.1 tdst 192.0.2.2 reqid 1 priority $i
		in_ns right "$IPSECCTL" sa del dst 192.0.2.2 spi 0x9001
		in_ns right "$IPSECCTL" sa add src 192.0.2.1 dst 192.0.2.2 spi 0x9001 mode tunnel \
			enc aes128gcm16 key "${esp_key[aes128gcm16]}" reqid 1 replay-window 128
		esp_clear
		configure
	done
}

check "configured" configure
check "traffic passes" in_ns left ping -q -c 2 -W 5 10.2.0.1
traffic 20
check "SAs and policies changed, deleted and flushed 5 times under traffic" churn 5
check "still carries traffic afterwards" in_ns left ping -q -c 2 -W 5 10.2.0.1
# SA_UPDATE replaces what it changes whole. Under a stream of datagrams,
# left's SA flips between two (source, UDP source port) pairs, as a
# roaming peer behind a NAT would; every ESP packet right sees on the wire
# carries one pair or the other, never the source of one and the port of
# the other.
esp_clear
in_ns left ip addr add 2001:db8::11/64 dev veth0 nodad
k="enc aes128gcm16 key ${esp_key[aes128gcm16]}"
t="mode tunnel tsrc 2001:db8::1 tdst 2001:db8::2"
for n in left right; do
	in_ns $n "$IPSECCTL" sa add src 2001:db8::1 dst 2001:db8::2 spi 0x9101 \
		mode tunnel $k encap udp sport 4500 dport 4500
done
in_ns left "$IPSECCTL" policy add dir out src 10.1.0.1 dst 10.2.0.1 \
	action protect $t spi 0x9101
in_ns right "$IPSECCTL" policy add dir in src 10.1.0.1 dst 10.2.0.1 action protect $t
pairs=$(mktemp)
in_ns_bg right timeout 60 python3 -S -c '
import socket, struct, sys, time
s = socket.socket(socket.AF_PACKET, socket.SOCK_DGRAM, socket.htons(0x86dd))
s.bind(("veth0", 0x86dd))
s.settimeout(1)
print("ready", flush=True)
seen = {}
end = time.time() + float(sys.argv[1])
while time.time() < end:
    try:
        p = s.recv(2048)
    except socket.timeout:
        continue
    if p[6] == 17 and struct.unpack("!H", p[42:44])[0] == 4500:
        pair = socket.inet_ntop(socket.AF_INET6, p[8:24]), struct.unpack("!H", p[40:42])[0]
        seen[pair] = seen.get(pair, 0) + 1
for (src, port), n in sorted(seen.items()):
    print(src, port, n)' 12 >"$pairs"
sniffer=$!
wait_until 20 grep -q ready "$pairs"
in_ns_bg left timeout 60 python3 -S -c '
import socket, time
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
end = time.time() + 10
while time.time() < end:
    s.sendto(b"x" * 100, ("10.2.0.1", 9))' >/dev/null 2>&1
nap 0.5
# One ipsecctl for all 200, so that they come fast.
for i in $(seq 100); do
	echo "sa update dst 2001:db8::2 spi 0x9101 src 2001:db8::11 encap udp sport 4501 dport 4500"
	echo "sa update dst 2001:db8::2 spi 0x9101 src 2001:db8::1 encap udp sport 4500 dport 4500"
done | in_ns left "$IPSECCTL" -f -
wait "$sniffer"
pair_count() { awk -v s="$1" -v p="$2" '$1 == s && $2 == p { print $3 }' "$pairs"; }
check "both pairs went out under 200 updates ($(sed 1d "$pairs" | tr '\n' ' '))" \
	test -n "$(pair_count 2001:db8::1 4500)" -a -n "$(pair_count 2001:db8::11 4501)"
check "no packet mixed them" test -z "$(pair_count 2001:db8::1 4501)$(pair_count 2001:db8::11 4500)"
rm -f "$pairs"

# Its processes go first, or the namespace would outlive its name.
ip netns pids "$ns_prefix-right" | xargs -r kill
check "a namespace deleted under traffic" ns_del right
check "the other still answers" in_ns left "$IPSECCTL" sa list
check "the module unloads under traffic" bash -c \
	"for i in \$(seq 50); do modprobe -r nfesp 2>/dev/null && exit 0; sleep 0.2; done; exit 1"
check "... and loads again" modprobe nfesp
pkill -f "iperf3 -c 10.2.0.1" 2>/dev/null
done_testing
