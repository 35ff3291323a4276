// SPDX-License-Identifier: GPL-2.0
/* ipsecctl ike: asks iked, over its control socket, what it negotiated,
 * and tells it to bring connections up or down or to reload.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/socket.h>
#include <sys/un.h>

#include "../iked/ctl.h"
#include "../lib/util.h"
#include "ipsecctl.h"

static void ike_usage(FILE *f)
{
	fputs("Usage: ipsecctl ike { list | list-conns | certs | leases } [ socket PATH ]\n"	      "       ipsecctl ike log { info | debug } [ socket PATH ]\n"
	      "       ipsecctl ike { up | down } NAME [ socket PATH ]\n"
	      "       ipsecctl ike down NAME { ID | #N } [ socket PATH ]\n"
	      "       ipsecctl ike rekey NAME [ ike ] [ socket PATH ]\n"
	      "       ipsecctl ike reload [ socket PATH ]\n"
	      "iked's control socket: " IKED_CTL_SOCKET ", or $NFESP_IKED_SOCKET.\n",
	      f);
}

static int ask_iked(const char *path, const char *line)
{
	struct sockaddr_un sun = { .sun_family = AF_UNIX };
	char buf[4096];
	bool first = true, ok = false;
	ssize_t len;
	FILE *out = stdout;
	int fd;

	if (strlen(path) >= sizeof(sun.sun_path)) {
		error("socket path too long: %s", path);
		return EXIT_USAGE;
	}
	strcpy(sun.sun_path, path);
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0 || connect(fd, (struct sockaddr *)&sun, sizeof(sun)) < 0) {
		error("cannot reach iked at %s: %s (is iked running?)", path,
		      strerror(errno));
		if (fd >= 0)
			close(fd);
		return EXIT_KERNEL;
	}
	if (write(fd, line, strlen(line)) < 0) {
		error("writing to iked: %s", strerror(errno));
		close(fd);
		return EXIT_KERNEL;
	}
	shutdown(fd, SHUT_WR);
	while ((len = read(fd, buf, sizeof(buf))) > 0) {
		char *text = buf;

		if (first) {
			/* "OK\n" or "ERR\n", then text for people. */
			ok = !strncmp(buf, "OK\n", 3);
			text = memchr(buf, '\n', (size_t)len);
			text = text ? text + 1 : buf + len;
			out = ok ? stdout : stderr;
			if (!ok)
				fputs("ipsecctl: iked: ", stderr);
			first = false;
		}
		fwrite(text, 1, (size_t)(buf + len - text), out);
	}
	close(fd);
	if (first) {
		error("iked closed the connection without an answer");
		return EXIT_KERNEL;
	}
	return ok ? EXIT_OK : EXIT_KERNEL;
}

int do_ike(int argc, char **argv)
{
	const char *path = getenv("NFESP_IKED_SOCKET");
	const char *verb, *name = NULL, *who = NULL;
	bool ike_sa = false;
	char line[400];

	if (!path)
		path = IKED_CTL_SOCKET;
	if (argc < 1 || matches(argv[0], "help")) {
		ike_usage(argc < 1 ? stderr : stdout);
		return argc < 1 ? EXIT_USAGE : EXIT_OK;
	}
	if (matches(argv[0], "list") || matches(argv[0], "show")) {
		verb = "list";
	} else if (matches(argv[0], "list-conns")) {
		verb = "conns";
	} else if (matches(argv[0], "up")) {
		verb = "up";
	} else if (matches(argv[0], "down")) {
		verb = "down";
	} else if (matches(argv[0], "certs")) {
		verb = "certs";
	} else if (matches(argv[0], "leases")) {
		verb = "leases";
	} else if (matches(argv[0], "reload")) {
		verb = "reload";
	} else if (matches(argv[0], "rekey")) {
		verb = "rekey";
	} else if (matches(argv[0], "log")) {
		verb = "log";
	} else {
		error("ike: unknown command \"%s\": list, list-conns, certs, leases, up, down, rekey, reload or log",
		      argv[0]);
		return EXIT_USAGE;
	}
	argc--;
	argv++;
	if (strcmp(verb, "list") && strcmp(verb, "conns") && strcmp(verb, "certs") &&
	    strcmp(verb, "leases") && strcmp(verb, "reload")) {
		if (argc < 1 && !strcmp(verb, "log")) {
			error("ike log: which level? (ipsecctl ike log info|debug)");
			return EXIT_USAGE;
		}
		if (argc < 1) {
			error("ike %s: which connection? (ipsecctl ike %s NAME)", verb, verb);
			return EXIT_USAGE;
		}
		if (!strcmp(verb, "log") && strcmp(argv[0], "info") && strcmp(argv[0], "debug")) {
			error("ike log: level \"%s\" is unknown: info (iked's usual lines) or debug (every exchange, as iked -v)",
			      argv[0]);
			return EXIT_USAGE;
		}
		name = argv[0];
		argc--;
		argv++;
	}
	/* down NAME WHO: one client of a gateway, by identity or #number. */
	if (argc && !strcmp(verb, "down") && strcmp(argv[0], "socket")) {
		who = argv[0];
		argc--;
		argv++;
	}
	if (argc && !strcmp(verb, "rekey") && !strcmp(argv[0], "ike")) {
		ike_sa = true;
		argc--;
		argv++;
	}
	if (argc == 2 && matches(argv[0], "socket")) {
		path = argv[1];
		argc = 0;
	}
	if (argc) {
		error("ike %s: unexpected \"%s\"", verb, argv[0]);
		return EXIT_USAGE;
	}
	if (name && (strlen(name) >= 64 || strpbrk(name, " \t\r\n"))) {
		error("ike %s: \"%s\" is not a connection name", verb, name);
		return EXIT_USAGE;
	}
	if (who && (strlen(who) > 256 || strpbrk(who, "\r\n") || !*who)) {
		error("ike down: \"%s\" is not an identity or #number", who);
		return EXIT_USAGE;
	}
	snprintf(line, sizeof(line), "%s%s%s%s%s%s\n", verb, name ? " " : "",
		 name ? name : "", ike_sa ? " ike" : "", who ? " " : "", who ? who : "");
	return ask_iked(path, line);
}
