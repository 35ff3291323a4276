#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# iked against iked in two namespaces over nfesp: a PSK tunnel and a
# transport connection (negotiated on the first packet), CHILD and IKE
# rekeys under continuous ping, dead peer detection and a restarted peer,
# reload, and refusals: wrong PSK, proposals and selectors that do not
# match, malformed and out-of-window messages. With IKED=build/asan/iked
# every iked runs under AddressSanitizer, and any report fails the file.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/esp_lib.sh"
. "$(dirname "$0")/iked_lib.sh"

esp_topology || exit 1

children() {
	ike "$1" list | grep -c INSTALLED
}
one_child_each() {
	[ "$(children left)" = 1 ] && [ "$(children right)" = 1 ] &&
		[ "$(in_ns left "$IPSECCTL" sa list | grep -c '^src ')" = 2 ]
}
restart_both() {
	iked_stop left
	iked_stop right
	check_here "iked starts (right)" iked_start right
	check_here "iked starts (left)" iked_start left
}

# 1. A tunnel, negotiated at start.
iked_tunnel_conf right start=none
iked_tunnel_conf left start=start
restart_both
check "tunnel: CHILD SA installed" wait_for 20 INSTALLED ike left list
check "tunnel: ping through it" ping_esp 10.1.0.1 10.2.0.1
expect_output "ike list shows the IKE SA" "net: #1, ESTABLISHED, IKEv2" ike left list
expect_output "ike list shows the peer's identity" "remote 'right.example.org' @ 192.0.2.2" ike left list
expect_output "ike list shows the CHILD SA with its traffic" "in  0x[0-9a-f]{8}, [1-9][0-9]* bytes, 3 packets" ike right list
expect_output "ike list shows the selectors" "local  10.1.0.1/32" ike left list

# 2. CHILD and IKE SA rekeys while a ping runs every 0.1 s: no loss. The
# CHILD rekeys with PFS (an x25519 exchange: the ESP proposal names it).
iked_tunnel_conf right start=none esp=aes128gcm16-x25519
iked_tunnel_conf left start=start lifetime=12 ike_lifetime=16 esp=aes128gcm16-x25519
restart_both
check "rekey: CHILD SA installed" wait_for 20 INSTALLED ike left list
in_ns_bg left ping -q -c 200 -i 0.1 -I 10.1.0.1 10.2.0.1 >"$iked_dir/ping.log" 2>&1
ping_pid=$!
check "the CHILD SA is rekeyed on its soft expiry" wait_for 25 "rekeying CHILD SA" cat "$iked_dir/left.log"
check "the old CHILD SA is deleted" wait_for 15 "CHILD SA 0x[0-9a-f]+/0x[0-9a-f]+ deleted" cat "$iked_dir/left.log"
expect_output "the rekey used PFS: its CHILD SA's suite has the DH group" \
	"ESP: aes128gcm16-x25519" ike left list
check "the IKE SA is rekeyed" wait_for 25 "IKE SA rekeyed$" cat "$iked_dir/left.log"
check "the peer took the IKE rekey" wait_for 5 "IKE SA rekeyed by the peer" cat "$iked_dir/right.log"
wait "$ping_pid"
expect_output "no packet lost across the rekeys" " 0% packet loss" cat "$iked_dir/ping.log"
expect_output "one IKE SA after the rekey" "^1$" sh -c "grep -c ESTABLISHED" < <(ike left list)
check "traffic over the new SAs" ping_esp 10.1.0.1 10.2.0.1

# 2b. Both ends rekey the same CHILD SA at once (RFC 7296 2.8.1): both
# exchanges complete, the one with the lowest nonce made the redundant SA,
# and its maker deletes it. Under ping, nothing lost, one CHILD SA left.
iked_tunnel_conf right start=none
iked_tunnel_conf left start=start
restart_both
check "collision: CHILD SA installed" wait_for 20 INSTALLED ike left list
# A 400 ms path makes the two requests cross on the wire.
slow_path on
in_ns_bg left ping -q -c 60 -i 0.1 -I 10.1.0.1 10.2.0.1 >"$iked_dir/ping.log" 2>&1
ping_pid=$!
nap 1
for round in 1 2; do
	ike left rekey net >/dev/null &
	ike right rekey net >/dev/null
	wait $!
	nap 2
