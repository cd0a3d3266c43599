#!/usr/bin/env bash
# Stops the cluster started by postgres-start.sh and removes its files.
set -euo pipefail

DIR="${SEGSPEC_PG_DIR:-/tmp/segspec-pg}"
BIN="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)"

if [ -n "$BIN" ] && [ -f "$DIR/data/postmaster.pid" ]; then
  if [ "$(id -u)" = "0" ]; then
    su postgres -s /bin/bash -c "'$BIN/pg_ctl' -D '$DIR/data' -m fast -w stop" >&2 || true
  else
    "$BIN/pg_ctl" -D "$DIR/data" -m fast -w stop >&2 || true
  fi
fi
rm -rf "$DIR"
echo "postgres-stop: stopped and removed $DIR" >&2
