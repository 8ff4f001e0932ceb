#!/usr/bin/env python3
"""Side-by-side timing for the scripts/bench-*.sh benchmarks.

Reads variants from a JSON file (a list of objects):

    {"name": "pipe_gzip", "label": "pg_dump | gzip -6", "cmd": "...",
     "before": "...", "after": "...", "bytes": "...", "group": "backup gzip", "base": true}

and runs them in interleaved rounds: each round runs every variant once, in an order rotated
from round to round, so that a disturbance of the machine hits every variant alike. Each run is
timed with GNU time (wall seconds, user+system CPU seconds of the command and its children, peak
resident memory of the largest process). `before` runs untimed before each run (e.g. dropping a
database), `after` untimed after it (a check), `bytes` prints the size of the run's output.

Prints, per group, the medians and the ratio of each variant to the group's base variant, and
writes every measurement as JSON (--out) so a README can quote the run.
"""

import argparse
import json
import statistics
import subprocess
import sys
import tempfile


def sh(cmd):
    return subprocess.run(["bash", "-c", cmd], check=True, capture_output=True, text=True).stdout


def run_once(v, tmp):
    if v.get("before"):
        sh(v["before"])
    timing = f"{tmp}/time"
    p = subprocess.run(
        ["/usr/bin/time", "-f", "%e %U %S %M", "-o", timing, "bash", "-c", v["cmd"]],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    if p.returncode != 0:
        sys.stderr.write(p.stderr[-4000:])
        raise SystemExit(f"benchmark variant {v['name']} failed (exit {p.returncode})")
    wall, user, system, rss = open(timing).read().split()[-4:]
    out = {"wall": float(wall), "cpu": float(user) + float(system), "rss_mb": int(rss) / 1024}
    if v.get("bytes"):
        out["bytes"] = int(sh(v["bytes"]).strip() or 0)
    if v.get("after"):
        sh(v["after"])
    return out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("spec")
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--out")
    ap.add_argument("--title", default="")
    a = ap.parse_args()
    variants = json.load(open(a.spec))
    results = {v["name"]: [] for v in variants}
    with tempfile.TemporaryDirectory() as tmp:
        for r in range(a.rounds):
            k = r % len(variants)
            for v in variants[k:] + variants[:k]:
                results[v["name"]].append(run_once(v, tmp))
                print(f"  round {r + 1}/{a.rounds}: {v['name']} {results[v['name']][-1]['wall']:.2f}s",
                      file=sys.stderr)
    med = {}
    for v in variants:
        runs = results[v["name"]]
        med[v["name"]] = {
            key: statistics.median(x[key] for x in runs)
            for key in runs[0]
        }
    if a.title:
        print(f"\n## {a.title}")
    groups = []
    for v in variants:
        if v["group"] not in groups:
            groups.append(v["group"])
    print(f"\n{'task / run':<46} {'wall s':>8} {'ratio':>6} {'cpu s':>7} {'peak MB':>8} {'bytes out':>12} {'size':>5}")
    for g in groups:
        members = [v for v in variants if v["group"] == g]
        base = next((v for v in members if v.get("base")), members[0])
        b = med[base["name"]]
        print(f"{g}")
        for v in members:
            m = med[v["name"]]
            ratio = m["wall"] / b["wall"] if b["wall"] else float("nan")
            size = ""
            if "bytes" in m and b.get("bytes"):
                size = f"{m['bytes'] / b['bytes']:.2f}"
            by = f"{int(m['bytes']):,}" if "bytes" in m else "-"
            print(f"  {v.get('label', v['name']):<44} {m['wall']:8.2f} {ratio:6.2f} {m['cpu']:7.2f} {m['rss_mb']:8.0f} {by:>12} {size:>5}")
    if a.out:
        json.dump({"title": a.title, "rounds": a.rounds, "medians": med, "runs": results,
                   "variants": variants}, open(a.out, "w"), indent=1)


if __name__ == "__main__":
    main()
