/**
 * Runs a whole workspace model's segments on Spark: each dataset's table (its
 * `table "schema.name"` property, else its name — or its sample file loaded
 * first) is sized for all its segments in one statement, because each
 * statement is a distributed job. When that statement fails, the segments are
 * counted one by one so that the failing ones are named.
 */
import type { WorkspaceModel } from '../core/semantics/model.js';
import { compileSegment } from '../core/sql/from-model.js';
import type { CompiledSql } from '../core/sql/context.js';
import { dialectRules } from '../core/sql/dialect.js';
import { type RelatedJoin, RelatedJoins } from '../core/sql/related.js';
import type { SegmentOutcome } from './segments.js';
import { SparkRunner } from './spark.js';
import { type PostgresRunOptions, runWorkspaceOnServer } from './workspace.js';

export type SparkRunOptions = PostgresRunOptions;

interface Compiled {
  segment: string;
  compiled?: CompiledSql;
  error?: string;
}

/** The dataset's segments, compiled with one set of joins of related datasets (so one statement counts them all). */
function compileDatasetSegments(model: WorkspaceModel, dataset: string, table: string, joins: RelatedJoins, asOf?: string, tableOf?: (d: string) => string | undefined): Compiled[] {
  const names = [...model.segmentOrder, ...model.cyclic].filter((name) => model.segments.get(name)?.dataset === dataset);
  return names.map((segment) => {
    try {
      return { segment, compiled: compileSegment(model, segment, { dialect: 'spark', asOf, table, joins, tableOf }) };
    } catch (error) {
      return { segment, error: error instanceof Error ? error.message : String(error) };
    }
  });
}

async function countAll(runner: SparkRunner, table: string, wheres: string[], joins: readonly RelatedJoin[]): Promise<Array<number | Error>> {
  try {
    return await runner.counts(wheres, table, joins);
  } catch {
    const results: Array<number | Error> = [];
    for (const where of wheres) {
      results.push(await runner.count(where, table, joins).catch((error: unknown) => (error instanceof Error ? error : new Error(String(error)))));
    }
    return results;
  }
}

/** Segment outcomes of one dataset whose rows are in `table` on the runner's server. */
export async function runDatasetOnSpark(
  runner: SparkRunner,
  model: WorkspaceModel,
  dataset: string,
  table: string,
  options: { asOf?: string; key?: string; tableOf?: (dataset: string) => string | undefined } = {},
): Promise<SegmentOutcome[]> {
  const relatedJoins = new RelatedJoins(dialectRules('spark'));
  const compiled = compileDatasetSegments(model, dataset, table, relatedJoins, options.asOf, options.tableOf);
  const joins = relatedJoins.joins();
  const runnable = compiled.filter((c) => c.compiled);
  const counts = await countAll(
    runner,
    table,
    runnable.map((c) => (c.compiled as CompiledSql).sql),
    joins,
  );
  const countOf = new Map(runnable.map((c, i) => [c.segment, counts[i]]));
  const outcomes: SegmentOutcome[] = [];
  for (const c of compiled) {
    const count = countOf.get(c.segment);
    if (!c.compiled || count === undefined) {
      outcomes.push({ segment: c.segment, error: c.error ?? 'not compiled' });
    } else if (count instanceof Error) {
      outcomes.push({ segment: c.segment, error: count.message });
    } else {
      const { sql, notes } = c.compiled;
      const keys = options.key ? await runner.memberKeys(sql, table, options.key, joins) : undefined;
      outcomes.push({ segment: c.segment, sql, notes, count, ...(keys ? { keys } : {}) });
    }
  }
  return outcomes;
}

/** Every segment evaluated on the Spark Thrift server at `url` (`hive://host:port`). */
export async function runWorkspaceOnSpark(
  model: WorkspaceModel,
  url: string,
  options: SparkRunOptions = {},
): Promise<Map<string, SegmentOutcome[]>> {
  return runWorkspaceOnServer(await SparkRunner.connect(url), model, options, (runner, dataset, table, opts) =>
    runDatasetOnSpark(runner, model, dataset, table, opts),
  );
}
