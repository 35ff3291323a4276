#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# iked on nfesp against strongSwan's charon with certificates, made here
# with the openssl CLI: iked (Ed25519, through an intermediate, the one of
# its two certificates that charon's CERTREQ asks for) initiating to
# charon (RSA), charon (ECDSA P-384) initiating to iked, and iked refusing
# a certificate of another CA, a revoked one (CRL) and an expired one,
# leaving no SA on either side; charon's P-256 and P-384 certificates
# taken by one DN pattern; iked by certificate and charon by PSK; then
# RSA-4096 chains of three over a path of MTU 1280 that drops IP
# fragments, in IKE fragments (RFC 7383), both roles (iked signing
# RSASSA-PSS), against charon and against iked, with rekeys under ping.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/esp_lib.sh"
. "$(dirname "$0")/iked_lib.sh"
. "$(dirname "$0")/swan_lib.sh"
. "$(dirname "$0")/pki_lib.sh"

esp_topology bridged || exit 1
trap 'swan_stop; [ "$tests_failed" = 0 ] || sed "s/^/#   charon: /" "$iked_dir/charon.log"; iked_cleanup' EXIT

mkdir -p "$swan_creds"/{x509,x509ca,private}

make_pki() {
	local t0=$SECONDS
	ca root && ca other && ca rootrsa rsa4096 && cert mid p384 root ca &&
		cert left ed25519 mid left.example.org &&
		cert leftother ed25519 other left.example.org &&
		cert right rsa root right.example.org &&
		cert right384 p384 root right.example.org &&
		cert right256 p256 root right.example.org &&
		cert stranger p384 other right.example.org &&
		cert revoked p384 root right.example.org && revoke root revoked &&
		expired expired root right.example.org &&
		cert midrsa rsa4096 rootrsa ca && cert leftrsa rsa4096 midrsa left.example.org &&
		cert rightrsa rsa4096 midrsa right.example.org &&
		echo "made in $((SECONDS - t0)) s"
}
check_here "the openssl CLI makes the PKI" make_pki
check "... every file there" test -s "$pki/left.pem" -a -s "$pki/right384.pem" \
	-a -s "$pki/stranger.pem" -a -s "$pki/root.crl" -a -s "$pki/expired.pem" \
	-a -s "$pki/rightrsa.pem"
