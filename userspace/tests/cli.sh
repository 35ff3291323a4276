#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# ipsecctl's command line, on the host (no module needed): help, errors
# that name the wrong word, exit statuses. Run under valgrind when
# VALGRIND=1, with the ipsecctl given in $IPSECCTL.
. "$(dirname "$0")/../../selftests/netns/lib.sh"
trap - EXIT
run=("$IPSECCTL")
[ -z "${VALGRIND:-}" ] || run=(valgrind -q --error-exitcode=99 --leak-check=full
	--errors-for-leak-kinds=definite "$IPSECCTL")

expect_status "-h exits 0" 0 "${run[@]}" -h
expect_output "-h shows the usage" "^Usage: ipsecctl " "${run[@]}" -h
expect_output "help is an object too" "OBJECT := " "${run[@]}" help
expect_status "no arguments is a usage error" 2 "${run[@]}"
expect_status "an unknown object exits 2" 2 "${run[@]}" frobnicate
expect_output "... and names the word" 'object "frobnicate" is unknown' \
	"${run[@]}" frobnicate
expect_status "an unknown option exits 2" 2 "${run[@]}" -z version
expect_output "... and names the option" 'option "-z" is unknown' \
	"${run[@]}" -z version
expect_output "extra words after version are refused" \
	'"version" takes no arguments, got "now"' "${run[@]}" version now
expect_output "stats knows only show" '"stats" knows only "show", not "clear"' \
	"${run[@]}" stats clear
expect_refusal "ike log needs a level" 2 'ike log: which level\? \(ipsecctl ike log info\|debug\)' \
	"${run[@]}" ike log
expect_refusal "... one it knows" 2 'ike log: level "loud" is unknown: info' "${run[@]}" ike log loud
expect_output "a prefix that fits several words is the first: s is sa" '"sa bogus" is unknown' \
	"${run[@]}" s bogus
expect_output "... st is stats" '"stats" knows only "show", not "bogus"' "${run[@]}" st bogus

# -n checks without a kernel; -f names the line that is wrong.
batch=$(mktemp)
trap 'rm -f "$batch"' EXIT
cat >"$batch" <<'BATCH'
# a comment, then a blank line

sa add src 192.0.2.1 dst 192.0.2.2 spi 0x1000 mode tunnel enc aes128gcm16 key 0x0102030405060708090a0b0c0d0e0f1011121314
policy add dir out src 10.1.0.0/24 dst 10.2.0.0/24 action protect mode tunnel tsrc 192.0.2.1 tdst 192.0.2.2
sa list
BATCH
expect_status "-n -f: a good file checks out" 0 "${run[@]}" -n -f "$batch"
expect_status "-n: one good command checks out" 0 "${run[@]}" -n policy add dir in src 10.0.0.0/8 action bypass
echo "sa add src 192.0.2.1 dst 192.0.2.2 spi 12 mode tunnel enc aes128gcm16 key 0x01" >>"$batch"
echo "policy add dir sideways src 10.0.0.0/8 action bypass" >>"$batch"
expect_status "-n -f: a bad file exits 2" 2 "${run[@]}" -n -f "$batch"
expect_output "... naming the first bad line" "$batch:6: spi \"12\" is not an SPI" \
	"${run[@]}" -n -f "$batch"
expect_output "... and the next one" "$batch:7: dir \"sideways\" is unknown" \
	"${run[@]}" -n -f "$batch"
expect_output "-f reads standard input" "^-:1: dir \"up\"|ipsecctl: -:1: dir \"up\" is unknown" \
	sh -c "echo 'policy add dir up' | '$IPSECCTL' -n -f -"
expect_status "-f of a missing file exits 2" 2 "${run[@]}" -f /nonexistent/batch
expect_output "... and says so" 'cannot read "/nonexistent/batch"' "${run[@]}" -f /nonexistent/batch
expect_status "-f with a command too exits 2" 2 "${run[@]}" -f "$batch" sa list
expect_output "-N of a missing namespace says so" 'network namespace "nfesp-none": No such file' \
	"${run[@]}" -N nfesp-none version
