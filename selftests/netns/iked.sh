#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# iked against iked in two namespaces over nfesp: a PSK tunnel and a
# transport connection negotiated, traffic through them, `ipsecctl ike`.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/esp_lib.sh"
. "$(dirname "$0")/iked_lib.sh"

esp_topology || exit 1

common=(local_id=left.example.org remote_id=right.example.org psk=iked-test-secret)
iked_conf left net local=192.0.2.1 remote=192.0.2.2 "${common[@]}" \
	local_ts=10.1.0.1/32 remote_ts=10.2.0.1/32 mode=tunnel start=start
iked_conf right net local=192.0.2.2 remote=192.0.2.1 local_id=right.example.org \
	remote_id=left.example.org psk=iked-test-secret \
	local_ts=10.2.0.1/32 remote_ts=10.1.0.1/32 mode=tunnel start=none
check_here "iked starts (right)" iked_start right
check_here "iked starts (left)" iked_start left
check "tunnel: CHILD SA installed" wait_for 20 INSTALLED ike left list
check "tunnel: ping through it" in_ns left ping -q -c 3 -i 0.2 -W 2 -I 10.1.0.1 10.2.0.1
expect_output "ike list shows the IKE SA" "net: #1, ESTABLISHED, IKEv2" ike left list
expect_output "ike list shows the peer's identity" "remote 'right.example.org' @ 192.0.2.2" ike left list
expect_output "ike list shows the CHILD SA with its traffic" "in  0x[0-9a-f]{8}, [1-9][0-9]* bytes, 3 packets" ike right list
done_testing
