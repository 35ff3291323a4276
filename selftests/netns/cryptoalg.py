#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Adds or deletes a crypto API algorithm instance over NETLINK_CRYPTO.

  cryptoalg.py add 'cryptd(rfc4106(gcm(aes)))'   instantiates the template
  cryptoalg.py del 'cryptd(rfc4106-gcm-aesni)'   removes it (by driver name)

Tests use it to put an asynchronous driver ahead of the others: cryptd's
instance ranks above what it wraps, so a new transform of the same
algorithm gets it."""
import errno
import os
import socket
import struct
import sys

NETLINK_CRYPTO = 21
CRYPTO_MSG_NEWALG = 0x10
CRYPTO_MSG_DELALG = 0x11
NLM_F_REQUEST, NLM_F_ACK = 1, 4
CRYPTO_ALG_TYPE_AEAD, CRYPTO_ALG_TYPE_MASK = 0x3, 0xf


def request(msg_type, driver):
    # struct crypto_user_alg: name, driver, module (64 each), type, mask,
    # refcnt, flags.
    body = struct.pack("64s64s64sIIII", b"", driver.encode(), b"",
                       CRYPTO_ALG_TYPE_AEAD, CRYPTO_ALG_TYPE_MASK, 0, 0)
    hdr = struct.pack("=IHHII", 16 + len(body), msg_type,
                      NLM_F_REQUEST | NLM_F_ACK, 1, 0)
    s = socket.socket(socket.AF_NETLINK, socket.SOCK_RAW, NETLINK_CRYPTO)
    s.send(hdr + body)
    reply = s.recv(4096)
    err = struct.unpack_from("=i", reply, 16)[0]
    return -err


def main():
    if len(sys.argv) != 3 or sys.argv[1] not in ("add", "del"):
        sys.exit(__doc__)
    err = request(CRYPTO_MSG_NEWALG if sys.argv[1] == "add"
                  else CRYPTO_MSG_DELALG, sys.argv[2])
    if err and not (sys.argv[1] == "add" and err == errno.EEXIST):
        sys.exit(f"cryptoalg: {sys.argv[1]} {sys.argv[2]}: {os.strerror(err)}")


if __name__ == "__main__":
    main()
