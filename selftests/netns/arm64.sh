#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# On arm64: which driver the crypto API chose for each AEAD nfesp
# allocates, AES-GCM on the ARMv8 Crypto Extensions (gcm-aes-ce), ESP on
# it interoperating with XFRM in the same guest, and iked (OpenSSL's arm64
# code) negotiating a tunnel with iked.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/esp_lib.sh"
. "$(dirname "$0")/iked_lib.sh"

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

for ns in right left; do
	[ $ns = left ] && peer=right || peer=left
	iked_conf $ns net local="${esp_addr[$ns,4]}" remote="${esp_addr[$peer,4]}" \
		local_id=$ns.example.org remote_id=$peer.example.org psk=arm64-test-secret \
		local_ts="${esp_addr[$ns,inner4]}/32" remote_ts="${esp_addr[$peer,inner4]}/32" \
		esp=aes128gcm16 start=$([ $ns = left ] && echo start || echo none)
	check_here "iked starts ($ns)" iked_start $ns
done
check "iked to iked on arm64: CHILD SA installed" wait_for 30 INSTALLED ike left list
check "traffic through the negotiated tunnel" ping_esp 10.1.0.1 10.2.0.1
sa_drivers() {
	in_ns left "$IPSECCTL" -j sa list |
		python3 -c 'import json,sys; print(*sorted({s["driver"] for s in json.load(sys.stdin)}))'
}
expect_output "its SAs run on the Crypto Extensions' GCM" '^rfc4106\(gcm-aes-ce\)$' sa_drivers
iked_stop left
iked_stop right
done_testing
