// SPDX-License-Identifier: GPL-2.0
/* Unit tests of userspace/iked/proposal.c. */
#define _GNU_SOURCE
#include <stdlib.h>
#include <string.h>

#include "../iked/proposal.h"
#include "tap.h"

static struct ike_proposal props[IKE_MAX_PROPOSALS];
static unsigned int n;
static char err[256];

static int parse(const char *text, uint8_t protocol)
{
	err[0] = '\0';
	return proposals_parse(text, protocol, props, IKE_MAX_PROPOSALS, &n,
			       err, sizeof(err));
}

static void test_parse_ike(void)
{
	struct ike_proposal *p = &props[0];

	TAP_CHECK(!parse("aes128gcm16-prfsha256-x25519", IKE_PROTO_IKE) &&
		  n == 1 && p->n == 3 && p->num == 1 &&
		  p->protocol == IKE_PROTO_IKE && p->spi_len == 0 &&
		  proposal_has(p, IKE_TT_ENCR, IKE_ENCR_AES_GCM_16, 128) &&
		  proposal_has(p, IKE_TT_PRF, IKE_PRF_HMAC_SHA2_256, 0) &&
		  proposal_has(p, IKE_TT_DH, IKE_DH_X25519, 0),
		  "aes128gcm16-prfsha256-x25519 (%s)", err);
	TAP_CHECK(!parse("aes128-sha256-x25519", IKE_PROTO_IKE) && p->n == 4 &&
		  proposal_has(p, IKE_TT_ENCR, IKE_ENCR_AES_CBC, 128) &&
		  proposal_has(p, IKE_TT_INTEG, IKE_INTEG_HMAC_SHA2_256_128, 0) &&
		  proposal_has(p, IKE_TT_PRF, IKE_PRF_HMAC_SHA2_256, 0) &&
		  proposal_has(p, IKE_TT_DH, IKE_DH_X25519, 0),
		  "aes128-sha256-x25519 implies prfsha256 (%s)", err);
	TAP_CHECK(!parse("aes256-sha384-ecp384", IKE_PROTO_IKE) &&
		  proposal_has(p, IKE_TT_ENCR, IKE_ENCR_AES_CBC, 256) &&
		  proposal_has(p, IKE_TT_INTEG, IKE_INTEG_HMAC_SHA2_384_192, 0) &&
		  proposal_has(p, IKE_TT_PRF, IKE_PRF_HMAC_SHA2_384, 0) &&
		  proposal_count(p, IKE_TT_PRF) == 1 && proposal_has(p, IKE_TT_DH, IKE_DH_ECP384, 0),
		  "aes256-sha384-ecp384 implies prfsha384 (%s)", err);
	TAP_CHECK(!parse("aes128-sha256-prfsha384-modp2048", IKE_PROTO_IKE) &&
		  proposal_count(p, IKE_TT_PRF) == 1 &&
		  proposal_has(p, IKE_TT_PRF, IKE_PRF_HMAC_SHA2_384, 0) &&
		  proposal_has(p, IKE_TT_DH, IKE_DH_MODP2048, 0),
		  "an explicit PRF replaces the implied one (%s)", err);
	/* strongSwan's default IKE proposal style: many of each in one */
	TAP_CHECK(!parse("aes128-aes192-aes256-sha256-sha384-sha512-x25519-"
			 "ecp256-ecp384-modp3072-modp2048", IKE_PROTO_IKE) &&
		  n == 1 && p->n == 14 && proposal_count(p, IKE_TT_ENCR) == 3 &&
		  proposal_count(p, IKE_TT_INTEG) == 3 && proposal_count(p, IKE_TT_PRF) == 3 &&
		  proposal_count(p, IKE_TT_DH) == 5 &&
		  proposal_has(p, IKE_TT_ENCR, IKE_ENCR_AES_CBC, 192) &&
		  proposal_has(p, IKE_TT_PRF, IKE_PRF_HMAC_SHA2_512, 0) &&
		  proposal_has(p, IKE_TT_DH, IKE_DH_MODP3072, 0) &&
		  p->t[0].id == IKE_ENCR_AES_CBC && p->t[0].key_bits == 128,
		  "default-style proposal with many algorithms (%s)", err);
	TAP_CHECK(!parse("aes128gcm16-aes256gcm16-chacha20poly1305-prfsha256-"
			 "prfsha384-x25519-ecp256 , aes256-sha256-modp3072",
			 IKE_PROTO_IKE) && n == 2 &&
		  props[0].num == 1 && props[1].num == 2 &&
		  proposal_has(&props[0], IKE_TT_ENCR, IKE_ENCR_CHACHA20_POLY1305, 0) &&
		  proposal_has(&props[0], IKE_TT_ENCR, IKE_ENCR_AES_GCM_16, 256) &&
		  proposal_count(&props[0], IKE_TT_INTEG) == 0 &&
		  proposal_has(&props[1], IKE_TT_DH, IKE_DH_MODP3072, 0),
		  "two proposals, spaces around the comma; chacha20poly1305 "
		  "without key length (%s)", err);
	TAP_CHECK(!parse("AES128GCM16-PRFSHA256-curve25519", IKE_PROTO_IKE) &&
		  proposal_has(p, IKE_TT_DH, IKE_DH_X25519, 0),
		  "case-insensitive; curve25519 is x25519 (%s)", err);
}

