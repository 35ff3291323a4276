/* SPDX-License-Identifier: GPL-2.0 */
/* iked's control socket, for `ipsecctl ike`. */
#ifndef IKED_CTL_H
#define IKED_CTL_H

#include <stdbool.h>
#include <stdio.h>

#define IKED_CTL_SOCKET "/run/nfesp/iked.sock"

/* @reload reads the configuration again, telling @f what went wrong. */
int ctl_open(const char *path, bool (*reload)(FILE *f));
void ctl_close(void);
int ctl_fd(void);
/* Answers one client. */
void ctl_accept(void);
/* One command line (list, up NAME, ...), its answer written to @f; false
 * when it failed.
 */
bool ctl_command(const char *line, FILE *f);

/* iked's own (ctl.c, ctl_json.c): the words of `ike list`, and its JSON. */
enum ike_state;
enum child_state;
const char *ctl_state_name(enum ike_state s);
const char *ctl_child_state_name(enum child_state s);
void ctl_json_list(FILE *f);
void ctl_json_leases(FILE *f);
void ctl_json_conns(FILE *f);
void ctl_json_certs(FILE *f);

#endif
