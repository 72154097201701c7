#!/usr/bin/env bash
# The standard benchmark matrix of issue 6. Writes raw JSON lines to bench/out/matrix-<stamp>.jsonl
# and (re)writes bench/RESULTS.md. Bounded: about 35 min in full, 3-6 min with QUICK=1.
#
#   bash bench/run-matrix.sh            # the full matrix, on a quiet machine
#   QUICK=1 bash bench/run-matrix.sh    # everything shrunk, to check that the bench works
#
# Environment: GHOSTROOMS_JAR (default: the module's fat jar, copied before use), BENCH_JAVA_OPTS
# (JVM flags of the server), BENCH_PG_HOST/PORT/USER/DB (default 127.0.0.1, 5432, postgres,
# ghostrooms_bench: that database is dropped and created again before every PostgreSQL run, never
# another one), SOAK=seconds (adds a soak run on PostgreSQL; off by default), ONLY="a b ..." (run only
# these scenarios of a b c d e f).
set -uo pipefail
cd "$(dirname "$0")"
BENCH=$(pwd)

QUICK=${QUICK:-0}
SOAK=${SOAK:-0}
# hard bound of the whole matrix: runs that would start after it are skipped (and say so)
if [ "$QUICK" = 1 ]; then MAX_MINUTES=${MAX_MINUTES:-8}; else MAX_MINUTES=${MAX_MINUTES:-40}; fi
[ "$SOAK" -gt 0 ] && MAX_MINUTES=$((MAX_MINUTES + SOAK / 60 + 5))
ONLY=${ONLY:-"a b c d e f"}
PG_HOST=${BENCH_PG_HOST:-127.0.0.1}
PG_PORT=${BENCH_PG_PORT:-5432}
PG_USER=${BENCH_PG_USER:-postgres}
PG_DB=${BENCH_PG_DB:-ghostrooms_bench}
case "$PG_DB" in postgres|template0|template1|test) echo "run-matrix: refusing to drop database $PG_DB" >&2; exit 2 ;; esac