static void test_parse_esp(void)
{
	struct ike_proposal *p = &props[0];

	TAP_CHECK(!parse("aes128gcm16", IKE_PROTO_ESP) && n == 1 && p->n == 2 &&
		  p->protocol == IKE_PROTO_ESP &&
		  proposal_has(p, IKE_TT_ENCR, IKE_ENCR_AES_GCM_16, 128) &&
		  proposal_has(p, IKE_TT_ESN, IKE_ESN_NO, 0),
		  "ESP aes128gcm16 gets noesn (%s)", err);
	TAP_CHECK(!parse("aes256gcm16-esn", IKE_PROTO_ESP) && p->n == 2 &&
		  proposal_has(p, IKE_TT_ESN, IKE_ESN_YES, 0) && proposal_count(p, IKE_TT_ESN) == 1,
		  "ESP with esn only (%s)", err);
	TAP_CHECK(!parse("aes128-sha256-x25519-esn-noesn", IKE_PROTO_ESP) &&
		  p->n == 5 && proposal_has(p, IKE_TT_INTEG, IKE_INTEG_HMAC_SHA2_256_128, 0) &&
		  proposal_has(p, IKE_TT_DH, IKE_DH_X25519, 0) && proposal_count(p, IKE_TT_ESN) == 2 &&
		  proposal_count(p, IKE_TT_PRF) == 0,
		  "ESP CBC with PFS and both ESN choices, no PRF (%s)", err);
	TAP_CHECK(!parse("aes128gcm8-aes256gcm12-chacha20poly1305", IKE_PROTO_ESP) &&
		  proposal_has(p, IKE_TT_ENCR, IKE_ENCR_AES_GCM_8, 128) &&
		  proposal_has(p, IKE_TT_ENCR, IKE_ENCR_AES_GCM_12, 256) &&
		  proposal_has(p, IKE_TT_ENCR, IKE_ENCR_CHACHA20_POLY1305, 0),
		  "ESP gcm8, gcm12 and chacha20poly1305 (%s)", err);
}

/* A refusal whose message contains each of @words. */
static bool refused(const char *text, uint8_t protocol, const char *w1,
		    const char *w2)
{
	if (!parse(text, protocol))
		return false;
	return strstr(err, w1) && (!w2 || strstr(err, w2));
}

