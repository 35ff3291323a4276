#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# nfesp to nfesp: every algorithm, transport and tunnel mode, IPv4 and IPv6
# inside and outside, ESN; ping and TCP both ways, with exact counters.
# Which cases: NFESP_TEST_MATRIX and NFESP_TEST_ONLY, see esp_cases in
# esp_lib.sh.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/esp_lib.sh"

esp_topology || exit 1

mapfile -t cases < <(esp_cases "aes256gcm16 transport 6 6" \
	"aes128-sha256 tunnel 6 6" "aes128gcm16 tunnel 4 6")
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
	check "$what: TCP left -> right" tcp_transfer left "$to_l" 100000 right
	check "$what: TCP right -> left" tcp_transfer right "$from_l" 100000 left
done

# Two SAs fit a policy: the newest carries the traffic, unless the policy
# is bound to the other by its SPI.
esp_clear
key=${esp_key[aes128gcm16]}
for ns in left right; do
	in_ns $ns "$IPSECCTL" -f - <<-BATCH
	sa add src 192.0.2.1 dst 192.0.2.2 spi 0xa001 mode transport enc aes128gcm16 key $key reqid 3
	sa add src 192.0.2.1 dst 192.0.2.2 spi 0xa002 mode transport enc aes128gcm16 key $key reqid 3
	BATCH
done
# The second is newer by a second at least: add times are in seconds.
nap 1.1
in_ns left "$IPSECCTL" sa del dst 192.0.2.2 spi 0xa002
in_ns left "$IPSECCTL" sa add src 192.0.2.1 dst 192.0.2.2 spi 0xa002 mode transport \
	enc aes128gcm16 key "$key" reqid 3
in_ns left "$IPSECCTL" policy add dir out src 192.0.2.1 dst 192.0.2.2 proto icmp \
	action protect mode transport reqid 3
in_ns left ping -q -c 2 -i 0.2 -W 1 192.0.2.2 >/dev/null
check "of two SAs that fit, the newest is used" \
	test "$(nfesp_sa_counter left 192.0.2.2 0xa002 out_packets)" = 2 -a \
	"$(nfesp_sa_counter left 192.0.2.2 0xa001 out_packets)" = 0
check "a policy bound to the older SA by its SPI" in_ns left "$IPSECCTL" policy update \
	dir out src 192.0.2.1 dst 192.0.2.2 proto icmp action protect mode transport spi 0xa001
expect_output "... shows the binding" "reqid 0 spi 0x0000a001" \
	in_ns left "$IPSECCTL" policy get dir out src 192.0.2.1 dst 192.0.2.2 proto icmp
in_ns left ping -q -c 2 -i 0.2 -W 1 192.0.2.2 >/dev/null
check "... sends through that SA" \
	test "$(nfesp_sa_counter left 192.0.2.2 0xa001 out_packets)" = 2
in_ns left "$IPSECCTL" sa del dst 192.0.2.2 spi 0xa001
in_ns left ping -q -c 1 -W 1 192.0.2.2 >/dev/null
check "... and nothing else: without it, no SA" \
	test "$(nfesp_sa_counter left 192.0.2.2 0xa002 out_packets)" = 2
done_testing
