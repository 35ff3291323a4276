// SPDX-License-Identifier: GPL-2.0
/*
 * Diffie-Hellman for IKE (RFC 7296 2.14): MODP (RFC 3526), ECP (RFC 5903)
 * and X25519 (RFC 8031) through OpenSSL, the peer's public value checked.
 */
#include <stdlib.h>
#include <string.h>
#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/ec.h>
#include <openssl/evp.h>
#include <openssl/obj_mac.h>
#include <openssl/param_build.h>
#include <openssl/params.h>

#include "crypto.h"
#include "ikev2.h"

struct dh_group {
	uint16_t id;
	const char *type;	/* OpenSSL key type */
	const char *name;	/* group name, NULL for X25519 */
	int nid;		/* curve, for ECP */
	size_t pub_len;		/* KE data */
	size_t secret_len;	/* g^ir */
};

static const struct dh_group dh_groups[] = {
	{ IKE_DH_MODP2048, "DH", "modp_2048", NID_undef, 256, 256 },
	{ IKE_DH_MODP3072, "DH", "modp_3072", NID_undef, 384, 384 },
	{ IKE_DH_ECP256, "EC", "P-256", NID_X9_62_prime256v1, 64, 32 },
	{ IKE_DH_ECP384, "EC", "P-384", NID_secp384r1, 96, 48 },
	{ IKE_DH_X25519, "X25519", NULL, NID_undef, 32, 32 },
};

struct ike_dh {
	const struct dh_group *g;
	EVP_PKEY *key;
	size_t pub_len;
	uint8_t pub[IKE_MAX_DH_LEN];
};

static const struct dh_group *dh_group_find(uint16_t group)
{
	size_t i;

	for (i = 0; i < sizeof(dh_groups) / sizeof(dh_groups[0]); i++)
		if (dh_groups[i].id == group)
			return &dh_groups[i];
	return NULL;
}

bool ike_dh_supported(uint16_t group)
{
	return dh_group_find(group) != NULL;
}

size_t ike_dh_public_len(uint16_t group)
{
	const struct dh_group *g = dh_group_find(group);

	return g ? g->pub_len : 0;
}

uint16_t ike_dh_group(const struct ike_dh *dh)
{
	return dh->g->id;
}

const uint8_t *ike_dh_public(const struct ike_dh *dh, size_t *len)
{
	*len = dh->pub_len;
	return dh->pub;
}

void ike_dh_free(struct ike_dh *dh)
{
	if (!dh)
		return;
	EVP_PKEY_free(dh->key);
	ike_wipe(dh, sizeof(*dh));
	free(dh);
}

/* A big number into exactly @len bytes, leading zeros kept. */
static bool bn_param_out(const EVP_PKEY *key, const char *param, uint8_t *out,
			 size_t len)
{
	BIGNUM *bn = NULL;
	bool ok;

	if (!EVP_PKEY_get_bn_param(key, param, &bn))
		return false;
	ok = BN_bn2binpad(bn, out, len) == (int)len;
	BN_free(bn);
	return ok;
}

/* Our public value as IKE carries it: x || y for ECP (RFC 5903), the
 * padded big-endian number for MODP, the raw u coordinate for X25519.
 */
static bool dh_export_public(struct ike_dh *dh)
{
	const struct dh_group *g = dh->g;
	size_t half = g->pub_len / 2, len = g->pub_len;

	dh->pub_len = g->pub_len;
	switch (g->id) {
	case IKE_DH_X25519:
		return EVP_PKEY_get_raw_public_key(dh->key, dh->pub, &len) &&
		       len == g->pub_len;
	case IKE_DH_ECP256:
	case IKE_DH_ECP384:
		return bn_param_out(dh->key, OSSL_PKEY_PARAM_EC_PUB_X,
				    dh->pub, half) &&
		       bn_param_out(dh->key, OSSL_PKEY_PARAM_EC_PUB_Y,
				    dh->pub + half, half);
	default:
		return bn_param_out(dh->key, OSSL_PKEY_PARAM_PUB_KEY, dh->pub,
				    g->pub_len);
	}
}

