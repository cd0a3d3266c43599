/**
 * Scale-out figure on a Spark cluster (SEGSPEC_SPARK_URL, a Spark Thrift
 * server): every segment of each bundled sample evaluated on Spark through
 * the product's path (`runDatasetOnSpark`: compiled SQL, one statement per
 * dataset), against the embedded engine evaluating the same workspace's
 * segments (a fresh `Engine`, on data already loaded). The samples' tables
 * are loaded into the cluster first, untimed, and dropped at the end.
 */
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { Workspace, type Analysis } from '../../server/src/core/workspace.js';
import { Engine } from '../../server/src/core/engine/index.js';
import { NodeHost } from '../../server/src/node/fs-host.js';
import { datasetFields, datasetSourcePath } from '../../server/src/sqlengines/workspace.js';
import type { SegmentOutcome } from '../../server/src/sqlengines/segments.js';
import { type Figure, median, progress, timeRuns } from './harness.js';
import type { ScaleResult } from './parquet-scale.js';

const SCHEMA = 'segspec_bench';
const RUNS = Number(process.env.BENCH_SPARK_RUNS ?? 3);

export const SPARK_SKIPPED =
  'spark samples: skipped (SEGSPEC_SPARK_URL is not set; for this figure start a local cluster with `SEGSPEC_CI_SPARK=1 source scripts/ci/services-start.sh`, run `npm run bench` in that shell, then `bash scripts/ci/services-stop.sh`)';

function sampleDirs(): string[] {
  const root = join(process.cwd(), 'samples');
  if (!existsSync(root)) return [];
  return readdirSync(root, { withFileTypes: true })
    .filter((e) => e.isDirectory())
    .map((e) => join(root, e.name))
    .sort();
}

/** Segment sizes the embedded engine reports (drafts and segments without data left out, as in the Spark tests). */
function embeddedSizes(analysis: Analysis): Map<string, number> {
  return new Map(
    [...analysis.results.segments.values()]
      .filter((r) => r.status !== 'unavailable' && r.status !== 'draft')
      .map((r) => [r.name, r.size]),
  );
}

export async function sparkFigures(): Promise<ScaleResult> {
  const url = process.env.SEGSPEC_SPARK_URL;
  if (!url) return { figures: [], notes: [SPARK_SKIPPED], problems: [] };
  const samples = sampleDirs();
  if (samples.length === 0) return { figures: [], notes: ['spark samples: skipped (no samples/ folder in the working directory)'], problems: [] };
  // Loaded only here: the Thrift driver is needed for this figure alone. It calls the deprecated Buffer() (DEP0005 on stderr).
  process.noDeprecation = true;
  const { SparkRunner } = await import('../../server/src/sqlengines/spark.js');
  const { runDatasetOnSpark } = await import('../../server/src/sqlengines/spark-workspace.js');
  const figures: Figure[] = [];
  const problems: string[] = [];
  const notes: string[] = [];
  const runner = await SparkRunner.connect(url);
  try {
    for (const dir of samples) {
      const sample = dir.split(/[\\/]/).pop() as string;
      const analysis = await new Workspace(new NodeHost(), dir).analyze();
      const { model, data } = analysis;

      progress(`spark: embedded engine on ${sample}`);
      new Engine().analyze(model, data);
      const embeddedMs = median(await timeRuns(RUNS, () => void new Engine().analyze(model, data)));

      progress(`spark: loading ${sample} into ${SCHEMA}`);
      const tables = new Map<string, string>();
      for (const dataset of model.datasets.keys()) {
        const path = datasetSourcePath(model, dataset);
        if (!path) continue;
        const table = `${SCHEMA}.${`${sample}_${dataset}`.replace(/[^A-Za-z0-9_]/g, '_')}`;
        await runner.loadSample(table, { path, fields: datasetFields(model, dataset) });
        tables.set(dataset, table);
      }

      progress(`spark: ${sample} segments on the cluster`);
      const evaluate = async () => {
        const outcomes: SegmentOutcome[] = [];
        for (const [dataset, table] of tables) outcomes.push(...(await runDatasetOnSpark(runner, model, dataset, table)));
        return outcomes;
      };
      let outcomes = await evaluate();
      const sparkMs = median(await timeRuns(RUNS, async () => void (outcomes = await evaluate())));

      const embedded = embeddedSizes(analysis);
      for (const o of outcomes) {
        if ('error' in o) problems.push(`spark ${sample} ${o.segment}: ${o.error.split('\n')[0]}`);
        else if (embedded.has(o.segment) && embedded.get(o.segment) !== o.count) {
          problems.push(`spark ${sample} ${o.segment}: Spark ${o.count}, embedded ${embedded.get(o.segment)}`);
        }
      }
      const compared = outcomes.filter((o) => !('error' in o) && embedded.has(o.segment)).length;
      figures.push(
        { name: `spark ${sample} ${outcomes.length} segments [spark]`, value: sparkMs, unit: 'ms', ratio: sparkMs / embeddedMs },
        { name: `spark ${sample} ${outcomes.length} segments [embedded]`, value: embeddedMs, unit: 'ms' },
      );
      notes.push(`spark ${sample} sizes == embedded: ${compared} segments compared, ${problems.filter((p) => p.startsWith(`spark ${sample} `)).length} differ`);
    }
  } finally {
    await runner.query(`DROP DATABASE IF EXISTS ${SCHEMA} CASCADE`).catch(() => undefined);
    await runner.close();
  }
  return { figures, notes, problems };
}
