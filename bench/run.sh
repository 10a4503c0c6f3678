#!/usr/bin/env bash
# Canopy's benchmark against the ceiling of its own stack (docs/performance.md).
#
#   bench/run.sh
#
# Builds the jars when one is missing, installs wrk when it is missing (apt-get, as root), then:
#   startup       (7) time from launch to the first 200 on /health: baseline, parent, child as shipped and
#                 registering at once (median of 5)
#   lookup        (3) GET /api/v1/services/{id} at the parent (services loaded first) vs the no-op GET
#   ping          (2) PUT /services/{id}/$ping at a child (services registered first) vs a no-op PUT
#   child-lookup  (3) GET /services/{id} at a child (the same services) vs the no-op GET
#   lists         (4) pages of 100 at a parent holding 10,000 and 1,000,000 services (loaded in
#                 batches): filtered by orchestrator, unfiltered, and the hierarchy summary; latency
#                 with one connection (p50/p99/max) beside the no-op GET's, then throughput
#   heap          (6) live heap bytes per service after a full GC, 100,000 services, parent and child
#   register      (1) POST /services/$register at a child forwarding to a live parent vs the no-op POST
#   propagation   (5) registrations at a child at a constant rate; time until each is announced (and
#                 readable) at the parent (dev.canopy.bench.propagation.PropagationBench); every
#                 registration's times go to propagation-trace.csv
# Each throughput scenario warms both sides until throughput is steady, then alternates 3 rounds of
# baseline and subject. The server under test runs on core 0, wrk on core 1.
# Results: bench/target/results/<UTC time>/results.md (and .json, the rounds, the servers' logs).
#
# Environment (defaults in brackets): ROUNDS [3], ROUND_SECONDS [10], WARMUP_WINDOW [5],
# WARMUP_MAX_WINDOWS [120], WARMUP_JIT_SHARE [2 (%)], STARTUPS [5], LOOKUP_SERVICES [10000],
# CHILD_SERVICES [10000],
# LIST_SIZES [10000 1000000], LIST_ORCHESTRATORS [10], SUMMARY_PATH [/api/v1/hierarchy/summary],
# HEAP_SERVICES [100000], HEAP_WARMUP [5000], HEAP_SIDES [parent child], HEALTH_TIMEOUT [120],
# WRK_THREADS [2], WRK_CONNECTIONS [32],
# BENCH_JAVA_OPTS [-Xms1g -Xmx2g -XX:+UseSerialGC], LIST_JAVA_OPTS [-Xms4g -Xmx4g -XX:+UseSerialGC],
# PROPAGATION_RATE [500], PROPAGATION_WARMUP [180], PROPAGATION_SECONDS [60], PROPAGATION_JAVA_OPTS
# [-Xms256m -Xmx256m -XX:+UseSerialGC], PROPAGATION_JFR [0; 1 records the child and the parent with JFR
# over the measured window], BASE_PORT [9100], PARENT_PORT [9200], CHILD_PORT [9201], STARTUP_PORT
# [9202], SCENARIOS [startup lookup ping child-lookup lists heap register propagation].
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BENCH="$ROOT/bench"
# shellcheck source=jit.sh
source "$BENCH/jit.sh"
ROUNDS="${ROUNDS:-3}"
ROUND_SECONDS="${ROUND_SECONDS:-10}"
WARMUP_WINDOW="${WARMUP_WINDOW:-5}"
WARMUP_MAX_WINDOWS="${WARMUP_MAX_WINDOWS:-120}"
# The most of one core the JIT's compiler threads may take in a warm-up window that ends the warm-up.
WARMUP_JIT_SHARE="${WARMUP_JIT_SHARE:-2}"
STARTUPS="${STARTUPS:-5}"
LOOKUP_SERVICES="${LOOKUP_SERVICES:-10000}"
CHILD_SERVICES="${CHILD_SERVICES:-10000}"
LIST_SIZES="${LIST_SIZES:-10000 1000000}"
LIST_ORCHESTRATORS="${LIST_ORCHESTRATORS:-10}"
# Another endpoint can stand in while the summary is not there yet (e.g. /api/v1/orchestrators).
SUMMARY_PATH="${SUMMARY_PATH:-/api/v1/hierarchy/summary}"
HEAP_SERVICES="${HEAP_SERVICES:-100000}"
HEAP_WARMUP="${HEAP_WARMUP:-5000}"
HEAP_SIDES="${HEAP_SIDES:-parent child}"
# Seconds an app may take to its first healthy /health; a machine busy with other work needs more.
HEALTH_TIMEOUT="${HEALTH_TIMEOUT:-120}"
WRK_THREADS="${WRK_THREADS:-2}"
WRK_CONNECTIONS="${WRK_CONNECTIONS:-32}"
# The same options for every server, so no side gets a larger heap or another collector.
BENCH_JAVA_OPTS="${BENCH_JAVA_OPTS:--Xms1g -Xmx2g -XX:+UseSerialGC}"
# A parent holding 1,000,000 services needs a larger heap; the baseline gets the same while it is compared.
LIST_JAVA_OPTS="${LIST_JAVA_OPTS:--Xms4g -Xmx4g -XX:+UseSerialGC}"
RUN_JAVA_OPTS="$BENCH_JAVA_OPTS"
SCENARIOS="${SCENARIOS:-startup lookup ping child-lookup lists heap register propagation}"
PROPAGATION_RATE="${PROPAGATION_RATE:-500}"
# At 500/s the child's and the parent's compilers still take up to 40% of a core 100 s in, and under
# 1% after about 200 s: a shorter warm-up measures apps still compiling on the cores they serve from
# (docs/performance.md, "Propagation's tail").
PROPAGATION_WARMUP="${PROPAGATION_WARMUP:-180}"
PROPAGATION_SECONDS="${PROPAGATION_SECONDS:-60}"
# The load tool's own pauses would count as propagation time: a small heap, collected serially.
PROPAGATION_JAVA_OPTS="${PROPAGATION_JAVA_OPTS:--Xms256m -Xmx256m -XX:+UseSerialGC}"
PROPAGATION_JFR="${PROPAGATION_JFR:-0}"
# Other ports let a second run (or someone else's) share the machine.
BASE_PORT="${BASE_PORT:-9100}" PARENT_PORT="${PARENT_PORT:-9200}" CHILD_PORT="${CHILD_PORT:-9201}"
STARTUP_PORT="${STARTUP_PORT:-9202}"

