// SPDX-License-Identifier: GPL-2.0
/*
 * Pre-shared keys, and the files secrets are read from: a key that others
 * can read, replace or guess is refused with a message that says why.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../lib/parse.h"
#include "secrets.h"

/* iked.conf.example's: what a copy of it that nobody edited would hold. */
static const uint8_t example_psk[] = {
	0x3c, 0x6f, 0x8a, 0x1d, 0x92, 0xe0, 0x4b, 0x7f, 0x5a, 0x18, 0xc3, 0xd6,
	0xe2, 0x9b, 0x7f, 0x04, 0xa1, 0xc5, 0x8e, 0x3d, 0x6b, 0x2f, 0x9a, 0x07,
};

int psk_parse(const char *what, const char *v, size_t len, uint8_t *psk,
	      size_t *psk_len, char *err, size_t errlen)
{
	if (len >= 2 && v[0] == '0' && (v[1] == 'x' || v[1] == 'X')) {
		char hex[2 * SECRET_PSK_MAX + 3];
		bool ok = len < sizeof(hex);

		if (len == 2) {		/* "0x" alone: an empty key, said below */
			len = 0;
		} else if (ok) {
			memcpy(hex, v, len);
			hex[len] = '\0';
			ok = !parse_hex(hex, psk, SECRET_PSK_MAX, &len);
		}
		explicit_bzero(hex, sizeof(hex));
		if (!ok) {
			explicit_bzero(psk, SECRET_PSK_MAX);
			snprintf(err, errlen,
				 "%s: invalid hex key (expected 0x and an even number of hex digits, at most %d bytes)",
				 what, SECRET_PSK_MAX);
			return -1;
		}
	} else {
		if (len > SECRET_PSK_MAX) {
			snprintf(err, errlen, "%s: key longer than %d bytes", what,
				 SECRET_PSK_MAX);
			return -1;
		}
		memcpy(psk, v, len);
	}
	if (!len) {
		snprintf(err, errlen, "%s: the key is empty", what);
		return -1;
	}
	if (len < SECRET_PSK_MIN) {
		snprintf(err, errlen,
			 "%s: a key of %zu bytes is too short (at least %d): one captured IKE_AUTH lets anyone guess it offline",
			 what, len, SECRET_PSK_MIN);
		goto refuse;
	}
	if (len == sizeof(example_psk) && !memcmp(psk, example_psk, len)) {
		snprintf(err, errlen,
			 "%s: the key of the shipped example configuration, which everyone has: make one of your own (openssl rand -hex 32)",
			 what);
		goto refuse;
	}
	*psk_len = len;
	return 0;
refuse:
	explicit_bzero(psk, SECRET_PSK_MAX);
	return -1;
}

/* Whether @st, a secret's or its directory's, belongs to root or to us. */
static bool trusted_owner(const struct stat *st)
{
	return st->st_uid == 0 || st->st_uid == geteuid();
}

/* The directory of @path: no one but its owner (root or us) may write it,
 * or a key could be put in the secret's place.
 */
static int check_dir(const char *what, const char *path, char *err,
		     size_t errlen)
{
	char copy[PATH_MAX];
	struct stat st;
	const char *dir;

	snprintf(copy, sizeof(copy), "%s", path);
	dir = dirname(copy);
	if (stat(dir, &st) < 0) {
		snprintf(err, errlen, "%s %s: %s: %s", what, path, dir, strerror(errno));
		return -1;
	}
	if ((st.st_mode & (S_IWGRP | S_IWOTH)) || !trusted_owner(&st)) {
		snprintf(err, errlen,
			 "%s %s is in %s, which others can write (owner uid %u, mode %04o): another key could be put in its place",
			 what, path, dir, (unsigned int)st.st_uid,
			 (unsigned int)(st.st_mode & 07777));
		return -1;
	}
	return 0;
}

ssize_t secret_file_read(const char *what, const char *path, uint8_t *buf,
			 size_t size, char *err, size_t errlen)
{
	struct stat st;
	ssize_t n, total = 0;
	int fd;

	fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NOFOLLOW);
	if (fd < 0) {
		snprintf(err, errlen, "%s %s: %s", what, path,
			 errno == ELOOP ? "a symbolic link (name the file itself)" :
			 strerror(errno));
		return -1;
	}
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) {
		snprintf(err, errlen, "%s %s is not a regular file", what, path);
		goto fail;
	}
	if (!trusted_owner(&st)) {
		snprintf(err, errlen,
			 "%s %s is owned by uid %u: a secret must be root's or iked's (uid %u): chown it",
			 what, path, (unsigned int)st.st_uid, (unsigned int)geteuid());
		goto fail;
	}
	/* Like ssh with its keys: a secret others can read is no secret. */
	if (st.st_mode & (S_IRWXG | S_IRWXO)) {
		snprintf(err, errlen, "%s %s is %s by others (mode %04o): chmod 600 it",
			 what, path,
			 st.st_mode & (S_IRGRP | S_IROTH) ? "readable" :
			 st.st_mode & (S_IWGRP | S_IWOTH) ? "writable" : "usable",
			 (unsigned int)(st.st_mode & 07777));
		goto fail;
	}
	if (check_dir(what, path, err, errlen))
		goto fail;
	/* One byte more than fits, to tell a secret that is too long. */
	while ((size_t)total < size) {
		n = read(fd, buf + total, size - (size_t)total);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			snprintf(err, errlen, "%s %s: %s", what, path, strerror(errno));
			goto fail;
		}
		if (!n)
			break;
		total += n;
	}
	close(fd);
	return total;
fail:
	close(fd);
	return -1;
}
