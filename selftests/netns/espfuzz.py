#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""The packet fuzzer: ESP that passes the ICV (it holds the SA's key),
carrying what a hostile peer may put inside: random and mutated inner
packets (bad IP headers, wrong lengths, IPv6 extension chains, fragments,
bogus next headers, every pad length, TFC padding, dummy packets), and
around them unknown SPIs, replayed sequence numbers, broken ICVs, cut
packets.
  espfuzz.py send [--seed N] [--encap SPORT:DPORT] MODE SRC DST SPI KEY COUNT
    MODE transport or tunnel4/tunnel6 (the inner family); KEY 0x + 40 hex
    digits (aes128gcm16: AES-128 key, then the 4-byte salt).
  espfuzz.py catch SECONDS [--local=ADDR,...] ALLOWED...
    Until SECONDS pass or SIGTERM, prints every packet delivered to a
    socket here (raw sockets of the usual protocols) that none of ALLOWED
    (SRC/LEN,DST,PROTO,DPORT; * for any) covers, then "caught N, allowed
    M". Link-local senders and this host's own addresses are left out."""
import ipaddress
import os
import random
import select
import signal
import socket
import struct
import sys
import time

from cryptography.hazmat.primitives.ciphers.aead import AESGCM

PROTOS = [1, 6, 17, 58, 132, 136]
EXT = [0, 43, 44, 60, 59]	# hop-by-hop, routing, fragment, dest options, none


