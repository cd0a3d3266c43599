/**
 * Whole statements around a compiled `where`: a member count and a member
 * listing, in the dialect's quoting.
 */
import { dialectRules, quoteTableName, type Dialect } from './dialect.js';

export interface QueryTarget {
  dialect: Dialect;
  /** Table name as written, possibly `schema.table`. */
  table: string;
}

/** `SELECT COUNT(*) AS members FROM t WHERE …`: rows where the predicate is true. */
export function countQuery(whereSql: string, target: QueryTarget): string {
  const rules = dialectRules(target.dialect);
  return `SELECT COUNT(*) AS members FROM ${quoteTableName(rules, target.table)} WHERE ${whereSql}`;
}

export interface SelectOptions {
  /** Columns to return; all (`*`) when omitted. */
  columns?: string[];
  /** Sort by these columns (e.g. the dataset's key) for a stable listing. */
  orderBy?: string[];
  limit?: number;
}

/** `SELECT cols FROM t WHERE … [ORDER BY …] [LIMIT n]`. */
export function selectQuery(whereSql: string, target: QueryTarget, options: SelectOptions = {}): string {
  const rules = dialectRules(target.dialect);
  const columns = options.columns?.length ? options.columns.map((c) => rules.ident(c)).join(', ') : '*';
  let sql = `SELECT ${columns} FROM ${quoteTableName(rules, target.table)} WHERE ${whereSql}`;
  if (options.orderBy?.length) sql += ` ORDER BY ${options.orderBy.map((c) => rules.ident(c)).join(', ')}`;
  if (options.limit !== undefined) {
    if (!Number.isInteger(options.limit) || options.limit < 0) throw new RangeError('limit must be a whole number');
    sql += ` LIMIT ${options.limit}`;
  }
  return sql;
}
