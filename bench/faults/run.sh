#!/usr/bin/env bash
# Fault tests of GhostRooms (issue 5): PostgreSQL outage (fast and immediate stop), kill -9 and
# SIGTERM under load, upload storage unreachable or full. Loopback only, bounded (~3-4 min), stops
# by itself, exits non-zero if a check fails. Writes bench/faults/RESULTS.md.
#
#   bash bench/faults/run.sh                       # every case
#   FAULTS_CASES=kill9,sigterm bash bench/faults/run.sh
#   GHOSTROOMS_JAR=/path/to.jar bash ...           # default: ghostrooms-server/target/ghostrooms-server.jar
#   FAULTS_RESULTS=/tmp/r.md bash ...               # write the summary elsewhere (default: RESULTS.md here)
#   FAULTS_LOG_DIR=/tmp/x bash ...                  # where server/PostgreSQL logs are kept (default below)
#
# Needs root (runs PostgreSQL as the OS user postgres, mounts small tmpfs for the full-disk cases),
# java 17+, node 18+, PostgreSQL server binaries under /usr/lib/postgresql/*/bin; nginx is optional.
# It never touches the shared PostgreSQL on 5432: it initdb's a private cluster in a temp dir.
set -euo pipefail

HERE=$(cd "$(dirname "$0")" && pwd)
BENCH=$(cd "$HERE/.." && pwd)
REPO=$(cd "$BENCH/.." && pwd)
JAR_SRC=${GHOSTROOMS_JAR:-$REPO/ghostrooms-server/target/ghostrooms-server.jar}
KEEP_LOGS=${FAULTS_LOG_DIR:-/tmp/ghostrooms-faults-logs}

[ "$(id -u)" = 0 ] || { echo "run.sh: needs root (PostgreSQL as user postgres, tmpfs mounts)" >&2; exit 2; }
[ -f "$JAR_SRC" ] || { echo "run.sh: no jar at $JAR_SRC (build it: ./mvnw -B -DskipTests package)" >&2; exit 2; }
PG_BIN=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
[ -x "$PG_BIN/initdb" ] || { echo "run.sh: no PostgreSQL server binaries under /usr/lib/postgresql" >&2; exit 2; }

WORK=$(mktemp -d /tmp/gr-faults-XXXXXX)
chmod 755 "$WORK"   # the postgres user must reach its data dir inside
PG_DATA=$WORK/pg/data
PG_LOG=$WORK/pg/postgres.log

cleanup() {
  local rc=$?
  set +e
  if [ -f "$PG_DATA/postmaster.pid" ]; then
    runuser -u postgres -- "$PG_BIN/pg_ctl" -D "$PG_DATA" -m immediate -w -t 20 stop >/dev/null 2>&1
  fi
  # tmpfs mounts the driver may have left (it unmounts its own; this is for a crash)
  grep -o " $WORK/[^ ]*" /proc/mounts | sort -r | while read -r m; do umount -l "$m"; done
  rm -rf "$KEEP_LOGS" && mkdir -p "$KEEP_LOGS"
  cp -r "$WORK/logs/." "$KEEP_LOGS/" 2>/dev/null
  cp "$PG_LOG" "$KEEP_LOGS/" 2>/dev/null
  rm -rf "$WORK"
  exit $rc
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# A free port for the private cluster: 25432 unless something listens there. Below the ephemeral
# range (32768-60999 here): with 55432 a client socket of the load once took that port while
# PostgreSQL was stopped, and it could not start again ("Address already in use").
PG_PORT=25432
while (exec 3<>"/dev/tcp/127.0.0.1/$PG_PORT") 2>/dev/null; do PG_PORT=$((PG_PORT + 1)); done

mkdir -p "$WORK/pg/sock"
chown -R postgres:postgres "$WORK/pg"
runuser -u postgres -- "$PG_BIN/initdb" -D "$PG_DATA" -A trust -U postgres --no-sync >/dev/null
cat >>"$PG_DATA/postgresql.conf" <<CONF
port = $PG_PORT
listen_addresses = '127.0.0.1'
unix_socket_directories = '$WORK/pg/sock'
max_connections = 60
shared_buffers = 64MB
fsync = on
synchronous_commit = on
CONF
runuser -u postgres -- "$PG_BIN/pg_ctl" -D "$PG_DATA" -l "$PG_LOG" -w -t 60 start >/dev/null

if [ ! -d "$BENCH/node_modules/socket.io-client" ]; then
  (cd "$BENCH" && npm ci --no-audit --no-fund >/dev/null)
fi

# Our own copy: other builds may replace the original while we run.
cp "$JAR_SRC" "$WORK/ghostrooms-server.jar"

echo "GhostRooms fault tests: jar $JAR_SRC, private PostgreSQL $("$PG_BIN/postgres" --version | awk '{print $3}') on 127.0.0.1:$PG_PORT, work dir $WORK"
set +e
FAULTS_WORK=$WORK FAULTS_JAR=$WORK/ghostrooms-server.jar PG_BIN=$PG_BIN PG_DATA=$PG_DATA PG_PORT=$PG_PORT \
  PG_LOG=$PG_LOG FAULTS_RESULTS=${FAULTS_RESULTS:-$HERE/RESULTS.md} FAULTS_KEPT_LOGS=$KEEP_LOGS node "$HERE/faults.mjs"
rc=$?
set -e
echo "run.sh: exit $rc (server and PostgreSQL logs kept in $KEEP_LOGS)"
exit $rc
