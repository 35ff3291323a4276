# SPDX-License-Identifier: GPL-2.0
# What the benchmark scripts run in the VM share (sourced after
# netns/lib.sh and netns/esp_lib.sh): configuring nfesp or XFRM the same
# way, and measuring what iperf3 gets through. The caller sets $secs (each
# measurement's length) and keeps $servers (the iperf3 servers' PIDs).

bench_log() {
	echo "bench: $*" >&2
}

# apply IMPL NS: the configuration on stdin goes into NS by IMPL's own
# tool, as one batch. A batch that takes longer than $install_limit
# seconds is stopped and fails: XFRM files each policy it cannot hash
# (prefixes shorter than its thresholds) in a list that every insertion
# walks, so 100,000 such policies take far longer under TCG. That figure is
# then missing from the table, and the log says why.
install_limit=120
apply() {
	if [ "$1" = nfesp ]; then
		in_ns "$2" timeout $install_limit "$IPSECCTL" -f -
	else
		in_ns "$2" timeout $install_limit ip -batch -
	fi
	local rc=$?
	[ $rc != 124 ] || bench_log "$1: the batch took over $install_limit s and was stopped"
	return $rc
}

# protect IMPL ALG MODE: both hosts protect IPv4 between them with IMPL.
protect() {
	esp_clear
	"${1}_side" left "$2" "$3" 4 4 0x100 0x101 &&
	"${1}_side" right "$2" "$3" 4 4 0x101 0x100
}

# rate KIND DST [PORT]: Mbit/s that reached DST in $secs seconds. KIND:
# tcp, tcp8 (8 streams), udp1400, udp64 (UDP as fast as it goes, datagrams
# of that size; what arrived counts, not what was sent).
rate() {
	local args=()
	case $1 in
	tcp8) args=(-P 8) ;;
	udp*) args=(-u -b 0 -l "${1#udp}") ;;
	esac
	# (iperf3 warns that 1400 bytes exceed the MSS of its TCP control
	# connection, which ESP shrinks; the datagrams themselves fit the MTU.)
	in_ns left timeout $((secs + 30)) iperf3 -c "$2" -p "${3:-5201}" \
		-t "$secs" -J "${args[@]}" 2> >(grep -v "exceeds TCP MSS" >&2) | python3 -c '
import json, sys
end = json.load(sys.stdin)["end"]
if "sum_received" in end:
    bps = end["sum_received"]["bits_per_second"]
else:  # UDP: the receiver counted what was lost
    bps = end["sum"]["bits_per_second"] * (1 - end["sum"]["lost_percent"] / 100)
print("%.1f" % (bps / 1e6))'
}

# iperf3 servers on right, ports 5201 up to 5200 + N.
start_servers() {
	local i
	for i in $(seq "$1"); do
		in_ns_bg right iperf3 -s -p $((5200 + i)) >/dev/null
		servers+=($!)
	done
	sleep 1
}

# route_clear: no tunnel device left (nfesp's or XFRM's), no SA or
# policy, and the tunnel flow's inner addresses routed over veth0 again.
route_clear() {
	local ns peer
	esp_clear
	for ns in left right; do
		[ $ns = left ] && peer=right || peer=left
		in_ns $ns ip link del tun0 2>/dev/null
		in_ns $ns ip route replace "${esp_addr[$peer,inner4]}/32" \
			via "${esp_addr[$peer,4]}" src "${esp_addr[$ns,inner4]}"
	done
}

# route_protect IMPL ALG: both hosts route the tunnel flow (IPv4 over
# IPv4) into a tunnel device tun0 of IMPL: nfesp's, its SAs bound to it,
# or an XFRM interface, its states and 0.0.0.0/0 policies of its if_id.
# MTU 1500 on both, so that 1,400-byte datagrams go whole.
route_protect() {
	local impl=$1 alg=$2 ns me peer from to out in
	route_clear
	for ns in left right; do
		if [ $ns = left ]; then
			me=${esp_addr[left,4]} peer=${esp_addr[right,4]} out=0x100 in=0x101
			from=${esp_addr[left,inner4]} to=${esp_addr[right,inner4]}
		else
			me=${esp_addr[right,4]} peer=${esp_addr[left,4]} out=0x101 in=0x100
			from=${esp_addr[right,inner4]} to=${esp_addr[left,inner4]}
		fi
		if [ "$impl" = nfesp ]; then
			in_ns $ns "$IPSECCTL" link add tun0 if-id 9 &&
				in_ns $ns "$IPSECCTL" -f - <<-BATCH || return 1
			sa add src $me dst $peer spi $out mode tunnel enc $alg key ${esp_key[$alg]} dir out dev tun0
			sa add src $peer dst $me spi $in mode tunnel enc $alg key ${esp_key[$alg]} replay-window 128 dir in dev tun0
			BATCH
		else
			# shellcheck disable=SC2046
			in_ns $ns ip link add tun0 type xfrm dev veth0 if_id 9 &&
			in_ns $ns ip xfrm state add src "$me" dst "$peer" proto esp spi $out \
				mode tunnel if_id 9 $(xfrm_alg "$alg") &&
			in_ns $ns ip xfrm state add src "$peer" dst "$me" proto esp spi $in \
				mode tunnel if_id 9 replay-window 128 $(xfrm_alg "$alg") &&
			in_ns $ns ip xfrm policy add src 0.0.0.0/0 dst 0.0.0.0/0 dir out if_id 9 \
				tmpl src "$me" dst "$peer" proto esp mode tunnel &&
			in_ns $ns ip xfrm policy add src 0.0.0.0/0 dst 0.0.0.0/0 dir in if_id 9 \
				tmpl src "$peer" dst "$me" proto esp mode tunnel || return 1
		fi
		in_ns $ns ip link set tun0 mtu 1500 up &&
			in_ns $ns ip route replace "$to/32" dev tun0 src "$from" || return 1
	done
}
