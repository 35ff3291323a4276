// SPDX-License-Identifier: GPL-2.0
/*
 * The ESP algorithms nfesp offers, and their AEAD transforms. The crypto
 * API chooses the implementation by priority: AES-NI/VAES on x86, the
 * ARMv8 Crypto Extensions on arm64.
 */
#include <linux/random.h>
#include <linux/rtnetlink.h>
#include <crypto/aead.h>
#include <crypto/authenc.h>
#include <net/netlink.h>

#include "compat.h"
#include "nfesp.h"

struct nfesp_alg {
	const char *name;	/* the crypto API's, as in the ABI */
	const char *esn_name;	/* what ESN needs instead, if not @name */
	u8 key_lens[2];		/* cipher key lengths, bytes */
	u8 salt_len;		/* after the cipher key (RFC 4106, RFC 7634) */
	u8 auth_key_len;	/* after the cipher key (authenc) */
	u16 icv_bits[3];	/* allowed ICV lengths; the first is the default */
	bool random_iv;		/* CBC: IVs must be unpredictable, not just unique */
};

static const struct nfesp_alg nfesp_algs[] = {
	{
		.name = "rfc4106(gcm(aes))",
		.key_lens = { 16, 32 },
		.salt_len = 4,
		.icv_bits = { 128, 96, 64 },
	},
	{
		.name = "rfc7539esp(chacha20,poly1305)",
		.key_lens = { 32 },
		.salt_len = 4,
		.icv_bits = { 128 },
	},
	{
		.name = "authenc(hmac(sha256),cbc(aes))",
		/* Hashes the high sequence bits after the payload (RFC 4303 2.2.1). */
		.esn_name = "authencesn(hmac(sha256),cbc(aes))",
		.key_lens = { 16, 32 },
		.auth_key_len = 32,
		.icv_bits = { 128 },
		.random_iv = true,
	},
};

static const struct nfesp_alg *nfesp_alg_find(const char *name)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(nfesp_algs); i++)
		if (!strcmp(nfesp_algs[i].name, name))
			return &nfesp_algs[i];
	return NULL;
}

static bool nfesp_alg_key_len_ok(const struct nfesp_alg *alg,
				 unsigned int key_len)
{
	unsigned int i, extra = alg->salt_len + alg->auth_key_len;

	for (i = 0; i < ARRAY_SIZE(alg->key_lens) && alg->key_lens[i]; i++)
		if (key_len == alg->key_lens[i] + extra)
			return true;
	return false;
}

static bool nfesp_alg_icv_ok(const struct nfesp_alg *alg, u16 icv_bits)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(alg->icv_bits) && alg->icv_bits[i]; i++)
		if (icv_bits == alg->icv_bits[i])
			return true;
	return false;
}

/* authenc wants its two keys in one blob, behind a length header. */
static int nfesp_authenc_setkey(struct crypto_aead *aead,
				const struct nfesp_alg *alg,
				const u8 *key, unsigned int key_len)
{
	unsigned int enc_len = key_len - alg->auth_key_len;
	struct crypto_authenc_key_param *param;
	unsigned int blob_len;
	struct rtattr *rta;
	u8 *blob;
	int err;

	blob_len = RTA_SPACE(sizeof(*param)) + key_len;
	blob = kmalloc(blob_len, GFP_KERNEL);
	if (!blob)
		return -ENOMEM;
	rta = (struct rtattr *)blob;
	rta->rta_type = CRYPTO_AUTHENC_KEYA_PARAM;
	rta->rta_len = RTA_LENGTH(sizeof(*param));
	param = RTA_DATA(rta);
	param->enckeylen = cpu_to_be32(enc_len);
	memcpy(blob + RTA_SPACE(sizeof(*param)), key + enc_len,
	       alg->auth_key_len);
	memcpy(blob + RTA_SPACE(sizeof(*param)) + alg->auth_key_len, key,
	       enc_len);
	err = crypto_aead_setkey(aead, blob, blob_len);
	kfree_sensitive(blob);
	return err;
}

/*
 * Checks @alg, @key and @icv_bits (0: the default), allocates the AEAD and
 * keys it. The key is kept in @sa too, for SA_GET with NFESP_A_SHOW_KEYS.
 */
int nfesp_sa_crypto_init(struct nfesp_sa *sa, const char *name,
			 const u8 *key, unsigned int key_len, u16 icv_bits,
			 struct netlink_ext_ack *extack)
{
	const struct nfesp_alg *alg = nfesp_alg_find(name);
	struct crypto_aead *aead;
	int err;

	if (!alg) {
		NL_SET_ERR_MSG(extack, "NFESP_SA_A_ALG: unknown algorithm");
		return -ENOPROTOOPT;
	}
	if (!nfesp_alg_key_len_ok(alg, key_len)) {
		NL_SET_ERR_MSG(extack,
			       "NFESP_SA_A_KEY: wrong length for the algorithm");
		return -EINVAL;
	}
	if (!icv_bits)
		icv_bits = alg->icv_bits[0];
	if (!nfesp_alg_icv_ok(alg, icv_bits)) {
		NL_SET_ERR_MSG(extack,
			       "NFESP_SA_A_ICV_BITS: not a length the algorithm allows");
		return -EINVAL;
	}

	aead = crypto_alloc_aead((sa->flags & NFESP_SA_F_ESN) && alg->esn_name ?
				 alg->esn_name : alg->name, 0, 0);
	if (IS_ERR(aead)) {
		NL_SET_ERR_MSG(extack,
			       "NFESP_SA_A_ALG: the kernel has no implementation of the algorithm");
		return PTR_ERR(aead) == -ENOENT ? -ENOPROTOOPT : PTR_ERR(aead);
	}
	if (alg->auth_key_len)
		err = nfesp_authenc_setkey(aead, alg, key, key_len);
	else
		err = crypto_aead_setkey(aead, key, key_len);
	if (!err)
		err = crypto_aead_setauthsize(aead, icv_bits / 8);
	if (err) {
		NL_SET_ERR_MSG(extack, "NFESP_SA_A_KEY: the algorithm refused the key");
		crypto_free_aead(aead);
		return err;
	}

	sa->alg = alg;
	sa->aead = aead;
	/* Only then does a packet outlive the hook that sent it to crypto. */
	sa->async = crypto_aead_alg(aead)->base.cra_flags & CRYPTO_ALG_ASYNC;
	sa->icv_bits = icv_bits;
	memcpy(sa->secret, key, key_len);
	sa->secret_len = key_len;
	return 0;
}

void nfesp_sa_crypto_free(struct nfesp_sa *sa)
{
	if (sa->aead)
		crypto_free_aead(sa->aead);
	memzero_explicit(sa->secret, sizeof(sa->secret));
}

const char *nfesp_sa_alg_name(const struct nfesp_sa *sa)
{
	return sa->alg->name;
}

/*
 * The IV of the packet with sequence number @seq. Counter-mode AEADs need
 * an IV that never repeats under a key (RFC 4106 3.1, RFC 7634 2): the
 * 64-bit sequence number is that. CBC needs one nobody can predict.
 */
void nfesp_sa_make_iv(const struct nfesp_sa *sa, u64 seq, u8 *iv)
{
	if (sa->alg->random_iv)
		get_random_bytes(iv, crypto_aead_ivsize(sa->aead));
	else
		put_unaligned_be64(seq, iv);
}
