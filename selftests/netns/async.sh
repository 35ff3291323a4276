#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Asynchronous crypto: with cryptd's instances of the AEADs ranked first,
# every packet's crypto completes later, from a worker (-EINPROGRESS). ESP
# must work the same, to nfesp and to XFRM.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/esp_lib.sh"

cryptoalg="$(dirname "$0")/cryptoalg.py"
# A kernel tests every crypto instance it makes (unless built without the
# self-tests, like the test kernel) and warns when one fails, which fails a
# run. 6.1's cryptd hands the caller's own request to the inner AEAD, and
# the self-test rightly reports that it "changed req->base.tfm"
# (crypto/cryptd.c, cryptd_aead_crypt); 6.12's passes a subrequest. So on a
# kernel with the self-tests, this runs from 6.12 on.
read -r major minor _ < <(uname -r | tr '.-' '  ')
if [[ $(uname -r) != *-nfesp ]] && ((major * 100 + minor < 612)); then
	echo "1..0 # SKIP $(uname -r) tests its cryptd AEAD instances, which fail there"
	exit 0
fi
esp_topology || exit 1
modprobe -q crypto_user 2>/dev/null
modprobe -q cryptd 2>/dev/null
drivers=()
trap 'esp_clear; for d in "${drivers[@]}"; do python3 "$cryptoalg" del "$d"; done; cleanup' EXIT

spi=0x8000
for c in "aes128gcm16 rfc4106(gcm(aes))" "chacha20poly1305 rfc7539esp(chacha20,poly1305)" \
	"aes128-sha256 authenc(hmac(sha256),cbc(aes))"; do
	read -r alg kname <<<"$c"
	driver=$(python3 "$cryptoalg" first "$kname" 2>&1)
	check "$alg: cryptd ranked first ($driver)" test -n "$driver" -a "${driver#cryptd(}" != "$driver"
	drivers+=("$driver")
	esp_clear
	nfesp_side left "$alg" tunnel 4 4 $((spi += 1)) $((spi += 1))
	nfesp_side right "$alg" tunnel 4 4 $spi $((spi - 1))
	got=$(in_ns left "$IPSECCTL" -j sa get dst 192.0.2.2 spi $((spi - 1)) |
		python3 -c 'import json,sys; print(json.load(sys.stdin)["driver"])')
	check "$alg: the SA got it ($got)" test "$got" = "$driver"
	check "$alg: ping through async crypto both ways" \
		in_ns left ping -q -c 3 -i 0.2 -W 5 10.2.0.1
	check "$alg: TCP through async crypto" tcp_transfer left 10.2.0.1 100000 right
	check "$alg: TCP back" tcp_transfer right 10.1.0.1 100000 left
	if [ "$alg" = aes128gcm16 ]; then
		# What waits for the driver is bounded: with room for one
		# packet, a burst loses some, counted, and traffic goes on.
		bound=/sys/module/nfesp/parameters/max_inflight
		check "$alg: a bound of 0 (every packet dropped) is refused" \
			sh -c "! echo 0 >$bound && [ \"\$(cat $bound)\" = 2048 ]"
		echo 1 >$bound
		before=$(nfesp_counter left drop_backlog)
		in_ns left python3 -c 'import socket
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
for _ in range(500):
    s.sendto(b"x" * 1000, ("10.2.0.1", 9))'
		after=$(nfesp_counter left drop_backlog)
		echo 2048 >$bound
		check "$alg: one packet waiting at most: a burst of 500 lost some ($before -> $after)" \
			test "$after" -gt "$before"
		check "$alg: the bound back at 2048, ping goes through" \
			in_ns left ping -q -c 2 -i 0.2 -W 5 10.2.0.1
	fi
	esp_clear
	nfesp_side left "$alg" transport 6 6 $((spi += 1)) $((spi += 1))
	xfrm_side right "$alg" transport 6 6 $spi $((spi - 1))
	check "$alg: async nfesp to xfrm, IPv6 transport" \
		in_ns left ping -q -c 3 -i 0.2 -W 5 2001:db8::2
	esp_clear
	check "$alg: $driver removed once unused" python3 "$cryptoalg" del "$driver"
	drivers=()
done
done_testing