OUT="$BENCH/target/results/$(date -u +%Y%m%dT%H%M%SZ)"
mkdir -p "$OUT/logs"
export BENCH_LUA_DIR="$BENCH/lua"

log() { printf 'bench: %s\n' "$*" | tee -a "$OUT/run.log" >&2; }

# --- What the benchmark needs -------------------------------------------------------------------
jars=("$ROOT/parent-app/target/parent-app.jar" "$ROOT/child-app/target/child-app.jar" "$BENCH/target/bench.jar")
for jar in "${jars[@]}"; do
  if [[ ! -f "$jar" ]]; then
    log "building the jars (one is missing: $jar)"
    (cd "$ROOT" && mvn -B -q -o package -pl parent-app,child-app,bench -am -DskipTests -Dtypescript.skip=true)
    break
  fi
done
if ! command -v wrk >/dev/null; then
  log "installing wrk"
  apt-get install -y wrk >/dev/null 2>&1 || { apt-get update >/dev/null && apt-get install -y wrk >/dev/null; }
fi
for port in $BASE_PORT $PARENT_PORT $CHILD_PORT $STARTUP_PORT; do
  if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
    log "port $port is taken; stop what listens there first"; exit 1
  fi
done

# The server under test on core 0, the load on core 1, where taskset can pin (a container may refuse).
if taskset -c 0 true 2>/dev/null && taskset -c 1 true 2>/dev/null; then
  SERVER_CPU=(taskset -c 0) LOAD_CPU=(taskset -c 1) PINNED="server on core 0, wrk, the parent and this script on core 1"
  # This script's own work too: the start-up scenario's /health poll forks a curl and a sleep every
  # 10 ms, about 0.7 of a core, which otherwise lands partly on the core being measured.
  taskset -pc 1 $$ >/dev/null
else
  SERVER_CPU=() LOAD_CPU=() PINNED="not pinned (taskset refused)"
fi

ADMIN_KEY="$(head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n')"
CHILD_KEY="$(head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n')"
SERVICE_KEY="$(head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n')"

