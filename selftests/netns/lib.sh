# SPDX-License-Identifier: GPL-2.0
# Helpers of the netns selftests (sourced). Each test file is one topic; it
# prints a TAP line per case ("ok N - what" / "not ok N - what") and exits
# non-zero if any case failed.

NFESP_TOP=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
IPSECCTL=${IPSECCTL:-build/userspace/ipsecctl}
[[ $IPSECCTL == /* ]] || IPSECCTL=$NFESP_TOP/$IPSECCTL
NFESP_VERSION=$(sed -n 's/^#define NFESP_VERSION "\(.*\)"/\1/p' "$NFESP_TOP/kmod/version.h")
ns_prefix=nfesp-$$
# Python in a namespace runs without its site module (in_ns and in_ns_bg
# add -S), whose .pth files cost 0.4 s a start on the debug kernel under
# TCG; Debian's packages stay importable. Not a function around python3:
# "python3 ... &" would then make $! a subshell, and killing it would
# leave Python running.
export PYTHONPATH=/usr/lib/python3/dist-packages${PYTHONPATH:+:$PYTHONPATH}
tests_run=0
tests_failed=0
namespaces=()

ok() {
	tests_run=$((tests_run + 1))
	echo "ok $tests_run - $*"
}

not_ok() {
	tests_run=$((tests_run + 1))
	tests_failed=$((tests_failed + 1))
	echo "not ok $tests_run - $*"
}

# check WHAT CMD...: a case that passes when CMD exits 0; its output is
# shown only when it fails. A test ([) runs in this shell: a subshell to
# hold its output is a process (a tenth of a second on the debug kernel).
check() {
	local what=$1 out
	shift
	case $1 in
	test | \[)
		if "$@"; then
			ok "$what"
		else
			not_ok "$what"
			echo "#   $ $*"
		fi
		return
		;;
	esac
	if out=$("$@" 2>&1); then
		ok "$what"
	else
		not_ok "$what"
		echo "#   $ $*"
		[ -z "$out" ] || sed 's/^/#   /' <<<"$out"
	fi
}

# expect_output WHAT PATTERN CMD...: CMD's output (stdout and stderr) must
# match the extended regular expression PATTERN, whatever its exit status.
expect_output() {
	local what=$1 pattern=$2 out
	shift 2
	out=$("$@" 2>&1)
	if matches "$pattern" "$out"; then
		ok "$what"
	else
		not_ok "$what"
		echo "#   $ $*"
		echo "#   wanted: /$pattern/"
		sed 's/^/#   got: /' <<<"$out"
	fi
}

# matches PATTERN TEXT: a line of TEXT matches the extended regular
# expression PATTERN, as grep -qE says. A short TEXT is looked at in bash:
# on the debug kernel under TCG each grep started costs a third of a second.
# grep itself judges a long TEXT, and a PATTERN that bash's regcomp refuses
# but grep takes (a "{" that starts no interval, say).
matches() {
	local pattern=$1 line rc
	[ "${#2}" -lt 65536 ] || { grep -qE -- "$pattern" <<<"$2"; return; }
	while IFS= read -r line; do
		[[ $line =~ $pattern ]]
		rc=$?
		[ "$rc" != 0 ] || return 0
		[ "$rc" != 2 ] || { grep -qE -- "$pattern" <<<"$2"; return; }
	done <<<"$2"
	return 1
}

# expect_status WHAT STATUS CMD...
expect_status() {
	local what=$1 want=$2 got
	shift 2
	"$@" >/dev/null 2>&1
	got=$?
	if [ "$got" = "$want" ]; then
		ok "$what"
	else
		not_ok "$what"
		echo "#   $ $*: exit status $got, wanted $want"
	fi
}

# expect_refusal WHAT STATUS PATTERN CMD...: CMD (run once) fails with
# STATUS, and says why in words that match PATTERN.
expect_refusal() {
	local what=$1 status=$2 pattern=$3 out got
	shift 3
	out=$("$@" 2>&1)
	got=$?
	if [ "$got" = "$status" ]; then
		ok "$what: exit status $status"
	else
		not_ok "$what: exit status $status"
		echo "#   $ $*: exit status $got, wanted $status"
	fi
	if matches "$pattern" "$out"; then
		ok "$what: says why"
	else
		not_ok "$what: says why"
		echo "#   $ $*"
		echo "#   wanted: /$pattern/"
		sed 's/^/#   got: /' <<<"$out"
	fi
}

# ns_add NAME: a network namespace (a test host), removed at exit.
ns_add() {
	ip netns add "$ns_prefix-$1" || return 1
	namespaces+=("$ns_prefix-$1")
	ip -n "$ns_prefix-$1" link set lo up
}

# in_ns NAME CMD...: runs CMD in the namespace NAME. ip and ipsecctl
# enter it themselves (ip -n, ipsecctl -N): one program started, not two.
in_ns() {
	local ns=$ns_prefix-$1
	shift
	case "$1" in
	ip) shift; ip -n "$ns" "$@" ;;
	"$IPSECCTL") shift; "$IPSECCTL" -N "$ns" "$@" ;;
	python3) shift; ip netns exec "$ns" python3 -S "$@" ;;
	*) ip netns exec "$ns" "$@" ;;
	esac
}

# in_ns_bg NAME CMD...: runs CMD in the namespace in the background, as
# the process $! names, so that killing $! ends it. Not inside check():
# check waits for the end of all output, which CMD would hold open.
in_ns_bg() {
	local ns=$1
	shift
	[ "$1" != python3 ] || set -- python3 -S "${@:2}"
	exec ip netns exec "$ns_prefix-$ns" "$@" &
}

# ns_link NS1 NS2 [ADDR1 ADDR2]...: a veth pair, v-NS2 in NS1 and v-NS1
# in NS2, up, with each pair of addresses (prefix included) on its ends.
# Each end is configured by one ip (a batch).
ns_link() {
	local a=$1 b=$2 batch_a="" batch_b="" dad
	shift 2
	ip link add "v-$b" netns "$ns_prefix-$a" type veth peer name "v-$a" \
		netns "$ns_prefix-$b" || return 1
	while [ $# -ge 2 ]; do
		dad=""	# IPv6 addresses usable at once
		[[ $1 != *:* ]] || dad=nodad
		batch_a+="addr add $1 dev v-$b $dad"$'\n'
		batch_b+="addr add $2 dev v-$a $dad"$'\n'
		shift 2
	done
	in_ns "$a" ip -batch - <<<"${batch_a}link set v-$b up" &&
		in_ns "$b" ip -batch - <<<"${batch_b}link set v-$a up"
}

# link_stat NS DEV NAME: a counter of DEV as sysfs names it (rx_packets,
# tx_dropped, ...), from one ip rather than ip netns exec and cat.
link_stat() {
	local words dir="" names=() i
	while read -r -a words; do
		case ${words[0]:-} in
		RX: | TX:)
			dir=${words[0]%:}
			names=("${words[@]:1}")
			;;
		*)
			[ -n "$dir" ] || continue
			for i in "${!names[@]}"; do
				[ "${dir,,}_${names[i]}" != "$3" ] || echo "${words[i]}"
			done
			dir=""
			;;
		esac
	done < <(ip -n "$ns_prefix-$1" -s link show dev "$2")
}

# nap SECONDS: sleep(1) without starting it: a read that times out on a
# pipe no one writes to.
nap() {
	[ -n "${nap_fd:-}" ] || exec {nap_fd}<> <(:)
	read -r -t "$1" -u "$nap_fd"
	return 0
}

# wait_until SECONDS CMD...: until CMD succeeds.
wait_until() {
	local secs=$1 i
	shift
	for ((i = 0; i < secs * 5; i++)); do
		"$@" >/dev/null 2>&1 && return 0
		nap 0.2
	done
	echo "waited $secs s for: $*"
	return 1
}

# has_line REGEX FILE: a line of FILE matches the extended regular
# expression REGEX; read in bash (where wait_until polls it, no grep is
# started each time).
has_line() {
	local line
	[ -r "$2" ] || return 1
	while IFS= read -r line || [ -n "$line" ]; do
		[[ $line =~ $1 ]] && return 0
	done <"$2"
	return 1
}

ns_del() {
	ip netns del "$ns_prefix-$1"
	local i
	for i in "${!namespaces[@]}"; do
		[ "${namespaces[$i]}" != "$ns_prefix-$1" ] || unset "namespaces[$i]"
	done
}

cleanup() {
	local ns
	for ns in "${namespaces[@]}"; do
		ip netns del "$ns" 2>/dev/null
	done
}

# Ends the file: the plan line, and the exit status.
done_testing() {
	echo "1..$tests_run"
	[ "$tests_failed" = 0 ]
}

trap cleanup EXIT
