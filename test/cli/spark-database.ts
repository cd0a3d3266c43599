/**
 * A Spark database of a test's own on the cluster at SEGSPEC_SPARK_URL, so
 * tables named like the test's datasets collide with no other test file.
 */
import { SparkRunner } from '../../server/src/sqlengines/spark.js';

/** Creates database `name` (if absent), runs `fill` on a session in it, and returns the URL that names it. */
export async function sparkDatabase(serverUrl: string, name: string, fill: (runner: SparkRunner) => Promise<void>): Promise<string> {
  const runner = await SparkRunner.connect(serverUrl);
  try {
    await runner.query(`CREATE DATABASE IF NOT EXISTS ${name}`);
    await fill(runner);
  } finally {
    await runner.close();
  }
  const target = new URL(serverUrl);
  target.pathname = `/${name}`;
  return target.toString();
}
