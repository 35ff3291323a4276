// SPDX-License-Identifier: GPL-2.0
/* ipsecctl link: route-based tunnel devices (kind "nfesp"). */
#include <errno.h>
#include <net/if.h>
#include <stdlib.h>
#include <string.h>

#include <linux/if_link.h>
#include <linux/rtnetlink.h>

#include "../lib/nl.h"
#include "../lib/parse.h"
#include "../lib/util.h"
#include "ipsecctl.h"

static void link_usage(FILE *f)
{
	fputs("Usage: ipsecctl link add NAME [ if-id N ] [ mtu MTU ]\n"
	      "       ipsecctl link del NAME\n"
	      "       ipsecctl link list\n"
	      "A device's SAs are those with its if-id (ipsecctl sa add ... dev NAME).\n",
	      f);
}

static int link_print(struct nlattr **tb, void *state)
{
	struct nlattr *link[NFESP_LINK_A_MAX + 1];
	const char *name;
	uint32_t if_id;
	bool here;
	FILE *f;

	if (nfesp_nl_link_parse(tb, link))
		return -EPROTO;
	name = nla_get_string(link[NFESP_LINK_A_IFNAME]);
	if_id = nla_get_u32(link[NFESP_LINK_A_IF_ID]);
	here = link[NFESP_LINK_A_HERE] != NULL;
	f = list_next(state);
	if (!opts.json) {
		fprintf(f, "%s if-id %u%s\n", name, if_id,
			here ? "" : " (moved to another namespace)");
		return 0;
	}
	fputs("{\"ifname\":", f);
	json_print_string(f, name);
	fprintf(f, ",\"if_id\":%u,\"ifindex\":%u,\"here\":%s}", if_id,
		nla_get_u32(link[NFESP_LINK_A_IFINDEX]), here ? "true" : "false");
	return 0;
}

int link_if_id(struct nfesp_nl *nl, const char *name, uint32_t *if_id)
{
	int err = nfesp_nl_link_if_id(nl, name, if_id);

	if (err == -ENODEV)
		error("dev \"%s\" is no nfesp device of this namespace (see \"ipsecctl link list\")",
		      name);
	else if (err)
		error("dev %s: %s", name, nl->error);
	return err ? -1 : 0;
}

/* RTM_NEWLINK (kind nfesp) or RTM_DELLINK for @name. */
static struct nl_msg *link_msg(int type, int flags, const char *name,
			       uint32_t if_id, uint32_t mtu)
{
	struct ifinfomsg ifi = { .ifi_family = AF_UNSPEC };
	struct nlattr *info, *data;
	struct nl_msg *msg;

	msg = nlmsg_alloc_simple(type, NLM_F_REQUEST | flags);
	if (!msg)
		return NULL;
	if (nlmsg_append(msg, &ifi, sizeof(ifi), NLMSG_ALIGNTO) < 0 ||
	    nla_put_string(msg, IFLA_IFNAME, name) < 0)
		goto fail;
	if (type == RTM_DELLINK)
		return msg;
	if (mtu && nla_put_u32(msg, IFLA_MTU, mtu) < 0)
		goto fail;
	info = nla_nest_start(msg, IFLA_LINKINFO);
	if (!info || nla_put_string(msg, IFLA_INFO_KIND, "nfesp") < 0)
		goto fail;
	if (if_id) {
		data = nla_nest_start(msg, IFLA_INFO_DATA);
		if (!data || nla_put_u32(msg, IFLA_NFESP_IF_ID, if_id) < 0)
			goto fail;
		nla_nest_end(msg, data);
	}
	nla_nest_end(msg, info);
	return msg;
fail:
	nlmsg_free(msg);
	return NULL;
}

static int link_change(const char *cmd, int argc, char **argv)
{
	bool add = !strcmp(cmd, "add");
	uint32_t if_id = 0, mtu = 0;
	const char *name;
	struct nfesp_nl nl;
	int err;

	if (argc < 1) {
		error("\"link %s\" needs a device name", cmd);
		return EXIT_USAGE;
	}
	name = argv[0];
	if (strlen(name) >= IFNAMSIZ) {
		error("device name \"%s\" is longer than %d characters", name, IFNAMSIZ - 1);
		return EXIT_USAGE;
	}
	for (argc--, argv++; argc > 0; argc -= 2, argv += 2) {
		uint32_t *v = !strcmp(argv[0], "if-id") ? &if_id :
			      !strcmp(argv[0], "mtu") ? &mtu : NULL;

		if (!add || !v) {
			error("\"%s\" is unknown here, try \"ipsecctl link help\"", argv[0]);
			return EXIT_USAGE;
		}
		if (argc < 2 || parse_u32(argv[1], UINT32_MAX, v) || !*v) {
			error("%s needs a number above 0", argv[0]);
			return EXIT_USAGE;
		}
	}
	if (opts.dry_run)
		return EXIT_OK;
	if (nfesp_nl_connect_route(&nl)) {
		error("%s", nl.error);
		return EXIT_KERNEL;
	}
	err = nfesp_nl_request(&nl, add ? link_msg(RTM_NEWLINK, NLM_F_CREATE | NLM_F_EXCL,
						   name, if_id, mtu) :
					  link_msg(RTM_DELLINK, 0, name, 0, 0),
			       NULL, NULL);
	if (err)
		error("link %s %s: %s", cmd, name, nl.error);
	nfesp_nl_close(&nl);
	return err ? EXIT_KERNEL : EXIT_OK;
}

int do_link(int argc, char **argv)
{
	if (argc == 0 || matches(argv[0], "list") || matches(argv[0], "show"))
		return list_objects(NFESP_CMD_LINK_GET, "link list", argc ? argc - 1 : 0,
				    argv + 1, link_print);
	if (matches(argv[0], "help")) {
		link_usage(stdout);
		return EXIT_OK;
	}
	if (matches(argv[0], "add"))
		return link_change("add", argc - 1, argv + 1);
	if (matches(argv[0], "delete") || !strcmp(argv[0], "del"))
		return link_change("del", argc - 1, argv + 1);
	error("\"link %s\" is unknown, try \"ipsecctl link help\"", argv[0]);
	return EXIT_USAGE;
}
