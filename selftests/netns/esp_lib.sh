# SPDX-License-Identifier: GPL-2.0
# ESP test topology and peers (sourced after lib.sh).
#
# Two hosts, "left" and "right", on one veth link (outer addresses), each
# with inner addresses on a dummy device for tunnel mode:
#   left   outer 192.0.2.1  2001:db8::1   inner 10.1.0.1  fd01::1
#   right  outer 192.0.2.2  2001:db8::2   inner 10.2.0.1  fd02::1
# Neighbours are static, so no ND packet is ever subject to a policy.
# With "esp_topology bridged" the link goes through a third namespace,
# "mid", a bridge (br0 between ports named left and right): a box on the
# path.

declare -A esp_addr=(
	[left,4]=192.0.2.1 [left,6]=2001:db8::1
	[right,4]=192.0.2.2 [right,6]=2001:db8::2
	[left,inner4]=10.1.0.1 [left,inner6]=fd01::1
	[right,inner4]=10.2.0.1 [right,inner6]=fd02::1
)

# Keys by algorithm, in ipsecctl's spelling; `ip xfrm` takes the same bytes.
declare -A esp_key=(
	[aes128gcm16]=0x0102030405060708090a0b0c0d0e0f1011121314
	[aes256gcm16]=0x0102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f2021222324
	[chacha20poly1305]=0x2102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f2021222324
	[aes128-sha256]=0x3102030405060708090a0b0c0d0e0f10a1a2a3a4a5a6a7a8a9aaabacadaeafb0b1b2b3b4b5b6b7b8b9babbbcbdbebfc0
	[aes256-sha256]=0x4102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f20a1a2a3a4a5a6a7a8a9aaabacadaeafb0b1b2b3b4b5b6b7b8b9babbbcbdbebfc0
)

# esp_mac SIDE: the MAC address of SIDE's veth0, fixed so that the static
# neighbours need not read it.
declare -A esp_mac=([left]=02:00:00:00:01:01 [right]=02:00:00:00:01:02)

# Each side is configured by one ip (a batch) and one sysctl: on the debug
# kernel under TCG every program started costs a third of a second.
esp_topology() {
	local side peer
	ns_add left && ns_add right || return 1
	if [ "$1" = bridged ]; then
		ns_add mid &&
			in_ns mid ip -batch - <<-BATCH || return 1
			link add br0 type bridge
			link set br0 up
			BATCH
		for side in left right; do
			ip link add veth0 address "${esp_mac[$side]}" netns "$ns_prefix-$side" \
				type veth peer name "$side" netns "$ns_prefix-mid" &&
				in_ns mid ip link set dev "$side" master br0 up || return 1
		done
	else
		ip link add veth0 address "${esp_mac[left]}" netns "$ns_prefix-left" type veth \
			peer name veth0 address "${esp_mac[right]}" netns "$ns_prefix-right" || return 1
	fi
	for side in left right; do
		[ $side = left ] && peer=right || peer=left
		in_ns $side ip -batch - <<-BATCH || return 1
		link set veth0 up
		addr add ${esp_addr[$side,4]}/24 dev veth0
		addr add ${esp_addr[$side,6]}/64 dev veth0 nodad
		link add inner type dummy
		link set inner up
		addr add ${esp_addr[$side,inner4]}/32 dev inner
		addr add ${esp_addr[$side,inner6]}/128 dev inner nodad
		neigh replace ${esp_addr[$peer,4]} lladdr ${esp_mac[$peer]} dev veth0 nud permanent
		neigh replace ${esp_addr[$peer,6]} lladdr ${esp_mac[$peer]} dev veth0 nud permanent
		route add ${esp_addr[$peer,inner4]}/32 via ${esp_addr[$peer,4]} src ${esp_addr[$side,inner4]}
		route add ${esp_addr[$peer,inner6]}/128 via ${esp_addr[$peer,6]} src ${esp_addr[$side,inner6]}
		BATCH
		in_ns $side sysctl -qw net.ipv4.conf.all.rp_filter=0 \
			net.ipv4.conf.veth0.rp_filter=0 || return 1
	done
}

