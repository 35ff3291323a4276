#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The family driven by an independent client: the kernel's own YNL tools
# (tools/net/ynl, from Debian's linux-source-6.12, see selftests/ynl-tool)
# reading Documentation/netlink/specs/nfesp.yaml. What YNL writes, ipsecctl
# reads back, and the other way round; the spec must render the names and
# numbers of kmod/uapi/nfesp.h.
. "$(dirname "$0")/lib.sh"
export PYTHONDONTWRITEBYTECODE=1	# the unpacked ynl may be read-only
spec=$NFESP_TOP/Documentation/netlink/specs/nfesp.yaml
uapi=$NFESP_TOP/kmod/uapi/nfesp.h

# The arm64 guest's userland is made from arm64 packages, without the
# host's cache where ynl is unpacked; the ABI it checks is the same there.
if [ "$(uname -m)" = aarch64 ]; then
	echo "1..0 # SKIP the arm64 guest has no YNL tool; x86 runs this"
	exit 0
fi
# No YNL is a failure, not a skip: the test is part of the contract.
if ! ynl_cli=$("$NFESP_TOP/selftests/ynl-tool" 2>&1); then
	not_ok "the YNL CLI is unpacked (run selftests/ynl-tool on the host)"
	sed 's/^/#   /' <<<"$ynl_cli"
	done_testing
	exit
fi
ok "the YNL CLI is unpacked"
ynl_dir=$(dirname "$ynl_cli")
schema=$(cd "$ynl_dir/../../.." && pwd)/Documentation/netlink/genetlink-legacy.yaml

ns_add a
ipsecctl() { in_ns a "$IPSECCTL" "$@"; }
# The spec is checked against the schema once, below; then not each time.
ynl() { in_ns a python3 "$ynl_cli" --spec "$spec" --no-schema --output-json "$@"; }
# jpy EXPR...: prints the EXPRs of the JSON on stdin, bound to d.
jpy() { python3 -c "import json, sys; d = json.load(sys.stdin); print($1)"; }
key20=0102030405060708090a0b0c0d0e0f1011121314
key36=$(printf '%072d' 36)

# The spec itself: YNL's schema, its parser, its C generator.
check "the spec passes YNL's schema; every attribute set, op and event loads" \
	python3 -c '
