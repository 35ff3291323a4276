// SPDX-License-Identifier: GPL-2.0
/* Unit tests of userspace/iked/crypto.c against published vectors. */
#define _GNU_SOURCE
#include <stdlib.h>
#include <string.h>

#include "../iked/crypto.h"
#include "../iked/ikev2.h"
#include "tap.h"

/* Hex (spaces allowed) into @out; returns the byte count. */
static size_t unhex(const char *s, uint8_t *out)
{
	size_t n = 0;
	int hi = -1;

	for (; *s; s++) {
		int v;

		if (*s >= '0' && *s <= '9')
			v = *s - '0';
		else if (*s >= 'a' && *s <= 'f')
			v = *s - 'a' + 10;
		else if (*s >= 'A' && *s <= 'F')
			v = *s - 'A' + 10;
		else
			continue;
		if (hi < 0) {
			hi = v;
		} else {
			out[n++] = hi << 4 | v;
			hi = -1;
		}
	}
	return n;
}

static bool eq_hex(const uint8_t *got, size_t len, const char *want)
{
	uint8_t buf[512];

	return unhex(want, buf) == len && memcmp(got, buf, len) == 0;
}

/* RFC 4231 (HMAC-SHA-224/256/384/512 test vectors), cases 1, 2 and 6. */
static void test_prf_rfc4231(void)
{
	static const struct {
		const char *key, *data, *out[3];
	} cases[] = {
		{ "0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b",
		  "4869205468657265", {	/* "Hi There" */
		  "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7",
		  "afd03944d84895626b0825f4ab46907f15f9dadbe4101ec682aa034c7cebc59c"
		  "faea9ea9076ede7f4af152e8b2fa9cb6",
		  "87aa7cdea5ef619d4ff0b4241a1d6cb02379f4e2ce4ec2787ad0b30545e17cde"
		  "daa833b7d6b8a702038b274eaea3f4e4be9d914eeb61f1702e696c203a126854" } },
		{ "4a656665",	/* "Jefe" */
		  /* "what do ya want for nothing?" */
		  "7768617420646f2079612077616e7420666f72206e6f7468696e673f", {
		  "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843",
		  "af45d2e376484031617f78d2b58a6b1b9c7ef464f5a01b47e42ec3736322445e"
		  "8e2240ca5e69e2c78b3239ecfab21649",
		  "164b7a7bfcf819e2e395fbe73b56e0a387bd64222e831fd610270cd7ea250554"
		  "9758bf75c05a994a6d034f65f8f0e6fdcaeab1a34d4a6b4b636e070a38bce737" } },
		{ NULL,	/* 131 bytes of 0xaa */
		  /* "Test Using Larger Than Block-Size Key - Hash Key First" */
		  "54657374205573696e67204c6172676572205468616e20426c6f636b2d53697a"
		  "65204b6579202d2048617368204b6579204669727374", {
		  "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54",
		  "4ece084485813e9088d2c63a041bc5b44f9ef1012a2b588f3cd11f05033ac4c6"
		  "0c2ef6ab4030fe8296248df163f44952",
		  "80b24263c7c1a3ebb71493c1dd7be8b49b46d1f41b4aeec1121b013783f8f352"
		  "6b56d037e05f2598bd0fd2215d6a1e5295e64f73f63f0aec8b915a985d786598" } },
	};
	static const uint16_t prfs[3] = {
		IKE_PRF_HMAC_SHA2_256, IKE_PRF_HMAC_SHA2_384,
		IKE_PRF_HMAC_SHA2_512,
	};
	uint8_t key[256], data[256], out[IKE_MAX_PRF_LEN];
	size_t i, j, klen, dlen;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		if (cases[i].key) {
			klen = unhex(cases[i].key, key);
		} else {
			klen = 131;
			memset(key, 0xaa, klen);
		}
		dlen = unhex(cases[i].data, data);
		for (j = 0; j < 3; j++) {
			bool ok = ike_prf(prfs[j], key, klen, data, dlen, out) &&
				  eq_hex(out, ike_prf_len(prfs[j]),
					 cases[i].out[j]);

			TAP_CHECK(ok, "RFC 4231 case %s, PRF %u",
				  i == 2 ? "6" : i == 1 ? "2" : "1", prfs[j]);
		}
	}
	TAP_CHECK(ike_prf_len(2) == 0 && !ike_prf(2, key, 1, data, 1, out),
		  "HMAC-SHA1 (PRF 2) is not offered");
}