# --- Processes: every one started here is stopped here, also on failure ----------------------------
declare -A PIDS=()
stop() { # name
  local pid="${PIDS[$1]:-}"
  [[ -n "$pid" ]] || return 0
  kill "$pid" 2>/dev/null || true
  for _ in $(seq 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  kill -9 "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
  unset "PIDS[$1]"
}
stop_all() { for name in "${!PIDS[@]}"; do stop "$name"; done; }
trap 'stop_all' EXIT
trap 'exit 130' INT TERM

# start <name> <cpu: server|load> <app> <log> [VAR=value...]: launch one app, its pid in PIDS[name].
start() {
  local name="$1" cpu="$2" app="$3" logfile="$4"; shift 4
  local jar="$ROOT/$app/target/$app.jar" config="$ROOT/$app/config.yml"
  local pin=("${SERVER_CPU[@]}")
  [[ "$cpu" == load ]] && pin=("${LOAD_CPU[@]}")
  # shellcheck disable=SC2086 # RUN_JAVA_OPTS is a list of options
  env "$@" "${pin[@]}" java $RUN_JAVA_OPTS -jar "$jar" server "$config" >"$logfile" 2>&1 &
  PIDS[$name]=$!
}
start_baseline() { start baseline "$1" bench "$2" PORT=$BASE_PORT; }
# Leases of an hour: no entry a benchmark made runs out (and is evicted, which is work of its own)
# while it runs. Limits raised: registration rounds create hundreds of thousands of services.
start_parent() { # <cpu> <log> [VAR=value...]
  start parent "$1" parent-app "$2" PORT=$PARENT_PORT CANOPY_ADMIN_KEYS="$ADMIN_KEY" \
    CANOPY_CHILD_KEYS="$CHILD_KEY" LEASE_TTL=1h CANOPY_MAX_SERVICES_PER_ORCHESTRATOR=10000000 "${@:3}"
}
start_child() { # <cpu> <log> [VAR=value...]
  start child "$1" child-app "$2" CHILD_PORT=$CHILD_PORT PARENT_ORCHESTRATOR_URL="http://localhost:$PARENT_PORT" \
    CANOPY_CHILD_KEY="$CHILD_KEY" CANOPY_SERVICE_KEYS="$SERVICE_KEY" CANOPY_ADMIN_KEYS="$ADMIN_KEY" \
    ORCHESTRATOR_REGION=bench REGISTRATION_DELAY=0s LEASE_TTL=1h CANOPY_MAX_SERVICES_PER_ORCHESTRATOR=10000000 "${@:3}"
}

# healthy <port> <timeout s>: wait for the first 200 on /health.
healthy() {
  local deadline=$((SECONDS + $2))
  until curl -sf -o /dev/null "http://localhost:$1/health"; do
    ((SECONDS < deadline)) || { log "no healthy /health on port $1 within $2 s"; return 1; }
    sleep 0.01
  done
}

# --- wrk ------------------------------------------------------------------------------------------
# wrk_run <seconds> <jsonl out> <url> <script> [script args...]
# WRK_T and WRK_C, set for one call, override WRK_THREADS and WRK_CONNECTIONS.
wrk_run() {
  local seconds="$1" out="$2" url="$3" script="$4"; shift 4
  BENCH_OUT="$out" "${LOAD_CPU[@]}" wrk -t"${WRK_T:-$WRK_THREADS}" -c"${WRK_C:-$WRK_CONNECTIONS}" -d"${seconds}s" --latency \
    -s "$BENCH/lua/$script" "$url" -- "$@" >>"$OUT/wrk.log" 2>&1
}

# server_pid <url>: the pid of the app started here that listens on the url's port, if any.
server_pid() {
  local port="${1##*:}"
  port="${port%%/*}"
  case "$port" in
    "$BASE_PORT") echo "${PIDS[baseline]:-}" ;;
    "$PARENT_PORT") echo "${PIDS[parent]:-}" ;;
    "$CHILD_PORT") echo "${PIDS[child]:-}" ;;
  esac
}

# warm <label> <url> <script> [args...]: 5 s windows until the JIT has compiled what the load needs:
# 3 windows in a row within 5% of their median req/s, and the compiler threads busy for at most
# WARMUP_JIT_SHARE of the last window. On one core the compiler gets a thread's share of it beside 32
# request threads, and a child needs minutes: its req/s still climbs while compiles are queued, and a
# steady rate alone once passed for warm while the compiler was still busy (docs/performance.md).
# WARMUP_MAX_WINDOWS windows at most.
warm() {
  local label="$1" url="$2"; shift 2
  local windows="$OUT/warmup-$label.jsonl" n=0 pid ticks before jit=0
  pid="$(server_pid "$url")"
  while ((n < WARMUP_MAX_WINDOWS)); do
    before="$( [[ -n "$pid" ]] && compiler_ticks "$pid" || echo 0)"
    wrk_run "$WARMUP_WINDOW" "$windows" "$url" "$@"
    ticks="$( [[ -n "$pid" ]] && compiler_ticks "$pid" || echo 0)"
    n=$((n + 1))
    # The compiler's share of one core over the window, in percent.
    jit=$(( (ticks - before) * 100 / (WARMUP_WINDOW * 100) ))
    log "warm-up $label window $n: $(python3 "$BENCH/bench.py" last-rps "$windows") req/s, JIT compiler ${jit}% of a core"
    if python3 "$BENCH/bench.py" steady "$windows" 3 0.05 && ((jit <= WARMUP_JIT_SHARE)); then
      log "warm-up $label steady after $n windows"; echo "warm-up $label: steady after $n windows" >>"$OUT/warmup.txt"
      return 0
    fi
  done
  log "warm-up $label not steady after $n windows; measuring anyway"
  echo "warm-up $label: NOT steady after $n windows (JIT compiler ${jit}% of a core in the last)" >>"$OUT/warmup.txt"
}

