#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# iked on nfesp against strongSwan's charon on XFRM: iked as initiator and as
# responder, strongSwan's default proposals and an AEAD-only one, NAT-T forced
# through UDP 4500, rekeys both ways with traffic flowing, DELETE both ways,
# charon initiating with its default proposals, both ends rekeying the
# IKE SA at once, and a post-quantum preshared key (and another one
# refused).
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/esp_lib.sh"
. "$(dirname "$0")/iked_lib.sh"
. "$(dirname "$0")/swan_lib.sh"

esp_topology || exit 1
trap 'swan_stop; [ "$tests_failed" = 0 ] || sed "s/^/#   charon: /" "$iked_dir/charon.log"; iked_cleanup' EXIT

left_conf() {
	iked_conf left net local=192.0.2.1 remote=192.0.2.2 \
		local_id=left.example.org remote_id=right.example.org \
		psk=iked-test-secret local_ts=10.1.0.1/32 remote_ts=10.2.0.1/32 "$@"
}
ping_inner() {
	ping_esp 10.1.0.1 10.2.0.1
}
swan_no_sas() {
	! swanctl --list-sas | grep -q ESTABLISHED
}
installed_children() {
	ike left list | grep -c INSTALLED
}

# 1. iked initiates with its defaults; charon answers with strongSwan's.
left_conf start=start
swan_conf
check_here "charon starts with strongSwan's default proposals" swan_start right
check_here "iked starts and initiates" iked_start left
check "iked -> strongSwan: CHILD SA installed" wait_for 30 INSTALLED ike left list
check "strongSwan sees the CHILD SA" wait_for 10 INSTALLED swanctl --list-sas
check "iked -> strongSwan: ping through the tunnel" ping_inner
expect_output "strongSwan counts what nfesp sent" "in .*[1-9][0-9]* bytes, +[1-9]" swanctl --list-sas
expect_output "DELETE from iked: ipsecctl ike down" "net: going down" ike left down net
check "strongSwan removed the IKE SA" wait_until 10 swan_no_sas
iked_stop left

# 2. charon initiates an AEAD-only proposal; iked answers.
left_conf start=none ike=aes256gcm16-prfsha384-ecp384 esp=chacha20poly1305-x25519
swan_conf ike=aes256gcm16-prfsha384-ecp384 esp=chacha20poly1305-x25519
check "charon loads an AEAD-only configuration" swanctl --load-all --file "$iked_dir/swanctl.conf"
check_here "iked starts as responder" iked_start left
check "strongSwan -> iked: initiate" swanctl --initiate --child net --timeout 30
check "strongSwan -> iked: CHILD SA installed in nfesp" wait_for 10 INSTALLED ike left list
expect_output "iked shows the AEAD-only suite" "ESP: chacha20poly1305" ike left list
expect_output "iked shows the IKE suite" "aes256gcm16-prfsha384-ecp384" ike left list
check "strongSwan -> iked: ping through the tunnel" ping_inner

# 3. Rekeys with traffic flowing: strongSwan's CHILD (with PFS) and IKE
# rekeys, answered by iked.
ping_log=$iked_dir/ping.log
in_ns_bg left ping -q -c 60 -i 0.1 -I 10.1.0.1 10.2.0.1 >"$ping_log" 2>&1
ping_pid=$!
nap 1
old_spi=$(ike left list | awk '/^    in /{print $2}' | tr -d ,)
check "strongSwan rekeys the CHILD SA" swanctl --rekey --child net
check "iked took the new CHILD SA" wait_for 15 "the peer deleted CHILD SA $old_spi" cat "$iked_dir/left.log"
expect_output "... made with PFS (x25519), as the proposal asks" \
	"ESP: chacha20poly1305-x25519" ike left list
check "strongSwan rekeys the IKE SA" swanctl --rekey --ike net
check "iked took the new IKE SA" wait_for 15 "IKE SA rekeyed by the peer" cat "$iked_dir/left.log"
wait "$ping_pid"
expect_output "no packet lost while strongSwan rekeyed" " 0% packet loss" cat "$ping_log"
expect_output "one CHILD SA left after the rekey" "^1$" installed_children
check "ping over the rekeyed SAs" ping_inner

# 4. DELETE from strongSwan.
check "strongSwan terminates the IKE SA" swanctl --terminate --ike net --timeout 10
check "iked took the DELETE" wait_for 10 "no IKE SAs" ike left list
expect_output "nfesp has no SA left" "^$" in_ns left "$IPSECCTL" sa list
iked_stop left

# 5. NAT-T forced (encap = yes on strongSwan): IKE on 4500, ESP in UDP.
left_conf start=start
swan_conf encap=yes
check "charon reloads with encap = yes" swanctl --load-all --file "$iked_dir/swanctl.conf"
check_here "iked starts" iked_start left
check "NAT-T: CHILD SA installed, UDP-encapsulated" wait_for 30 "TUNNEL-in-UDP" ike left list
expect_output "NAT-T: the nfesp SA carries ESP in UDP 4500" "encap udp sport 4500 dport 4500" \
	in_ns left "$IPSECCTL" sa list
