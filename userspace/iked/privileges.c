// SPDX-License-Identifier: GPL-2.0
/*
 * What iked keeps once its sockets are bound: a user of its own (when
 * started as root and told one), CAP_NET_ADMIN alone (nfesp's netlink),
 * no way to gain more (NO_NEW_PRIVS), and a seccomp filter of the system
 * calls it makes. A call outside the filter kills iked, which says which.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <grp.h>
#include <pwd.h>
#include <seccomp.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <linux/capability.h>
#include <sys/ioctl.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/syscall.h>

#include "privileges.h"

/* What iked calls, glibc, OpenSSL and libnl on its behalf included. */
static const char *const allowed[] = {
	"read", "readv", "pread64", "write", "writev", "close", "lseek",
	"openat", "open", "fstat", "newfstatat", "stat", "lstat", "statx",
	"fcntl", "dup", "unlink", "unlinkat", "getdents64",
	"mmap", "munmap", "mremap", "mprotect", "brk", "madvise", "futex",
	"poll", "ppoll", "select", "pselect6",
	"recvmsg", "recvfrom", "recvmmsg", "sendmsg", "sendto", "sendmmsg",
	"accept", "accept4", "connect", "getsockopt", "setsockopt",
	"getsockname", "getpeername", "shutdown",
	"clock_gettime", "clock_getres", "gettimeofday", "time",
	"nanosleep", "clock_nanosleep", "getrandom",
	"getpid", "gettid", "getuid", "geteuid", "getgid", "getegid",
	"rt_sigaction", "rt_sigprocmask", "rt_sigreturn", "tgkill",
	"restart_syscall", "exit", "exit_group", "uname",
};

#ifdef __SANITIZE_ADDRESS__
/* AddressSanitizer's runtime: LeakSanitizer stops the threads with ptrace
 * from a clone of the process, and reads /proc/self/maps.
 */
static const char *const allowed_asan[] = {
	"clone", "clone3", "ptrace", "wait4", "waitid", "sched_yield", "prctl",
	"sigaltstack", "kill", "readlink", "readlinkat", "getppid",
	"prlimit64", "getrlimit", "setrlimit", "pipe", "pipe2", "dup2", "dup3",
	"sched_getaffinity", "mlock", "munlock", "getdents", "getdents64",
};
#endif

/* Says which call it was (in one write(2), as a signal handler may), then
 * dies of the signal.
 */
static void on_sigsys(int sig, siginfo_t *si, void *ctx)
{
	static const char head[] = "iked: killed: system call ";
	static const char tail[] = " is not in its seccomp filter\n";
	char msg[sizeof(head) + 12 + sizeof(tail)], num[12];
	unsigned int nr = (unsigned int)si->si_syscall;
	size_t i = sizeof(num), len;

	(void)ctx;
	do {
		num[--i] = (char)('0' + nr % 10);
		nr /= 10;
	} while (nr && i);
	memcpy(msg, head, sizeof(head) - 1);
	len = sizeof(head) - 1;
	memcpy(msg + len, num + i, sizeof(num) - i);
	len += sizeof(num) - i;
	memcpy(msg + len, tail, sizeof(tail) - 1);
	len += sizeof(tail) - 1;
	if (write(STDERR_FILENO, msg, len) < 0)
		len = 0;
	signal(sig, SIG_DFL);
	raise(sig);
}

static int add_all(scmp_filter_ctx ctx, const char *const *names, size_t n)
{
	size_t i;
	int nr;

	for (i = 0; i < n; i++) {
		nr = seccomp_syscall_resolve_name(names[i]);
		/* Not on this architecture (open on arm64): nothing to allow. */
		if (nr == __NR_SCMP_ERROR)
			continue;
		if (seccomp_rule_add(ctx, SCMP_ACT_ALLOW, nr, 0))
			return -1;
	}
	return 0;
}

int privileges_seccomp(void)
{
	struct sigaction sa = { .sa_sigaction = on_sigsys, .sa_flags = SA_SIGINFO };
	const struct scmp_arg_cmp unix_only = { 0, SCMP_CMP_EQ, AF_UNIX, 0 };
	const struct scmp_arg_cmp tcgets_only = { 1, SCMP_CMP_EQ, TCGETS, 0 };
	scmp_filter_ctx ctx;
	int err = -1;

	if (sigaction(SIGSYS, &sa, NULL))
		return -1;
	ctx = seccomp_init(SCMP_ACT_TRAP);
	if (!ctx)
		return -1;
	if (add_all(ctx, allowed, sizeof(allowed) / sizeof(allowed[0])))
		goto out;
#ifdef __SANITIZE_ADDRESS__
	if (add_all(ctx, allowed_asan, sizeof(allowed_asan) / sizeof(allowed_asan[0])))
		goto out;
#endif
	/* Sockets: only syslog's (a unix datagram one); ioctl: only stdio's
	 * question whether a file is a terminal.
	 */
	if (seccomp_rule_add_array(ctx, SCMP_ACT_ALLOW, SCMP_SYS(socket), 1,
				   &unix_only) ||
	    seccomp_rule_add_array(ctx, SCMP_ACT_ALLOW, SCMP_SYS(ioctl), 1,
				   &tcgets_only))
		goto out;
	err = seccomp_load(ctx);
out:
	seccomp_release(ctx);
	return err ? -1 : 0;
}

/* Of the capabilities, CAP_NET_ADMIN alone: effective, permitted,
 * inheritable and ambient; the bounding set emptied of the rest.
 */
static int keep_net_admin(void)
{
	struct __user_cap_header_struct hdr = { _LINUX_CAPABILITY_VERSION_3, 0 };
	struct __user_cap_data_struct data[2] = { 0 };
	int cap;

	for (cap = 0; cap <= 63; cap++)
		if (cap != CAP_NET_ADMIN && prctl(PR_CAPBSET_DROP, cap) < 0 &&
		    errno != EINVAL && errno != EPERM)
			return -1;
	data[0].effective = data[0].permitted = data[0].inheritable =
		1u << CAP_NET_ADMIN;
	if (syscall(SYS_capset, &hdr, data))
		return -1;
	prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0);
	return prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_RAISE, CAP_NET_ADMIN, 0, 0);
}

int privileges_drop(const char *user, char *err, size_t errlen)
{
	struct passwd *pw = NULL;

	if (user) {
		errno = 0;
		pw = getpwnam(user);
		if (!pw) {
			snprintf(err, errlen, "no user %s%s%s", user,
				 errno ? ": " : " (make install creates iked's)",
				 errno ? strerror(errno) : "");
			return -1;
		}
	}
	if (pw && pw->pw_uid != geteuid()) {
		/* Keep the capabilities across the change of user. */
		if (prctl(PR_SET_KEEPCAPS, 1, 0, 0, 0) ||
		    setgroups(0, NULL) || setresgid(pw->pw_gid, pw->pw_gid, pw->pw_gid) ||
		    setresuid(pw->pw_uid, pw->pw_uid, pw->pw_uid)) {
			snprintf(err, errlen, "cannot become user %s: %s", user,
				 strerror(errno));
			return -1;
		}
#ifdef __SANITIZE_ADDRESS__
		/* LeakSanitizer ptraces its own threads. */
		prctl(PR_SET_DUMPABLE, 1, 0, 0, 0);
#endif
	}
	if (keep_net_admin()) {
		snprintf(err, errlen, "cannot drop capabilities: %s", strerror(errno));
		return -1;
	}
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0)) {
		snprintf(err, errlen, "cannot set no_new_privs: %s", strerror(errno));
		return -1;
	}
	return 0;
}
