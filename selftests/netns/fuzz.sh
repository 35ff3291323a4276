#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Hostile input and failing memory. The netlink family under a fuzzer
# that knows it from its YNL spec (nlfuzz.py: every command, valid and
# mutated attributes, two processes at once, the family checked for sanity
# after each batch); then the same with the fuzzer's allocations failing
# at random (failslab, task-filtered); then ESP traffic with the packet
# path's allocations failing (fail_nfesp_pkt), in softirq too. Every
# failure must be a clean error or a counted drop; KASAN, lockdep and
# kmemleak judge the rest after the run. A long run by hand:
#   NFESP_FUZZ_MESSAGES=1000000 selftests/vm/run selftests/netns/run-all fuzz.sh
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/esp_lib.sh"

nlfuzz=$NFESP_TOP/selftests/netns/nlfuzz.py
count=${NFESP_FUZZ_MESSAGES:-10000}
ns_add fuzz || exit 1
# Every unknown algorithm name would run modprobe (a process: a second
# under TCG). The fuzzer's real ones are loaded first; then nothing is.
for alg in aes128gcm16 chacha20poly1305 aes128-sha256; do
	in_ns fuzz "$IPSECCTL" sa add src 192.0.2.1 dst 192.0.2.2 spi 0x100 \
		mode tunnel enc $alg key "${esp_key[$alg]}"
	in_ns fuzz "$IPSECCTL" sa flush
done
modprobe_path=$(cat /proc/sys/kernel/modprobe)
echo >/proc/sys/kernel/modprobe
trap 'echo "$modprobe_path" >/proc/sys/kernel/modprobe; cleanup' EXIT
out=$(in_ns fuzz python3 "$nlfuzz" --procs 2 "$count" 2>&1)
status=$?
sed 's/^/# /' <<<"$out"
check "$count fuzzed messages, the family sane after every batch" test "$status" = 0

debugfs=/sys/kernel/debug
failslab=$debugfs/failslab
pktfail=$debugfs/fail_nfesp_pkt
if [ ! -d "$failslab" ] || [ ! -d "$pktfail" ]; then
	ok "allocations made to fail # SKIP $(uname -r) has no fault injection"
	done_testing
	exit
fi
# set_fault DIR PROBABILITY [ATTR=VALUE...]: quiet, every time, unbounded.
set_fault() {
	local dir=$1 kv
	echo 0 >"$dir/verbose"
	echo 1 >"$dir/interval"
	echo -1 >"$dir/times"
	echo "$2" >"$dir/probability"
	shift 2
	for kv in "$@"; do
		echo "${kv#*=}" >"$dir/${kv%%=*}"
	done
}
trap 'echo 0 >$failslab/probability; echo 0 >$pktfail/probability
	echo "$modprobe_path" >/proc/sys/kernel/modprobe; esp_clear; cleanup' EXIT

set_fault "$failslab" 10 task-filter=Y ignore-gfp-wait=N
out=$(in_ns fuzz python3 "$nlfuzz" --procs 2 --batch 250 --fail 3000 2>&1)
status=$?
set_fault "$failslab" 0 task-filter=N
sed 's/^/# /' <<<"$out"
check "3000 fuzzed messages with one allocation in ten failing: no harm done" \
	test "$status" = 0
expect_output "... some of them were refused for memory" "ENOMEM [1-9]" echo "$out"
check "... and the family still works" in_ns fuzz "$IPSECCTL" sa add \
	src 192.0.2.1 dst 192.0.2.2 spi 0x1000 mode tunnel enc aes128gcm16 \
	key "${esp_key[aes128gcm16]}"

esp_topology || exit 1
check "a tunnel: left" nfesp_side left aes128gcm16 tunnel 4 4 0x8001 0x8002
check "a tunnel: right" nfesp_side right aes128gcm16 tunnel 4 4 0x8002 0x8001
before=$(nfesp_counter left drop_no_memory)
set_fault "$pktfail" 20
in_ns left ping -q -f -c 500 -W 1 10.2.0.1 >/dev/null 2>&1
set_fault "$pktfail" 0
after=$(nfesp_counter left drop_no_memory)
check "with one packet in five failing its allocation, they were counted ($before -> $after)" \
	test "$after" -gt "$before"
check "... and the tunnel carries traffic again" in_ns left ping -q -c 2 -W 5 10.2.0.1
done_testing