import sys
sys.path.insert(0, sys.argv[1])
from lib.nlspec import SpecFamily
f = SpecFamily(sys.argv[2], sys.argv[3])
print(len(f.attr_sets), len(f.ops), len(f.ntfs))' "$ynl_dir" "$spec" "$schema"
# Every counter is in every stats nest: as many as the spec names.
nstats=$(python3 -c '
import sys
sys.path.insert(0, sys.argv[1])
from lib.nlspec import SpecFamily
f = SpecFamily(sys.argv[2], "")
print(sum(a.type != "pad" for a in f.attr_sets["stats"].attrs.values()))' "$ynl_dir" "$spec")

# ynl-gen-c renders the spec as a uapi header: it must hold the names of
# kmod/uapi/nfesp.h (but the *_UNSPEC and two helper defines it does not
# render), with their values as a C compiler sees them; the notifications'
# names (*_NTF) must carry their commands' values.
spec_renders_uapi() {
	local t status=0 h
	t=$(mktemp -d)
	mkdir -p "$t/Documentation/netlink/specs"
	touch "$t/MAINTAINERS"	# how ynl-gen-c finds a kernel tree's root
	ln -s "$schema" "$t/Documentation/netlink/"
	# It accepts only the kernel's uapi licence line; the copy has it.
	sed '1s/.*/# SPDX-License-Identifier: ((GPL-2.0 WITH Linux-syscall-note) OR BSD-3-Clause)/' \
		"$spec" >"$t/Documentation/netlink/specs/nfesp.yaml"
	if ! python3 "$ynl_dir/ynl-gen-c.py" --mode uapi --header \
		--spec "$t/Documentation/netlink/specs/nfesp.yaml" -o "$t/gen.h"; then
		rm -rf "$t"
		return 1
	fi
	names() {
		grep -oE '^(#define[[:space:]]+|[[:space:]]+)_*NFESP_[A-Z0-9_]+' "$1" |
			awk '{ print $NF }' | sort -u
	}
	names "$uapi" | grep -vE '_UNSPEC$|^NFESP_DIR_MAX$|^NFESP_STAT_FIRST$' >"$t/uapi.names"
	names "$t/gen.h" | grep -v '_NTF$' >"$t/gen.names"
	diff -u "$t/uapi.names" "$t/gen.names" || status=1
	# One program, built against either header: label and value per line.
	{
		echo '#include <stdio.h>'
		echo '#include HEADER'
		echo 'static void s(const char *n, const char *v) { printf("%s \"%s\"\n", n, v); }'
		echo 'static void i(const char *n, long long v) { printf("%s %lld\n", n, v); }'
		echo 'int main(void) {'
		sed 's/.*/_Generic((&), char *: s, default: i)("&", &);/' "$t/uapi.names"
		echo '#ifdef NTF'
		names "$t/gen.h" | sed -n 's/^\(.*\)_NTF$/i("\1", \1_NTF);/p'
		echo '#else'
		names "$t/gen.h" | sed -n 's/^\(.*\)_NTF$/i("\1", \1);/p'
		echo '#endif'
		echo 'return 0; }'
	} >"$t/values.c"
	for h in gen uapi; do
		if [ $h = gen ]; then
			set -- -DHEADER="\"$t/gen.h\"" -DNTF
		else
			set -- -DHEADER="\"$uapi\""
		fi
		gcc -std=gnu11 -Wall -Werror "$@" -o "$t/values-$h" "$t/values.c" &&
			"$t/values-$h" >"$t/$h.values" || status=1
	done
	diff -u "$t/uapi.values" "$t/gen.values" || status=1
	[ "$(wc -l <"$t/gen.values")" -gt 100 ] || status=1
	rm -rf "$t"
	return "$status"
}
check "the spec renders kmod/uapi/nfesp.h: every name, every number" spec_renders_uapi

expect_output "get-version is the module's version" "^\\{\"version\": \"$NFESP_VERSION\"\\}\$" \
	ynl --do get-version
stats() { ynl --do get-stats | jpy 'len(d["stats"]), sum(d["stats"].values()), d["stats"]["drop-expired"]'; }
expect_output "get-stats: every counter, all 0 in a new namespace" "^$nstats 0 0\$" stats

# An SA written by YNL, read by ipsecctl.
sa1='{"sa": {"family": 2, "src": "c0000201", "dst": "c0000202", "spi": 4096,
	"mode": "tunnel", "alg": "rfc4106(gcm(aes))", "key": "'$key20'",
	"replay-window": 1024, "flags": ["esn"], "reqid": 7,
	"encap": {"sport": 4500, "dport": 4500},
	"lifetime": {"soft-bytes": 1000, "hard-bytes": 2000, "soft-packets": 10,
		     "hard-packets": 20, "soft-add-secs": 3000, "hard-add-secs": 6000}}}'
expect_output "sa-add through YNL" "^null$" ynl --do sa-add --json "$sa1"
sa1_text() { ipsecctl -k sa get dst 192.0.2.2 spi 0x1000 | tr '\n\t' '  '; }
expect_output "ipsecctl sa get shows that SA, every field" \
	"^src 192.0.2.1 dst 192.0.2.2 spi 0x00001000 mode tunnel reqid 7  enc aes128gcm16 icv 128 driver [^ ]+  replay-window 1024 esn  encap udp sport 4500 dport 4500  key 0x$key20  lifetime soft-bytes 1000 hard-bytes 2000 soft-packets 10 hard-packets 20 soft-time 3000 hard-time 6000  current bytes 0 packets 0 " \
	sa1_text
