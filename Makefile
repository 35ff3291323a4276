# SPDX-License-Identifier: GPL-2.0
# nfesp: the kernel module (through Kbuild) and the userspace tools.

VERSION := $(shell sed -n 's/^\#define NFESP_VERSION "\(.*\)"/\1/p' kmod/version.h)
KDIR ?= /lib/modules/$(shell uname -r)/build
PREFIX ?= /usr/local
SBINDIR ?= $(PREFIX)/sbin
INCLUDEDIR ?= $(PREFIX)/include
DATADIR ?= $(PREFIX)/share
MANDIR ?= $(DATADIR)/man
SYSTEMDUNITDIR ?= /lib/systemd/system
# Userspace build output; ASAN=1 builds an AddressSanitizer variant apart.
O ?= build/$(if $(ASAN),asan,userspace)

CC ?= cc
PKG_CONFIG ?= pkg-config
CFLAGS ?= -O2 -g
# Asked of pkg-config when a userspace target needs them (=, not :=), so
# that targets that do not, such as make check installing the libraries
# first, run on a machine without them.
USER_PKGS := libnl-genl-3.0 libcrypto inih libseccomp
# One line naming what to do, rather than a compiler error, where they are
# missing.
user_pkgs_found = $(if $(shell $(PKG_CONFIG) --exists $(USER_PKGS) 2>/dev/null && echo yes),,$(error \
	the userspace build needs the -dev packages of $(USER_PKGS): run selftests/install-deps as root (make check and make demo do)))
# once: the first use sets the variable to what pkg-config said.
once = $(eval $(1) := $(2))$($(1))
NL_CFLAGS = $(call once,NL_CFLAGS,$(user_pkgs_found)$(shell $(PKG_CONFIG) --cflags libnl-genl-3.0))
NL_LIBS = $(call once,NL_LIBS,$(shell $(PKG_CONFIG) --libs libnl-genl-3.0))
# iked: OpenSSL's libcrypto, libinih (its configuration parser) and libseccomp.
IKED_LIBS = $(call once,IKED_LIBS,$(shell $(PKG_CONFIG) --libs libcrypto inih libseccomp))
SANITIZE := -fsanitize=address,undefined -fno-sanitize-recover=all
USER_CFLAGS = -std=gnu11 -Wall -Wextra -Werror -MMD -MP $(NL_CFLAGS) \
	$(if $(ASAN),$(SANITIZE) -fno-omit-frame-pointer)
USER_LDFLAGS := $(if $(ASAN),$(SANITIZE))

