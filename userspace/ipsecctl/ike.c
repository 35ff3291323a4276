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
#include "../lib/parse.h"
#include "../lib/util.h"
#include "ipsecctl.h"

static void ike_usage(FILE *f)
{
	fputs("Usage: ipsecctl ike { list | list-conns | certs | leases } [ socket PATH ]\n"
	      "       ipsecctl ike up NAME [ timeout SECONDS ] [ socket PATH ]\n"
	      "       ipsecctl ike down NAME [ socket PATH ]\n"
	      "       ipsecctl ike down NAME { ID | #N } [ socket PATH ]\n"
	      "       ipsecctl ike rekey NAME [ ike ] [ socket PATH ]\n"
	      "       ipsecctl ike reload [ socket PATH ]\n"
	      "       ipsecctl ike log { info | debug } [ socket PATH ]\n"
	      "ike up waits for the outcome (default: up to 120 s), showing what iked\n"
	      "logs of it; its exit status is 0 only once the CHILD SA is installed.\n"
	      "iked's control socket: " IKED_CTL_SOCKET ", or $NFESP_IKED_SOCKET.\n",
	      f);
}

/*
 * Sends @line to iked; its answer's text goes to @out (stderr, after
 * "ipsecctl: iked: ", when iked refused). EXIT_OK if iked said OK.
 */
