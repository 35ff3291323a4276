#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Seeds for the exchange fuzzer (exchange_fuzz.c) from what strongSwan's
charon sent: its log at `enc = 3` (SWAN_LOG_ENC=3 in swan_lib.sh) holds
each message it generates, IKE_SA_INIT whole and the others' payloads in
the clear before encryption. Each becomes the fuzzer's input for the state
where iked would receive it: a scenario byte, the first payload's type,
the payload chain.

    swan_seeds.py CHARON_LOG OUTDIR

Writes OUTDIR/swan-<scenario>-<sha1 prefix>, one a distinct message.
"""
import hashlib
import os
import re
import sys

# exchange_fuzz.c's enum scenario.
S_INIT_REQUEST, S_INIT_RESPONSE, S_AUTH_REQUEST, S_AUTH_RESPONSE = 0, 1, 2, 3
S_CHILD_REQUEST, S_INFO_REQUEST, S_CHILD_REKEY_RESPONSE = 4, 5, 6
S_IKE_REKEY_RESPONSE, S_DELETE_RESPONSE, S_DPD_RESPONSE = 7, 8, 9

LINE = re.compile(r"^(\d+)\[ENC\] (.*)$")
GENERATING = re.compile(r"generating (\S+) (request|response) \d+ \[(.*)\]")
DUMP = re.compile(r"^(plain|assoc|generated data of this generator) => (\d+) bytes")
HEX = re.compile(r"^\s*\d+: ((?:[0-9A-F]{2} ?)+)")


def scenario(exchange, kind, summary):
    """The fuzzer's state for a message of charon's, or None."""
    names = summary.split()
    if exchange == "IKE_SA_INIT":
        return S_INIT_REQUEST if kind == "request" else S_INIT_RESPONSE
    if exchange == "IKE_AUTH":
        return S_AUTH_REQUEST if kind == "request" else S_AUTH_RESPONSE
    if exchange == "CREATE_CHILD_SA":
        if kind == "request":
            return S_CHILD_REQUEST
        return S_CHILD_REKEY_RESPONSE if "TSi" in names else S_IKE_REKEY_RESPONSE
    if exchange == "INFORMATIONAL":
        if kind == "request":
            return S_INFO_REQUEST
        return S_DELETE_RESPONSE if "D" in names else S_DPD_RESPONSE
    return None


def messages(lines):
    """(scenario, first payload type, chain) of each message charon sent."""
    thread = {}		# per thread: [scenario, exchange, plain]
    dump = {}		# per thread: [what, length, bytes]
    for line in lines:
        m = LINE.match(line.rstrip("\n"))
        if not m:
            continue
        tid, text = m.groups()
        if tid in dump:
            h = HEX.match(text)
            if h:
                d = dump[tid]
                d[2] += bytes.fromhex(h.group(1).replace(" ", ""))
                if len(d[2]) < d[1]:
                    continue
                del dump[tid]
                yield from finished(thread, tid, d[0], d[2])
                continue
            del dump[tid]
        g = GENERATING.search(text)
        if g:
            thread[tid] = [scenario(*g.groups()), g.group(1), None]
            continue
        d = DUMP.match(text)
        if d and tid in thread:
            if int(d.group(2)):
                dump[tid] = [d.group(1), int(d.group(2)), b""]
            else:
                yield from finished(thread, tid, d.group(1), b"")


def finished(thread, tid, what, data):
    s, exchange, plain = thread[tid]
    if s is None:
        return
    if exchange == "IKE_SA_INIT" and what.startswith("generated") and len(data) > 28:
        del thread[tid]
        yield s, data[16], data[28:]
    elif what == "plain":
        thread[tid][2] = data
    elif what == "assoc" and plain is not None and len(data) >= 32:
        del thread[tid]
        yield s, data[28], plain


def main():
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    os.makedirs(sys.argv[2], exist_ok=True)
    seen = set()
    with open(sys.argv[1], errors="replace") as f:
        for s, first, chain in messages(f):
            seed = bytes([s, first]) + chain
            digest = hashlib.sha1(seed).hexdigest()
            if digest in seen:
                continue
            seen.add(digest)
            path = os.path.join(sys.argv[2], "swan-%d-%s" % (s, digest[:12]))
            with open(path, "wb") as out:
                out.write(seed)
    print(len(seen))


if __name__ == "__main__":
    main()