def csum(data):
    if len(data) % 2:
        data += b"\0"
    s = sum(struct.unpack("!%dH" % (len(data) // 2), data))
    while s >> 16:
        s = (s & 0xffff) + (s >> 16)
    return ~s & 0xffff


class Gen:
    def __init__(self, rng, inner_family):
        self.rng = rng
        self.family = inner_family

    def addr(self):
        r = self.rng
        if self.family == 4:	# mostly the allowed prefixes, some not
            return bytes([10, r.choice([1, 1, 2, 3]), 0, r.choice([1, 2, 9])])
        return bytes([0xfd, r.choice([1, 1, 2, 3])]) + bytes(13) + bytes([r.choice([1, 2, 9])])

    def upper(self, proto):
        r = self.rng
        if proto in (6, 17, 132, 136) and r.random() < 0.9:
            ports = struct.pack("!HH", r.choice([7000, 7000, 7001, 22, r.getrandbits(16)]),
                                r.choice([7000, 7000, 7001, 53, r.getrandbits(16)]))
            body = os.urandom(r.choice([0, 1, 4, 20, 100, 1000]))
            if proto == 17:
                return ports + struct.pack("!HH", 8 + len(body), 0) + body
            return ports + os.urandom(r.choice([0, 4, 16])) + body
        return os.urandom(r.choice([0, 1, 8, 64, 500]))

    def ipv4(self):
        r = self.rng
        proto = r.choice(PROTOS + [r.getrandbits(8)])
        payload = self.upper(proto)
        ihl = r.choice([5, 5, 5, 4, 6, 15])
        opts = os.urandom(max(0, ihl - 5) * 4)
        total = 20 + len(opts) + len(payload)
        if r.random() < 0.1:
            total = r.choice([0, 19, total - 1, total + 1, 65535])
        frag = 0
        if r.random() < 0.1:
            frag = r.choice([0x2000, 0x0001, 0x2001, 0x4000])	# MF, offsets, DF
        hdr = struct.pack("!BBHHHBBH4s4s", (r.choice([4, 4, 4, 6, 0]) << 4) | ihl,
                          r.getrandbits(8), total & 0xffff, r.getrandbits(16), frag,
                          r.choice([64, 1, 0]), proto, 0, self.addr(), self.addr())
        hdr = hdr[:10] + struct.pack("!H", csum(hdr + opts)) + hdr[12:]
        return hdr + opts + payload

    def ipv6(self):
        r = self.rng
        chain = [r.choice(EXT) for _ in range(r.choice([0, 0, 1, 2, 5, 20]))]
        proto = r.choice(PROTOS + [r.getrandbits(8)])
        body = self.upper(proto)
        for nh in reversed(chain):
            nxt, proto = proto, nh
            if nh == 59:
                body = b""
                continue
            if nh == 44:
                body = struct.pack("!BBHI", nxt, 0, r.choice([0, 1, 8, 0x10]),
                                   r.getrandbits(32)) + body
            else:
                n = r.choice([0, 0, 1, 3])
                body = struct.pack("!BB", nxt, n) + os.urandom(6 + 8 * n) + body
        plen = len(body)
        if r.random() < 0.1:
            plen = r.choice([0, plen - 1, plen + 1, 65535])
        hdr = struct.pack("!IHBB16s16s", (r.choice([6, 6, 6, 4]) << 28), plen & 0xffff,
                          proto, 64, self.addr(), self.addr())
        return hdr + body

    def allowed(self):
        """UDP to port 7000 from LAN 1 to host 2 (esp_lib.sh's inner
        addresses), well formed: what the policy lets in."""
        udp = struct.pack("!HHHH", 1024, 7000, 12, 0) + b"fuzz"
        if self.family == 4:
            hdr = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + len(udp), 0, 0, 64, 17,
                              0, bytes([10, 1, 0, 1]), bytes([10, 2, 0, 1]))
            return hdr[:10] + struct.pack("!H", csum(hdr)) + hdr[12:] + udp
        src, dst = b"\xfd\x01" + bytes(13) + b"\x01", b"\xfd\x02" + bytes(13) + b"\x01"
        pseudo = src + dst + struct.pack("!II", len(udp), 17)
        udp = udp[:6] + struct.pack("!H", csum(pseudo + udp) or 0xffff) + udp[8:]
        return struct.pack("!IHBB16s16s", 6 << 28, len(udp), 17, 64, src, dst) + udp

    def inner(self, tunnel):
        """(next header, bytes) of what ESP carries."""
        r = self.rng
        if tunnel and r.random() < 0.1:
            return 4 if self.family == 4 else 41, self.allowed()
        if r.random() < 0.05:
            return r.getrandbits(8), os.urandom(r.choice([0, 1, 20, 40, 100]))
        if r.random() < 0.03:
            return 59, os.urandom(r.choice([0, 10]))	# a dummy packet
        if not tunnel:
            proto = r.choice(PROTOS)
            return proto, self.upper(proto)
        pkt = self.ipv4() if self.family == 4 else self.ipv6()
        nh = 4 if self.family == 4 else 41
        if r.random() < 0.05:
            nh = 41 if nh == 4 else 4	# the wrong inner family
        return nh, pkt


def esp_packet(rng, aead, salt, spi, seq, nh, inner):
    """An ESP packet (RFC 4303, AES-GCM as RFC 4106), sometimes broken."""
    tfc = os.urandom(rng.choice([0, 0, 0, 3, 40])) if rng.random() < 0.2 else b""
    body = inner + tfc
    padlen = (-(len(body) + 2)) % 4
    if rng.random() < 0.2:
        padlen += 4 * rng.randint(0, 60)
    padlen = min(padlen, 255)
    pad = bytes(range(1, padlen + 1))
    if rng.random() < 0.05 and pad:
        pad = os.urandom(len(pad))	# not 1, 2, 3, ...
    trailer = pad + bytes([padlen if rng.random() > 0.03 else 255, nh])
    iv = os.urandom(8)
    aad = struct.pack("!II", spi, seq & 0xffffffff)
    ct = aead.encrypt(salt + iv, body + trailer, aad)
    pkt = bytearray(aad + iv + ct)
    r = rng.random()
    if r < 0.03:
        pkt[-1] ^= 1	# the ICV
    elif r < 0.05:
        pkt = pkt[:rng.randint(0, len(pkt) - 1)]
    return bytes(pkt)


def send(argv):
    seed = random.SystemRandom().getrandbits(32)
    encap = None
    while argv and argv[0].startswith("--"):
        opt = argv.pop(0)
        if opt == "--seed":
            seed = int(argv.pop(0))
        elif opt == "--encap":
            encap = [int(p) for p in argv.pop(0).split(":")]
    mode, src, dst, spi, key, count = argv
    spi, count = int(spi, 0), int(count)
    key = bytes.fromhex(key[2:])
    aead, salt = AESGCM(key[:16]), key[16:]
    rng = random.Random(seed)
    tunnel = mode.startswith("tunnel")
    gen = Gen(rng, 6 if mode == "tunnel6" else 4)
    fam = socket.AF_INET6 if ":" in dst else socket.AF_INET
    if encap:
        s = socket.socket(fam, socket.SOCK_DGRAM)
        s.bind((src, encap[0]))
        to = (dst, encap[1])
    else:
        s = socket.socket(fam, socket.SOCK_RAW, socket.IPPROTO_ESP)
        s.bind((src, 0))
        to = (dst, 0)
    seq, sent = 0, 0
    for _ in range(count):
        seq += 1
        this_spi, this_seq = spi, seq
        r = rng.random()
        if r < 0.03:
            this_spi = rng.getrandbits(32)	# nobody's
        elif r < 0.06 and seq > 10:
            this_seq = seq - rng.randint(1, 10)	# a replay
        nh, inner = gen.inner(tunnel)
        try:
            s.sendto(esp_packet(rng, aead, salt, this_spi, this_seq, nh, inner), to)
            sent += 1
        except OSError:
            pass	# too big for the link: never sent
        if sent % 64 == 0:
            time.sleep(0.001)	# let the receiver keep up
    print("seed %d: %d packets sent" % (seed, sent))
    return 0


def covered(allowed, src, dst, proto, dport):
    """Whether SRC/LEN,DST,PROTO,DPORT (* for any of the last three) lets it."""
    for a in allowed:
        net, adst, aproto, aport = a.split(",")
        if (ipaddress.ip_address(src) in ipaddress.ip_network(net) and
                adst in ("*", dst) and aproto in ("*", str(proto)) and
                aport in ("*", str(dport))):
            return True
    return False


def catch(argv):
    secs, allowed = float(argv[0]), argv[1:]
    mine = set()
    if allowed and allowed[0].startswith("--local="):
        mine = set(allowed.pop(0)[len("--local="):].split(","))
    socks = []
    for fam, proto in [(socket.AF_INET, p) for p in PROTOS] + \
                      [(socket.AF_INET6, p) for p in PROTOS if p != 1]:
        try:
            socks.append((fam, proto, socket.socket(fam, socket.SOCK_RAW, proto)))
        except OSError:
            pass
    stop = []
    signal.signal(signal.SIGTERM, lambda *_: stop.append(1))
    print("ready", flush=True)
    caught = ok = 0
    end = time.time() + secs
    while time.time() < end and not stop:
        try:
            ready, _, _ = select.select([s for _, _, s in socks], [], [], 0.5)
        except InterruptedError:
            continue
        for fam, proto, s in socks:
            if s not in ready:
                continue
            data, peer = s.recvfrom(65536)
            if fam == socket.AF_INET:
                ihl = (data[0] & 15) * 4
                src, dst = socket.inet_ntoa(data[12:16]), socket.inet_ntoa(data[16:20])
                l4 = data[ihl:]
            else:	# IPv6 raw sockets give no header: the destination is ours
                src, dst, l4 = peer[0].split("%")[0], "*", data
            if src.startswith("fe80") or src in mine:
                continue	# the link's, or this host's own (its ICMP errors)
            dport = struct.unpack("!H", l4[2:4])[0] if proto in (6, 17) and len(l4) >= 4 else 0
            if covered(allowed, src, dst, proto, dport):
                ok += 1
            else:
                caught += 1
                print("delivered: %s -> %s proto %d port %d" % (src, dst, proto, dport),
                      flush=True)
    print("caught %d, allowed %d" % (caught, ok), flush=True)
    return 0


if __name__ == "__main__":
    if len(sys.argv) < 2 or sys.argv[1] not in ("send", "catch"):
        sys.exit(__doc__)
    sys.exit(send(sys.argv[2:]) if sys.argv[1] == "send" else catch(sys.argv[2:]))