check "NAT-T: ping through the tunnel" ping_inner

# 6. iked rekeys (its CHILD lifetime is short) while traffic flows.
iked_stop left
swan_stop
left_conf start=start lifetime=12
swan_conf
check_here "charon restarts" swan_start right
check_here "iked starts with a 12 s CHILD lifetime" iked_start left
check "CHILD SA installed" wait_for 30 INSTALLED ike left list
in_ns_bg left ping -q -c 150 -i 0.1 -I 10.1.0.1 10.2.0.1 >"$ping_log" 2>&1
ping_pid=$!
check "iked rekeys the CHILD SA on the soft expiry" wait_for 20 "rekeying CHILD SA" cat "$iked_dir/left.log"
check "iked deleted the old CHILD SA" wait_for 15 "CHILD SA 0x[0-9a-f]+/0x[0-9a-f]+ deleted" cat "$iked_dir/left.log"
wait "$ping_pid"
expect_output "no packet lost while iked rekeyed" " 0% packet loss" cat "$ping_log"

# 7. charon initiates with strongSwan's default proposals (34 and 36
# transforms); then both ends rekey the IKE SA at once across a 400 ms path
# (RFC 7296 2.8.2): charon and iked agree on which new IKE SA goes, the
# other keeps the CHILD SA, and traffic flows on.
one_shared_ike_sa() {
	local ours theirs
	ours=$(ike left list | ike_spis)
	theirs=$(swanctl --list-sas | ike_spis)
	[ -n "$ours" ] && [ "$(wc -l <<<"$ours")" = 1 ] && [ "$ours" = "$theirs" ]
}
iked_stop left
left_conf start=none
check_here "iked starts as responder" iked_start left
check "strongSwan -> iked with strongSwan's defaults" swanctl --initiate --child net --timeout 30
check "CHILD SA installed" wait_for 10 INSTALLED ike left list
# Their first proposal that ours match, as charon chooses from ours.
expect_output "iked chose from strongSwan's default proposals" \
	"^  aes128-sha256-prfsha256-x25519$" ike left list
old_ike=$(ike left list | ike_spis)
slow_path on
in_ns_bg left ping -q -c 60 -i 0.1 -I 10.1.0.1 10.2.0.1 >"$ping_log" 2>&1
ping_pid=$!
nap 1
swanctl --rekey --ike net >/dev/null &
ike left rekey net ike >/dev/null
wait $!
check "simultaneous IKE rekeys: iked resolves the collision by the nonces" \
	wait_for 15 "IKE SA rekey collision: (our|the peer's) new IKE SA has the lowest nonce" \
	cat "$iked_dir/left.log"
check "one IKE SA left, the same on both ends" wait_until 20 one_shared_ike_sa
check_here "... and a new one" test "$(ike left list | ike_spis)" != "$old_ike"
wait "$ping_pid"
slow_path off
expect_output "no packet lost across the colliding rekeys" " 0% packet loss" cat "$ping_log"
expect_output "one CHILD SA, on the surviving IKE SA" "^1$" installed_children
check "strongSwan rekeys the CHILD SA over it" swanctl --rekey --child net
check "... and iked takes it" wait_for 15 "the peer deleted CHILD SA" cat "$iked_dir/left.log"
check "ping after it all" ping_inner

# 8. A post-quantum preshared key (RFC 8784), required on both ends.
iked_stop left
swan_conf ppk_id=pq-1 ppk_required=yes
check "charon loads a connection that requires a PPK" \
	swanctl --load-all --file "$iked_dir/swanctl.conf"
left_conf start=start ppk="$swan_ppk" ppk_id=pq-1 ppk_required=yes
check_here "iked starts with the PPK and initiates" iked_start left
check "CHILD SA installed with a PPK" wait_for 30 INSTALLED ike left list
expect_output "iked says the IKE SA has a PPK" "with a PPK" ike left list
check "charon used the PPK" grep -q "using PPK for PPK_ID 'pq-1'" "$iked_dir/charon.log"
check "ping through it" ping_inner

# 9. Another PPK under the same ID: charon initiates, iked refuses it.
swanctl --terminate --ike net --timeout 10 >/dev/null 2>&1
iked_stop left
left_conf start=none ppk=0x0102030405060708090a0b0c0d0e0f10 ppk_id=pq-1 ppk_required=yes
check_here "iked starts as responder with another PPK" iked_start left
swanctl --initiate --child net --timeout 10 >/dev/null 2>&1
check "iked says the PSK or the PPK differs" \
	wait_for 10 "AUTHENTICATION_FAILED: .* and PPK: one of them differs" cat "$iked_dir/left.log"
no_sa_either() {
	swan_no_sas && [ -z "$(in_ns left "$IPSECCTL" sa list)" ]
}
check "no SA on either side" wait_until 10 no_sa_either
done_testing
