#!/usr/bin/env python3
# Profiling helpers for bench/profile (docs/performance.md, "Profile").
"""agg.py <file.jfr> [n]: top frames (self) and inclusive shares of selected frames from ExecutionSamples,
restricted to request threads (dw-*), plus allocation totals."""
import json, subprocess, sys, collections, re
f = sys.argv[1]; n = int(sys.argv[2]) if len(sys.argv) > 2 else 25
data = json.loads(subprocess.run(["jfr", "print", "--json", "--stack-depth", "512", "--events", "jdk.ExecutionSample", f],
                                 capture_output=True, text=True, check=True).stdout)
events = data["recording"]["events"]
selfc = collections.Counter(); incl = collections.Counter(); threads = collections.Counter()
req = 0
def name(fr):
    m = fr["method"]; return m["type"]["name"] + "." + m["name"]
for e in events:
    v = e["values"]; t = v["sampledThread"]["javaName"] or v["sampledThread"]["osName"]
    threads[re.sub(r"dw-\d+.*", "dw-*", t)] += 1
    if not t.startswith("dw-"):
        continue
    req += 1
    frames = v["stackTrace"]["frames"] if v["stackTrace"] else []
    if not frames: continue
    selfc[name(frames[0])] += 1
    seen = set()
    for fr in frames:
        nm = name(fr)
        if nm not in seen:
            seen.add(nm); incl[nm] += 1
print(f"{f}: {len(events)} samples, {req} on request threads (dw-*)")
print("threads:", threads.most_common(8))
print("-- self (top frame), share of request-thread samples")
for k, c in selfc.most_common(n): print(f"{100*c/req:5.1f}% {c:5d} {k}")
print("-- inclusive, share of request-thread samples")
for k, c in incl.most_common(400):
    if any(s in k for s in sys.argv[3:] or ["dev.canopy"]):
        print(f"{100*c/req:5.1f}% {c:5d} {k}")