expect_status "-N without a name exits 2" 2 "${run[@]}" -N

# ipsecctl ike: its own usage errors, then iked unreachable, then two fake
# ikeds (a unix socket that gives one answer to whatever it is asked).
expect_status "ike without a command is a usage error" 2 "${run[@]}" ike
expect_output "... and shows the usage" "^Usage: ipsecctl ike { list | certs }" "${run[@]}" ike
expect_refusal "ike of an unknown command" 2 'ike: unknown command "bogus"' \
	"${run[@]}" ike bogus
expect_refusal "ike up without a name" 2 "which connection" "${run[@]}" ike up
expect_refusal "ike list without iked" 1 \
	"cannot reach iked at /nonexistent/x.sock" \
	"${run[@]}" ike list socket /nonexistent/x.sock
fake_dir=$(mktemp -d)
fake_pids=()
trap 'kill "${fake_pids[@]}" 2>/dev/null; rm -rf "$batch" "$fake_dir"' EXIT
# fake_iked SOCKET ANSWER: serves ANSWER to every client, in the background;
# ANSWER "ECHO": "OK" and the request's line, to see what was asked.
fake_iked() {
	python3 -c '
import socket, sys
s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
s.bind(sys.argv[1])
s.listen(8)
while True:
    c, _ = s.accept()
    line = c.recv(256)
    c.sendall(b"OK\n" + line if sys.argv[2] == "ECHO" else sys.argv[2].encode())
    c.close()' "$1" "$2" &
	fake_pids+=($!)
	local i
	for i in $(seq 50); do
		[ -S "$1" ] && return 0
		sleep 0.1
	done
	echo "# the fake iked at $1 did not start"
}
# ike_answer WHAT STATUS STDOUT STDERR CMD...: CMD's exit status, and its
# standard output and error each matched by a regular expression ("^$":
# empty).
ike_answer() {
	local what=$1 want=$2 want_out=$3 want_err=$4 got out err
	shift 4
	out=$("$@" 2>"$fake_dir/err")
	got=$?
	err=$(cat "$fake_dir/err")
	if [ "$got" = "$want" ] && grep -qE -- "$want_out" <<<"$out" &&
	   grep -qE -- "$want_err" <<<"$err"; then
		ok "$what"
		return
	fi
	not_ok "$what"
	echo "#   $ $*: exit status $got, wanted $want"
	sed 's/^/#   stdout: /' <<<"$out"
	sed 's/^/#   stderr: /' <<<"$err"
}
fake_iked "$fake_dir/err.sock" $'ERR\nno connection "x"\n'
fake_iked "$fake_dir/ok.sock" $'OK\nhello\n'
fake_iked "$fake_dir/echo.sock" ECHO
ike_answer "ike: iked's refusal exits 1, its reason on stderr" \
	1 '^$' '^ipsecctl: iked: no connection "x"$' \
	"${run[@]}" ike up x socket "$fake_dir/err.sock"
ike_answer "ike: iked's answer (socket from \$NFESP_IKED_SOCKET) on stdout, exit 0" \
	0 '^hello$' '^$' \
	env NFESP_IKED_SOCKET="$fake_dir/ok.sock" "${run[@]}" ike list
ike_answer "ike rekey NAME asks for the CHILD SAs' rekey" 0 '^rekey x$' '^$' \
	"${run[@]}" ike rekey x socket "$fake_dir/echo.sock"
ike_answer "ike rekey NAME ike asks for the IKE SA's" 0 '^rekey x ike$' '^$' \
	"${run[@]}" ike rekey x ike socket "$fake_dir/echo.sock"