static void test_refuse(void)
{
	TAP_CHECK(parse("aes999-sha256-x25519", IKE_PROTO_IKE) &&
		  !strcmp(err, "unknown algorithm \"aes999\" in proposal "
			       "\"aes999-sha256-x25519\""),
		  "unknown word named with its proposal (%s)", err);
	TAP_CHECK(refused("3des-sha256-modp2048", IKE_PROTO_IKE, "weak", "\"3des\""),
		  "3des weak (%s)", err);
	TAP_CHECK(refused("des-sha256-x25519", IKE_PROTO_ESP, "weak", "\"des\""),
		  "des weak (%s)", err);
	TAP_CHECK(refused("aes128-sha1-x25519", IKE_PROTO_IKE, "weak", "\"sha1\""),
		  "sha1 weak (%s)", err);
	TAP_CHECK(refused("aes128-md5-x25519", IKE_PROTO_IKE, "weak", "\"md5\""),
		  "md5 weak (%s)", err);
	TAP_CHECK(refused("aes128gcm16-prfsha1-x25519", IKE_PROTO_IKE, "weak",
			  "\"prfsha1\""), "prfsha1 weak (%s)", err);
	TAP_CHECK(refused("aes128gcm16-prfmd5-x25519", IKE_PROTO_IKE, "weak",
			  "\"prfmd5\""), "prfmd5 weak (%s)", err);
	TAP_CHECK(refused("aes128-sha256-modp1024", IKE_PROTO_IKE, "weak",
			  "\"modp1024\""), "modp1024 weak (%s)", err);
	TAP_CHECK(refused("aes128-sha256-modp1536", IKE_PROTO_IKE, "weak",
			  "\"modp1536\""), "modp1536 weak (%s)", err);
	TAP_CHECK(refused("aes128-sha256-modp768", IKE_PROTO_IKE, "weak",
			  "\"modp768\""), "modp768 weak (%s)", err);
	TAP_CHECK(refused("aes128ccm16", IKE_PROTO_ESP, "unsupported",
			  "\"aes128ccm16\""), "aes128ccm16 unsupported (%s)", err);
	TAP_CHECK(refused("aes256-sha384", IKE_PROTO_ESP,
			  "nfesp's ESP does not support", "\"sha384\""),
		  "ESP sha384 refused for nfesp (%s)", err);
	TAP_CHECK(refused("aes256-sha512", IKE_PROTO_ESP,
			  "nfesp's ESP does not support", "\"sha512\""),
		  "ESP sha512 refused for nfesp (%s)", err);
	TAP_CHECK(refused("aes192-sha256", IKE_PROTO_ESP,
			  "nfesp's ESP does not support", "\"aes192\""),
		  "ESP aes192 refused for nfesp (%s)", err);
	TAP_CHECK(refused("aes192gcm16", IKE_PROTO_ESP,
			  "nfesp's ESP does not support", "\"aes192gcm16\""),
		  "ESP aes192gcm16 refused for nfesp (%s)", err);
	TAP_CHECK(refused("aes128gcm16-sha256-x25519", IKE_PROTO_IKE,
			  "integrity", "aes128gcm16-sha256-x25519"),
		  "IKE AEAD with integrity refused (%s)", err);
	TAP_CHECK(refused("aes128gcm16-sha256", IKE_PROTO_ESP, "integrity", NULL),
		  "ESP AEAD with integrity refused (%s)", err);
	TAP_CHECK(refused("aes128-prfsha256-x25519", IKE_PROTO_IKE,
			  "no integrity", NULL),
		  "IKE CBC without integrity refused (%s)", err);
	TAP_CHECK(refused("aes128", IKE_PROTO_ESP, "no integrity", NULL),
		  "ESP CBC without integrity refused (%s)", err);
	TAP_CHECK(refused("aes128-sha256", IKE_PROTO_IKE, "DH", NULL),
		  "IKE without DH refused (%s)", err);
	TAP_CHECK(refused("aes128gcm16-x25519", IKE_PROTO_IKE, "no PRF", NULL),
		  "IKE AEAD without PRF refused (%s)", err);
	TAP_CHECK(refused("sha256-x25519", IKE_PROTO_IKE, "no encryption", NULL),
		  "no encryption refused (%s)", err);
	TAP_CHECK(refused("aes128-aes128gcm16-sha256-x25519", IKE_PROTO_IKE,
			  "AEAD", NULL), "AEAD mixed with CBC refused (%s)", err);
	TAP_CHECK(refused("aes128gcm16-prfsha256-x25519-esn", IKE_PROTO_IKE,
			  "\"esn\"", NULL), "esn in IKE refused (%s)", err);
	TAP_CHECK(refused("aes128gcm16-prfsha256", IKE_PROTO_ESP,
			  "\"prfsha256\"", NULL), "PRF in ESP refused (%s)", err);
	TAP_CHECK(refused("aes128gcm8-prfsha256-x25519", IKE_PROTO_IKE,
			  "\"aes128gcm8\"", "IKE"), "gcm8 in IKE refused (%s)", err);
	TAP_CHECK(refused("aes128gcm16,,aes256gcm16", IKE_PROTO_ESP, "empty", NULL),
		  "empty proposal refused (%s)", err);
	TAP_CHECK(refused("aes128gcm16--noesn", IKE_PROTO_ESP, "empty", NULL),
		  "empty algorithm refused (%s)", err);
	TAP_CHECK(refused("aes128gcm16, aes256gcm16-modp1024", IKE_PROTO_ESP,
			  "\"aes256gcm16-modp1024\"", "weak"),
		  "the message names the second proposal (%s)", err);
	err[0] = '\0';
	TAP_CHECK(proposals_parse("aes128gcm16,aes256gcm16", IKE_PROTO_ESP, props,
				  1, &n, err, sizeof(err)) && strstr(err, "too many"),
		  "too many proposals refused (%s)", err);
}

