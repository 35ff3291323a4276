// SPDX-License-Identifier: GPL-2.0
/*
 * What one packet's crypto needs, in one allocation: the context the
 * completion needs, the AEAD request and its scatterlist; and the bound on
 * how many a namespace may have waiting.
 */
#include <linux/debugfs.h>
#include <linux/fault-inject.h>
#include <linux/ip.h>
#include <linux/module.h>
#include <linux/skbuff.h>
#include <linux/slab.h>
#include <linux/wait_bit.h>
#include <crypto/aead.h>

#include "nfesp.h"

static size_t nfesp_pkt_req_off(void)
{
	return ALIGN(sizeof(struct nfesp_pkt), crypto_tfm_ctx_alignment());
}

static size_t nfesp_pkt_sg_off(struct crypto_aead *aead)
{
	return ALIGN(nfesp_pkt_req_off() + sizeof(struct aead_request) +
		     crypto_aead_reqsize(aead), __alignof__(struct scatterlist));
}

/*
 * Packets a namespace may have waiting for asynchronous crypto at once
 * (synchronous drivers hold none past the hook): they queue them, and a
 * flood must not queue without end.
 */
static unsigned int max_inflight = 2048;

/* 0 would drop every packet: refused, rather than a black hole. */
static int set_max_inflight(const char *val, const struct kernel_param *kp)
{
	unsigned int n;
	int err = kstrtouint(val, 0, &n);

	if (err)
		return err;
	if (!n) {
		pr_warn("nfesp: max_inflight 0 would drop every packet; give 1 or more\n");
		return -EINVAL;
	}
	WRITE_ONCE(*(unsigned int *)kp->arg, n);
	return 0;
}

static const struct kernel_param_ops max_inflight_ops = {
	.set = set_max_inflight,
	.get = param_get_uint,
};

module_param_cb(max_inflight, &max_inflight_ops, &max_inflight, 0644);
MODULE_PARM_DESC(max_inflight,
		 "Packets a namespace may have waiting for crypto, 1 or more; more are dropped (drop_backlog)");

#ifdef CONFIG_FAULT_INJECTION_DEBUG_FS
/*
 * fail_nfesp_pkt in debugfs: these allocations, and only these, made to
 * fail on purpose (Documentation/fault-injection), in softirq too, where
 * failslab's task filter cannot reach.
 */
static DECLARE_FAULT_ATTR(fail_pkt);
static struct dentry *fail_pkt_dir;

void nfesp_pkt_fault_init(void)
{
	fail_pkt_dir = fault_create_debugfs_attr("fail_nfesp_pkt", NULL,
						 &fail_pkt);
}

void nfesp_pkt_fault_exit(void)
{
	if (!IS_ERR(fail_pkt_dir))
		debugfs_remove_recursive(fail_pkt_dir);
}

static bool nfesp_pkt_should_fail(size_t size)
{
	return should_fail(&fail_pkt, size);
}
#else
static bool nfesp_pkt_should_fail(size_t size)
{
	return false;
}
#endif

static void nfesp_inflight_dec(struct nfesp_net *nn)
{
	if (atomic_dec_and_test(&nn->inflight))
		wake_up_var(&nn->inflight);
}

/*
 * A packet whose crypto may complete after its hook returned (@sa's
 * driver is asynchronous) holds a reference on @sa and counts as in
 * flight in @nn until nfesp_pkt_free(), so that neither goes away under
 * it; NULL, and in @why the reason, if the namespace has too many in
 * flight or @sa (found under RCU) is on its way out. A synchronous one
 * is done before the hook's RCU section ends, which keeps both: it
 * touches no shared counter.
 */
static bool nfesp_pkt_hold(struct nfesp_net *nn, struct nfesp_sa *sa,
			   enum nfesp_stat *why)
{
	if (!sa->async)
		return true;
	*why = NFESP_STAT_DROP_BACKLOG;
	if (atomic_inc_return(&nn->inflight) > READ_ONCE(max_inflight))
		goto err_inflight;
	*why = NFESP_STAT_DROP_NO_SA;
	if (!refcount_inc_not_zero(&sa->refcnt))
		goto err_inflight;
	return true;

err_inflight:
	nfesp_inflight_dec(nn);
	return false;
}

