// SPDX-License-Identifier: GPL-2.0
/* ESP algorithm names: strongSwan's proposal keywords and the kernel's. */
#include <string.h>

#include "alg.h"

#define GCM "rfc4106(gcm(aes))"
#define CHACHA "rfc7539esp(chacha20,poly1305)"
#define CBC_SHA256 "authenc(hmac(sha256),cbc(aes))"
#define SALT "-byte key + 4-byte salt"

static const struct esp_alg algs[] = {
	{ "aes128gcm16", GCM, 20, 128, "16" SALT },
	{ "aes128gcm12", GCM, 20, 96, "16" SALT },
	{ "aes128gcm8", GCM, 20, 64, "16" SALT },
	{ "aes256gcm16", GCM, 36, 128, "32" SALT },
	{ "aes256gcm12", GCM, 36, 96, "32" SALT },
	{ "aes256gcm8", GCM, 36, 64, "32" SALT },
	{ "chacha20poly1305", CHACHA, 36, 128, "32" SALT },
	{ "aes128-sha256", CBC_SHA256, 48, 128,
	  "16-byte AES key + 32-byte HMAC key" },
	{ "aes256-sha256", CBC_SHA256, 64, 128,
	  "32-byte AES key + 32-byte HMAC key" },
};

static const struct esp_alg kernel_algs[] = {
	{ GCM, GCM, 0, 0, "16 or 32" SALT },
	{ CHACHA, CHACHA, 0, 0, "32" SALT },
	{ CBC_SHA256, CBC_SHA256, 0, 0, "16 or 32-byte AES key + 32-byte HMAC key" },
};

#define N(a) (sizeof(a) / sizeof((a)[0]))

const struct esp_alg *esp_alg_find(const char *name)
{
	size_t i;

	for (i = 0; i < N(algs); i++)
		if (!strcmp(algs[i].name, name))
			return &algs[i];
	for (i = 0; i < N(kernel_algs); i++)
		if (!strcmp(kernel_algs[i].name, name))
			return &kernel_algs[i];
	return NULL;
}

const char *esp_alg_name(const char *kernel, size_t key_len,
			 unsigned int icv_bits)
{
	size_t i;

	for (i = 0; i < N(algs); i++)
		if (!strcmp(algs[i].kernel, kernel) && algs[i].key_len == key_len &&
		    algs[i].icv_bits == icv_bits)
			return algs[i].name;
	return NULL;
}

const char *esp_alg_names(void)
{
	return "aes128gcm16, aes128gcm12, aes128gcm8, aes256gcm16, aes256gcm12, "
	       "aes256gcm8, chacha20poly1305, aes128-sha256, aes256-sha256, "
	       "or the kernel's " GCM ", " CHACHA ", " CBC_SHA256;
}
