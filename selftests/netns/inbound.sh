#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The inbound boundary against a peer that holds valid keys (RFC 4301 5.2):
# XFRM on the left is the attacker, nfesp on the right the victim. What
# comes out of an SA must be what a policy lets that SA carry: in tunnel
# mode, inner packets inside the selectors (source, destination, ports)
# of a policy bound to the SA; in transport mode, packets from the SA's
# own peer. Anything else is dropped and counted (drop_selector), and never
# reaches a socket; a packet the policy allows, sent after it on the same
# SA, does (so the attack packet was not merely lost).
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/esp_lib.sh"

esp_topology || exit 1
got=$(mktemp -d)	# a file per listener
trap 'stop_listeners; rm -rf "$got"; cleanup' EXIT

# arrived TEXT: a listener got a datagram of TEXT (read in bash: no
# program started for each look).
arrived() {
	local f line
	for f in "$got"/*; do
		[ -f "$f" ] || continue
		while IFS= read -r line; do
			[ "$line" != "$1" ] || return 0
		done <"$f"
	done
	return 1
}

# arrives TEXT: within 5 s.
arrives() {
	wait_until 5 arrived "$1"
}

# refused WHAT ATTACK_SRC ATTACK_DST GOOD_SRC GOOD_DST PORT: left sends an
# attack datagram, then a good one; the good one arrives, the attack does
# not, and drop_selector grew by one (namespace and SA).
refused() {
	local what=$1 before sa_before
	before=$(nfesp_counter right drop_selector)
	sa_before=$(nfesp_sa_counter right "$out_r" "$spi_lr" drop_selector)
	udp_send left "$2" "$3" "$6" "attack $what"
	udp_send left "$4" "$5" "$6" "good $what"
	check "$what: the allowed datagram after it arrives" arrives "good $what"
	check "$what: the attack does not" not arrived "attack $what"
	check "$what: counted as drop_selector ($before before)" \
		test "$(nfesp_counter right drop_selector)" = $((before + 1))
	check "$what: ... on the SA it came through" \
		test "$(nfesp_sa_counter right "$out_r" "$spi_lr" drop_selector)" = $((sa_before + 1))
}

# listen PORT ADDR...: a UDP listener on PORT of each ADDR on the right.
listen() {
	local port=$1 a
	shift
	for a in "$@"; do
		udp_listener right "$a" "$port" 0 "$got/$a-$port" || return 1
		listeners+=("$udp_pid")
	done
}

not() {
	! "$@"
}
listeners=()
stop_listeners() {
	kill "${listeners[@]}" 2>/dev/null
	wait "${listeners[@]}" 2>/dev/null
	listeners=()
	rm -f "$got"/*
}

spi_lr=0x7001 spi_rl=0x7002	# left to right, right to left
# Tunnel mode, every family combination: a source and a destination of
# the attacker's choosing, inside the attacker's own tunnel SA.
for combo in "4 4" "6 4" "4 6" "6 6"; do
	read -r inner outer <<<"$combo"
	esp_clear
	esp_flow tunnel "$inner" "$outer"
	name="tunnel $inner in $outer"
	check "$name: configured" nfesp_side right aes128gcm16 tunnel "$inner" "$outer" \
		"$spi_rl" "$spi_lr"
	check "$name: the attacker's XFRM configured" xfrm_side left aes128gcm16 tunnel \
		"$inner" "$outer" "$spi_lr" "$spi_rl"
	# Addresses no policy of the right's allows: a spoofed source on the
	# left, a second destination on the right; XFRM sends both into the
	# tunnel.
	if [ "$inner" = 4 ]; then
		spoof=10.1.9.9 other=10.2.9.9 len=32
	else
		spoof=fd01::99 other=fd02::99 len=128
	fi
	in_ns left ip addr add "$spoof/$len" dev inner nodad 2>/dev/null ||
		in_ns left ip addr add "$spoof/$len" dev inner
	in_ns right ip addr add "$other/$len" dev inner nodad 2>/dev/null ||
		in_ns right ip addr add "$other/$len" dev inner
	in_ns left ip route add "$other/$len" via "${esp_addr[right,$inner]}" src "$from_l"
	for pair in "$spoof $to_l" "$from_l $other"; do
		read -r s d <<<"$pair"
		in_ns left ip xfrm policy add src "$s/$len" dst "$d/$len" dir out \
			tmpl src "$out_l" dst "$out_r" proto esp reqid 1 mode tunnel
	done
	listen 7001 "$to_l" "$other" || exit 1
	refused "$name, inner source outside the selector" "$spoof" "$to_l" "$from_l" "$to_l" 7001
	refused "$name, inner destination outside the selector" "$from_l" "$other" \
		"$from_l" "$to_l" 7001
	stop_listeners
	in_ns left ip addr del "$spoof/$len" dev inner
	in_ns right ip addr del "$other/$len" dev inner
	in_ns left ip route del "$other/$len"
done

# A port-specific selector: only UDP to port 7001 may come through the
# tunnel; the attacker's XFRM sends to any port.
esp_clear
esp_flow tunnel 4 4
check "port-specific selector: configured" in_ns right "$IPSECCTL" -f - <<BATCH
sa add src $out_l dst $out_r spi $spi_lr mode tunnel enc aes128gcm16 key ${esp_key[aes128gcm16]} reqid 1
policy add dir in src $from_l dst $to_l proto udp dport 7001 action protect mode tunnel tsrc $out_l tdst $out_r reqid 1
BATCH
check "port-specific selector: the attacker's XFRM configured" xfrm_side left aes128gcm16 \
	tunnel 4 4 "$spi_lr" "$spi_rl"
listen 7001 "$to_l" && listen 7002 "$to_l" || exit 1
before=$(nfesp_counter right drop_selector)
udp_send left "$from_l" "$to_l" 7002 "attack port"
udp_send left "$from_l" "$to_l" 7001 "good port"
check "port-specific selector: the allowed port gets its datagram" \
	arrives "good port"
check "port-specific selector: another port gets nothing" not arrived "attack port"
check "port-specific selector: counted as drop_selector" \
	test "$(nfesp_counter right drop_selector)" = $((before + 1))
stop_listeners

# Transport mode: peer C (192.0.2.1, the left) sends on its own SA with
# the source address of peer B (192.0.2.3), whom the right also protects.
esp_clear
in_ns left ip addr add 192.0.2.3/24 dev veth0
check "two transport peers: configured" in_ns right "$IPSECCTL" -f - <<BATCH
sa add src 192.0.2.1 dst 192.0.2.2 spi $spi_lr mode transport enc aes128gcm16 key ${esp_key[aes128gcm16]}
sa add src 192.0.2.3 dst 192.0.2.2 spi 0x7003 mode transport enc aes256gcm16 key ${esp_key[aes256gcm16]}
policy add dir in src 192.0.2.1 dst 192.0.2.2 action protect mode transport
policy add dir in src 192.0.2.3 dst 192.0.2.2 action protect mode transport
BATCH
out_r=192.0.2.2
# C's XFRM: its own SA, and both its address and B's sent through it.
c_sends_as_b() {
	local s
	# shellcheck disable=SC2046
	in_ns left ip xfrm state add src 192.0.2.1 dst 192.0.2.2 proto esp spi "$spi_lr" \
		reqid 1 mode transport $(xfrm_alg aes128gcm16) || return 1
	for s in 192.0.2.1 192.0.2.3; do
		in_ns left ip xfrm policy add src "$s/32" dst 192.0.2.2/32 proto udp dir out \
			tmpl src 192.0.2.1 dst 192.0.2.2 proto esp reqid 1 mode transport || return 1
	done
}
check "C's XFRM configured" c_sends_as_b
listen 7001 192.0.2.2 || exit 1
refused "transport, C sending as B" 192.0.2.3 192.0.2.2 192.0.2.1 192.0.2.2 7001
stop_listeners
done_testing