static struct ike_dh *dh_wrap(const struct dh_group *g, EVP_PKEY *key)
{
	struct ike_dh *dh;

	if (!key)
		return NULL;
	dh = calloc(1, sizeof(*dh));
	if (!dh) {
		EVP_PKEY_free(key);
		return NULL;
	}
	dh->g = g;
	dh->key = key;
	if (!dh_export_public(dh)) {
		ike_dh_free(dh);
		return NULL;
	}
	return dh;
}

struct ike_dh *ike_dh_new(uint16_t group)
{
	const struct dh_group *g = dh_group_find(group);
	EVP_PKEY_CTX *ctx;
	EVP_PKEY *key = NULL;
	OSSL_PARAM params[2];

	if (!g)
		return NULL;
	ctx = EVP_PKEY_CTX_new_from_name(NULL, g->type, NULL);
	if (!ctx)
		return NULL;
	if (EVP_PKEY_keygen_init(ctx) != 1)
		goto out;
	if (g->name) {
		params[0] = OSSL_PARAM_construct_utf8_string(
			OSSL_PKEY_PARAM_GROUP_NAME, (char *)g->name, 0);
		params[1] = OSSL_PARAM_construct_end();
		if (EVP_PKEY_CTX_set_params(ctx, params) != 1)
			goto out;
	}
	if (EVP_PKEY_generate(ctx, &key) != 1)
		key = NULL;
out:
	EVP_PKEY_CTX_free(ctx);
	return dh_wrap(g, key);
}

/* A key of type @g from the parameters built in @bld. */
static EVP_PKEY *pkey_fromdata(const struct dh_group *g, OSSL_PARAM_BLD *bld,
			       int selection)
{
	OSSL_PARAM *params = NULL;
	EVP_PKEY_CTX *ctx = NULL;
	EVP_PKEY *key = NULL;

	if (!OSSL_PARAM_BLD_push_utf8_string(bld, OSSL_PKEY_PARAM_GROUP_NAME,
					     g->name, 0))
		return NULL;
	params = OSSL_PARAM_BLD_to_param(bld);
	ctx = EVP_PKEY_CTX_new_from_name(NULL, g->type, NULL);
	if (!params || !ctx || EVP_PKEY_fromdata_init(ctx) != 1 ||
	    EVP_PKEY_fromdata(ctx, &key, selection, params) != 1)
		key = NULL;
	EVP_PKEY_CTX_free(ctx);
	OSSL_PARAM_free(params);
	return key;
}

/* The peer's KE data as a public key; NULL if it is not a valid one. */
static EVP_PKEY *dh_peer_key(const struct dh_group *g, const uint8_t *peer)
{
	uint8_t point[1 + IKE_MAX_DH_LEN];
	OSSL_PARAM_BLD *bld;
	EVP_PKEY_CTX *ctx;
	EVP_PKEY *key = NULL;
	BIGNUM *bn = NULL;
	bool pushed;

	if (g->id == IKE_DH_X25519)
		return EVP_PKEY_new_raw_public_key(EVP_PKEY_X25519, NULL, peer,
						   g->pub_len);
	bld = OSSL_PARAM_BLD_new();
	if (!bld)
		return NULL;
	if (g->nid != NID_undef) {
		/* RFC 5903 drops the uncompressed-point prefix. */
		point[0] = 0x04;
		memcpy(point + 1, peer, g->pub_len);
		pushed = OSSL_PARAM_BLD_push_octet_string(bld,
				OSSL_PKEY_PARAM_PUB_KEY, point, g->pub_len + 1);
	} else {
		bn = BN_bin2bn(peer, g->pub_len, NULL);
		pushed = bn && OSSL_PARAM_BLD_push_BN(bld,
				OSSL_PKEY_PARAM_PUB_KEY, bn);
	}
	if (pushed)
		key = pkey_fromdata(g, bld, EVP_PKEY_PUBLIC_KEY);
	OSSL_PARAM_BLD_free(bld);
	BN_free(bn);
	if (!key)
		return NULL;
	/* On the curve and in its group; for MODP 1 < y < p-1 and y^q = 1. */
	ctx = EVP_PKEY_CTX_new_from_pkey(NULL, key, NULL);
	if (!ctx || EVP_PKEY_public_check(ctx) != 1) {
		EVP_PKEY_free(key);
		key = NULL;
	}
	EVP_PKEY_CTX_free(ctx);
	return key;
}

