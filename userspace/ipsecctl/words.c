// SPDX-License-Identifier: GPL-2.0
/* What the commands share to read their words and reach the kernel. */
#include <inttypes.h>

#include "../lib/nl.h"
#include "../lib/util.h"
#include "ipsecctl.h"

const char *value_of(int *argc, char ***argv)
{
	if (*argc < 2) {
		error("\"%s\" needs a value", (*argv)[0]);
		return NULL;
	}
	(*argc)--;
	(*argv)++;
	return (*argv)[0];
}

bool once(bool *seen, const char *word)
{
	if (*seen) {
		error("\"%s\" is given twice", word);
		return false;
	}
	*seen = true;
	return true;
}

bool once_in(uint32_t *has, uint32_t bit, const char *word)
{
	if (*has & bit) {
		error("\"%s\" is given twice", word);
		return false;
	}
	*has |= bit;
	return true;
}

int open_kernel(struct nfesp_nl *nl)
{
	if (!nfesp_nl_open(nl))
		return 0;
	error("%s", nl->error);
	return -1;
}

void print_stats_line(FILE *f, struct nlattr *stats)
{
	struct nlattr *attr;
	int rem;

	fputs("\tstats", f);
	nla_for_each_nested(attr, stats, rem)
		if (nfesp_stat_name(nla_type(attr)))
			fprintf(f, " %s %" PRIu64, nfesp_stat_name(nla_type(attr)),
				nla_get_u64(attr));
	fputc('\n', f);
}
