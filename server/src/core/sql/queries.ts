/**
 * Whole statements around a compiled `where`: a member count and a member
 * listing, in the dialect's quoting.
 */
import { dialectRules, type Dialect } from './dialect.js';
import { type RelatedJoin, fromClause, parentColumns, PARENT_ALIAS } from './related.js';

export interface QueryTarget {
  dialect: Dialect;
  /** Table name as written, possibly `schema.table`. */
  table: string;
  /** The joined subqueries of related datasets the predicate reads (`CompiledSql.joins`). */
  joins?: readonly RelatedJoin[];
  /** Each join on lines of its own (for people). */
  multiline?: boolean;
}

function from(target: QueryTarget): string {
  return fromClause(dialectRules(target.dialect), target.table, target.joins, target.multiline);
}

function whereKeyword(target: QueryTarget): string {
  return target.multiline && target.joins?.length ? '\nWHERE' : ' WHERE';
}

/** `SELECT COUNT(*) AS members FROM t WHERE …`: rows where the predicate is true. */
export function countQuery(whereSql: string, target: QueryTarget): string {
  return `SELECT COUNT(*) AS members FROM ${from(target)}${whereKeyword(target)} ${whereSql}`;
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
  const joins = target.joins ?? [];
  // With joins, the parent's columns are qualified: a related dataset may have a field of the same name.
  const column = (c: string): string => (joins.length ? `${rules.ident(PARENT_ALIAS)}.${rules.ident(c)}` : rules.ident(c));
  const columns = options.columns?.length ? options.columns.map(column).join(', ') : parentColumns(rules, joins);
  let sql = `SELECT ${columns} FROM ${from(target)}${whereKeyword(target)} ${whereSql}`;
  if (options.orderBy?.length) sql += ` ORDER BY ${options.orderBy.map(column).join(', ')}`;
  if (options.limit !== undefined) {
    if (!Number.isInteger(options.limit) || options.limit < 0) throw new RangeError('limit must be a whole number');
    sql += ` LIMIT ${options.limit}`;
  }
  return sql;
}
