/**
 * Sizes and pairwise overlaps of a dataset's segments measured on a SQL
 * engine: the numbers `segspec stats` shows, computed where the data lives.
 * Every count is a `SUM(CASE WHEN … THEN 1 ELSE 0 END)` column, so one scan
 * of the table answers a whole batch of predicates.
 */
import { compileSegment } from '../core/sql/from-model.js';
import { dialectRules, quoteTableName } from '../core/sql/dialect.js';
import type { WorkspaceModel } from '../core/semantics/model.js';
import type { SqlRunner } from './segments.js';
import { countPairOverlaps } from './pair-overlaps.js';

/** A runner that can also run an arbitrary statement (all of ours can). */
export interface QueryingRunner extends SqlRunner {
  query(sql: string): Promise<Array<Record<string, unknown>>>;
}

/** Predicates per statement: keeps the select list far below engines' column limits. */
const BATCH = 200;

/** For each predicate, the rows of `table` where it is true (NULL counts as false, as in a WHERE). */
export async function countPredicates(runner: QueryingRunner, wheres: readonly string[], table: string): Promise<number[]> {
  const from = quoteTableName(dialectRules(runner.dialect), table);
  const counts: number[] = [];
  for (let start = 0; start < wheres.length; start += BATCH) {
    const batch = wheres.slice(start, start + BATCH);
    const columns = batch.map((where, i) => `SUM(CASE WHEN ${where} THEN 1 ELSE 0 END) AS c${i}`);
    const [row] = await runner.query(`SELECT ${columns.join(', ')} FROM ${from}`);
    // An empty table sums to NULL; drivers return BIGINT/NUMERIC as bigint or text.
    for (let i = 0; i < batch.length; i++) counts.push(Number(row?.[`c${i}`] ?? 0));
  }
  return counts;
}

export interface SegmentMeasure {
  segment: string;
  /** Members on the engine; undefined when the segment could not be compiled or run. */
  size?: number;
  error?: string;
}

export interface DatasetMeasure {
  dataset: string;
  rows: number;
  segments: SegmentMeasure[];
  /** Every pair of measured segments, in declaration order (a before b). */
  overlaps: Array<{ a: string; b: string; count: number }>;
}

export interface MeasureOptions {
  dataset: string;
  /** Table holding the dataset's rows on the engine. */
  table: string;
  /** Fallback reference date (the dataset's `as of` wins, as in `compileSegment`). */
  asOf?: string;
  /** Only these segments (default: every segment of the dataset). */
  segments?: readonly string[];
}

export async function measureDataset(runner: QueryingRunner, model: WorkspaceModel, options: MeasureOptions): Promise<DatasetMeasure> {
  const names = (options.segments ?? [...model.segmentOrder, ...model.cyclic]).filter(
    (name) => model.segments.get(name)?.dataset === options.dataset,
  );
  const compiled: Array<{ segment: string; sql: string }> = [];
  const segments: SegmentMeasure[] = [];
  for (const segment of names) {
    try {
      const { sql } = compileSegment(model, segment, { dialect: runner.dialect, asOf: options.asOf, table: options.table });
      compiled.push({ segment, sql });
    } catch (error) {
      segments.push({ segment, error: error instanceof Error ? error.message : String(error) });
    }
  }
  // One scan for rows and sizes; when it fails (one segment's SQL the engine rejects), each segment alone names the culprit.
  let sizes: Array<number | Error>;
  let rows: number;
  try {
    const counts = await countPredicates(runner, ['1 = 1', ...compiled.map((c) => `(${c.sql})`)], options.table);
    rows = counts[0];
    sizes = counts.slice(1);
  } catch (batchError) {
    rows = (await countPredicates(runner, ['1 = 1'], options.table))[0];
    sizes = [];
    for (const c of compiled) sizes.push(await countPredicates(runner, [`(${c.sql})`], options.table).then((n) => n[0], asError));
    if (sizes.every((x) => x instanceof Error)) throw batchError;
  }
  const measured: Array<{ segment: string; sql: string }> = [];
  compiled.forEach((c, i) => {
    const size = sizes[i];
    if (size instanceof Error) segments.push({ segment: c.segment, error: size.message.split('\n')[0] });
    else {
      segments.push({ segment: c.segment, size });
      measured.push(c);
    }
  });
  const pairs: Array<[number, number]> = [];
  for (let i = 0; i < measured.length; i++) for (let j = i + 1; j < measured.length; j++) pairs.push([i, j]);
  const overlapCounts = await countPairOverlaps(runner, measured.map((c) => c.sql), options.table);
  const order = new Map(names.map((n, i) => [n, i]));
  segments.sort((x, y) => (order.get(x.segment) ?? 0) - (order.get(y.segment) ?? 0));
  return {
    dataset: options.dataset,
    rows,
    segments,
    overlaps: pairs.map(([i, j], k) => ({ a: measured[i].segment, b: measured[j].segment, count: overlapCounts[k] })),
  };
}

function asError(error: unknown): Error {
  return error instanceof Error ? error : new Error(String(error));
}