/* prf+ built by hand from ike_prf (RFC 7296 2.13). */
static void prf_plus_by_hand(uint16_t prf, const uint8_t *key, size_t klen,
			     const uint8_t *seed, size_t slen, uint8_t *out,
			     size_t outlen)
{
	size_t plen = ike_prf_len(prf), done = 0, n;
	uint8_t in[IKE_MAX_PRF_LEN + 600], t[IKE_MAX_PRF_LEN];
	unsigned int i;

	for (i = 1; done < outlen; i++) {
		n = 0;
		if (i > 1) {
			memcpy(in, t, plen);
			n = plen;
		}
		memcpy(in + n, seed, slen);
		n += slen;
		in[n++] = i;
		ike_prf(prf, key, klen, in, n, t);
		memcpy(out + done, t, outlen - done < plen ? outlen - done : plen);
		done += plen;
	}
}

static void test_prf_plus(void)
{
	uint8_t key[32], seed[100], a[1000], b[1000], *big;

	memset(key, 0x11, sizeof(key));
	memset(seed, 0x22, sizeof(seed));
	prf_plus_by_hand(IKE_PRF_HMAC_SHA2_384, key, sizeof(key), seed,
			 sizeof(seed), a, 1000);
	TAP_CHECK(ike_prf_plus(IKE_PRF_HMAC_SHA2_384, key, sizeof(key), seed,
			       sizeof(seed), b, 1000) && !memcmp(a, b, 1000),
		  "prf+ of 1000 bytes matches T1 | T2 | ... built by hand");
	big = malloc(255 * 32 + 1);
	TAP_CHECK(big && ike_prf_plus(IKE_PRF_HMAC_SHA2_256, key, sizeof(key),
				      seed, sizeof(seed), big, 255 * 32) &&
		  !ike_prf_plus(IKE_PRF_HMAC_SHA2_256, key, sizeof(key), seed,
				sizeof(seed), big, 255 * 32 + 1),
		  "prf+ stops at 255 blocks");
	free(big);
}

/*
 * NIST CAVP SP 800-135 IKEv2 KDF vectors (CAVS 14.x kdf ikev2.rsp,
 * [SHA-256] and [SHA-384], COUNT = 0, Ni/Nr 64 bits, g^ir 256 bits, DKM
 * 1056 bits), as NSS carries them in gtests/common/testvectors/
 * ike-sha256-vectors.h and ike-sha384-vectors.h ("from this NIST samples").
 * They give no DKM(Child SA) values: those are checked against prf+ by hand.
 */
struct kdf_vector {
	uint16_t prf;
	const char *gir, *gir_new, *ni, *nr, *spii, *spir;
	const char *skeyseed, *dkm, *skeyseed_rekey;
};

static const struct kdf_vector kdf_vectors[] = {
	{ IKE_PRF_HMAC_SHA2_256,
	  "0f4d257d7a58fc4545c7d7a88119eee5d5c9690c5b4c989171d3abbfd99d1d29",
	  "25f3b12d6f282739256e39bf54eda53b60ffcf379bb7bcc90c27b4c4c578616c",
	  "3f302be1abcb28e1", "8c332ee006064c9b",
	  "40dac39e1e1a8640", "8619a1cf9a6e4c07",
	  "5f00d1bd2c58ec224b1e6b71fa0f19a1faa7a193952c444411b47c1a9d8ba6fe",
	  "0b137d669b0947d7d026d593f0305ad401ff0c471357d695778a9c7f4b4869ec"
	  "e98aca531188d16041b3bb936d2dbb3b4993a6e768a809160de45d0283f273a6"
	  "cdf6854379e31be72b8d3d1fa990cf9c5b015ca9f918a7df6253c958114a09d4"
	  "e1c19bdcd4db14b29d98db1a74ad405c588662c14a04d0d36aa4ab55e90f8986"
	  "d12d4aad",
	  "2d63f6debc92048b4fef3889c4c99ca67d6496e0fac14a2bca9a2d6566ff2398" },
	{ IKE_PRF_HMAC_SHA2_384,
	  "d3288cd87565101e88fe3bad918f31939d8dd26ff1071f8b2d7f447524e58d7c",
	  "3358f620539473aee8d07e779764c4c6a9aabddc79a28e136b3bac021dbde44a",
	  "fd1b572a8e735591", "6013b0ef88dacd3d",
	  "2116ad07ce61f749", "24880e55f11a65b7",
	  "69fe7a1ac94adaeb711295f5fe004b1a8d6a0b65d05692758ce8ad2f7a45f59d"
	  "7d0b596f51f7dfcf3330061888f6a94f",
	  "4f904c2025c90c817ea5ff9b662a6fdb445a73b57cdf09eacd379b95e1f03cac"
	  "b04cd6deeda4f952191dd9bc1f7a9502471a648d74dc06d38112de48a42501f6"
	  "b1a3ad55c2099cd9a648e5f17e5bf3e34bf9b5953decb768a34f875fe2b78dca"
	  "0c2fcca81ec1a412006dfaed38fa06882e61f4c148105fb8e231fdb33c4d484c"
	  "001721d4",
	  "e0548c1682e13bce454026b3b1bdf42985b24e4e7408095a7c529de38c3d1fcb"
	  "04c9fe6868042a34c9614c6c99e3fcea" },
};

