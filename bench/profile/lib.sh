# Shared by ab.sh: start and stop the apps, wrk. Ports PORT_BASE to PORT_BASE+7 (PORT_BASE [9700]). Server on core 0, load (and a
# child's parent) on core 1. A_DIR and B_DIR each hold parent-app.jar, child-app.jar, bench.jar and
# their configs (parent-config.yml, child-config.yml, bench-config.yml).
set -euo pipefail
WT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
HERE="$WT/bench/profile"
PORT_BASE=${PORT_BASE:-9700}
LUA=$WT/bench/lua
# shellcheck source=../jit.sh
source "$WT/bench/jit.sh"
export BENCH_LUA_DIR=$LUA
JOPTS="${JOPTS:--Xms1g -Xmx2g -XX:+UseSerialGC} ${EXTRA_JOPTS:-}"
ADMIN_KEY=aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa
CHILD_KEY=cccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccc
SERVICE_KEY=ssssssssssssssssssssssssssssssssssssssssssssssssssssssssssssssss
declare -A PIDS=()
jardir() { if [[ $1 == A ]]; then echo "${A_DIR:?A_DIR: the jars to compare against}"; else echo "${B_DIR:?B_DIR: the jars under test}"; fi; }
startj() { # name cpu jar config log [VAR=...]
  local name=$1 cpu=$2 jar=$3 config=$4 log=$5; shift 5
  env "$@" taskset -c "$cpu" java $JOPTS -jar "$jar" server "$config" >"$log" 2>&1 &
  PIDS[$name]=$!
}
stopj() { local pid="${PIDS[$1]:-}"; [[ -n $pid ]] || return 0; kill "$pid" 2>/dev/null || true
  for _ in $(seq 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done; kill -9 "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true; unset "PIDS[$1]"; }
stopall() { for n in "${!PIDS[@]}"; do stopj "$n"; done; }
trap stopall EXIT
healthy() { local deadline=$((SECONDS + $2)); until curl -sf -o /dev/null "http://localhost:$1/health"; do
  ((SECONDS < deadline)) || { echo "no health on $1"; return 1; }; sleep 0.01; done; }
wrkr() { # seconds out url script args...
  local s=$1 out=$2 url=$3 script=$4; shift 4
  BENCH_OUT="$out" taskset -c 1 wrk -t2 -c32 -d${s}s --latency -s "$LUA/$script" "$url" -- "$@" >/dev/null 2>&1
}
lastrps() { python3 -c 'import json,sys; print(round(json.loads(open(sys.argv[1]).read().splitlines()[-1])["rps"]))' "$1"; }
start_baseline() { local d; d=$(jardir $1); startj base-$1 0 $d/bench.jar $d/bench-config.yml "$2" PORT=$3; }
start_parent() { # AB cpu log port
  local d; d=$(jardir $1); startj parent-$1 $2 $d/parent-app.jar $d/parent-config.yml "$3" PORT=$4 \
    CANOPY_ADMIN_KEYS=$ADMIN_KEY CANOPY_CHILD_KEYS=$CHILD_KEY LEASE_TTL=1h CANOPY_MAX_SERVICES_PER_ORCHESTRATOR=10000000; }
start_child() { # AB cpu log port parentport
  local d; d=$(jardir $1); startj child-$1 $2 $d/child-app.jar $d/child-config.yml "$3" CHILD_PORT=$4 \
    PARENT_ORCHESTRATOR_URL=http://localhost:$5 CANOPY_CHILD_KEY=$CHILD_KEY CANOPY_SERVICE_KEYS=$SERVICE_KEY \
    CANOPY_ADMIN_KEYS=$ADMIN_KEY ORCHESTRATOR_REGION=bench REGISTRATION_DELAY=0s LEASE_TTL=1h \
    CANOPY_MAX_SERVICES_PER_ORCHESTRATOR=10000000; }