cat "$pki/left.pem" "$pki/mid.pem" >"$pki/left-chain.pem"
cat "$pki/leftrsa.pem" "$pki/midrsa.pem" >"$pki/leftrsa-chain.pem"
cat "$pki/rightrsa.pem" "$pki/midrsa.pem" >"$pki/rightrsa-chain.pem"
chmod 600 "$pki"/*.key
cp "$pki/root.pem" "$swan_creds/x509ca/"

# iked (left) with its certificate, trusting root and its CRL.
left_conf() {
	iked_conf left net local=192.0.2.1 remote=192.0.2.2 auth=pubkey \
		cert="$pki/left-chain.pem" key="$pki/left.key" ca="$pki/root.pem" \
		crl="$pki/root.crl" remote_id=right.example.org \
		local_id=left.example.org local_ts=10.1.0.1/32 remote_ts=10.2.0.1/32 "$@"
}
# charon (right) presenting the certificate NAME.
right_as() {
	rm -f "$swan_creds"/x509/* "$swan_creds"/private/*
	cp "$pki/$1.pem" "$swan_creds/x509/"
	cp "$pki/$1.key" "$swan_creds/private/"
	swan_conf auth=pubkey cert="$1.pem" "${@:2}"
}
ping_inner() {
	ping_esp 10.1.0.1 10.2.0.1
}
nothing_anywhere() {
	! swanctl --list-sas | grep -q ESTABLISHED &&
		[ -z "$(in_ns left "$IPSECCTL" sa list)" ] &&
		! ike left list | grep -q ESTABLISHED
}

# 1. iked initiates with Ed25519 (its chain sent along); charon answers
# with RSA. iked has a certificate of another CA first: charon's CERTREQ
# names root, so iked shows the second.
right_as right
left_conf start=start cert="$pki/leftother.pem,$pki/left-chain.pem" \
	key="$pki/leftother.key,$pki/left.key" ca="$pki/root.pem,$pki/other.pem"
check_here "charon starts with an RSA certificate" swan_start right
check_here "iked starts with two Ed25519 certificates and initiates" iked_start left
check "iked -> strongSwan by certificates: CHILD SA installed" wait_for 30 INSTALLED ike left list
check "strongSwan took iked's certificate through the intermediate" \
	wait_for 10 ESTABLISHED swanctl --list-sas
check "traffic flows" ping_inner
expect_output "iked shows charon's certificate and its issuer" \
	'theirs pubkey "O = Example, CN = right.example.org" from "O = Example, CN = root"' \
	ike left list
expect_output "... and its own: root's, which charon's CERTREQ asked for" \
	'ours pubkey "O = Example, CN = left.example.org"' ike left list
iked_stop left

# 2. charon initiates with ECDSA P-384; iked answers.
right_as right384
check "charon loads a P-384 certificate" swanctl --load-all --file "$iked_dir/swanctl.conf"
left_conf start=none
check_here "iked starts as responder" iked_start left
check "strongSwan -> iked by certificates" swanctl --initiate --child net --timeout 30
check "CHILD SA installed" wait_for 10 INSTALLED ike left list
check "traffic flows" ping_inner
check "strongSwan ends it" swanctl --terminate --ike net --timeout 10
check "... and iked took the DELETE" wait_for 10 "no IKE SAs" ike left list

# 3. Refused by iked: a certificate of another CA, a revoked one and an
# expired one.
for who in stranger revoked expired; do
	right_as "$who" remote_id=left.example.org
	swanctl --load-all --file "$iked_dir/swanctl.conf" >/dev/null 2>&1
	swanctl --initiate --child net --timeout 10 >/dev/null 2>&1
	case $who in
	stranger) why="unable to get local issuer certificate" ;;
	revoked) why="certificate revoked" ;;
	expired) why="certificate has expired" ;;
	esac
	check "$who: iked refuses it ($why)" \
		wait_for 10 "AUTHENTICATION_FAILED: .*$who.example.org.*: $why" \
		cat "$iked_dir/left.log"
	check "$who: no SA on either side" wait_until 10 nothing_anywhere
done

# 4. One DN pattern takes charon's P-256 certificate (RFC 7427, ECDSA
# with SHA-256) and its P-384 one, each with its subject DN as identity.
iked_stop left
left_conf start=none remote_id="O=Example, CN=*"
check_here "iked starts with remote_id = O=Example, CN=*" iked_start left
for who in right256 right384; do
	right_as "$who" id="O=Example, CN=$who.example.org"
	swanctl --load-all --file "$iked_dir/swanctl.conf" >/dev/null 2>&1
	check "$who, as its DN: strongSwan -> iked" swanctl --initiate --child net --timeout 30
	expect_output "... iked took it by the pattern" \
		"theirs pubkey \"O = Example, CN = $who.example.org\"" ike left list
	check "... strongSwan ends it" swanctl --terminate --ike net --timeout 10
	check "... and iked took the DELETE" wait_for 10 "no IKE SAs" ike left list
done

# 5. Each side its method: iked by certificate, charon by PSK.
iked_stop left
right_as right local_auth=psk remote_auth=pubkey
swanctl --load-all --file "$iked_dir/swanctl.conf" >/dev/null 2>&1
iked_conf left net local=192.0.2.1 remote=192.0.2.2 auth=pubkey remote_auth=psk \
	cert="$pki/left-chain.pem" key="$pki/left.key" psk=iked-test-secret \
	remote_id=right.example.org local_id=left.example.org \
	local_ts=10.1.0.1/32 remote_ts=10.2.0.1/32 start=start
check_here "iked starts: pubkey for itself, psk for charon" iked_start left
check "iked (certificate) -> strongSwan (PSK): CHILD SA installed" \
	wait_for 30 INSTALLED ike left list
expect_output "iked says so" 'ours pubkey "O = Example, CN = left.example.org"; theirs psk' \
	ike left list
check "strongSwan ends it" swanctl --terminate --ike net --timeout 10

# 6. RSA-4096 chains of three through a box in the middle that drops IP
# fragments and every frame over 1280 bytes (its ports' MTU; the hosts'
# stays 1500): IKE_AUTH goes in IKE's own fragments (RFC 7383), both
# ways, both roles; iked signs with RSASSA-PSS.
iked_stop left
no_ip_fragments() {
	in_ns mid nft -f - <<EOF
table bridge nofrag {
	chain through {
		type filter hook forward priority 0;
		ip frag-off & 0x3fff != 0 counter drop
	}
}
EOF
}
nofrag_drops() {
	in_ns mid nft list table bridge nofrag | sed -n 's/.*packets \([0-9]*\) .*/\1/p'
}
small_ports() {
	in_ns mid ip link set dev left mtu 1280 && in_ns mid ip link set dev right mtu 1280
}
# ping_gets_through ARGS...: whether a ping with ARGS goes left to right.
ping_gets_through() {
	in_ns left ping -c 1 -W 2 "$@" 192.0.2.2 >/dev/null 2>&1
}
# rsa_left START: iked with its RSA chain, signing RSASSA-PSS.
rsa_left() {
	iked_conf left net local=192.0.2.1 remote=192.0.2.2 auth=pubkey \
		cert="$pki/leftrsa-chain.pem" key="$pki/leftrsa.key" ca="$pki/rootrsa.pem" \
		remote_id=right.example.org local_id=left.example.org rsa_pss=yes \
		local_ts=10.1.0.1/32 remote_ts=10.2.0.1/32 start="$1"
}
check_here "a box in the middle that drops IP fragments" no_ip_fragments
expect_status "... a ping of 2,000 bytes (two fragments) does not get through it" 1 \
	ping_gets_through -s 2000