k=0x0102030405060708090a0b0c0d0e0f1011121314
expect_refusal "sa add: dir is in or out" 2 'dir "fwd" is unknown: in or out' \
	"${run[@]}" -n sa add src 192.0.2.1 dst 192.0.2.2 spi 0x1000 mode tunnel enc aes128gcm16 key $k dir fwd
expect_refusal "sa add: if-id 0 is no interface id" 2 'if-id "0" is not an interface id' \
	"${run[@]}" -n sa add src 192.0.2.1 dst 192.0.2.2 spi 0x1000 mode tunnel enc aes128gcm16 key $k dir out if-id 0
expect_refusal "sa add: dev and if-id, not both" 2 '"dev or if-id" is given twice' \
	"${run[@]}" -n sa add src 192.0.2.1 dst 192.0.2.2 spi 0x1000 mode tunnel enc aes128gcm16 key $k dir out if-id 3 dev ipsec0
expect_refusal "sa update does not move an SA to a device" 2 '"sa update" does not take "dev or if-id"' \
	"${run[@]}" -n sa update dst 192.0.2.2 spi 0x1000 if-id 3
expect_status "sa add with dir out if-id: checks out" 0 \
	"${run[@]}" -n sa add src 192.0.2.1 dst 192.0.2.2 spi 0x1000 mode tunnel enc aes128gcm16 key $k dir out if-id 3
expect_status "policy add bound to a device: checks out" 0 \
	"${run[@]}" -n policy add dir out dst 10.2.0.0/16 if-id 3 action protect
expect_refusal "policy add: a device's policy is in or out" 2 "a device's policies are dir in or out" \
	"${run[@]}" -n policy add dir fwd dst 10.2.0.0/16 dev ipsec0 action protect
expect_refusal "... protect or discard, never bypass" 2 "a device's policy is protect or discard" \
	"${run[@]}" -n policy add dir out dst 10.2.0.0/16 if-id 3 action bypass
expect_refusal "... and has no template" 2 "mode, tsrc, tdst, reqid and spi are not for a device's policy" \
	"${run[@]}" -n policy add dir out dst 10.2.0.0/16 if-id 3 action protect reqid 4
expect_refusal "policy del: if-id 0 is no interface id" 2 'if-id "0" is not an interface id' \
	"${run[@]}" -n policy del dir out dst 10.2.0.0/16 if-id 0
expect_refusal "link add without a name" 2 '"link add" needs a device name' "${run[@]}" -n link add
expect_refusal "link add: a name too long for a device" 2 'longer than 15 characters' \
	"${run[@]}" -n link add ipsec-much-too-long
expect_refusal "link add: if-id needs a number" 2 'if-id needs a number above 0' \
	"${run[@]}" -n link add ipsec0 if-id zero
expect_refusal "link add: an unknown word" 2 '"speed" is unknown here' \
	"${run[@]}" -n link add ipsec0 speed 10
expect_refusal "link del takes only the name" 2 '"if-id" is unknown here' \
	"${run[@]}" -n link del ipsec0 if-id 3
expect_refusal "link: an unknown command" 2 '"link frob" is unknown' "${run[@]}" link frob
expect_refusal "ike rekey with a word after the name" 2 'ike rekey: unexpected "child"' \
	"${run[@]}" ike rekey x child socket "$fake_dir/echo.sock"

# Without the module (this host cannot load one) the tool still says its
# own version, then why it has no module's, and exits 1.
if ! modinfo nfesp >/dev/null 2>&1 && [ ! -d /sys/module/nfesp ]; then
	expect_status "no module: version exits 1" 1 "${run[@]}" version
	expect_output "... after printing its own version" "^ipsecctl $NFESP_VERSION\$" \
		"${run[@]}" version
	expect_output "... and says the module is missing" \
		"nfesp kernel module is not loaded" "${run[@]}" version
	expect_status "no module: stats exits 1" 1 "${run[@]}" stats
fi
done_testing
