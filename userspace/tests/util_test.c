// SPDX-License-Identifier: GPL-2.0
/* Unit tests of userspace/lib/util.c and stat_names.c. */
#define _GNU_SOURCE
#include <stdlib.h>
#include <string.h>

#include "../../kmod/uapi/nfesp.h"
#include "../lib/util.h"
#include "tap.h"

static void test_matches(void)
{
	TAP_CHECK(matches("v", "version"), "a one-letter abbreviation matches");
	TAP_CHECK(matches("version", "version"), "the whole word matches");
	TAP_CHECK(!matches("versions", "version"), "a longer word does not");
	TAP_CHECK(!matches("", "version"), "the empty word matches nothing");
	TAP_CHECK(!matches("x", "version"), "another word does not match");
}

static char *json_of(const char *s)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	json_print_string(f, s);
	fclose(f);
	return buf;
}

static void test_json_string(void)
{
	static const struct {
		const char *in, *out;
	} cases[] = {
		{ "0.1.0", "\"0.1.0\"" },
		{ "a\"b", "\"a\\\"b\"" },
		{ "a\\b", "\"a\\\\b\"" },
		{ "tab\there", "\"tab\\u0009here\"" },
		{ "", "\"\"" },
	};
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char *got = json_of(cases[i].in);

		TAP_CHECK(strcmp(got, cases[i].out) == 0,
			  "JSON string %s (got %s)", cases[i].out, got);
		free(got);
	}
}

/* Every counter the ABI has must have a name, and names must be unique
 * words: scripts read them from ipsecctl stats.
 */
static void test_stat_names(void)
{
	unsigned int i, j, unnamed = 0, bad = 0, dup = 0;

	for (i = NFESP_STAT_FIRST; i <= NFESP_STAT_MAX; i++) {
		const char *name = nfesp_stat_name(i);

		if (!name) {
			unnamed++;
			continue;
		}
		if (strspn(name, "abcdefghijklmnopqrstuvwxyz_") != strlen(name))
			bad++;
		for (j = NFESP_STAT_FIRST; j < i; j++)
			if (nfesp_stat_name(j) && !strcmp(name, nfesp_stat_name(j)))
				dup++;
	}
	TAP_CHECK(unnamed == 0, "every counter has a name (%u unnamed)", unnamed);
	TAP_CHECK(bad == 0, "counter names are lower-case words (%u not)", bad);
	TAP_CHECK(dup == 0, "counter names are unique (%u twice)", dup);
	TAP_CHECK(!nfesp_stat_name(NFESP_STAT_PAD) &&
		  !nfesp_stat_name(NFESP_STAT_MAX + 1) &&
		  !nfesp_stat_name(100000),
		  "markers and unknown counters have no name");
}

int main(void)
{
	test_matches();
	test_json_string();
	test_stat_names();
	return tap_done();
}
