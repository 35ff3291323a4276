#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Events: ipsecctl monitor sees changes and time-limit EXPIREs (soft: once,
# a rekey is due; hard: the SA is deleted).
. "$(dirname "$0")/lib.sh"

ns_add a
ipsecctl() { in_ns a "$IPSECCTL" "$@"; }
key20=0x0102030405060708090a0b0c0d0e0f1011121314
out=$(mktemp)
jout=$(mktemp)
trap 'rm -f "$out" "$jout"; cleanup' EXIT

in_ns a timeout 60 "$IPSECCTL" monitor count 6 >"$out" 2>&1 &
text_pid=$!
in_ns a timeout 60 "$IPSECCTL" -j monitor count 6 >"$jout" 2>&1 &
json_pid=$!
sleep 3	# both listening (the debug kernel under TCG is slow to start them)
ipsecctl sa add src 192.0.2.1 dst 192.0.2.2 spi 0x1000 mode tunnel enc aes128gcm16 \
	key $key20 soft-time 2 hard-time 4
ipsecctl sa add src 192.0.2.1 dst 192.0.2.2 spi 0x2000 mode tunnel enc aes128gcm16 \
	key $key20
ipsecctl policy add dir out src 10.1.0.0/16 action bypass
ipsecctl policy del dir out src 10.1.0.0/16
# wait, here and not in check's subshell, which has no children to wait for
for m in text:$text_pid JSON:$json_pid; do
	if wait "${m#*:}"; then
		ok "the ${m%:*} monitor ends after its count"
	else
		not_ok "the ${m%:*} monitor ends after its count"
	fi
done
# Changes come in the order they were made; the timed EXPIREs wherever their
# time falls, but soft before hard.
expect_output "changes in order" "^sa add,sa add,policy add,policy delete,\$" \
	sh -c "grep -oE '^(sa|policy) (add|delete)' '$out' | tr '\n' ','"
expect_output "expire soft, then hard" "^expire soft,expire hard,\$" \
	sh -c "grep -oE '^expire (soft|hard)' '$out' | tr '\n' ','"
expect_output "an expire names its SA" "^expire soft: src 192.0.2.1 dst 192.0.2.2 spi 0x00001000" \
	cat "$out"
expect_output "events carry no keys" "^0$" sh -c "grep -c key '$out'"
expect_output "JSON events, one a line" "^expire hard 4096/expire soft 4096/policy add out/policy delete out/sa add 4096/sa add 8192/\$" \
	python3 -c '
import json, sys
out = []
for line in open(sys.argv[1]):
    e = json.loads(line)
    obj = e.get("sa") or e.get("policy")
    out.append("%s %s/" % (e["event"], obj.get("spi") or obj.get("dir")))
print("".join(sorted(out)))' "$jout"
expect_output "the hard limit deleted the SA, not the other" "^spi 0x00002000$" sh -c \
	"ip netns exec $ns_prefix-a $IPSECCTL sa list | grep -o 'spi 0x[0-9a-f]*'"

# An update sets new limits; the soft warning can come again.
in_ns a timeout 60 "$IPSECCTL" monitor count 2 >"$out" 2>&1 &	# the update, its expire
mon=$!
nap 3
ipsecctl sa update dst 192.0.2.2 spi 0x2000 soft-time 1 hard-time 600
wait "$mon"
expect_output "an update's new soft limit fires" "^expire soft: .*spi 0x00002000" cat "$out"
expect_status "monitor count 0 is refused" 2 ipsecctl monitor count 0

done_testing
