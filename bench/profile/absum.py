#!/usr/bin/env python3
"""absum.py <outdir>: medians of ab.sh's rounds: req/s and ratio to the baseline of the same round, CPU per request."""
import json, os, statistics as st, sys
d = sys.argv[1]
runs = [json.loads(l) for l in open(os.path.join(d, "runs.jsonl"))]
drains = [json.loads(l) for l in open(os.path.join(d, "drains.jsonl"))] if os.path.exists(os.path.join(d, "drains.jsonl")) else []
by = {}
for r in runs: by.setdefault(r["side"], {})[r["round"]] = r
def fmt(xs): return f"{st.median(xs):.2f} ({min(xs):.2f}-{max(xs):.2f})"
rounds = sorted(by["base"])
print(f"{len(rounds)} rounds; loads: " + ", ".join(sorted({r['load'].split()[0] for r in runs})))
for side in ("base", "A", "B"):
    rs = [by[side][k] for k in rounds]
    rps = [r["rps"] for r in rs]; cpu = [r["cpu_us_per_req"] for r in rs]
    line = f"{side:5s} req/s median {st.median(rps):8.0f} ({min(rps):.0f}-{max(rps):.0f}); CPU us/req median {st.median(cpu):6.0f} ({min(cpu):.0f}-{max(cpu):.0f})"
    if side != "base":
        ratio = [by[side][k]["rps"] / by["base"][k]["rps"] for k in rounds]
        cratio = [by["base"][k]["cpu_us_per_req"] / by[side][k]["cpu_us_per_req"] for k in rounds]
        line += f"; req/s ratio to baseline, round by round: {fmt(ratio)}; baseline CPU/req ÷ this CPU/req: {fmt(cratio)}"
        dr = [x for x in drains if x["side"] == side and x["round"] in rounds]
        if dr:
            incl = [ (by[side][x["round"]]["cpu_ms"] + x["drain_cpu_ms"]) * 1000 / by[side][x["round"]]["requests"] for x in dr]
            line += f"; with its forwarding drained after the round: CPU us/req {fmt(incl)}, drain s {[x['drain_s'] for x in dr]}"
    print(line)