static bool round_trip(const char *text, uint8_t protocol, const char *want)
{
	char a[512], b[512];

	if (parse(text, protocol))
		return false;
	proposals_format(props, n, a, sizeof(a));
	if (parse(a, protocol))
		return false;
	proposals_format(props, n, b, sizeof(b));
	return !strcmp(a, b) && (!want || !strcmp(a, want));
}

static void test_format(void)
{
	struct ike_proposal odd = {
		.num = 1, .protocol = IKE_PROTO_IKE, .n = 3,
		.t = { { IKE_TT_ENCR, IKE_ENCR_AES_CBC, 0xffff },
		       { 9, 7, 0 },
		       { IKE_TT_DH, IKE_DH_ECP256, 0 } },
	};
	char buf[64];

	TAP_CHECK(round_trip("aes128-sha256-x25519", IKE_PROTO_IKE,
			     "aes128-sha256-prfsha256-x25519"),
		  "the implied PRF is printed explicitly");
	TAP_CHECK(round_trip("x25519-prfsha256-aes128gcm16", IKE_PROTO_IKE,
			     "aes128gcm16-prfsha256-x25519"),
		  "printed in encryption, PRF, DH order");
	TAP_CHECK(round_trip("chacha20poly1305-prfsha512-ecp384", IKE_PROTO_IKE,
			     "chacha20poly1305-prfsha512-ecp384"),
		  "chacha20poly1305 round trip");
	TAP_CHECK(round_trip("aes128gcm16,aes128-sha256-ecp256-esn",
			     IKE_PROTO_ESP,
			     "aes128gcm16-noesn, aes128-sha256-ecp256-esn"),
		  "ESP round trip, ESN printed");
	TAP_CHECK(round_trip("aes128gcm128-aes256gcm64", IKE_PROTO_ESP,
			     "aes128gcm16-aes256gcm8-noesn"),
		  "strongSwan's bit-ICV aliases print as gcm16/gcm8");
	TAP_CHECK(round_trip("aes128-aes192-aes256-sha256-sha384-sha512-x25519-"
			     "ecp256-ecp384-modp3072-modp2048, aes256gcm16-"
			     "chacha20poly1305-prfsha384-x25519", IKE_PROTO_IKE,
			     NULL), "default-style list round trip");
	proposal_format(&odd, buf, sizeof(buf));
	TAP_CHECK(!strcmp(buf, "1:12-ecp256-9:7"),
		  "unknown transforms as TYPE:ID (%s)", buf);
	proposal_format(&odd, buf, 5);
	TAP_CHECK(!strcmp(buf, "1:12"), "a short buffer truncates (%s)", buf);
}

static bool select_(const char *mine, const char *theirs, uint8_t protocol,
		    struct ike_proposal *chosen)
{
	struct ike_proposal m[IKE_MAX_PROPOSALS];
	unsigned int nm;

	if (parse(mine, protocol))
		return false;
	memcpy(m, props, sizeof(m));
	nm = n;
	if (parse(theirs, protocol))
		return false;
	return proposal_select(m, nm, props, n, chosen);
}

