#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Turns a benchmark run's results.jsonl into a table (stdout, and
table.txt), results.json and, with gnuplot, policy-scale.png.

  report.py RESULTS_DIR [--expect-complete]

Each row: nfesp and XFRM (median of the repeats, with min-max spread) and
their ratio nfesp/XFRM; the route-based section adds policy-based nfesp
and the ratio of nfesp's device to it. With --expect-complete, exits 1 unless every row
of every section has both figures (make check's smoke run: it judges that
the benchmark works, never a speed)."""
import json
import os
import shutil
import statistics
import subprocess
import sys

SECTIONS = [
    ("throughput", "1. Throughput, one flow (higher is better)"),
    ("cost", "1b. CPU time per UDP datagram, the whole way on one vCPU (lower is better)"),
    ("multiflow", "2. Multi-flow, 2 vCPUs (higher is better)"),
    ("policy", "3. Policy scale: UDP 64-byte through ESP with N other policies"
               " (higher is better)"),
    ("control", "4. Control plane (lower is better)"),
    ("memory", "5. Kernel memory (slab) per object (lower is better)"),
    ("route", "6. Route-based, one flow into a tunnel device: nfesp's, an XFRM"
              " interface, and nfesp by policy (higher is better)"),
]
# "policy": policy-based nfesp, in the route section beside nfesp's device.
IMPLS = ("nfesp", "xfrm", "policy")


def load(path):
    rows = {}
    if not os.path.exists(path):
        return rows
    with open(path) as f:
        for line in f:
            r = json.loads(line)
            key = (r["section"], r["case"])
            rows.setdefault(key, {"unit": r["unit"], **{i: [] for i in IMPLS}})
            rows[key][r["impl"]].append(r["value"])
    return rows


def summary(values):
    if not values:
        return None
    return {"median": statistics.median(values), "min": min(values),
            "max": max(values), "runs": values}


def fmt(s):
    if not s:
        return "-"
    if s["min"] == s["max"]:
        return "%g" % s["median"]
    return "%g (%g-%g)" % (s["median"], s["min"], s["max"])


def table(rows):
    out, summaries, complete = [], [], True
    for section, title in SECTIONS:
        keys = [k for k in rows if k[0] == section]
        if not keys:
            complete = False
            out.append("%s: no figures\n" % title)
            continue
        out.append(title)
        width = max(len(k[1]) for k in keys)
        third = any(rows[k]["policy"] for k in keys)
        head = "  %-*s  %-26s %-26s %s" % (width, "case", "nfesp", "XFRM", "ratio")
        out.append(head + ("   %-26s %s" % ("nfesp by policy", "ratio") if third else ""))
        for key in keys:
            r = rows[key]
            n, x, p = summary(r["nfesp"]), summary(r["xfrm"]), summary(r["policy"])
            ratio = n["median"] / x["median"] if n and x and x["median"] else None
            by_policy = n["median"] / p["median"] if n and p and p["median"] else None
            complete &= bool(n and x and (p or not third))
            line = "  %-*s  %-26s %-26s %s" % (
                width, key[1], fmt(n) + " " + r["unit"], fmt(x) + " " + r["unit"],
                "%.2f" % ratio if ratio is not None else "-")
            if third:
                line += "    %-26s %s" % (fmt(p) + " " + r["unit"],
                                          "%.2f" % by_policy if by_policy is not None else "-")
            out.append(line)
            summaries.append({"section": section, "case": key[1], "unit": r["unit"],
                              "nfesp": n, "xfrm": x, "ratio": ratio,
                              **({"policy": p, "ratio_to_policy": by_policy} if third else {})})
        out.append("")
    return "\n".join(out), summaries, complete


def plot(rows, folder):
    """The policy-scale curve of both, if gnuplot is there."""
    points = sorted((int(k[1].split()[0]), r) for k, r in rows.items() if k[0] == "policy")
    if not points or not shutil.which("gnuplot"):
        return
    data = os.path.join(folder, "policy-scale.dat")
    with open(data, "w") as f:
        for n, r in points:
            f.write("%d %g %g\n" % (n, statistics.median(r["nfesp"] or [0]),
                                    statistics.median(r["xfrm"] or [0])))
    script = """set terminal png size 800,500
set output '%s'
set logscale x
set xlabel 'policies installed'
set ylabel 'UDP 64-byte through ESP, Mbit/s'
set key bottom left
plot '%s' using 1:2 with linespoints title 'nfesp', '' using 1:3 with linespoints title 'XFRM'
""" % (os.path.join(folder, "policy-scale.png"), data)
    subprocess.run(["gnuplot"], input=script.encode(), check=False)


def main(argv):
    if len(argv) not in (2, 3) or (len(argv) == 3 and argv[2] != "--expect-complete"):
        sys.exit(__doc__)
    folder = argv[1]
    rows = load(os.path.join(folder, "results.jsonl"))
    text, summaries, complete = table(rows)
    print(text)
    with open(os.path.join(folder, "table.txt"), "w") as f:
        f.write(text + "\n")
    with open(os.path.join(folder, "results.json"), "w") as f:
        json.dump(summaries, f, indent=1)
    plot(rows, folder)
    if len(argv) == 3 and not complete:
        print("report.py: some figures are missing")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
