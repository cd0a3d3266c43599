/**
 * Creating and filling a table from in-memory rows, for DuckDB and
 * PostgreSQL (tests, and loading a sample into a database): column types and
 * literals follow the representation in core/sql/dialect.ts.
 */
import type { ColumnType } from '../core/data/table.js';
import { dialectRules, quoteTableName } from '../core/sql/dialect.js';
import type { FieldSpec } from './duckdb.js';

/** A cell: dates as `YYYY-MM-DD`, date-times as ISO 8601 text, lists as arrays; null is missing. */
export type RowValue = string | number | boolean | null | string[] | number[];
export type Row = Record<string, RowValue>;

type RowDialect = 'duckdb' | 'postgres';

export function sqlColumnType(dialect: RowDialect, type: ColumnType): string {
  switch (type) {
    case 'string':
    case 'enum':
    case 'semver':
      return dialect === 'postgres' ? 'TEXT' : 'VARCHAR';
    case 'integer':
      return 'BIGINT';
    case 'number':
      return dialect === 'postgres' ? 'DOUBLE PRECISION' : 'DOUBLE';
    case 'boolean':
      return 'BOOLEAN';
    case 'date':
      return 'DATE';
    case 'datetime':
      return 'TIMESTAMP';
    case 'list<string>':
      return dialect === 'postgres' ? 'TEXT[]' : 'VARCHAR[]';
    case 'list<integer>':
      return 'BIGINT[]';
  }
}

export function createTableSql(dialect: RowDialect, table: string, fields: FieldSpec[]): string {
  const rules = dialectRules(dialect);
  const columns = fields.map((f) => `${rules.ident(f.name)} ${sqlColumnType(dialect, f.type)}`).join(', ');
  return `CREATE TABLE ${quoteTableName(rules, table)} (${columns})`;
}

/** `INSERT … VALUES …` statements, at most `batch` rows each. */
export function insertSql(dialect: RowDialect, table: string, fields: FieldSpec[], rows: Row[], batch = 500): string[] {
  const rules = dialectRules(dialect);
  const statements: string[] = [];
  for (let start = 0; start < rows.length; start += batch) {
    const tuples = rows
      .slice(start, start + batch)
      .map((row) => `(${fields.map((f) => literal(dialect, f.type, row[f.name] ?? null)).join(', ')})`);
    statements.push(`INSERT INTO ${quoteTableName(rules, table)} VALUES ${tuples.join(', ')}`);
  }
  return statements;
}

function literal(dialect: RowDialect, type: ColumnType, value: RowValue): string {
  const rules = dialectRules(dialect);
  if (value === null) return `CAST(NULL AS ${sqlColumnType(dialect, type)})`;
  if (Array.isArray(value)) {
    const items = (value as Array<string | number>).map((v) =>
      typeof v === 'number' ? numberLiteral(v) : rules.string(v),
    );
    const array = dialect === 'postgres' ? `ARRAY[${items.join(', ')}]` : `[${items.join(', ')}]`;
    return `CAST(${array} AS ${sqlColumnType(dialect, type)})`;
  }
  switch (type) {
    case 'integer':
    case 'number':
      return numberLiteral(Number(value));
    case 'boolean':
      return value === true || value === 'true' ? 'TRUE' : 'FALSE';
    case 'date':
      return `DATE ${rules.string(String(value))}`;
    case 'datetime':
      return `TIMESTAMP ${rules.string(new Date(String(value)).toISOString().replace('T', ' ').replace('Z', ''))}`;
    default:
      return rules.string(String(value));
  }
}

function numberLiteral(value: number): string {
  if (!Number.isFinite(value)) throw new RangeError(`cannot store ${value}`);
  return value < 0 ? `(${value})` : String(value);
}