done
check "simultaneous rekeys: a collision is seen and resolved" \
	wait_for 10 "rekey collision on CHILD SA" cat "$iked_dir/left.log" "$iked_dir/right.log"
wait "$ping_pid"
expect_output "no packet lost across colliding rekeys" " 0% packet loss" cat "$iked_dir/ping.log"
check "one CHILD SA left on each side" wait_until 10 one_child_each
check "traffic over the survivor" ping_esp 10.1.0.1 10.2.0.1

# 2c. Both ends rekey the IKE SA at once (RFC 7296 2.8.2): both exchanges
# complete, the new IKE SA made with the lowest nonce is deleted by its
# maker, the other keeps the CHILD SA; a CHILD rekey over it proves that
# both ends hold the same keys.
ike_sas() {
	ike "$1" list | ike_spis
}
same_single_ike_sa() {
	local l r
	l=$(ike_sas left)
	r=$(ike_sas right)
	[ -n "$l" ] && [ "$(wc -l <<<"$l")" = 1 ] && [ "$l" = "$r" ]
}
children_deleted() {
	grep -cE "CHILD SA 0x[0-9a-f]+/0x[0-9a-f]+ deleted" "$iked_dir/$1.log"
}
more_children_deleted() {
	[ "$(children_deleted "$1")" -gt "$2" ]
}
in_ns_bg left ping -q -c 50 -i 0.1 -I 10.1.0.1 10.2.0.1 >"$iked_dir/ping.log" 2>&1
ping_pid=$!
old_sa=$(ike_sas left)
ike left rekey net ike >/dev/null &
ike right rekey net ike >/dev/null
wait $!
check "simultaneous IKE rekeys: one end deletes its new IKE SA (lowest nonce)" \
	wait_for 10 "our new IKE SA has the lowest nonce" cat "$iked_dir/left.log" "$iked_dir/right.log"
check "... the other keeps its own" \
	wait_for 10 "the peer's new IKE SA has the lowest nonce" cat "$iked_dir/left.log" "$iked_dir/right.log"
check "one IKE SA left, the same on both ends" wait_until 10 same_single_ike_sa
check_here "... and it is a new one" test "$(ike_sas left)" != "$old_sa"
wait "$ping_pid"
slow_path off
expect_output "no packet lost across colliding IKE rekeys" " 0% packet loss" cat "$iked_dir/ping.log"
check "the CHILD SA moved to the survivor" wait_until 5 one_child_each
deleted=$(children_deleted right)
ike right rekey net >/dev/null
check "a CHILD rekey over the surviving IKE SA" wait_until 15 more_children_deleted right "$deleted"
check "traffic after it" ping_esp 10.1.0.1 10.2.0.1

# 3. Dead peer detection: the peer vanishes without a word, comes back.
iked_tunnel_conf right start=none
iked_tunnel_conf left start=start dpd=2
restart_both
check "dpd: CHILD SA installed" wait_for 20 INSTALLED ike left list
iked_stop right KILL
in_ns right "$IPSECCTL" sa flush
check "a stopped peer is declared dead" wait_for 30 "dead peer" cat "$iked_dir/left.log"
check "its CHILD SAs are gone from nfesp" wait_until 5 test -z "$(in_ns left "$IPSECCTL" sa list)"
check_here "the peer restarts" iked_start right
check "the restarted peer is re-established" wait_for 30 INSTALLED ike left list
check "traffic flows again" ping_esp 10.1.0.1 10.2.0.1

