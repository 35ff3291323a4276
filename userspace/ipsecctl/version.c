// SPDX-License-Identifier: GPL-2.0
/* ipsecctl version: the tool's version and the loaded module's. */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "../../kmod/version.h"
#include "../lib/nl.h"
#include "../lib/util.h"
#include "ipsecctl.h"

struct module_version {
	char version[64];
};

static int read_version(struct nlattr **tb, void *arg)
{
	struct module_version *mv = arg;

	if (!tb[NFESP_A_VERSION])
		return -EPROTO;
	snprintf(mv->version, sizeof(mv->version), "%s",
		 nla_get_string(tb[NFESP_A_VERSION]));
	return 0;
}

static void print_version(const struct nfesp_nl *nl,
			  const struct module_version *mv)
{
	if (opts.json) {
		fputs("{\"ipsecctl\":", stdout);
		json_print_string(stdout, NFESP_VERSION);
		if (mv) {
			fputs(",\"module\":", stdout);
			json_print_string(stdout, mv->version);
			printf(",\"abi\":%u", nl->abi);
		}
		fputs("}\n", stdout);
		return;
	}
	printf("ipsecctl %s\n", NFESP_VERSION);
	if (mv)
		printf("nfesp module %s, netlink ABI %u\n", mv->version, nl->abi);
}

int do_version(int argc, char **argv)
{
	struct module_version mv = { "" };
	struct nfesp_nl nl;
	int err;

	if (argc > 0) {
		error("\"version\" takes no arguments, got \"%s\"", argv[0]);
		return EXIT_USAGE;
	}
	if (opts.dry_run)
		return EXIT_OK;
	err = nfesp_nl_open(&nl);
	if (err) {
		print_version(&nl, NULL);
		error("module: %s", nl.error);
		return EXIT_KERNEL;
	}
	err = nfesp_nl_request(&nl, nfesp_nl_msg(&nl, NFESP_CMD_GET_VERSION, 0),
			       read_version, &mv);
	if (err) {
		print_version(&nl, NULL);
		error("module: %s", err == -EPROTO && !nl.error[0] ?
		      "the reply carries no version" : nl.error);
		nfesp_nl_close(&nl);
		return EXIT_KERNEL;
	}
	print_version(&nl, &mv);
	nfesp_nl_close(&nl);
	return EXIT_OK;
}
