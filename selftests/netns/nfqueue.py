#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""An NFQUEUE reader that accepts every packet, from process context as
any such daemon does: nfqueue.py QUEUE FAMILY (4 or 6). Prints "ready",
then a line per packet it gave back."""
import socket
import struct
import sys

NETLINK_NETFILTER = 12
NFNL_SUBSYS_QUEUE = 3
NFQNL_MSG_PACKET, NFQNL_MSG_VERDICT, NFQNL_MSG_CONFIG = 0, 1, 2
NFQA_CFG_CMD, NFQA_CFG_PARAMS = 1, 2
NFQA_PACKET_HDR, NFQA_VERDICT_HDR = 1, 2
NFQNL_CFG_CMD_BIND = 1
NFQNL_COPY_META = 1
NF_ACCEPT = 1
NLM_F_REQUEST = 1


def nlattr(kind, data):
    return struct.pack("HH", 4 + len(data), kind) + data + b"\0" * (-len(data) % 4)


def send(sock, msg_type, family, queue, attrs):
    body = struct.pack("BBH", family, 0, socket.htons(queue)) + attrs
    hdr = struct.pack("IHHII", 16 + len(body), NFNL_SUBSYS_QUEUE << 8 | msg_type,
                      NLM_F_REQUEST, 0, 0)
    sock.send(hdr + body)


def main():
    queue, family = int(sys.argv[1]), socket.AF_INET if sys.argv[2] == "4" else socket.AF_INET6
    sock = socket.socket(socket.AF_NETLINK, socket.SOCK_RAW, NETLINK_NETFILTER)
    sock.bind((0, 0))
    send(sock, NFQNL_MSG_CONFIG, family, queue,
         nlattr(NFQA_CFG_CMD, struct.pack("!BxH", NFQNL_CFG_CMD_BIND, family)) +
         nlattr(NFQA_CFG_PARAMS, struct.pack("!IB", 0, NFQNL_COPY_META)))
    print("ready", flush=True)
    while True:
        data = sock.recv(65536)
        while len(data) >= 16:
            length, kind = struct.unpack_from("IH", data)
            msg, data = data[16:length], data[(length + 3) & ~3:]
            if kind != NFNL_SUBSYS_QUEUE << 8 | NFQNL_MSG_PACKET:
                continue
            attrs = msg[4:]
            while len(attrs) >= 4:
                alen, akind = struct.unpack_from("HH", attrs)
                if alen < 4:
                    break
                if akind & 0x7fff == NFQA_PACKET_HDR:
                    pid = struct.unpack_from("!I", attrs, 4)[0]
                    send(sock, NFQNL_MSG_VERDICT, socket.AF_UNSPEC, queue,
                         nlattr(NFQA_VERDICT_HDR, struct.pack("!II", NF_ACCEPT, pid)))
                    print("accepted %d" % pid, flush=True)
                attrs = attrs[(alen + 3) & ~3:]


if __name__ == "__main__":
    main()
