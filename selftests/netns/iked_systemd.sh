#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# iked as systemd runs it: the shipped iked.service (all its hardening; a
# drop-in only points ExecStartPre= and ExecStart= at the built iked and a
# configuration file) under a systemd that is PID 1 of a container in the
# left namespace; right runs iked directly. The service starts, negotiates,
# runs as iked's user with CAP_NET_ADMIN alone, NO_NEW_PRIVS and its
# seccomp filter, logs a malformed message as a warning, reloads
# with `systemctl reload`, refuses a
# broken file before starting, and tells the peer when it is stopped.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/esp_lib.sh"
. "$(dirname "$0")/iked_lib.sh"

# In the container, the tools without sanitizers (LeakSanitizer cannot
# read /proc of another PID namespace), copied into its /run: the
# container and the unit (PrivateTmp=) each mount a /tmp of their own,
# which would hide a repository that lies under /tmp.
IKED_PLAIN=/run/nfesp-test/iked
IPSECCTL_PLAIN=/run/nfesp-test/ipsecctl
esp_topology || exit 1

iked_tunnel_conf right start=none psk=iked-systemd-secret
check_here "iked starts (right)" iked_start right
iked_tunnel_conf left start=start psk=iked-systemd-secret

# The container's /run: the unit, its drop-in, a target that wants it, and
# the configuration (not in /tmp: the service has a private one).
cat >"$iked_dir/container-init" <<EOF
mount -t tmpfs tmpfs /run || exit 1
mkdir -p /run/systemd/system/iked.service.d /run/nfesp-test
cp "$NFESP_TOP/userspace/iked/iked.service" /run/systemd/system/
# The unit's user, as make install or the package makes it (the guest's
# /etc is the host's, read-only): a system uid that is free.
cp /etc/passwd /etc/group /run/nfesp-test/
uid=\$(awk -F: '{ u[\$3] = 1 } END { for (i = 989; i > 100; i--) if (!u[i]) { print i; exit } }' /etc/passwd)
echo "iked:x:\$uid:\$uid:iked:/nonexistent:/usr/sbin/nologin" >>/run/nfesp-test/passwd
echo "iked:x:\$uid:" >>/run/nfesp-test/group
mount --bind /run/nfesp-test/passwd /etc/passwd || exit 1
mount --bind /run/nfesp-test/group /etc/group || exit 1
echo "\$uid" >/run/nfesp-test/uid
# It holds the key: iked's, for iked to read it (at start and on reload).
install -m 0600 -o iked -g iked "$iked_dir/left.conf" /run/nfesp-test/iked.conf
cp "$NFESP_TOP/build/userspace/iked" "$NFESP_TOP/build/userspace/ipsecctl" /run/nfesp-test/
# Not what manages the machine: udev would give veth0 a new MAC address
# (the peer's static neighbour entry then misses), systemd-sysctl would
# change the namespace's settings.
for u in systemd-udevd.service systemd-udevd-control.socket \
	systemd-udevd-kernel.socket systemd-udev-trigger.service \
	systemd-udev-settle.service systemd-sysctl.service \
	systemd-networkd.service systemd-modules-load.service; do
	ln -s /dev/null "/run/systemd/system/\$u"
done
cat >/run/systemd/system/iked.service.d/test.conf <<EOT
[Service]
ExecStartPre=
ExecStartPre=$IKED_PLAIN -n -f /run/nfesp-test/iked.conf
ExecStart=
ExecStart=$IKED_PLAIN -f /run/nfesp-test/iked.conf
EOT
printf '[Unit]\nDescription=nfesp test\nWants=iked.service\n' \
	>/run/systemd/system/nfesp-test.target
# Its own /tmp too: systemd-tmpfiles empties it at boot.
for d in /tmp /var/tmp /var/log; do
	mount -t tmpfs tmpfs "\$d" || exit 1
done
exec env container=nfesp-test /lib/systemd/systemd --system \
	--unit=nfesp-test.target --show-status=no
EOF
in_ns_bg left unshare --pid --fork --mount --mount-proc --propagation private \
	bash "$iked_dir/container-init" >"$iked_dir/systemd.log" 2>&1
