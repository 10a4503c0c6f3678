#!/usr/bin/env bash
# Runs the whole Canopy topology as local processes, without Docker:
#
#   parent-orchestrator  :9000
#   us-orchestrator      :9001  region us-east           <- US Payment Service :8001, US Inventory Service :8002
#   eu-orchestrator      :9002  region eu-west           <- EU GDPR Compliance Service :8003
#   ml-orchestrator      :9003  domain machine-learning  <- ML Model Training Service :8004
#
# It builds the jars when one is missing (or with --build), makes fresh random keys for this run (an
# admin key, a key per child, a service key per child; the admin key is written to
# .run-local/keys.env), waits until the parent sees all four services, prints the URLs worth opening,
# and stops everything it started on Ctrl-C, SIGTERM or exit. Logs (one JSON object per line) go to
# .run-local/logs/<name>.log.
#
# Environment:
#   JAVA_OPTS           options for every JVM (default: small heap, serial GC, fast start-up)
#   RUN_LOCAL_TIMEOUT   seconds to wait for the topology to come up (default: 120)
set -euo pipefail

usage() {
    cat <<'EOF'
Usage: ./run-local.sh [--build] [--help]

Starts a parent orchestrator, three child orchestrators and four example services on
localhost (ports 9000-9003 and 8001-8004) and keeps them running until Ctrl-C. Each run
makes fresh keys; the admin key is in .run-local/keys.env (CANOPY_ADMIN_KEY).

  --build   rebuild the jars first (mvn -B -q package -DskipTests), even if they exist
  --help    show this text

Environment: JAVA_OPTS (JVM options for every process), RUN_LOCAL_TIMEOUT (seconds, default 120).
EOF
}

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
cd "$ROOT"

BUILD=false
for arg in "$@"; do
    case "$arg" in
        --build) BUILD=true ;;
        -h | --help) usage; exit 0 ;;
        *) echo "run-local: unknown argument: $arg" >&2; usage >&2; exit 2 ;;
    esac
done

TIMEOUT="${RUN_LOCAL_TIMEOUT:-120}"
# Eight JVMs share one machine: keep each small and quick to start unless told otherwise.
JAVA_OPTS="${JAVA_OPTS:--Xms32m -Xmx192m -XX:+UseSerialGC -XX:TieredStopAtLevel=1}"
RUN_DIR="$ROOT/.run-local"
LOG_DIR="$RUN_DIR/logs"
PARENT=http://localhost:9000
APPS=(parent-app child-app example-service)
PORTS=(9000 9001 9002 9003 8001 8002 8003 8004)

# Started processes, in start order: parallel arrays of name, pid and tier (0 parent, 1 child, 2 service).
NAMES=()
PIDS=()
TIERS=()
REPORTED_EXITS=" "

say() {
    printf 'run-local: %s\n' "$*"
}

fail() {
    printf 'run-local: ERROR: %s\n' "$*" >&2
    exit 1
}

for tool in java curl od; do
    command -v "$tool" >/dev/null 2>&1 || fail "'$tool' is not on the PATH; Canopy needs a JDK 17 and curl."
done

