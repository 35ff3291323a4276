# SPDX-License-Identifier: GPL-2.0
# iked in the ESP topology (sourced after lib.sh and esp_lib.sh).
IKED=${IKED:-build/userspace/iked}
[[ $IKED == /* ]] || IKED=$NFESP_TOP/$IKED
# Give up on a silent peer after 1+2 s, not 31 s ([global]'s retries, in
# every configuration iked_conf writes; $iked_global adds settings).
iked_retries=2
iked_global=
# IKED_TEST_KEEP=DIR: the logs and configurations are copied there at the end.
iked_dir=$(mktemp -d)
declare -A iked_pid

# iked_conf NS NAME KEY=VALUE...: writes NS's configuration, [global] and
# one connection; of a key given twice, the last value counts.
# iked_conf_add adds a connection to it.
iked_conf() {
	{
		printf '[global]\nretries = %s\n' "$iked_retries"
		[ -z "$iked_global" ] || printf '%s\n' "$iked_global"
		conn_section "${@:2}"
	} >"$iked_dir/$1.conf"
	# It holds the key: iked refuses a file everyone can read.
	chmod 600 "$iked_dir/$1.conf"
}
# iked_tunnel_conf NS KEY=VALUE...: NS's end of the tunnel "net" between
# left's and right's inner addresses (keys given override these).
iked_tunnel_conf() {
	local ns=$1 peer
	shift
	[ "$ns" = left ] && peer=right || peer=left
	iked_conf "$ns" net local="${esp_addr[$ns,4]}" remote="${esp_addr[$peer,4]}" \
		local_id=$ns.example.org remote_id=$peer.example.org psk=iked-test-secret \
		local_ts="${esp_addr[$ns,inner4]}/32" remote_ts="${esp_addr[$peer,inner4]}/32" \
		"$@"
}
iked_conf_add() {
	conn_section "${@:2}" >>"$iked_dir/$1.conf"
}
conn_section() {
	local name=$1 kv key
	local -A val=()
	local -a order=()
	shift
	for kv in "$@"; do
		key=${kv%%=*}
		[ -n "${val[$key]+set}" ] || order+=("$key")
		val[$key]=${kv#*=}
	done
	echo "[$name]"
	for key in "${order[@]}"; do
		echo "$key = ${val[$key]}"
	done
}

# iked_start NS: runs iked in NS with its configuration; log in $iked_dir/NS.log.
iked_start() {
	local i
	rm -f "$iked_dir/$1.sock"
	in_ns_bg "$1" "$IKED" -v -f "$iked_dir/$1.conf" -S "$iked_dir/$1.sock" \
		>>"$iked_dir/$1.log" 2>&1
	iked_pid[$1]=$!
	# Under AddressSanitizer and TCG a start takes seconds.
	for i in $(seq 200); do
		[ -S "$iked_dir/$1.sock" ] && return 0
		nap 0.1
	done
	echo "iked in $1 did not start:"
	cat "$iked_dir/$1.log"
	return 1
}

# iked_stop NS [SIGNAL]
iked_stop() {
	[ -n "${iked_pid[$1]:-}" ] || return 0
	kill "-${2:-TERM}" "${iked_pid[$1]}" 2>/dev/null
	wait "${iked_pid[$1]}" 2>/dev/null
	unset "iked_pid[$1]"
}

# check_here WHAT CMD...: check, with CMD run in this shell, not a
# subshell: for CMDs that start daemons whose PIDs must be kept.
check_here() {
	local what=$1
	shift
	if "$@" >"$iked_dir/check.out" 2>&1; then
		ok "$what"
	else
		not_ok "$what"
		sed 's/^/#   /' "$iked_dir/check.out"
	fi
}

ike() {
	local ns=$1
	shift
	in_ns "$ns" env NFESP_IKED_SOCKET="$iked_dir/$ns.sock" "$IPSECCTL" ike "$@"
}

# ping_esp SRC DST [COUNT]: pings from left, and checks with left's nfesp
# counters that the pings went out and the replies came back in ESP.
ping_esp() {
	local src=$1 dst=$2 n=${3:-3} out0 in0
	out0=$(nfesp_counter left out_packets)
	in0=$(nfesp_counter left in_packets)
	in_ns left ping -q -c "$n" -i 0.2 -W 2 -I "$src" "$dst" || return 1
	[ $(($(nfesp_counter left out_packets) - out0)) -ge "$n" ] &&
		[ $(($(nfesp_counter left in_packets) - in0)) -ge "$n" ] ||
		{ echo "the pings did not all go in ESP"; return 1; }
}

# wait_for SECONDS PATTERN CMD...: until CMD's output matches.
wait_for() {
	local secs=$1 pattern=$2 i
	shift 2
	for i in $(seq $((secs * 5))); do
		"$@" 2>&1 | grep -qE -- "$pattern" && return 0
		nap 0.2
	done
	echo "waited $secs s for /$pattern/ from $*; last:"
	"$@" 2>&1
	return 1
}

# sniff_udp NS DEV PORT MATCH FILE: in the background ($! is its PID), the
# payload of the first UDP datagram to PORT seen on NS's DEV for which the
# Python expression MATCH over the payload d holds, written to FILE.
sniff_udp() {
	in_ns_bg "$1" python3 -c '
import socket, struct, sys
dev, port, match, out = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4]
s = socket.socket(socket.AF_PACKET, socket.SOCK_DGRAM, socket.htons(0x0800))
s.bind((dev, 0))
while True:
    p = s.recv(65535)
    ihl = (p[0] & 15) * 4
    d = p[ihl + 8:]
    if p[9] == 17 and struct.unpack("!H", p[ihl + 2:ihl + 4])[0] == port and eval(match):
        open(out, "wb").write(d)
        break' "$2" "$3" "$4" "$5" >/dev/null 2>&1
}

# slow_path on|off: 200 ms each way between left and right, so that two
# requests sent at once cross on the wire.
slow_path() {
	local ns
	for ns in left right; do
		if [ "$1" = on ]; then
			in_ns $ns tc qdisc add dev veth0 root netem delay 200ms
		else
			in_ns $ns tc qdisc del dev veth0 root
		fi
	done
}

# ike_spis: of a listing (iked's or swanctl's) on stdin, the SPI pairs of the
# established IKE SAs, one a line.
ike_spis() {
	grep ESTABLISHED | grep -oE '[0-9a-f]{16}_i\*? [0-9a-f]{16}_r\*?' | tr -d '*'
}

iked_cleanup() {
	local ns
	for ns in "${!iked_pid[@]}"; do
		iked_stop "$ns"
	done
	if [ "${tests_failed:-0}" != 0 ]; then
		for ns in "$iked_dir"/*.log; do
			[ -f "$ns" ] || continue
			echo "# ${ns##*/}:"
			sed 's/^/#   /' "$ns"
		done
	fi
	[ -z "${IKED_TEST_KEEP:-}" ] || cp -r "$iked_dir" "$IKED_TEST_KEEP/"
	rm -rf "$iked_dir"
	cleanup
}
trap iked_cleanup EXIT
