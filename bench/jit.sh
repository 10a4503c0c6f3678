# shellcheck shell=bash
# Sourced by bench/run.sh and bench/profile/lib.sh: how busy a JVM's JIT compiler is. On one core the
# compiler gets a thread's share of it beside 32 request threads, and a child needs minutes to compile
# what a load needs (docs/performance.md, "Warm-up on one core"); a warm-up must wait for it.

# compiler_ticks <pid>: CPU time (in ticks of 10 ms) the JIT's compiler threads have used so far.
compiler_ticks() {
  local task total=0
  for task in /proc/"$1"/task/*; do
    case "$(cat "$task/comm" 2>/dev/null)" in
      C1\ CompilerThre* | C2\ CompilerThre*) total=$((total + $(awk '{print $14 + $15}' "$task/stat" 2>/dev/null || echo 0))) ;;
    esac
  done
  echo "$total"
}
