#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The how-tos run as written: every fenced block that a comment marks
# (`<!-- howto: NS [expect REGEX | wait REGEX | file PATH] -->`, or
# `<!-- howto: copy NS:PATH NS:PATH -->`) is run line by line in the
# namespace standing for that host (a is left, 192.0.2.1; b is right), in
# the page's order. Each host's /etc/nfesp is a directory of its own;
# `ipsecctl` and `iked` are the ones built; `systemctl enable --now iked`
# starts iked in the namespace. `expect` checks the block's output, `wait`
# reruns it until its output matches (20 s), `file` writes the block to
# PATH (mode 600); /etc/nfesp in a line or a file is the host's directory.
# `swanctl` starts strongSwan's charon in the host with the block as its
# swanctl.conf (swan_lib.sh).
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/esp_lib.sh"
. "$(dirname "$0")/iked_lib.sh"
. "$(dirname "$0")/swan_lib.sh"

pages=("$NFESP_TOP/Documentation/quickstart.md" "$NFESP_TOP/Documentation/route-based.md"
       "$NFESP_TOP/Documentation/troubleshooting.md" "$NFESP_TOP/Documentation/coming-from.md"
       "$NFESP_TOP/Documentation/site-to-site.md")
esp_topology || exit 1
# The pages route the LANs themselves.
in_ns left ip route del 10.2.0.1/32
in_ns left ip -6 route del fd02::1/128
in_ns right ip route del 10.1.0.1/32
in_ns right ip -6 route del fd01::1/128
# The ikeds the page's systemctl started.
stop_ikeds() {
	local host pid
	for host in a b; do
		pid=$(pgrep -f -- "-S $iked_dir/$host/iked.sock") && kill "$pid" && \
			while kill -0 "$pid" 2>/dev/null; do sleep 0.1; done
	done
}
trap 'stop_ikeds; swan_stop; [ "$tests_failed" = 0 ] || sed "s/^/#   iked: /" "$iked_dir"/[ab]/iked.log 2>/dev/null
	iked_cleanup; cleanup' EXIT

# Each host's tools and /etc/nfesp.
declare -A ns_of=([a]=left [b]=right)
bin=$iked_dir/bin
mkdir -p "$bin"
ln -s "$IPSECCTL" "$bin/ipsecctl"
ln -s "$IKED" "$bin/iked"
cat >"$bin/systemctl" <<'SH'
#!/bin/bash
# systemctl enable --now | start | restart | stop iked, in this namespace:
# iked from the host's /etc/nfesp, in the background, its log beside it.
stop() {
	local pid
	pid=$(pgrep -f -- "-S $NFESP_IKED_SOCKET") || return 0
	kill "$pid"
	while kill -0 "$pid" 2>/dev/null; do sleep 0.1; done
}
case "$*" in
"enable --now iked" | "start iked") ;;
"restart iked") stop ;;
"stop iked") stop; exit 0 ;;
*) echo "howto's systemctl knows only enable --now, start, restart and stop of iked" >&2; exit 1 ;;
esac
iked -f "$HOWTO_ETC/iked.conf" -S "$NFESP_IKED_SOCKET" >>"$HOWTO_ETC/../iked.log" 2>&1 &
for i in $(seq 200); do	# under ASan and TCG a start takes seconds
	[ -S "$NFESP_IKED_SOCKET" ] && exit 0
	sleep 0.1
done
echo "iked did not start"
cat "$HOWTO_ETC/../iked.log"
exit 1
SH
chmod +x "$bin/systemctl"

# on HOST CMD: a line of the page, run as its host would.
on() {
	local host=$1 etc=$iked_dir/$1/etc-nfesp
	shift
	in_ns "${ns_of[$host]}" env PATH="$bin:$PATH" HOWTO_ETC="$etc" \
		NFESP_IKED_SOCKET="$iked_dir/$host/iked.sock" \
		bash -c "${1//\/etc\/nfesp/$etc}"
}
# run_block HOST: the block's lines, one after the other; stops at one
# that fails.
run_block() {
	local host=$1 line
	while IFS= read -r line; do
		[ -n "$line" ] || continue
		on "$host" "$line" || { echo "failed: $line"; return 1; }
	done <<<"$block"
}
block_wait() {	# block_wait HOST REGEX
	local i
	for i in $(seq 20); do
		run_block "$1" 2>&1 | grep -qE -- "$2" && return 0
		nap 1
	done
	run_block "$1"
	return 1
}

for page in "${pages[@]}"; do
	name=${page##*/}
	# Each page starts from two bare hosts.
	stop_ikeds
	swan_stop
	esp_clear
	in_ns left ip route del 10.2.0.0/16 2>/dev/null
	in_ns right ip route del 10.1.0.0/16 2>/dev/null
	for host in a b; do
		rm -rf "${iked_dir:?}/$host"
		mkdir -p "$iked_dir/$host/etc-nfesp"
	done
	mark="" block="" in_block=""
	while IFS= read -r text; do
		if [[ $text =~ ^\<\!--\ howto:\ (.*)\ --\>$ ]]; then
			mark=${BASH_REMATCH[1]}
			if [[ $mark == copy\ * ]]; then
				read -r _ from to <<<"$mark"
				check "$name: copy ${from#*:} from ${from%%:*} to ${to%%:*}" \
					install -m 0600 "$iked_dir/${from%%:*}/etc-nfesp/${from#*:/etc/nfesp/}" \
					"$iked_dir/${to%%:*}/etc-nfesp/${to#*:/etc/nfesp/}"
				mark=
			fi
			continue
		fi
		if [[ $text == '```'* ]]; then
			if [ -z "$in_block" ]; then
				in_block=1 block=
				continue
			fi
			in_block=
			[ -n "$mark" ] || continue
			read -r host verb arg <<<"$mark"
			first=$(head -n 1 <<<"$block")
			case $verb in
			"") check "$name ($host): $first" run_block "$host" ;;
			expect) expect_output "$name ($host): $first" "$arg" run_block "$host" ;;
			wait) check "$name ($host): $first, until /$arg/" block_wait "$host" "$arg" ;;
			swanctl)	# charon with this swanctl.conf (swan_lib.sh's)
				printf '%s' "$block" >"$iked_dir/swanctl.conf"
				check_here "$name ($host): charon takes swanctl.conf" swan_start "${ns_of[$host]}"
				;;
			file)
				etc=$iked_dir/$host/etc-nfesp
				check "$name ($host): writes $arg" bash -c \
					"umask 077; cat >'$etc/${arg#/etc/nfesp/}'" <<<"${block//\/etc\/nfesp/$etc}"
				;;
			*) not_ok "$name: an unknown mark: $mark" ;;
			esac
			mark=
			continue
		fi
		[ -z "$in_block" ] || block+=$text$'\n'
	done <"$page"
	# What each page came to: A's traffic to B in ESP that iked keyed.
	case $name in
	quickstart.md) check "$name: the pings went in ESP" ping_esp 192.0.2.1 192.0.2.2 ;;
	route-based.md) check "$name: LAN to LAN in ESP, by the devices" ping_esp 10.1.0.1 10.2.0.1 ;;
	site-to-site.md) check "$name: LAN to LAN in ESP, by the policies" ping_esp 10.1.0.1 10.2.0.1 ;;
	esac
done

done_testing
