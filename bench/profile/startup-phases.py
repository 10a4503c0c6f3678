#!/usr/bin/env python3
"""Where an app's start-up goes: launch, first log line, bundles and run done, serving, first 200.

usage: bench/profile/startup-phases.py <rounds> <spec>...
  spec: <app>[@<jar dir>][:VAR=value,VAR=value]   app: bench (the no-op baseline), parent-app, child-app
  e.g.  startup-phases.py 6 bench parent-app@/tmp/old parent-app child-app child-app:REGISTRATION_DELAY=0s

Each round starts every spec in turn, pinned to core 0 as bench/run.sh does (BENCH_JAVA_OPTS, default
-Xms1g -Xmx2g -XX:+UseSerialGC), polls /health every 10 ms from this process (on core 1), and reads
the app's own log for the times of its first line ("first": configuration read, logging set up),
"Starting <app>" ("starting": bundles and run done), Jetty's "Started oejs.Server" ("serving") and its
first access-log line for /health ("health"). "wall" is launch to the first 200 as the poller saw it.
A child gets a parent on core 1 (PEER_PORT, default 9290), started here. Without "@<jar dir>" the jar
is the one under <app>/target (bench/target/bench.jar for the baseline). Prints one line per start-up
and the medians, and writes the lines to OUT (default startup-phases.txt).
"""
import datetime
import json
import os
import secrets
import statistics
import subprocess
import sys
import time
import urllib.request

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), '..', '..'))
JAVA_OPTS = os.environ.get('BENCH_JAVA_OPTS', '-Xms1g -Xmx2g -XX:+UseSerialGC').split()
PEER_PORT = int(os.environ.get('PEER_PORT', '9290'))
PORTS = {'bench': 9291, 'parent-app': 9292, 'child-app': 9293}
KEY = secrets.token_hex(32)
KEYS = {'CANOPY_ADMIN_KEYS': KEY, 'CANOPY_CHILD_KEYS': KEY, 'CANOPY_SERVICE_KEYS': KEY, 'CANOPY_CHILD_KEY': KEY}
MARKS = ('first', 'starting', 'serving', 'health', 'wall')


def jar_of(app, jar_dir):
    if jar_dir:
        return os.path.join(jar_dir, app + '.jar')
    return os.path.join(ROOT, 'bench/target/bench.jar' if app == 'bench' else f'{app}/target/{app}.jar')


def launch(app, jar_dir, env, cpu, log):
    config = os.path.join(ROOT, app, 'config.yml')
    full = dict(os.environ, **KEYS, **env)
    return subprocess.Popen(['taskset', '-c', cpu, 'java', *JAVA_OPTS, '-jar', jar_of(app, jar_dir), 'server', config],
                            env=full, stdout=open(log, 'w'), stderr=subprocess.STDOUT)


def await_health(process, port, log, timeout=120):
    deadline = time.time() + timeout
    while time.time() < deadline:
        if process.poll() is not None:
            sys.exit(f'the app stopped before it answered; see {log}')
        try:
            with urllib.request.urlopen(f'http://localhost:{port}/health', timeout=5) as answer:
                if answer.status == 200:
                    return time.time()
        except OSError:
            pass
        time.sleep(0.01)
    sys.exit(f'no 200 on /health within {timeout} s; see {log}')


def seconds_of(timestamp):
    moment = datetime.datetime.strptime(timestamp[:23], '%Y-%m-%dT%H:%M:%S.%f')
    return moment.replace(tzinfo=datetime.timezone.utc).timestamp()


def start_up(app, jar_dir, env, log):
    port = PORTS[app]
    env = dict({'PORT': str(port), 'CHILD_PORT': str(port), 'ORCHESTRATOR_REGION': 'bench',
                'PARENT_ORCHESTRATOR_URL': f'http://localhost:{PEER_PORT}'}, **env)
    t0 = time.time()
    process = launch(app, jar_dir, env, '0', log)
    healthy = await_health(process, port, log)
    time.sleep(0.3)
    process.terminate()
    process.wait()
    marks = {}
    for line in open(log):
        if not line.startswith('{'):
            continue
        event = json.loads(line)
        at = seconds_of(event['timestamp']) - t0
        message = event.get('message', '')
        marks.setdefault('first', at)
        if message.startswith('Starting '):
            marks.setdefault('starting', at)
        if message.startswith('Started oejs.Server'):
            marks.setdefault('serving', at)
        if event.get('uri') == '/health':
            marks.setdefault('health', at)
    marks['wall'] = healthy - t0
    return marks


def parse(spec):
    head, _, assignments = spec.partition(':')
    app, _, jar_dir = head.partition('@')
    env = dict(pair.split('=', 1) for pair in assignments.split(',') if pair)
    return app, jar_dir or None, env


def main():
    if len(sys.argv) < 3:
        sys.exit(__doc__)
    rounds, specs = int(sys.argv[1]), sys.argv[2:]
    try:
        os.sched_setaffinity(0, {1})  # the poller off the app's core
    except OSError:
        pass
    out = open(os.environ.get('OUT', 'startup-phases.txt'), 'w')
    peer = None
    if any(parse(spec)[0] == 'child-app' for spec in specs):
        peer = launch('parent-app', None, {'PORT': str(PEER_PORT)}, '1', '/tmp/startup-phases-peer.log')
        await_health(peer, PEER_PORT, '/tmp/startup-phases-peer.log')
    results = {spec: [] for spec in specs}
    try:
        for _ in range(rounds):
            for spec in specs:
                app, jar_dir, env = parse(spec)
                marks = start_up(app, jar_dir, env, f'/tmp/startup-phases-{app}.log')
                results[spec].append(marks)
                line = spec + ' ' + ' '.join(f'{k}={marks[k]:.3f}' for k in MARKS if k in marks)
                print(line, flush=True)
                out.write(line + '\n')
    finally:
        if peer:
            peer.terminate()
            peer.wait()
    print('medians (s from launch):')
    for spec, runs in results.items():
        print(spec, ' '.join(f'{k}={statistics.median(r[k] for r in runs if k in r):.3f}' for k in MARKS))


if __name__ == '__main__':
    main()
