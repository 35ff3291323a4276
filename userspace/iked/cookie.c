// SPDX-License-Identifier: GPL-2.0
/*
 * The IKE_SA_INIT responder's defences against floods (RFC 7296 2.6): the
 * count of half-open IKE SAs, cookies past a threshold of them, and a bound
 * that not even returned cookies pass.
 */
#include <stdlib.h>
#include <string.h>
#include <openssl/evp.h>

#include "ike.h"

/* [global]'s cookie_threshold: past that many half-open SAs the responder
 * asks for a cookie; past half_open_max it makes no more (3-4 KiB each).
 */
/* The secret changes this often; a cookie of the one before still counts. */
#define COOKIE_SECRET_LIFE		300

void ike_sa_half_open(struct ike_sa *sa, bool on)
{
	if (sa->half_open == on)
		return;
	sa->half_open = on;
	if (on)
		iked.half_open++;
	else
		iked.half_open--;
}

bool ike_half_open_room(const struct sockaddr_storage *remote)
{
	char a[64];

	if (iked.half_open < iked.conf.settings.half_open_max)
		return true;
	ike_warn(NULL, remote, "IKE_SA_INIT from %s dropped: %u half-open IKE SAs, the most there may be",
		 sockaddr_str(remote, a, sizeof(a)), iked.half_open);
	return false;
}

/* A hash of @secret, Ni, the peer's address and SPIi. */
static void make_cookie(const uint8_t *secret, const uint8_t *ni, size_t ni_len,
			const struct sockaddr_storage *remote,
			const uint8_t *spi_i, uint8_t out[IKE_COOKIE_LEN])
{
	EVP_MD_CTX *ctx = EVP_MD_CTX_new();
	unsigned int len = IKE_COOKIE_LEN;
	const uint8_t *addr;
	size_t alen;

	addr = sockaddr_addr(remote, &alen);
	if (!ctx || !EVP_DigestInit_ex(ctx, EVP_sha256(), NULL) ||
	    !EVP_DigestUpdate(ctx, secret, sizeof(iked.cookie_secret)) ||
	    !EVP_DigestUpdate(ctx, ni, ni_len) ||
	    !EVP_DigestUpdate(ctx, addr, alen) ||
	    !EVP_DigestUpdate(ctx, spi_i, IKE_SPI_LEN) ||
	    !EVP_DigestFinal_ex(ctx, out, &len))
		memset(out, 0, IKE_COOKIE_LEN);
	EVP_MD_CTX_free(ctx);
}

static void rotate_secret(void)
{
	time_t now = time(NULL);

	if (iked.cookie_secret_at && now - iked.cookie_secret_at <= COOKIE_SECRET_LIFE)
		return;
	/* The first time, the one before is as random as the new one. */
	if (iked.cookie_secret_at)
		memcpy(iked.cookie_secret_prev, iked.cookie_secret,
		       sizeof(iked.cookie_secret));
	else
		ike_random(iked.cookie_secret_prev, sizeof(iked.cookie_secret_prev));
	ike_random(iked.cookie_secret, sizeof(iked.cookie_secret));
	iked.cookie_secret_at = now;
}

bool ike_cookie_ok(const struct ike_header *hdr, const struct ike_payload *pl,
		   unsigned int n, const uint8_t *ni, size_t ni_len,
		   const struct sockaddr_storage *local,
		   const struct sockaddr_storage *remote)
{
	uint8_t want[IKE_COOKIE_LEN], before[IKE_COOKIE_LEN];
	struct ike_notify nt;

	if (iked.half_open < iked.conf.settings.cookie_threshold)
		return true;
	rotate_secret();
	make_cookie(iked.cookie_secret, ni, ni_len, remote, hdr->spi_i, want);
	make_cookie(iked.cookie_secret_prev, ni, ni_len, remote, hdr->spi_i, before);
	if (ike_has_notify(pl, n, IKE_N_COOKIE, &nt) && nt.len == IKE_COOKIE_LEN &&
	    (ike_equal(nt.data, want, IKE_COOKIE_LEN) ||
	     ike_equal(nt.data, before, IKE_COOKIE_LEN)))
		return true;
	ike_send_init_error(hdr, local, remote, IKE_N_COOKIE, want, sizeof(want));
	return false;
}
