#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Writes the same configuration for nfesp (an `ipsecctl -f` batch) or for
XFRM (an `ip -batch` file), so the benchmarks compare like with like.

  gen-config.py flows IMPL left|right   8 TCP flows (ports 5201..5208)
                                        between 192.0.2.1 and .2, transport
                                        mode, one SA pair per flow
  gen-config.py policies IMPL N         N outbound protect policies that the
                                        benchmark's flows never match:
                                        mixed prefixes (/8 to /24 sources,
                                        /24 and /32 destinations)
  gen-config.py sas IMPL N              N transport-mode AES-GCM SAs
  gen-config.py tunnels IMPL N          N route-based tunnels, each a device
                                        (nfesp's, or an XFRM interface) with
                                        its two tunnel-mode SAs (and, for
                                        XFRM, its two policies of its if_id)
  gen-config.py untunnels IMPL N        the N devices deleted
IMPL is nfesp or xfrm (an ip -batch file; tunnels and untunnels for nfesp
too, but for its devices and SAs: ipsecctl -f)."""
import ipaddress
import sys

KEY = "0x0102030405060708090a0b0c0d0e0f1011121314"
XFRM_AEAD = "aead rfc4106(gcm(aes)) %s 128" % KEY
LEFT, RIGHT = "192.0.2.1", "192.0.2.2"
BASE = int(ipaddress.IPv4Address("100.64.0.0"))  # far from the flows


def flows(impl, side):
    me, peer = (LEFT, RIGHT) if side == "left" else (RIGHT, LEFT)
    port_word = "dport" if side == "left" else "sport"
    for i in range(1, 9):
        port, out_spi, in_spi = 5200 + i, 0x200 + i, 0x300 + i
        if side == "right":
            out_spi, in_spi = in_spi, out_spi
        if impl == "nfesp":
            yield ("sa add src %s dst %s spi %#x mode transport enc aes128gcm16 key %s"
                   % (me, peer, out_spi, KEY))
            yield ("sa add src %s dst %s spi %#x mode transport enc aes128gcm16 key %s"
                   " replay-window 128" % (peer, me, in_spi, KEY))
            yield ("policy add dir out src %s dst %s proto tcp %s %d action protect"
                   " mode transport spi %#x" % (me, peer, port_word, port, out_spi))
        else:
            yield ("xfrm state add src %s dst %s proto esp spi %#x reqid %d mode transport %s"
                   % (me, peer, out_spi, 100 + i, XFRM_AEAD))
            yield ("xfrm state add src %s dst %s proto esp spi %#x reqid %d mode transport"
                   " replay-window 128 %s" % (peer, me, in_spi, 100 + i, XFRM_AEAD))
            yield ("xfrm policy add src %s/32 dst %s/32 proto tcp %s %d dir out"
                   " tmpl src %s dst %s proto esp reqid %d mode transport"
                   % (me, peer, port_word, port, me, peer, 100 + i))
    if impl == "nfesp":
        yield "policy add dir in src %s dst %s action protect mode transport" % (peer, me)
    else:
        yield ("xfrm policy add src %s/32 dst %s/32 dir in tmpl src %s dst %s proto esp"
               " mode transport" % (peer, me, peer, me))


def policies(impl, n):
    for i in range(n):
        src = ipaddress.IPv4Network("172.16.0.0/%d" % (8 + i % 17), strict=False)
        if i % 2:
            dst = "%s/24" % ipaddress.IPv4Address(BASE + (i << 8))
        else:
            dst = "%s/32" % ipaddress.IPv4Address(BASE + (i << 8) + 1)
        if impl == "nfesp":
            yield ("policy add dir out src %s dst %s action protect mode transport"
                   % (src, dst))
        else:
            yield ("xfrm policy add src %s dst %s dir out tmpl proto esp mode transport"
                   % (src, dst))


def sas(impl, n):
    for i in range(n):
        dst = ipaddress.IPv4Address(BASE + i)
        if impl == "nfesp":
            yield ("sa add src %s dst %s spi %#x mode transport enc aes128gcm16 key %s"
                   % (LEFT, dst, 0x10000 + i, KEY))
        else:
            yield ("xfrm state add src %s dst %s proto esp spi %#x mode transport %s"
                   % (LEFT, dst, 0x10000 + i, XFRM_AEAD))


def tunnels(impl, n):
    for i in range(1, n + 1):
        peer = ipaddress.IPv4Address(BASE + i)
        out_spi, in_spi = 0x20000 + 2 * i, 0x20001 + 2 * i
        if impl == "nfesp":
            yield "link add tun%d if-id %d" % (i, i)
            for src, dst, spi, way in ((LEFT, peer, out_spi, "out"), (peer, LEFT, in_spi, "in")):
                yield ("sa add src %s dst %s spi %#x mode tunnel enc aes128gcm16 key %s"
                       " dir %s if-id %d" % (src, dst, spi, KEY, way, i))
        else:
            yield "link add tun%d type xfrm dev veth0 if_id %d" % (i, i)
            for src, dst, spi in ((LEFT, peer, out_spi), (peer, LEFT, in_spi)):
                yield ("xfrm state add src %s dst %s proto esp spi %#x mode tunnel if_id %d %s"
                       % (src, dst, spi, i, XFRM_AEAD))
            for way, src, dst in (("out", LEFT, peer), ("in", peer, LEFT)):
                yield ("xfrm policy add src 0.0.0.0/0 dst 0.0.0.0/0 dir %s if_id %d"
                       " tmpl src %s dst %s proto esp mode tunnel" % (way, i, src, dst))


def untunnels(n):
    for i in range(1, n + 1):
        yield "link del tun%d" % i


def main(argv):
    if len(argv) != 4 or argv[2] not in ("nfesp", "xfrm"):
        sys.exit(__doc__)
    what, impl, arg = argv[1:]
    if what == "flows" and arg in ("left", "right"):
        lines = flows(impl, arg)
    elif what == "policies":
        lines = policies(impl, int(arg))
    elif what == "sas":
        lines = sas(impl, int(arg))
    elif what == "tunnels":
        lines = tunnels(impl, int(arg))
    elif what == "untunnels":
        lines = untunnels(int(arg))
    else:
        sys.exit(__doc__)
    try:
        sys.stdout.write("".join(line + "\n" for line in lines))
    except BrokenPipeError:  # the reader was stopped (a batch past its time)
        sys.exit(1)


if __name__ == "__main__":
    main(sys.argv)
