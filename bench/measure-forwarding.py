"""Parent calls for 1,000 registrations at one child: start a parent and a child from the given jars and
configs, register 1,000 services at the child, wait until the parent holds them all, and print the
parent's request counts per operation (canopy_http_request_duration_seconds_count)."""
import http.client, json, os, re, subprocess, sys, time
jars, configs, port = sys.argv[1], sys.argv[2], int(sys.argv[3])
ADMIN, CHILD, SERVICE = "a" * 40, "c" * 40, "s" * 40
env = dict(os.environ, LOG_LEVEL="WARN", CANOPY_ADMIN_KEYS=ADMIN)
procs = []
def start(jar, config, extra):
    p = subprocess.Popen(["java", "-Xmx128m", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-jar", jar, "server", config],
                         env=dict(env, **extra), stdout=open(os.devnull, "w"), stderr=subprocess.STDOUT)
    procs.append(p)
def call(p, method, path, body=None, key=ADMIN):
    c = http.client.HTTPConnection("localhost", p, timeout=10)
    c.request(method, path, body=None if body is None else json.dumps(body),
              headers={"Authorization": "Bearer " + key, "Content-Type": "application/json"})
    r = c.getresponse(); data = r.read(); c.close(); return r.status, data
def until(what, timeout=120):
    end = time.time() + timeout
    while time.time() < end:
        try:
            if what(): return
        except OSError: pass
        time.sleep(0.2)
    raise SystemExit("timed out")
try:
    start(jars + "/parent-app.jar", configs + "/parent-app/config.yml", {"PORT": str(port), "CANOPY_CHILD_KEYS": CHILD})
    start(jars + "/child-app.jar", configs + "/child-app/config.yml", {"PARENT_ORCHESTRATOR_URL": f"http://localhost:{port}",
          "CHILD_PORT": str(port + 1), "CANOPY_CHILD_KEY": CHILD, "CANOPY_SERVICE_KEYS": SERVICE, "REGISTRATION_DELAY": "100ms"})
    until(lambda: json.loads(call(port, "GET", "/api/v1/orchestrators")[1])["count"] == 1)
    threads = int(sys.argv[4]) if len(sys.argv) > 4 else 1
    def client(first):
        conn = http.client.HTTPConnection("localhost", port + 1, timeout=10)
        for n in range(first, 1000, threads):
            conn.request("POST", "/services/$register", body=json.dumps({"url": f"http://svc-{n}:8080"}),
                         headers={"Authorization": "Bearer " + SERVICE, "Content-Type": "application/json"})
            r = conn.getresponse(); r.read(); assert r.status == 201, r.status
    import threading
    t0 = time.time()
    workers = [threading.Thread(target=client, args=(t,)) for t in range(threads)]
    for w in workers: w.start()
    for w in workers: w.join()
    registered = time.time() - t0
    until(lambda: json.loads(call(port, "GET", "/api/v1/services")[1])["count"] == 1000)
    converged = time.time() - t0
    metrics = call(port, "GET", "/metrics")[1].decode()
    counts = {}
    for line in metrics.splitlines():
        if line.startswith("canopy_http_request_duration_seconds_count"):
            op = re.search(r'operation="([^"]*)"', line)
            counts[op.group(1) if op else line] = counts.get(op.group(1) if op else line, 0) + float(line.split()[-1])
    print(json.dumps({"registered_in_s": round(registered, 2), "parent_holds_all_after_s": round(converged, 2),
                      "parent_calls_by_operation": counts}, indent=1))
finally:
    for p in procs: p.terminate()
    for p in procs: p.wait()
