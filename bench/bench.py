#!/usr/bin/env python3
"""run.sh's helpers: load services at the parent as a child would, judge warm-up windows, and write the
table. Standard library only, so the benchmark needs nothing beyond a JDK, Maven, wrk and python3."""
import http.client
import json
import os
import random
import re
import statistics
import subprocess
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor


def load_parent(port, count, ids_file):
    """Registers an orchestrator with the child key, then `count` services under it, exactly the calls a
    child makes (POST $register with its key), and writes the ids the parent gave them, one per line."""
    key = os.environ["BENCH_CHILD_KEY"]
    conn = http.client.HTTPConnection("localhost", port)
    headers = {"Content-Type": "application/json", "Authorization": "Bearer " + key}

    def post(path, body):
        conn.request("POST", path, json.dumps(body), headers)
        answer = conn.getresponse()
        text = answer.read()
        if answer.status not in (200, 201):
            sys.exit(f"load-parent: {path} answered {answer.status}: {text[:300]!r}")
        return json.loads(text)

    orchestrator = post("/api/v1/orchestrators/$register",
                        {"url": "http://bench-child.example:9999", "region": "bench"})["id"]
    with open(ids_file, "w") as out:
        for n in range(count):
            result = post("/api/v1/services/$register", {
                "url": f"http://lookup-{n}.bench.example:8080/",
                "info": {"display_name": f"Lookup Service {n}", "version": "1.0.0"},
                "orchestrator_id": orchestrator})
            out.write(result["id"] + "\n")


CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"


def ulid(ms, rnd):
    """A ULID as the spec's pattern wants it: 48 bits of milliseconds, 80 random, 26 Crockford digits."""
    value, digits = (ms << 80) | rnd, []
    for _ in range(26):
        digits.append(CROCKFORD[value & 31])
        value >>= 5
    return "".join(reversed(digits))


def service_body(n):
    """The url and info every loader gives service n; string_bytes() must count what this holds."""
    return {"url": f"http://svc-{n}.bench.example:8080/",
            "info": {"display_name": f"Bench Service {n}", "version": "1.0.0"}}


class Caller(threading.local):
    """One keep-alive connection per thread, so a loader's threads never share one."""

    def __init__(self, port, key):
        self.conn = http.client.HTTPConnection("localhost", port, timeout=120)
        self.headers = {"Content-Type": "application/json", "Authorization": "Bearer " + key}

    def call(self, method, path, body=None, ok=(200, 201)):
        self.conn.request(method, path, None if body is None else json.dumps(body), self.headers)
        answer = self.conn.getresponse()
        text = answer.read()
        if answer.status not in ok:
            sys.exit(f"bench: {method} {path} answered {answer.status}: {text[:300]!r}")
        return json.loads(text) if text else None


def orchestrators_of(caller, count):
    """Registers (or finds again: same url, same id) `count` orchestrators with the child key."""
    return [caller.call("POST", "/api/v1/orchestrators/$register",
                        {"url": f"http://bench-child-{k}.example:9999", "region": f"bench-{k}"})["id"]
            for k in range(count)]


