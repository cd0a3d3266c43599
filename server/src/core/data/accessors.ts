/** Reading single values out of the columnar table (for hovers, samples, explanations). */
import type { Column, Table } from './table.js';
import { dictionaryEntry } from './packed-strings.js';

export type CellValue = string | number | boolean | string[] | number[] | null;

function isoDate(days: number): string {
  return new Date(days * 86_400_000).toISOString().slice(0, 10);
}

function isoDateTime(ms: number): string {
  return new Date(ms).toISOString().replace('.000Z', 'Z');
}

/**
 * The value of one cell, typed: numbers for integer and number, ISO text for
 * date (`2026-06-30`) and datetime (`2026-06-30T14:05:00Z`), arrays for lists,
 * null when missing.
 */
export function cellValue(column: Column, row: number): CellValue {
  if (row < 0 || row >= column.missing.length || column.missing[row] === 1) return null;
  switch (column.kind) {
    case 'numeric':
      if (column.type === 'date') return isoDate(column.values[row]);
      if (column.type === 'datetime') return isoDateTime(column.values[row]);
      return column.values[row];
    case 'boolean':
      return column.values[row] === 1;
    case 'dictionary':
      return column.codes[row] < 0 ? null : dictionaryEntry(column, column.codes[row]);
    case 'stringList': {
      const items: string[] = [];
      for (let k = column.offsets[row]; k < column.offsets[row + 1]; k++) items.push(column.dictionary[column.itemCodes[k]]);
      return items;
    }
    case 'integerList':
      return Array.from(column.itemValues.subarray(column.offsets[row], column.offsets[row + 1]));
  }
}

/** The cell as text, as a user would write it (lists joined with `;`); undefined when missing. */
export function columnValueAsString(column: Column, row: number): string | undefined {
  const value = cellValue(column, row);
  if (value === null) return undefined;
  if (Array.isArray(value)) return value.join(';');
  return String(value);
}

/** The value of `field` in `row`; undefined when the table has no such column. */
export function rowValue(table: Table, row: number, field: string): CellValue | undefined {
  const column = table.byName.get(field);
  return column ? cellValue(column, row) : undefined;
}

/** One row as a plain record (field → value, null when missing), in column order. */
export function rowToRecord(table: Table, row: number): Record<string, CellValue> {
  const record: Record<string, CellValue> = {};
  for (const column of table.columns) record[column.name] = cellValue(column, row);
  return record;
}

/**
 * Row of each key value (the first row when a key repeats). Missing keys are
 * left out. Dictionary keys are indexed by code, so this stays fast on 1M rows.
 */
export function keyIndex(table: Table, keyField: string): Map<string, number> {
  const index = new Map<string, number>();
  const column = table.byName.get(keyField);
  if (!column) return index;
  if (column.kind === 'dictionary') {
    const seen = new Uint8Array(column.dictionary.length);
    for (let row = 0; row < table.rowCount; row++) {
      const code = column.codes[row];
      if (code < 0 || seen[code] === 1) continue;
      seen[code] = 1;
      index.set(column.dictionary[code], row);
    }
    return index;
  }
  for (let row = 0; row < table.rowCount; row++) {
    const key = columnValueAsString(column, row);
    if (key !== undefined && !index.has(key)) index.set(key, row);
  }
  return index;
}

/** 1-based line of the data file where `row` starts. */
export function lineOfRow(table: Table, row: number): number {
  return table.rowLines[row] ?? 0;
}