STAMP=$(date -u +%Y%m%dT%H%M%SZ)
OUT_DIR="$BENCH/out"
RUN_DIR="$OUT_DIR/matrix-$STAMP"
JSONL="$OUT_DIR/matrix-$STAMP.jsonl"
CMDS="$RUN_DIR/commands.txt"
mkdir -p "$RUN_DIR"
: > "$JSONL"
: > "$CMDS"
T_START=$(date +%s)
log() { printf '[matrix %s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }

# --- client-side limits: one socket per connection, 20k connections --------------------------------
ulimit -n 1048576 2>/dev/null || ulimit -n "$(ulimit -Hn)" 2>/dev/null || true
FD_LIMIT=$(ulimit -n)
# the server holds one fd per connection plus ~100 of its own: without 20k + margin, the top idle
# level is what the limit allows (RESULTS.md says so) rather than a row of refused connections
IDLE_MAX=20000
if [ "$FD_LIMIT" != unlimited ] && [ "$FD_LIMIT" -lt 20512 ]; then
  IDLE_MAX=$(( (FD_LIMIT - 512) / 1000 * 1000 ))
  log "open files limit $FD_LIMIT < 20512: the 20k idle level runs with $IDLE_MAX connections"
fi
log "open files limit: $FD_LIMIT; ephemeral ports: $(cat /proc/sys/net/ipv4/ip_local_port_range 2>/dev/null | tr '\t' '-')"

# --- the jar, copied so a rebuild during the run cannot change it -----------------------------------
SRC_JAR=${GHOSTROOMS_JAR:-$BENCH/../ghostrooms-server/target/ghostrooms-server.jar}
[ -f "$SRC_JAR" ] || { echo "run-matrix: no jar at $SRC_JAR (build it: ./mvnw -q -DskipTests package)" >&2; exit 2; }
cp "$SRC_JAR" "$RUN_DIR/ghostrooms-server.jar"
export GHOSTROOMS_JAR="$RUN_DIR/ghostrooms-server.jar"
export BENCH_JAVA_OPTS=${BENCH_JAVA_OPTS:-"-XX:+UseG1GC -Xms64m -Xmx1g -XX:MinHeapFreeRatio=10 -XX:MaxHeapFreeRatio=30"}
export BENCH_OUT_DIR="$RUN_DIR" # server logs go beside the run's other logs
unset DATABASE_URL MESSAGE_PERSISTENCE PORT

[ -d node_modules/socket.io-client ] || npm ci --no-audit --no-fund >&2 || { echo "run-matrix: npm ci failed" >&2; exit 2; }

# --- PostgreSQL: a fresh bench database per run ------------------------------------------------------
PG_OK=0
if command -v createdb >/dev/null && pg_isready -q -h "$PG_HOST" -p "$PG_PORT" 2>/dev/null; then PG_OK=1; fi
PG_URL="postgresql://$PG_USER@$PG_HOST:$PG_PORT/$PG_DB"
fresh_pg() {
  dropdb -h "$PG_HOST" -p "$PG_PORT" -U "$PG_USER" --if-exists --force "$PG_DB" 2>/dev/null \
    || dropdb -h "$PG_HOST" -p "$PG_PORT" -U "$PG_USER" --if-exists "$PG_DB"
  createdb -h "$PG_HOST" -p "$PG_PORT" -U "$PG_USER" "$PG_DB"
}
[ "$PG_OK" = 1 ] || log "PostgreSQL not reachable on $PG_HOST:$PG_PORT: its rows are skipped"

# --- machine ------------------------------------------------------------------------------------------
{
  echo "date: $(date -u +%Y-%m-%dT%H:%M:%SZ)"
  echo "nproc: $(nproc)"
  echo "cpu: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//')"
  echo "ram: $(awk '/MemTotal/ {printf "%.1f GiB", $2/1048576}' /proc/meminfo)"
  echo "kernel: $(uname -srm)"
  echo "java: $(java -version 2>&1 | head -1)"
  echo "node: $(node --version)"
  if [ "$PG_OK" = 1 ]; then
    echo "postgres: $(psql -h "$PG_HOST" -p "$PG_PORT" -U "$PG_USER" -d postgres -Atc 'show server_version' 2>/dev/null) on $PG_HOST:$PG_PORT (database $PG_DB, recreated per run)"
  else
    echo "postgres: not reachable"
  fi
  echo "open files limit: $FD_LIMIT$([ "$IDLE_MAX" != 20000 ] && echo " (too low for 20k connections: the top idle level is $IDLE_MAX)")"
  echo "ephemeral ports: $(tr '\t' '-' < /proc/sys/net/ipv4/ip_local_port_range 2>/dev/null)"
  echo "load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"
  echo "jar: $(basename "$SRC_JAR") ($(( $(stat -c %s "$GHOSTROOMS_JAR") / 1024 )) KB, sha256 $(sha256sum "$GHOSTROOMS_JAR" | cut -c1-12)), commit $(git -C "$BENCH" rev-parse --short HEAD 2>/dev/null)$(git -C "$BENCH" diff --quiet HEAD -- .. 2>/dev/null || echo ' (+ uncommitted changes)')"
  echo "server JVM: $BENCH_JAVA_OPTS"
} > "$RUN_DIR/machine.txt"

echo "# in bench/, with GHOSTROOMS_JAR=<copy of the jar> BENCH_JAVA_OPTS='$BENCH_JAVA_OPTS' ulimit -n $FD_LIMIT; PostgreSQL rows: database $PG_DB dropped and created before each" >> "$CMDS"

# --- one load.mjs run ---------------------------------------------------------------------------------
FAILED=0
SKIPPED=0
# run SCENARIO DB(pg|h2|mem) TIMEOUT_S load.mjs-args...
run() {
  local scenario=$1 db=$2 limit=$3; shift 3
  local envs=()
  local left=$(( MAX_MINUTES * 60 - ($(date +%s) - T_START) ))
  if [ "$left" -lt 30 ]; then
    log "skip $scenario on $db: the matrix reached MAX_MINUTES=$MAX_MINUTES"
    printf '{"type":"result","label":"%s","db":"%s","error":"skipped: the matrix reached MAX_MINUTES=%s"}\n' "$scenario" "$db" "$MAX_MINUTES" >> "$JSONL"
    SKIPPED=$((SKIPPED + 1))
    return 0
  fi
  [ "$limit" -gt "$left" ] && limit=$left
  case "$db" in
    pg)
      if [ "$PG_OK" != 1 ]; then log "skip $scenario on pg (no PostgreSQL)"; return 0; fi
      fresh_pg || { log "could not recreate $PG_DB"; FAILED=$((FAILED + 1)); return 0; }
      envs=("DATABASE_URL=$PG_URL") ;;
    h2) envs=() ;;
    mem) envs=("MESSAGE_PERSISTENCE=off") ;;
  esac
  local cmd=(node load.mjs --label "$scenario" --out "out/$(basename "$JSONL")" "$@")
  echo "${envs[*]:+${envs[*]} }${cmd[*]}" >> "$CMDS"
  log "$scenario [$db]: ${cmd[*]:6}"
  local before
  before=$(wc -l < "$JSONL")
  env "${envs[@]}" timeout --kill-after=30 "$limit" "${cmd[@]}" > /dev/null 2> "$RUN_DIR/$scenario-$db-$(wc -l < "$CMDS").log"
  local rc=$?
  if [ "$rc" != 0 ]; then
    FAILED=$((FAILED + 1))
    log "  -> rc=$rc (log: $RUN_DIR/$scenario-$db-$(wc -l < "$CMDS").log)"
    # a run killed by its time limit printed nothing: leave a row saying so
    if [ "$(wc -l < "$JSONL")" = "$before" ]; then
      printf '{"type":"result","label":"%s","db":"%s","error":"timed out or crashed (rc=%s) after %ss"}\n' "$scenario" "$db" "$rc" "$limit" >> "$JSONL"
    fi
  fi
}
want() { case " $ONLY " in *" $1 "*) return 0 ;; *) return 1 ;; esac; }