struct kdf_in {
	uint8_t gir[64], gir_new[64], ni[64], nr[64], spii[8], spir[8];
	uint8_t nonces[128], seed[160], dkm[132];
	size_t gir_len, gir_new_len, ni_len, nr_len, seed_len;
};

static void kdf_load(const struct kdf_vector *v, struct kdf_in *in)
{
	in->gir_len = unhex(v->gir, in->gir);
	in->gir_new_len = unhex(v->gir_new, in->gir_new);
	in->ni_len = unhex(v->ni, in->ni);
	in->nr_len = unhex(v->nr, in->nr);
	unhex(v->spii, in->spii);
	unhex(v->spir, in->spir);
	unhex(v->dkm, in->dkm);
	memcpy(in->nonces, in->ni, in->ni_len);
	memcpy(in->nonces + in->ni_len, in->nr, in->nr_len);
	in->seed_len = in->ni_len + in->nr_len;
	memcpy(in->seed, in->nonces, in->seed_len);
	memcpy(in->seed + in->seed_len, in->spii, 8);
	memcpy(in->seed + in->seed_len + 8, in->spir, 8);
	in->seed_len += 16;
}

/* The keys in their prf+ order; the first 132 bytes must be the DKM. */
static bool keys_match_dkm(const struct ike_keys *k, const uint8_t *dkm)
{
	const uint8_t *parts[7] = {
		k->sk_d, k->sk_ai, k->sk_ar, k->sk_ei, k->sk_er, k->sk_pi,
		k->sk_pr,
	};
	const size_t lens[7] = {
		k->d_len, k->a_len, k->a_len, k->e_len, k->e_len, k->p_len,
		k->p_len,
	};
	uint8_t all[7 * IKE_MAX_KEY_LEN];
	size_t i, n = 0;

	for (i = 0; i < 7; i++) {
		memcpy(all + n, parts[i], lens[i]);
		n += lens[i];
	}
	return n >= 132 && !memcmp(all, dkm, 132);
}

