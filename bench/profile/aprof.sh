#!/usr/bin/env bash
# aprof.sh <outdir>: a warm lookup at the parent (B_DIR's jars, 10,000 services) and the no-op GET,
# each profiled with async-profiler for 30 s, plus 3 alternating rounds of req/s and CPU per request.
# SUBJECT=child: the lookup at a child instead (on core 0, its parent on core 1, as bench/run.sh does);
# SUBJECT=register: a registration at a child, forwarded (as child), against the no-op POST; each of
# the child's runs counts its CPU until its outbox is empty again, so forwarding is in its figure.
# The recordings and runs.jsonl still name the subject's side "parent", so apdiff.py reads any of them.
# Read the recordings with apdiff.py. async-profiler comes from Maven Central (tools.profiler:async-profiler);
# it samples with itimer (the kernel's tick, 4 ms here), as perf events and attaching at run time were
# refused on this machine, and writes a collapsed-stack file every 30 s (ap-<pid>-<time>.collapsed).
OUTD=$1; mkdir -p "$OUTD"
AP_VERSION=${AP_VERSION:-3.0}
AP_DIR=${AP_DIR:-$HOME/.cache/canopy/async-profiler-$AP_VERSION}
if [[ ! -f $AP_DIR/linux-x64/libasyncProfiler.so ]]; then
  mvn -B -q dependency:get -Dartifact=tools.profiler:async-profiler:$AP_VERSION >/dev/null
  mkdir -p "$AP_DIR" && (cd "$AP_DIR" && unzip -o -q "$HOME/.m2/repository/tools/profiler/async-profiler/$AP_VERSION/async-profiler-$AP_VERSION.jar" 'linux-x64/*')
fi
# AP_EVENT="event=alloc,total": where the heap is allocated instead, in bytes (apdiff.py's scaling to CPU
# time then means nothing; divide a frame's bytes by the requests of the 30 s instead).
AP_EVENT=${AP_EVENT:-event=itimer,interval=1ms}
export EXTRA_JOPTS="-agentpath:$AP_DIR/linux-x64/libasyncProfiler.so=start,$AP_EVENT,loop=30s,file=$OUTD/ap-%p-%t.collapsed ${EXTRA_JOPTS:-}"
export A_DIR=${A_DIR:-$B_DIR}
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
ticks() { awk '{print $14 + $15}' /proc/$1/stat; }
start_baseline A "$OUTD/baseline.log" $((PORT_BASE + 0))
SCRIPT=lookup.lua
if [[ ${SUBJECT:-parent} == child || ${SUBJECT:-parent} == register ]]; then
  start_parent B 1 "$OUTD/child-parent.log" $((PORT_BASE + 2))
  healthy $((PORT_BASE + 2)) 240
  start_child B 0 "$OUTD/parent.log" $((PORT_BASE + 1)) $((PORT_BASE + 2))
  healthy $((PORT_BASE + 0)) 240; healthy $((PORT_BASE + 1)) 240
  for _ in $(seq 600); do
    curl -sf http://localhost:$((PORT_BASE + 1))/services/info/orchestrator | grep -q '"last_sync_at":"' && break; sleep 0.2
  done
  BENCH_KEY=$SERVICE_KEY python3 "$WT/bench/bench.py" register-child $((PORT_BASE + 1)) 10000 "$OUTD/ids.txt"
  declare -A PID=([base]=${PIDS[base-A]} [parent]=${PIDS[child-B]})
  declare -A PFX=([base]=/noop/ [parent]=/services/)
  if [[ $SUBJECT == register ]]; then
    SCRIPT=register.lua
    PFX=([base]=/noop [parent]=/services/\$register)
    export BENCH_KEY=$SERVICE_KEY
  fi
else
  start_parent B 0 "$OUTD/parent.log" $((PORT_BASE + 1))
  healthy $((PORT_BASE + 0)) 240; healthy $((PORT_BASE + 1)) 240
  BENCH_CHILD_KEY=$CHILD_KEY python3 "$WT/bench/bench.py" load-parent $((PORT_BASE + 1)) 10000 "$OUTD/ids.txt"
  declare -A PID=([base]=${PIDS[base-A]} [parent]=${PIDS[parent-B]})
  declare -A PFX=([base]=/noop/ [parent]=/api/v1/services/)
fi
declare -A URL=([base]=http://localhost:$PORT_BASE [parent]=http://localhost:$((PORT_BASE + 1)))
pending() { curl -sf "${URL[parent]}/services/info/orchestrator" | python3 -c 'import json,sys; print(json.load(sys.stdin)["sync"]["pending_forwards"])'; }
one() { # side seconds label: one wrk run, one JSON line (req/s, CPU per request) in runs.jsonl
  local t0 t1 p tmp=$OUTD/.last.jsonl; rm -f "$tmp"; t0=$(ticks ${PID[$1]})
  if [[ $SCRIPT == register.lua ]]; then
    # Every measured run has a label of its own, so each of its requests creates a service; the warm-up
    # windows share one, so after the first most of theirs update (as bench/run.sh warms).
    wrkr "$2" "$tmp" "${URL[$1]}" register.lua "${PFX[$1]}" "${3/#warm-*/warm}-$1"
    if [[ $1 == parent ]]; then while p=$(pending) && ((p > 0)); do sleep 0.2; done; fi
  else
    wrkr "$2" "$tmp" "${URL[$1]}" lookup.lua "${PFX[$1]}" "$OUTD/ids.txt"
  fi
  t1=$(ticks ${PID[$1]})
  python3 -c 'import json,sys; r=json.loads(open(sys.argv[1]).read().splitlines()[-1]); t=int(sys.argv[3]); print(json.dumps(dict(side=sys.argv[2], label=sys.argv[4], rps=round(r["rps"]), us_per_req=round(t*10000/max(r["requests"],1),1))))' \
    "$tmp" "$1" $((t1 - t0)) "$3" | tee -a "$OUTD/runs.jsonl"
}
# Warm: at least 8 windows of 5 s each, then until neither compiler used more than 2% of a core.
for w in $(seq 40); do
  busy=""
  for s in base parent; do b=$(compiler_ticks ${PID[$s]}); one $s 5 warm-$w
    (( ($(compiler_ticks ${PID[$s]}) - b) * 100 / 500 <= 2 )) || busy+=" $s"; done
  ((w >= 8)) && [[ -z $busy ]] && break
done
for r in 1 2 3; do one base 10 round-$r; one parent 10 round-$r; done
# 65 s each: one whole 30-s recording falls inside; aprof.txt says which (by the files' times).
for s in base parent; do
  echo "$s pid ${PID[$s]} from $(date +%s)" >>"$OUTD/aprof.txt"; one $s 65 profile
  echo "$s pid ${PID[$s]} to $(date +%s)" >>"$OUTD/aprof.txt"
done