# 4. Transport mode, negotiated on the first packet (trap), after a reload.
iked_conf right net local=192.0.2.2 remote=192.0.2.1 local_id=right.example.org \
	remote_id=left.example.org psk=iked-test-secret mode=transport start=none
iked_conf left net local=192.0.2.1 remote=192.0.2.2 local_id=left.example.org \
	remote_id=right.example.org psk=iked-test-secret mode=transport start=trap
expect_output "ike reload takes the new configuration (right)" "reloaded" ike right reload
expect_output "ike reload takes the new configuration (left)" "reloaded" ike left reload
check "trap: no SA before the first packet" test -z "$(in_ns left "$IPSECCTL" sa list)"
in_ns left ping -q -c 1 -W 1 192.0.2.2 >/dev/null
check "trap: the first packet starts the negotiation (ACQUIRE)" \
	wait_for 20 TRANSPORT ike left list
check "trap: traffic flows in ESP" ping_esp 192.0.2.1 192.0.2.2
expect_output "a broken file is refused by reload, the running one stays" "error" \
	sh -c "echo 'bogus line' >> '$iked_dir/left.conf'; NFESP_IKED_SOCKET='$iked_dir/left.sock' ip netns exec $ns_prefix-left '$IPSECCTL' ike reload"
check "after a refused reload the SA still carries traffic" ping_esp 192.0.2.1 192.0.2.2

# 4b. Two connections between the same two hosts, told apart by identity:
# the responder picks each by the initiator's ID, with its own key and its
# own selectors (ICMP for a, UDP for b).
# conn_keys NS PEER START NAME PROTO: connection NAME's keys in NS.
conn_keys() {
	echo local="${esp_addr[$1,4]}" remote="${esp_addr[$2,4]}" \
		local_id="$4.$1.example.org" remote_id="$4.$2.example.org" \
		psk="the-secret-of-$4-conn" start="$3" \
		local_ts="${esp_addr[$1,inner4]}/32[$5]" remote_ts="${esp_addr[$2,inner4]}/32[$5]"
}
two_conns() {
	iked_conf "$1" a $(conn_keys "$@" a icmp)
	iked_conf_add "$1" b $(conn_keys "$@" b udp)
}
# conn_list NS NAME: the part of `ike list` about connection NAME.
conn_list() {
	ike "$1" list | awk -v c="$2" '/^[^ ]+: #[0-9]+,/ { on = ($1 == c ":") } on'
}
two_conns right left none
two_conns left right start
restart_both
check "two connections: a is up" wait_for 20 INSTALLED conn_list left a
check "two connections: b is up" wait_for 20 INSTALLED conn_list left b
expect_output "the responder took a for the peer named a" \
	"remote 'a.left.example.org'" conn_list right a
expect_output "the responder took b for the peer named b" \
	"remote 'b.left.example.org'" conn_list right b
expect_output "iked says which identity picked b" \
	"the peer's identities name connection b" cat "$iked_dir/right.log"
check "ping (ICMP) goes through a" ping_esp 10.1.0.1 10.2.0.1
in_ns left python3 -c '
import socket
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.bind(("10.1.0.1", 0))
for i in range(3):
    s.sendto(b"x", ("10.2.0.1", 9))'
check "UDP goes through b" wait_for 5 "in  0x[0-9a-f]{8}, [1-9][0-9]* bytes, 3 packets" \
	conn_list right b
# A reload restarts only what changed: b gets another lifetime, a stays.
conn_spis() {
	conn_list "$1" "$2" | ike_spis
}
b_renewed() {
	[ -n "$(conn_spis left b)" ] && [ "$(conn_spis left b)" != "$b_before" ] &&
		conn_list left b | grep -q INSTALLED
}
a_before=$(conn_spis left a)
b_before=$(conn_spis left b)
echo "lifetime = 30m" >>"$iked_dir/left.conf"
expect_output "reload: a kept, b changed: stopped and started" \
	"reloaded: 1 connection\(s\) kept, 1 stopped, 1 started" ike left reload
