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

# kernel_release KDIR: the release a kernel build tree builds modules for.
kernel_release() {
	sed -n 's/^#define UTS_RELEASE "\(.*\)"$/\1/p' "$1/include/generated/utsrelease.h"
}
