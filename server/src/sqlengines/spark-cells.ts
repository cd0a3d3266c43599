/**
 * Rows read by DuckDB's loaders turned into plain cells (see rows.ts) that
 * can be written to another engine: dates as `YYYY-MM-DD`, date-times as ISO
 * 8601 UTC, lists as arrays of strings or numbers.
 */
import type { FieldSpec } from './duckdb.js';
import type { Row, RowValue } from './rows.js';

export function rowFromEngine(raw: Record<string, unknown>, fields: FieldSpec[]): Row {
  const row: Row = {};
  for (const field of fields) row[field.name] = cellFromEngine(raw[field.name], field.type === 'date');
  return row;
}

function cellFromEngine(value: unknown, isDate: boolean): RowValue {
  if (value === null || value === undefined) return null;
  if (typeof value === 'bigint') return Number(value);
  if (value instanceof Date) return isDate ? value.toISOString().slice(0, 10) : value.toISOString();
  if (Array.isArray(value)) {
    return value.every((v) => typeof v === 'string')
      ? (value as string[])
      : value.map((v) => Number(v as number | bigint));
  }
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') return value;
  return String(value);
}
