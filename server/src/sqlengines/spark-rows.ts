/**
 * Spark SQL spelling of in-memory rows: column types, typed literals, and the
 * statements that create a table (or a temporary view) holding them. Follows
 * the representation in core/sql/dialect.ts: date-times are TIMESTAMP in a
 * session whose time zone is UTC, lists are ARRAY<…>, missing values NULL.
 */
import type { ColumnType } from '../core/data/table.js';
import { dialectRules, quoteTableName } from '../core/sql/dialect.js';
import type { FieldSpec } from './duckdb.js';
import type { Row, RowValue } from './rows.js';

const rules = dialectRules('spark');

export function sparkColumnType(type: ColumnType): string {
  switch (type) {
    case 'string':
    case 'enum':
    case 'semver':
      return 'STRING';
    case 'integer':
      return 'BIGINT';
    case 'number':
      return 'DOUBLE';
    case 'boolean':
      return 'BOOLEAN';
    case 'date':
      return 'DATE';
    case 'datetime':
      return 'TIMESTAMP';
    case 'list<string>':
      return 'ARRAY<STRING>';
    case 'list<integer>':
      return 'ARRAY<BIGINT>';
  }
}

/** A literal of exactly the column's type, so that VALUES rows never widen or coerce. */
export function sparkLiteral(type: ColumnType, value: RowValue): string {
  if (value === null) return `CAST(NULL AS ${sparkColumnType(type)})`;
  if (Array.isArray(value)) {
    if (value.length === 0) return `CAST(array() AS ${sparkColumnType(type)})`;
    const items = (value as Array<string | number>).map((v) =>
      type === 'list<integer>' ? bigintLiteral(Number(v)) : rules.string(String(v)),
    );
    return `array(${items.join(', ')})`;
  }
  switch (type) {
    case 'integer':
      return bigintLiteral(Number(value));
    case 'number':
      return doubleLiteral(Number(value));
    case 'boolean':
      return value === true || value === 'true' ? 'TRUE' : 'FALSE';
    case 'date':
      return `DATE ${rules.string(String(value))}`;
    case 'datetime':
      return `TIMESTAMP ${rules.string(utcTimestampText(String(value)))}`;
    default:
      return rules.string(String(value));
  }
}

/** `2026-01-02T03:04:05.678Z` → `2026-01-02 03:04:05.678`, read in the session's UTC zone. */
function utcTimestampText(value: string): string {
  const ms = Date.parse(value);
  if (Number.isNaN(ms)) throw new RangeError(`not a date-time: ${value}`);
  return new Date(ms).toISOString().replace('T', ' ').replace('Z', '');
}

function bigintLiteral(value: number): string {
  if (!Number.isSafeInteger(value)) throw new RangeError(`cannot store ${value} as BIGINT`);
  return `${value}L`;
}

function doubleLiteral(value: number): string {
  if (!Number.isFinite(value)) throw new RangeError(`cannot store ${value}`);
  return `${value}D`;
}

export function createTableSql(table: string, fields: FieldSpec[], format = 'parquet'): string {
  const columns = fields.map((f) => `${rules.ident(f.name)} ${sparkColumnType(f.type)}`).join(', ');
  return `CREATE TABLE ${quoteTableName(rules, table)} (${columns}) USING ${format}`;
}

function tuple(fields: FieldSpec[], row: Row): string {
  return `(${fields.map((f) => sparkLiteral(f.type, row[f.name] ?? null)).join(', ')})`;
}

/** `INSERT INTO … VALUES …` statements, at most `batch` rows each (each one is a Spark job). */
export function insertSql(table: string, fields: FieldSpec[], rows: Row[], batch = 2000): string[] {
  const statements: string[] = [];
  for (let start = 0; start < rows.length; start += batch) {
    const tuples = rows.slice(start, start + batch).map((row) => tuple(fields, row));
    statements.push(`INSERT INTO ${quoteTableName(rules, table)} VALUES ${tuples.join(', ')}`);
  }
  return statements;
}

/**
 * A session-scoped view holding the rows inline: no files and no job to
 * create it, which suits many small tables (differential tests).
 */
export function temporaryViewSql(view: string, fields: FieldSpec[], rows: Row[]): string {
  const name = rules.ident(view);
  if (rows.length === 0) {
    const columns = fields.map((f) => `${sparkLiteral(f.type, null)} AS ${rules.ident(f.name)}`).join(', ');
    return `CREATE OR REPLACE TEMPORARY VIEW ${name} AS SELECT ${columns} WHERE FALSE`;
  }
  const columns = fields.map((f) => rules.ident(f.name)).join(', ');
  const tuples = rows.map((row) => tuple(fields, row)).join(', ');
  return `CREATE OR REPLACE TEMPORARY VIEW ${name} AS SELECT * FROM VALUES ${tuples} AS v(${columns})`;
}
