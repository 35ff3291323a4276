#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Adds COUNT SAs or policies to nfesp from one process, much faster than
COUNT runs of ipsecctl. Exit 1 on the first refusal.
  bulk.py sa COUNT [FIRST]      spi 0x10000 + i, dst 10.x.y.z, AES-GCM
  bulk.py policy COUNT [FIRST]  dir out, dst 10.x.y.z/32, src a /8 to /24
                                (mixed prefixes), action protect, transport
  bulk.py spi COUNT [FIRST]     SPI reservations (ALLOC_SPI), dst 10.x.y.z
i runs from FIRST (default 0) to FIRST + COUNT - 1."""
import os
import socket
import struct
import sys

sys.path.insert(0, os.path.dirname(__file__))
from genl import Genl, nlattr, uapi_enum  # noqa: E402

NLA_F_NESTED = 0x8000


def addr(i):
    return socket.inet_aton("10.%d.%d.%d" % (i >> 16 & 255, i >> 8 & 255, i & 255))


def sa_attrs(a, i):
    return (nlattr(a["FAMILY"], struct.pack("H", socket.AF_INET)) +
            nlattr(a["DST"], addr(i)) +
            nlattr(a["SPI"], struct.pack("I", 0x10000 + i)) +
            nlattr(a["SRC"], socket.inet_aton("192.0.2.1")) +
            nlattr(a["MODE"], b"\x01") +
            nlattr(a["ALG"], b"rfc4106(gcm(aes))\0") +
            nlattr(a["KEY"], bytes(range(20))))


def spi_attrs(a, i):
    return (nlattr(a["FAMILY"], struct.pack("H", socket.AF_INET)) +
            nlattr(a["DST"], addr(i)))


TMPL = uapi_enum("NFESP_TMPL_A_")


def policy_attrs(a, i):
    return (nlattr(a["DIR"], b"\x02") +
            nlattr(a["FAMILY"], struct.pack("H", socket.AF_INET)) +
            nlattr(a["SRC"], socket.inet_aton("172.16.0.0")) +
            nlattr(a["SRC_LEN"], bytes([8 + i % 17])) +
            nlattr(a["DST"], addr(i)) +
            nlattr(a["ACTION"], b"\x01") +
            nlattr(a["TMPL"] | NLA_F_NESTED, nlattr(TMPL["MODE"], b"\x01")))


def main(kind, count, first):
    cmds, top = uapi_enum("NFESP_CMD_"), uapi_enum("NFESP_A_")
    if kind == "sa":
        cmd, nest, attrs, build = "SA_ADD", "SA", uapi_enum("NFESP_SA_A_"), sa_attrs
    elif kind == "spi":
        cmd, nest, attrs, build = "SA_ALLOC_SPI", "SA", uapi_enum("NFESP_SA_A_"), spi_attrs
    else:
        cmd, nest, attrs, build = "POLICY_ADD", "POLICY", uapi_enum("NFESP_POL_A_"), policy_attrs
    genl = Genl()
    family = genl.family_id("nfesp")
    for i in range(first, first + count):
        _, err, extack = genl.request(family, cmds[cmd], 1,
                                      nlattr(top[nest] | NLA_F_NESTED, build(attrs, i)))
        if err:
            print("bulk.py: %s %d refused: %s %s" % (kind, i, os.strerror(err), extack))
            return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], int(sys.argv[2]),
                  int(sys.argv[3]) if len(sys.argv) > 3 else 0))