check "b comes up again, with a new IKE SA" wait_until 20 b_renewed
check_here "a kept its IKE SA through the reload" test "$(conn_spis left a)" = "$a_before"
check "and its traffic flows" ping_esp 10.1.0.1 10.2.0.1
expect_output "a reload of the same file keeps both" \
	"reloaded: 2 connection\(s\) kept, 0 stopped, 0 started" ike left reload

# 4c. ike up waits for the outcome, showing iked's lines of it (as
# swanctl --initiate): exit status 0 once the CHILD SA is installed, 1
# when the negotiation fails.
up_out=$iked_dir/up.out
ike_up() {	# ike_up NS NAME: its output in $up_out; its status
	ike "$1" up "$2" >"$up_out" 2>&1
}
a_down() {
	! conn_list left a | grep -q ESTABLISHED
}
check "ike down a" ike left down a
check "... a is down" wait_until 10 a_down
check_here "ike up a waits, and exits 0 once the CHILD SA is installed" ike_up left a
expect_output "... showing iked's lines of the negotiation" "CHILD SA installed" cat "$up_out"
expect_output "... and ending with 'a: up'" "^a: up$" cat "$up_out"
iked_conf_add left nobody local=192.0.2.1 remote=192.0.2.99 psk=nobody-answers-this-one \
	local_ts=10.1.0.1/32 remote_ts=10.9.0.1/32 start=none
check "a connection to a peer that never answers, reloaded in" ike left reload
up_fails() {
	! ike_up "$@"
}
check_here "ike up of it exits non-zero once iked gives up" up_fails left nobody
expect_output "... and says the negotiation failed" "nobody: the negotiation failed" cat "$up_out"

# 4d. -j: ike list, list-conns and leases as JSON.
ike_json() {	# ike_json NS QUERY: a Python expression over ipsecctl -j ike's answer, d
	in_ns "$1" env NFESP_IKED_SOCKET="$iked_dir/$1.sock" "$IPSECCTL" -j ike "${@:3}" |
		python3 -c '
import json, sys
d = json.load(sys.stdin)
r = eval(sys.argv[1])
print(*r) if isinstance(r, tuple) else print(r)' "$2"
}
expect_output "-j ike list: a's CHILD SA, installed, with its selectors" \
	"^INSTALLED \['10.1.0.1/32\[icmp\]'\]$" ike_json left \
	'" ".join(str(x) for s in d if s["name"] == "a" for c in s["children"] for x in (c["state"], c["local_ts"]))' list
expect_output "-j ike list-conns: the three connections, nobody's remote" "^a b nobody 192.0.2.99$" \
	ike_json left '" ".join([c["name"] for c in d] + [d[2]["remote"]])' list-conns
# Bash completion asks iked for them (its configuration file says others).
check "completion offers the connections iked has" in_ns left \
	env PATH="${IPSECCTL%/*}:$PATH" NFESP_IKED_SOCKET="$iked_dir/left.sock" \
	COMPLETION_IKED_CONNS="a b nobody" IPSECCTL="$IPSECCTL" "$NFESP_TOP/userspace/tests/completion.sh"
expect_output "-j ike leases: no pool here" "^\[\]$" ike_json left 'd' leases
expect_output "-j ike down: iked's words in an object" "^True a: going down$" \
	ike_json left 'd["ok"], d["message"]' down a
check "... a is down" wait_until 10 a_down
expect_output "-j ike up: up, with iked's lines of it" "^True True$" \
	ike_json left 'd["up"], any("CHILD SA installed" in l for l in d["log"])' up a

# 5. Refusals, each logged in words that say what to fix.
iked_tunnel_conf right start=none psk=another-test-secret
iked_tunnel_conf left start=start
restart_both
check "wrong PSK: the responder says whose AUTH failed" \
	wait_for 15 'AUTHENTICATION_FAILED: the AUTH of "left.example.org" \(the initiator\) does not match' \
	cat "$iked_dir/right.log"
