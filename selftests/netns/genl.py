#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""A raw generic netlink client for the nfesp tests, independent of libnl
and of ipsecctl: sends one request, attribute by attribute as asked, and
prints the kernel's answer. Names come from kmod/uapi/nfesp.h.

  genl.py COMMAND [ATTRIBUTE=HEX ...]     e.g. genl.py GET_VERSION STATS=00
Nests (SA, POLICY) get NLA_F_NESTED; their HEX is the attributes inside.
Prints "ok, N replies" (exit 0) or "error ERRNO: extack message" (exit 1).
"""
import errno
import os
import re
import socket
import struct
import sys

NETLINK_GENERIC = 16
GENL_ID_CTRL = 0x10
CTRL_CMD_GETFAMILY = 3
CTRL_ATTR_FAMILY_ID = 1
CTRL_ATTR_FAMILY_NAME = 2
NLM_F_REQUEST, NLM_F_ACK = 0x1, 0x4
NLMSG_ERROR, NLMSG_DONE = 2, 3
NLM_F_CAPPED, NLM_F_ACK_TLVS = 0x100, 0x200
SOL_NETLINK, NETLINK_EXT_ACK = 270, 11
NLMSGERR_ATTR_MSG = 1
NLA_F_NESTED = 0x8000
NESTED = {"SA", "POLICY"}	# attributes given by name that are nests


def uapi_enum(prefix):
    """Values of the enum whose members start with prefix, as C numbers them."""
    header = os.path.join(os.path.dirname(__file__), "../../kmod/uapi/nfesp.h")
    text = open(header).read()
    names = re.findall(r"^\s+(" + prefix + r"\w+),", text, re.M)
    return {n[len(prefix):]: i for i, n in enumerate(names)}


def nlattr(kind, data):
    length = 4 + len(data)
    return struct.pack("HH", length, kind) + data + b"\0" * (-length % 4)


def parse_attrs(data):
    attrs = {}
    while len(data) >= 4:
        length, kind = struct.unpack_from("HH", data)
        if length < 4:
            break	# malformed: never loop on it
        attrs[kind & 0x3fff] = data[4:length]
        data = data[(length + 3) & ~3:]
    return attrs


class Genl:
    def __init__(self):
        self.sock = socket.socket(socket.AF_NETLINK, socket.SOCK_RAW, NETLINK_GENERIC)
        self.sock.setsockopt(SOL_NETLINK, NETLINK_EXT_ACK, 1)
        self.sock.bind((0, 0))
        self.seq = 0

    def request(self, family, cmd, version, payload, flags=0):
        """Returns (replies, errno, extack message)."""
        self.seq += 1
        body = struct.pack("BBH", cmd, version, 0) + payload
        self.sock.send(struct.pack("IHHII", 16 + len(body), family,
                                   NLM_F_REQUEST | NLM_F_ACK | flags,
                                   self.seq, 0) + body)
        replies = []
        while True:
            data = self.sock.recv(65536)
            while data:
                length, kind, flags, seq, _ = struct.unpack_from("IHHII", data)
                if length < 16:
                    raise OSError(errno.EBADMSG, "a netlink message of %d bytes" % length)
                msg, data = data[16:length], data[(length + 3) & ~3:]
                if seq != self.seq:
                    continue	# what an earlier request left behind
                if kind == NLMSG_DONE:
                    return replies, 0, ""
                if kind != NLMSG_ERROR:
                    replies.append(parse_attrs(msg[4:]))
                    continue
                err = -struct.unpack_from("i", msg)[0]
                extack = ""
                if flags & NLM_F_ACK_TLVS:
                    offset = 4 + 16
                    if not flags & NLM_F_CAPPED:	# the request, padded
                        offset = 4 + ((struct.unpack_from("I", msg, 4)[0] + 3) & ~3)
                    tlv = parse_attrs(msg[offset:]).get(NLMSGERR_ATTR_MSG, b"")
                    extack = tlv.rstrip(b"\0").decode()
                return replies, err, extack

    def family_id(self, name):
        payload = nlattr(CTRL_ATTR_FAMILY_NAME, name.encode() + b"\0")
        replies, err, _ = self.request(GENL_ID_CTRL, CTRL_CMD_GETFAMILY, 1, payload)
        if err:
            sys.exit("genl.py: family %s not found: %s" % (name, os.strerror(err)))
        return struct.unpack("H", replies[0][CTRL_ATTR_FAMILY_ID][:2])[0]


def main(argv):
    if len(argv) < 1:
        sys.exit(__doc__)
    cmds, attrs = uapi_enum("NFESP_CMD_"), uapi_enum("NFESP_A_")
    cmd = cmds[argv[0]] if argv[0] in cmds else int(argv[0], 0)
    payload = b""
    for arg in argv[1:]:
        name, _, value = arg.partition("=")
        kind = attrs[name] if name in attrs else int(name, 0)
        if name in NESTED:
            kind |= NLA_F_NESTED
        payload += nlattr(kind, bytes.fromhex(value))
    genl = Genl()
    replies, err, extack = genl.request(genl.family_id("nfesp"), cmd, 1, payload)
    if err:
        print("error %s: %s" % (errno.errorcode.get(err, err), extack))
        return 1
    print("ok, %d replies" % len(replies))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
