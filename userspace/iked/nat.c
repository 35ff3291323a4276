// SPDX-License-Identifier: GPL-2.0
/* NAT detection in IKE_SA_INIT (RFC 7296 2.23). */
#include <string.h>
#include <openssl/evp.h>

#include "ike.h"

/* NAT detection (2.23): SHA-1(SPIi | SPIr | IP | port). */
static void nat_hash(const uint8_t *spi_i, const uint8_t *spi_r,
		     const struct sockaddr_storage *ss, uint8_t out[20])
{
	uint8_t buf[IKE_SPI_LEN * 2 + 16 + 2];
	const uint8_t *addr;
	uint16_t port = sockaddr_port(ss);
	size_t alen;

	addr = sockaddr_addr(ss, &alen);
	memcpy(buf, spi_i, IKE_SPI_LEN);
	memcpy(buf + IKE_SPI_LEN, spi_r, IKE_SPI_LEN);
	memcpy(buf + 2 * IKE_SPI_LEN, addr, alen);
	buf[2 * IKE_SPI_LEN + alen] = port >> 8;
	buf[2 * IKE_SPI_LEN + alen + 1] = port & 0xff;
	EVP_Digest(buf, 2 * IKE_SPI_LEN + alen + 2, out, NULL, EVP_sha1(), NULL);
}

void ike_put_nat_detection(struct ike_writer *w, const struct ike_sa *sa,
			      const uint8_t *spi_r)
{
	uint8_t h[20];

	nat_hash(sa->spi_i, spi_r, &sa->local, h);
	/* Forced encapsulation: a source hash that cannot match makes the
	 * peer see a NAT, as strongSwan's encap=yes does.
	 */
	if (sa->conn->encap)
		ike_random(h, sizeof(h));
	ike_put_notify(w, 0, NULL, 0, IKE_N_NAT_DETECTION_SOURCE_IP, h, sizeof(h));
	nat_hash(sa->spi_i, spi_r, &sa->remote, h);
	ike_put_notify(w, 0, NULL, 0, IKE_N_NAT_DETECTION_DESTINATION_IP, h,
		       sizeof(h));
}

/* Reads the peer's NAT-D notifies; true if it sent any. */
bool ike_check_nat(struct ike_sa *sa, const struct ike_payload *pl,
		      unsigned int n, const uint8_t *spi_r)
{
	uint8_t src[20], dst[20];
	bool any = false, src_ok = false, dst_ok = false;
	struct ike_notify nt;
	const char *err;
	unsigned int i;

	nat_hash(sa->spi_i, spi_r, &sa->remote, src);
	nat_hash(sa->spi_i, spi_r, &sa->local, dst);
	for (i = 0; i < n; i++) {
		if (pl[i].type != IKE_PL_NOTIFY || ike_parse_notify(&pl[i], &nt, &err))
			continue;
		if (nt.type == IKE_N_NAT_DETECTION_SOURCE_IP) {
			any = true;
			src_ok |= nt.len == 20 && !memcmp(nt.data, src, 20);
		} else if (nt.type == IKE_N_NAT_DETECTION_DESTINATION_IP) {
			any = true;
			dst_ok |= nt.len == 20 && !memcmp(nt.data, dst, 20);
		}
	}
	if (any) {
		sa->nat_remote = !src_ok || sa->conn->encap;
		sa->nat_local = !dst_ok || sa->conn->encap;
	}
	return any;
}
