// SPDX-License-Identifier: GPL-2.0
/*
 * [global]: iked's own settings, in the section of that name (so no
 * connection may be called "global"). Checked like a connection's keys.
 */
#include <stddef.h>
#include <string.h>

#include "conf_loader.h"
#include "conf_values.h"

static const struct {
	const char *name;
	unsigned int min, max;
	size_t offset;
	const char *what;
} settings[] = {
	{ "retries", 1, 10, offsetof(struct ike_settings, retries),
	  "resends of an unanswered request" },
	{ "cookie_threshold", 0, 65535, offsetof(struct ike_settings, cookie_threshold),
	  "half-open IKE SAs before cookies are asked" },
	{ "half_open_max", 1, 65535, offsetof(struct ike_settings, half_open_max),
	  "half-open IKE SAs at most" },
};

_Static_assert(sizeof(settings) / sizeof(settings[0]) ==
	       sizeof(((struct loader *)0)->setting_line) / sizeof(unsigned int),
	       "a line for each setting");

void conf_global_defaults(struct ike_settings *s)
{
	s->retries = IKE_DEFAULT_RETRIES;
	s->cookie_threshold = IKE_DEFAULT_COOKIE_THRESHOLD;
	s->half_open_max = IKE_DEFAULT_HALF_OPEN_MAX;
}

void conf_global_key(struct loader *ld, const char *name, const char *v)
{
	unsigned long n;
	size_t i;

	for (i = 0; i < sizeof(settings) / sizeof(settings[0]); i++)
		if (!strcmp(name, settings[i].name))
			break;
	if (i == sizeof(settings) / sizeof(settings[0])) {
		conf_error(ld, ld->line,
			   "'%s' is no [global] setting (known: retries, cookie_threshold, half_open_max; a connection's keys go in its own section)",
			   name);
		return;
	}
	if (ld->setting_line[i]) {
		conf_error(ld, ld->line, "'%s' given twice (first on line %u)", name,
			   ld->setting_line[i]);
		return;
	}
	ld->setting_line[i] = ld->line;
	if (!conf_parse_uint(v, settings[i].max, &n) || n < settings[i].min) {
		conf_error(ld, ld->line, "invalid %s '%s' (expected %u to %u: %s)", name, v,
			   settings[i].min, settings[i].max, settings[i].what);
		return;
	}
	*(unsigned int *)((char *)&ld->settings + settings[i].offset) = (unsigned int)n;
}
