#!/usr/bin/env python3
"""run.sh's helpers: load services at the parent as a child would, judge warm-up windows, and write the
table. Standard library only, so the benchmark needs nothing beyond a JDK, Maven, wrk and python3."""
import http.client
import json
import os
import statistics
import sys


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


def steady(window_file, windows, tolerance):
    """Exit 0 when the last `windows` warm-up windows' req/s lie within `tolerance` of their median."""
    rates = [json.loads(line)["rps"] for line in open(window_file)]
    if len(rates) < windows:
        sys.exit(1)
    last = rates[-windows:]
    median = statistics.median(last)
    sys.exit(0 if median > 0 and (max(last) - min(last)) / median <= tolerance else 1)


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
        met = "met" if ratio >= s["target"] else "not met"
        rows.append(f"| {s['title']} | {subject['rps']:.0f} ({subject['rps_min']:.0f}–{subject['rps_max']:.0f}) "
                    f"| {subject['p50_ms']:.2f} / {subject['p99_ms']:.2f} "
                    f"| {base['rps']:.0f} ({base['rps_min']:.0f}–{base['rps_max']:.0f}) "
                    f"| {base['p50_ms']:.2f} / {base['p99_ms']:.2f} "
                    f"| **{ratio:.2f}×** | {statistics.median(paired):.2f}× ({min(paired):.2f}–{max(paired):.2f}) | ≥ {s['target']}× ({met}) | {subject['errors']} + {base['errors']} |")
        data["scenarios"].append({"id": s["id"], "subject": subject, "baseline": base, "ratio": ratio,
                                  "paired_ratios": paired, "target": s["target"]})
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
    elif command == "steady":
        steady(args[0], int(args[1]), float(args[2]))
    elif command == "last-rps":
        last_rps(args[0])
    elif command == "report":
        report(args[0])
    else:
        sys.exit(f"unknown command {command}")
