#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""The DS field (DSCP and ECN: IPv4 TOS, IPv6 traffic class) of packets.

  dsfield.py send ADDR PORT DS...        one UDP datagram per DS value
  dsfield.py recv ADDR PORT N SECONDS    prints "PAYLOAD DS" per datagram
  dsfield.py sniff IFACE N SECONDS       prints the DS of each ESP packet
                                         on IFACE (outer header)

recv and sniff print "ready" first, stop after N packets or SECONDS, and
print DS values in hex (0xb8)."""
import select
import socket
import struct
import sys
import time

ETH_P_ALL = 0x0003
IPPROTO_ESP = 50
IP_RECVTOS = 13


def family(addr):
    return socket.AF_INET6 if ":" in addr else socket.AF_INET


def send(addr, port, values):
    fam = family(addr)
    with socket.socket(fam, socket.SOCK_DGRAM) as s:
        for ds in values:
            if fam == socket.AF_INET:
                s.setsockopt(socket.IPPROTO_IP, socket.IP_TOS, ds)
            else:
                s.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_TCLASS, ds)
            s.sendto(b"%#04x" % ds, (addr, port))


def readable(sock, seconds):
    """Yields each time SOCK has something to read, for SECONDS."""
    end = time.monotonic() + seconds
    while select.select([sock], [], [], max(0, end - time.monotonic()))[0]:
        yield


def recv(addr, port, n, seconds):
    fam = family(addr)
    with socket.socket(fam, socket.SOCK_DGRAM) as s:
        if fam == socket.AF_INET:
            s.setsockopt(socket.IPPROTO_IP, IP_RECVTOS, 1)
        else:
            s.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_RECVTCLASS, 1)
        s.bind((addr, port))
        print("ready", flush=True)
        for _ in readable(s, seconds):
            data, anc, _, _ = s.recvmsg(2048, 64)
            ds = None
            for level, kind, value in anc:
                if (level, kind) in ((socket.IPPROTO_IP, socket.IP_TOS),
                                     (socket.IPPROTO_IPV6, socket.IPV6_TCLASS)):
                    ds = value[0] if len(value) == 1 else struct.unpack("=i", value)[0]
            print(data.decode(errors="replace"), "none" if ds is None else "%#04x" % ds,
                  flush=True)
            n -= 1
            if n == 0:
                break


def sniff(iface, n, seconds):
    with socket.socket(socket.AF_PACKET, socket.SOCK_RAW, socket.htons(ETH_P_ALL)) as s:
        s.bind((iface, 0))
        print("ready", flush=True)
        for _ in readable(s, seconds):
            frame, meta = s.recvfrom(65536)
            if meta[2] == socket.PACKET_OUTGOING:
                continue
            ethertype, ip = struct.unpack_from("!H", frame, 12)[0], frame[14:]
            if ethertype == 0x0800 and ip[9] == IPPROTO_ESP:
                ds = ip[1]
            elif ethertype == 0x86dd and ip[6] == IPPROTO_ESP:
                ds = (struct.unpack_from("!H", ip)[0] >> 4) & 0xff
            else:
                continue
            print("%#04x" % ds, flush=True)
            n -= 1
            if n == 0:
                break


def main():
    cmd = sys.argv[1] if len(sys.argv) > 1 else ""
    if cmd == "send" and len(sys.argv) > 4:
        send(sys.argv[2], int(sys.argv[3]), [int(v, 0) for v in sys.argv[4:]])
    elif cmd == "recv" and len(sys.argv) == 6:
        recv(sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), float(sys.argv[5]))
    elif cmd == "sniff" and len(sys.argv) == 5:
        sniff(sys.argv[2], int(sys.argv[3]), float(sys.argv[4]))
    else:
        sys.exit(__doc__)


if __name__ == "__main__":
    main()