# --- the matrix ---------------------------------------------------------------------------------------
if [ "$QUICK" = 1 ]; then
  log "QUICK=1: every scenario shrunk (numbers are not results)"
  Q=(--prewarm 100)
  if want a; then
    for db in pg h2; do run a "$db" 120 --mode chat --rooms 10 --members 10 --senders 1 --rate 5 --duration 5 --warmup 2 --ack "${Q[@]}"; done
  fi
  if want b; then
    for db in pg h2 mem; do run b "$db" 150 --mode search --rooms 20 --members 10 --senders 1 --rate 2 --factor 2 --max-steps 2 --refine 0 --duration 3 --warmup 1 --ack "${Q[@]}"; done
  fi
  if want c; then run c h2 120 --mode chat --rooms 1 --members 50 --senders 50 --rate 1 --duration 5 --warmup 2 --ack "${Q[@]}"; fi
  if want d; then
    run d h2 120 --mode idle --conns 500 --duration 2 "${Q[@]}"
    run d pg 120 --mode idle --conns 300 --duration 2 "${Q[@]}"
  fi
  if want e; then run e h2 150 --mode storm --connected 500 --duration 5 --warmup 1 --storm-concurrency 16 "${Q[@]}"; fi
  if want f; then
    run f-a h2 120 --mode chat --transport polling --rooms 10 --members 10 --senders 1 --rate 5 --duration 5 --warmup 2 --ack "${Q[@]}"
    run f-b h2 150 --mode search --transport polling --rooms 20 --members 10 --senders 1 --rate 2 --factor 2 --max-steps 2 --refine 0 --duration 3 --warmup 1 --ack "${Q[@]}"
  fi
  if [ "$SOAK" -gt 0 ]; then run soak h2 $((SOAK + 120)) --mode soak --rooms 10 --members 10 --rate 5 --duration "$SOAK" --warmup 2 --sample 5 --ack "${Q[@]}"; fi