static bool all_zero(const uint8_t *p, size_t len)
{
	uint8_t acc = 0;

	while (len--)
		acc |= *p++;
	return acc == 0;
}

bool ike_dh_shared(struct ike_dh *dh, const uint8_t *peer, size_t plen,
		   uint8_t *secret, size_t *slen)
{
	const struct dh_group *g = dh->g;
	uint8_t buf[IKE_MAX_DH_LEN];
	EVP_PKEY_CTX *ctx = NULL;
	EVP_PKEY *pk;
	size_t len = sizeof(buf);
	bool ok = false;

	*slen = 0;
	if (plen != g->pub_len)
		return false;
	pk = dh_peer_key(g, peer);
	if (!pk)
		return false;
	ctx = EVP_PKEY_CTX_new_from_pkey(NULL, dh->key, NULL);
	if (!ctx || EVP_PKEY_derive_init(ctx) != 1 ||
	    EVP_PKEY_derive_set_peer(ctx, pk) != 1 ||
	    EVP_PKEY_derive(ctx, buf, &len) != 1 || len > g->secret_len)
		goto out;
	/* MODP: keep the leading zeros OpenSSL strips (RFC 7296 2.14). */
	memset(secret, 0, g->secret_len - len);
	memcpy(secret + g->secret_len - len, buf, len);
	/* X25519 with a low-order point gives all zeros (RFC 7748 6.1). */
	if (all_zero(secret, g->secret_len)) {
		ike_wipe(secret, g->secret_len);
		goto out;
	}
	*slen = g->secret_len;
	ok = true;
out:
	ike_wipe(buf, sizeof(buf));
	EVP_PKEY_CTX_free(ctx);
	EVP_PKEY_free(pk);
	return ok;
}

/* ECP private key @priv with its public point computed from it. */
static EVP_PKEY *ec_from_private(const struct dh_group *g,
				 const uint8_t *priv, size_t len)
{
	uint8_t point[1 + IKE_MAX_DH_LEN];
	EC_GROUP *group = NULL;
	EC_POINT *pub = NULL;
	OSSL_PARAM_BLD *bld = NULL;
	EVP_PKEY *key = NULL;
	BIGNUM *d;
	size_t plen;

	d = BN_bin2bn(priv, len, NULL);
	if (!d)
		return NULL;
	BN_set_flags(d, BN_FLG_CONSTTIME);
	group = EC_GROUP_new_by_curve_name(g->nid);
	pub = group ? EC_POINT_new(group) : NULL;
	if (!pub || !EC_POINT_mul(group, pub, d, NULL, NULL, NULL))
		goto out;
	plen = EC_POINT_point2oct(group, pub, POINT_CONVERSION_UNCOMPRESSED,
				  point, sizeof(point), NULL);
	bld = OSSL_PARAM_BLD_new();
	if (!plen || !bld ||
	    !OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_PRIV_KEY, d) ||
	    !OSSL_PARAM_BLD_push_octet_string(bld, OSSL_PKEY_PARAM_PUB_KEY,
					      point, plen))
		goto out;
	key = pkey_fromdata(g, bld, EVP_PKEY_KEYPAIR);
out:
	OSSL_PARAM_BLD_free(bld);
	EC_POINT_free(pub);
	EC_GROUP_free(group);
	BN_clear_free(d);
	return key;
}

struct ike_dh *ike_dh_from_private(uint16_t group, const uint8_t *priv,
				   size_t len)
{
	const struct dh_group *g = dh_group_find(group);

	if (!g)
		return NULL;
	if (g->id == IKE_DH_X25519)
		return dh_wrap(g, EVP_PKEY_new_raw_private_key(EVP_PKEY_X25519,
							       NULL, priv, len));
	if (g->nid != NID_undef && len == g->secret_len)
		return dh_wrap(g, ec_from_private(g, priv, len));
	return NULL;
}