static void test_kdf_vector(const struct kdf_vector *v)
{
	struct ike_suite s = {
		.encr = IKE_ENCR_AES_CBC, .encr_bits = 128, .prf = v->prf,
		.integ = IKE_INTEG_HMAC_SHA2_256_128,
	};
	uint8_t out[IKE_MAX_PRF_LEN], dkm[132], want[600];
	uint8_t seed[200], child[132], want_child[132];
	size_t plen = ike_prf_len(v->prf), slen;
	struct ike_keys k, rekeyed;
	struct kdf_in in;

	kdf_load(v, &in);
	TAP_CHECK(ike_prf(v->prf, in.nonces, in.ni_len + in.nr_len, in.gir,
			  in.gir_len, out) && eq_hex(out, plen, v->skeyseed),
		  "CAVP IKEv2 PRF %u: SKEYSEED = prf(Ni | Nr, g^ir)", v->prf);
	unhex(v->skeyseed, out);
	TAP_CHECK(ike_prf_plus(v->prf, out, plen, in.seed, in.seed_len, dkm,
			       sizeof(dkm)) && !memcmp(dkm, in.dkm, 132),
		  "CAVP IKEv2 PRF %u: DKM = prf+(SKEYSEED, Ni | Nr | SPIi | SPIr)",
		  v->prf);
	TAP_CHECK(ike_derive_keys(&s, in.ni, in.ni_len, in.nr, in.nr_len,
				  in.gir, in.gir_len, in.spii, in.spir, NULL, 0,
				  0, &k) && keys_match_dkm(&k, in.dkm),
		  "CAVP IKEv2 PRF %u: ike_derive_keys splits the DKM", v->prf);

	/* SKEYSEED(Rekey) = prf(SK_d, g^ir (new) | Ni | Nr); the rekeyed
	 * SA's keys are prf+ of it, with the new SPIs (here the same ones).
	 */
	unhex(v->skeyseed_rekey, out);
	TAP_CHECK(ike_derive_keys(&s, in.ni, in.ni_len, in.nr, in.nr_len,
				  in.gir_new, in.gir_new_len, in.spii, in.spir,
				  k.sk_d, k.d_len, v->prf, &rekeyed) &&
		  ike_prf_plus(v->prf, out, plen, in.seed, in.seed_len, want,
			       plen + 96 + 2 * plen) &&
		  !memcmp(rekeyed.sk_d, want, plen) &&
		  !memcmp(rekeyed.sk_pr, want + plen + 96 + plen, plen),
		  "CAVP IKEv2 PRF %u: rekeyed keys come from SKEYSEED(Rekey)",
		  v->prf);

	/* DKM(Child SA) = prf+(SK_d, Ni | Nr), D-H: prf+(SK_d, g^ir | Ni | Nr) */
	prf_plus_by_hand(v->prf, k.sk_d, k.d_len, in.nonces,
			 in.ni_len + in.nr_len, want_child, sizeof(want_child));
	TAP_CHECK(ike_child_keymat(&k, NULL, 0, in.ni, in.ni_len, in.nr,
				   in.nr_len, child, sizeof(child)) &&
		  !memcmp(child, want_child, sizeof(child)),
		  "PRF %u: DKM(Child SA) = prf+(SK_d, Ni | Nr)", v->prf);
	memcpy(seed, in.gir_new, in.gir_new_len);
	memcpy(seed + in.gir_new_len, in.nonces, in.ni_len + in.nr_len);
	slen = in.gir_new_len + in.ni_len + in.nr_len;
	prf_plus_by_hand(v->prf, k.sk_d, k.d_len, seed, slen, want_child,
			 sizeof(want_child));
	TAP_CHECK(ike_child_keymat(&k, in.gir_new, in.gir_new_len, in.ni,
				   in.ni_len, in.nr, in.nr_len, child,
				   sizeof(child)) &&
		  !memcmp(child, want_child, sizeof(child)),
		  "PRF %u: DKM(Child SA D-H) = prf+(SK_d, g^ir (new) | Ni | Nr)",
		  v->prf);
}

static void test_kdf(void)
{
	size_t i;

	for (i = 0; i < sizeof(kdf_vectors) / sizeof(kdf_vectors[0]); i++)
		test_kdf_vector(&kdf_vectors[i]);
}

static bool dh_agree(struct ike_dh *a, struct ike_dh *b, const char *want)
{
	uint8_t s1[IKE_MAX_DH_LEN], s2[IKE_MAX_DH_LEN];
	const uint8_t *pa, *pb;
	size_t la, lb, l1 = 0, l2 = 0;

	if (!a || !b)
		return false;
	pa = ike_dh_public(a, &la);
	pb = ike_dh_public(b, &lb);
	if (!ike_dh_shared(a, pb, lb, s1, &l1) ||
	    !ike_dh_shared(b, pa, la, s2, &l2) || l1 != l2 ||
	    memcmp(s1, s2, l1))
		return false;
	return !want || eq_hex(s1, l1, want);
}

static bool public_is(const struct ike_dh *dh, const char *want)
{
	const uint8_t *pub;
	size_t len;

	if (!dh)
		return false;
	pub = ike_dh_public(dh, &len);
	return eq_hex(pub, len, want);
}

/* RFC 7748 section 6.1 (X25519 Diffie-Hellman). */
static void test_dh_x25519(void)
{
	uint8_t priv[32];
	struct ike_dh *a, *b;

	unhex("77076d0a7318a57d3c16c17251b26645df4c2f87ebc0992ab177fba51db92c2a",
	      priv);
	a = ike_dh_from_private(IKE_DH_X25519, priv, 32);
	unhex("5dab087e624a8a4b79e17f8b83800ee66f3bb1292618b6fd1c2f8b27ff88e0eb",
	      priv);
	b = ike_dh_from_private(IKE_DH_X25519, priv, 32);
	TAP_CHECK(public_is(a,
		"8520f0098930a754748b7ddcb43ef75a0dbf3a0d26381af4eba4a98eaa9b4e6a"),
		  "RFC 7748 6.1: Alice's X25519 public key");
	TAP_CHECK(public_is(b,
		"de9edb7d7b7dc1b4d35b61c2ece435373f8343c85b78674dadfc7e146f882b4f"),
		  "RFC 7748 6.1: Bob's X25519 public key");
	TAP_CHECK(dh_agree(a, b,
		"4a5d9d5ba4ce2de1728e3bf480350f25e07e21c947d19e3376f09b3c1e161742"),
		  "RFC 7748 6.1: the shared secret K, both ways");
	ike_dh_free(a);
	ike_dh_free(b);
}

