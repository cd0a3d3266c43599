/**
 * The columnar table that sample data is loaded into. One column per field;
 * every column has a missing-value mask (1 = missing) with one byte per row.
 *
 * Encodings:
 * - integer, number: float64 values
 * - date: whole days since 1970-01-01 (UTC), as float64
 * - datetime: milliseconds since the epoch (UTC), as float64
 * - string, enum, semver: dictionary codes (Int32, -1 where missing) into `dictionary`
 * - boolean: 0/1 bytes
 * - list<string>: per-row [offsets[i], offsets[i+1]) slices of `itemCodes` into `dictionary`
 * - list<integer>: per-row slices of `itemValues`
 */
import { unreachable } from '../util/unreachable.js';
export type ColumnType =
  | 'string'
  | 'integer'
  | 'number'
  | 'boolean'
  | 'date'
  | 'datetime'
  | 'semver'
  | 'enum'
  | 'list<string>'
  | 'list<integer>';

interface ColumnBase {
  name: string;
  missing: Uint8Array;
}

export interface NumericColumn extends ColumnBase {
  kind: 'numeric';
  type: 'integer' | 'number' | 'date' | 'datetime';
  values: Float64Array;
}

export interface DictionaryColumn extends ColumnBase {
  kind: 'dictionary';
  type: 'string' | 'enum' | 'semver';
  codes: Int32Array;
  dictionary: string[];
}

export interface BooleanColumn extends ColumnBase {
  kind: 'boolean';
  type: 'boolean';
  values: Uint8Array;
}

export interface StringListColumn extends ColumnBase {
  kind: 'stringList';
  type: 'list<string>';
  offsets: Int32Array;
  itemCodes: Int32Array;
  dictionary: string[];
}

export interface IntegerListColumn extends ColumnBase {
  kind: 'integerList';
  type: 'list<integer>';
  offsets: Int32Array;
  itemValues: Float64Array;
}

export type Column =
  | NumericColumn
  | DictionaryColumn
  | BooleanColumn
  | StringListColumn
  | IntegerListColumn;

export interface Table {
  rowCount: number;
  /** Columns in source order. */
  columns: Column[];
  /** By name. */
  byName: Map<string, Column>;
  /** 1-based line in the source file where each row starts (for messages). */
  rowLines: Int32Array;
}

/** The typed-array buffers that hold a column's data (what a thread transfers instead of copying). */
export function columnBuffers(column: Column): ArrayBufferLike[] {
  switch (column.kind) {
    case 'numeric':
    case 'boolean':
      return [column.missing.buffer, column.values.buffer];
    case 'dictionary':
      return [column.missing.buffer, column.codes.buffer];
    case 'stringList':
      return [column.missing.buffer, column.offsets.buffer, column.itemCodes.buffer];
    case 'integerList':
      return [column.missing.buffer, column.offsets.buffer, column.itemValues.buffer];
    default:
      return unreachable(column);
  }
}
