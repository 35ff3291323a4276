#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# iked on nfesp against strongSwan's charon with certificates, made here
# with the openssl CLI: iked (Ed25519, through an intermediate) initiating
# to charon (RSA), charon (ECDSA P-384) initiating to iked, and iked
# refusing a certificate of another CA and a revoked one (CRL), leaving no
# SA on either side; then RSA chains of three over a path of MTU 1280 that
# drops IP fragments, in IKE fragments (RFC 7383), both roles, against
# charon and against iked, with rekeys under ping.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/esp_lib.sh"
. "$(dirname "$0")/iked_lib.sh"
. "$(dirname "$0")/swan_lib.sh"

esp_topology || exit 1
trap 'swan_stop; [ "$tests_failed" = 0 ] || sed "s/^/#   charon: /" "$iked_dir/charon.log"; iked_cleanup' EXIT

pki=$iked_dir/pki
mkdir -p "$pki" "$swan_creds"/{x509,x509ca,private}

# ca NAME: a self-signed CA (P-256).
ca() {
	openssl req -x509 -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes \
		-subj "/O=Example/CN=$1" -days 30 -keyout "$pki/$1.key" -out "$pki/$1.pem" \
		-addext basicConstraints=critical,CA:TRUE \
		-addext keyUsage=critical,keyCertSign,cRLSign 2>/dev/null
}
# cert NAME ALG ISSUER ID: the certificate of NAME.example.org, its key of
# ALG (ed25519, rsa, p384), signed by ISSUER, for the identity ID (its
# subjectAltName), or an intermediate CA when ID is "ca".
cert() {
	local name=$1 alg=$2 issuer=$3 ext
	case $alg in
	ed25519) openssl genpkey -algorithm ED25519 -out "$pki/$name.key" ;;
	rsa) openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out "$pki/$name.key" ;;
	p384) openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-384 -out "$pki/$name.key" ;;
	esac 2>/dev/null
	if [ "$4" = ca ]; then
		ext="basicConstraints=critical,CA:TRUE
keyUsage=critical,keyCertSign,cRLSign"
	else
		ext="keyUsage=digitalSignature
subjectAltName=DNS:$4"
	fi
	echo "$ext" >"$pki/$name.ext"
	openssl req -new -key "$pki/$name.key" -subj "/O=Example/CN=$name.example.org" 2>/dev/null |
		openssl x509 -req -CA "$pki/$issuer.pem" -CAkey "$pki/$issuer.key" \
			-set_serial "0x$(openssl rand -hex 8)" -days 30 -out "$pki/$name.pem" \
			-extfile "$pki/$name.ext" 2>/dev/null
}
# revoke ISSUER NAME: ISSUER's CRL, revoking NAME, in ISSUER.crl.
revoke() {
	local d=$pki/ca-$1
	mkdir -p "$d"
	: >"$d/index"
	cat >"$d/cnf" <<EOF
[ca]
default_ca = ca
[ca]
database = $d/index
default_md = sha256
default_crl_days = 30
EOF
	openssl ca -config "$d/cnf" -cert "$pki/$1.pem" -keyfile "$pki/$1.key" \
		-revoke "$pki/$2.pem" 2>/dev/null &&
		openssl ca -config "$d/cnf" -cert "$pki/$1.pem" -keyfile "$pki/$1.key" \
			-gencrl -out "$pki/$1.crl" 2>/dev/null
}
make_pki() {
	local t0=$SECONDS
	ca root && ca other && cert mid p384 root ca &&
		cert left ed25519 mid left.example.org &&
		cert right rsa root right.example.org &&
		cert right384 p384 root right.example.org &&
		cert stranger p384 other right.example.org &&
		cert revoked p384 root right.example.org && revoke root revoked &&
		cert midrsa rsa root ca && cert leftrsa rsa midrsa left.example.org &&
		cert rightrsa rsa midrsa right.example.org &&
		echo "made in $((SECONDS - t0)) s"
}
check_here "the openssl CLI makes the PKI" make_pki
check "... every file there" test -s "$pki/left.pem" -a -s "$pki/right384.pem" \
	-a -s "$pki/stranger.pem" -a -s "$pki/root.crl"
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
# with RSA.
right_as right
left_conf start=start
check_here "charon starts with an RSA certificate" swan_start right
check_here "iked starts with an Ed25519 certificate and initiates" iked_start left
check "iked -> strongSwan by certificates: CHILD SA installed" wait_for 30 INSTALLED ike left list
check "strongSwan took iked's certificate through the intermediate" \
	wait_for 10 ESTABLISHED swanctl --list-sas