# The addresses a combination protects, and where ESP flows:
#   esp_flow MODE INNER OUTER -> sets from_l to_l (what left sends) and
#   out_l out_r (the outer endpoints).
esp_flow() {
	local mode=$1 inner=$2 outer=$3
	out_l=${esp_addr[left,$outer]}
	out_r=${esp_addr[right,$outer]}
	if [ "$mode" = transport ]; then
		from_l=$out_l
		to_l=$out_r
	else
		from_l=${esp_addr[left,inner$inner]}
		to_l=${esp_addr[right,inner$inner]}
	fi
}

# nfesp_side NS ALG MODE INNER OUTER SPI_OUT SPI_IN [EXTRA...]: SAs and
# policies that protect what NS sends to and receives from its peer.
nfesp_side() {
	local ns=$1 alg=$2 mode=$3 inner=$4 outer=$5 spi_out=$6 spi_in=$7
	shift 7
	local me peer from to tmpl_out tmpl_in
	esp_flow "$mode" "$inner" "$outer"
	if [ "$ns" = left ]; then
		me=$out_l peer=$out_r from=$from_l to=$to_l
	else
		me=$out_r peer=$out_l from=$to_l to=$from_l
	fi
	tmpl_out="mode $mode" tmpl_in="mode $mode"
	if [ "$mode" = tunnel ]; then
		tmpl_out+=" tsrc $me tdst $peer"
		tmpl_in+=" tsrc $peer tdst $me"
	fi
	in_ns "$ns" "$IPSECCTL" -f - <<-BATCH
	sa add src $me dst $peer spi $spi_out mode $mode enc $alg key ${esp_key[$alg]} reqid 1 $*
	sa add src $peer dst $me spi $spi_in mode $mode enc $alg key ${esp_key[$alg]} reqid 1 replay-window 128 $*
	policy add dir out src $from dst $to action protect $tmpl_out reqid 1
	policy add dir in src $to dst $from action protect $tmpl_in reqid 1
	BATCH
}

# The same for XFRM, with `ip xfrm`.
xfrm_alg() {
	local alg=$1 key=${esp_key[$1]}
	case $alg in
	aes*gcm16) echo "aead rfc4106(gcm(aes)) $key 128" ;;
	chacha20poly1305) echo "aead rfc7539esp(chacha20,poly1305) $key 128" ;;
	aes128-sha256)
		echo "enc cbc(aes) ${key:0:34} auth-trunc hmac(sha256) 0x${key:34} 128" ;;
	aes256-sha256)
		echo "enc cbc(aes) ${key:0:66} auth-trunc hmac(sha256) 0x${key:66} 128" ;;
	esac
}

xfrm_side() {
	local ns=$1 alg=$2 mode=$3 inner=$4 outer=$5 spi_out=$6 spi_in=$7
	shift 7
	local me peer from to sel="" len=32
	esp_flow "$mode" "$inner" "$outer"
	if [ "$ns" = left ]; then
		me=$out_l peer=$out_r from=$from_l to=$to_l
	else
		me=$out_r peer=$out_l from=$to_l to=$from_l
	fi
	[[ $from == *:* ]] && len=128
	# A state whose family differs from its traffic needs a selector of
	# that family; "any" serves both directions.
	if [ "$inner" != "$outer" ]; then
		[ "$inner" = 6 ] && sel="sel src ::/0 dst ::/0" ||
			sel="sel src 0.0.0.0/0 dst 0.0.0.0/0"
	fi
	# One ip for all four (a batch), as for nfesp's side.
	in_ns "$ns" ip -batch - <<-BATCH
	xfrm state add src $me dst $peer proto esp spi $spi_out reqid 1 mode $mode $(xfrm_alg "$alg") $sel $*
	xfrm state add src $peer dst $me proto esp spi $spi_in reqid 1 mode $mode replay-window 128 $(xfrm_alg "$alg") $sel $*
	xfrm policy add src $from/$len dst $to/$len dir out tmpl src $me dst $peer proto esp reqid 1 mode $mode
	xfrm policy add src $to/$len dst $from/$len dir in tmpl src $peer dst $me proto esp reqid 1 mode $mode
	BATCH
}