LIB_SRCS := $(wildcard userspace/lib/*.c)
IPSECCTL_SRCS := $(wildcard userspace/ipsecctl/*.c)
# iked's parts apart from main.c, so that the unit tests link them too.
IKED_SRCS := $(filter-out userspace/iked/main.c,$(wildcard userspace/iked/*.c))
TEST_SRCS := $(wildcard userspace/tests/*.c)
LIB_OBJS := $(LIB_SRCS:userspace/%.c=$(O)/obj/%.o)
IPSECCTL_OBJS := $(IPSECCTL_SRCS:userspace/%.c=$(O)/obj/%.o)
IKED_OBJS := $(IKED_SRCS:userspace/%.c=$(O)/obj/%.o)
TESTS := $(TEST_SRCS:userspace/tests/%.c=$(O)/tests/%)
# Tools the netns tests run (not tests themselves).
TEST_TOOLS := $(O)/esp-craft

.PHONY: deb all module userspace tests install install-module install-userspace \
	install-dkms check check-quick demo bench style clean

all: module userspace

module:
	@test -d "$(KDIR)" || { echo "No kernel build tree at $(KDIR): install the kernel headers (selftests/install-deps does, as root) or set KDIR=" >&2; exit 1; }
	$(MAKE) -C "$(KDIR)" M="$(CURDIR)" modules

userspace: $(O)/ipsecctl $(O)/iked

tests: $(TESTS) $(TEST_TOOLS)

$(O)/obj/%.o: userspace/%.c
	@mkdir -p $(@D)
	$(CC) $(CPPFLAGS) $(CFLAGS) $(USER_CFLAGS) -c -o $@ $<

$(O)/ipsecctl: $(IPSECCTL_OBJS) $(LIB_OBJS)
	$(CC) $(LDFLAGS) $(USER_LDFLAGS) -o $@ $^ $(NL_LIBS)

$(O)/iked: $(O)/obj/iked/main.o $(IKED_OBJS) $(LIB_OBJS)
	$(CC) $(LDFLAGS) $(USER_LDFLAGS) -o $@ $^ $(IKED_LIBS) $(NL_LIBS)

$(O)/tests/%: $(O)/obj/tests/%.o $(IKED_OBJS) $(LIB_OBJS)
	@mkdir -p $(@D)
	$(CC) $(LDFLAGS) $(USER_LDFLAGS) -o $@ $^ $(IKED_LIBS) $(NL_LIBS)

# Tests of iked's exchanges, in one process: the harness queues what iked
# sends (net_send wrapped) and stands in for nfesp (no kernel.o).
HARNESS_OBJS := $(patsubst userspace/%.c,$(O)/obj/%.o,$(wildcard userspace/tests/harness/*.c))
HARNESS_TESTS := $(O)/tests/ike_exchange_test $(O)/tests/ike_auth_test \
	$(O)/tests/ike_certs_test $(O)/tests/ike_pubkey_test $(O)/tests/ike_ppk_test \
	$(O)/tests/ike_ra_test $(O)/tests/ike_frag_test $(O)/tests/ike_device_test \
	$(O)/tests/ike_ctl_test
HARNESS_WRAP := net_send net_keepalive
# ike_auth_test makes a chosen AUTH computation fail.
$(O)/tests/ike_auth_test: HARNESS_WRAP += ike_psk_auth
# ike_pubkey_test hides SIGNATURE_HASH_ALGORITHMS (RFC 4754's methods then).
$(O)/tests/ike_pubkey_test: HARNESS_WRAP += auth_peer_hashes
$(HARNESS_TESTS): $(O)/tests/%: $(O)/obj/tests/%.o $(HARNESS_OBJS) \
		$(filter-out %/kernel.o,$(IKED_OBJS)) $(LIB_OBJS)
	@mkdir -p $(@D)
	$(CC) $(LDFLAGS) $(USER_LDFLAGS) $(HARNESS_WRAP:%=-Wl,--wrap=%) \
		-o $@ $^ $(IKED_LIBS) $(NL_LIBS)

# nfesp_nl_request's buffers, looked at as they are freed.
$(O)/tests/nl_test: $(O)/obj/tests/nl_test.o $(LIB_OBJS)
	@mkdir -p $(@D)
	$(CC) $(LDFLAGS) $(USER_LDFLAGS) -Wl,--wrap=nlmsg_free -o $@ $^ $(NL_LIBS)

# libFuzzer on iked's message parser (clang); make check runs it briefly.
# Only the parser and proposal code: nothing else is reached from it.
$(O)/fuzz-ike: userspace/tests/fuzz/ike_fuzz.c userspace/iked/payload.c \
		userspace/iked/proposal.c userspace/iked/cp.c userspace/lib/alg.c
	@mkdir -p $(@D)
	clang -std=gnu11 -g -O1 -Wall -Wextra -Werror \
		-fsanitize=fuzzer,address,undefined -o $@ $^

# libFuzzer on iked's exchanges, above the parser, through the harness;
# make check runs it briefly. Every source at once: clang, its sanitizers.
EXCHANGE_FUZZ_SRCS := userspace/tests/fuzz/exchange_fuzz.c \
	$(wildcard userspace/tests/harness/*.c) \
	$(filter-out %/kernel.c,$(IKED_SRCS)) $(LIB_SRCS)
$(O)/fuzz-exchange: $(EXCHANGE_FUZZ_SRCS)
	@mkdir -p $(@D)
	clang -std=gnu11 -g -O1 -Wall -Wextra -Werror $(NL_CFLAGS) \
		-fsanitize=fuzzer,address,undefined \
		-Wl,--wrap=net_send,--wrap=net_keepalive \
		-Wl,--wrap=ike_random,--wrap=ike_dh_new -o $@ $^ \
		$(IKED_LIBS) $(NL_LIBS)

$(O)/esp-craft: selftests/tools/esp-craft.c
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) $(USER_CFLAGS) $(USER_LDFLAGS) -o $@ $< -lcrypto

install: install-module install-userspace

install-module: module
	$(MAKE) -C "$(KDIR)" M="$(CURDIR)" INSTALL_MOD_PATH="$(DESTDIR)" \
		INSTALL_MOD_DIR=extra modules_install

install-userspace: userspace
	install -D -m 0755 $(O)/ipsecctl "$(DESTDIR)$(SBINDIR)/ipsecctl"
	install -D -m 0644 kmod/uapi/nfesp.h "$(DESTDIR)$(INCLUDEDIR)/linux/nfesp.h"
	install -D -m 0644 Documentation/man/ipsecctl.8 "$(DESTDIR)$(MANDIR)/man8/ipsecctl.8"
	install -D -m 0755 $(O)/iked "$(DESTDIR)$(SBINDIR)/iked"
	install -D -m 0644 Documentation/man/iked.8 "$(DESTDIR)$(MANDIR)/man8/iked.8"
	install -D -m 0644 Documentation/man/iked.conf.5 "$(DESTDIR)$(MANDIR)/man5/iked.conf.5"
	# The unit names iked where this install puts it.
	install -d "$(DESTDIR)$(SYSTEMDUNITDIR)"
	sed 's|/usr/sbin/iked|$(SBINDIR)/iked|g' userspace/iked/iked.service \
		>"$(DESTDIR)$(SYSTEMDUNITDIR)/iked.service"
	chmod 0644 "$(DESTDIR)$(SYSTEMDUNITDIR)/iked.service"
	install -D -m 0644 userspace/iked/iked.conf.example \
		"$(DESTDIR)$(DATADIR)/doc/nfesp/iked.conf.example"
	install -D -m 0644 userspace/completion/ipsecctl \
		"$(DESTDIR)$(DATADIR)/bash-completion/completions/ipsecctl"
	install -D -m 0644 userspace/completion/iked \
		"$(DESTDIR)$(DATADIR)/bash-completion/completions/iked"
	# iked's user, named in the unit (into a DESTDIR, a package's
	# maintainer scripts make it).
	if [ -z "$(DESTDIR)" ] && ! getent passwd iked >/dev/null; then \
		useradd --system --user-group --no-create-home \
			--home-dir /nonexistent --shell /usr/sbin/nologin iked; \
	fi

# The module's sources where DKMS looks for them; then: dkms install nfesp/$(VERSION)
install-dkms:
	install -d "$(DESTDIR)/usr/src/nfesp-$(VERSION)"
	cp -R Kbuild dkms.conf COPYING kmod "$(DESTDIR)/usr/src/nfesp-$(VERSION)/"

# Debian packages, nfesp-dkms and nfesp, built by debhelper from a copy of
# the tree (tracked files and new ones not ignored) into build/deb/, then
# judged by lintian: an error fails.
DEB_DIR := build/deb
deb:
	@grep -q '^nfesp ($(VERSION))' debian/changelog || { \
		echo "debian/changelog has no entry for $(VERSION) (kmod/version.h): add one" >&2; exit 1; }
	rm -rf "$(DEB_DIR)"
	mkdir -p "$(DEB_DIR)/nfesp-$(VERSION)"
	git ls-files -z --cached --others --exclude-standard | \
		(cd "$(CURDIR)" && xargs -0 sh -c 'for f; do [ -e "$$f" ] && printf "%s\0" "$$f"; done' sh) | \
		xargs -0 cp --parents -t "$(DEB_DIR)/nfesp-$(VERSION)"
	cd "$(DEB_DIR)/nfesp-$(VERSION)" && dpkg-buildpackage -us -uc -b
	lintian --fail-on error --info "$(DEB_DIR)"/nfesp_$(VERSION)_*.changes

# Every test, in QEMU VMs where the kernel is involved; ends "N passed, N failed".
check:
	selftests/check

# The inner loop (under 10 minutes): userspace tests, style, module builds,
# the netns suite on one stock kernel. CI runs make check.
check-quick:
	selftests/check --quick

# Two hosts in a VM, talking through nfesp.
demo:
	selftests/demo

# nfesp against XFRM in one VM run: BENCH_ARGS="--quick --only policy ...".
bench:
	selftests/bench/run $(BENCH_ARGS)

# The kernel's style referee on the module's sources.
style:
	selftests/style

clean:
	rm -rf build
	-test -d "$(KDIR)" && $(MAKE) -C "$(KDIR)" M="$(CURDIR)" clean

-include $(shell find build -name '*.d' 2>/dev/null)
