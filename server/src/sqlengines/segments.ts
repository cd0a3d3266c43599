/**
 * Evaluates every segment of a dataset on a SQL engine through the compiler:
 * the scale-out counterpart of the embedded engine's sizes.
 */
import { compileSegment } from '../core/sql/from-model.js';
import type { Dialect } from '../core/sql/dialect.js';
import type { WorkspaceModel } from '../core/semantics/model.js';
import type { RelatedJoin } from '../core/sql/related.js';

export interface SqlRunner {
  readonly dialect: Dialect;
  /** `joins`: the subqueries of related datasets the predicate reads (`CompiledSql.joins`). */
  count(whereSql: string, table: string, joins?: readonly RelatedJoin[]): Promise<number>;
  memberKeys(whereSql: string, table: string, key: string, joins?: readonly RelatedJoin[]): Promise<string[]>;
}

export type SegmentOutcome =
  | { segment: string; sql: string; notes: string[]; count: number; keys?: string[] }
  | { segment: string; error: string };

export interface RunSegmentsOptions {
  dataset: string;
  /** Table holding the dataset's rows on the engine. */
  table: string;
  asOf?: string;
  /** Also return each segment's member keys (sorted) using this key column. */
  key?: string;
  /** The tables of the related datasets (SPEC §11); default: their `table` property, else their names. */
  tableOf?(dataset: string): string | undefined;
}

export async function runSegments(
  runner: SqlRunner,
  model: WorkspaceModel,
  options: RunSegmentsOptions,
): Promise<SegmentOutcome[]> {
  const outcomes: SegmentOutcome[] = [];
  const names = [...model.segmentOrder, ...model.cyclic].filter(
    (name) => model.segments.get(name)?.dataset === options.dataset,
  );
  for (const segment of names) {
    try {
      const compiled = compileSegment(model, segment, {
        dialect: runner.dialect,
        asOf: options.asOf,
        table: options.table,
        tableOf: options.tableOf,
      });
      const count = await runner.count(compiled.sql, options.table, compiled.joins);
      const keys = options.key ? await runner.memberKeys(compiled.sql, options.table, options.key, compiled.joins) : undefined;
      outcomes.push({ segment, sql: compiled.sql, notes: compiled.notes, count, ...(keys ? { keys } : {}) });
    } catch (error) {
      outcomes.push({ segment, error: error instanceof Error ? error.message : String(error) });
    }
  }
  return outcomes;
}
