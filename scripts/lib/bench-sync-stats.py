#!/usr/bin/env python3
"""What scripts/bench-sync.sh measures besides what scripts/lib/bench.py times, and its checks.

bench.py times the client side of a run (the command and its children). A refresh or an in-place
masking spends much of its time in the servers, so each run's `before` hook ends with `mark` and
its `after` hook starts with `note NAME`: the CPU seconds both servers used in between (their
postmasters, the backends they reaped and those still running, from /proc), the masked database's
dead tuples and, for sync-tool, the phases of its --json report. `report` prints their medians next
to bench.py's and adds them to its JSON file. `check` is the correctness check after a run.

    bench-sync-stats.py mark
    bench-sync-stats.py note NAME [DB]          DB: the masked database, for its dead tuples
    bench-sync-stats.py check LABEL DB          DB on the staging server against app on production
    bench-sync-stats.py report RESULTS.json

Environment: WORK (the benchmark's temp folder, holding the clusters prod/ and staging/), PSQL_P
and PSQL_S (psql for production and staging).
"""

import json
import os
import shlex
import statistics
import subprocess
import sys

WORK = os.environ["WORK"]
STATS = f"{WORK}/stats"
HZ = os.sysconf("SC_CLK_TCK")
SERVERS = ("prod", "staging")
TABLES = ("users", "accounts", "sessions", "verification_tokens", "events")


def ticks(cluster):
    """CPU clock ticks used so far by one cluster's server processes."""
    pm = open(f"{WORK}/{cluster}/postmaster.pid").readline().strip()
    f = open(f"/proc/{pm}/stat").read().rsplit(")", 1)[1].split()
    # After the ")" that closes the command name, utime is the 12th field (14th of the line).
    total = sum(int(x) for x in f[11:15])
    for c in open(f"/proc/{pm}/task/{pm}/children").read().split():
        try:
            g = open(f"/proc/{c}/stat").read().rsplit(")", 1)[1].split()
            total += int(g[11]) + int(g[12])
        except OSError:
            pass
    return total


def psql(which, db, sql):
    cmd = shlex.split(os.environ[f"PSQL_{which}"]) + ["-At", "-d", db, "-c", sql]
    return subprocess.run(cmd, check=True, capture_output=True, text=True).stdout


def mark():
    os.makedirs(STATS, exist_ok=True)
    json.dump({s: ticks(s) for s in SERVERS}, open(f"{STATS}/mark", "w"))


def note(name, db=None):
    now = {s: ticks(s) for s in SERVERS}
    start = json.load(open(f"{STATS}/mark"))
    rec = {f"{s}_cpu": (now[s] - start[s]) / HZ for s in SERVERS}
    if db:
        rec["dead_tuples"] = int(psql("S", db, "SELECT coalesce(sum(n_dead_tup), 0) FROM pg_stat_user_tables"))
    report = f"{STATS}/{name}.out.json"
    if os.path.exists(report):
        rec["phases"] = dict(json.load(open(report))["phases"])
        os.remove(report)
    with open(f"{STATS}/{name}.jsonl", "a") as f:
        f.write(json.dumps(rec) + "\n")


def fail(msg):
    raise SystemExit(f"check failed: {msg}")


def check(label, db):
    """The copy holds the source's rows, every e-mail address masked, none of the source's left."""
    for t in TABLES:
        src, dst = psql("P", "app", f"SELECT count(*) FROM {t}"), psql("S", db, f"SELECT count(*) FROM {t}")
        if src != dst:
            fail(f"{label}: {db}.{t} has {dst.strip()} rows, the source {src.strip()}")
    n = psql("S", db, r"SELECT count(*) FROM users WHERE email NOT LIKE 'user\_%@test.example.com'").strip()
    if n != "0":
        fail(f"{label}: {n} users with an unmasked e-mail address")
    q = "SELECT email FROM users UNION SELECT identifier FROM verification_tokens"
    left = set(psql("P", "app", q).split()) & set(psql("S", db, q).split())
    if left:
        fail(f"{label}: {len(left)} source e-mail addresses in {db}")


def report(path):
    res = json.load(open(path))
    extra = {}
    for v in res["variants"]:
        try:
            recs = [json.loads(line) for line in open(f"{STATS}/{v['name']}.jsonl")]
        except FileNotFoundError:
            continue
        os.remove(f"{STATS}/{v['name']}.jsonl")
        m = {k: statistics.median(r[k] for r in recs) for k in recs[0] if k != "phases"}
        if "phases" in recs[0]:
            m["phases"] = {p: statistics.median(r["phases"][p] for r in recs) for p in recs[0]["phases"]}
        extra[v["name"]] = m
    med = res["medians"]
    print(f"\n{'servers and totals (medians)':<46} {'prod':>7} {'staging':>8} {'all cpu':>8} {'ratio':>6} {'dead tuples':>12}")
    print(f"{'':<46} {'cpu s':>7} {'cpu s':>8} {'s':>8} {'':>6}")
    groups = []
    for v in res["variants"]:
        if v["group"] not in groups:
            groups.append(v["group"])
    total = lambda n: med[n]["cpu"] + extra[n]["prod_cpu"] + extra[n]["staging_cpu"]
    for g in groups:
        members = [v for v in res["variants"] if v["group"] == g and v["name"] in extra]
        if not members:
            continue
        base = next((v for v in members if v.get("base")), members[0])["name"]
        print(g)
        for v in members:
            e, n = extra[v["name"]], v["name"]
            dead = f"{int(e['dead_tuples']):,}" if "dead_tuples" in e else "-"
            print(f"  {v.get('label', n):<44} {e['prod_cpu']:7.2f} {e['staging_cpu']:8.2f} {total(n):8.2f}"
                  f" {total(n) / total(base):6.2f} {dead:>12}")
    for v in res["variants"]:
        ph = extra.get(v["name"], {}).get("phases")
        if ph:
            wall = med[v["name"]]["wall"]
            parts = ", ".join(f"{p} {s:.2f}s ({100 * s / wall:.0f}%)" for p, s in ph.items())
            print(f"phases, {v.get('label', v['name'])}: {parts}")
    res["servers"] = extra
    json.dump(res, open(path, "w"), indent=1)


if __name__ == "__main__":
    cmd, args = sys.argv[1], sys.argv[2:]
    {"mark": mark, "note": note, "check": check, "report": report}[cmd](*args)
