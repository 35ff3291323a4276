#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# A decapsulated packet that a firewall rule hands to userspace (NFQUEUE)
# comes back later, from process context, where nfesp no longer knows the
# SA it came through. What that SA may carry is judged before the packet
# is received again, so an inner packet that no policy lets through the
# tunnel does not get in by way of a queue; cleartext that a protect
# policy covers is dropped after the queue as before it.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/esp_lib.sh"

CRAFT=${ESP_CRAFT:-$(dirname "$IPSECCTL")/esp-craft}
esp_topology || exit 1
key=${esp_key[aes128gcm16]}
got=$(mktemp)
queued=$(mktemp)
trap 'kill $reader $udp_pid 2>/dev/null; rm -f "$got" "$queued"; cleanup' EXIT

check "right: a tunnel SA, UDP to port 7000 from 10.1.0.1 only" in_ns right "$IPSECCTL" -f - <<BATCH
sa add src 192.0.2.1 dst 192.0.2.2 spi 0x5001 mode tunnel enc aes128gcm16 key $key
policy add dir in src 10.1.0.1 dst 10.2.0.1 proto udp dport 7000 action protect mode tunnel tsrc 192.0.2.1 tdst 192.0.2.2
BATCH
check "right: UDP to port 7000 goes through an NFQUEUE reader" in_ns right nft -f - <<'EOF'
table inet q {
	chain input {
		type filter hook input priority 0;
		udp dport 7000 queue num 3
	}
}
EOF
in_ns_bg right python3 "$NFESP_TOP/selftests/netns/nfqueue.py" 3 4 >"$queued"
reader=$!
check "the reader is bound" wait_until 20 grep -q ready "$queued"
udp_listener right 10.2.0.1 7000 len "$got" || exit 1

# A keyed peer's datagram from an inner source no policy allows.
before=$(nfesp_counter right drop_selector)
check "the peer sends, through its SA, a datagram from 10.1.9.9" \
	in_ns left "$CRAFT" 192.0.2.2 0x5001 1 "$key" 7000 tunnel 10.1.9.9 10.2.0.1
check "it is dropped as drop_selector" wait_until 5 \
	test "$(nfesp_counter right drop_selector)" = $((before + 1))
# Cleartext that the protect policy covers, past the queue.
before=$(nfesp_counter right drop_cleartext)
check "cleartext from 10.1.0.1 sent" udp_send left 10.1.0.1 10.2.0.1 7000 spoof
check "it went through the queue" wait_until 5 grep -q accepted "$queued"
check "... and was dropped after it as drop_cleartext" wait_until 5 \
	test "$(nfesp_counter right drop_cleartext)" = $((before + 1))
check "neither reached the socket" test "$(grep -vc ready "$got")" = 0
done_testing