sa1_json() {
	ipsecctl -j sa list | jpy '"%d %s %s %d %s %d %s %s %d %d %s %d %d %s" % (len(d),
		d[0]["src"], d[0]["dst"], d[0]["spi"], d[0]["mode"], d[0]["reqid"], d[0]["enc"],
		d[0]["kernel_alg"], d[0]["icv"], d[0]["replay_window"], d[0]["esn"],
		d[0]["encap"]["sport"], d[0]["lifetime"]["hard-time"], "key" in d[0])'
}
expect_output "ipsecctl -j sa list: that SA, only" \
	"^1 192.0.2.1 192.0.2.2 4096 tunnel 7 aes128gcm16 rfc4106\(gcm\(aes\)\) 128 1024 True 4500 6000 False$" \
	sa1_json

# An SA written by ipsecctl, read by YNL.
check "sa add through ipsecctl" ipsecctl sa add src 2001:db8::1 dst 2001:db8::2 spi 0x2000 \
	mode transport enc chacha20poly1305 key 0x$key36 replay-window 64 reqid 9 \
	soft-packets 5
# The SA of SPI 0x2000 in a YNL reply (do or dump), field by field.
sa2_fields() {
	python3 -c '
import json, sys
d = json.load(sys.stdin)
s = d["sa"] if isinstance(d, dict) else [x["sa"] for x in d if x["sa"]["spi"] == "0x2000"][0]
print(s["family"], s["src"], s["dst"], s["spi"], s["mode"], s["alg"], s["icv-bits"],
      s["key-len"], s["replay-window"], s["reqid"], sorted(s["flags"]),
      s["lifetime"]["soft-packets"], s["lifetime"]["hard-packets"], "key" in s,
      bool(s["driver"]), s["curlife"]["bytes"], len(s["stats"]))'
}
dump_sa2() { ynl --dump sa-get | sa2_fields; }
expect_output "YNL's sa-get dump reads it, every field" \
	"^10 2001:db8::1 2001:db8::2 0x2000 transport rfc7539esp\(chacha20,poly1305\) 128 36 64 9 \[\] 5 0 False True 0 $nstats\$" \
	dump_sa2
spis() { ynl --dump sa-get | jpy 'sorted(x["sa"]["spi"] for x in d)'; }
expect_output "the dump holds both SAs" "^\['0x1000', '0x2000'\]$" spis
get_sa2() {
	ynl --do sa-get --json '{"sa": {"family": 10, "dst": "20010db8000000000000000000000002",
		"spi": 8192}}' | sa2_fields
}
expect_output "YNL's sa-get reads one SA" \
	"^10 2001:db8::1 2001:db8::2 0x2000 transport rfc7539esp\(chacha20,poly1305\) 128 36 64 9 \[\] 5 0 False True 0 $nstats\$" \
	get_sa2
keys() {
	ynl --dump sa-get --json '{"show-keys": true}' |
		jpy '" ".join(x["sa"]["spi"] + "=" + x["sa"]["key"] for x in d)'
}
expect_output "show-keys gives the keys as they were given" "^0x1000=$key20 0x2000=$key36$" keys

# A policy written by YNL, read by ipsecctl.
pol1='{"policy": {"dir": "out", "family": 2, "src": "0a010000", "src-len": 24,
	"dst": "0a020000", "dst-len": 24, "proto": 6, "dport": 22,
	"action": "protect", "priority": 5,
	"tmpl": {"mode": "tunnel", "family": 2, "tsrc": "c0000201",
		 "tdst": "c0000202", "reqid": 7}}}'
expect_output "policy-add through YNL" "^null$" ynl --do policy-add --json "$pol1"
pol1_text() {
	ipsecctl policy get dir out src 10.1.0.0/24 dst 10.2.0.0/24 proto tcp dport 22 | tr '\n\t' '  '
}
expect_output "ipsecctl policy get shows that policy and its template" \
	"^dir out src 10.1.0.0/24 dst 10.2.0.0/24 proto tcp dport 22 priority 5 action protect  mode tunnel tsrc 192.0.2.1 tdst 192.0.2.2 reqid 7 $" \
	pol1_text
