#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# nfesp to nfesp: every algorithm, transport and tunnel mode, IPv4 and IPv6
# inside and outside, ESN; ping and TCP both ways, with exact counters.
# NFESP_TEST_MATRIX=short tries each algorithm and each mode/family
# combination once; NFESP_TEST_ONLY=REGEX keeps the cases it matches.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/esp_lib.sh"

esp_topology || exit 1

algs=(aes128gcm16 aes256gcm16 chacha20poly1305 aes128-sha256 aes256-sha256)
combos=("transport 4 4" "transport 6 6" "tunnel 4 4" "tunnel 6 6" "tunnel 6 4" "tunnel 4 6")
cases=()
if [ "${NFESP_TEST_MATRIX:-full}" = short ]; then
	for i in "${!combos[@]}"; do
		cases+=("${algs[(i + 2) % ${#algs[@]}]} ${combos[i]}")
	done
else
	for alg in "${algs[@]}"; do
		for c in "${combos[@]}"; do
			cases+=("$alg $c")
		done
	done
fi
# ESN: the AEADs put the high half in their AAD, authencesn after the data.
cases+=("aes128gcm16 tunnel 4 4 esn" "aes256-sha256 transport 6 6 esn")

# What ping -s 100 puts in ESP: the ICMP message (transport) or the packet.
protected_bytes() {
	local mode=$1 inner=$2
	if [ "$mode" = transport ]; then
		echo 108
	elif [ "$inner" = 4 ]; then
		echo 128
	else
		echo 148
	fi
}

spi=4096
for c in "${cases[@]}"; do
	[[ $c =~ ${NFESP_TEST_ONLY:-.} ]] || continue
	read -r alg mode inner outer esn <<<"$c"
	what="$alg $mode inner v$inner outer v$outer${esn:+ esn}"
	spi_lr=$((spi += 1))
	spi_rl=$((spi += 1))
	esp_clear
	check "$what: left configured" nfesp_side left "$alg" "$mode" "$inner" "$outer" $spi_lr $spi_rl $esn
	check "$what: right configured" nfesp_side right "$alg" "$mode" "$inner" "$outer" $spi_rl $spi_lr $esn
	esp_flow "$mode" "$inner" "$outer"
	check "$what: ping left -> right" in_ns left ping -q -c 3 -i 0.2 -W 5 -s 100 "$to_l"
	check "$what: ping right -> left" in_ns right ping -q -c 3 -i 0.2 -W 5 -s 100 "$from_l"
	bytes=$(( 6 * $(protected_bytes "$mode" "$inner") ))
	for stat in "out_packets 6" "out_bytes $bytes"; do
		read -r name want <<<"$stat"
		got=$(nfesp_sa_counter left "$out_r" $spi_lr "$name")
		check "$what: left's SA to right: $name $got, wanted $want" test "$got" = "$want"
		name=in_${name#out_}
		got=$(nfesp_sa_counter right "$out_r" $spi_lr "$name")
		check "$what: right's SA from left: $name $got, wanted $want" test "$got" = "$want"
	done
	check "$what: TCP left -> right" tcp_transfer left "$to_l" 300000 right
	check "$what: TCP right -> left" tcp_transfer right "$from_l" 300000 left
done
done_testing
