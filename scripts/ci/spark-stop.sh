#!/usr/bin/env bash
# Stops what spark-start.sh started (Thrift server, workers and their
# executors, master) and removes its runtime files. The PySpark install in the
# cache is kept for the next start.
set -euo pipefail

DIR="${SEGSPEC_SPARK_DIR:-/tmp/segspec-spark}"

log() { echo "spark-stop: $*" >&2; }

alive() { kill -0 "$1" 2>/dev/null; }

stop_pid() { # pid name
  local pid="$1" waited=0
  alive "$pid" || return 0
  kill -TERM "$pid" 2>/dev/null || return 0
  while alive "$pid" && [ "$waited" -lt 30 ]; do sleep 1; waited=$((waited + 1)); done
  if alive "$pid"; then
    log "$2 ($pid) ignored TERM; killing it"
    kill -KILL "$pid" 2>/dev/null || true
  fi
}

# The Thrift server first (it releases its executors), then the workers
# (they end their executors), then the master.
if [ -d "$DIR/pids" ]; then
  for pattern in '*HiveThriftServer2*' '*deploy.worker.Worker*' '*deploy.master.Master*'; do
    for file in "$DIR"/pids/spark-$pattern.pid; do
      [ -f "$file" ] || continue
      stop_pid "$(cat "$file")" "$(basename "$file" .pid)"
      rm -f "$file"
    done
  done
fi

# Executors carry the run's temporary directory on their command line; a
# worker killed hard may leave one behind.
if [ -d "$DIR" ]; then
  for pid in $(pgrep -f -- "-Djava.io.tmpdir=$DIR/tmp" || true); do
    log "ending leftover process $pid"
    stop_pid "$pid" "leftover"
  done
fi

rm -rf "$DIR"
log "stopped and removed $DIR"
