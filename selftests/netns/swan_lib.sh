# SPDX-License-Identifier: GPL-2.0
# strongSwan's charon (Debian's, on XFRM) as the peer of iked (sourced after
# iked_lib.sh). One charon, in one namespace, configured through vici.
CHARON=${CHARON:-/usr/lib/ipsec/charon}
swan_pid=

# The namespace charon runs in (set here: swan_start runs in subshells).
swan_ns=right

# swan_start NS: charon in NS with the configuration of $iked_dir/swanctl.conf
# (swan_conf writes it); its log is $iked_dir/charon.log. SWAN_LOG_ENC=3 logs
# each message's payloads in the clear (the exchange fuzzer's strongSwan
# seeds are made from them: userspace/tests/fuzz/record-strongswan).
swan_start() {
	local i
	cat >"$iked_dir/strongswan.conf" <<CONF
swanctl {
	load = pem pkcs1 pkcs8 x509 pubkey openssl random
}
charon {
	load = random nonce openssl pem pkcs1 pkcs8 x509 pubkey constraints revocation hmac sha1 sha2 aes gcm kdf kernel-netlink socket-default vici
	install_routes = no
	retransmit_tries = 2
	retransmit_timeout = 1
	retransmit_base = 1.5
	filelog {
		log {
			path = $iked_dir/charon.log
			# The tests read it as it is written.
			flush_line = yes
			default = 1
			ike = 2
			cfg = 2
			knl = 2
			enc = ${SWAN_LOG_ENC:-1}
		}
	}
	plugins {
		vici {
			socket = unix://$iked_dir/charon.vici
		}
	}
}
CONF
	rm -f "$iked_dir/charon.vici"
	STRONGSWAN_CONF=$iked_dir/strongswan.conf in_ns_bg "$1" "$CHARON" \
		>>"$iked_dir/charon.out" 2>&1
	swan_pid=$!
	for i in $(seq 100); do
		[ -S "$iked_dir/charon.vici" ] && break
		nap 0.1
	done
	[ -S "$iked_dir/charon.vici" ] || { echo "charon did not start"; cat "$iked_dir/charon.out"; return 1; }
	swanctl --load-all --file "$iked_dir/swanctl.conf"
}

# swanctl COMMAND [ARGS...]: swanctl talking to our charon. Its
# credentials are in $swan_creds (x509/, x509ca/, private/), beside
# swanctl.conf, where swanctl --load-all looks for them.
swan_creds=$iked_dir
# RFC 8784's post-quantum preshared key of id pq-1.
swan_ppk=0x8a6b1f0e5d4c3b2a19081716151413121110f0e0d0c0b0a09080706050403020
swanctl() {
	in_ns "$swan_ns" env STRONGSWAN_CONF="$iked_dir/strongswan.conf" \
		/usr/sbin/swanctl "$1" --uri "unix://$iked_dir/charon.vici" "${@:2}"
}

swan_stop() {
	[ -n "$swan_pid" ] || return 0
	kill "$swan_pid" 2>/dev/null
	wait "$swan_pid" 2>/dev/null
	swan_pid=
}

# swan_conf KEY=VALUE...: one connection "net" between right (charon) and
# left (iked); keys: ike, esp, mode, start, encap, rekey, child_rekey, dpd,
# auth (psk, or pubkey: cert, a file of $swan_creds/x509, and the peer's
# id, left.example.org by default; local_auth and remote_auth when the two
# sides differ), id (charon's own, right.example.org), ppk_id and
# ppk_required (the PPK of id pq-1 is $swan_ppk), lts and rts (the
# selectors; by default the inner addresses, or the outer in transport
# mode), if_id (if_id_in and if_id_out: an XFRM interface's).
swan_conf() {
	local -A o=([ike]=default [esp]=default [mode]=tunnel [start]=none
		    [encap]=no [rekey]=4h [child_rekey]=1h [dpd]=0s [auth]=psk
		    [cert]= [remote_id]=left.example.org [ppk_id]= [ppk_required]=no
		    [id]=right.example.org [local_auth]= [remote_auth]= [lts]= [rts]=
		    [if_id]=)
	local kv lts rts
	for kv in "$@"; do
		o[${kv%%=*}]=${kv#*=}
	done
	: "${o[local_auth]:=${o[auth]}}" "${o[remote_auth]:=${o[auth]}}"
	if [ "${o[mode]}" = tunnel ]; then
		lts=10.2.0.1/32 rts=10.1.0.1/32
	else
		lts=192.0.2.2/32 rts=192.0.2.1/32
	fi
	lts=${o[lts]:-$lts} rts=${o[rts]:-$rts}
	cat >"$iked_dir/swanctl.conf" <<CONF
connections {
	net {
		version = 2
		local_addrs = 192.0.2.2
		remote_addrs = 192.0.2.1
		proposals = ${o[ike]}
		encap = ${o[encap]}
		rekey_time = ${o[rekey]}
		dpd_delay = ${o[dpd]}
		${o[ppk_id]:+ppk_id = ${o[ppk_id]}}
		ppk_required = ${o[ppk_required]}
		local {
			auth = ${o[local_auth]}
			id = "${o[id]}"
			${o[cert]:+certs = ${o[cert]}}
		}
		remote {
			auth = ${o[remote_auth]}
			id = "${o[remote_id]}"
		}
		children {
			net {
				local_ts = $lts
				remote_ts = $rts
				mode = ${o[mode]}
				esp_proposals = ${o[esp]}
				start_action = ${o[start]}
				rekey_time = ${o[child_rekey]}
				${o[if_id]:+if_id_in = ${o[if_id]}}
				${o[if_id]:+if_id_out = ${o[if_id]}}
			}
		}
	}
}
secrets {
	ike-net {
		id-1 = right.example.org
		id-2 = left.example.org
		secret = iked-test-secret
	}
	ppk-pq {
		id = pq-1
		secret = $swan_ppk
	}
}
CONF
}