static void test_select(void)
{
	struct ike_proposal c, t, two[2];
	char buf[256];
	unsigned int i;

	TAP_CHECK(select_("aes256gcm16-prfsha384-ecp384, aes128gcm16-prfsha256-x25519",
			  "aes128gcm16-aes256gcm16-prfsha256-prfsha384-x25519-ecp384",
			  IKE_PROTO_IKE, &c) && c.num == 1 && c.n == 3 &&
		  (proposal_format(&c, buf, sizeof(buf)),
		   !strcmp(buf, "aes256gcm16-prfsha384-ecp384")),
		  "responder takes the first of theirs per type that my first "
		  "proposal has (%s)", buf);
	TAP_CHECK(select_("aes128gcm16-prfsha256-x25519",
			  "aes256gcm16-prfsha512-ecp384, aes128gcm16-prfsha256-x25519",
			  IKE_PROTO_IKE, &c) && c.num == 2 && c.n == 3 &&
		  c.t[0].id == IKE_ENCR_AES_GCM_16 && c.t[0].key_bits == 128,
		  "their second proposal chosen, with its number");
	TAP_CHECK(!select_("aes128gcm16-prfsha256-x25519",
			   "aes256gcm16-prfsha512-ecp384", IKE_PROTO_IKE, &c),
		  "nothing in common: false");
	TAP_CHECK(!select_("aes256gcm16-prfsha256-x25519",
			   "aes128gcm16-prfsha256-x25519", IKE_PROTO_IKE, &c),
		  "key length must match");
	TAP_CHECK(!select_("aes128gcm16", "aes128gcm16-x25519", IKE_PROTO_ESP, &c),
		  "a DH group I lack: false");
	TAP_CHECK(!select_("aes128gcm16-x25519", "aes128gcm16", IKE_PROTO_ESP, &c),
		  "no DH group when I want PFS: false");
	TAP_CHECK(select_("aes128gcm16", "aes128gcm16-esn-noesn", IKE_PROTO_ESP, &c) &&
		  c.n == 2 && c.t[1].type == IKE_TT_ESN && c.t[1].id == IKE_ESN_NO,
		  "ESN: mine noesn, theirs esn+noesn: noesn");
	TAP_CHECK(select_("aes128gcm16-esn-noesn", "aes128gcm16-esn-noesn",
			  IKE_PROTO_ESP, &c) && c.t[1].id == IKE_ESN_YES,
		  "ESN: their first choice when both offer both");
	TAP_CHECK(!select_("aes128gcm16-esn", "aes128gcm16-noesn", IKE_PROTO_ESP, &c),
		  "ESN: I want it, they refuse it: false");

	/* Theirs without an ESN transform means no ESN. */
	parse("aes128gcm16", IKE_PROTO_ESP);
	t = props[0];
	t.n = 1;
	t.spi_len = 4;
	memcpy(t.spi, "\x11\x22\x33\x44", 4);
	TAP_CHECK(proposal_select(props, 1, &t, 1, &c) && c.n == 1 &&
		  c.spi_len == 4 && !memcmp(c.spi, "\x11\x22\x33\x44", 4),
		  "ESN absent in theirs: no ESN, their SPI kept");
	parse("aes128gcm16-esn", IKE_PROTO_ESP);
	TAP_CHECK(!proposal_select(props, 1, &t, 1, &c),
		  "ESN absent in theirs but I require ESN: false");

	/* A proposal with a transform type we do not know is refused (RFC
	 * 7296 3.3.6), as strongSwan's additional key exchange (type 6) first,
	 * then the same without it.
	 */
	parse("aes128gcm16-prfsha256-x25519", IKE_PROTO_IKE);
	two[0] = two[1] = props[0];
	two[0].t[two[0].n++] = (struct ike_transform){ 6, 36, 0 };
	two[1].num = 2;
	TAP_CHECK(!proposal_select(props, 1, &two[0], 1, &c),
		  "a proposal with an unknown transform type is refused");
	TAP_CHECK(proposal_select(props, 1, two, 2, &c) && c.num == 2 && c.n == 3,
		  "the next proposal, without it, is chosen (got number %u)", c.num);
	t = props[0];
	for (i = 0; i < t.n; i++)
		if (t.t[i].type == IKE_TT_ENCR)
			t.t[i].key_bits = 0xffff;
	TAP_CHECK(!proposal_select(props, 1, &t, 1, &c),
		  "a transform with an unknown attribute never matches");
	t = props[0];
	t.protocol = IKE_PROTO_ESP;
	TAP_CHECK(!proposal_select(props, 1, &t, 1, &c), "protocol must match");
}