pol1_json() {
	ipsecctl -j policy list | jpy 'len(d), d[0]["dir"], d[0]["src"], d[0]["dst"], d[0]["proto"],
		d[0]["dport"], d[0]["priority"], d[0]["action"], d[0]["mode"], d[0]["tsrc"],
		d[0]["tdst"], d[0]["reqid"]'
}
expect_output "ipsecctl -j policy list: that policy, only" \
	"^1 out 10.1.0.0/24 10.2.0.0/24 6 22 5 protect tunnel 192.0.2.1 192.0.2.2 7$" \
	pol1_json

# A policy written by ipsecctl, read by YNL.
check "policy add through ipsecctl" ipsecctl policy add dir in src 2001:db8::/32 \
	dst 2001:db8:1::/48 proto udp sport 500 action bypass priority 3
pol2() {
	ynl --dump policy-get | python3 -c '
import json, sys
d = json.load(sys.stdin)
p = [x["policy"] for x in d if x["policy"]["dir"] == "in"][0]
print(len(d), p["family"], p["src"], p["src-len"], p["dst"], p["dst-len"], p["proto"],
      p["sport"], p["dport"], p["action"], p["priority"], "tmpl" in p, len(p["stats"]))'
}
expect_output "YNL's policy-get dump reads it, every field" \
	"^2 10 2001:db8:: 32 2001:db8:1:: 48 17 500 0 bypass 3 False $nstats\$" pol2
tmpl1() {
	ynl --do policy-get --json "$(jpy 'json.dumps({"policy": {k: v for k, v in d["policy"].items()
		if k not in ("action", "priority", "tmpl")}})' <<<"$pol1")" |
		jpy 'd["policy"]["action"], d["policy"]["tmpl"]'
}
expect_output "YNL's policy-get reads one policy and its template" \
	"^protect \{'mode': 'tunnel', 'reqid': 7, 'family': 2, 'tsrc': '192.0.2.1', 'tdst': '192.0.2.2'\}$" \
	tmpl1

# Refusals reach YNL with the kernel's words; nothing changes.
config() { ipsecctl -k sa list | grep -v '	current '; ipsecctl policy list; }
before=$(config)
no_dst='{"sa": {"family": 2, "src": "c0000201", "spi": 12288, "mode": "tunnel",
	"alg": "rfc4106(gcm(aes))", "key": "'$key20'"}}'
refused() { ynl "$@" 2>&1 | tr '\n' ' '; }
expect_status "sa-add without dst: YNL exits 1" 1 ynl --do sa-add --json "$no_dst"
expect_output "... with EINVAL and the kernel's message naming the attribute" \
	"^Netlink error: Invalid argument .*'msg': 'nfesp: NFESP_SA_A_DST is missing'" \
	refused --do sa-add --json "$no_dst"
output_only=$(jpy 'json.dumps(dict(d, sa=dict(d["sa"], spi=12288, driver="x")))' <<<"$sa1")
expect_output "an output-only attribute is refused by name, and YNL finds it in the request" \
	"^Netlink error: Invalid argument .*'msg': 'NFESP_SA_A_DRIVER is only sent by the kernel'.*'bad-attr': '.sa.driver'" \
	refused --do sa-add --json "$output_only"
expect_output "a policy without an action is refused by name" \
	"^Netlink error: Invalid argument .*'msg': 'nfesp: NFESP_POL_A_ACTION is missing'" \
	refused --do policy-add --json '{"policy": {"dir": "out", "family": 2}}'
expect_output "an unknown SA is ENOENT, with the kernel's words" \
	"^Netlink error: No such file or directory .*'msg': 'no SA with this NFESP_SA_A_DST and NFESP_SA_A_SPI'" \
	refused --do sa-get --json '{"sa": {"family": 2, "dst": "c0000202", "spi": 12288}}'
if [ "$(config)" = "$before" ]; then
	ok "the refusals changed nothing"
else
	not_ok "the refusals changed nothing"
	diff <(echo "$before") <(config) | sed 's/^/#   /'
fi

