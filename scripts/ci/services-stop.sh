#!/usr/bin/env bash
# Stops whatever services-start.sh started (safe to run when nothing runs).
here="$(cd "$(dirname "$0")" && pwd)"
bash "$here/postgres-stop.sh" || true
if [ -f "$here/spark-stop.sh" ] && [ -d "${SEGSPEC_SPARK_DIR:-/tmp/segspec-spark}" ]; then
  bash "$here/spark-stop.sh" || true
fi
