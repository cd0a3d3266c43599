/**
 * Counting rows by predicate on a SQL engine: every count is a
 * `SUM(CASE WHEN … THEN 1 ELSE 0 END)` column, so one scan of the table
 * answers a whole batch of predicates (see analyze.ts for what is counted).
 */
import type { StoredKind } from '../core/sql/context.js';
import type { SqlRunner } from './segments.js';

/** A runner that can also run an arbitrary statement (all of ours can). */
export interface QueryingRunner extends SqlRunner {
  query(sql: string): Promise<Array<Record<string, unknown>>>;
  /**
   * The kind of each column of a table the engine did not load itself (a
   * user's table may hold a boolean as 0/1 or as words): by column name.
   */
  columnKinds?(table: string): Promise<Map<string, StoredKind>>;
}

/** Predicates per statement: keeps the select list far below engines' column limits. */
const BATCH = 200;

/**
 * For each predicate, the rows of `from` where it is true (NULL counts as
 * false, as in a WHERE). `from` is SQL: a quoted table, or a table with the
 * joins of related datasets (`fromClause`).
 */
export async function countPredicates(runner: QueryingRunner, wheres: readonly string[], from: string): Promise<number[]> {
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
