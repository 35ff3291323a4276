# SPDX-License-Identifier: GPL-2.0
# A PKI made in the test with the openssl CLI, in $pki (sourced after
# iked_lib.sh): keys, CAs, certificates, CRLs, an expired certificate.
pki=$iked_dir/pki
mkdir -p "$pki"

# RSA-4096 keys made once (keys/README): under TCG making one takes long.
fixed_keys=$(dirname "$0")/keys

# key NAME ALG: NAME's key of ALG (ed25519, rsa, p256, p384, or rsa4096:
# the fixed key NAME of keys/).
key() {
	case $2 in
	ed25519) openssl genpkey -algorithm ED25519 -out "$pki/$1.key" ;;
	rsa) openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out "$pki/$1.key" ;;
	p256|p384) openssl genpkey -algorithm EC -pkeyopt "ec_paramgen_curve:P-${2#p}" \
		-out "$pki/$1.key" ;;
	rsa4096) cp "$fixed_keys/$1.key" "$pki/$1.key" ;;
	esac 2>/dev/null
}
# ca NAME [ALG]: a self-signed CA (P-256 unless ALG says).
ca() {
	key "$1" "${2:-p256}" &&
		openssl req -x509 -new -key "$pki/$1.key" -subj "/O=Example/CN=$1" -days 30 \
			-out "$pki/$1.pem" -addext basicConstraints=critical,CA:TRUE \
			-addext keyUsage=critical,keyCertSign,cRLSign 2>/dev/null
}
# cert NAME ALG ISSUER ID: the certificate of NAME.example.org, its key of
# ALG (key's), signed by ISSUER, for the identity ID (its subjectAltName),
# or an intermediate CA when ID is "ca".
cert() {
	local name=$1 issuer=$3 ext
	key "$name" "$2"
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
# ca_db ISSUER: openssl ca's files for ISSUER, in $pki/ca-ISSUER.
ca_db() {
	local d=$pki/ca-$1
	[ -d "$d" ] && return
	mkdir -p "$d"
	: >"$d/index"
	openssl rand -hex 8 >"$d/serial"
	cat >"$d/cnf" <<EOF
[ca]
default_ca = ca
[ca]
database = $d/index
serial = $d/serial
new_certs_dir = $d
default_md = sha256
default_crl_days = 30
policy = any
unique_subject = no
[any]
organizationName = supplied
commonName = supplied
EOF
}
# expired NAME ISSUER ID: a P-256 certificate that ended in 2024.
expired() {
	local d=$pki/ca-$2
	ca_db "$2"
	key "$1" p256
	printf 'keyUsage=digitalSignature\nsubjectAltName=DNS:%s\n' "$3" >"$pki/$1.ext"
	openssl req -new -key "$pki/$1.key" -subj "/O=Example/CN=$1.example.org" \
		-out "$pki/$1.csr" 2>/dev/null &&
		openssl ca -batch -config "$d/cnf" -cert "$pki/$2.pem" -keyfile "$pki/$2.key" \
			-in "$pki/$1.csr" -out "$pki/$1.pem" -notext -extfile "$pki/$1.ext" \
			-startdate 20240101000000Z -enddate 20240201000000Z 2>/dev/null
}
# revoke ISSUER NAME: ISSUER's CRL, revoking NAME, in ISSUER.crl.
revoke() {
	local d=$pki/ca-$1
	ca_db "$1"
	openssl ca -config "$d/cnf" -cert "$pki/$1.pem" -keyfile "$pki/$1.key" \
		-revoke "$pki/$2.pem" 2>/dev/null &&
		openssl ca -config "$d/cnf" -cert "$pki/$1.pem" -keyfile "$pki/$1.key" \
			-gencrl -out "$pki/$1.crl" 2>/dev/null
}