# esp_clear [NS...]: no SA or policy left, nfesp's or XFRM's, in the NSs
# (left and right).
esp_clear() {
	local ns
	[ $# -gt 0 ] || set -- left right
	for ns in "$@"; do
		in_ns $ns "$IPSECCTL" -f - 2>/dev/null <<<$'sa flush\npolicy flush'
		in_ns $ns ip -batch - <<<$'xfrm state flush\nxfrm policy flush'
	done
}

# A counter of an nfesp SA: nfesp_sa_counter NS DST SPI NAME. The
# counters are read in bash, not by a program started for it.
nfesp_sa_counter() {
	local words i
	while read -r -a words; do
		[ "${words[0]:-}" = stats ] || continue
		for ((i = 1; i + 1 < ${#words[@]}; i += 2)); do
			[ "${words[i]}" != "$4" ] || echo "${words[i + 1]}"
		done
	done < <(in_ns "$1" "$IPSECCTL" -s sa get dst "$2" spi "$3")
}

# A counter of the namespace: nfesp_counter NS NAME.
nfesp_counter() {
	local name value
	while read -r name value _; do
		[ "$name" != "$2" ] || echo "$value"
	done < <(in_ns "$1" "$IPSECCTL" stats)
}

# Packets an XFRM state carried: xfrm_sa_packets NS SPI.
xfrm_sa_packets() {
	in_ns "$1" ip -s xfrm state get src "$3" dst "$4" proto esp spi "$2" 2>/dev/null |
		sed -n 's/.*(bytes), \([0-9]*\)(packets).*/\1/p' | head -1
}

# udp_listener NS ADDR PORT SKIP FILE: in the background, writes "ready"
# to FILE, then a line for each datagram it gets (its first SKIP bytes left
# out; SKIP "len": its length instead). Returns once ready; $udp_pid names
# it.
udp_listener() {
	in_ns_bg "$1" python3 -c '
import socket, sys
s = socket.socket(socket.AF_INET6 if ":" in sys.argv[1] else socket.AF_INET,
                  socket.SOCK_DGRAM)
s.bind((sys.argv[1], int(sys.argv[2])))
print("ready", flush=True)
while True:
    d = s.recv(65536)
    if sys.argv[3] == "len":
        print(len(d), flush=True)
    else:
        print(d[int(sys.argv[3]):].decode(errors="replace"), flush=True)' \
		"$2" "$3" "$4" >"$5"
	udp_pid=$!
	wait_until 10 has_line '^ready$' "$5"
}

# udp_send NS SRC DST PORT DATA: one datagram of DATA from SRC.
udp_send() {
	in_ns "$1" python3 -c '
import socket, sys
fam = socket.AF_INET6 if ":" in sys.argv[1] else socket.AF_INET
s = socket.socket(fam, socket.SOCK_DGRAM)
s.bind((sys.argv[1], 0))
s.sendto(sys.argv[4].encode(), (sys.argv[2], int(sys.argv[3])))' "${@:2}"
}

# tcp_transfer FROM TO_ADDR BYTES TO_NS [BIND_ADDR]: sends BYTES over TCP
# to a listener in TO_NS on BIND_ADDR (TO_ADDR), and checks all arrived.
tcp_transfer() {
	python3 -S "$NFESP_TOP/selftests/netns/tcp_transfer.py" "$ns_prefix-$1" \
		"$ns_prefix-$4" "$2" "$3" ${5:+"$5"}
}

# The cases of a matrix test, one "ALG MODE INNER OUTER" a line: every
# algorithm with every mode and family combination (NFESP_TEST_MATRIX=full,
# the default), every other case of that (half-0, half-1: two kernels
# between them try all), or the CASEs given (short, for the slow debug
# kernel). NFESP_TEST_ONLY=REGEX keeps the cases it matches.
esp_cases() {
	local algs combos n=0 c
	algs=(aes128gcm16 aes256gcm16 chacha20poly1305 aes128-sha256 aes256-sha256)
	combos=("transport 4 4" "transport 6 6" "tunnel 4 4" "tunnel 6 6" "tunnel 6 4" "tunnel 4 6")
	{
		if [ "${NFESP_TEST_MATRIX:-full}" = short ]; then
			printf '%s\n' "$@"
		else
			for a in "${algs[@]}"; do
				for c in "${combos[@]}"; do
					echo "$a $c"
				done
			done
		fi
	} | while read -r c; do
		case ${NFESP_TEST_MATRIX:-full} in
		half-[01]) [ $(( n % 2 )) = "${NFESP_TEST_MATRIX#half-}" ] || c= ;;
		esac
		n=$((n + 1))
		[ -n "$c" ] && [[ $c =~ ${NFESP_TEST_ONLY:-.} ]] && echo "$c"
	done
}
