#!/usr/bin/env python3
"""apdiff.py <aprof.sh outdir> [frame ...]: the no-op GET and the parent's lookup side by side, from the
async-profiler recordings aprof.sh made. Each side's samples are scaled to the CPU time per request its
process used in the profiled run, so a frame reads as microseconds of one core per request (inclusive).
With frames (substrings of 'package/Class.method'), only those; without, the 40 largest differences.
--under FRAME: the callees under FRAME on the lookup's side, 3 frames deep.
--threads: each side's CPU per request by kind of thread (request threads, log appenders, collector,
forwarding, compiler). --alloc: the recordings are of allocation (aprof.sh's AP_EVENT="event=alloc,total"):
figures are bytes per request (a recording's bytes over the requests of its 30 s), with --threads by
kind of thread, else by who allocated (the first of a few known frames on the stack)."""
import collections, json, os, re, sys

out = sys.argv[1]
args = sys.argv[2:]
under = args[args.index("--under") + 1] if "--under" in args else None
by_thread, alloc = "--threads" in args, "--alloc" in args
frames = [a for a in args if a not in ("--under", under, "--threads", "--alloc")]
runs = [json.loads(l) for l in open(os.path.join(out, "runs.jsonl"))]
window = {}
for line in open(os.path.join(out, "aprof.txt")):
    side, _, pid, edge, at = line.split()
    window.setdefault(side, {"pid": pid})[edge] = int(at)

def recording(side):
    w = window[side]
    for name in sorted(os.listdir(out)):
        m = re.match(rf"ap-{w['pid']}-.*\.collapsed$", name)
        if m and w["from"] <= os.path.getmtime(os.path.join(out, name)) - 30 and os.path.getmtime(os.path.join(out, name)) <= w["to"] + 1:
            return os.path.join(out, name)
    sys.exit(f"no whole recording of {side} inside its window")

def load(side):
    run = next(r for r in runs if r["side"] == side and r["label"] == "profile")
    stacks = [(s.split(";"), int(n)) for s, _, n in (l.rstrip().rpartition(" ") for l in open(recording(side)))]
    total = sum(n for _, n in stacks)
    if alloc:
        return stacks, 1 / (run["rps"] * 30), total / (run["rps"] * 30)
    return stacks, run["us_per_req"] / total, run["us_per_req"]

THREADS = [("request threads", ("QueuedThreadPool", "ManagedSelector")), ("log appenders", ("AsyncAppenderBase$Worker",)),
           ("forwarding", ("ParentForwarder",)), ("compiler", ("CompileBroker",)), ("collector", ("VMThread", "GCTaskThread"))]
OWNERS = [("Hibernate Validator", "hibernate/validator"), ("log appenders' thread", "AsyncAppenderBase$Worker"),
          ("forwarding", "ParentForwarder"), ("the digest", "ServicesDigest"), ("the registry", "ServiceRegistry"),
          ("the log event (MDC)", "dev/canopy/core/logging/Events"), ("logback on request threads", "ch/qos/logback"),
          ("Jackson reading", "ProviderBase.readFrom"), ("Jackson writing", "ProviderBase.writeTo")]

def split(stacks, k, kinds, whole_stack):
    c = collections.Counter()
    for fr, n in stacks:
        text = ";".join(fr if whole_stack else fr[:12])
        c[next((name for name, marks in kinds if any(m in text for m in marks)), "other")] += n * k
    return c

def inclusive(stacks, k):
    c = collections.Counter()
    for fr, n in stacks:
        for f in set(fr):
            c[f] += n
    return {f: n * k for f, n in c.items()}

(sa, ka, ua), (sb, kb, ub) = load("base"), load("parent")
unit = "bytes" if alloc else "us"
print(f"{'Allocated' if alloc else 'CPU'} per request: no-op {ua:.1f} {unit}, subject {ub:.1f} {unit} (ratio {ua / ub:.2f})")
if by_thread or alloc and not frames and not under:
    kinds = THREADS if by_thread else [(name, (mark,)) for name, mark in OWNERS]
    a, b = split(sa, ka, kinds, not by_thread), split(sb, kb, kinds, not by_thread)
    for name in [n for n, _ in kinds] + ["other"]:
        print(f"{a[name]:9.1f} {b[name]:9.1f}  {name}")
    sys.exit()
if under:
    c = collections.Counter()
    for fr, n in sb:
        i = next((i for i, f in enumerate(fr) if under in f), None)
        if i is not None:
            c[";".join(f.rsplit("/", 1)[-1] for f in fr[i + 1:i + 4]) or "<self>"] += n
    for key, n in c.most_common(25):
        print(f"{n * kb:7.2f}  {key}")
    sys.exit()
ia, ib = inclusive(sa, ka), inclusive(sb, kb)
if frames:
    for f in frames:
        a = max((v for k, v in ia.items() if f in k), default=0.0)
        b = max((v for k, v in ib.items() if f in k), default=0.0)
        print(f"{a:7.2f} {b:7.2f} {b - a:+7.2f}  {f}")
else:
    rows = sorted(((ib.get(k, 0) - ia.get(k, 0), k) for k in set(ia) | set(ib)), reverse=True)
    for d, k in rows[:40]:
        print(f"{ia.get(k, 0):7.2f} {ib.get(k, 0):7.2f} {d:+7.2f}  {k[:140]}")