check "wrong PSK: the initiator is told" wait_for 15 "AUTHENTICATION_FAILED: the peer refused" \
	cat "$iked_dir/left.log"
no_sa_anywhere() {
	ike left list | grep -qx "no IKE SAs" && ike right list | grep -qx "no IKE SAs" &&
		[ -z "$(in_ns left "$IPSECCTL" sa list)" ] &&
		[ -z "$(in_ns right "$IPSECCTL" sa list)" ]
}
check "wrong PSK: no IKE SA and no ESP SA left on either side" wait_until 10 no_sa_anywhere
iked_tunnel_conf right start=none ike=aes128-sha256-modp2048
iked_tunnel_conf left start=start ike=aes256gcm16-prfsha384-ecp384
restart_both
check "no common proposal: the responder logs both lists" \
	wait_for 15 "NO_PROPOSAL_CHOSEN for the IKE SA: the peer proposed aes256gcm16-prfsha384-ecp384.*; we accept aes128-sha256-prfsha256-modp2048" \
	cat "$iked_dir/right.log"
check "no common proposal: the initiator logs what it proposed" \
	wait_for 15 "accepts none of our IKE proposals \(NO_PROPOSAL_CHOSEN\): we proposed aes256gcm16" \
	cat "$iked_dir/left.log"
check "no common proposal: no SA left on either side" wait_until 10 no_sa_anywhere
iked_tunnel_conf right start=none
iked_tunnel_conf left start=start remote_ts=10.9.0.0/16
restart_both
check "selectors that do not fit: the responder logs both sets" \
	wait_for 15 "TS_UNACCEPTABLE: the peer proposed TSi 10.1.0.1/32, TSr 10.9.0.0/16; we accept remote_ts 10.1.0.1/32, local_ts 10.2.0.1/32" \
	cat "$iked_dir/right.log"
check "selectors that do not fit: the initiator is told" \
	wait_for 15 "TS_UNACCEPTABLE" cat "$iked_dir/left.log"
check "no CHILD SA was installed" test -z "$(in_ns left "$IPSECCTL" sa list)"

# 6. Malformed, truncated and out-of-window messages at an established SA.
iked_tunnel_conf right start=none
iked_tunnel_conf left start=start
restart_both
check "CHILD SA installed" wait_for 20 INSTALLED ike left list
spis=$(ike right list | sed -n 's/.*, IKEv2, \([0-9a-f]*\)_i\*\? \([0-9a-f]*\)_r.*/\1 \2/p')
in_ns left python3 - $spis <<'PY'
import socket, struct, sys, os
spi_i, spi_r = bytes.fromhex(sys.argv[1]), bytes.fromhex(sys.argv[2])
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(("192.0.2.1", 0))
def hdr(exch, flags, mid, length, nxt=46):
    return spi_i + spi_r + struct.pack("!BBBBII", nxt, 0x20, exch, flags, mid, length)
msgs = [
    b"\x00" * 10,                                    # shorter than a header
    hdr(37, 0x08, 2, 500) + b"\x00" * 40,            # length field says more
    hdr(37, 0x08, 2, 28 + 8, nxt=46) + b"\x00\x00\x01\x00" + b"\x00" * 4,  # payload length past the end
    hdr(37, 0x08, 99, 28 + 60) + struct.pack("!BBH", 0, 0, 60) + os.urandom(56),  # out of window
    hdr(37, 0x08, 2, 28 + 60) + struct.pack("!BBH", 0, 0, 60) + os.urandom(56),   # in window, forged ICV
    hdr(34, 0x08, 0, 28 + 4, nxt=33) + b"\x00\x00\x00\x04",                       # IKE_SA_INIT, empty SA
]
for m in msgs:
    s.sendto(m, ("192.0.2.2", 500))