port_in_use() {
    # bash's /dev/tcp: the connection succeeds only if something listens there.
    (: <"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

busy=()
for port in "${PORTS[@]}"; do
    if port_in_use "$port"; then
        busy+=("$port")
    fi
done
if ((${#busy[@]} > 0)); then
    fail "port(s) ${busy[*]} already in use; stop whatever listens there (is another run-local.sh running?). Try: ss -ltnp | grep -E ':(${busy[*]// /|})\b'"
fi

missing=false
for app in "${APPS[@]}"; do
    [[ -f "$app/target/$app.jar" ]] || missing=true
done
if $BUILD || $missing; then
    command -v mvn >/dev/null 2>&1 || fail "a jar is missing and 'mvn' is not on the PATH to build it."
    say "building the jars: mvn -B -q package -DskipTests (takes a minute or two the first time)"
    mvn -B -q package -DskipTests
fi

mkdir -p "$LOG_DIR"

# 32 random bytes in hex, from the kernel: a key nobody else has, made for this run only.
new_key() {
    od -An -tx1 -N32 /dev/urandom | tr -d ' \n'
}

# Keys for this run. They reach each process through its environment, never a command line (which
# `ps` shows to everyone), and the admin key is kept in a file only you can read.
ADMIN_KEY=$(new_key)
declare -A CHILD_KEY SERVICE_KEY
for child in us eu ml; do
    CHILD_KEY[$child]=$(new_key)
    SERVICE_KEY[$child]=$(new_key)
done
KEYS_FILE="$RUN_DIR/keys.env"
rm -f "$KEYS_FILE"
(
    umask 077
    {
        printf '# The admin key of the run-local.sh started at %s; each run makes new keys.\n' \
            "$(date -u +%Y-%m-%dT%H:%M:%SZ)"
        # shellcheck disable=SC2016 # written as it is, for the shell that sources the file
        printf '# source this file, then: curl -H "Authorization: Bearer $CANOPY_ADMIN_KEY" ...\n'
        printf 'CANOPY_ADMIN_KEY=%s\n' "$ADMIN_KEY"
    } >"$KEYS_FILE"
)

stop_tier() {
    local tier=$1 deadline i pid alive
    for i in "${!PIDS[@]}"; do
        [[ ${TIERS[$i]} == "$tier" ]] || continue
        kill -TERM "${PIDS[$i]}" 2>/dev/null || true
    done
    # SIGTERM lets each process deregister upstream; give it time, then insist.
    deadline=$((SECONDS + 15))
    while ((SECONDS < deadline)); do
        alive=false
        for i in "${!PIDS[@]}"; do
            [[ ${TIERS[$i]} == "$tier" ]] || continue
            kill -0 "${PIDS[$i]}" 2>/dev/null && alive=true
        done
        $alive || break
        sleep 0.2
    done
    for i in "${!PIDS[@]}"; do
        [[ ${TIERS[$i]} == "$tier" ]] || continue
        pid=${PIDS[$i]}
        if kill -0 "$pid" 2>/dev/null; then
            say "${NAMES[$i]} (pid $pid) ignored SIGTERM; killing it"
            kill -KILL "$pid" 2>/dev/null || true
        fi
        wait "$pid" 2>/dev/null || true
    done
}

cleanup() {
    local status=$?
    trap - EXIT INT TERM
    if ((${#PIDS[@]} > 0)); then
        say "stopping: services first, then child orchestrators, then the parent"
        # Top-down order keeps the demo honest: each level deregisters from a parent that is still up.
        stop_tier 2
        stop_tier 1
        stop_tier 0
        say "stopped; logs are in ${LOG_DIR#"$ROOT"/}/"
    fi
    exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# start <name> <tier> <app> [VAR=value ...]
start() {
    local name=$1 tier=$2 app=$3
    shift 3
    # Exported in a subshell that then becomes the JVM: no value (no key) is ever on a command line.
    (
        for assignment in "$@"; do
            export "${assignment?}"
        done
        # shellcheck disable=SC2086 # JAVA_OPTS is a list of options
        exec java $JAVA_OPTS -jar "$app/target/$app.jar" server "$app/config.yml"
    ) >"$LOG_DIR/$name.log" 2>&1 </dev/null &
    NAMES+=("$name")
    PIDS+=("$!")
    TIERS+=("$tier")
}

show_logs() {
    local name
    for name in "$@"; do
        printf '\n----- last lines of %s -----\n' "${LOG_DIR#"$ROOT"/}/$name.log" >&2
        tail -n 25 "$LOG_DIR/$name.log" >&2 || true
    done
}

# Fails at once, with its log, if a process we started has already exited.
check_alive() {
    local i
    for i in "${!PIDS[@]}"; do
        if ! kill -0 "${PIDS[$i]}" 2>/dev/null; then
            show_logs "${NAMES[$i]}"
            fail "${NAMES[$i]} exited during start-up; its log is above."
        fi
    done
}

give_up() {
    show_logs "${NAMES[@]}"
    fail "$1 (waited ${TIMEOUT}s; set RUN_LOCAL_TIMEOUT to wait longer). The logs are above and in ${LOG_DIR#"$ROOT"/}/."
}

DEADLINE=$((SECONDS + TIMEOUT))

# Waits until every URL answers over HTTP, whatever the status (a child says 'degraded' until linked).
wait_for_http() {
    local what=$1 url
    shift
    for url in "$@"; do
        until curl -s -o /dev/null --max-time 2 "$url"; do
            check_alive
            ((SECONDS < DEADLINE)) || give_up "$what did not start"
            sleep 0.3
        done
    done
}

# The first top-level "name":<number> of a compact JSON document.
json_number() {
    sed -n "s/.*\"$1\":\([0-9][0-9]*\).*/\1/p" <<<"$2" | head -n 1
}

# The children register with a parent that is already up, and the services with live children: the
# logs then read as the happy path. Short delays and retries keep the whole start-up to seconds.
CHILD_ENV=(PARENT_ORCHESTRATOR_URL="$PARENT" CHILD_HOST=localhost REGISTRATION_DELAY=200ms
    RETRY_INITIAL_DELAY=200ms RETRY_MAX_DELAY=2s)
SERVICE_ENV=(SERVICE_HOST=localhost SERVICE_VERSION=1.0.0 REGISTRATION_DELAY=200ms
    RETRY_INITIAL_DELAY=200ms RETRY_MAX_DELAY=2s)

say "logs: ${LOG_DIR#"$ROOT"/}/<name>.log; admin key: ${KEYS_FILE#"$ROOT"/}"
say "starting the parent orchestrator on :9000"
start parent-orchestrator 0 parent-app PORT=9000 CANOPY_ADMIN_KEYS="$ADMIN_KEY" \
    CANOPY_CHILD_KEYS="${CHILD_KEY[us]},${CHILD_KEY[eu]},${CHILD_KEY[ml]}"
wait_for_http "the parent orchestrator" "$PARENT/health"

say "starting the child orchestrators on :9001 (us-east), :9002 (eu-west), :9003 (machine-learning)"
start us-orchestrator 1 child-app "${CHILD_ENV[@]}" CHILD_PORT=9001 ORCHESTRATOR_REGION=us-east \
    CANOPY_CHILD_KEY="${CHILD_KEY[us]}" CANOPY_SERVICE_KEYS="${SERVICE_KEY[us]}"
start eu-orchestrator 1 child-app "${CHILD_ENV[@]}" CHILD_PORT=9002 ORCHESTRATOR_REGION=eu-west \
    CANOPY_CHILD_KEY="${CHILD_KEY[eu]}" CANOPY_SERVICE_KEYS="${SERVICE_KEY[eu]}"
start ml-orchestrator 1 child-app "${CHILD_ENV[@]}" CHILD_PORT=9003 ORCHESTRATOR_DOMAIN=machine-learning \
    CANOPY_CHILD_KEY="${CHILD_KEY[ml]}" CANOPY_SERVICE_KEYS="${SERVICE_KEY[ml]}"
wait_for_http "a child orchestrator" http://localhost:9001/health http://localhost:9002/health \
    http://localhost:9003/health

say "starting the example services on :8001-:8004"
start us-service-1 2 example-service "${SERVICE_ENV[@]}" SERVICE_PORT=8001 \
    SERVICE_NAME="US Payment Service" ORCHESTRATOR_URL=http://localhost:9001 \
    CANOPY_SERVICE_KEY="${SERVICE_KEY[us]}"
start us-service-2 2 example-service "${SERVICE_ENV[@]}" SERVICE_PORT=8002 \
    SERVICE_NAME="US Inventory Service" ORCHESTRATOR_URL=http://localhost:9001 \
    CANOPY_SERVICE_KEY="${SERVICE_KEY[us]}"
start eu-service-1 2 example-service "${SERVICE_ENV[@]}" SERVICE_PORT=8003 \
    SERVICE_NAME="EU GDPR Compliance Service" ORCHESTRATOR_URL=http://localhost:9002 \
    CANOPY_SERVICE_KEY="${SERVICE_KEY[eu]}"
start ml-service-1 2 example-service "${SERVICE_ENV[@]}" SERVICE_PORT=8004 \
    SERVICE_NAME="ML Model Training Service" ORCHESTRATOR_URL=http://localhost:9003 \
    CANOPY_SERVICE_KEY="${SERVICE_KEY[ml]}"

say "waiting until the parent's hierarchy holds 4 services under 3 orchestrators"
while :; do
    # With the admin key: reads are open by default, but CANOPY_READ_ACCESS=key may be set.
    hierarchy=$(curl -s --max-time 2 -H "Authorization: Bearer $ADMIN_KEY" "$PARENT/api/v1/hierarchy" || true)
    orchestrators=$(curl -s --max-time 2 -H "Authorization: Bearer $ADMIN_KEY" "$PARENT/api/v1/orchestrators" \
        || true)
    total=$(json_number total_services "$hierarchy")
    count=$(json_number count "$orchestrators")
    if [[ ${total:-0} == 4 && ${count:-0} == 3 ]]; then
        break
    fi
    check_alive
    ((SECONDS < DEADLINE)) || give_up "the hierarchy did not reach 4 services under 3 orchestrators (last seen: ${total:-?} services, ${count:-?} orchestrators)"
    sleep 0.5
done

cat <<EOF

Canopy is running: 1 parent, 3 child orchestrators, 4 services (ready after ${SECONDS}s).

  Live hierarchy     $PARENT/ui/   (a page in your browser, updated as things change)
  Hierarchy          $PARENT/api/v1/hierarchy
  Orchestrators      $PARENT/api/v1/orchestrators
  Services           $PARENT/api/v1/services
  Child info         http://localhost:9001/services/info/orchestrator   (us-east)
                     http://localhost:9002/services/info/orchestrator   (eu-west)
                     http://localhost:9003/services/info/orchestrator   (machine-learning)
  Child services     http://localhost:9001/services
  A service          http://localhost:8001/
  Health             $PARENT/health  http://localhost:9001/health  http://localhost:8001/health
  Swagger UI         $PARENT/swagger-ui/  (parent)   http://localhost:9001/swagger-ui/  (child)
                     http://localhost:8001/swagger-ui/  (example service)
  OpenAPI documents  $PARENT/openapi/parent.yaml  http://localhost:9001/openapi/child.yaml
                     http://localhost:8001/openapi/example-service.yaml
  Admin              $PARENT/admin  (takes the admin key)

Keys: reads are open; every change, and the admin pages, take a key. This run's admin key is in
${KEYS_FILE#"$ROOT"/} (readable by you only):
  source ${KEYS_FILE#"$ROOT"/}
  curl -s -X DELETE -H "Authorization: Bearer \$CANOPY_ADMIN_KEY" $PARENT/api/v1/services/<id>
In Swagger UI, press "Authorize" and paste it.

Processes (send one SIGTERM to watch its deregistration travel up):
EOF
for i in "${!PIDS[@]}"; do
    printf '  %-20s pid %-8s log %s\n' "${NAMES[$i]}" "${PIDS[$i]}" "${LOG_DIR#"$ROOT"/}/${NAMES[$i]}.log"
done
echo
say "ready. Press Ctrl-C to stop everything."

# Keep running; report a process that exits (killing one service on purpose is part of the demo).
while :; do
    sleep 1 &
    wait $! || true
    for i in "${!PIDS[@]}"; do
        [[ $REPORTED_EXITS == *" ${PIDS[$i]} "* ]] && continue
        if ! kill -0 "${PIDS[$i]}" 2>/dev/null; then
            status=0
            wait "${PIDS[$i]}" 2>/dev/null || status=$?
            say "${NAMES[$i]} (pid ${PIDS[$i]}) exited with status $status; see ${LOG_DIR#"$ROOT"/}/${NAMES[$i]}.log"
            REPORTED_EXITS+="${PIDS[$i]} "
        fi
    done
done
