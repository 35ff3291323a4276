#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# nfesp against the kernel's own IPsec (XFRM) with the same keys: every
# algorithm, transport and tunnel mode, IPv4 and IPv6 inside and outside.
# Ping and TCP both ways; the packet counters of both sides agree.
# Which cases: NFESP_TEST_MATRIX and NFESP_TEST_ONLY, see esp_cases in
# esp_lib.sh.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/esp_lib.sh"

esp_topology || exit 1

mapfile -t cases < <(esp_cases "chacha20poly1305 tunnel 6 4")

spi=256
for c in "${cases[@]}"; do
	read -r alg mode inner outer <<<"$c"
	what="$alg $mode inner v$inner outer v$outer"
	spi_lr=$((spi += 1))
	spi_rl=$((spi += 1))
	esp_clear
	check "$what: nfesp configured" nfesp_side left "$alg" "$mode" "$inner" "$outer" $spi_lr $spi_rl
	check "$what: xfrm configured" xfrm_side right "$alg" "$mode" "$inner" "$outer" $spi_rl $spi_lr
	esp_flow "$mode" "$inner" "$outer"
	check "$what: ping nfesp -> xfrm" in_ns left ping -q -c 3 -i 0.2 -W 5 -s 100 "$to_l"
	check "$what: ping xfrm -> nfesp" in_ns right ping -q -c 3 -i 0.2 -W 5 -s 100 "$from_l"
	# 6 packets each way: 3 requests and 3 replies.
	n_out=$(nfesp_sa_counter left "$out_r" $spi_lr out_packets)
	n_in=$(nfesp_sa_counter left "$out_l" $spi_rl in_packets)
	x_in=$(xfrm_sa_packets right $spi_lr "$out_l" "$out_r")
	x_out=$(xfrm_sa_packets right $spi_rl "$out_r" "$out_l")
	check "$what: nfesp sent 6, xfrm received $x_in" test "$n_out" = 6 -a "$x_in" = 6
	check "$what: xfrm sent $x_out, nfesp received $n_in" test "$n_in" = 6 -a "$x_out" = 6
	check "$what: TCP nfesp -> xfrm" tcp_transfer left "$to_l" 100000 right
	check "$what: TCP xfrm -> nfesp" tcp_transfer right "$from_l" 100000 left
	n_out=$(nfesp_sa_counter left "$out_r" $spi_lr out_packets)
	x_in=$(xfrm_sa_packets right $spi_lr "$out_l" "$out_r")
	check "$what: after TCP, counters agree ($n_out sent, $x_in received)" test "$n_out" = "$x_in"
done
done_testing