/* RFC 5903 section 8.1 (256-bit random ECP group). */
static void test_dh_ecp256(void)
{
	static const char gi[] =
		"DAD0B65394221CF9B051E1FECA5787D098DFE637FC90B9EF945D0C3772581180"
		"5271A0461CDB8252D61F1C456FA3E59AB1F45B33ACCF5F58389E0577B8990BB3";
	static const char gr[] =
		"D12DFB5289C8D4F81208B70270398C342296970A0BCCB74C736FC7554494BF63"
		"56FBF3CA366CC23E8157854C13C58D6AAC23F046ADA30F8353E74F33039872AB";
	uint8_t priv[32], bad[64], s[IKE_MAX_DH_LEN];
	struct ike_dh *i, *r;
	size_t slen;

	unhex("C88F01F510D9AC3F70A292DAA2316DE544E9AAB8AFE84049C62A9C57862D1433",
	      priv);
	i = ike_dh_from_private(IKE_DH_ECP256, priv, 32);
	unhex("C6EF9C5D78AE012A011164ACB397CE2088685D8F06BF9BE0B283AB46476BEE53",
	      priv);
	r = ike_dh_from_private(IKE_DH_ECP256, priv, 32);
	TAP_CHECK(public_is(i, gi),
		  "RFC 5903 8.1: gi = gix | giy");
	TAP_CHECK(public_is(r, gr),
		  "RFC 5903 8.1: gr = grx | gry");
	TAP_CHECK(dh_agree(i, r,
		"D6840F6B42F6EDAFD13116E0E12565202FEF8E9ECE7DCE03812464D04B9442DE"),
		  "RFC 5903 8.1: g^ir is girx (32 bytes), both ways");
	unhex(gr, bad);
	bad[63] ^= 1;
	TAP_CHECK(i && !ike_dh_shared(i, bad, 64, s, &slen) && slen == 0,
		  "ECP256: a point off the curve is refused");
	memset(bad, 0, sizeof(bad));
	TAP_CHECK(i && !ike_dh_shared(i, bad, 64, s, &slen),
		  "ECP256: the all-zero point is refused");
	unhex(gr, bad);
	TAP_CHECK(i && !ike_dh_shared(i, bad, 63, s, &slen),
		  "ECP256: a KE of the wrong length is refused");
	ike_dh_free(i);
	ike_dh_free(r);
}

static size_t public_len(const struct ike_dh *dh)
{
	size_t len;

	ike_dh_public(dh, &len);
	return len;
}

static void test_dh_fresh(void)
{
	static const uint16_t groups[] = {
		IKE_DH_MODP2048, IKE_DH_MODP3072, IKE_DH_ECP256,
		IKE_DH_ECP384, IKE_DH_X25519,
	};
	static const size_t lens[] = { 256, 384, 64, 96, 32 };
	uint8_t v[IKE_MAX_DH_LEN], s[IKE_MAX_DH_LEN];
	struct ike_dh *a, *b;
	size_t i, len, slen;

	for (i = 0; i < sizeof(groups) / sizeof(groups[0]); i++) {
		a = ike_dh_new(groups[i]);
		b = ike_dh_new(groups[i]);
		TAP_CHECK(a && b && ike_dh_group(a) == groups[i] &&
			  ike_dh_public_len(groups[i]) == lens[i] &&
			  public_len(a) == lens[i] &&
			  dh_agree(a, b, NULL),
			  "group %u: two fresh pairs agree", groups[i]);
		ike_dh_free(a);
		ike_dh_free(b);
	}

	a = ike_dh_new(IKE_DH_MODP2048);
	memset(v, 0, sizeof(v));
	TAP_CHECK(a && !ike_dh_shared(a, v, 256, s, &slen),
		  "MODP2048: a peer value of 0 is refused");
	v[255] = 1;
	TAP_CHECK(a && !ike_dh_shared(a, v, 256, s, &slen),
		  "MODP2048: a peer value of 1 is refused");
	memset(v, 0xff, 256);
	TAP_CHECK(a && !ike_dh_shared(a, v, 256, s, &slen),
		  "MODP2048: a peer value above p is refused");
	b = ike_dh_new(IKE_DH_MODP2048);
	TAP_CHECK(a && b && !ike_dh_shared(a, ike_dh_public(b, &len), 255, s,
					   &slen) && len == 256,
		  "MODP2048: a KE of the wrong length is refused");
	ike_dh_free(a);
	ike_dh_free(b);

	a = ike_dh_new(IKE_DH_X25519);
	memset(v, 0, 32);
	TAP_CHECK(a && !ike_dh_shared(a, v, 32, s, &slen),
		  "X25519: the all-zero (low-order) value is refused");
	ike_dh_free(a);
	TAP_CHECK(!ike_dh_supported(IKE_DH_NONE) && !ike_dh_new(2) &&
		  ike_dh_public_len(2) == 0, "unknown groups are refused");
}

