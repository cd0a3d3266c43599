# Sourced by .ci/run (under `set -euo pipefail`): starts the servers the tests
# talk to and exports where they are. Stopped by services-stop.sh.
#
#   SEGSPEC_PG_URL     PostgreSQL 15+ on 127.0.0.1:54329 (postgres-start.sh)
#   SEGSPEC_SPARK_URL  Spark Thrift server, only when SEGSPEC_CI_SPARK=1 and
#                      spark-start.sh is present (it takes minutes)
_segspec_ci_dir="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"

echo "::group::PostgreSQL"
SEGSPEC_PG_URL="$(bash "$_segspec_ci_dir/postgres-start.sh")"
export SEGSPEC_PG_URL
echo "::endgroup::"

if [ "${SEGSPEC_CI_SPARK:-0}" = "1" ] && [ -f "$_segspec_ci_dir/spark-start.sh" ]; then
  echo "::group::Spark"
  SEGSPEC_SPARK_URL="$(bash "$_segspec_ci_dir/spark-start.sh")"
  export SEGSPEC_SPARK_URL
  echo "::endgroup::"
fi
unset _segspec_ci_dir