PY
nap 1
expect_output "a message outside the window is dropped" "outside the window" cat "$iked_dir/right.log"
expect_output "a forged message is dropped" "dropped: ICV check failed" cat "$iked_dir/right.log"
expect_output "a truncated datagram is dropped" "dropped: .*(short|length)" cat "$iked_dir/right.log"
check "the SA survives them and carries traffic" ping_esp 10.1.0.1 10.2.0.1
expect_output "iked still answers" "ESTABLISHED" ike right list

# A request that comes again (its response lost) gets the same response
# again, and changes nothing: the DELETE that ends a rekey, replayed.
# The request: an INFORMATIONAL (37) that is not a response.
sniff_udp right veth0 500 'len(d) > 28 and d[18] == 37 and not d[19] & 0x20' \
	"$iked_dir/request"
sniffer=$!
nap 1
ike_out() {
	ike right list | sed -n 's/.* bytes in, \([0-9]*\) bytes out (IKE)/\1/p'
}
ike_out_above() {
	[ "$(ike_out)" -gt "$1" ]
}
check "a CHILD rekey for the replay" ike left rekey net
check "the DELETE ending the rekey was captured" wait_until 10 test -s "$iked_dir/request"
kill "$sniffer" 2>/dev/null
check "the rekey completed" wait_until 15 one_child_each
before=$(ike_out)
in_ns left python3 -c '
import os, socket, sys
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(("192.0.2.1", 500))
s.sendto(open(sys.argv[1], "rb").read(), ("192.0.2.2", 500))' "$iked_dir/request"
check "the replayed request got the response again" wait_until 5 ike_out_above "$before"
expect_output "iked says so" "a request came again" cat "$iked_dir/right.log"
# The same message ID with its last byte (of the ICV) changed is no
# retransmission: dropped, not answered.
before=$(ike_out)
in_ns left python3 -c '
import socket, sys
m = bytearray(open(sys.argv[1], "rb").read())
m[-1] ^= 1
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(("192.0.2.1", 500))
s.sendto(m, ("192.0.2.2", 500))' "$iked_dir/request"
check "a changed copy of the last request is dropped" \
	wait_for 5 "dropped: the ID of the last request, other bytes" cat "$iked_dir/right.log"
check_here "... and not answered" test "$(ike_out)" = "$before"
nap 1
check "and changed nothing: one CHILD SA each side, traffic flows" one_child_each
check "traffic still flows" ping_esp 10.1.0.1 10.2.0.1

# 7. A busy responder asks for a cookie (RFC 7296 2.6) and for another DH
# group (INVALID_KE_PAYLOAD); the initiator comes back with both.
iked_global="cookie_threshold = 0" iked_tunnel_conf right start=none ike=aes128gcm16-prfsha256-ecp256
iked_tunnel_conf left start=start ike=aes128gcm16-prfsha256-x25519-ecp256
iked_stop left
iked_stop right
check_here "iked starts, asking every initiator for a cookie (right, cookie_threshold = 0)" iked_start right
check_here "iked starts (left)" iked_start left
check "cookie and INVALID_KE: the IKE SA comes up" wait_for 20 INSTALLED ike left list
expect_output "the initiator sent the cookie back" "the peer asks for a cookie" cat "$iked_dir/left.log"
expect_output "the initiator retried with the group asked for" 	"asks for DH group 19 \(INVALID_KE_PAYLOAD\)" cat "$iked_dir/left.log"
expect_output "the IKE SA uses that group" "aes128gcm16-prfsha256-ecp256" ike left list
# After binding its sockets iked keeps CAP_NET_ADMIN alone (bit 12), can
# gain nothing more, and runs under its seccomp filter (mode 2).
expect_output "iked keeps only CAP_NET_ADMIN" "^CapEff:[[:space:]]+0000000000001000$" \
	grep CapEff "/proc/${iked_pid[left]}/status"
expect_output "... with NO_NEW_PRIVS" "^NoNewPrivs:[[:space:]]+1$" \
	grep NoNewPrivs "/proc/${iked_pid[left]}/status"
