"""Reconciliation of a large child: start a parent and a child from the given jars and configs, register
N services at the child and let them be forwarded, then (1) restart the parent empty and time how long
the child takes to refill it (until the parent holds all N and the child says in_sync and no pending
forwards), and (2) keep the parent and time one periodic reconciliation that finds nothing different.
For each, print the parent's calls per operation and their server-side time
(canopy_http_request_duration_seconds_count and _sum).

    python3 bench/measure-reconciliation.py <jars dir> <configs dir> <port> [services] [clients]

Uses <port> for the parent and <port>+1 for the child."""
import http.client, json, os, re, subprocess, sys, threading, time

jars, configs, port = sys.argv[1], sys.argv[2], int(sys.argv[3])
services = int(sys.argv[4]) if len(sys.argv) > 4 else 30000
clients = int(sys.argv[5]) if len(sys.argv) > 5 else 8
child_port = port + 1
ADMIN, CHILD, SERVICE = "a" * 40, "c" * 40, "s" * 40
JAVA = os.environ.get("JAVA_OPTS", "-Xmx512m -XX:+UseSerialGC").split()
env = dict(os.environ, LOG_LEVEL="WARN", CANOPY_ADMIN_KEYS=ADMIN, CANOPY_MAX_SERVICES_PER_ORCHESTRATOR="10000000")
PARENT_ENV = {"PORT": str(port), "CANOPY_CHILD_KEYS": CHILD, "LEASE_TTL": "3s", "LEASE_REAPER_INTERVAL": "500ms"}
CHILD_ENV = {"PARENT_ORCHESTRATOR_URL": f"http://localhost:{port}", "CHILD_PORT": str(child_port),
             "CANOPY_CHILD_KEY": CHILD, "CANOPY_SERVICE_KEYS": SERVICE, "REGISTRATION_DELAY": "100ms",
             "LEASE_TTL": "1h", "RETRY_INITIAL_DELAY": "100ms", "RETRY_MAX_DELAY": "1s",
             "RECONCILE_INTERVAL": os.environ.get("RECONCILE_INTERVAL", "20s")}
procs = {}


def start(name, jar, config, extra):
    procs[name] = subprocess.Popen(["java", *JAVA, "-jar", jar, "server", config], env=dict(env, **extra),
                                   stdout=open(os.devnull, "w"), stderr=subprocess.STDOUT)


def call(p, method, path, key=ADMIN):
    c = http.client.HTTPConnection("localhost", p, timeout=30)
    c.request(method, path, headers={"Authorization": "Bearer " + key})
    r = c.getresponse(); data = r.read(); c.close()
    return r.status, data


def until(what, timeout=600, every=0.1):
    end = time.time() + timeout
    while time.time() < end:
        try:
            if what():
                return time.time()
        except (OSError, ValueError, KeyError, TypeError):
            pass
        time.sleep(every)
    raise SystemExit("timed out")


def sync():
    return json.loads(call(child_port, "GET", "/services/info/orchestrator")[1])


def parent_holds_all():
    s = sync()
    status, data = call(port, "GET", "/api/v1/orchestrators/" + s["orchestrator_id"])
    return (status == 200 and json.loads(data)["service_count"] == services
            and s["sync"]["in_sync"] is True and s["sync"]["pending_forwards"] == 0)


def parent_calls():
    """Per operation: [count, seconds] answered by the parent since it started."""
    calls = {}
    for line in call(port, "GET", "/metrics")[1].decode().splitlines():
        m = re.match(r'canopy_http_request_duration_seconds_(count|sum)\{.*operation="([^"]*)"', line)
        if m:
            entry = calls.setdefault(m.group(2), [0, 0.0])
            entry[0 if m.group(1) == "count" else 1] += float(line.split()[-1])
    return calls


def delta(after, before):
    return {op: {"calls": int(a[0] - before.get(op, [0, 0])[0]),
                 "server_s": round(a[1] - before.get(op, [0, 0.0])[1], 3)}
            for op, a in sorted(after.items())
            if op in ("listOrchestratorServiceDigests", "applyOrchestratorServiceChanges",
                      "replaceOrchestratorServices") and a[0] - before.get(op, [0, 0])[0] > 0}


def child_reconciliations():
    for line in call(child_port, "GET", "/metrics")[1].decode().splitlines():
        if line.startswith("canopy_reconciliations_total "):
            return float(line.split()[-1])
    return 0.0


try:
    start("parent", jars + "/parent-app.jar", configs + "/parent-app/config.yml", PARENT_ENV)
    start("child", jars + "/child-app.jar", configs + "/child-app/config.yml", CHILD_ENV)
    until(lambda: json.loads(call(port, "GET", "/api/v1/orchestrators")[1])["count"] == 1)

    def register(first):
        conn = http.client.HTTPConnection("localhost", child_port, timeout=30)
        for n in range(first, services, clients):
            conn.request("POST", "/services/$register", body=json.dumps({"url": f"http://svc-{n}.bench.example:8080",
                         "info": {"display_name": f"svc {n}", "n": n}}),
                         headers={"Authorization": "Bearer " + SERVICE, "Content-Type": "application/json"})
            r = conn.getresponse(); r.read()
            assert r.status == 201, r.status

    t0 = time.time()
    workers = [threading.Thread(target=register, args=(t,)) for t in range(clients)]
    for w in workers: w.start()
    for w in workers: w.join()
    registered = time.time() - t0
    forwarded = until(parent_holds_all) - t0

    # (1) The parent restarts empty; the child finds out at its next heartbeat (every 1 s here).
    procs["parent"].terminate(); procs["parent"].wait()
    start("parent", jars + "/parent-app.jar", configs + "/parent-app/config.yml", PARENT_ENV)
    healthy = until(lambda: call(port, "GET", "/health")[0] == 200, every=0.01)
    refilled = until(parent_holds_all) - healthy
    restart_calls = delta(parent_calls(), {})

    # (2) The parent kept: the next periodic reconciliation finds nothing different.
    before, seen = parent_calls(), child_reconciliations()
    waited = time.time()
    until(lambda: child_reconciliations() > seen, timeout=120, every=0.2)
    time.sleep(0.5)
    periodic_calls = delta(parent_calls(), before)

    print(json.dumps({"services": services, "clients": clients, "registered_in_s": round(registered, 2),
                      "forwarded_after_s": round(forwarded, 2),
                      "after_parent_restart": {"in_sync_after_healthy_s": round(refilled, 2),
                                               "parent_calls": restart_calls},
                      "periodic_nothing_different": {"waited_s": round(time.time() - waited, 1),
                                                     "parent_calls": periodic_calls}}, indent=1))
finally:
    for p in procs.values(): p.terminate()
    for p in procs.values(): p.wait()
