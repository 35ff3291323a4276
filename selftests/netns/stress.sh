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
	sleep 1
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
# Its processes go first, or the namespace would outlive its name.
ip netns pids "$ns_prefix-right" | xargs -r kill
check "a namespace deleted under traffic" ns_del right
check "the other still answers" in_ns left "$IPSECCTL" sa list
check "the module unloads under traffic" bash -c \
	"for i in \$(seq 50); do modprobe -r nfesp 2>/dev/null && exit 0; sleep 0.2; done; exit 1"
check "... and loads again" modprobe nfesp
pkill -f "iperf3 -c 10.2.0.1" 2>/dev/null
done_testing