/* The SK payload */

struct sk_case {
	const char *name;
	struct ike_suite s;
};

static const struct sk_case sk_cases[] = {
	{ "aes128-sha256", { IKE_ENCR_AES_CBC, 128, IKE_PRF_HMAC_SHA2_256,
			     IKE_INTEG_HMAC_SHA2_256_128, 0, false } },
	{ "aes256-sha384", { IKE_ENCR_AES_CBC, 256, IKE_PRF_HMAC_SHA2_384,
			     IKE_INTEG_HMAC_SHA2_384_192, 0, false } },
	{ "aes256-sha512", { IKE_ENCR_AES_CBC, 256, IKE_PRF_HMAC_SHA2_512,
			     IKE_INTEG_HMAC_SHA2_512_256, 0, false } },
	{ "aes128-sha512", { IKE_ENCR_AES_CBC, 128, IKE_PRF_HMAC_SHA2_256,
			     IKE_INTEG_HMAC_SHA2_512_256, 0, false } },
	{ "aes128gcm16", { IKE_ENCR_AES_GCM_16, 128, IKE_PRF_HMAC_SHA2_256,
			   0, 0, false } },
	{ "aes256gcm16", { IKE_ENCR_AES_GCM_16, 256, IKE_PRF_HMAC_SHA2_384,
			   0, 0, false } },
	{ "aes256gcm8", { IKE_ENCR_AES_GCM_8, 256, IKE_PRF_HMAC_SHA2_256,
			  0, 0, false } },
	{ "chacha20poly1305", { IKE_ENCR_CHACHA20_POLY1305, 0,
				IKE_PRF_HMAC_SHA2_256, 0, 0, false } },
};

#define AAD_LEN	32	/* IKE header and the SK payload's generic header */

static bool sk_open(const struct ike_suite *s, const struct ike_keys *k,
		    bool initiator, const uint8_t *msg, size_t len,
		    uint8_t *plain, size_t *plen, const char **err)
{
	return ike_sk_open(s, k, initiator, msg, len, AAD_LEN, plain, 2000,
			   plen, err);
}

static void test_sk_suite(const struct sk_case *c)
{
	static const size_t lens[] = { 0, 1, 15, 16, 100 };
	uint8_t ni[32], nr[32], g[32], spi[8] = { 1 }, spr[8] = { 2 };
	uint8_t msg[2000], plain[200], got[2000];
	bool all = true, bitflip = true, aadflip = true, side = true;
	const char *err = NULL, *ct_err = "";
	size_t i, out_len, plen, total;
	struct ike_keys k;

	ike_random(ni, sizeof(ni));
	ike_random(nr, sizeof(nr));
	ike_random(g, sizeof(g));
	ike_random(plain, sizeof(plain));
	if (!ike_derive_keys(&c->s, ni, 32, nr, 32, g, 32, spi, spr, NULL, 0,
			     0, &k)) {
		TAP_CHECK(false, "%s: keys", c->name);
		return;
	}
	for (i = 0; i < sizeof(lens) / sizeof(lens[0]); i++) {
		bool init = i % 2;

		memset(msg, 0x5a, AAD_LEN);
		if (!ike_sk_seal(&c->s, &k, init, msg, AAD_LEN, plain, lens[i],
				 msg + AAD_LEN, &out_len) ||
		    out_len != ike_sk_overhead(&c->s, lens[i])) {
			all = false;
			continue;
		}
		total = AAD_LEN + out_len;
		if (!sk_open(&c->s, &k, init, msg, total, got, &plen, &err) ||
		    plen != lens[i] || memcmp(got, plain, plen))
			all = false;
		side &= !sk_open(&c->s, &k, !init, msg, total, got, &plen,
				 &err);
		msg[total - out_len / 2] ^= 0x01;
		bitflip &= !sk_open(&c->s, &k, init, msg, total, got, &plen,
				    &ct_err) && !strcmp(ct_err, "ICV check failed");
		msg[total - out_len / 2] ^= 0x01;
		msg[3] ^= 0x80;
		aadflip &= !sk_open(&c->s, &k, init, msg, total, got, &plen,
				    &err);
		msg[3] ^= 0x80;
	}
	TAP_CHECK(all, "%s: seal then open gives the plaintext back", c->name);
	TAP_CHECK(bitflip, "%s: a flipped ciphertext bit is refused (%s)",
		  c->name, ct_err);
	TAP_CHECK(aadflip, "%s: a flipped header bit is refused", c->name);
	TAP_CHECK(side, "%s: the other side's keys do not open it", c->name);
	TAP_CHECK(!sk_open(&c->s, &k, true, msg, AAD_LEN + 16, got, &plen,
			   &err) && !strcmp(err, "SK payload too short"),
		  "%s: a short SK body is refused (%s)", c->name, err);
}

