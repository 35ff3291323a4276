#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# SAs: every command of "ipsecctl sa", every algorithm, the refusals (each
# leaving the configuration as it was), namespaces, privilege, big dumps.
. "$(dirname "$0")/lib.sh"
SA_COUNT=${NFESP_TEST_SA_COUNT:-2000}

ns_add a
ns_add b
ipsecctl() { in_ns a "$IPSECCTL" "$@"; }
key20=0x0102030405060708090a0b0c0d0e0f1011121314
key36=0x$(printf '%072d' 36)
key48=0x$(printf '%096d' 48)
key64=0x$(printf '%0128d' 64)
v4="src 192.0.2.1 dst 192.0.2.2"
v6="src 2001:db8::1 dst 2001:db8::2"
count() { ipsecctl sa list | grep -c '^src '; }

# One SA per algorithm, both families.
check "add aes128gcm16, tunnel, every option" ipsecctl sa add $v4 spi 0x1000 \
	mode tunnel enc aes128gcm16 key $key20 replay-window 4096 esn reqid 7 \
	encap udp sport 4500 dport 4500 soft-bytes 1000 hard-bytes 2000 \
	soft-packets 10 hard-packets 20 soft-time 3000 hard-time 6000 \
	soft-use-time 10 hard-use-time 20
check "add aes256gcm12 over IPv6" ipsecctl sa add $v6 spi 0x1001 mode transport \
	enc aes256gcm12 key $key36
check "add chacha20poly1305" ipsecctl sa add $v4 spi 0x1002 mode transport \
	enc chacha20poly1305 key $key36
check "add aes128-sha256" ipsecctl sa add $v6 spi 0x1003 mode tunnel \
	enc aes128-sha256 key $key48
check "add aes256-sha256" ipsecctl sa add $v4 spi 0x1004 mode transport \
	enc aes256-sha256 key $key64
check "add by the kernel's name, with an ICV length" ipsecctl sa add $v4 spi 0x1005 \
	mode transport enc 'rfc4106(gcm(aes))' key $key20 icv 64
expect_output "six SAs listed" "^6$" count
# The replay window: RFC 4303 3.4.3's default of 64 when none is given;
# 0 (numbers must only grow) when asked for.
expect_output "no replay window given: 64" "replay-window 64$" \
	ipsecctl sa get dst 192.0.2.2 spi 0x1002
check "replay-window 0 is taken" ipsecctl sa add $v4 spi 0x1010 mode transport \
	enc aes128gcm16 key $key20 replay-window 0
expect_output "... and kept" "replay-window 0$" ipsecctl sa get dst 192.0.2.2 spi 0x1010
ipsecctl sa del dst 192.0.2.2 spi 0x1010
expect_output "the kernel name shows as its proposal name" \
	"enc aes128gcm8 icv 64" ipsecctl sa get dst 192.0.2.2 spi 0x1005
for alg in aes256gcm12 chacha20poly1305 aes128-sha256 aes256-sha256; do
	expect_output "$alg is listed with its driver" "enc $alg icv 128 driver [^ ?]+|enc $alg icv 96 driver [^ ?]+" \
		ipsecctl sa list
done
# The CPU's own AES driver: AES-NI on x86, the ARMv8 Crypto Extensions'.
case $(uname -m) in
aarch64) aes_driver=aes-ce ;;
*) aes_driver=aesni ;;
esac
expect_output "AES-GCM runs on the CPU's AES driver ($aes_driver)" \
	"enc aes128gcm16 icv 128 driver .*$aes_driver" \
	ipsecctl sa get dst 192.0.2.2 spi 0x1000
expect_output "get shows every option" \
	"replay-window 4096 esn.*encap udp sport 4500 dport 4500.*lifetime soft-bytes 1000 hard-bytes 2000 soft-packets 10 hard-packets 20 soft-time 3000 hard-time 6000 soft-use-time 10 hard-use-time 20" \
	sh -c "ip netns exec $ns_prefix-a $IPSECCTL sa get dst 192.0.2.2 spi 0x1000 | tr '\n\t' '  '"
expect_output "no key without -k" "^0$" sh -c \
	"ip netns exec $ns_prefix-a $IPSECCTL sa list | grep -c key"
