#!/usr/bin/env bash
# ab.sh <lookup|register> <outdir>: one build's jars (A_DIR) against another's (B_DIR),
# each beside the same no-op baseline: every round loads the baseline, then A and B (in turns first),
# each alone.
# Per run: req/s, and the server's CPU time (utime+stime from /proc) per request.
# Env: PORT_BASE [9700] (the apps take PORT_BASE to PORT_BASE+7), ROUNDS [5], ROUND_SECONDS [10],
# WARM [8] windows of 5 s per side at least, then until each side's JIT compiler used at most
# WARM_JIT_SHARE [2] percent of a core in its last window, WARM_MAX [60] at most; SERVICES [10000].
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
SCEN=$1 OUTD=$2; mkdir -p $OUTD
ROUNDS=${ROUNDS:-5} ROUND_SECONDS=${ROUND_SECONDS:-10} WARM=${WARM:-8} SERVICES=${SERVICES:-10000}
WARM_JIT_SHARE=${WARM_JIT_SHARE:-2} WARM_MAX=${WARM_MAX:-60}
ticks() { awk '{print $14 + $15}' /proc/$1/stat; }
# measure <label> <round> <pid> <seconds> <jsonl> <url> <script> args...: one wrk run, one JSON line
measure() {
  local label=$1 round=$2 pid=$3 secs=$4 out=$5; shift 5
  local t0 t1 tmp=$OUTD/.last.jsonl; rm -f $tmp
  t0=$(ticks $pid); wrkr $secs $tmp "$@"; t1=$(ticks $pid)
  python3 - "$label" "$round" "$((t1 - t0))" "$(cut -d' ' -f1-3 /proc/loadavg)" "$tmp" >>$out <<'PY'
import json, sys
r = json.loads(open(sys.argv[5]).read().splitlines()[-1])
label, rnd, ticks, load = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4]
r.update(side=label, round=rnd, cpu_ms=ticks * 10, cpu_us_per_req=ticks * 10000 / max(r["requests"], 1), load=load)
print(json.dumps(r))
PY
  python3 $HERE/showrun.py $out || true
}
pending() { curl -sf "http://localhost:$1/services/info/orchestrator" | python3 -c 'import json,sys; print(json.load(sys.stdin)["sync"]["pending_forwards"])'; }
drain() { # port pid label round
  local start=$SECONDS t0 p; t0=$(ticks $2)
  while p=$(pending $1) && ((p > 0)); do ((SECONDS - start < 300)) || { echo "$3: $p still pending after 300 s"; break; }; sleep 0.2; done
  echo "{\"side\":\"$3\",\"round\":$4,\"drain_s\":$((SECONDS - start)),\"drain_cpu_ms\":$(( ($(ticks $2) - t0) * 10 ))}" | tee -a $OUTD/drains.jsonl
}
uptime | tee $OUTD/load-before.txt
LABELS=(base A B); declare -a PIDV URLS SCRIPT ARGA DRAINPORT
if [[ $SCEN == lookup ]]; then
  start_baseline A $OUTD/baseline.log $((PORT_BASE + 0))
  start_parent A 0 $OUTD/parent-A.log $((PORT_BASE + 1))
  start_parent B 0 $OUTD/parent-B.log $((PORT_BASE + 5))
  healthy $((PORT_BASE + 0)) 240; healthy $((PORT_BASE + 1)) 240; healthy $((PORT_BASE + 5)) 240
  BENCH_CHILD_KEY=$CHILD_KEY python3 $WT/bench/bench.py load-parent $((PORT_BASE + 1)) $SERVICES $OUTD/ids-A.txt &
  l1=$!
  BENCH_CHILD_KEY=$CHILD_KEY python3 $WT/bench/bench.py load-parent $((PORT_BASE + 5)) $SERVICES $OUTD/ids-B.txt &
  l2=$!
  wait $l1 $l2
  echo "loaded $(wc -l <$OUTD/ids-A.txt) + $(wc -l <$OUTD/ids-B.txt) services"
  PIDV=(${PIDS[base-A]} ${PIDS[parent-A]} ${PIDS[parent-B]})
  URLS=(http://localhost:$((PORT_BASE + 0)) http://localhost:$((PORT_BASE + 1)) http://localhost:$((PORT_BASE + 5)))
  ARGV0=("/noop/ $OUTD/ids-A.txt" "/api/v1/services/ $OUTD/ids-A.txt" "/api/v1/services/ $OUTD/ids-B.txt")
  script=lookup.lua
else
  start_baseline A $OUTD/baseline.log $((PORT_BASE + 2))
  start_parent A 1 $OUTD/parent-A.log $((PORT_BASE + 3))
  start_parent B 1 $OUTD/parent-B.log $((PORT_BASE + 6))
  healthy $((PORT_BASE + 2)) 240; healthy $((PORT_BASE + 3)) 240; healthy $((PORT_BASE + 6)) 240
  start_child A 0 $OUTD/child-A.log $((PORT_BASE + 4)) $((PORT_BASE + 3))
  start_child B 0 $OUTD/child-B.log $((PORT_BASE + 7)) $((PORT_BASE + 6))
  healthy $((PORT_BASE + 4)) 240; healthy $((PORT_BASE + 7)) 240
  for port in $((PORT_BASE + 4)) $((PORT_BASE + 7)); do
    for _ in $(seq 600); do curl -sf http://localhost:$port/services/info/orchestrator | grep -q '"last_sync_at":"' && break; sleep 0.2; done
  done
  export BENCH_KEY=$SERVICE_KEY
  PIDV=(${PIDS[base-A]} ${PIDS[child-A]} ${PIDS[child-B]})
  URLS=(http://localhost:$((PORT_BASE + 2)) http://localhost:$((PORT_BASE + 4)) http://localhost:$((PORT_BASE + 7)))
  ARGV0=("/noop @R@" "/services/\$register @R@" "/services/\$register @R@")
  DRAINPORT=("" $((PORT_BASE + 4)) $((PORT_BASE + 7)))
  script=register.lua
fi
# Warm-up windows of 5 s per side, at least WARM of them, until every side's JIT compiler used at most
# WARM_JIT_SHARE percent of a core in its last window (a child compiles for minutes on one core:
# bench/jit.sh); at most WARM_MAX.
w=0
while :; do
  w=$((w + 1)) compiling=""
  for i in 0 1 2; do
    before=$(compiler_ticks ${PIDV[$i]})
    # shellcheck disable=SC2086
    measure ${LABELS[$i]} -$w ${PIDV[$i]} 5 $OUTD/warm.jsonl ${URLS[$i]} $script ${ARGV0[$i]//@R@/w$w${LABELS[$i]}}
    share=$(( ($(compiler_ticks ${PIDV[$i]}) - before) * 100 / 500 ))
    ((share <= WARM_JIT_SHARE)) || compiling+=" ${LABELS[$i]} (${share}%)"
    [[ -z "${DRAINPORT[$i]:-}" ]] || drain ${DRAINPORT[$i]} ${PIDV[$i]} ${LABELS[$i]} -$w
  done
  echo "warm-up window $w: compiler busy on:${compiling:- none}" | tee -a $OUTD/warmup.txt
  ((w >= WARM)) && [[ -z $compiling ]] && break
  ((w >= WARM_MAX)) && { echo "warm-up: still compiling after $w windows; measuring anyway" | tee -a $OUTD/warmup.txt; break; }
done
for r in $(seq $ROUNDS); do
  # A before B in odd rounds, B before A in even ones: a machine whose load drifts favours neither.
  order="0 1 2"; ((r % 2 == 0)) && order="0 2 1"
  for i in $order; do
    # shellcheck disable=SC2086
    measure ${LABELS[$i]} $r ${PIDV[$i]} $ROUND_SECONDS $OUTD/runs.jsonl ${URLS[$i]} $script ${ARGV0[$i]//@R@/r$r${LABELS[$i]}}
    [[ -z "${DRAINPORT[$i]:-}" ]] || drain ${DRAINPORT[$i]} ${PIDV[$i]} ${LABELS[$i]} $r
  done
done
uptime | tee $OUTD/load-after.txt
python3 $HERE/absum.py $OUTD | tee $OUTD/summary.txt
stopall
