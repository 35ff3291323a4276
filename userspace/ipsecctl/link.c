// SPDX-License-Identifier: GPL-2.0
/* ipsecctl link: route-based tunnel devices (kind "nfesp"). */
#include <arpa/inet.h>
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

/* An SA bound to a device, gathered before the devices are listed. */
struct bound_sa {
	uint32_t if_id, spi;
	uint8_t dir;
	int family;
	uint8_t src[16], dst[16];
};

struct bound_sas {
	struct bound_sa *sa;
	size_t n, cap;
};

static int gather_sa(struct nlattr **tb, void *arg)
{
	struct nlattr *sa[NFESP_SA_A_MAX + 1];
	struct bound_sas *b = arg;
	struct bound_sa *x;
	size_t alen;

	if (!tb[NFESP_A_SA] || nla_parse_nested(sa, NFESP_SA_A_MAX, tb[NFESP_A_SA], NULL))
		return -EPROTO;
	if (!sa[NFESP_SA_A_IF_ID])
		return 0;
	if (!sa[NFESP_SA_A_FAMILY] || !sa[NFESP_SA_A_SRC] || !sa[NFESP_SA_A_DST] ||
	    !sa[NFESP_SA_A_SPI] || !sa[NFESP_SA_A_DIR])
		return -EPROTO;
	if (b->n == b->cap) {
		size_t cap = b->cap ? 2 * b->cap : 16;

		x = realloc(b->sa, cap * sizeof(*x));
		if (!x)
			return -ENOMEM;
		b->sa = x;
		b->cap = cap;
	}
	x = &b->sa[b->n];
	x->family = nla_get_u16(sa[NFESP_SA_A_FAMILY]);
	alen = x->family == AF_INET ? 4 : 16;
	if (nla_len(sa[NFESP_SA_A_SRC]) != (int)alen || nla_len(sa[NFESP_SA_A_DST]) != (int)alen)
		return -EPROTO;
	x->if_id = nla_get_u32(sa[NFESP_SA_A_IF_ID]);
	x->spi = nla_get_u32(sa[NFESP_SA_A_SPI]);
	x->dir = nla_get_u8(sa[NFESP_SA_A_DIR]);
	memcpy(x->src, nla_data(sa[NFESP_SA_A_SRC]), alen);
	memcpy(x->dst, nla_data(sa[NFESP_SA_A_DST]), alen);
	b->n++;
	return 0;
}

static struct bound_sas bound;

static void print_bound_sas(FILE *f, uint32_t if_id)
{
	char src[INET6_ADDRSTRLEN], dst[INET6_ADDRSTRLEN];
	const struct bound_sa *x;
	bool first = true;
	size_t i;

	if (opts.json)
		fputs(",\"sas\":[", f);
	for (i = 0; i < bound.n; i++) {
		x = &bound.sa[i];
		if (x->if_id != if_id)
			continue;
		inet_ntop(x->family, x->src, src, sizeof(src));
		inet_ntop(x->family, x->dst, dst, sizeof(dst));
		if (opts.json)
			fprintf(f, "%s{\"dir\":\"%s\",\"src\":\"%s\",\"dst\":\"%s\",\"spi\":%u}",
				first ? "" : ",", x->dir == NFESP_DIR_IN ? "in" : "out",
				src, dst, x->spi);
		else
			fprintf(f, "    sa %s src %s dst %s spi 0x%08x\n",
				x->dir == NFESP_DIR_IN ? "in" : "out", src, dst, x->spi);
		first = false;
	}
	if (opts.json)
		fputc(']', f);
}

static uint64_t link_stat(struct nlattr **st, int which)
{
	return st[which] ? nla_get_u64(st[which]) : 0;
}

static void print_link_stats(FILE *f, struct nlattr *nest)
{
	static const char *const names[] = {
		[NFESP_LINK_STAT_RX_PACKETS] = "rx_packets",
		[NFESP_LINK_STAT_RX_BYTES] = "rx_bytes",
		[NFESP_LINK_STAT_RX_DROPPED] = "rx_dropped",
		[NFESP_LINK_STAT_TX_PACKETS] = "tx_packets",
		[NFESP_LINK_STAT_TX_BYTES] = "tx_bytes",
		[NFESP_LINK_STAT_TX_DROPPED] = "tx_dropped",
	};
	struct nlattr *st[NFESP_LINK_STAT_MAX + 1] = { 0 };
	int i;

	if (nest && nla_parse_nested(st, NFESP_LINK_STAT_MAX, nest, NULL))
		memset(st, 0, sizeof(st));
	if (!opts.json) {
		fprintf(f, "    rx %llu packets, %llu bytes, %llu dropped; tx %llu packets, %llu bytes, %llu dropped\n",
			(unsigned long long)link_stat(st, NFESP_LINK_STAT_RX_PACKETS),
			(unsigned long long)link_stat(st, NFESP_LINK_STAT_RX_BYTES),
			(unsigned long long)link_stat(st, NFESP_LINK_STAT_RX_DROPPED),
			(unsigned long long)link_stat(st, NFESP_LINK_STAT_TX_PACKETS),
			(unsigned long long)link_stat(st, NFESP_LINK_STAT_TX_BYTES),
			(unsigned long long)link_stat(st, NFESP_LINK_STAT_TX_DROPPED));
		return;
	}
	fputs(",\"stats\":{", f);
	for (i = NFESP_LINK_STAT_RX_PACKETS; i <= NFESP_LINK_STAT_TX_DROPPED; i++)
		fprintf(f, "%s\"%s\":%llu", i == NFESP_LINK_STAT_RX_PACKETS ? "" : ",",
			names[i], (unsigned long long)link_stat(st, i));
	fputc('}', f);
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
	} else {
		fputs("{\"ifname\":", f);
		json_print_string(f, name);
		fprintf(f, ",\"if_id\":%u,\"ifindex\":%u,\"here\":%s", if_id,
			nla_get_u32(link[NFESP_LINK_A_IFINDEX]), here ? "true" : "false");
	}
	print_link_stats(f, link[NFESP_LINK_A_STATS]);
	print_bound_sas(f, if_id);
	if (opts.json)
		fputc('}', f);
	return 0;
}

/* The devices, each with its counters and the SAs bound to it. */
static int link_list(int argc, char **argv)
{
	struct nfesp_nl nl;
	int err, tries;

	if (argc == 0 && !opts.dry_run) {
		if (open_kernel(&nl))
			return EXIT_KERNEL;
		/* A dump the kernel flags inconsistent is redone. */
		for (tries = 0; tries < 5; tries++) {
			bound.n = 0;
			err = nfesp_nl_request(&nl, nfesp_nl_msg(&nl, NFESP_CMD_SA_GET, NLM_F_DUMP),
					       gather_sa, &bound);
			if (err != -EAGAIN)
				break;
		}
		if (err)
			error("link list: the SAs: %s", nl.error);
		nfesp_nl_close(&nl);
		if (err) {
			free(bound.sa);
			return EXIT_KERNEL;
		}
	}
	err = list_objects(NFESP_CMD_LINK_GET, "link list", argc, argv, link_print);
	free(bound.sa);
	bound = (struct bound_sas){ 0 };
	return err;
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

bool parse_device_word(const char *w, const char *v, const char **dev, uint32_t *if_id)
{
	if (w[0] == 'd') {
		*dev = v;
		return true;
	}
	if (parse_u32(v, UINT32_MAX, if_id) || !*if_id) {
		error("if-id \"%s\" is not an interface id (1 to 4294967295)", v);
		return false;
	}
	return true;
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
		return link_list(argc ? argc - 1 : 0, argv + 1);
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