expect_output "-k shows the key as it was given" "key $key20\$" \
	ipsecctl -k sa get dst 192.0.2.2 spi 0x1000
expect_output "-s shows the SA's counters" "stats in_packets 0 in_bytes 0" \
	ipsecctl -s sa get dst 192.0.2.2 spi 0x1000
expect_output "-j lists JSON with stable keys" "^6 4096 aes128gcm16 4500 True$" sh -c \
	"ip netns exec $ns_prefix-a $IPSECCTL -j sa list | python3 -c 'import json,sys; l=json.load(sys.stdin); s=l[0]; print(len(l), s[\"spi\"], s[\"enc\"], s[\"encap\"][\"sport\"], s[\"esn\"])'"

# Refusals: the exit status, a message naming the problem, nothing changed.
# Everything but the age, which moves on by itself.
config() { ipsecctl -k sa list | grep -v '	current '; }
before=$(config)
refused() { expect_refusal "$1" "$2" "$3" ipsecctl sa "${@:4}"; }
refused "an existing SA" 1 "exists" add $v4 spi 0x1000 mode tunnel enc aes128gcm16 key $key20
refused "a missing key" 2 "needs src, enc and key" add $v4 spi 0x2000 mode tunnel enc aes128gcm16
refused "a short key" 2 "key for aes128gcm16 must be 20 bytes \(16-byte key \+ 4-byte salt\), not 16" \
	add $v4 spi 0x2000 mode tunnel enc aes128gcm16 key 0x$(printf '%032d' 1)
refused "a wrong key length, seen by the kernel" 1 "NFESP_SA_A_KEY: wrong length" \
	add $v4 spi 0x2000 mode tunnel enc 'rfc4106(gcm(aes))' key 0x$(printf '%034d' 1)
refused "an ICV length the algorithm lacks" 1 "NFESP_SA_A_ICV_BITS" \
	add $v4 spi 0x2000 mode tunnel enc 'rfc7539esp(chacha20,poly1305)' key $key36 icv 96
refused "an unknown algorithm" 2 'enc "3des-md5" is unknown' \
	add $v4 spi 0x2000 mode tunnel enc 3des-md5 key $key20
refused "a reserved SPI" 2 'spi "255" is not an SPI' \
	add $v4 spi 255 mode tunnel enc aes128gcm16 key $key20
refused "a bad address" 2 'dst "192.0.2.300" is not an IPv4 or IPv6 address' \
	add src 192.0.2.1 dst 192.0.2.300 spi 0x2000 mode tunnel enc aes128gcm16 key $key20
refused "mixed families" 2 "must both be IPv4 or both IPv6" \
	add src 192.0.2.1 dst 2001:db8::2 spi 0x2000 mode tunnel enc aes128gcm16 key $key20
refused "a replay window too big" 2 'replay-window "40000" is not 0 to 32768' \
	add $v4 spi 0x2000 mode tunnel enc aes128gcm16 key $key20 replay-window 40000
refused "ESN without a replay window" 1 "NFESP_SA_F_ESN needs a replay window" \
	add $v4 spi 0x2000 mode tunnel enc aes128gcm16 key $key20 esn replay-window 0
refused "a word given twice" 2 '"spi" is given twice' \
	add $v4 spi 0x2000 spi 0x2001 mode tunnel enc aes128gcm16 key $key20
refused "an unknown word" 2 '"colour" is unknown here' \
	add $v4 spi 0x2000 mode tunnel enc aes128gcm16 key $key20 colour blue
refused "a soft limit above the hard one" 1 "soft limit is above its hard limit" \
	add $v4 spi 0x2000 mode tunnel enc aes128gcm16 key $key20 soft-bytes 10 hard-bytes 5
refused "a bad key" 2 "key is not 0x" add $v4 spi 0x2000 mode tunnel enc aes128gcm16 key 0102
refused "update of a fixed field" 2 '"sa update" does not take "enc"' \
	update dst 192.0.2.2 spi 0x1000 enc aes256gcm16