static void nfesp_pkt_release(struct nfesp_net *nn, struct nfesp_sa *sa)
{
	if (!sa->async)
		return;
	nfesp_sa_put(sa);
	nfesp_inflight_dec(nn);
}

/*
 * One block for one packet: the context, the request and @nsg scatterlist
 * entries, held as nfesp_pkt_hold() says. NULL, and in @why the reason,
 * if it cannot be held or there is no memory.
 */
struct nfesp_pkt *nfesp_pkt_alloc(struct nfesp_net *nn, struct nfesp_sa *sa,
				  struct sk_buff *skb, unsigned int nsg,
				  enum nfesp_stat *why)
{
	struct nfesp_pkt *pkt;
	size_t size;

	if (!nfesp_pkt_hold(nn, sa, why))
		return NULL;
	*why = NFESP_STAT_DROP_NO_MEMORY;
	size = nfesp_pkt_sg_off(sa->aead) + nsg * sizeof(struct scatterlist);
	pkt = nfesp_pkt_should_fail(size) ? NULL : kmalloc(size, GFP_ATOMIC);
	if (!pkt) {
		nfesp_pkt_release(nn, sa);
		return NULL;
	}
	pkt->nn = nn;
	pkt->sa = sa;
	pkt->skb = skb;
	return pkt;
}

static struct aead_request *nfesp_pkt_req(struct nfesp_pkt *pkt)
{
	return (void *)pkt + nfesp_pkt_req_off();
}

static struct scatterlist *nfesp_pkt_sg(struct nfesp_pkt *pkt)
{
	return (void *)pkt + nfesp_pkt_sg_off(pkt->sa->aead);
}

void nfesp_pkt_free(struct nfesp_pkt *pkt)
{
	struct nfesp_net *nn = pkt->nn;
	struct nfesp_sa *sa = pkt->sa;

	kfree(pkt);
	nfesp_pkt_release(nn, sa);
}

/*
 * Points @pkt's AEAD request at the ESP packet at @esp_off of @skb, to work
 * in place: the AAD (SPI and sequence number, in @pkt), then IV, @clen
 * bytes of payload and trailer, and the ICV. Decryption covers the ICV
 * too. NULL if the packet does not fit the @nsg scatterlist entries.
 */
struct aead_request *nfesp_pkt_prepare(struct nfesp_pkt *pkt,
				       unsigned int nsg, unsigned int esp_off,
				       unsigned int clen, bool decrypt,
				       crypto_completion_t done)
{
	struct crypto_aead *aead = pkt->sa->aead;
	unsigned int ivlen = crypto_aead_ivsize(aead);
	unsigned int icvlen = crypto_aead_authsize(aead);
	struct scatterlist *sg = nfesp_pkt_sg(pkt);
	struct aead_request *req = nfesp_pkt_req(pkt);
	unsigned int aadlen;

	aadlen = nfesp_esp_aad(pkt->aad, pkt->sa->key.spi, pkt->seq,
			       pkt->sa->flags & NFESP_SA_F_ESN);
	sg_init_table(sg, nsg);
	sg_set_buf(sg, pkt->aad, aadlen);
	if (skb_to_sgvec(pkt->skb, sg + 1, esp_off + sizeof(struct ip_esp_hdr),
			 ivlen + clen + icvlen) < 0)
		return NULL;
	aead_request_set_tfm(req, aead);
	aead_request_set_callback(req, CRYPTO_TFM_REQ_MAY_BACKLOG, done, pkt);
	aead_request_set_crypt(req, sg, sg, clen + (decrypt ? icvlen : 0),
			       pkt->iv);
	aead_request_set_ad(req, aadlen + ivlen);
	return req;
}

/* The namespace is going and its hooks are gone: waits for the stragglers. */
void nfesp_pkt_drain(struct nfesp_net *nn)
{
	wait_var_event(&nn->inflight, !atomic_read(&nn->inflight));
}
