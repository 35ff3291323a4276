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
