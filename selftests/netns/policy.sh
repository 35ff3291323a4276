#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Policies: every command of "ipsecctl policy", the refusals (each leaving
# the configuration as it was), namespaces, many policies.
. "$(dirname "$0")/lib.sh"
POL_COUNT=${NFESP_TEST_POLICY_COUNT:-2000}

ns_add a
ipsecctl() { in_ns a "$IPSECCTL" "$@"; }
count() { ipsecctl policy list | grep -c '^dir '; }

check "protect, tunnel mode, with ports" ipsecctl policy add dir out \
	src 10.1.0.0/24 dst 10.2.0.0/24 proto tcp dport 22 action protect \
	priority 5 mode tunnel tsrc 192.0.2.1 tdst 192.0.2.2 reqid 7
check "protect, transport mode, IPv6" ipsecctl policy add dir in \
	src 2001:db8::1 dst 2001:db8::2 action protect mode transport
check "bypass IKE" ipsecctl policy add dir in src 0.0.0.0/0 proto udp dport 500 action bypass
check "discard, fwd" ipsecctl policy add dir fwd dst 10.9.0.0/16 action discard priority 100
check "an IPv6 tunnel template for an IPv4 selector" ipsecctl policy add dir out \
	src 10.3.0.0/16 dst 10.4.0.0/16 action protect mode tunnel \
	tsrc 2001:db8::1 tdst 2001:db8::2
expect_output "five policies" "^5$" count
expect_output "get shows the policy and its template" \
	"dir out src 10.1.0.0/24 dst 10.2.0.0/24 proto tcp dport 22 priority 5 action protect	mode tunnel tsrc 192.0.2.1 tdst 192.0.2.2 reqid 7" \
	sh -c "ip netns exec $ns_prefix-a $IPSECCTL policy get dir out src 10.1.0.0/24 dst 10.2.0.0/24 proto tcp dport 22 | tr -d '\n'"
expect_output "an absent address shows as any" "dir in src 0.0.0.0/0 dst 0.0.0.0/0 proto udp dport 500" \
	ipsecctl policy list
expect_output "a prefix is stored masked" "dst 10.9.0.0/16" ipsecctl policy list
expect_output "-j lists JSON" "^5 out 22 tunnel 192.0.2.2$" sh -c \
	"ip netns exec $ns_prefix-a $IPSECCTL -j policy list | python3 -c 'import json,sys; l=json.load(sys.stdin); p=l[0]; print(len(l), p[\"dir\"], p[\"dport\"], p[\"mode\"], p[\"tdst\"])'"
expect_output "-s shows a policy's counters" "stats in_packets 0" \
	ipsecctl -s policy get dir fwd dst 10.9.0.0/16

config() { ipsecctl policy list; }
before=$(config)
refused() { expect_refusal "$1" "$2" "$3" ipsecctl policy "${@:4}"; }
refused "an existing policy" 1 "exists" add dir out src 10.1.0.0/24 dst 10.2.0.0/24 \
	proto tcp dport 22 action bypass
refused "no direction" 2 "needs dir" add src 10.0.0.0/8 action bypass
refused "a bad direction" 2 'dir "sideways" is unknown' add dir sideways src 10.0.0.0/8 action bypass
refused "no action" 2 "needs an action" add dir out src 10.0.0.0/8
refused "tunnel without endpoints" 2 "mode tunnel needs tsrc and tdst" \
	add dir out src 10.0.0.0/8 action protect mode tunnel
refused "a template for bypass" 2 "for action protect only" \
	add dir out src 10.0.0.0/8 action bypass mode transport
refused "ports without a protocol" 2 "need proto tcp, udp or sctp" add dir out src 10.0.0.0/8 dport 80 action bypass
refused "ports with icmp" 2 "need proto tcp, udp or sctp" \
	add dir out src 10.0.0.0/8 proto icmp dport 80 action bypass
refused "a bad prefix" 2 'src "10.0.0.0/40" is not an address or prefix' add dir out src 10.0.0.0/40 action bypass
refused "mixed families" 2 "must all be IPv4 or all IPv6" add dir out src 10.0.0.0/8 dst 2001:db8::/32 action bypass
refused "an unknown protocol" 2 'proto "gre2" is unknown' add dir out src 10.0.0.0/8 proto gre2 action bypass
refused "a word given twice" 2 '"src" is given twice' add dir out src 10.0.0.0/8 src 10.0.0.0/9 action bypass
refused "delete of a missing policy" 1 "no policy with this direction and selector" del dir in src 10.0.0.0/8
refused "update of a missing policy" 1 "no policy with this" update dir in src 10.0.0.0/8 action bypass
refused "get with an action" 2 "takes only dir and the selector" get dir out src 10.0.0.0/8 action bypass
if [ "$(config)" = "$before" ]; then
	ok "the refusals changed nothing"
else
	not_ok "the refusals changed nothing"
	diff <(echo "$before") <(config) | sed 's/^/#   /'
fi
expect_output "the kernel refuses a port without a protocol, by name" \
	"^error EINVAL: .*NFESP_POL_A_SPORT/DPORT need NFESP_POL_A_PROTO" \
	in_ns a "$NFESP_TOP/selftests/netns/genl.py" POLICY_ADD POLICY=$(python3 -c '
import struct
def a(t, d): return struct.pack("HH", 4 + len(d), t) + d + b"\0" * (-len(d) % 4)
print((a(2, b"\x02") + a(3, struct.pack("H", 2)) + a(10, struct.pack("H", 80)) +
       a(11, b"\x02")).hex())')

check "update: discard becomes bypass with a priority" ipsecctl policy update \
	dir fwd dst 10.9.0.0/16 action bypass priority 7
expect_output "the update shows" "dst 10.9.0.0/16 priority 7 action bypass" ipsecctl policy list
check "delete" ipsecctl policy del dir in src 2001:db8::1 dst 2001:db8::2
expect_output "four left" "^4$" count
check "flush" ipsecctl policy flush
expect_output "none left" "^0$" count

# Without a mode, as ip xfrm: transport; tunnel where tunnel ends are given.
check "protect without a mode" ipsecctl policy add dir out src 10.5.0.0/16 action protect
check "... and with tunnel ends alone" ipsecctl policy add dir out src 10.6.0.0/16 \
	action protect tsrc 192.0.2.1 tdst 192.0.2.2
expect_output "... transport mode by default" 'src 10.5.0.0/16 .*mode transport' \
	bash -c "ip netns exec $ns_prefix-a $IPSECCTL policy list | tr '\n\t' '  ' | sed 's/dir /\ndir /g'"
expect_output "... tunnel mode with tunnel ends" 'src 10.6.0.0/16 .*mode tunnel' \
	bash -c "ip netns exec $ns_prefix-a $IPSECCTL policy list | tr '\n\t' '  ' | sed 's/dir /\ndir /g'"
refused "one tunnel end alone" 2 "mode tunnel needs tsrc and tdst" \
	add dir out src 10.7.0.0/16 action protect tsrc 192.0.2.1
ipsecctl policy flush

check "add $POL_COUNT policies" in_ns a python3 "$NFESP_TOP/selftests/netns/bulk.py" policy "$POL_COUNT"
expect_output "list returns all $POL_COUNT, each once" "^$POL_COUNT $POL_COUNT\$" sh -c \
	"ip netns exec $ns_prefix-a $IPSECCTL policy list | awk '/^dir/ { n++; seen[\$6]++ } END { print n, length(seen) }'"
check "delete a namespace holding $POL_COUNT policies" ns_del a

done_testing