# Update, SPI allocation and delete through YNL.
check "sa-update through YNL" ynl --do sa-update --json '{"sa": {"family": 2,
	"dst": "c0000202", "spi": 4096, "src": "c0000209", "lifetime": {"hard-add-secs": 9000}}}'
expect_output "ipsecctl sees the new source and limit, the rest kept" \
	"src 192.0.2.9 dst 192.0.2.2 spi 0x00001000 .*soft-time 3000 hard-time 9000" sa1_text
expect_output "sa-alloc-spi through YNL: a range of one gives that SPI" \
	"^\{\"sa\": \{\"family\": 2, \"dst\": \"192.0.2.2\", \"spi\": \"0x3000\"\}\}$" \
	ynl --do sa-alloc-spi --json '{"sa": {"family": 2, "dst": "c0000202",
		"spi-min": 12288, "spi-max": 12288, "lifetime": {"hard-add-secs": 900}}}'
expect_output "... which ipsecctl lists as reserved" "spi 0x00003000 reserved" ipsecctl sa list
check "sa-del through YNL" ynl --do sa-del --json '{"sa": {"family": 2, "dst": "c0000202", "spi": 4096}}'
sa_spis() { ipsecctl sa list | grep -oE 'spi 0x[0-9a-f]+' | cut -d' ' -f2 | tr '\n' ' '; }
expect_output "ipsecctl no longer lists it" "^0x00002000 0x00003000 $" sa_spis
check "policy-del through YNL" ynl --do policy-del --json '{"policy": {"dir": "in",
	"family": 10, "src": "20010db8000000000000000000000000", "src-len": 32,
	"dst": "20010db8000100000000000000000000", "dst-len": 48, "proto": 17, "sport": 500}}'
pol_dirs() { ipsecctl policy list | grep -oE '^dir [a-z]+' | tr '\n' ' '; }
expect_output "ipsecctl lists the other policy only" "^dir out $" pol_dirs

# Events, read by YNL's library from the group "events": changes in order,
# then the timed EXPIREs, soft before hard (whenever their time falls).
events() {
	in_ns a python3 - "$ynl_dir" "$spec" <<'EOF'
import sys, time
sys.path.insert(0, sys.argv[1])
from lib import YnlFamily
listener = YnlFamily(sys.argv[2], '')
listener.ntf_subscribe('events')
ynl = YnlFamily(sys.argv[2], '')
ynl.do('sa-add', {'sa': {'family': 2, 'src': 'c0000201', 'dst': 'c0000203',
                         'spi': 0x4000, 'mode': 'transport',
                         'alg': 'rfc4106(gcm(aes))', 'key': '11' * 20,
                         'lifetime': {'soft-add-secs': 2, 'hard-add-secs': 6}}})
ynl.do('policy-add', {'policy': {'dir': 'fwd', 'family': 2, 'action': 'discard'}})
ynl.do('policy-flush', {})
deadline = time.time() + 60
while time.time() < deadline:
    listener.check_ntf()
    if any(m['msg'].get('hard') for m in listener.async_msg_queue):
        break
    time.sleep(0.2)
# A notification is queued to listeners before the request is answered.
ynl.do('sa-flush', {})
listener.check_ntf()
def name(m):
    sa = m['msg'].get('sa', {})
    return m['name'] + ('(hard)' if m['msg'].get('hard') else '') + \
        (' ' + sa['spi'] if sa else '') + (' key!' if 'key' in sa else '')
msgs = [name(m) for m in listener.async_msg_queue]
print(','.join(m for m in msgs if not m.startswith('expire')) + ' / ' +
      ','.join(m for m in msgs if m.startswith('expire')))
EOF
}
expect_output "YNL decodes every event: changes, EXPIRE soft then hard, no keys" \
	"^sa-add-ntf 0x4000,policy-add-ntf,policy-flush-ntf,sa-flush-ntf / expire 0x4000,expire\(hard\) 0x4000$" \
	events
sa_count() { ipsecctl sa list | grep -c spi; }
expect_output "the flushes left no SA" "^0$" sa_count
expect_output "... and no policy" "^$" pol_dirs

done_testing