refused "update of a missing SA" 1 "no SA with this" update dst 192.0.2.2 spi 0x9999 hard-time 5
refused "update with a bad limit" 1 "soft limit is above" update dst 192.0.2.2 spi 0x1000 soft-time 7000
refused "delete of a missing SA" 1 "no SA with this" del dst 192.0.2.2 spi 0x9999
refused "get without spi" 2 "needs dst and spi" get dst 192.0.2.2
if [ "$(config)" = "$before" ]; then
	ok "the refusals changed nothing"
else
	not_ok "the refusals changed nothing"
	diff <(echo "$before") <(config) | sed 's/^/#   /'
fi
expect_output "the kernel refuses a mode change by update, by name" \
	"^error EINVAL: SA_UPDATE changes only" in_ns a "$NFESP_TOP/selftests/netns/genl.py" \
	SA_UPDATE SA=$(python3 -c '
import struct
def a(t, d): return struct.pack("HH", 4 + len(d), t) + d + b"\0" * (-len(d) % 4)
print((a(2, struct.pack("H", 2)) + a(3, bytes([192, 0, 2, 2])) +
       a(4, struct.pack("I", 0x1000)) + a(6, b"\x02")).hex())')

# Update keeps the SA and changes what it may.
check "update src and limits" ipsecctl sa update dst 192.0.2.2 spi 0x1000 \
	src 192.0.2.9 soft-time 5000 hard-time 10000
expect_output "the update shows" "src 192.0.2.9 dst 192.0.2.2 .*soft-time 5000 hard-time 10000" \
	sh -c "ip netns exec $ns_prefix-a $IPSECCTL sa get dst 192.0.2.2 spi 0x1000 | tr '\n\t' '  '"

# Namespaces do not see each other's SAs.
expect_output "another namespace has no SA" "^0$" sh -c \
	"ip netns exec $ns_prefix-b $IPSECCTL sa list | grep -c '^src '"
check "the same SA can exist in another namespace" in_ns b "$IPSECCTL" sa add $v4 \
	spi 0x1000 mode tunnel enc aes128gcm16 key $key20

# Privilege: nothing for a caller without CAP_NET_ADMIN, keys least of all.
nobody="setpriv --reuid=65534 --regid=65534 --clear-groups"
expect_output "unprivileged list is refused" "Operation not permitted" \
	in_ns a $nobody "$IPSECCTL" -k sa list
expect_output "unprivileged add is refused" "Operation not permitted" \
	in_ns a $nobody "$IPSECCTL" sa add $v4 spi 0x3000 mode tunnel enc aes128gcm16 key $key20
expect_output "... and added nothing" "^6$" count

check "delete" ipsecctl sa del dst 192.0.2.2 spi 0x1000
expect_output "five left" "^5$" count
check "flush" ipsecctl sa flush
expect_output "none left" "^0$" count
expect_output "the other namespace kept its SA" "^1$" sh -c \
	"ip netns exec $ns_prefix-b $IPSECCTL sa list | grep -c '^src '"

# Without a mode, as ip xfrm: transport.
check "an SA without a mode" ipsecctl sa add $v4 spi 0x3000 enc aes128gcm16 key $key20
expect_output "... is transport mode" 'spi 0x00003000 mode transport' ipsecctl sa list
ipsecctl sa del dst 192.0.2.2 spi 0x3000

# Big dumps: many netlink messages, every SA exactly once.
check "add $SA_COUNT SAs" in_ns a python3 "$NFESP_TOP/selftests/netns/bulk.py" sa "$SA_COUNT"
expect_output "list returns all $SA_COUNT, each once" "^$SA_COUNT $SA_COUNT\$" sh -c \
	"ip netns exec $ns_prefix-a $IPSECCTL sa list | awk '/^src/ { n++; seen[\$6]++ } END { print n, length(seen) }'"
expect_output "-j list returns all $SA_COUNT" "^$SA_COUNT\$" sh -c \
	"ip netns exec $ns_prefix-a $IPSECCTL -j sa list | python3 -c 'import json,sys; print(len(json.load(sys.stdin)))'"
# Left in place: deleting the namespace (then unloading) must free them all.
check "delete a namespace holding $SA_COUNT SAs" ns_del a

done_testing
