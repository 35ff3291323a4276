#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Puts an asynchronous AEAD driver ahead of the others, or takes it away,
over NETLINK_CRYPTO.

  cryptoalg.py first 'rfc4106(gcm(aes))'   prints the cryptd driver it made
  cryptoalg.py del DRIVER                  removes it once unused

"first" instantiates cryptd around the algorithm and raises that
instance's priority above every other, so a new transform of the
algorithm gets it and completes every request later, from a worker."""
import errno
import os
import socket
import struct
import sys
import time

NETLINK_CRYPTO = 21
CRYPTO_MSG_NEWALG, CRYPTO_MSG_DELALG, CRYPTO_MSG_UPDATEALG = 0x10, 0x11, 0x12
CRYPTOCFGA_PRIORITY_VAL = 1
NLM_F_REQUEST, NLM_F_ACK = 1, 4
CRYPTO_ALG_TYPE_AEAD, CRYPTO_ALG_TYPE_MASK = 0x3, 0xf
TOP_PRIORITY = 10000


def request(msg_type, driver, attrs=b""):
    """Sends one request about DRIVER; returns the errno of the answer."""
    # struct crypto_user_alg: name, driver, module (64 bytes each), type,
    # mask, refcnt, flags.
    body = struct.pack("64s64s64sIIII", b"", driver.encode(), b"",
                       CRYPTO_ALG_TYPE_AEAD, CRYPTO_ALG_TYPE_MASK, 0, 0)
    body += attrs
    hdr = struct.pack("=IHHII", 16 + len(body), msg_type,
                      NLM_F_REQUEST | NLM_F_ACK, 1, 0)
    with socket.socket(socket.AF_NETLINK, socket.SOCK_RAW,
                       NETLINK_CRYPTO) as s:
        s.send(hdr + body)
        reply = s.recv(4096)
    return -struct.unpack_from("=i", reply, 16)[0]


def cryptd_driver(name):
    """The driver of a cryptd instance of NAME in /proc/crypto, or None."""
    with open("/proc/crypto") as f:
        for entry in f.read().split("\n\n"):
            fields = dict(line.split(":", 1) for line in entry.splitlines()
                          if ":" in line)
            fields = {k.strip(): v.strip() for k, v in fields.items()}
            if (fields.get("name") == name and
                    fields.get("driver", "").startswith("cryptd(")):
                return fields["driver"]
    return None


def first(name):
    # The lookup by the template's name fails once the instance is there
    # (its driver name spells the inner drivers): look for it instead.
    request(CRYPTO_MSG_NEWALG, f"cryptd({name})")
    driver = cryptd_driver(name)
    if not driver:
        sys.exit(f"cryptoalg: the kernel made no cryptd instance of {name}")
    prio = struct.pack("=HHI", 8, CRYPTOCFGA_PRIORITY_VAL, TOP_PRIORITY)
    err = request(CRYPTO_MSG_UPDATEALG, driver, prio)
    if err:
        sys.exit(f"cryptoalg: raising {driver}: {os.strerror(err)}")
    print(driver)


def delete(driver):
    # Transforms are freed after an RCU grace period: give them a moment.
    for _ in range(50):
        err = request(CRYPTO_MSG_DELALG, driver)
        if err != errno.EBUSY:
            break
        time.sleep(0.1)
    if err:
        sys.exit(f"cryptoalg: del {driver}: {os.strerror(err)}")


def main():
    if len(sys.argv) != 3 or sys.argv[1] not in ("first", "del"):
        sys.exit(__doc__)
    (first if sys.argv[1] == "first" else delete)(sys.argv[2])


if __name__ == "__main__":
    main()