else
  # (a) 10 rooms x 10 members, 1 sender per room at 5 msg/s                          ~2 x 1 min
  if want a; then
    for db in pg h2; do run a "$db" 300 --mode chat --rooms 10 --members 10 --senders 1 --rate 5 --duration 30 --warmup 5 --ack; done
  fi
  # (b) 100 rooms x 20 members, 1 sender per room, rate stepped up (15 s steps) until p99 > 50 ms or loss
  #                                                                                  ~3 x 3.5 min
  if want b; then
    for db in pg h2 mem; do run b "$db" 600 --mode search --rooms 100 --members 20 --senders 1 --rate 2 --factor 1.5 --max-steps 12 --refine 2 --duration 15 --warmup 2 --ack; done
  fi
  # (c) 1 room x 50 members, all 50 sending at 2 msg/s (100 msg/s, 5,000 deliveries/s)   ~2 x 1 min
  if want c; then
    for db in pg h2; do run c "$db" 300 --mode chat --rooms 1 --members 50 --senders 50 --rate 2 --duration 30 --warmup 5 --ack; done
  fi
  # (d) idle websocket connections: 1k, 5k, 10k, 20k (a fresh server each)              ~2 x 2 min
  if want d; then
    for db in pg h2; do
      for n in 1000 5000 10000 "$IDLE_MAX"; do run d "$db" 420 --mode idle --conns "$n" --duration 8; done
    done
  fi
  # (e) join storm with 5,000 connected, 20 s                                          ~2 x 1 min
  if want e; then
    for db in pg h2; do run e "$db" 420 --mode storm --connected 5000 --duration 20 --warmup 3; done
  fi
  # (f) long-polling clients at (a) and (b)                                            ~2 x 1 min + 2 x 3 min
  if want f; then
    for db in pg h2; do run f-a "$db" 300 --mode chat --transport polling --rooms 10 --members 10 --senders 1 --rate 5 --duration 30 --warmup 5 --ack; done
    for db in pg h2; do run f-b "$db" 600 --mode search --transport polling --rooms 100 --members 20 --senders 1 --rate 1 --factor 1.5 --max-steps 10 --refine 1 --duration 15 --warmup 2 --ack; done
  fi
  if [ "$SOAK" -gt 0 ]; then run soak pg $((SOAK + 300)) --mode soak --rooms 10 --members 10 --rate 5 --duration "$SOAK" --warmup 10 --sample 30 --ack; fi
fi

ELAPSED=$(( $(date +%s) - T_START ))
log "matrix done in ${ELAPSED}s, $FAILED failed and $SKIPPED skipped run(s); writing RESULTS.md"
echo "load average at end: $(cut -d' ' -f1-3 /proc/loadavg)" >> "$RUN_DIR/machine.txt"
node lib/results.mjs --jsonl "$JSONL" --machine "$RUN_DIR/machine.txt" --commands "$CMDS" \
  --quick "$QUICK" --elapsed "$ELAPSED" --out "$BENCH/RESULTS.md" \
  $([ "$QUICK" != 1 ] && [ -f "$BENCH/analysis.md" ] && echo --notes "$BENCH/analysis.md") || exit 1
rm -f "$GHOSTROOMS_JAR" # the copy only guarded against a rebuild during the run
# a dropped bench database leaves nothing behind in the shared cluster
if [ "$PG_OK" = 1 ]; then dropdb -h "$PG_HOST" -p "$PG_PORT" -U "$PG_USER" --if-exists "$PG_DB" 2>/dev/null || true; fi
log "wrote $BENCH/RESULTS.md (raw: $JSONL)"
[ "$FAILED" = 0 ]
