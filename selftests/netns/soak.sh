#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The soak: for NFESP_SOAK_SECS (120; 1800 by hand), iperf3 both ways
# through a tunnel while SAs and policies are updated, deleted and added
# again, flushed, and namespaces with their own configuration come and go;
# then the module is unloaded with the namespaces alive. The kernel's
# checkers judge it; the traffic must have flowed, and kept flowing.
#   NFESP_SOAK_SECS=1800 selftests/vm/run --cpus 2 --timeout 2400 \
#       env IPSECCTL=build/userspace/ipsecctl selftests/in-vm soak.sh
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/esp_lib.sh"

secs=${NFESP_SOAK_SECS:-120}
esp_topology || exit 1
report=$(mktemp -d)
trap 'kill $server $client 2>/dev/null; rm -rf "$report"; cleanup' EXIT
configure() {
	nfesp_side left aes128gcm16 tunnel 4 4 0xa001 0xa002 &&
	nfesp_side right aes128gcm16 tunnel 4 4 0xa002 0xa001
}
check "configured" configure
check "traffic passes" in_ns left ping -q -c 2 -W 5 10.2.0.1

in_ns_bg right iperf3 -s -1 -B 10.2.0.1 >/dev/null 2>&1
server=$!
nap 1
in_ns_bg left iperf3 -c 10.2.0.1 --bidir -t "$secs" -J >"$report/iperf.json" 2>&1
client=$!

rounds=0 spares=0
end=$((SECONDS + secs))
while [ $SECONDS -lt $end ]; do
	rounds=$((rounds + 1))
	in_ns left "$IPSECCTL" sa update dst 192.0.2.2 spi 0xa001 \
		soft-bytes $((rounds * 1000000)) || break
	in_ns left "$IPSECCTL" policy update dir out src 10.1.0.1 dst 10.2.0.1 \
		action protect mode tunnel tsrc 192.0.2.1 tdst 192.0.2.2 reqid 1 \
		priority $((rounds % 50)) || break
	case $((rounds % 4)) in
	1)	# the inbound SA replaced under traffic
		in_ns right "$IPSECCTL" sa del dst 192.0.2.2 spi 0xa001 &&
		in_ns right "$IPSECCTL" sa add src 192.0.2.1 dst 192.0.2.2 \
			spi 0xa001 mode tunnel enc aes128gcm16 \
			key "${esp_key[aes128gcm16]}" reqid 1 replay-window 128 || break ;;
	2)	# everything flushed and configured again
		esp_clear && configure || break ;;
	3)	# a namespace of its own comes and goes
		spares=$((spares + 1))
		ns_add "spare$spares" &&
		in_ns "spare$spares" "$IPSECCTL" sa add src 192.0.2.9 dst 192.0.2.10 \
			spi 0x100 mode tunnel enc aes128gcm16 key "${esp_key[aes128gcm16]}" &&
		in_ns "spare$spares" "$IPSECCTL" policy add dir out src 10.9.0.0/24 \
			dst 10.10.0.0/24 action discard &&
		ns_del "spare$spares" || break ;;
	esac
done
check "$rounds rounds of changes in ${secs} s, none refused" test $SECONDS -ge $end
wait "$client"
check "traffic still passes afterwards" in_ns left ping -q -c 2 -W 5 10.2.0.1
for dir in sent received; do
	bytes=$(python3 -c 'import json, sys
e = json.load(open(sys.argv[1]))["end"]
print(int(e["sum_%s" % sys.argv[2]]["bytes"] + e["sum_%s_bidir_reverse" % sys.argv[2]]["bytes"]))' \
		"$report/iperf.json" "$dir" 2>&1)
	check "iperf3 both ways: $bytes bytes $dir" test "${bytes:-0}" -gt 0
done
n_out=$(nfesp_counter left out_packets)
n_in=$(nfesp_counter right in_packets)
check "right took in no more than left sent ($n_in of $n_out)" test "$n_in" -le "$n_out" -a "$n_in" -gt 0
ip netns pids "$ns_prefix-right" | xargs -r kill
ip netns pids "$ns_prefix-left" | xargs -r kill
check "the module unloads with the namespaces alive" bash -c \
	"for i in \$(seq 50); do modprobe -r nfesp 2>/dev/null && exit 0; sleep 0.2; done; exit 1"
check "... and loads again" modprobe nfesp
done_testing