container=$!
sd_pid=
# sd CMD...: CMD in the container (its mounts, its PIDs).
sd() {
	nsenter -t "$sd_pid" -m -p "$@"
}
container_pid() {
	pgrep -f -- "--unit=nfesp-test.target"
}
systemd_up() {
	sd_pid=$(container_pid) && sd systemctl is-active -q iked
}
main_pid() {
	sd systemctl show -p MainPID --value iked
}
journal() {
	sd journalctl -u iked --no-pager -o cat
}
child_spis() {
	sd "$IPSECCTL_PLAIN" ike list | grep -oE '(in|out) +0x[0-9a-f]{8}'
}

check "systemd starts iked.service" wait_until 60 systemd_up
sd_pid=$(container_pid)
check "iked under systemd negotiates" wait_for 20 INSTALLED sd "$IPSECCTL_PLAIN" ike list
check "traffic through its SAs" ping_esp 10.1.0.1 10.2.0.1
expect_output "its control socket is /run/nfesp/iked.sock, mode 0600, in a 0700 directory" \
	"^700 600$" sd sh -c 'echo $(stat -c %a /run/nfesp /run/nfesp/iked.sock)'
expect_output "the service runs as the unit's user, iked" \
	"^Uid:[[:space:]]+$(sd cat /run/nfesp-test/uid)[[:space:]]" sd grep Uid "/proc/$(main_pid)/status"
expect_output "... with NO_NEW_PRIVS and its seccomp filter" "^NoNewPrivs: 1 Seccomp: 2$" \
	sd sh -c "echo \$(grep -E '^(NoNewPrivs|Seccomp):' /proc/$(main_pid)/status)"
expect_output "the service keeps CAP_NET_ADMIN alone" \
	"^CapEff:[[:space:]]+0000000000001000$" sd grep CapEff "/proc/$(main_pid)/status"
expect_output "its bounding set is what the unit allows" \
	"^CapBnd:[[:space:]]+0000000000001400$" sd grep CapBnd "/proc/$(main_pid)/status"
expect_output "its log goes to the journal" "CHILD SA installed" journal
# A malformed IKE_SA_INIT from right (a payload length past the end): a
# warning in the journal, which `-p warning` shows without the rest.
in_ns right bash -c "printf '\\x01\\x02\\x03\\x04\\x05\\x06\\x07\\x08\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x21\\x20\\x22\\x08\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x20\\x00\\x00\\xff\\xff' >/dev/udp/${esp_addr[left,4]}/500"
warnings() {
	sd journalctl -u iked -p warning --no-pager -o cat
}
no_info_in_warnings() {
	! warnings | grep -q 'CHILD SA installed'
}
check "a malformed IKE_SA_INIT is a warning in the journal" \
	wait_for 10 "IKE_SA_INIT from ${esp_addr[right,4]}\[[0-9]+\] refused" warnings
check_here "and -p warning shows no info line" no_info_in_warnings

before=$(child_spis)
check_here "systemctl reload iked" sd systemctl reload iked
check "the reload is logged, the connection kept" \
	wait_for 10 "reloaded from .*: 1 connection\(s\) kept, 0 stopped, 0 started" journal
check_here "the SAs stay through the reload" test "$(child_spis)" = "$before"

sd sh -c 'echo "mode = sideways" >>/run/nfesp-test/iked.conf'
expect_status "a broken file: systemctl restart fails" 1 sd systemctl restart iked
expect_output "the journal says what is wrong, with the line" \
	"iked.conf:[0-9]+: .*sideways" journal
sd sed -i '/sideways/d' /run/nfesp-test/iked.conf
check_here "fixed: systemctl restart works" sd systemctl restart iked
check "the restarted service negotiates again" wait_for 20 INSTALLED sd "$IPSECCTL_PLAIN" ike list

told() {
	[ "$(grep -c "deleted by the peer" "$iked_dir/right.log")" -gt "$1" ]
}
told_before=$(grep -c "deleted by the peer" "$iked_dir/right.log")
check_here "systemctl stop iked" sd systemctl stop iked
check "the peer is told" wait_until 10 told "$told_before"
check "nfesp holds no SA of it any more" \
	wait_until 5 test -z "$(in_ns left "$IPSECCTL" sa list)"

kill -KILL "$(container_pid)" 2>/dev/null
wait "$container" 2>/dev/null
# The container shares the guest's /dev: journald's /dev/log link is left
# pointing into the container's /run.
[ -L /dev/log ] && [ ! -e /dev/log ] && rm -f /dev/log
iked_stop right
check "no AddressSanitizer or LeakSanitizer report from iked (right)" \
	sh -c "! grep -h -A20 'Sanitizer' '$iked_dir/right.log'"
done_testing