static void test_accept(void)
{
	struct ike_proposal mine[IKE_MAX_PROPOSALS], c, bad;
	unsigned int nm;

	parse("aes256gcm16-prfsha384-ecp384, aes128gcm16-aes256gcm16-prfsha256-x25519",
	      IKE_PROTO_IKE);
	memcpy(mine, props, sizeof(mine));
	nm = n;
	TAP_CHECK(proposal_select(mine, nm, mine, nm, &c) &&
		  proposal_accept(mine, nm, &c), "the responder's choice accepted");
	parse("aes256gcm16-prfsha256-x25519", IKE_PROTO_IKE);
	c = props[0];
	c.num = 2;
	TAP_CHECK(proposal_accept(mine, nm, &c),
		  "a choice from my second proposal, numbered 2, accepted");
	c.num = 1;
	TAP_CHECK(!proposal_accept(mine, nm, &c),
		  "the same numbered 1 (not my proposal 1) refused");
	c.num = 3;
	TAP_CHECK(!proposal_accept(mine, nm, &c), "an unknown number refused");
	bad = c;
	bad.num = 2;
	bad.t[bad.n++] = (struct ike_transform){ IKE_TT_ENCR, IKE_ENCR_AES_GCM_16, 128 };
	TAP_CHECK(!proposal_accept(mine, nm, &bad), "two transforms of one type refused");
	bad = c;
	bad.num = 2;
	bad.n--;	/* drop the DH */
	TAP_CHECK(!proposal_accept(mine, nm, &bad), "a missing DH refused");
	bad = c;
	bad.num = 2;
	bad.t[bad.n++] = (struct ike_transform){ IKE_TT_INTEG, 12, 0 };
	TAP_CHECK(!proposal_accept(mine, nm, &bad), "a transform I did not offer refused");
	bad = c;
	bad.num = 2;
	bad.t[bad.n++] = (struct ike_transform){ 9, 1, 0 };
	TAP_CHECK(!proposal_accept(mine, nm, &bad), "an unknown transform type refused");

	parse("aes128gcm16", IKE_PROTO_ESP);
	memcpy(mine, props, sizeof(mine));
	c = props[0];
	c.n = 1;
	TAP_CHECK(proposal_accept(mine, 1, &c), "ESP choice without ESN accepted");
	c.n = 2;
	TAP_CHECK(proposal_accept(mine, 1, &c), "ESP choice with noesn accepted");
	c.t[1].id = IKE_ESN_YES;
	TAP_CHECK(!proposal_accept(mine, 1, &c), "ESP choice with esn I lack refused");
}

static bool suite_of(const char *text, uint8_t protocol, struct ike_suite *s)
{
	return !parse(text, protocol) && proposal_suite(&props[0], s);
}

