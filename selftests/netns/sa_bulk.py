#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Adds COUNT SAs to nfesp in one process (spi 0x10000 + i, dst 10.x.y.z,
AES-GCM), much faster than COUNT runs of ipsecctl. Exit 1 on the first
refusal.
  sa_bulk.py COUNT"""
import os
import socket
import struct
import sys

sys.path.insert(0, os.path.dirname(__file__))
from genl import Genl, nlattr, uapi_enum  # noqa: E402

NLA_F_NESTED = 0x8000


def main(count):
    cmds, top = uapi_enum("NFESP_CMD_"), uapi_enum("NFESP_A_")
    sa = uapi_enum("NFESP_SA_A_")
    genl = Genl()
    family = genl.family_id("nfesp")
    key = bytes(range(20))
    for i in range(count):
        dst = socket.inet_aton("10.%d.%d.%d" % (i >> 16 & 255, i >> 8 & 255, i & 255))
        inner = (nlattr(sa["FAMILY"], struct.pack("H", socket.AF_INET)) +
                 nlattr(sa["DST"], dst) +
                 nlattr(sa["SPI"], struct.pack("I", 0x10000 + i)) +
                 nlattr(sa["SRC"], socket.inet_aton("192.0.2.1")) +
                 nlattr(sa["MODE"], b"\x01") +
                 nlattr(sa["ALG"], b"rfc4106(gcm(aes))\0") +
                 nlattr(sa["KEY"], key))
        _, err, extack = genl.request(family, cmds["SA_ADD"], 1,
                                      nlattr(top["SA"] | NLA_F_NESTED, inner))
        if err:
            print("sa_bulk.py: SA %d refused: %s %s" % (i, os.strerror(err), extack))
            return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(int(sys.argv[1])))
