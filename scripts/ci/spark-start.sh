#!/usr/bin/env bash
# Starts a throwaway Spark standalone cluster on loopback (one master, two
# workers) and a Spark Thrift server (HiveServer2 protocol, binary transport)
# that runs its queries on that cluster. Installs PySpark (pinned, from PyPI;
# its wheel carries the Spark jars including the Thrift server) into a cache
# outside the repository when it is missing. Prints the connection URL on
# stdout and writes it to $SEGSPEC_SPARK_DIR/url; export it as SEGSPEC_SPARK_URL:
#
#   export SEGSPEC_SPARK_URL="$(bash scripts/ci/spark-start.sh)"
#   ... tests ...
#   bash scripts/ci/spark-stop.sh
#
# Environment: SEGSPEC_SPARK_DIR (runtime files, default /tmp/segspec-spark),
# SEGSPEC_SPARK_CACHE (PySpark install, default ~/.cache/segspec-spark),
# SEGSPEC_SPARK_PORT (Thrift port, default 10009),
# SEGSPEC_SPARK_MASTER_PORT (default 7077).
set -euo pipefail

PYSPARK_VERSION="3.5.7"
DIR="${SEGSPEC_SPARK_DIR:-/tmp/segspec-spark}"
CACHE="${SEGSPEC_SPARK_CACHE:-$HOME/.cache/segspec-spark}"
PORT="${SEGSPEC_SPARK_PORT:-10009}"
MASTER_PORT="${SEGSPEC_SPARK_MASTER_PORT:-7077}"
HOST=127.0.0.1
MASTER="spark://$HOST:$MASTER_PORT"
START_TIMEOUT="${SEGSPEC_SPARK_START_TIMEOUT:-300}"
HERE="$(cd "$(dirname "$0")" && pwd)"

log() { echo "spark-start: $(date -u +%H:%M:%S) $*" >&2; }
SECONDS=0

# --- Java ------------------------------------------------------------------
if ! command -v java >/dev/null 2>&1; then
  log "installing a Java runtime (apt-get)"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >&2
  apt-get install -y -qq openjdk-17-jre-headless >&2
fi
if [ -z "${JAVA_HOME:-}" ]; then
  JAVA_HOME="$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")"
  export JAVA_HOME
fi

# --- PySpark (Spark's jars and launch scripts) ------------------------------
VENV="$CACHE/venv-$PYSPARK_VERSION"
installed_version() {
  "$VENV/bin/python" -c 'import pyspark; print(pyspark.__version__)' 2>/dev/null || true
}
if [ "$(installed_version)" != "$PYSPARK_VERSION" ]; then
  log "installing pyspark==$PYSPARK_VERSION into $VENV (pip, ~320 MB)"
  rm -rf "$VENV"
  mkdir -p "$CACHE"
  python3 -m venv "$VENV" >&2
  "$VENV/bin/pip" install -q --disable-pip-version-check "pyspark==$PYSPARK_VERSION" >&2
fi
SPARK_HOME="$("$VENV/bin/python" -c 'import os, pyspark; print(os.path.dirname(pyspark.__file__))')"
export SPARK_HOME
if ! ls "$SPARK_HOME"/jars/spark-hive-thriftserver_*.jar >/dev/null 2>&1; then
  echo "spark-start: $SPARK_HOME/jars has no spark-hive-thriftserver jar" >&2
  exit 1
