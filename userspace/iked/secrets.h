/* SPDX-License-Identifier: GPL-2.0 */
/* Pre-shared keys and the files secrets are read from. */
#ifndef IKED_SECRETS_H
#define IKED_SECRETS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#define SECRET_PSK_MAX	256
/* Shorter keys fall to offline guessing from one captured exchange. */
#define SECRET_PSK_MIN	16

/*
 * @v[0..len) as a PSK: as it is, or hex after "0x", into @psk (at least
 * SECRET_PSK_MAX bytes). Refused when empty, too long, shorter than
 * SECRET_PSK_MIN or the shipped example's: -1 and why in @err, starting
 * with @what; the key never appears in a message.
 */
int psk_parse(const char *what, const char *v, size_t len, uint8_t *psk,
	      size_t *psk_len, char *err, size_t errlen);

/*
 * Reads at most @size bytes of the secret file @path (@what names it in
 * messages): a regular file, not a symbolic link, owned by root or by the
 * user iked runs as, that no one else may read or write, in a directory
 * that no one else may write. Returns the bytes read, or -1 and why in @err.
 */
ssize_t secret_file_read(const char *what, const char *path, uint8_t *buf,
			 size_t size, char *err, size_t errlen);

#endif
