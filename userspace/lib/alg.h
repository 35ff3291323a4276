/* SPDX-License-Identifier: GPL-2.0 */
/* ESP algorithm names: strongSwan's proposal keywords and the kernel's. */
#ifndef NFESP_ALG_H
#define NFESP_ALG_H

#include <stddef.h>

struct esp_alg {
	const char *name;	/* as strongSwan spells it: aes128gcm16 */
	const char *kernel;	/* the kernel AEAD: rfc4106(gcm(aes)) */
	unsigned int key_len;	/* bytes, salt or HMAC key included */
	unsigned int icv_bits;
	const char *key_layout;	/* for error messages */
};

/* By strongSwan name or kernel name (then key_len and icv_bits are 0:
 * any the kernel takes). NULL if neither.
 */
const struct esp_alg *esp_alg_find(const char *name);

/* The strongSwan name for what the kernel reports, or NULL. */
const char *esp_alg_name(const char *kernel, size_t key_len,
			 unsigned int icv_bits);

/* The list of names, for usage and error messages. */
const char *esp_alg_names(void);

#endif