def load_parent_batch(port, count, orchestrators, prefix, first=0, batch=500, threads=3):
    """Loads `count` services at the parent as children forward them: `POST .../services/$batch`, up to
    `batch` upserts per call, batches dealt to the orchestrators in turn, from a few connections at once
    (the parent applies one batch at a time anyway; more connections only keep it busy while this
    process builds the next body). The ids are ULIDs made here, random after one timestamp, so each
    orchestrator's services lie spread over the whole id order, as if their children had forwarded at
    the same time. Writes <prefix>.ids (every id) and <prefix>.ids-<k> (orchestrator k's), and prints
    how long it took."""
    caller = Caller(port, os.environ["BENCH_CHILD_KEY"])
    owners = orchestrators_of(caller, orchestrators)
    ms, rng = int(time.time() * 1000), random.SystemRandom()
    held = [[] for _ in owners]

    def send(start):
        # Built in the worker, not up front: a million bodies at once would take gigabytes here.
        k = (start // batch) % len(owners)
        changes = [dict(service_body(n), op="upsert", id=ulid(ms, rng.getrandbits(80)))
                   for n in range(first + start, first + min(start + batch, count))]
        caller.call("POST", f"/api/v1/orchestrators/{owners[k]}/services/$batch", {"changes": changes}, ok=(200,))
        held[k].extend(c["id"] for c in changes)

    t0 = time.time()
    with ThreadPoolExecutor(threads) as pool:
        for _ in pool.map(send, range(0, count, batch)):
            pass
    seconds = time.time() - t0
    with open(prefix + ".ids", "w") as out:
        for ids in held:
            out.writelines(i + "\n" for i in ids)
    for k, ids in enumerate(held):
        with open(f"{prefix}.ids-{k}", "w") as out:
            out.writelines(i + "\n" for i in ids)
    with open(prefix + ".orchestrators", "w") as out:
        out.writelines(o + "\n" for o in owners)
    print(f"loaded {count} services under {len(owners)} orchestrators in batches of {batch} "
          f"in {seconds:.1f} s ({count / max(seconds, 1e-9):.0f} services/s)")


def remove_parent_batch(port, prefix, orchestrators, batch=500, threads=3):
    """Removes what load_parent_batch loaded under `prefix`, `batch` removals per call."""
    caller = Caller(port, os.environ["BENCH_CHILD_KEY"])
    owners = orchestrators_of(caller, orchestrators)
    jobs = []
    for k, owner in enumerate(owners):
        ids = [line.strip() for line in open(f"{prefix}.ids-{k}")]
        for start in range(0, len(ids), batch):
            jobs.append((owner, [{"op": "remove", "id": i} for i in ids[start:start + batch]]))
    with ThreadPoolExecutor(threads) as pool:
        for _ in pool.map(lambda job: caller.call(
                "POST", f"/api/v1/orchestrators/{job[0]}/services/$batch", {"changes": job[1]}, ok=(200,)), jobs):
            pass


def register_child(port, count, ids_file, first=0, threads=4):
    """Registers `count` services at a child as services do (`POST /services/$register`, service key),
    from a few connections at once, and writes the ids the child gave them, one per line."""
    caller = Caller(port, os.environ["BENCH_KEY"])
    t0 = time.time()
    with ThreadPoolExecutor(threads) as pool:
        ids = list(pool.map(lambda n: caller.call("POST", "/services/$register", service_body(n))["id"],
                            range(first, first + count)))
    with open(ids_file, "w") as out:
        out.writelines(i + "\n" for i in ids)
    print(f"registered {count} services at the child in {time.time() - t0:.1f} s")


def deregister_child(port, ids_file, threads=4):
    caller = Caller(port, os.environ["BENCH_KEY"])
    ids = [line.strip() for line in open(ids_file)]
    with ThreadPoolExecutor(threads) as pool:
        for _ in pool.map(lambda i: caller.call("DELETE", f"/services/{i}", ok=(200,)), ids):
            pass


def string_bytes(text):
    """What one String holding `text` costs on a 64-bit HotSpot with compressed oops and compact
    strings (every character here is Latin-1): a 24-byte String object and a byte[] of a 16-byte
    header plus one byte per character, rounded up to 8."""
    return 24 + (16 + len(text) + 7) // 8 * 8


def own_string_bytes(n):
    """Service n's own strings: its url and its info values. The info keys are not counted: Jackson
    canonicalises the names it parses, so every service shares one "display_name" and one "version"."""
    body = service_body(n)
    return string_bytes(body["url"]) + sum(string_bytes(v) for v in body["info"].values())


HISTOGRAM_ROW = re.compile(r"\s*\d+:\s+(\d+)\s+(\d+)\s+(.+)$")


def heap(pid, out_file):
    """Live heap bytes of a JVM: two full collections, then the class histogram's total (which counts
    only what is reachable). Writes the whole histogram and the heap's state to `out_file`, prints
    the total."""
    for _ in range(2):
        subprocess.run(["jcmd", str(pid), "GC.run"], check=True, capture_output=True)
    histogram = subprocess.run(["jcmd", str(pid), "GC.class_histogram"], check=True, capture_output=True,
                               text=True).stdout
    total = next(int(line.split()[2]) for line in histogram.splitlines() if line.startswith("Total"))
    info = subprocess.run(["jcmd", str(pid), "GC.heap_info"], capture_output=True, text=True).stdout
    with open(out_file, "w") as out:
        out.write(histogram + "\n" + info)
    print(total)


def histogram_of(path):
    """{class: (instances, bytes)} from a file heap() wrote."""
    classes = {}
    for line in open(path):
        row = HISTOGRAM_ROW.match(line)
        if row:
            name = row.group(3).strip()
            instances, size = classes.get(name, (0, 0))
            classes[name] = (instances + int(row.group(1)), size + int(row.group(2)))
    return classes


def heap_record(out_file, where, services, before, after, first):
    """One heap figure for the report: live bytes before and after loading `services` services
    (numbered from `first`, so their strings are known), per service, without their own strings."""
    strings = sum(own_string_bytes(n) for n in range(first, first + services)) / services
    prefix = os.path.splitext(out_file)[0]
    old, new = histogram_of(prefix + "-before.txt"), histogram_of(prefix + "-after.txt")
    grown = sorted(((name, n - old.get(name, (0, 0))[0], b - old.get(name, (0, 0))[1])
                    for name, (n, b) in new.items()), key=lambda row: -row[2])[:15]
    record = {"where": where, "services": services, "before_bytes": before, "after_bytes": after,
              "per_service": (after - before) / services, "own_strings_per_service": strings,
              "beyond_strings": (after - before) / services - strings,
              "grown": [{"class": name, "instances_per_service": n / services, "bytes_per_service": b / services}
                        for name, n, b in grown],
              "top": [{"class": name, "instances": n, "bytes": b} for name, (n, b) in
                      sorted(new.items(), key=lambda item: -item[1][1])[:15]]}
    with open(out_file, "w") as out:
        json.dump(record, out)
    print(f"{where}: {record['per_service']:.0f} B per service, {record['beyond_strings']:.0f} B beyond "
          f"its own strings ({strings:.0f} B)")


def steady(window_file, windows, tolerance):
    """Exit 0 when the last `windows` warm-up windows' req/s lie within `tolerance` of their median."""
    rates = [json.loads(line)["rps"] for line in open(window_file)]
    if len(rates) < windows:
        sys.exit(1)
    last = rates[-windows:]
    median = statistics.median(last)
    sys.exit(0 if median > 0 and (max(last) - min(last)) / median <= tolerance else 1)


def last_latency(window_file):
    run = json.loads(open(window_file).read().splitlines()[-1])
    print(f"p50 {run['p50_us'] / 1000:.2f} ms, p99 {run['p99_us'] / 1000:.2f} ms, max {run['max_us'] / 1000:.1f} ms, "
          f"{run['rps']:.0f} req/s")


def last_rps(window_file):
    print(round(json.loads(open(window_file).read().splitlines()[-1])["rps"]))


def rounds_of(path):
    return [json.loads(line) for line in open(path)]


def summarize(name, path):
    runs = rounds_of(path)
    rps = [r["rps"] for r in runs]
    return {
        "name": name, "rounds": len(runs),
        "rps": statistics.median(rps), "rps_min": min(rps), "rps_max": max(rps),
        "p50_ms": statistics.median(r["p50_us"] for r in runs) / 1000,
        "p99_ms": statistics.median(r["p99_us"] for r in runs) / 1000,
        "errors": sum(r["errors_connect"] + r["errors_read"] + r["errors_write"] + r["errors_timeout"]
                      + r["non_2xx"] for r in runs),
    }


def latency_rows(results_dir, specs, rows, data):
    """Service time with one connection (no queueing): the median over the rounds of each round's p50,
    p99 and max, with the p99's min–max; the no-op GET's the same way; and throughput at wrk's usual
    connections where it was measured."""
    if not specs:
        return
    data["latency"] = []
    rows.append("")
    rows.append("| Scenario (one connection) | Subject p50 / p99 / max ms (p99 min–max) | Subject req/s "
                "| No-op GET p50 / p99 ms | Subject req/s with all connections (p50 / p99 ms) | Target | Errors |")
    rows.append("| --- | --- | --- | --- | --- | --- | --- |")

    def lat(path):
        runs = rounds_of(path) if os.path.exists(path) else []
        if not runs:
            return None
        p99 = [r["p99_us"] / 1000 for r in runs]
        return {"rounds": len(runs), "rps": statistics.median(r["rps"] for r in runs),
                "p50_ms": statistics.median(r["p50_us"] for r in runs) / 1000,
                "p99_ms": statistics.median(p99), "p99_min_ms": min(p99), "p99_max_ms": max(p99),
                "max_ms": statistics.median(r["max_us"] for r in runs) / 1000,
                "errors": sum(r["errors_connect"] + r["errors_read"] + r["errors_write"] + r["errors_timeout"]
                              + r["non_2xx"] for r in runs)}

    for s in specs:
        subject = lat(os.path.join(results_dir, s["id"] + "-c1-subject.jsonl"))
        if subject is None:
            rows.append(f"| {s['title']} | not measured | | | | | |")
            continue
        base = lat(os.path.join(results_dir, s["id"] + "-c1-baseline.jsonl"))
        wide = lat(os.path.join(results_dir, s["id"] + "-c32-subject.jsonl"))
        target = s.get("target_p99_ms")
        verdict = "—" if target is None else \
            f"p99 < {target} ms ({'met' if subject['p99_ms'] < target else 'not met'})"
        noop = "—" if base is None else f"{base['p50_ms']:.2f} / {base['p99_ms']:.2f}"
        busy = "—" if wide is None else f"{wide['rps']:.0f} ({wide['p50_ms']:.2f} / {wide['p99_ms']:.2f})"
        rows.append(f"| {s['title']} | {subject['p50_ms']:.2f} / {subject['p99_ms']:.2f} / {subject['max_ms']:.1f} "
                    f"({subject['p99_min_ms']:.2f}–{subject['p99_max_ms']:.2f}) | {subject['rps']:.0f} "
                    f"| {noop} | {busy} | {verdict} | {subject['errors'] + (wide['errors'] if wide else 0)} |")
        data["latency"].append({"id": s["id"], "subject": subject, "baseline": base, "all_connections": wide,
                                "target_p99_ms": target})


def heap_rows(results_dir, ids, rows, data):
    """Heap bytes per registered service, from the records the heap scenario wrote."""
    records = [json.load(open(os.path.join(results_dir, f"heap-{i}.json"))) for i in ids
               if os.path.exists(os.path.join(results_dir, f"heap-{i}.json"))]
    if not records:
        return
    data["heap"] = records
    rows.append("")
    rows.append("| Heap after full GC | Services added | Live bytes before → after | Per service "
                "| Its own url and info strings | Beyond them | Target |")
    rows.append("| --- | --- | --- | --- | --- | --- | --- |")
    for r in records:
        met = "met" if r["beyond_strings"] <= 600 else "not met"
        rows.append(f"| {r['where']} | {r['services']:,} | {r['before_bytes']:,} → {r['after_bytes']:,} "
                    f"| {r['per_service']:.0f} B | {r['own_strings_per_service']:.0f} B "
                    f"| **{r['beyond_strings']:.0f} B** | ≤ 600 B ({met}) |")
    for r in (r for r in records if "grown" in r):
        rows.append("")
        rows.append(f"Where the {r['where']}'s bytes went: the 15 classes that grew most, per service added")
        rows.append("")
        rows.append("| Class | Instances per service | Bytes per service |")
        rows.append("| --- | --- | --- |")
        rows.extend(f"| `{g['class']}` | {g['instances_per_service']:.2f} | {g['bytes_per_service']:.1f} |"
                    for g in r["grown"])
        rows.append("")
        rows.append(f"The {r['where']}'s live heap with them: the class histogram's top 15")
        rows.append("")
        rows.append("| Class | Instances | Bytes |")
        rows.append("| --- | --- | --- |")
        rows.extend(f"| `{t['class']}` | {t['instances']:,} | {t['bytes']:,} |" for t in r["top"])


PROPAGATION_TARGET_P99_MS = 20


def propagation_rows(runs, rows):
    """Appends scenario (5)'s latency table to rows: one pair of rows per run of the load tool, from the
    child's 201 and from the request's due time, each with its percentiles; returns the runs."""
    rows.append("")
    rows.append("| (5) Propagation child → parent | Registrations/s (target, achieved) | Announced (lost) "
                "| p50 ms | p90 ms | p99 ms | p99.9 ms | max ms | Target p99 < 20 ms |")
    rows.append("| --- | --- | --- | --- | --- | --- | --- | --- | --- |")
    for run in runs:
        for key, title in (("propagation_from_answer", "from the child's 201"),
                           ("propagation_from_send", "from the request's due time")):
            p = run[key]
            if p["count"] == 0:
                rows.append(f"| {title} | {run['target_rps']:.0f}, {run['achieved_rps']:.0f} | 0 ({run['lost']}) "
                            "| — | — | — | — | — | not met (nothing announced) |")
                continue
            met = "met" if p["p99_ms"] < PROPAGATION_TARGET_P99_MS else "not met"
            rows.append(f"| {title} | {run['target_rps']:.0f}, {run['achieved_rps']:.0f} | {p['count']} ({run['lost']}) "
                        f"| {p['p50_ms']:.2f} | {p['p90_ms']:.2f} | {p['p99_ms']:.2f} | {p['p999_ms']:.2f} "
                        f"| {p['max_ms']:.2f} | {met} |")
        answer, reads = run["answer"], run["read_after_announcement"]
        answer_text = (f"p50 {answer['p50_ms']:.2f} ms, p99 {answer['p99_ms']:.2f} ms" if answer["count"]
                       else "none answered")
        failed = ", ".join(f"{status}: {n}" for status, n in run["failed"].items()) or "none"
        rows.append("")
        rows.append(f"Propagation run {run['label']} ({run['warmup_s']} s warm-up, {run['measured_s']} s measured, "
                    f"{run['requests']} requests): the child answered {answer_text} from the due time; "
                    f"failed registrations: {failed}; announced before the 201 was read: "
                    f"{run['announced_before_answer']}; read at the parent right after the announcement: "
                    f"{reads['readable']} of {reads['checked']} found ({reads['not_found']} not found); "
                    f"stream reconnects: {run['stream_reconnects']}.")
    return runs


def report(results_dir):
    """Writes results.md and results.json from the rounds' JSON lines in results_dir."""
    spec = json.load(open(os.path.join(results_dir, "scenarios.json")))
    rows, data = [], {"scenarios": [], "startup": []}
    if spec["throughput"]:
        rows.append("| Scenario | Subject req/s (median, min–max) | p50 / p99 ms | Baseline req/s (median, min–max) "
                    "| p50 / p99 ms | Ratio of medians | Round by round (median, min–max) | Target | Errors |")
        rows.append("| --- | --- | --- | --- | --- | --- | --- | --- | --- |")
    for s in spec["throughput"]:
        subject = summarize(s["subject"], os.path.join(results_dir, s["id"] + "-subject.jsonl"))
        base = summarize(s["baseline"], os.path.join(results_dir, s["id"] + "-baseline.jsonl"))
        ratio = subject["rps"] / base["rps"]
        # Each subject round against the baseline round just before it: drift in the machine between
        # rounds (another build starting) cancels out here, not in the ratio of medians.
        paired = [sr["rps"] / br["rps"] for sr, br in zip(
            rounds_of(os.path.join(results_dir, s["id"] + "-subject.jsonl")),
            rounds_of(os.path.join(results_dir, s["id"] + "-baseline.jsonl")))]
        target = "—" if s["target"] is None else f"≥ {s['target']}× ({'met' if ratio >= s['target'] else 'not met'})"
        rows.append(f"| {s['title']} | {subject['rps']:.0f} ({subject['rps_min']:.0f}–{subject['rps_max']:.0f}) "
                    f"| {subject['p50_ms']:.2f} / {subject['p99_ms']:.2f} "
                    f"| {base['rps']:.0f} ({base['rps_min']:.0f}–{base['rps_max']:.0f}) "
                    f"| {base['p50_ms']:.2f} / {base['p99_ms']:.2f} "
                    f"| **{ratio:.2f}×** | {statistics.median(paired):.2f}× ({min(paired):.2f}–{max(paired):.2f}) | {target} | {subject['errors']} + {base['errors']} |")
        data["scenarios"].append({"id": s["id"], "subject": subject, "baseline": base, "ratio": ratio,
                                  "paired_ratios": paired, "target": s["target"]})
    latency_rows(results_dir, spec.get("latency", []), rows, data)
    heap_rows(results_dir, spec.get("heap", []), rows, data)
    startup_file = os.path.join(results_dir, "startup.tsv")
    if os.path.exists(startup_file):
        times = {}
        for line in open(startup_file):
            app, ms = line.split()
            times.setdefault(app, []).append(int(ms))
        base = statistics.median(times["baseline"])
        rows.append("")
        rows.append("| Start-up to first healthy /health | Median ms (min–max, n) | Ratio to baseline | Target |")
        rows.append("| --- | --- | --- | --- |")
        for app, ms in times.items():
            ratio = statistics.median(ms) / base
            target = "—" if app == "baseline" else f"≤ 1.2× ({'met' if ratio <= 1.2 else 'not met'})"
            rows.append(f"| {app} | {statistics.median(ms):.0f} ({min(ms)}–{max(ms)}, {len(ms)}) "
                        f"| {ratio:.2f}× | {target} |")
            data["startup"].append({"app": app, "median_ms": statistics.median(ms), "min_ms": min(ms),
                                    "max_ms": max(ms), "ratio": ratio})
    propagation_file = os.path.join(results_dir, "propagation.jsonl")
    if os.path.exists(propagation_file):
        data["propagation"] = propagation_rows(rounds_of(propagation_file), rows)
    extra = os.path.join(results_dir, "notes.txt")
    if os.path.exists(extra):
        rows.append("")
        rows.extend(line.rstrip("\n") for line in open(extra))
    text = "\n".join(rows) + "\n"
    open(os.path.join(results_dir, "results.md"), "w").write(text)
    json.dump(data, open(os.path.join(results_dir, "results.json"), "w"), indent=2)
    print(text)


if __name__ == "__main__":
    command, args = sys.argv[1], sys.argv[2:]
    if command == "load-parent":
        load_parent(int(args[0]), int(args[1]), args[2])
    elif command == "load-parent-batch":  # port count orchestrators prefix [first]
        load_parent_batch(int(args[0]), int(args[1]), int(args[2]), args[3], *(int(a) for a in args[4:5]))
    elif command == "remove-parent-batch":  # port prefix orchestrators
        remove_parent_batch(int(args[0]), args[1], int(args[2]))
    elif command == "register-child":  # port count ids-file [first]
        register_child(int(args[0]), int(args[1]), args[2], *(int(a) for a in args[3:4]))
    elif command == "deregister-child":  # port ids-file
        deregister_child(int(args[0]), args[1])
    elif command == "heap":  # pid histogram-file
        heap(int(args[0]), args[1])
    elif command == "heap-record":  # out-file where services before after first
        heap_record(args[0], args[1], int(args[2]), int(args[3]), int(args[4]), int(args[5]))
    elif command == "steady":
        steady(args[0], int(args[1]), float(args[2]))
    elif command == "last-latency":
        last_latency(args[0])
    elif command == "ulids":  # count: ids for the no-op GET, shaped like the parent's
        rng = random.SystemRandom()
        print("\n".join(ulid(int(time.time() * 1000), rng.getrandbits(80)) for _ in range(int(args[0]))))
    elif command == "last-rps":
        last_rps(args[0])
    elif command == "report":
        report(args[0])
    else:
        sys.exit(f"unknown command {command}")
