# SPDX-License-Identifier: GPL-2.0
# Shared settings of the VM harness scripts (sourced, not run).

NFESP_TOP=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
NFESP_VM=$NFESP_TOP/selftests/vm
# Slow things (kernel builds, unpacked Debian kernels) live outside the repo.
# Not under /root: that would hide them from a guest that mounts over $HOME.
NFESP_CACHE=${NFESP_CACHE:-/var/cache/nfesp}
# Debian's source package the debug kernel is built from.
NFESP_SRC_PKG=${NFESP_SRC_PKG:-linux-source-6.1}

vm_die() {
	echo "${0##*/}: $*" >&2
	exit 1
}

vm_log() {
	echo "${0##*/}: $*" >&2
}

# pkg_version PKG: the installed version of a Debian package, or fail.
pkg_version() {
	dpkg-query -W -f '${Version}' "$1" 2>/dev/null ||
		vm_die "package $1 is not installed: run selftests/install-deps"
}

# boot_modules MODROOT KVER DEST MODULE...: the MODULEs and what they
# need, uncompressed into DEST, their load order in DEST/order.
boot_modules() {
	local modroot=$1 kver=$2 dest=$3 m name
	shift 3
	for m in $(modprobe -d "$modroot" -S "$kver" --show-depends -a "$@" |
		awk '$1 == "insmod" && !seen[$2]++ { print $2 }'); do
		name=$(basename "$m")
		case "$name" in
		*.xz) xz -dc "$m" >"$dest/${name%.xz}"; name=${name%.xz} ;;
		*.zst) zstd -qdc "$m" >"$dest/${name%.zst}"; name=${name%.zst} ;;
		*) cp "$m" "$dest/" ;;
		esac
		echo "$name" >>"$dest/order"
	done
}

# install_module KDIR MODROOT KVER: builds nfesp against KDIR and puts it
# in MODROOT's module tree for KVER. Under a lock: guests of the same
# kernel may be booting at once (make check runs two), and one of them may
# be loading the module that another run would rewrite, so an unchanged
# module is left as it is (install -C).
install_module() {
	local kdir=$1 modroot=$2 kver=$3 modsrc
	mkdir -p "$modroot/lib/modules/$kver/extra"
	exec 8>"$modroot/.lock"
	flock 8
	modsrc=$("$NFESP_VM/build-module" "$kdir")
	install -C -m 0644 "$modsrc"/*.ko "$modroot/lib/modules/$kver/extra/"
	depmod -b "$modroot" "$kver"
	exec 8>&-
}

# vm_finish TMP QEMU_RC TIMEOUT: ends a run with the job's exit status
# (TMP/out/rc), or 1 when the guest was killed, stopped early, or the kernel
# reported a problem in TMP/console.log, TMP/out/dmesg or TMP/out/kmemleak.
# NFESP_VM_KEEP=DIR keeps TMP there.
vm_finish() {
	local tmp=$1 qemu_rc=$2 timeout=$3 status
	if [ "$qemu_rc" = 124 ] || [ "$qemu_rc" = 137 ]; then
		vm_log "the guest did not finish within $timeout s and was killed"
		status=1
	elif [ ! -f "$tmp/out/rc" ]; then
		vm_log "the guest stopped before the job finished (qemu exit status $qemu_rc); its console:"
		tail -n 40 "$tmp/console.log" >&2
		status=1
	else
		status=$(cat "$tmp/out/rc")
	fi
	if ! "$NFESP_VM/kernel-reports" "$tmp/console.log" "$tmp/out/dmesg" "$tmp/out/kmemleak"; then
		vm_log "the kernel reported a problem (above): the run fails"
		[ "$status" != 0 ] || status=1
	fi
	[ -z "${NFESP_VM_KEEP:-}" ] || cp -r "$tmp" "$NFESP_VM_KEEP"
	exit "$status"
}

# guest_env: the test settings of this environment (NFESP_TEST_*,
# NFESP_FUZZ_*, NFESP_SOAK_SECS) as exports for the guest's job.env, so
# that "NFESP_SOAK_SECS=1800 selftests/vm/run ..." reaches the test.
guest_env() {
	local name
	for name in $(compgen -v NFESP_TEST_) $(compgen -v NFESP_FUZZ_) NFESP_SOAK_SECS; do
		[ -z "${!name+set}" ] || printf 'export %s=%q\n' "$name" "${!name}"
	done
}

# kernel_release KDIR: the release a kernel build tree builds modules for.
kernel_release() {
	sed -n 's/^#define UTS_RELEASE "\(.*\)"$/\1/p' "$1/include/generated/utsrelease.h"
}