check "traffic flows" ping_inner
expect_output "iked shows charon's certificate and its issuer" \
	'theirs pubkey "O = Example, CN = right.example.org" from "O = Example, CN = root"' \
	ike left list
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

# 3. Refused by iked: a certificate of another CA, and a revoked one.
for who in stranger revoked; do
	right_as "$who" remote_id=left.example.org
	swanctl --load-all --file "$iked_dir/swanctl.conf" >/dev/null 2>&1
	swanctl --initiate --child net --timeout 10 >/dev/null 2>&1
	case $who in
	stranger) why="unable to get local issuer certificate" ;;
	revoked) why="certificate revoked" ;;
	esac
	check "$who: iked refuses it ($why)" \
		wait_for 10 "AUTHENTICATION_FAILED: .*$who.example.org.*: $why" \
		cat "$iked_dir/left.log"
	check "$who: no SA on either side" wait_until 10 nothing_anywhere
done

# 4. RSA chains of three over a path of MTU 1280 that drops IP fragments:
# IKE_AUTH goes in IKE's own fragments (RFC 7383), both ways, both roles.
iked_stop left
no_ip_fragments() {
	local ns
	for ns in left right; do
		in_ns $ns ip link set veth0 mtu 1280
		in_ns $ns nft -f - <<EOF
table ip nofrag {
	chain in {
		type filter hook prerouting priority -400;
		ip frag-off & 0x3fff != 0 counter drop
	}
}
EOF
	done
}
# rsa_left START: iked with its RSA chain.
rsa_left() {
	iked_conf left net local=192.0.2.1 remote=192.0.2.2 auth=pubkey \
		cert="$pki/leftrsa-chain.pem" key="$pki/leftrsa.key" ca="$pki/root.pem" \
		remote_id=right.example.org local_id=left.example.org \
		local_ts=10.1.0.1/32 remote_ts=10.2.0.1/32 start="$1"
}
nofrag_counters_zero() {
	local ns
	for ns in left right; do
		in_ns $ns nft list table ip nofrag | grep -q 'packets 0 ' || return 1
	done
}
check_here "a path of MTU 1280 that drops IP fragments" no_ip_fragments
rm -f "$swan_creds"/x509/* "$swan_creds"/private/*
cp "$pki/rightrsa.pem" "$swan_creds/x509/"
cp "$pki/midrsa.pem" "$swan_creds/x509ca/"
cp "$pki/rightrsa.key" "$swan_creds/private/"
swan_conf auth=pubkey cert=rightrsa.pem
check "charon loads its RSA chain" swanctl --load-all --file "$iked_dir/swanctl.conf"
rsa_left start
check_here "iked starts with an RSA chain and initiates" iked_start left
check "iked -> strongSwan in fragments: CHILD SA installed" wait_for 30 INSTALLED ike left list
check "traffic flows" ping_inner
check "charon took IKE fragments" \
	grep -q "received fragment #[0-9] of [2-9]" "$iked_dir/charon.log"
check "strongSwan ends it" swanctl --terminate --ike net --timeout 10
iked_stop left
rsa_left none
check_here "iked starts as responder" iked_start left
check "strongSwan -> iked in fragments" swanctl --initiate --child net --timeout 30
check "CHILD SA installed" wait_for 10 INSTALLED ike left list
check "traffic flows" ping_inner
check "not one IP fragment was needed" nofrag_counters_zero

# 5. iked to iked, both with RSA chains over the same path: up, then a
# CHILD and an IKE rekey of the certificate-authenticated SA under ping.
iked_stop left
swan_stop
iked_conf right net local=192.0.2.2 remote=192.0.2.1 auth=pubkey \
	cert="$pki/rightrsa-chain.pem" key="$pki/rightrsa.key" ca="$pki/root.pem" \
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
sleep 0.5
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
