#!/usr/bin/env python3
# Profiling helpers for bench/profile (docs/performance.md, "Profile").
"""callees.py <file.jfr> <frame substring> [levels]: for request-thread samples under the frame, how they split
over the frames it calls (the next `levels` frames toward the top), as a share of all request-thread samples."""
import json, subprocess, sys, collections
f, sub = sys.argv[1], sys.argv[2]; levels = int(sys.argv[3]) if len(sys.argv) > 3 else 1
data = json.loads(subprocess.run(["jfr", "print", "--json", "--stack-depth", "512", "--events", "jdk.ExecutionSample", f],
                                 capture_output=True, text=True, check=True).stdout)
c = collections.Counter(); req = 0
for e in data["recording"]["events"]:
    v = e["values"]
    if not (v["sampledThread"]["javaName"] or "").startswith("dw-"): continue
    req += 1
    fr = [x["method"]["type"]["name"].split("/")[-1] + "." + x["method"]["name"] for x in v["stackTrace"]["frames"]]
    idx = [i for i, n in enumerate(fr) if sub in n]
    if not idx: continue
    i = idx[-1]
    c[" > ".join(reversed(fr[max(0, i - levels):i])) or "(self)"] += 1
tot = sum(c.values())
print(f"{sub}: {tot} of {req} request-thread samples ({100*tot/req:.1f}%)")
for k, v in c.most_common(25): print(f"  {100*v/req:5.1f}% {v:4d} {k}")
