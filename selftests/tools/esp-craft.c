// SPDX-License-Identifier: GPL-2.0
/*
 * esp-craft: sends one hand-made ESP packet (IPv4, aes128gcm16) carrying a
 * UDP datagram, correct or broken on purpose, so the tests can show what
 * the receiver does with hostile input.
 *
 *   esp-craft DST SPI SEQ KEY DPORT [ok|icv|pad|short|dummy]
 *   esp-craft DST SPI SEQ KEY DPORT tunnel|tunnel-ce INNER_SRC INNER_DST
 *
 * KEY is 0x + 40 hex digits (AES-128 key and 4-byte salt, as ip xfrm takes
 * it). The source address is whatever the route gives. The tunnel forms
 * carry an inner IPv4 header that is not ECN-capable; tunnel-ce marks the
 * outer one CE (congestion), which RFC 6040 says the receiver must drop.
 * dummy is a correct packet whose next header is 59 (no next header): a
 * dummy packet, RFC 4303 2.6, which the receiver must discard silently.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>
#include <openssl/evp.h>

#define ICV_LEN 16
#define IV_LEN 8

static int die(const char *what)
{
	fprintf(stderr, "esp-craft: %s\n", what);
	return 2;
}

static int parse_key(const char *hex, unsigned char key[20])
{
	unsigned int i, byte;

	if (strncmp(hex, "0x", 2) || strlen(hex) != 42)
		return -1;
	for (i = 0; i < 20; i++) {
		if (sscanf(hex + 2 + 2 * i, "%2x", &byte) != 1)
			return -1;
		key[i] = byte;
	}
	return 0;
}

/* The Internet checksum of an IPv4 header (RFC 1071). */
static uint16_t ip_csum(const unsigned char *hdr, int len)
{
	uint32_t sum = 0;

	for (int i = 0; i < len; i += 2)
		sum += hdr[i] << 8 | hdr[i + 1];
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return ~sum & 0xffff;
}

/* AES-GCM over plain[len] in place, with aad[8]; the tag goes to icv. */
static int seal(const unsigned char key[20], const unsigned char aad[8],
		const unsigned char iv[IV_LEN], unsigned char *buf, int len,
		unsigned char icv[ICV_LEN])
{
	EVP_CIPHER_CTX *ctx = EVP_CIPHER_CTX_new();
	unsigned char nonce[12];
	int out, ok;

	memcpy(nonce, key + 16, 4);	/* the salt, RFC 4106 4 */
	memcpy(nonce + 4, iv, IV_LEN);
	ok = ctx &&
	     EVP_EncryptInit_ex(ctx, EVP_aes_128_gcm(), NULL, key, nonce) &&
	     EVP_EncryptUpdate(ctx, NULL, &out, aad, 8) &&
	     EVP_EncryptUpdate(ctx, buf, &out, buf, len) &&
	     EVP_EncryptFinal_ex(ctx, buf + out, &out) &&
	     EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_GCM_GET_TAG, ICV_LEN, icv);
	EVP_CIPHER_CTX_free(ctx);
	return ok ? 0 : -1;
}

int main(int argc, char **argv)
{
	static const char data[] = "nfesp-hostile";
	unsigned char pkt[256], key[20], *p, *plain;
	const char *how = argc > 6 ? argv[6] : "ok";
	struct sockaddr_in dst = { .sin_family = AF_INET };
	int tunnel = !strcmp(how, "tunnel") || !strcmp(how, "tunnel-ce");
	int dummy = !strcmp(how, "dummy");
	int ecn = strcmp(how, "tunnel-ce") ? 0 : 3;	/* 3: CE */
	int fd, len, pad, plen, inner = tunnel ? 20 : 0;
	uint32_t spi, seq;
	uint16_t dport;

	if (strcmp(how, "ok") && strcmp(how, "icv") && strcmp(how, "pad") &&
	    strcmp(how, "short") && !dummy && !tunnel)
		return die("the mode must be ok, icv, pad, short, dummy, tunnel or tunnel-ce");
	if (tunnel ? argc != 9 : argc < 6 || argc > 7)
		return die("usage: esp-craft DST SPI SEQ KEY DPORT [ok|icv|pad|short|dummy]\n"
			   "       esp-craft DST SPI SEQ KEY DPORT tunnel|tunnel-ce INNER_SRC INNER_DST");
	if (inet_pton(AF_INET, argv[1], &dst.sin_addr) != 1)
		return die("DST is not an IPv4 address");
	spi = strtoul(argv[2], NULL, 0);
	seq = strtoul(argv[3], NULL, 0);
	dport = strtoul(argv[5], NULL, 0);
	if (parse_key(argv[4], key))
		return die("KEY must be 0x and 40 hex digits");

	/* ESP header and IV (the sequence number, as nfesp makes it). */
	p = pkt;
	*(uint32_t *)p = htonl(spi);
	*(uint32_t *)(p + 4) = htonl(seq);
	memset(p + 8, 0, 4);
	*(uint32_t *)(p + 12) = htonl(seq);
	plain = p + 8 + IV_LEN;

	/* UDP, checksum 0 (allowed over IPv4), then the ESP trailer. */
	plen = inner + 8 + sizeof(data);
	*(uint16_t *)(plain + inner) = htons(40000);
	*(uint16_t *)(plain + inner + 2) = htons(dport);
	*(uint16_t *)(plain + inner + 4) = htons(plen - inner);
	*(uint16_t *)(plain + inner + 6) = 0;
	memcpy(plain + inner + 8, data, sizeof(data));
	if (tunnel) {
		/* The inner IPv4 header: no options, DSCP 0, not ECN-capable. */
		memset(plain, 0, 20);
		plain[0] = 0x45;
		*(uint16_t *)(plain + 2) = htons(plen);
		plain[8] = 64;
		plain[9] = IPPROTO_UDP;
		if (inet_pton(AF_INET, argv[7], plain + 12) != 1 ||
		    inet_pton(AF_INET, argv[8], plain + 16) != 1)
			return die("INNER_SRC and INNER_DST must be IPv4 addresses");
		*(uint16_t *)(plain + 10) = htons(ip_csum(plain, 20));
	}
	pad = (4 - (plen + 2) % 4) % 4;
	for (int i = 0; i < pad; i++)
		plain[plen + i] = i + 1;
	if (!strcmp(how, "pad")) {
		/* Padding that does not count 1, 2, 3: needs some to break. */
		if (!pad) {
			plain[plen] = 1;
			plain[plen + 1] = 2;
			plain[plen + 2] = 3;
			plain[plen + 3] = 4;
			pad = 4;
		}
		plain[plen] ^= 0x40;
	}
	plain[plen + pad] = pad;
	plain[plen + pad + 1] = tunnel ? IPPROTO_IPIP : dummy ? IPPROTO_NONE : IPPROTO_UDP;
	plen += pad + 2;
	if (seal(key, pkt, p + 8, plain, plen, plain + plen))
		return die("encryption failed");
	len = 8 + IV_LEN + plen + ICV_LEN;
	if (!strcmp(how, "icv"))
		pkt[len - 1] ^= 1;
	else if (!strcmp(how, "short"))
		len = 6;

	fd = socket(AF_INET, SOCK_RAW, IPPROTO_ESP);
	if (fd < 0 || setsockopt(fd, IPPROTO_IP, IP_TOS, &ecn, sizeof(ecn)) ||
	    sendto(fd, pkt, len, 0, (void *)&dst, sizeof(dst)) != len) {
		fprintf(stderr, "esp-craft: send: %s\n", strerror(errno));
		return 1;
	}
	close(fd);
	return 0;
}