fi
chmod +x "$SPARK_HOME"/bin/* "$SPARK_HOME"/sbin/*
log "Spark $PYSPARK_VERSION at $SPARK_HOME (ready after ${SECONDS}s)"

# --- Runtime directory -------------------------------------------------------
if [ -d "$DIR" ]; then
  log "stopping what a previous run left in $DIR"
  SEGSPEC_SPARK_DIR="$DIR" bash "$HERE/spark-stop.sh" || true
fi
mkdir -p "$DIR"/{logs,pids,work-1,work-2,warehouse,tmp,conf}

# A port some other server already holds would make the readiness checks below
# answer for that server: refuse to start instead.
for port in "$PORT" "$MASTER_PORT"; do
  if (exec 3<>"/dev/tcp/$HOST/$port") 2>/dev/null; then
    log "port $port on $HOST is already in use (another Spark or Thrift server?); set SEGSPEC_SPARK_PORT / SEGSPEC_SPARK_MASTER_PORT"
    exit 1
  fi
done

export SPARK_LOCAL_IP="$HOST"
export SPARK_LOCAL_HOSTNAME="$HOST"
export SPARK_MASTER_HOST="$HOST"
export SPARK_LOG_DIR="$DIR/logs"
export SPARK_PID_DIR="$DIR/pids"
export SPARK_IDENT_STRING=segspec
export SPARK_CONF_DIR="$DIR/conf"
export PYSPARK_PYTHON="$VENV/bin/python"
# Spark daemons write relative files (Derby's metastore, derby.log) into the working directory.
cd "$DIR"

cat >"$DIR/conf/log4j2.properties" <<'EOF'
rootLogger.level = warn
rootLogger.appenderRef.stdout.ref = console
appender.console.type = Console
appender.console.name = console
appender.console.target = SYSTEM_ERR
appender.console.layout.type = PatternLayout
appender.console.layout.pattern = %d{HH:mm:ss} %p %c{1}: %m%n
logger.thrift.name = org.apache.spark.sql.hive.thriftserver
logger.thrift.level = info
EOF
# The in-memory catalog spares the Hive metastore (Derby) set-up, the slowest
# part of the start; tables live as long as the server, which suits tests.
cat >"$DIR/conf/spark-defaults.conf" <<EOF
spark.ui.enabled                 false
spark.sql.session.timeZone       UTC
spark.driver.extraJavaOptions    -Duser.timezone=UTC -Dderby.system.home=$DIR -Djava.io.tmpdir=$DIR/tmp
spark.executor.extraJavaOptions  -Duser.timezone=UTC -Djava.io.tmpdir=$DIR/tmp
spark.local.dir                  $DIR/tmp
spark.sql.warehouse.dir          $DIR/warehouse
spark.sql.catalogImplementation  in-memory
spark.hadoop.javax.jdo.option.ConnectionURL  jdbc:derby:memory:segspec;create=true
spark.sql.shuffle.partitions     4
EOF

DAEMON="$SPARK_HOME/sbin/spark-daemon.sh"

# True while the daemon whose pid file name contains $1 runs.
daemon_alive() {
  local file
  for file in "$DIR"/pids/spark-*"$1"*.pid; do
    [ -f "$file" ] && kill -0 "$(cat "$file")" 2>/dev/null && return 0
  done
  return 1
}

wait_for_port() { # host port seconds what daemon-class
  local deadline=$((SECONDS + $3))
  until (exec 3<>"/dev/tcp/$1/$2") 2>/dev/null; do
    if [ "$SECONDS" -ge "$deadline" ] || ! daemon_alive "$5"; then
      log "$4 did not open $1:$2 in $3 s; logs:"
      tail -n 40 "$DIR"/logs/*.out >&2 || true
      exit 1
    fi
    sleep 1
  done
}

log "starting the master on $MASTER"
SPARK_DAEMON_MEMORY=256m "$DAEMON" start org.apache.spark.deploy.master.Master 1 \
  --host "$HOST" --port "$MASTER_PORT" --webui-port 0 >&2
wait_for_port "$HOST" "$MASTER_PORT" 120 "the master" deploy.master.Master

for i in 1 2; do
  log "starting worker $i (1 core, 1g)"
  SPARK_DAEMON_MEMORY=256m "$DAEMON" start org.apache.spark.deploy.worker.Worker "$i" \
    --host "$HOST" --webui-port 0 --cores 1 --memory 1g --work-dir "$DIR/work-$i" "$MASTER" >&2
done

log "starting the Thrift server on $HOST:$PORT"
"$DAEMON" submit org.apache.spark.sql.hive.thriftserver.HiveThriftServer2 1 \
  --name "segspec Thrift server" \
  --master "$MASTER" \
  --driver-memory 768m --executor-memory 512m --executor-cores 1 --total-executor-cores 2 \
  --hiveconf hive.server2.thrift.port="$PORT" \
  --hiveconf hive.server2.thrift.bind.host="$HOST" \
  --hiveconf hive.server2.transport.mode=binary \
  --hiveconf hive.server2.authentication=NONE >&2
wait_for_port "$HOST" "$PORT" "$START_TIMEOUT" "the Thrift server" HiveThriftServer2

# The port opens before the server can run queries: wait for one that runs
# tasks on the executors. The check uses the repository's hive-driver when it
# is installed (no JVM to start), else Spark's beeline.
REPO="$(cd "$HERE/../.." && pwd)"
READY_JS='
const hive = require("hive-driver");
const [host, port] = process.argv.slice(1);
(async () => {
  const { TCLIService, TCLIService_types: T } = hive.thrift;
  const client = new hive.HiveClient(TCLIService, T);
  client.on("error", () => {});
  await client.connect({ host, port: Number(port) }, new hive.connections.TcpConnection(),
    new hive.auth.PlainTcpAuthentication({ username: "segspec", password: "segspec" }));
  const session = await client.openSession({ client_protocol: T.TProtocolVersion.HIVE_CLI_SERVICE_PROTOCOL_V10 });
  const op = await session.executeStatement("SELECT count(*) AS n FROM range(0, 1000, 1, 2)", { runAsync: false });
  await op.status(false);
  const utils = new hive.HiveUtils(T);
  await utils.fetchAll(op);
  const rows = utils.getResult(op).getValue();
  await op.close();
  await session.close();
  client.close();
  process.exit(rows && rows[0] && Number(rows[0].n) === 1000 ? 0 : 1);
})().catch((e) => { console.error(String((e && e.message) || e)); process.exit(1); });
'
answers_query() {
  if command -v node >/dev/null 2>&1 && [ -f "$REPO/node_modules/hive-driver/package.json" ]; then
    (cd "$REPO" && timeout 300 node -e "$READY_JS" "$HOST" "$PORT")
  else
    "$SPARK_HOME/bin/beeline" -u "jdbc:hive2://$HOST:$PORT/default" --silent=true --outputformat=csv2 \
      -e "SELECT count(*) AS n FROM range(0, 1000, 1, 2)" | grep -q '^1000$'
  fi
}
log "waiting for a query to run on the cluster"
deadline=$((SECONDS + START_TIMEOUT))
until answers_query 2>"$DIR/logs/ready.err"; do
  if [ "$SECONDS" -ge "$deadline" ] || ! daemon_alive HiveThriftServer2; then
    log "the Thrift server does not answer queries; logs:"
    tail -n 40 "$DIR/logs/ready.err" "$DIR"/logs/*.out >&2 || true
    exit 1
  fi
  sleep 2
done

URL="hive://$HOST:$PORT"
echo "$URL" >"$DIR/url"
log "running on $URL (master $MASTER, 2 workers; files in $DIR; ${SECONDS}s)"
echo "$URL"
