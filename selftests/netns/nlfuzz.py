#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Fuzzes the nfesp netlink family from its YNL spec
(Documentation/netlink/specs/nfesp.yaml): every command, with attributes
of every set, valid and mutated (truncated, oversize, wrong type, nested
wrong, repeated, unknown, in random order), from several processes at
once. After each batch it checks that the family still answers sanely:
dumps parse, each SA and policy dumped can be fetched, the counters are
all there. The kernel's own checkers (KASAN, kmemleak, lockdep) judge the
rest.
  nlfuzz.py [--procs N] [--seed N] [--batch N] [--fail] COUNT
COUNT messages in all; prints what was sent and how the kernel answered.
Exit 1 if a check failed."""
import argparse
import errno
import json
import os
import random
import socket
import struct
import sys

import yaml

sys.path.insert(0, os.path.dirname(__file__))
from genl import Genl, nlattr, parse_attrs, uapi_enum  # noqa: E402

NLA_F_NESTED = 0x8000
NLM_F_DUMP = 0x300
TRACE = os.environ.get("NLFUZZ_TRACE")	# each message, to stderr
SPEC = os.path.join(os.path.dirname(__file__),
                    "../../Documentation/netlink/specs/nfesp.yaml")
ALGS = [b"rfc4106(gcm(aes))", b"rfc7539esp(chacha20,poly1305)",
        b"authenc(hmac(sha256),cbc(aes))", b"authencesn(hmac(sha256),cbc(aes))",
        b"cbc(aes)", b"gcm(aes)", b"", b"x" * 200]
# Keys whose lengths the algorithms above take: AES-GCM 16+4/24+4/32+4,
# ChaCha20-Poly1305 32+4, authenc's rtattr-framed blob (any, mostly bad).
KEY_LENS = [0, 1, 20, 28, 36, 52, 64, 65, 300]


class Spec:
    """Attribute sets and commands, numbered as kmod/uapi/nfesp.h has them."""

    def __init__(self):
        spec = yaml.safe_load(open(SPEC))
        sets = {a["name"]: a for a in spec["attribute-sets"]}
        self.sets = {}		# set name: [(id, type, nested set)]
        self.by_name = {}	# (set name, attribute name): id
        for name, aset in sets.items():
            # A subset (flow, of policy) has its parent's numbers and types.
            parent = sets[aset.get("subset-of", name)]
            ids = uapi_enum(parent["name-prefix"].upper().replace("-", "_"))
            types = {a["name"]: a for a in parent["attributes"]}
            attrs = []
            for a in aset["attributes"]:
                full = types[a["name"]]
                aid = ids[a["name"].upper().replace("-", "_")]
                attrs.append((aid, full["type"], full.get("nested-attributes")))
                self.by_name[(name, a["name"])] = aid
            self.sets[name] = attrs
        cmds = uapi_enum("NFESP_CMD_")
        self.ops = []		# (command, is a dump, request attributes)
        for op in spec["operations"]["list"]:
            for kind in ("do", "dump"):
                if kind in op:
                    req = op[kind].get("request", {}).get("attributes", [])
                    self.ops.append((cmds[op["name"].upper().replace("-", "_")],
                                     kind == "dump", req))


class Fuzzer:
    def __init__(self, spec, rng):
        self.spec = spec
        self.rng = rng
        self.keys = []		# (family, dst) of SAs this process added

    def scalar(self, kind):
        size = {"u8": 1, "u16": 2, "u32": 4, "u64": 8}[kind]
        r = self.rng.random()
        if r < 0.3:
            v = self.rng.choice([0, 1, 2, 3, 4, 5, 10, 17, 50, 58, 59, 255, 256,
                                 500, 1024, 4500, 65535])
        elif r < 0.5:
            v = (1 << (8 * size)) - self.rng.randint(1, 2)
        else:
            v = self.rng.getrandbits(8 * size)
        v &= (1 << (8 * size)) - 1
        data = v.to_bytes(size, "little")
        if self.rng.random() < 0.05:	# the wrong width
            data = data[:self.rng.randint(0, size)] + os.urandom(self.rng.randint(0, 3))
        return data

    def binary(self):
        r = self.rng.random()
        if r < 0.4:
            return self.addr(self.rng.choice([socket.AF_INET, socket.AF_INET6]))
        if r < 0.6:
            return os.urandom(self.rng.choice(KEY_LENS))
        return os.urandom(self.rng.randint(0, 80))

    def addr(self, family):
        if family == socket.AF_INET:
            return bytes([10, self.rng.randint(0, 3), 0, self.rng.randint(1, 4)])
        return b"\x20\x01\x0d\xb8" + bytes(11) + bytes([self.rng.randint(1, 4)])

    def value(self, kind, nested, depth):
        if kind in ("u8", "u16", "u32", "u64"):
            return self.scalar(kind), 0
        if kind == "flag":
            return b"" if self.rng.random() < 0.9 else b"\x01", 0
        if kind == "string":
            s = self.rng.choice(ALGS + [os.urandom(self.rng.randint(0, 40))])
            return s + (b"\0" if self.rng.random() < 0.8 else b""), 0
        if kind == "nest":
            if depth > 3 or self.rng.random() < 0.05:
                return os.urandom(self.rng.randint(0, 12)), NLA_F_NESTED
            return self.attrs(nested, depth + 1), NLA_F_NESTED
        if kind == "pad":
            return os.urandom(self.rng.choice([0, 4])), 0
        return self.binary(), 0

    def attrs(self, set_name, depth=0, only=None):
        """Random attributes of set_name (or only those named in only)."""
        pool = self.spec.sets[set_name]
        if only is not None:
            pool = [a for a in pool if a[0] in only]
        if not pool:
            return b""
        out = []
        for _ in range(self.rng.randint(0, 2 * len(pool) + 1)):
            if self.rng.random() < 0.03:	# an attribute the set does not have
                out.append(nlattr(self.rng.randint(len(pool) + 1, 0x3fff),
                                  os.urandom(self.rng.randint(0, 8))))
                continue
            aid, kind, nested = self.rng.choice(pool)
            if self.rng.random() < 0.05:	# given as another type
                kind = self.rng.choice(["u32", "nest", "binary", "string"])
                nested = nested or set_name
            data, flag = self.value(kind, nested, depth)
            out.append(nlattr(aid | flag, data))
        return b"".join(out)

    def plausible_sa(self, alloc=False):
        """An SA (or SPI request) close to valid, so that deep paths run."""
        n = self.spec.by_name
        fam = self.rng.choice([socket.AF_INET, socket.AF_INET6])
        dst = self.addr(fam)
        a = [nlattr(n[("sa", "family")], struct.pack("H", fam)),
             nlattr(n[("sa", "dst")], dst)]
        if alloc:
            a.append(nlattr(n[("sa", "spi-min")], struct.pack("I", 256)))
            a.append(nlattr(n[("sa", "spi-max")], struct.pack("I", self.rng.choice([300, 1 << 20]))))
        else:
            a += [nlattr(n[("sa", "spi")], struct.pack("I", self.rng.randint(256, 300))),
                  nlattr(n[("sa", "src")], self.addr(fam)),
                  nlattr(n[("sa", "mode")], bytes([self.rng.choice([1, 2, 3])])),
                  nlattr(n[("sa", "alg")], self.rng.choice(ALGS[:3]) + b"\0"),
                  nlattr(n[("sa", "key")], os.urandom(self.rng.choice([20, 36, 36, 52])))]
            if self.rng.random() < 0.3:
                a.append(nlattr(n[("sa", "replay-window")],
                                struct.pack("I", self.rng.choice([0, 1, 64, 4096, 1 << 20]))))
            if self.rng.random() < 0.3:
                a.append(nlattr(n[("sa", "flags")], struct.pack("I", self.rng.choice([0, 1, 2]))))
            if self.rng.random() < 0.3:
                a.append(nlattr(n[("sa", "encap")] | NLA_F_NESTED, self.attrs("encap", 1)))
            if self.rng.random() < 0.3:
                a.append(nlattr(n[("sa", "lifetime")] | NLA_F_NESTED, self.attrs("lifetime", 1)))
        self.rng.shuffle(a)
        return nlattr(n[("nfesp", "sa")] | NLA_F_NESTED, b"".join(a))

    def plausible_policy(self):
        n = self.spec.by_name
        fam = self.rng.choice([socket.AF_INET, socket.AF_INET6])
        bits = 32 if fam == socket.AF_INET else 128
        a = [nlattr(n[("policy", "dir")], bytes([self.rng.randint(0, 4)])),
             nlattr(n[("policy", "family")], struct.pack("H", fam)),
             nlattr(n[("policy", "src")], self.addr(fam)),
             nlattr(n[("policy", "src-len")], bytes([self.rng.choice([0, 8, bits, bits + 1])])),
             nlattr(n[("policy", "dst")], self.addr(fam)),
             nlattr(n[("policy", "dst-len")], bytes([self.rng.choice([0, 24, bits])])),
             nlattr(n[("policy", "action")], bytes([self.rng.randint(0, 4)]))]
        if self.rng.random() < 0.5:
            a.append(nlattr(n[("policy", "proto")], bytes([self.rng.choice([0, 6, 17, 50])])))
            a.append(nlattr(n[("policy", "dport")], struct.pack("H", self.rng.choice([0, 22, 5000]))))
        if self.rng.random() < 0.7:
            a.append(nlattr(n[("policy", "tmpl")] | NLA_F_NESTED, self.attrs("tmpl", 1)))
        self.rng.shuffle(a)
        return nlattr(n[("nfesp", "policy")] | NLA_F_NESTED, b"".join(a))

    def mutate(self, payload):
        r = self.rng.random()
        if r < 0.3 and payload:
            return payload[:self.rng.randint(0, len(payload) - 1)]
        if r < 0.6 and payload:
            b = bytearray(payload)
            for _ in range(self.rng.randint(1, 4)):
                b[self.rng.randrange(len(b))] = self.rng.getrandbits(8)
            return bytes(b)
        if r < 0.8:
            return payload + payload	# everything twice
        return payload + os.urandom(self.rng.randint(1, 64))

    def message(self):
        """(command, flags, payload) of one request."""
        cmd, dump, req = self.rng.choice(self.spec.ops)
        r = self.rng.random()
        if r < 0.02:
            cmd = self.rng.randint(0, 40)	# a command the family may not have
        if r < 0.35 and "sa" in req:
            payload = self.plausible_sa(alloc=self.rng.random() < 0.2)
        elif r < 0.6 and "policy" in req:
            payload = self.plausible_policy()
        else:
            ids = [self.spec.by_name[("nfesp", name)] for name in req]
            payload = self.attrs("nfesp", 0, ids if self.rng.random() < 0.8 else None)
        if self.rng.random() < 0.25:
            payload = self.mutate(payload)
        return cmd, NLM_F_DUMP if dump else 0, payload


def sane(genl, fam, spec):
    """What must hold whatever came before; returns a list of failures."""
    n = spec.by_name
    bad = []
    replies, err, msg = genl.request(fam, uapi_enum("NFESP_CMD_")["GET_STATS"], 1, b"")
    if err:
        return ["GET_STATS: %s %s" % (errno.errorcode.get(err, err), msg)]
    stats = parse_attrs(replies[0].get(n[("nfesp", "stats")], b""))
    want = len(uapi_enum("NFESP_STAT_")) - 2	# all but UNSPEC and PAD
    if len(stats) != want:
        bad.append("GET_STATS: %d counters, not %d" % (len(stats), want))
    for what, cmd, nest in (("SA", "SA_GET", "sa"), ("policy", "POLICY_GET", "policy")):
        cmdno = uapi_enum("NFESP_CMD_")[cmd]
        replies, err, msg = genl.request(fam, cmdno, 1, b"", NLM_F_DUMP)
        if err:
            bad.append("%s dump: %s %s" % (what, errno.errorcode.get(err, err), msg))
            continue
        for r in replies[:20]:
            obj = r.get(n[("nfesp", nest)])
            if obj is None:
                bad.append("%s dump: a message without %s" % (what, nest))
                continue
            attrs = parse_attrs(obj)
            if nest == "sa":
                key = b"".join(nlattr(n[("sa", k)], attrs.get(n[("sa", k)], b""))
                               for k in ("family", "dst", "spi"))
            else:
                key = b"".join(nlattr(n[("policy", k)], attrs.get(n[("policy", k)], b""))
                               for k in ("dir", "family", "src", "src-len", "dst",
                                         "dst-len", "proto", "sport", "dport"))
            _, err, msg = genl.request(fam, cmdno, 1,
                                       nlattr(n[("nfesp", nest)] | NLA_F_NESTED, key))
            # It may have been deleted by another process in between.
            if err and err != errno.ENOENT:
                bad.append("%s get of a dumped one: %s %s" %
                           (what, errno.errorcode.get(err, err), msg))
    return bad


class MakeItFail:
    """failslab's task filter: this process's allocations fail at random.
    The file is opened once: with failures on, opening it could fail."""

    def __init__(self):
        self.fd = os.open("/proc/self/make-it-fail", os.O_WRONLY)

    def __call__(self, on):
        os.pwrite(self.fd, b"1" if on else b"0", 0)


def worker(spec, seed, count, batch, fail):
    rng = random.Random(seed)
    fuzz = Fuzzer(spec, rng)
    genl = Genl()
    genl.sock.settimeout(30)
    fam = genl.family_id("nfesp")
    answers = {}
    bad = []
    flush = [uapi_enum("NFESP_CMD_")[c] for c in ("SA_FLUSH", "POLICY_FLUSH")]
    if fail:
        make_it_fail = MakeItFail()
        make_it_fail(True)
    for i in range(1, count + 1):
        cmd, flags, payload = fuzz.message()
        if TRACE:
            print("%d: cmd %d flags %#x %s" % (i, cmd, flags, payload.hex()),
                  file=sys.stderr, flush=True)
        try:
            _, err, _ = genl.request(fam, cmd, rng.choice([1, 1, 1, 0, 2]), payload, flags)
        except socket.timeout:
            bad.append("no answer to command %d" % cmd)
            break
        except (OSError, MemoryError) as e:
            if not fail:
                raise
            err = getattr(e, "errno", errno.ENOMEM)	# the socket's own allocation
        answers[err] = answers.get(err, 0) + 1
        if i % batch == 0:
            if fail:
                make_it_fail(False)
            bad += sane(genl, fam, spec)
            if rng.random() < 0.5:	# keep the tables small
                for c in flush:
                    genl.request(fam, c, 1, b"")
            if fail:
                make_it_fail(True)
        if bad:
            break
    if fail:
        make_it_fail(False)
    return answers, bad


def main():
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("count", type=int)
    ap.add_argument("--procs", type=int, default=2)
    ap.add_argument("--seed", type=int, default=None)
    ap.add_argument("--batch", type=int, default=500)
    ap.add_argument("--fail", action="store_true",
                    help="with failslab's task filter on, for the workers only")
    args = ap.parse_args()
    seed = args.seed if args.seed is not None else random.SystemRandom().getrandbits(32)
    spec = Spec()
    print("seed %d, %d messages from %d processes" % (seed, args.count, args.procs),
          flush=True)
    pipes = []
    for p in range(args.procs):
        r, w = os.pipe()
        pid = os.fork()
        if pid == 0:
            os.close(r)
            try:
                result = worker(spec, seed + p, args.count // args.procs,
                                args.batch, args.fail)
            except Exception as e:	# noqa: BLE001 -- reported, not raised
                result = ({}, ["process %d: %r" % (p, e)])
            os.write(w, json.dumps(result).encode())
            os._exit(0)
        os.close(w)
        pipes.append((pid, r))
    total, failures, finished = {}, [], 0
    for pid, r in pipes:
        data = b""
        while True:
            chunk = os.read(r, 65536)
            if not chunk:
                break
            data += chunk
        _, status = os.waitpid(pid, 0)
        if not data:
            # With --fail the worker's own allocations fail too (its
            # interpreter may abort): the kernel is judged by its log and
            # by the checks below, the worker by finishing at all.
            why = "process %d died (status %#x)" % (pid, status)
            if args.fail and os.WIFSIGNALED(status):
                print("note: " + why + ", its own allocations failing")
            else:
                failures.append(why)
            continue
        finished += 1
        answers, bad = json.loads(data)
        for k, v in answers.items():
            total[int(k)] = total.get(int(k), 0) + v
        failures += bad
    print("answers: " + ", ".join("%s %d" % (errno.errorcode.get(k, "ok" if k == 0 else k), v)
                                  for k, v in sorted(total.items())))
    if not finished:
        failures.append("no worker finished")
    genl = Genl()
    failures += sane(genl, genl.family_id("nfesp"), spec)
    for f in failures:
        print("FAIL: " + f)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