expect_output "... its fragments dropped there" "^[1-9]" nofrag_drops
check_here "... and frames over 1280 bytes (its ports' MTU; the hosts' stay 1500)" \
	small_ports
check "... a datagram of 1,228 bytes gets through" ping_gets_through -M do -s 1200
expect_status "... one of 1,428 does not" 1 ping_gets_through -M do -s 1400
drops_before=$(nofrag_drops)
nofrag_counters_zero() {
	[ "$(nofrag_drops)" = "$drops_before" ]
}
rm -f "$swan_creds"/x509/* "$swan_creds"/private/*
cp "$pki/rightrsa.pem" "$swan_creds/x509/"
cp "$pki/rootrsa.pem" "$swan_creds/x509ca/"
cp "$pki/rightrsa.key" "$swan_creds/private/"
swan_conf auth=pubkey cert=rightrsa.pem
check "charon loads its RSA chain" swanctl --load-all --file "$iked_dir/swanctl.conf"
rsa_left start
check_here "iked starts with an RSA chain and initiates" iked_start left
check "iked -> strongSwan in fragments: CHILD SA installed" wait_for 30 INSTALLED ike left list
check "traffic flows" ping_inner
check "charon took IKE fragments" \
	grep -q "received fragment #[0-9] of [2-9]" "$iked_dir/charon.log"
check "charon verified iked's RSASSA-PSS signature" \
	grep -q "authentication of 'left.example.org' with RSA_EMSA_PSS" "$iked_dir/charon.log"
check "strongSwan ends it" swanctl --terminate --ike net --timeout 10
iked_stop left
rsa_left none
check_here "iked starts as responder" iked_start left
check "strongSwan -> iked in fragments" swanctl --initiate --child net --timeout 30
check "CHILD SA installed" wait_for 10 INSTALLED ike left list
check "traffic flows" ping_inner
check "not one IP fragment was needed" nofrag_counters_zero

# 7. iked to iked, both with RSA-4096 chains over the same path: up, then a
# CHILD and an IKE rekey of the certificate-authenticated SA under ping.
iked_stop left
swan_stop
iked_conf right net local=192.0.2.2 remote=192.0.2.1 auth=pubkey \
	cert="$pki/rightrsa-chain.pem" key="$pki/rightrsa.key" ca="$pki/rootrsa.pem" \
	remote_id=left.example.org local_id=right.example.org \
	local_ts=10.2.0.1/32 remote_ts=10.1.0.1/32 start=none
rsa_left start
check_here "iked starts as responder (right)" iked_start right
check_here "iked starts as initiator (left)" iked_start left
check "iked -> iked by certificates, in fragments: CHILD SA installed" \
	wait_for 30 INSTALLED ike left list
expect_output "left shows right's certificate" \
	'theirs pubkey "O = Example, CN = rightrsa.example.org" from "O = Example, CN = midrsa.example.org"' \
	ike left list
in_ns_bg left ping -q -c 40 -i 0.1 -I 10.1.0.1 10.2.0.1 >"$iked_dir/ping.log" 2>&1
ping_pid=$!
nap 0.5
check "a CHILD rekey" ike left rekey net
check "... done" wait_for 15 "CHILD SA 0x[0-9a-f]+/0x[0-9a-f]+ deleted" cat "$iked_dir/left.log"
check "an IKE rekey" ike left rekey net ike
check "... done" wait_for 15 "IKE SA rekeyed" cat "$iked_dir/left.log"
wait "$ping_pid"
expect_output "no ping lost across both rekeys" " 0% packet loss" cat "$iked_dir/ping.log"
expect_output "the new IKE SA keeps the certificate" 'theirs pubkey "O = Example, CN = rightrsa.example.org"' \
	ike left list
check "not one IP fragment was needed" nofrag_counters_zero

iked_stop left
iked_stop right
check "no AddressSanitizer or LeakSanitizer report from iked" \
	sh -c "! grep -h -A20 'Sanitizer' '$iked_dir'/*.log"
done_testing
