#!/usr/bin/env python3
# Profiling helpers for bench/profile (docs/performance.md, "Profile").
"""alloc.py <file.jfr> <requests>: bytes allocated per request, from the recording's first and last
jdk.ThreadAllocationStatistics of each thread (every thread of the JVM, request threads or not)."""
import json, subprocess, sys, collections
f, requests = sys.argv[1], int(sys.argv[2])
data = json.loads(subprocess.run(["jfr", "print", "--json", "--events", "jdk.ThreadAllocationStatistics", f],
                                 capture_output=True, text=True, check=True).stdout)
first, last = {}, {}
for e in data["recording"]["events"]:
    v = e["values"]; t = v["thread"]["javaThreadId"] if v["thread"] else None
    first.setdefault(t, v["allocated"]); last[t] = v["allocated"]
total = sum(last[t] - first[t] for t in last)
print(f"{f}: {total/1e6:.1f} MB allocated, {requests} requests, {total/requests:.0f} B/request")
