#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# On arm64: which driver the crypto API chose for each AEAD nfesp
# allocates, AES-GCM on the ARMv8 Crypto Extensions (gcm-aes-ce), and ESP
# on it interoperating with XFRM in the same guest.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/esp_lib.sh"

if [ "$(uname -m)" != aarch64 ]; then
	echo "1..0 # SKIP arm64 only (this is $(uname -m))"
	exit 0
fi
esp_topology || exit 1
check "the CPU has the AES instructions" grep -q '^Features.* aes' /proc/cpuinfo

spi=0x9000
for alg in aes128gcm16 aes256gcm16 chacha20poly1305 aes128-sha256 aes256-sha256; do
	esp_clear
	nfesp_side left "$alg" transport 4 4 $((spi += 1)) $((spi += 1))
	driver=$(in_ns left "$IPSECCTL" -j sa get dst 192.0.2.2 spi $((spi - 1)) |
		python3 -c 'import json,sys; print(json.load(sys.stdin)["driver"])')
	echo "# $alg: $driver"
	case $alg in
	aes*gcm16)
		check "$alg runs on the Crypto Extensions' GCM ($driver)" \
			test "$driver" = "rfc4106(gcm-aes-ce)" ;;
	*)
		check "$alg has a driver ($driver)" test -n "$driver" ;;
	esac
done

for c in "aes128gcm16 transport 4 4" "aes256gcm16 tunnel 6 4"; do
	read -r alg mode inner outer <<<"$c"
	esp_clear
	nfesp_side left "$alg" "$mode" "$inner" "$outer" $((spi += 1)) $((spi += 1))
	xfrm_side right "$alg" "$mode" "$inner" "$outer" $spi $((spi - 1))
	esp_flow "$mode" "$inner" "$outer"
	check "$c: nfesp on gcm-aes-ce to XFRM: ping" \
		in_ns left ping -q -c 3 -i 0.2 -W 5 "$to_l"
	check "$c: TCP" tcp_transfer left "$to_l" 100000 right
	check "$c: XFRM counted them" test "$(xfrm_sa_packets right $((spi - 1)) "$out_l" "$out_r")" -gt 3
done
esp_clear
done_testing
