#!/usr/bin/env bash
# Starts a throwaway PostgreSQL cluster on a loopback port for the SQL tests.
# Installs Debian's `postgresql` when it is missing. Prints the connection URL
# on stdout and writes it to $SEGSPEC_PG_DIR/url; export it as SEGSPEC_PG_URL:
#
#   export SEGSPEC_PG_URL="$(bash scripts/ci/postgres-start.sh)"
#   ... tests ...
#   bash scripts/ci/postgres-stop.sh
#
# Environment: SEGSPEC_PG_DIR (default /tmp/segspec-pg), SEGSPEC_PG_PORT (default 54329).
set -euo pipefail

DIR="${SEGSPEC_PG_DIR:-/tmp/segspec-pg}"
PORT="${SEGSPEC_PG_PORT:-54329}"

log() { echo "postgres-start: $*" >&2; }

find_bin() {
  local found
  found="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)"
  if [ -n "$found" ] && [ -x "$found/initdb" ]; then echo "$found"; return 0; fi
  return 1
}

BIN="$(find_bin || true)"
if [ -z "$BIN" ]; then
  log "installing postgresql (apt-get)"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >&2
  apt-get install -y -qq postgresql >&2
  BIN="$(find_bin)"
fi

# Run the server as an unprivileged user: PostgreSQL refuses to run as root.
if [ "$(id -u)" = "0" ]; then
  id postgres >/dev/null 2>&1 || useradd --system --home-dir "$DIR" postgres
  as_pg() { su postgres -s /bin/bash -c "$*"; }
else
  as_pg() { bash -c "$*"; }
fi

if [ -f "$DIR/data/postmaster.pid" ]; then
  log "stopping a cluster left in $DIR"
  as_pg "'$BIN/pg_ctl' -D '$DIR/data' -m immediate stop" >&2 || true
fi
rm -rf "$DIR"
mkdir -p "$DIR"
[ "$(id -u)" = "0" ] && chown postgres "$DIR"

# A non-C locale when the machine has one, so that the tests see the collation
# the compiler guards against (it compares text with COLLATE "C").
LOCALE="C.UTF-8"
if locale -a 2>/dev/null | grep -qi '^en_US\.utf-\?8$'; then LOCALE="en_US.UTF-8"; fi

as_pg "'$BIN/initdb' -D '$DIR/data' -U postgres --auth=trust -E UTF8 --locale='$LOCALE'" >"$DIR/initdb.log" 2>&1 \
  || { cat "$DIR/initdb.log" >&2; exit 1; }
as_pg "'$BIN/pg_ctl' -D '$DIR/data' -l '$DIR/server.log' -w -t 60 \
  -o \"-p $PORT -k '$DIR' -c listen_addresses=127.0.0.1 -c fsync=off -c full_page_writes=off\" start" >&2 \
  || { cat "$DIR/server.log" >&2; exit 1; }

URL="postgres://postgres@127.0.0.1:${PORT}/postgres"
echo "$URL" >"$DIR/url"
log "running on $URL (data in $DIR)"
echo "$URL"
