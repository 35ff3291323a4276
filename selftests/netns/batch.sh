#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# ipsecctl -f (batches), -N (named namespaces), and writers that race.
. "$(dirname "$0")/lib.sh"

ns_add a
ns=$ns_prefix-a
ipsecctl() { in_ns a "$IPSECCTL" "$@"; }
key20=0x0102030405060708090a0b0c0d0e0f1011121314
file=$(mktemp)
trap 'rm -f "$file"; cleanup' EXIT

cat >"$file" <<BATCH
# two SAs and a policy
sa add src 192.0.2.1 dst 192.0.2.2 spi 0x1000 mode tunnel enc aes128gcm16 key $key20
sa add src 192.0.2.2 dst 192.0.2.1 spi 0x1001 mode tunnel enc aes128gcm16 key $key20
policy add dir out src 10.1.0.0/24 dst 10.2.0.0/24 action protect mode tunnel tsrc 192.0.2.1 tdst 192.0.2.2
BATCH
check "-N NETNS -f FILE applies a batch in that namespace" "$IPSECCTL" -N "$ns" -f "$file"
expect_output "both SAs are there" "^2$" sh -c "'$IPSECCTL' -N $ns sa list | grep -c '^src'"
expect_output "and the policy" "^1$" sh -c "'$IPSECCTL' -N $ns policy list | grep -c '^dir'"
expect_output "-N lists what ip netns exec lists" "^same$" sh -c \
	"[ \"\$('$IPSECCTL' -N $ns sa list | grep -v current)\" = \"\$(ip netns exec $ns '$IPSECCTL' sa list | grep -v current)\" ] && echo same"
expect_output "nothing of it in the namespace ipsecctl runs in" "^0$" sh -c \
	"'$IPSECCTL' sa list | grep -c '^src'"

cat >"$file" <<BATCH
sa add src 192.0.2.1 dst 192.0.2.3 spi 0x3000 mode tunnel enc aes128gcm16 key $key20
sa add src 192.0.2.1 dst 192.0.2.2 spi 0x1000 mode tunnel enc aes128gcm16 key $key20
sa add src 192.0.2.1 dst 192.0.2.3 spi 0x3001 mode tunnel enc aes128gcm16 key $key20
BATCH
out=$(ipsecctl -f "$file" 2>&1)
check "a batch whose line 2 the kernel refuses exits 1" test $? = 1
expect_output "... and names line 2" "$file:2: sa add: an SA with this .* exists" echo "$out"
expect_output "line 1 was applied, line 3 was not" "^spi 0x00003000 only$" sh -c \
	"ip netns exec $ns '$IPSECCTL' sa list | grep -o 'spi 0x0000300[01]' | sed 's/\$/ only/'"

# Two writers at once: every object lands, exactly once, and the lists agree.
bulk=$NFESP_TOP/selftests/netns/bulk.py
in_ns a python3 "$bulk" sa 500 0 &
p1=$!
in_ns a python3 "$bulk" sa 500 500 &
p2=$!
in_ns a python3 "$bulk" policy 500 0 &
p3=$!
in_ns a python3 "$bulk" policy 500 500 &
p4=$!
status=0
for p in $p1 $p2 $p3 $p4; do
	wait "$p" || status=1
done
check "four writers at once all succeed" test "$status" = 0
expect_output "1000 SAs from two writers, each once" "^1000 1000$" sh -c \
	"ip netns exec $ns '$IPSECCTL' sa list | awk '/^src/ && \$6 ~ /^0x0001/ { n++; seen[\$6]++ } END { print n, length(seen) }'"
expect_output "1001 policies, each once" "^1001 1001$" sh -c \
	"ip netns exec $ns '$IPSECCTL' policy list | awk '/^dir/ { n++; seen[\$4 \$6]++ } END { print n, length(seen) }'"

done_testing