static void test_sk(void)
{
	struct ike_suite s = sk_cases[0].s;
	uint8_t msg[200], got[200];
	const char *err = "";
	struct ike_keys k;
	size_t i, plen, len;

	for (i = 0; i < sizeof(sk_cases) / sizeof(sk_cases[0]); i++)
		test_sk_suite(&sk_cases[i]);

	/* CBC: 16 IV + 17 bytes of ciphertext + 16 ICV */
	memset(&k, 0, sizeof(k));
	k.e_len = 16;
	k.a_len = 32;
	memset(msg, 0, sizeof(msg));
	TAP_CHECK(!sk_open(&s, &k, true, msg, AAD_LEN + 49, got, &plen, &err) &&
		  !strcmp(err, "SK payload not a multiple of the block size"),
		  "CBC: a ciphertext of 17 bytes is refused (%s)", err);
	s.encr_bits = 100;
	TAP_CHECK(!ike_suite_key_lens(&s, &len, &len) &&
		  ike_sk_overhead(&s, 10) == 0,
		  "AES with a 100-bit key is not a suite");
}

/*
 * RFC 7634 Appendix B: an IKEv2 INFORMATIONAL message (message ID 9) with
 * one Notify payload in an SK payload, ChaCha20-Poly1305, KEYMAT
 * 80..9f, salt a0a1a2a3, IV 1011121314151617.
 */
static void test_sk_rfc7634(void)
{
	struct ike_suite s = { .encr = IKE_ENCR_CHACHA20_POLY1305,
			       .prf = IKE_PRF_HMAC_SHA2_256 };
	static const char msg_hex[] =
		"c0c1c2c3c4c5c6c7d0d1d2d3d4d5d6d72e20250000000009000000452900"
		"0029" "1011121314151617" "610394701f8d017f7c12924889"
		"6b71bfe25236efd7cdc67066906315b2";
	uint8_t msg[100], got[100];
	const char *err = "";
	struct ike_keys k;
	size_t len, plen = 0;

	memset(&k, 0, sizeof(k));
	k.e_len = unhex("808182838485868788898a8b8c8d8e8f"
			"909192939495969798999a9b9c9d9e9f" "a0a1a2a3", k.sk_er);
	len = unhex(msg_hex, msg);
	TAP_CHECK(len == 69 && ike_sk_open(&s, &k, false, msg, len, 32, got,
					    sizeof(got), &plen, &err) &&
		  eq_hex(got, plen, "0000000c000040010000000a"),
		  "RFC 7634 B: the Notify payload comes out (%s)",
		  plen ? "ok" : err);
	msg[4] ^= 1;
	TAP_CHECK(!ike_sk_open(&s, &k, false, msg, len, 32, got, sizeof(got),
			       &plen, &err),
		  "RFC 7634 B: a changed SPI is refused");
}

/*
 * The GCM specification (McGrew, Viega), test case 4: AES-128, 60 bytes
 * of plaintext, 20 of AAD, IV cafebabefacedbaddecaf888. As RFC 5282 has
 * it, the salt is the first 4 bytes of that IV and the rest is the
 * explicit IV. The plaintext's last byte (0x39) reads as a pad length of
 * 57, which leaves 2 bytes of payload.
 */
