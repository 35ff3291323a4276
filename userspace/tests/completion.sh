#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The bash completion of ipsecctl and iked (userspace/completion/): what a
# Tab offers after a line, and that it knows every object and algorithm
# ipsecctl's own help names (so the two cannot drift apart).
. "$(dirname "$0")/../../selftests/netns/lib.sh"
trap - EXIT
dir=$(cd "$(dirname "$0")/../completion" && pwd)
# shellcheck source=/dev/null
. "$dir/ipsecctl"
# shellcheck source=/dev/null
. "$dir/iked"

# offers LINE: what Tab offers at the end of LINE, one line, sorted.
offers() {
	local line=$1
	read -r -a COMP_WORDS <<<"$line"
	[[ $line == *" " ]] && COMP_WORDS+=("")
	COMP_CWORD=$((${#COMP_WORDS[@]} - 1))
	COMPREPLY=()
	"_${COMP_WORDS[0]}"
	printf '%s\n' "${COMPREPLY[@]}" | LC_ALL=C sort | tr '\n' ' ' | sed 's/ $//'
	echo
}

expect_output "the objects" '^help ike link monitor policy sa stats version$' offers "ipsecctl "
expect_output "a prefix: s" '^sa stats$' offers "ipsecctl s"
expect_output "the options" '^-N -V -f -h -j -k -n -s$' offers "ipsecctl -"
expect_output "after options, the objects still" '^help ike link' offers "ipsecctl -j -N blue "
expect_output "sa's commands" '^add allocspi del flush get help list update$' offers "ipsecctl sa "
expect_output "sa add's keywords" ' enc .*if-id key .*soft-time .*spi src$' offers "ipsecctl sa add src 192.0.2.1 "
expect_output "the algorithms" '^aes128-sha256 aes128gcm12 aes128gcm16 aes128gcm8 aes256-sha256 ' \
	offers "ipsecctl sa add enc a"
expect_output "a mode" '^transport tunnel$' offers "ipsecctl sa add mode "
expect_output "an SA's directions" '^in out$' offers "ipsecctl sa add dir "
expect_output "a policy's directions" '^fwd in out$' offers "ipsecctl -j policy add dir "
expect_output "an action" '^bypass discard protect$' offers "ipsecctl policy add dir out action "
expect_output "policy del's keywords: the selector and the device" '^dev dir dport dst if-id proto sport src$' \
	offers "ipsecctl policy del "
expect_output "nothing to offer for an address" '^$' offers "ipsecctl sa add src "
expect_output "link's commands" '^add del help list$' offers "ipsecctl link "
expect_output "ike's commands" '^certs down help leases list list-conns log rekey reload up$' offers "ipsecctl ike "
expect_output "ike log's levels" '^debug info$' offers "ipsecctl ike log "
conf=$(mktemp)
trap 'rm -f "$conf"' EXIT
printf '[global]\nretries = 2\n[site-b]\nlocal = 192.0.2.1\n  [rw.1]\n' >"$conf"
export NFESP_IKED_CONF=$conf
# With COMPLETION_IKED_CONNS, an iked answers at NFESP_IKED_SOCKET
# (iked.sh runs this file so): its connections, not the file's.
if [ -n "${COMPLETION_IKED_CONNS:-}" ]; then
	expect_output "iked's connections, asked of iked" "^$COMPLETION_IKED_CONNS\$" offers "ipsecctl ike up "
else
	export NFESP_IKED_SOCKET=/nonexistent/iked.sock
	expect_output "iked's connections for ike up, from its file (not [global])" '^rw.1 site-b$' \
		offers "ipsecctl ike up "
fi
expect_output "... for ike rekey, then ike" '^ike socket$' offers "ipsecctl ike rekey site-b "
expect_output "iked's options" '^-S -d -f -n -u -v$' offers "iked -"
expect_output "iked -u: users" '^root$' offers "iked -u roo"

# Drift: every object and algorithm ipsecctl's help names is offered.
IPSECCTL=${IPSECCTL:?the ipsecctl to compare with}
objects=$("$IPSECCTL" help | sed -n 's/^OBJECT := { \(.*\) }$/\1/p' | tr -d '|' | tr -s ' ' '\n' | LC_ALL=C sort | tr '\n' ' ')
expect_output "the objects of ipsecctl help" "^${objects% }\$" offers "ipsecctl "
algs=$("$IPSECCTL" sa help | sed -n 's/^ALG := \(.*\), or the kernel.*/\1/p' | tr -d ',' | tr -s ' ' '\n' | LC_ALL=C sort | tr '\n' ' ')
expect_output "the algorithms of ipsecctl sa help" "^${algs% }\$" offers "ipsecctl sa add enc "

done_testing
