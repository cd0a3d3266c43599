/**
 * The scale-out figures, printed after the in-process ones: a Parquet file of
 * BENCH_PARQUET_ROWS rows on DuckDB (parquet-scale.ts), related aggregates
 * over BENCH_RELATED_EVENTS events against DuckDB's GROUP BY (related-scale.ts) and the samples on a
 * Spark cluster when SEGSPEC_SPARK_URL is set (spark-scale.ts). Any count
 * that differs from its reference is printed as `mismatch: …` and fails the
 * bench.
 */
import { formatFigure } from './harness.js';
import type { ScaleResult } from './parquet-scale.js';
import { relatedFigures, runRelatedChild } from './related-scale.js';

// The Parquet and Spark figures are loaded when they run: they load DuckDB's
// native library (~10 MB resident), which must not count in the peak RSS of
// our in-process stages, measured before them.
const parquetScale = () => import('./parquet-scale.js');

/** Prints every scale-out figure and note; returns false when a cross-check failed. */
export async function printScaleOutFigures(): Promise<boolean> {
  let ok = true;
  const parquetFigures = async () => (await parquetScale()).parquetFigures();
  const sparkFigures = async () => (await import('./spark-scale.js')).sparkFigures();
  for (const run of [relatedFigures, parquetFigures, sparkFigures]) {
    const result: ScaleResult = await run();
    for (const f of result.figures) console.log(formatFigure(f));
    for (const note of result.notes) console.log(note);
    for (const p of result.problems) console.log(`mismatch: ${p}`);
    if (result.problems.length > 0) ok = false;
  }
  return ok;
}

/** True when this process is a scale-out child (bench.ts forks itself); runs it. */
export function runScaleChild(): boolean {
  if (runRelatedChild()) return true;
  const role = process.env.BENCH_PARQUET_CHILD;
  if (!role) return false;
  parquetScale()
    .then(({ parquetChild }) => parquetChild(role, process.env.BENCH_PARQUET_PATH ?? ''))
    .catch((error: unknown) => {
      console.error(error);
      process.exit(1);
    });
  return true;
}