static void test_sk_gcm_kat(void)
{
	struct ike_suite s = { .encr = IKE_ENCR_AES_GCM_16, .encr_bits = 128,
			       .prf = IKE_PRF_HMAC_SHA2_256 };
	uint8_t msg[200], got[200];
	const char *err = "";
	struct ike_keys k;
	size_t len, plen = 0;

	memset(&k, 0, sizeof(k));
	k.e_len = unhex("feffe9928665731c6d6a8f9467308308" "cafebabe", k.sk_ei);
	len = unhex("feedfacedeadbeeffeedfacedeadbeefabaddad2"
		    "facedbaddecaf888"
		    "42831ec2217774244b7221b784d0d49ce3aa212f2c02a4e035c17e23"
		    "29aca12e21d514b25466931c7d8f6a5aac84aa051ba30b396a0aac97"
		    "3d58e091" "5bc94fbc3221a5db94fae95ae7121a47", msg);
	TAP_CHECK(ike_sk_open(&s, &k, true, msg, len, 20, got, sizeof(got),
			      &plen, &err) && eq_hex(got, plen, "d931"),
		  "GCM test case 4 opens as an SK payload (%s)",
		  plen ? "ok" : err);
}

/*
 * PSK AUTH (RFC 7296 2.15) composed by hand from ike_prf:
 * prf(prf(PSK, "Key Pad for IKEv2"), msg | nonce | prf(SK_p, ID body)).
 */
static void test_psk_auth(void)
{
	static const uint16_t prfs[] = {
		IKE_PRF_HMAC_SHA2_256, IKE_PRF_HMAC_SHA2_512,
	};
	uint8_t psk[] = "a shared secret", msg[300], nonce[32], skp[64];
	uint8_t id[] = { IKE_ID_FQDN, 0, 0, 0, 'm', 'o', 'o', 'n' };
	uint8_t key[64], maced[64], octets[400], want[64], got[64];
	size_t i, n, plen;

	ike_random(msg, sizeof(msg));
	ike_random(nonce, sizeof(nonce));
	ike_random(skp, sizeof(skp));
	for (i = 0; i < sizeof(prfs) / sizeof(prfs[0]); i++) {
		plen = ike_prf_len(prfs[i]);
		ike_prf(prfs[i], psk, sizeof(psk) - 1,
			(const uint8_t *)"Key Pad for IKEv2", 17, key);
		ike_prf(prfs[i], skp, plen, id, sizeof(id), maced);
		memcpy(octets, msg, sizeof(msg));
		memcpy(octets + sizeof(msg), nonce, sizeof(nonce));
		memcpy(octets + sizeof(msg) + sizeof(nonce), maced, plen);
		n = sizeof(msg) + sizeof(nonce) + plen;
		ike_prf(prfs[i], key, plen, octets, n, want);
		TAP_CHECK(ike_psk_auth(prfs[i], psk, sizeof(psk) - 1, msg,
				       sizeof(msg), nonce, sizeof(nonce), skp,
				       plen, id, sizeof(id), got) &&
			  !memcmp(got, want, plen),
			  "PSK AUTH with PRF %u matches the composition by hand",
			  prfs[i]);
	}
	id[7] = 'N';
	TAP_CHECK(ike_psk_auth(prfs[0], psk, sizeof(psk) - 1, msg, sizeof(msg),
			       nonce, sizeof(nonce), skp, 32, id, sizeof(id),
			       got) && memcmp(got, want, 32),
		  "PSK AUTH depends on the ID");
}

static void test_misc(void)
{
	uint8_t a[64], b[64];

	TAP_CHECK(ike_random(a, sizeof(a)) && ike_random(b, sizeof(b)) &&
		  memcmp(a, b, sizeof(a)), "ike_random gives fresh bytes");
	memcpy(b, a, sizeof(a));
	TAP_CHECK(ike_equal(a, b, sizeof(a)), "ike_equal: equal");
	b[63] ^= 1;
	TAP_CHECK(!ike_equal(a, b, sizeof(a)), "ike_equal: one bit differs");
	ike_wipe(a, sizeof(a));
	memset(b, 0, sizeof(b));
	TAP_CHECK(!memcmp(a, b, sizeof(a)), "ike_wipe zeroes");
}

int main(void)
{
	test_prf_rfc4231();
	test_prf_plus();
	test_kdf();
	test_dh_x25519();
	test_dh_ecp256();
	test_dh_fresh();
	test_sk();
	test_sk_rfc7634();
	test_sk_gcm_kat();
	test_psk_auth();
	test_misc();
	return tap_done();
}
