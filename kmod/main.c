// SPDX-License-Identifier: GPL-2.0
/*
 * nfesp: IPsec ESP in the kernel, from netfilter hooks.
 *
 * Module init and exit, and the state nfesp keeps per network namespace.
 */
#include <linux/module.h>
#include <net/genetlink.h>
#include <net/net_namespace.h>
#include <net/rtnetlink.h>

#include "nfesp.h"
#include "version.h"

unsigned int nfesp_net_id __read_mostly;

static int __net_init nfesp_net_init(struct net *net)
{
	struct nfesp_net *nn = nfesp_pernet(net);
	int err;

	nn->net = net;
	mutex_init(&nn->lock);
	xa_init(&nn->devices);
	nfesp_expire_init(nn);
	nn->stats = nfesp_stats_alloc();
	if (!nn->stats)
		return -ENOMEM;
	err = nfesp_sad_init(nn);
	if (err)
		goto err_stats;
	err = nfesp_pol_net_init(nn);
	if (err)
		goto err_sad;
	return 0;

err_sad:
	nfesp_sad_exit(nn);
err_stats:
	nfesp_stats_free(nn->stats);
	return err;
}

/* Before the namespace's devices go: those created from it go first. */
static void __net_exit nfesp_net_pre_exit(struct net *net)
{
	nfesp_dev_net_exit(nfesp_pernet(net));
}

static void __net_exit nfesp_net_exit(struct net *net)
{
	struct nfesp_net *nn = nfesp_pernet(net);

	/* No new packets, then none in flight: nothing kicks the expire work. */
	nfesp_hooks_disable(nn);
	nfesp_pkt_drain(nn);
	nfesp_expire_exit(nn);
	nfesp_pol_net_exit(nn);
	nfesp_sad_exit(nn);
	nfesp_stats_free(nn->stats);
	xa_destroy(&nn->devices);
}

static struct pernet_operations nfesp_net_ops = {
	.init = nfesp_net_init,
	.pre_exit = nfesp_net_pre_exit,
	.exit = nfesp_net_exit,
	.id = &nfesp_net_id,
	.size = sizeof(struct nfesp_net),
};

static int __init nfesp_init(void)
{
	int err;

	/* Namespaces first: a netlink request may arrive as soon as the family exists. */
	err = register_pernet_subsys(&nfesp_net_ops);
	if (err)
		return err;
	err = nfesp_dev_init();
	if (err)
		goto err_pernet;
	err = nfesp_genl_init();
	if (err)
		goto err_dev;
	nfesp_pkt_fault_init();
	pr_info("nfesp %s loaded\n", NFESP_VERSION);
	return 0;

err_dev:
	nfesp_dev_exit();
err_pernet:
	unregister_pernet_subsys(&nfesp_net_ops);
	return err;
}

static void __exit nfesp_exit(void)
{
	nfesp_genl_exit();
	nfesp_dev_exit();
	nfesp_pkt_fault_exit();
	unregister_pernet_subsys(&nfesp_net_ops);
	/* SAs are freed by RCU callbacks, which live in this module's text. */
	rcu_barrier();
}

module_init(nfesp_init);
module_exit(nfesp_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("IPsec ESP from netfilter hooks");
MODULE_AUTHOR("The nfesp developers");
MODULE_VERSION(NFESP_VERSION);
MODULE_ALIAS_GENL_FAMILY(NFESP_GENL_NAME);
MODULE_ALIAS_RTNL_LINK("nfesp");	/* ip link add ... type nfesp */
