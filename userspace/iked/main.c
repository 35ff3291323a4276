// SPDX-License-Identifier: GPL-2.0
/*
 * iked: the IKEv2 daemon that keys nfesp. One thread, one poll loop over
 * the IKE sockets, nfesp's events, the control socket and a one-second tick.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <getopt.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>
#include <unistd.h>

#include "../../kmod/uapi/nfesp.h"
#include "ctl.h"
#include "ike.h"
#include "kernel.h"
#include "net.h"
#include "privileges.h"

#define IKED_CONF "/etc/nfesp/iked.conf"

static volatile sig_atomic_t stop_signal, reload_signal;

static void on_signal(int sig)
{
	if (sig == SIGHUP)
		reload_signal = 1;
	else
		stop_signal = sig;
}

static void usage(FILE *f)
{
	fprintf(f,
		"Usage: iked [-f FILE] [-S SOCKET] [-u USER] [-d] [-v]\n"
		"       iked -n [-f FILE]\n"
		"  -f FILE    configuration (default " IKED_CONF ")\n"
		"  -n         check the configuration, report every error, and exit\n"
		"  -S SOCKET  control socket (default " IKED_CTL_SOCKET ")\n"
		"  -u USER    run as USER once the sockets are bound (root starts it)\n"
		"  -d         run as a daemon, logging to syslog (default: in the\n"
		"             foreground, logging to stderr, for systemd)\n"
		"  -v         log every exchange\n");
}

/* Settings that were environment variables once are iked.conf's now. */
static void warn_old_environment(void)
{
	static const char *const old[][2] = {
		{ "IKED_RETRIES", "retries" },
		{ "IKED_COOKIE_THRESHOLD", "cookie_threshold" },
		{ "IKED_HALF_OPEN_MAX", "half_open_max" },
	};
	size_t i;

	for (i = 0; i < sizeof(old) / sizeof(old[0]); i++)
		if (getenv(old[i][0]))
			fprintf(stderr, "warning: %s is not read any more: set %s in iked.conf's [global] section\n",
				old[i][0], old[i][1]);
}

/*
 * SIGHUP: the reload's refusal (each error of the file) goes to the log,
 * which is syslog under -d, where stderr is gone. Its success the reload
 * logs itself.
 */
static void reload_logged(void)
{
	char *report = NULL, *line, *next;
	size_t len = 0;
	FILE *f = open_memstream(&report, &len);

	if (!f) {
		ike_log(NULL, "reload: out of memory");
		return;
	}
	if (conn_reload(f)) {
		fclose(f);
		free(report);
		return;
	}
	fclose(f);
	for (line = report; line && *line; line = next) {
		next = strchr(line, '\n');
		if (next)
			*next++ = '\0';
		ike_log(NULL, "reload: %s", line);
	}
	free(report);
}
static int run(void)
{
	struct pollfd fds[NET_SOCKETS + 2];
	time_t last_tick = 0;
	unsigned int n, i;

	for (;;) {
		time_t now = time(NULL);
		struct ike_sa *sa;

		if (stop_signal)
			break;
		if (reload_signal) {
			reload_signal = 0;
			reload_logged();
		}
		if (now != last_tick) {
			last_tick = now;
			for (sa = iked.sas; sa; sa = sa->next)
				ike_sa_tick(sa, now);
		}
		ike_sa_remove_dead();
		n = net_pollfds(fds);
		fds[n].fd = kernel_event_fd();
		fds[n++].events = POLLIN;
		fds[n].fd = ctl_fd();
		fds[n++].events = POLLIN;
		if (poll(fds, n, 1000) < 0 && errno != EINTR)
			return 1;
		for (i = 0; i < n; i++) {
			if (!(fds[i].revents & POLLIN))
				continue;
			if (fds[i].fd == kernel_event_fd())
				kernel_read_events(conn_kernel_event);
			else if (fds[i].fd == ctl_fd())
				ctl_accept();
			else
				ike_dispatch(fds[i].fd);
		}
	}
	return 0;
}

int main(int argc, char **argv)
{
	const char *ctl_path = IKED_CTL_SOCKET, *user = NULL;
	char why[256];
	bool check = false, daemonize = false;
	struct sigaction sa = { .sa_handler = on_signal };
	int opt, errors, status;

	iked.conf_path = IKED_CONF;
	while ((opt = getopt(argc, argv, "f:nS:u:dvh")) != -1) {
		switch (opt) {
		case 'f':
			iked.conf_path = optarg;
			break;
		case 'n':
			check = true;
			break;
		case 'S':
			ctl_path = optarg;
			break;
		case 'u':
			user = optarg;
			break;
		case 'd':
			daemonize = true;
			break;
		case 'v':
			ike_verbose = 1;
			break;
		case 'h':
			usage(stdout);
			return 0;
		default:
			usage(stderr);
			return 2;
		}
	}
	if (optind != argc) {
		usage(stderr);
		return 2;
	}
	errors = config_load(iked.conf_path, &iked.conf, stderr);
	warn_old_environment();
	if (check) {
		if (!errors)
			printf("%s: OK\n", iked.conf_path);
		return errors ? 1 : 0;
	}
	if (errors)
		return 1;
	if (net_open() || kernel_open() || ctl_open(ctl_path, conn_reload)) {
		ike_log(NULL, "cannot start");
		return 1;
	}
	if (privileges_drop(user, why, sizeof(why))) {
		ike_log(NULL, "cannot start: %s", why);
		return 1;
	}
	/* Only now: a start that fails is told to whoever started iked. */
	if (daemonize) {
		if (daemon(0, 0) < 0) {
			ike_log(NULL, "cannot become a daemon: %s", strerror(errno));
			return 1;
		}
		openlog("iked", LOG_PID, LOG_DAEMON);
		ike_syslog = true;
	}
	/* The daemon's fork was the last call outside the filter. */
	if (privileges_seccomp()) {
		ike_log(NULL, "cannot start: cannot install the seccomp filter");
		return 1;
	}
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);
	if (kernel_bypass_ike(true))
		ike_log(NULL, "cannot install the IKE bypass policies");
	conn_start_all();
	ike_log(NULL, "iked started (%s)", iked.conf_path);
	status = run();
	conn_stop(NULL);
	kernel_bypass_ike(false);
	ctl_close();
	net_close();
	kernel_close();
	config_free(&iked.conf);
	ike_log(NULL, "iked stopped");
	return status;
}