# The child answers a registration at once and forwards it in the background; before the next round
# its outbox must be empty, or the forwarding would run on core 0 during the baseline's round.
pending_forwards() {
  curl -sf "http://localhost:$CHILD_PORT/services/info/orchestrator" |
    python3 -c 'import json,sys; print(json.load(sys.stdin)["sync"]["pending_forwards"])'
}
drain() {
  local start=$SECONDS pending
  while pending="$(pending_forwards)" && ((pending > 0)); do
    if ((SECONDS - start >= 300)); then
      # A finding, not a failure of the script: the table says so, and the next rounds still run.
      log "child outbox still holds $pending after 300 s"
      echo "Child outbox NOT drained: $pending forwards still pending after 300 s" >>"$OUT/notes.txt"
      echo "300+" >>"$OUT/drain-seconds.txt"
      return 0
    fi
    sleep 0.2
  done
  log "child outbox empty after $((SECONDS - start)) s"
  echo "$((SECONDS - start))" >>"$OUT/drain-seconds.txt"
}

SPECS=() LATENCY=() HEAPS=()
wanted() { [[ " $SCENARIOS " == *" $1 "* ]]; }
machine() { log "$1: $(uptime)"; echo "$1: $(uptime)" >>"$OUT/load.txt"; }

log "results in $OUT; $PINNED; $(nproc) cores; java: $(java -version 2>&1 | head -1)"
machine "load before"

# --- (7) start-up -----------------------------------------------------------------------------------
if [[ " $SCENARIOS " == *" startup "* ]]; then
  # A child's health reports its link to the parent, so a live parent runs beside it (on core 1).
  start_parent load "$OUT/logs/startup-parent-peer.log"
  healthy $PARENT_PORT $HEALTH_TIMEOUT
  for i in $(seq "$STARTUPS"); do
    # The child twice: as shipped, its first call to the parent 2 s after it serves (config.yml's
    # REGISTRATION_DELAY), and registering at once, as the other scenarios start it, when that call
    # (the HTTP client's first use) shares core 0 with the first /health.
    for app in baseline parent child child-registration-delay-0s; do
      t0=$(date +%s%N)
      case $app in
        baseline) start_baseline server "$OUT/logs/startup-baseline-$i.log"; port=$BASE_PORT ;;
        parent) start parent-startup server parent-app "$OUT/logs/startup-parent-$i.log" PORT=$STARTUP_PORT \
                  CANOPY_ADMIN_KEYS="$ADMIN_KEY" CANOPY_CHILD_KEYS="$CHILD_KEY"; port=$STARTUP_PORT ;;
        child) start_child server "$OUT/logs/startup-child-$i.log" REGISTRATION_DELAY=2s; port=$CHILD_PORT ;;
        child-*) start_child server "$OUT/logs/startup-$app-$i.log" REGISTRATION_DELAY=0s; port=$CHILD_PORT ;;
      esac
      healthy $port $HEALTH_TIMEOUT
      ms=$((($(date +%s%N) - t0) / 1000000))
      printf '%s %s\n' "$app" "$ms" >>"$OUT/startup.tsv"
      log "start-up $app #$i: $ms ms"
      case $app in baseline) stop baseline ;; parent) stop parent-startup ;; child*) stop child ;; esac
    done
  done
  stop parent
fi

# --- Servers for the throughput scenarios --------------------------------------------------------------
if wanted lookup || wanted ping || wanted child-lookup || wanted register; then
  start_baseline server "$OUT/logs/baseline.log"
  healthy $BASE_PORT $HEALTH_TIMEOUT
fi

