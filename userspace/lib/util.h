/* SPDX-License-Identifier: GPL-2.0 */
/* Small helpers shared by the nfesp tools. */
#ifndef NFESP_UTIL_H
#define NFESP_UTIL_H

#include <stdbool.h>
#include <stdio.h>

/* True when @arg is a non-empty prefix of @word, as ip(8) abbreviates. */
bool matches(const char *arg, const char *word);

/* Writes @s as a JSON string, quotes included. */
void json_print_string(FILE *f, const char *s);

/* The name of counter @stat (enum nfesp_stat), NULL for a marker. */
const char *nfesp_stat_name(unsigned int stat);

#endif
