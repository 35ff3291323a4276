// SPDX-License-Identifier: GPL-2.0
/* Listing, getting and flushing objects: what sa and policy share. */
#include <errno.h>
#include <stdlib.h>

#include "../lib/nl.h"
#include "ipsecctl.h"

static int list_begin(struct list_state *s, bool array)
{
	s->buf = NULL;
	s->len = 0;
	s->count = 0;
	s->array = array;
	s->f = open_memstream(&s->buf, &s->len);
	if (!s->f)
		return -ENOMEM;
	if (opts.json && array)
		fputc('[', s->f);
	return 0;
}

FILE *list_next(struct list_state *s)
{
	if (opts.json && s->count)
		fputc(',', s->f);
	s->count++;
	return s->f;
}

/* Prints what was gathered if @err is 0; returns @err. */
static int list_end(struct list_state *s, int err)
{
	if (opts.json && s->array)
		fputc(']', s->f);
	if (opts.json && (s->array || s->count))
		fputc('\n', s->f);
	fclose(s->f);
	if (!err)
		fwrite(s->buf, 1, s->len, stdout);
	free(s->buf);
	return err;
}

int get_object(struct nfesp_nl *nl, struct nl_msg *msg, print_fn print)
{
	struct list_state s;

	if (list_begin(&s, false)) {
		nfesp_nl_msg_free(msg);
		return -ENOMEM;
	}
	return list_end(&s, nfesp_nl_request(nl, msg, print, &s));
}

int list_objects(uint8_t cmd, const char *what, int argc, char **argv,
		 print_fn print)
{
	struct list_state s;
	struct nfesp_nl nl;
	int err = -ENOMEM, tries;

	if (argc > 0) {
		error("\"%s\" takes no arguments, got \"%s\"", what, argv[0]);
		return EXIT_USAGE;
	}
	if (opts.dry_run)
		return EXIT_OK;
	if (open_kernel(&nl))
		return EXIT_KERNEL;
	/* A dump the kernel flags inconsistent is thrown away and redone. */
	for (tries = 0; tries < 5; tries++) {
		struct nl_msg *msg;

		if (list_begin(&s, true))
			break;
		msg = nfesp_nl_msg(&nl, cmd, NLM_F_DUMP);
		if (msg && opts.show_keys)
			nla_put_flag(msg, NFESP_A_SHOW_KEYS);
		err = list_end(&s, nfesp_nl_request(&nl, msg, print, &s));
		if (err != -EAGAIN)
			break;
	}
	if (err)
		error("%s: %s", what, nl.error);
	nfesp_nl_close(&nl);
	return err ? EXIT_KERNEL : EXIT_OK;
}

int flush_objects(uint8_t cmd, const char *what, int argc, char **argv)
{
	struct nfesp_nl nl;
	int err;

	if (argc > 0) {
		error("\"%s\" takes no arguments, got \"%s\"", what, argv[0]);
		return EXIT_USAGE;
	}
	if (opts.dry_run)
		return EXIT_OK;
	if (open_kernel(&nl))
		return EXIT_KERNEL;
	err = nfesp_nl_request(&nl, nfesp_nl_msg(&nl, cmd, 0), NULL, NULL);
	if (err)
		error("%s: %s", what, nl.error);
	nfesp_nl_close(&nl);
	return err ? EXIT_KERNEL : EXIT_OK;
}