static int ask_iked_to(const char *path, const char *line, FILE *out_ok)
{
	struct sockaddr_un sun = { .sun_family = AF_UNIX };
	char buf[4096];
	bool first = true, ok = false;
	ssize_t len;
	FILE *out = out_ok;
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
			out = ok ? out_ok : stderr;
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

static int ask_iked(const char *path, const char *line)
{
	return ask_iked_to(path, line, stdout);
}

/* One answer of iked's into @buf (its text, NUL-terminated); its status. */
static int ask_iked_text(const char *path, const char *line, char **buf)
{
	size_t len = 0;
	FILE *f = open_memstream(buf, &len);
	int ret;

	if (!f) {
		error("out of memory");
		return EXIT_KERNEL;
	}
	ret = ask_iked_to(path, line, f);
	fclose(f);
	return ret;
}

/* With -j, ike up's lines gather here, as JSON strings, for one object. */
static FILE *up_json;
static bool up_json_first = true;

/* A line of iked's for people: printed, or (-j) kept for the object. */
static void show_line(const char *p, size_t len)
{
	char *copy;

	if (!up_json) {
		printf("%.*s\n", (int)len, p);
		return;
	}
	copy = strndup(p, len);
	if (!copy)
		return;
	fputs(up_json_first ? "" : ",", up_json);
	json_print_string(up_json, copy);
	up_json_first = false;
	free(copy);
}

/* Shows @text's lines but the "seq N" and "state S" ones; N, or @seq. */
static unsigned long print_answer(const char *text, unsigned long seq, char *state,
				  size_t state_len)
{
	const char *p, *end;
	size_t len;

	for (p = text; p && *p; p = end ? end + 1 : NULL) {
		end = strchr(p, '\n');
		len = (size_t)((end ? end : p + strlen(p)) - p);
		if (!strncmp(p, "seq ", 4))
			seq = strtoul(p + 4, NULL, 10);
		else if (!strncmp(p, "state ", 6))
			snprintf(state, state_len, "%.*s", (int)(len - 6), p + 6);
		else if (!strncmp(p, "| ", 2))
			show_line(p + 2, len - 2);
		else
			show_line(p, len);
	}
	fflush(stdout);
	return seq;
}

/*
 * ike up: asks iked to start @name, then watches it (every 200 ms) until
 * its CHILD SA is installed (EXIT_OK), its IKE SA is gone (the negotiation
 * failed) or @timeout seconds passed, printing what iked logs of it.
 */
/* -j for a command that answers in words: {"ok": true, "message": ...}. */
static int ask_iked_json_message(const char *path, const char *line)
{
	char *text = NULL;
	size_t len;
	int ret = ask_iked_text(path, line, &text);

	if (ret == EXIT_OK) {
		len = strlen(text);
		while (len && text[len - 1] == '\n')
			text[--len] = '\0';
		fputs("{\"ok\":true,\"message\":", stdout);
		json_print_string(stdout, text);
		fputs("}\n", stdout);
	}
	free(text);
	return ret;
}

static int ike_up_watch(const char *path, const char *name, unsigned int timeout);

/* ike up, and with -j its outcome as {"name", "up", "log": [lines]}. */
static int ike_up(const char *path, const char *name, unsigned int timeout)
{
	char *lines = NULL;
	size_t len = 0;
	int ret;

	if (opts.json) {
		up_json = open_memstream(&lines, &len);
		if (!up_json) {
			error("out of memory");
			return EXIT_KERNEL;
		}
	}
	ret = ike_up_watch(path, name, timeout);
	if (up_json) {
		fclose(up_json);
		up_json = NULL;
		fputs("{\"name\":", stdout);
		json_print_string(stdout, name);
		printf(",\"up\":%s,\"log\":[%s]}\n", ret == EXIT_OK ? "true" : "false",
		       lines ? lines : "");
		free(lines);
	}
	return ret;
}

static int ike_up_watch(const char *path, const char *name, unsigned int timeout)
{
	char line[128], state[32] = "connecting", *text = NULL;
	unsigned long seq = 0;
	unsigned int waited;
	int ret;

	snprintf(line, sizeof(line), "up %s\n", name);
	ret = ask_iked_text(path, line, &text);
	if (ret == EXIT_OK)
		seq = print_answer(text, 0, state, sizeof(state));
	if (ret != EXIT_OK || strstr(text, "already up")) {
		free(text);
		return ret;
	}
	free(text);
	for (waited = 0; waited < timeout * 5; waited++) {
		usleep(200 * 1000);
		snprintf(line, sizeof(line), "watch %s %lu\n", name, seq);
		text = NULL;
		ret = ask_iked_text(path, line, &text);
		if (ret != EXIT_OK) {
			free(text);
			return ret;
		}
		seq = print_answer(text, seq, state, sizeof(state));
		free(text);
		if (!strcmp(state, "up")) {
			if (!up_json)
				printf("%s: up\n", name);
			return EXIT_OK;
		}
		if (!strcmp(state, "down")) {
			error("%s: the negotiation failed (iked's lines above say why)", name);
			return EXIT_KERNEL;
		}
	}
	error("%s: not up within %u s", name, timeout);
	return EXIT_KERNEL;
}

int do_ike(int argc, char **argv)
{
	const char *path = getenv("NFESP_IKED_SOCKET");
	const char *verb, *name = NULL, *who = NULL;
	uint32_t timeout = 120;
	bool ike_sa = false, listing;
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
	if (argc >= 2 && !strcmp(verb, "up") && !strcmp(argv[0], "timeout")) {
		if (parse_u32(argv[1], 86400, &timeout) || !timeout) {
			error("ike up: timeout needs seconds, 1 to 86400, not \"%s\"", argv[1]);
			return EXIT_USAGE;
		}
		argc -= 2;
		argv += 2;
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
	if (!strcmp(verb, "up"))
		return ike_up(path, name, timeout);
	listing = !strcmp(verb, "list") || !strcmp(verb, "conns") || !strcmp(verb, "leases") ||
		  !strcmp(verb, "certs");
	snprintf(line, sizeof(line), "%s%s%s%s%s%s%s\n", opts.json && listing ? "json " : "",
		 verb, name ? " " : "", name ? name : "", ike_sa ? " ike" : "", who ? " " : "",
		 who ? who : "");
	if (opts.json && !listing)
		return ask_iked_json_message(path, line);
	return ask_iked(path, line);
}
