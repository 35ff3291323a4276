// SPDX-License-Identifier: GPL-2.0
/*
 * userspace/iked/privileges.c: under the seccomp filter iked's work goes
 * on (files, crypto, time, syslog's socket) and a call outside it kills
 * the process, which says which; the drop to another user keeps
 * CAP_NET_ADMIN alone, with NO_NEW_PRIVS. Each case runs in a child.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <fcntl.h>
#include <signal.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <valgrind/valgrind.h>

#include "../iked/crypto.h"
#include "../iked/ikev2.h"
#include "../iked/privileges.h"
#include "tap.h"

/* Runs @fn in a child; its wait status, its stderr into @err. */
static int in_child(void (*fn)(void), char *err, size_t errlen)
{
	int fds[2], status = -1;
	ssize_t n;
	pid_t pid;

	if (pipe(fds))
		exit(2);
	fflush(stdout);
	pid = fork();
	if (pid < 0)
		exit(2);
	if (!pid) {
		dup2(fds[1], STDERR_FILENO);
		close(fds[0]);
		fn();
		_exit(0);
	}
	close(fds[1]);
	n = read(fds[0], err, errlen - 1);
	err[n > 0 ? n : 0] = '\0';
	err[strcspn(err, "\n")] = '\0';
	close(fds[0]);
	waitpid(pid, &status, 0);
	return status;
}

static bool killed_by_sigsys(int status)
{
	return WIFSIGNALED(status) && WTERMSIG(status) == SIGSYS;
}

/* What iked does all day. */
static void daily_work(void)
{
	uint8_t buf[64], secret[IKE_MAX_DH_LEN];
	struct ike_dh *a, *b;
	const uint8_t *pub;
	struct termios t;
	size_t len, slen;
	DIR *dir;
	int fd;

	if (privileges_seccomp())
		_exit(3);
	fd = open("/proc/self/status", O_RDONLY);
	if (fd < 0 || read(fd, buf, sizeof(buf)) <= 0)
		_exit(4);
	close(fd);
	/* A directory of CAs or CRLs, read again on a reload. */
	dir = opendir("/proc/self");
	if (!dir || !readdir(dir))
		_exit(7);
	closedir(dir);
	a = ike_dh_new(IKE_DH_X25519);
	b = ike_dh_new(IKE_DH_X25519);
	pub = a && b ? ike_dh_public(b, &len) : NULL;
	if (!pub || !ike_dh_shared(a, pub, len, secret, &slen) ||
	    !ike_random(buf, sizeof(buf)))
		_exit(5);
	ike_dh_free(a);
	ike_dh_free(b);
	free(malloc(1 << 20));
	fd = socket(AF_UNIX, SOCK_DGRAM, 0);
	if (fd < 0)
		_exit(6);
	close(fd);
	ioctl(STDERR_FILENO, TCGETS, &t);
	fprintf(stderr, "done at %ld\n", (long)time(NULL));
}

static void forbidden_exec(void)
{
	char *argv[] = { "true", NULL };

	if (privileges_seccomp())
		_exit(3);
	execve("/bin/true", argv, environ);
}

static void forbidden_socket(void)
{
	if (privileges_seccomp())
		_exit(3);
	socket(AF_INET, SOCK_DGRAM, 0);
}

static void forbidden_ioctl(void)
{
	char c = 'x';

	if (privileges_seccomp())
		_exit(3);
	ioctl(STDERR_FILENO, TIOCSTI, &c);
}

/* "Name:\tvalue" of /proc/self/status into @out. */
static void status_field(const char *name, char *out, size_t len)
{
	char line[256];
	FILE *f = fopen("/proc/self/status", "r");

	*out = '\0';
	while (f && fgets(line, sizeof(line), f))
		if (!strncmp(line, name, strlen(name)) && line[strlen(name)] == ':') {
			snprintf(out, len, "%s", line + strlen(name) + 1);
			out[strcspn(out, "\n")] = '\0';
			memmove(out, out + strspn(out, " \t"), strlen(out) + 1);
		}
	if (f)
		fclose(f);
}

static void become_nobody(void)
{
	char why[256], uid[64], eff[64], amb[64], nnp[16], sec[16];

	if (privileges_drop("nobody", why, sizeof(why))) {
		fprintf(stderr, "%s\n", why);
		_exit(3);
	}
	if (privileges_seccomp())
		_exit(4);
	status_field("Uid", uid, sizeof(uid));
	status_field("CapEff", eff, sizeof(eff));
	status_field("CapAmb", amb, sizeof(amb));
	status_field("NoNewPrivs", nnp, sizeof(nnp));
	status_field("Seccomp", sec, sizeof(sec));
	fprintf(stderr, "%s|%s|%s|%s|%s", uid, eff, amb, nnp, sec);
}

static void no_such_user(void)
{
	char why[256];

	if (!privileges_drop("no-such-user-here", why, sizeof(why)))
		_exit(3);
	fprintf(stderr, "%s", why);
}

int main(void)
{
	char err[512];
	int status;

	/* valgrind knows no seccomp(2), and could not run under a filter. */
	if (RUNNING_ON_VALGRIND) {
		printf("1..0 # SKIP seccomp under valgrind\n");
		return 0;
	}
	status = in_child(daily_work, err, sizeof(err));
	TAP_CHECK(WIFEXITED(status) && !WEXITSTATUS(status) && strstr(err, "done at"),
		  "under the filter: files, directories, DH, random, malloc, syslog's socket, isatty, time (status %#x: %s)",
		  status, err);
	status = in_child(forbidden_exec, err, sizeof(err));
	TAP_CHECK(killed_by_sigsys(status) && strstr(err, "system call 59 is not in its seccomp filter"),
		  "execve kills it, saying which call (%s)", err);
	status = in_child(forbidden_socket, err, sizeof(err));
	TAP_CHECK(killed_by_sigsys(status), "an IPv4 socket kills it");
	status = in_child(forbidden_ioctl, err, sizeof(err));
	TAP_CHECK(killed_by_sigsys(status), "an ioctl other than TCGETS kills it");
	if (geteuid()) {
		printf("ok %d - # SKIP the drop to another user: not root\n", ++tap_run);
	} else {
		status = in_child(become_nobody, err, sizeof(err));
		TAP_CHECK(WIFEXITED(status) && !WEXITSTATUS(status) &&
			  !strcmp(err, "65534\t65534\t65534\t65534|0000000000001000|0000000000001000|1|2"),
			  "as nobody: CAP_NET_ADMIN alone, ambient too, NO_NEW_PRIVS, the filter (%s)",
			  err);
	}
	status = in_child(no_such_user, err, sizeof(err));
	TAP_CHECK(WIFEXITED(status) && !WEXITSTATUS(status) &&
		  !strcmp(err, "no user no-such-user-here (make install creates iked's)"),
		  "a user that does not exist is named (%s)", err);
	return tap_done();
}