expect_output "... under its seccomp filter" "^Seccomp:[[:space:]]+2$" \
	grep -E "^Seccomp:" "/proc/${iked_pid[left]}/status"

# 8. As a daemon (-d), and as user nobody (-u): the command returns once
# iked is up (its sanitizer reports to a file then, in a directory nobody
# may write), it runs as nobody with CAP_NET_ADMIN alone, it logs to syslog
# (a listener on /dev/log stands in for the system's logger; the VM has
# none), SIGHUP with a broken file logs why there, and SIGTERM ends it.
iked_stop left
daemon_pid() {
	pgrep -f -- "-S $iked_dir/left.sock"
}
if [ -e /dev/log ]; then
	not_ok "iked -d: /dev/log exists here; these checks run in the test VM only"
else
	python3 -c '
import os, socket, sys
s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
s.bind("/dev/log")
os.chmod("/dev/log", 0o666)
with open(sys.argv[1], "ab", buffering=0) as f:
    while True:
        f.write(s.recv(4096) + b"\n")' "$iked_dir/syslog" &
	syslog_pid=$!
	check "a syslog listener on /dev/log" wait_until 5 test -S /dev/log
	asan_dir=$(mktemp -d)
	chmod 1777 "$asan_dir"
	check_here "iked -d -u nobody returns with status 0 once it is up" \
		in_ns left env ASAN_OPTIONS="log_path=$asan_dir/asan-daemon" \
		"$IKED" -d -u nobody -f "$iked_dir/left.conf" -S "$iked_dir/left.sock"
	check_here "... and runs in the background" test -n "$(daemon_pid)"
	expect_output "... as nobody" "^Uid:[[:space:]]+65534[[:space:]]+65534[[:space:]]+65534[[:space:]]+65534$" \
		grep Uid "/proc/$(daemon_pid)/status"
	expect_output "... with CAP_NET_ADMIN alone, ambient too" \
		"^CapEff:[[:space:]]+0000000000001000 CapAmb:[[:space:]]+0000000000001000$" \
		sh -c "echo \$(grep -E '^Cap(Eff|Amb):' /proc/$(daemon_pid)/status)"
	check "the daemon negotiates" wait_for 20 INSTALLED ike left list
	check "the daemon logs to syslog, tagged iked[PID]" \
		wait_for 5 "<30>.*iked\[[0-9]+\]: net: CHILD SA installed" cat "$iked_dir/syslog"
	pid=$(daemon_pid)
	cp "$iked_dir/left.conf" "$iked_dir/left.conf.good"
	echo "bogus_key = 1" >>"$iked_dir/left.conf"
	kill -HUP "$pid"
	check "SIGHUP with a broken file: the daemon logs why to syslog" \
		wait_for 5 "iked\[$pid\]: reload: .*left.conf" cat "$iked_dir/syslog"
	check "... and that the running configuration stays" \
		wait_for 5 "iked\[$pid\]: reload: .*the running configuration stays" cat "$iked_dir/syslog"
	cp "$iked_dir/left.conf.good" "$iked_dir/left.conf"
	check "... which still has its CHILD SA" wait_for 5 INSTALLED ike left list
	kill -TERM $pid
	check "SIGTERM ends the daemon" wait_until 10 sh -c "! kill -0 $pid"
	check "... and it says so in syslog" wait_for 5 "iked\[$pid\]: iked stopped" cat "$iked_dir/syslog"
	kill "$syslog_pid"
	wait "$syslog_pid" 2>/dev/null
	rm -f /dev/log
fi

# No sanitizer report from any iked, from start to exit.
iked_stop left
iked_stop right
check "no AddressSanitizer or LeakSanitizer report from iked" \
	sh -c "! grep -h -A20 'Sanitizer' '$iked_dir'/*.log ${asan_dir:+'$asan_dir'/asan-daemon*} 2>/dev/null"
[ -z "${asan_dir:-}" ] || rm -rf "$asan_dir"
done_testing