# rounds <id> <baseline url> <subject url> <script> <baseline args> <subject args> [after-subject cmd]
# Args are one string each, split on spaces.
rounds() {
  local id="$1" burl="$2" surl="$3" script="$4" bargs="$5" sargs="$6" after="${7:-}"
  for r in $(seq "$ROUNDS"); do
    # shellcheck disable=SC2086 # the args strings are lists
    wrk_run "$ROUND_SECONDS" "$OUT/$id-baseline.jsonl" "$burl" "$script" ${bargs//@R@/b$r}
    log "$id round $r baseline: $(python3 "$BENCH/bench.py" last-rps "$OUT/$id-baseline.jsonl") req/s"
    # shellcheck disable=SC2086
    wrk_run "$ROUND_SECONDS" "$OUT/$id-subject.jsonl" "$surl" "$script" ${sargs//@R@/s$r}
    log "$id round $r subject: $(python3 "$BENCH/bench.py" last-rps "$OUT/$id-subject.jsonl") req/s"
    [[ -z "$after" ]] || $after
  done
}

# --- (3) lookup by id at the parent ----------------------------------------------------------------------
if [[ " $SCENARIOS " == *" lookup "* ]]; then
  start_parent server "$OUT/logs/lookup-parent.log"
  healthy $PARENT_PORT $HEALTH_TIMEOUT
  log "loading $LOOKUP_SERVICES services at the parent"
  BENCH_CHILD_KEY="$CHILD_KEY" python3 "$BENCH/bench.py" load-parent $PARENT_PORT "$LOOKUP_SERVICES" "$OUT/ids.txt"
  warm lookup-baseline "http://localhost:$BASE_PORT" lookup.lua /noop/ "$OUT/ids.txt"
  warm lookup-subject "http://localhost:$PARENT_PORT" lookup.lua /api/v1/services/ "$OUT/ids.txt"
  rounds lookup "http://localhost:$BASE_PORT" "http://localhost:$PARENT_PORT" lookup.lua \
    "/noop/ $OUT/ids.txt" "/api/v1/services/ $OUT/ids.txt"
  stop parent
  SPECS+=('{"id":"lookup","title":"(3) lookup by id at the parent vs no-op GET","subject":"parent","baseline":"no-op GET","target":0.9}')
fi

# linked_child <log of the parent> <log of the child> [VAR=value...]: a parent on core 1 (it stands
# for another machine), a child on core 0 with those settings, and the child registered with it.
linked_child() {
  start_parent load "$1"
  healthy $PARENT_PORT $HEALTH_TIMEOUT
  start_child server "$2" "${@:3}"
  healthy $CHILD_PORT $HEALTH_TIMEOUT
  for _ in $(seq 600); do
    curl -sf "http://localhost:$CHILD_PORT/services/info/orchestrator" | grep -q '"last_sync_at":"' && return 0
    sleep 0.2
  done
  log "the child did not sync with its parent within 120 s"; return 1
}

# latency_rounds <id> <subject url> <subject path> [ids file]: service time with ONE connection (wrk
# -t1 -c1, so no request waits behind another), alternating the no-op GET (the same ids) and the page,
# then one round of the page with all connections for throughput.
latency_rounds() {
  local id="$1" surl="$2" spath="$3" ids="${4:-}" noop_ids="${4:-$OUT/list-noop.ids}"
  for r in $(seq "$ROUNDS"); do
    WRK_T=1 WRK_C=1 wrk_run "$ROUND_SECONDS" "$OUT/$id-c1-baseline.jsonl" "http://localhost:$BASE_PORT" \
      lookup.lua /noop/ "$noop_ids"
    # shellcheck disable=SC2086 # no ids: no argument
    WRK_T=1 WRK_C=1 wrk_run "$ROUND_SECONDS" "$OUT/$id-c1-subject.jsonl" "$surl" page.lua "$spath" $ids
    log "$id round $r: $(python3 "$BENCH/bench.py" last-latency "$OUT/$id-c1-subject.jsonl") (one connection)"
  done
  # shellcheck disable=SC2086
  wrk_run "$ROUND_SECONDS" "$OUT/$id-c32-subject.jsonl" "$surl" page.lua "$spath" $ids
  log "$id with $WRK_CONNECTIONS connections: $(python3 "$BENCH/bench.py" last-rps "$OUT/$id-c32-subject.jsonl") req/s"
}

# --- (2) heartbeat renewal and (3) lookup by id at a child ------------------------------------------
if wanted ping || wanted child-lookup; then
  linked_child "$OUT/logs/child-peer-parent.log" "$OUT/logs/child-subject.log"
  export BENCH_KEY="$SERVICE_KEY"
  log "registering $CHILD_SERVICES services at the child"
  python3 "$BENCH/bench.py" register-child $CHILD_PORT "$CHILD_SERVICES" "$OUT/child-ids.txt" | tee -a "$OUT/notes.txt"
  # Their forwarding must be over before anything is measured on core 0.
  drain
  if wanted ping; then
    warm ping-baseline "http://localhost:$BASE_PORT" ping.lua /noop/ '/$ping' "$OUT/child-ids.txt"
    warm ping-subject "http://localhost:$CHILD_PORT" ping.lua /services/ '/$ping' "$OUT/child-ids.txt"
    rounds ping "http://localhost:$BASE_PORT" "http://localhost:$CHILD_PORT" ping.lua \
      "/noop/ /\$ping $OUT/child-ids.txt" "/services/ /\$ping $OUT/child-ids.txt"
    SPECS+=('{"id":"ping","title":"(2) heartbeat renewal at a child vs no-op PUT","subject":"child","baseline":"no-op PUT","target":null}')
  fi
  if wanted child-lookup; then
    warm child-lookup-baseline "http://localhost:$BASE_PORT" lookup.lua /noop/ "$OUT/child-ids.txt"
    warm child-lookup-subject "http://localhost:$CHILD_PORT" lookup.lua /services/ "$OUT/child-ids.txt"
    rounds child-lookup "http://localhost:$BASE_PORT" "http://localhost:$CHILD_PORT" lookup.lua \
      "/noop/ $OUT/child-ids.txt" "/services/ $OUT/child-ids.txt"
    SPECS+=('{"id":"child-lookup","title":"(3) lookup by id at a child vs no-op GET","subject":"child","baseline":"no-op GET","target":0.9}')
  fi
  stop child
  stop parent
fi

# --- (4) list pages and the hierarchy summary at a parent with 10,000 and 1,000,000 services ---------
if wanted lists; then
  # The same JVM options on both sides: the baseline comes back with the parent's larger heap.
  stop baseline
  RUN_JAVA_OPTS="$LIST_JAVA_OPTS"
  start_baseline server "$OUT/logs/list-baseline.log"
  healthy $BASE_PORT $HEALTH_TIMEOUT
  python3 "$BENCH/bench.py" ulids 1000 >"$OUT/list-noop.ids"
  warm list-noop "http://localhost:$BASE_PORT" lookup.lua /noop/ "$OUT/list-noop.ids"
  for size in $LIST_SIZES; do
    start_parent server "$OUT/logs/list-parent-$size.log"
    healthy $PARENT_PORT $HEALTH_TIMEOUT
    log "loading $size services under $LIST_ORCHESTRATORS orchestrators at the parent"
    BENCH_CHILD_KEY="$CHILD_KEY" python3 "$BENCH/bench.py" load-parent-batch $PARENT_PORT "$size" \
      "$LIST_ORCHESTRATORS" "$OUT/list-$size" | sed "s/^/lists: /" | tee -a "$OUT/notes.txt"
    orchestrator="$(head -1 "$OUT/list-$size.orchestrators")"
    declare -A paths=(
      [filtered]="/api/v1/services?orchestrator_id=$orchestrator&limit=100"
      [unfiltered]="/api/v1/services?limit=100"
      [summary]="$SUMMARY_PATH")
    declare -A ids=([filtered]="$OUT/list-$size.ids-0" [unfiltered]="$OUT/list-$size.ids" [summary]="")
    declare -A titles=(
      [filtered]="(4a) page of 100 of one orchestrator's services, $size services"
      [unfiltered]="(4b) page of 100 of all services, $size services"
      [summary]="(4c) hierarchy summary ($SUMMARY_PATH), $size services, $LIST_ORCHESTRATORS orchestrators")
    for query in filtered unfiltered summary; do
      status="$(curl -s -o /dev/null -w '%{http_code}' "http://localhost:$PARENT_PORT${paths[$query]}")"
      if [[ "$status" != 200 ]]; then
        log "${paths[$query]} answered $status: not measured"
        echo "lists: ${paths[$query]} answered $status at the parent; not measured" >>"$OUT/notes.txt"
        continue
      fi
      id="list-$size-$query"
      # shellcheck disable=SC2086 # no ids: no argument
      warm "$id" "http://localhost:$PARENT_PORT" page.lua "${paths[$query]}" ${ids[$query]}
      latency_rounds "$id" "http://localhost:$PARENT_PORT" "${paths[$query]}" "${ids[$query]}"
      target=null
      [[ "$query" != summary && "$size" -ge 1000000 ]] && target=10
      LATENCY+=("{\"id\":\"$id\",\"title\":\"${titles[$query]}\",\"target_p99_ms\":$target}")
    done
    stop parent
  done
  stop baseline
  RUN_JAVA_OPTS="$BENCH_JAVA_OPTS"
  if wanted register; then
    start_baseline server "$OUT/logs/baseline-after-lists.log"
    healthy $BASE_PORT $HEALTH_TIMEOUT
  fi
fi

# --- (6) heap bytes per registered service ------------------------------------------------------------
# Live bytes after full collections with HEAP_SERVICES more services, minus the same in the same process
# before them, after a warm-up that ran the same code: HEAP_WARMUP services added and removed again.
# The change journal keeps one event here (CANOPY_EVENT_HISTORY=1): its cost is bounded by its
# history, not by the services, and a full one would hold the warm-up's removed services before and
# share the live ones' strings after, which skews the difference.
heap_of() { python3 "$BENCH/bench.py" heap "${PIDS[$1]}" "$2"; }
if wanted heap && [[ " $HEAP_SIDES " == *" parent "* ]]; then
  # At the parent, loaded as children forward: batches of 500.
  start_parent server "$OUT/logs/heap-parent.log" CANOPY_EVENT_HISTORY=1
  healthy $PARENT_PORT $HEALTH_TIMEOUT
  export BENCH_CHILD_KEY="$CHILD_KEY"
  python3 "$BENCH/bench.py" load-parent-batch $PARENT_PORT "$HEAP_WARMUP" "$LIST_ORCHESTRATORS" "$OUT/heap-warmup" >/dev/null
  python3 "$BENCH/bench.py" remove-parent-batch $PARENT_PORT "$OUT/heap-warmup" "$LIST_ORCHESTRATORS"
  before="$(heap_of parent "$OUT/heap-parent-before.txt")"
  python3 "$BENCH/bench.py" load-parent-batch $PARENT_PORT "$HEAP_SERVICES" "$LIST_ORCHESTRATORS" \
    "$OUT/heap-parent" "$HEAP_WARMUP" | sed "s/^/heap: parent /" | tee -a "$OUT/notes.txt"
  after="$(heap_of parent "$OUT/heap-parent-after.txt")"
  python3 "$BENCH/bench.py" heap-record "$OUT/heap-parent.json" parent "$HEAP_SERVICES" "$before" "$after" "$HEAP_WARMUP"
  HEAPS+=('"parent"')
  stop parent
fi
if wanted heap && [[ " $HEAP_SIDES " == *" child "* ]]; then
  # At a child, registered one by one as services do, and forwarded to its parent before each count.
  # No periodic complete set meanwhile: on a busy machine one of 100,000 services outlasts the child's
  # 5 s client timeout, is resent forever and holds up the outbox (docs/performance.md), and ids left
  # in the outbox would be counted as the services' bytes.
  linked_child "$OUT/logs/heap-child-parent.log" "$OUT/logs/heap-child.log" RECONCILE_INTERVAL=24h \
    CANOPY_EVENT_HISTORY=1
  export BENCH_KEY="$SERVICE_KEY"
  python3 "$BENCH/bench.py" register-child $CHILD_PORT "$HEAP_WARMUP" "$OUT/heap-child-warmup.ids" >/dev/null
  python3 "$BENCH/bench.py" deregister-child $CHILD_PORT "$OUT/heap-child-warmup.ids"
  drain
  before="$(heap_of child "$OUT/heap-child-before.txt")"
  python3 "$BENCH/bench.py" register-child $CHILD_PORT "$HEAP_SERVICES" "$OUT/heap-child.ids" "$HEAP_WARMUP" |
    sed "s/^/heap: /" | tee -a "$OUT/notes.txt"
  drain
  pending="$(pending_forwards)"
  ((pending == 0)) || echo "heap: the child's outbox still held $pending ids when its heap was counted" >>"$OUT/notes.txt"
  after="$(heap_of child "$OUT/heap-child-after.txt")"
  python3 "$BENCH/bench.py" heap-record "$OUT/heap-child.json" child "$HEAP_SERVICES" "$before" "$after" "$HEAP_WARMUP"
  HEAPS+=('"child"')
  stop child
  stop parent
fi

# --- (1) registration at a child, forwarded to a live parent -----------------------------------------
if [[ " $SCENARIOS " == *" register "* ]]; then
  # The parent stands for another machine: it runs beside wrk on core 1, not on the child's core.
  start_parent load "$OUT/logs/register-parent.log"
  healthy $PARENT_PORT $HEALTH_TIMEOUT
  start_child server "$OUT/logs/register-child.log"
  healthy $CHILD_PORT $HEALTH_TIMEOUT
  for _ in $(seq 600); do
    curl -sf "http://localhost:$CHILD_PORT/services/info/orchestrator" | grep -q '"last_sync_at":"' && break
    sleep 0.2
  done
  export BENCH_KEY="$SERVICE_KEY"
  # Every warm-up window sends the same label, so after the first its urls are mostly updates: the JIT
  # learns both paths and the child stays near 150,000 services instead of a million (its default
  # limit is 10,000). Each round's label is new, so the rounds measure creations.
  warm register-baseline "http://localhost:$BASE_PORT" register.lua /noop wb
  warm register-subject "http://localhost:$CHILD_PORT" register.lua '/services/$register' ws
  drain
  rounds register "http://localhost:$BASE_PORT" "http://localhost:$CHILD_PORT" register.lua \
    "/noop @R@" "/services/\$register @R@" drain
  curl -sf "http://localhost:$PARENT_PORT/api/v1/orchestrators" | python3 -c '
import json, sys
o = json.load(sys.stdin)
items = o.get("orchestrators", o) if isinstance(o, dict) else o
print("services at the parent after the registration rounds: " + ", ".join(str(x.get("service_count", x.get("services"))) for x in items))' \
    >>"$OUT/notes.txt" || true
  stop child
  stop parent
  SPECS+=('{"id":"register","title":"(1) registration at a child (forwarded to a live parent) vs no-op POST","subject":"child","baseline":"no-op POST","target":0.8}')
fi

# --- (5) propagation child -> parent at a constant rate ------------------------------------------------
if [[ " $SCENARIOS " == *" propagation "* ]]; then
  # The scenarios before it leave up to a gigabyte of server logs to write back; writing them during
  # the measured minute once made the child fall behind for 80 s (docs/performance.md, fourth run).
  synced_at=$SECONDS
  sync
  log "propagation: the disk settled (sync) in $((SECONDS - synced_at)) s"
  # As in (1): the child on core 0, the parent (another machine) on core 1, and the load tool beside it.
  start_parent load "$OUT/logs/propagation-parent.log"
  healthy $PARENT_PORT $HEALTH_TIMEOUT
  start_child server "$OUT/logs/propagation-child.log"
  healthy $CHILD_PORT $HEALTH_TIMEOUT
  # Linked and its first complete set acknowledged: from here on every registration is a forward.
  for _ in $(seq 600); do
    curl -sf "http://localhost:$CHILD_PORT/services/info/orchestrator" | grep -q '"last_sync_at":"' && break
    sleep 0.2
  done
  log "propagation: $PROPAGATION_RATE registrations/s, $PROPAGATION_WARMUP s warm-up, $PROPAGATION_SECONDS s measured"
  machine "load before propagation"
  if [[ "$PROPAGATION_JFR" == 1 ]]; then
    # Both sides recorded over the measured window only (the warm-up's JIT work stays out).
    for side in child parent; do
      jcmd "${PIDS[$side]}" JFR.start name=propagation settings=profile delay="${PROPAGATION_WARMUP}s" \
        duration="${PROPAGATION_SECONDS}s" filename="$OUT/propagation-$side.jfr" >>"$OUT/propagation.log" 2>&1 ||
        log "propagation: JFR could not start on the $side"
    done
  fi
  # shellcheck disable=SC2086 # PROPAGATION_JAVA_OPTS is a list of options
  if ! BENCH_KEY="$SERVICE_KEY" "${LOAD_CPU[@]}" java $PROPAGATION_JAVA_OPTS -cp "$BENCH/target/bench.jar" \
      dev.canopy.bench.propagation.PropagationBench --child="http://localhost:$CHILD_PORT" \
      --parent="http://localhost:$PARENT_PORT" --rate="$PROPAGATION_RATE" --warmup="$PROPAGATION_WARMUP" \
      --duration="$PROPAGATION_SECONDS" --out="$OUT/propagation.jsonl" --trace="$OUT/propagation-trace.csv" >/dev/null 2>>"$OUT/propagation.log"; then
    log "propagation: the load tool failed (see $OUT/propagation.log)"
    echo "Propagation: the load tool failed; see propagation.log" >>"$OUT/notes.txt"
  fi
  machine "load after propagation"
  stop child
  stop parent
fi

stop_all
machine "load after"
{
  echo "Pinning: $PINNED. wrk -t$WRK_THREADS -c$WRK_CONNECTIONS, rounds of $ROUND_SECONDS s, $ROUNDS each, alternating baseline and subject."
  cat "$OUT/warmup.txt" 2>/dev/null || true
  [[ -f "$OUT/drain-seconds.txt" ]] && echo "Child outbox drain after each registration round (s): $(tr '\n' ' ' <"$OUT/drain-seconds.txt")"
  cat "$OUT/load.txt"
} >>"$OUT/notes.txt"
(IFS=,; echo "{\"throughput\":[${SPECS[*]}],\"latency\":[${LATENCY[*]:-}],\"heap\":[${HEAPS[*]:-}]}") >"$OUT/scenarios.json"
python3 "$BENCH/bench.py" report "$OUT"
log "results: $OUT/results.md"