static void test_suite(void)
{
	struct ike_suite s;
	const char *alg = NULL;
	size_t key = 0;
	unsigned int icv = 0;

	TAP_CHECK(suite_of("aes256gcm16-prfsha384-ecp384", IKE_PROTO_IKE, &s) &&
		  s.encr == IKE_ENCR_AES_GCM_16 && s.encr_bits == 256 &&
		  s.prf == IKE_PRF_HMAC_SHA2_384 && s.integ == 0 &&
		  s.dh == IKE_DH_ECP384 && !s.esn, "IKE AEAD suite");
	TAP_CHECK(suite_of("aes128-sha256-x25519", IKE_PROTO_IKE, &s) &&
		  s.encr == IKE_ENCR_AES_CBC && s.encr_bits == 128 &&
		  s.prf == IKE_PRF_HMAC_SHA2_256 &&
		  s.integ == IKE_INTEG_HMAC_SHA2_256_128 && s.dh == IKE_DH_X25519,
		  "IKE CBC suite");
	TAP_CHECK(suite_of("chacha20poly1305-esn", IKE_PROTO_ESP, &s) &&
		  s.encr == IKE_ENCR_CHACHA20_POLY1305 && s.encr_bits == 256 &&
		  s.esn && !s.dh, "ESP chacha20poly1305 suite: 256 bits, ESN");
	TAP_CHECK(suite_of("aes128gcm16-x25519", IKE_PROTO_ESP, &s) &&
		  s.dh == IKE_DH_X25519 && !s.esn, "ESP suite with PFS");
	TAP_CHECK(!suite_of("aes128-aes256-sha256-x25519", IKE_PROTO_IKE, &s),
		  "two encryption algorithms: not a selected proposal");
	parse("aes128gcm16-prfsha256-x25519", IKE_PROTO_IKE);
	props[0].n = 2;	/* drop the DH */
	TAP_CHECK(!proposal_suite(&props[0], &s), "IKE without DH: false");

	TAP_CHECK(!parse("aes128gcm16, aes256gcm16-ecp256-x25519", IKE_PROTO_ESP) &&
		  proposals_first_dh(props, n) == IKE_DH_ECP256 &&
		  proposals_have_dh(props, n, IKE_DH_X25519) &&
		  !proposals_have_dh(props, n, IKE_DH_MODP2048),
		  "first DH group and have_dh");
	TAP_CHECK(!parse("aes128gcm16", IKE_PROTO_ESP) &&
		  proposals_first_dh(props, n) == 0 &&
		  !proposals_have_dh(props, n, IKE_DH_X25519), "no DH group: 0");

	TAP_CHECK(suite_of("aes128gcm16", IKE_PROTO_ESP, &s) &&
		  esp_suite_kernel(&s, &alg, &key, &icv) &&
		  !strcmp(alg, "rfc4106(gcm(aes))") && key == 20 && icv == 128,
		  "kernel: aes128gcm16");
	TAP_CHECK(suite_of("aes256gcm8", IKE_PROTO_ESP, &s) &&
		  esp_suite_kernel(&s, &alg, &key, &icv) &&
		  !strcmp(alg, "rfc4106(gcm(aes))") && key == 36 && icv == 64,
		  "kernel: aes256gcm8");
	TAP_CHECK(suite_of("aes128gcm12", IKE_PROTO_ESP, &s) &&
		  esp_suite_kernel(&s, &alg, &key, &icv) && key == 20 && icv == 96,
		  "kernel: aes128gcm12");
	TAP_CHECK(suite_of("chacha20poly1305", IKE_PROTO_ESP, &s) &&
		  esp_suite_kernel(&s, &alg, &key, &icv) &&
		  !strcmp(alg, "rfc7539esp(chacha20,poly1305)") && key == 36 &&
		  icv == 128, "kernel: chacha20poly1305");
	TAP_CHECK(suite_of("aes128-sha256", IKE_PROTO_ESP, &s) &&
		  esp_suite_kernel(&s, &alg, &key, &icv) &&
		  !strcmp(alg, "authenc(hmac(sha256),cbc(aes))") && key == 48 &&
		  icv == 128, "kernel: aes128-sha256");
	TAP_CHECK(suite_of("aes256-sha256", IKE_PROTO_ESP, &s) &&
		  esp_suite_kernel(&s, &alg, &key, &icv) && key == 64,
		  "kernel: aes256-sha256");
	s = (struct ike_suite){ .encr = IKE_ENCR_AES_CBC, .encr_bits = 128,
				.integ = IKE_INTEG_HMAC_SHA2_384_192 };
	TAP_CHECK(!esp_suite_kernel(&s, &alg, &key, &icv), "kernel: no sha384");
	s = (struct ike_suite){ .encr = IKE_ENCR_AES_GCM_16, .encr_bits = 192 };
	TAP_CHECK(!esp_suite_kernel(&s, &alg, &key, &icv), "kernel: no aes192");
	s = (struct ike_suite){ .encr = 3, .encr_bits = 128 };
	TAP_CHECK(!esp_suite_kernel(&s, &alg, &key, &icv), "kernel: no 3des");
}

int main(void)
{
	test_parse_ike();
	test_parse_esp();
	test_refuse();
	test_format();
	test_select();
	test_accept();
	test_suite();
	return tap_done();
}
