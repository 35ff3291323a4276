#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Remote access: iked on nfesp as the gateway of many clients (remote =
# %any, told apart by identity), strongSwan's charon on XFRM as three road
# warriors behind one address (rw1, rw2, rw3.example.org, with ECDSA, RSA
# and Ed25519 certificates; the gateway's is ECDSA), each asking for a
# virtual IPv4 and IPv6 address (CP). Each gets its own from the
# pools and the DNS servers; traffic from its virtual addresses reaches the
# gateway's inner addresses; the third finds the IPv4 pool full and gets
# its IPv6 address alone; a client that leaves and comes
# back gets its address again; `ipsecctl ike leases` shows it all.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/esp_lib.sh"
. "$(dirname "$0")/iked_lib.sh"
. "$(dirname "$0")/swan_lib.sh"
. "$(dirname "$0")/pki_lib.sh"

esp_topology || exit 1
trap 'swan_stop; [ "$tests_failed" = 0 ] || sed "s/^/#   charon: /" "$iked_dir/charon.log"; iked_cleanup' EXIT

mkdir -p "$swan_creds"/{x509,x509ca,private}
make_pki() {
	ca root && cert left p256 root left.example.org && cert rw1 p256 root rw1.example.org &&
		cert rw2 rsa root rw2.example.org && cert rw3 ed25519 root rw3.example.org
}
check_here "the openssl CLI makes the gateway's and the clients' certificates" make_pki
chmod 600 "$pki"/*.key
cp "$pki/root.pem" "$swan_creds/x509ca/"
for n in 1 2 3; do
	cp "$pki/rw$n.pem" "$swan_creds/x509/"
	cp "$pki/rw$n.key" "$swan_creds/private/"
done

# The gateway: two IPv4 and many IPv6 addresses, two DNS servers.
iked_conf left rw local=192.0.2.1 remote=%any local_id=left.example.org \
	remote_id="*.example.org" auth=pubkey cert="$pki/left.pem" key="$pki/left.key" \
	ca="$pki/root.pem" \
	local_ts="10.1.0.0/16, fd01::/64" pool=10.99.0.0/30 pool6=fd00:99::/112 \
	dns="10.1.0.53, fd01::53" start=none
# Replies to the clients' virtual addresses go back the way they came.
in_ns left ip route add 10.99.0.0/30 via 192.0.2.2
in_ns left ip -6 route add fd00:99::/112 via 2001:db8::2
# The clients' IPv6 addresses are usable at once.
in_ns right sysctl -qw net.ipv6.conf.all.accept_dad=0 net.ipv6.conf.veth0.accept_dad=0

# rw_conn N: charon's road warrior rwN.
rw_conn() {
	cat <<CONF
	rw$1 {
		version = 2
		local_addrs = 192.0.2.2
		remote_addrs = 192.0.2.1
		vips = 0.0.0.0, ::
		local {
			auth = pubkey
			certs = rw$1.pem
			id = rw$1.example.org
		}
		remote {
			auth = pubkey
			id = left.example.org
		}
		children {
			rw$1 {
				remote_ts = 10.1.0.0/16, fd01::/64
				start_action = none
			}
		}
	}
CONF
}
{
	echo "connections {"
	rw_conn 1
	rw_conn 2
	rw_conn 3
	cat <<CONF
}
CONF
} >"$iked_dir/swanctl.conf"

# vip_of N FAMILY: the virtual address charon got for rwN.
vip_of() {
	ike left list | awk -v id="'rw$1.example.org'" -v fam="$2" '
		$1 == "remote" { mine = ($2 == id) }
		mine && $1 == "vip" { print (fam == 4 ? $2 : $3); exit }'
}
ping_from() {
	[ -n "$1" ] || return 1
	if [[ $1 == *:* ]]; then
		in_ns right ping -6 -c 1 -W 3 -I "$1" fd01::1
	else
		in_ns right ping -c 1 -W 3 -I "$1" 10.1.0.1
	fi
}

check_here "iked starts as the gateway (remote = %any)" iked_start left
check_here "charon starts with three road warriors" swan_start right

check "rw1 connects" swanctl --initiate --child rw1 --timeout 30
check "rw2 connects from the same address" swanctl --initiate --child rw2 --timeout 30
check "charon verified the gateway's ECDSA certificate" \
	grep -q "authentication of 'left.example.org' with ECDSA" "$iked_dir/charon.log"
expect_output "iked took rw2's RSA certificate" \
	'theirs pubkey "O = Example, CN = rw2.example.org"' ike left list
established() {
	ike left list | grep -c ESTABLISHED
}
expect_output "iked has two IKE SAs, one each client" "^2$" established
v4_1=$(vip_of 1 4) v6_1=$(vip_of 1 6) v4_2=$(vip_of 2 4) v6_2=$(vip_of 2 6)
check "rw1 got 10.99.0.1 and fd00:99::1" test "$v4_1 $v6_1" = "10.99.0.1 fd00:99::1"
check "rw2 got 10.99.0.2 and fd00:99::2" test "$v4_2 $v6_2" = "10.99.0.2 fd00:99::2"
check "charon installed rw1's virtual addresses" \
	wait_for 10 "fd00:99::1" in_ns right ip addr show
check "charon was told the DNS servers" \
	wait_for 10 "INTERNAL_IP6_DNS" cat "$iked_dir/charon.log"
for a in "$v4_1" "$v6_1" "$v4_2" "$v6_2"; do
	check "from $a to the gateway's inner address" ping_from "$a"
done
expect_output "the gateway's CHILD SAs carry the virtual addresses" \
	"remote 10.99.0.2/32, fd00:99::2/128" ike left list

check "rw3 connects" swanctl --initiate --child rw3 --timeout 30
check "... the IPv4 pool is full, iked says so" \
	wait_for 10 "INTERNAL_ADDRESS_FAILURE: pool 10.99.0.0/30 is full" cat "$iked_dir/left.log"
expect_output "... rw3 has its IPv6 address alone" "vip    fd00:99::3$" ike left list
check "... and traffic from it" ping_from fd00:99::3
expect_output "ipsecctl ike leases: both addresses online" \
	"pool 10.99.0.0/30: 2 addresses, 2 online, 2 leased" ike left leases

check "rw1 leaves" swanctl --terminate --ike rw1 --timeout 10
check "... its lease waits for it" \
	wait_for 10 "10.99.0.1  'rw1.example.org'  offline" ike left leases
check "rw1 comes back" swanctl --initiate --child rw1 --timeout 30
check "... with the same address" test "$(vip_of 1 4)" = 10.99.0.1
check "... and traffic" ping_from 10.99.0.1

check "rw1 leaves" swanctl --terminate --ike rw1 --timeout 10
check "rw2 leaves" swanctl --terminate --ike rw2 --timeout 10
check "rw3 leaves" swanctl --terminate --ike rw3 --timeout 10
no_esp_sa() {
	[ -z "$(in_ns left "$IPSECCTL" sa list)" ]
}
check "... no ESP SA left on the gateway" wait_until 20 no_esp_sa
expect_output "... both leases offline" "2 addresses, 0 online, 2 leased" ike left leases
iked_stop left
check "no AddressSanitizer or LeakSanitizer report from iked" \
	sh -c "! grep -h -A20 'Sanitizer' '$iked_dir'/*.log"
done_testing
