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
