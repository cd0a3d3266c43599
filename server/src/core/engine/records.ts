/**
 * Records as the reference interpreter sees them: a table row, or a record
 * literal (persona profile, example) coerced to the dataset's field types.
 */
import type { Column, ColumnType, Table } from '../data/table.js';
import { dictionaryEntry } from '../data/packed-strings.js';
import type { NameExpr, RecordLiteral } from '../syntax/ast.js';
import type { NameResolution } from '../semantics/model.js';
import { MS_PER_DAY, daysFromIso } from './dates.js';
import { evalValue, type EvalEnv } from './reference.js';
import { dateValue, instantValue, semverValue, type Scalar, type Value } from './values.js';

export type EvalRecord = Map<string, Value>;

/** The value of one cell, typed as the reference interpreter expects. */
export function cellValue(col: Column, row: number): Value {
  if (col.missing[row] === 1) return null;
  switch (col.kind) {
    case 'numeric': {
      const v = col.values[row];
      if (col.type === 'date') return dateValue(v);
      if (col.type === 'datetime') return instantValue(v);
      return v;
    }
    case 'dictionary': {
      const code = col.codes[row];
      if (code < 0) return null;
      // One entry: a large packed dictionary (a key column) is not decoded whole for a sample key.
      const s = dictionaryEntry(col, code);
      return col.type === 'semver' ? semverValue(s) : s;
    }
    case 'boolean':
      return col.values[row] === 1;
    case 'stringList': {
      const items: string[] = [];
      for (let k = col.offsets[row]; k < col.offsets[row + 1]; k++) items.push(col.dictionary[col.itemCodes[k]]);
      return items;
    }
    case 'integerList': {
      const items: number[] = [];
      for (let k = col.offsets[row]; k < col.offsets[row + 1]; k++) items.push(col.itemValues[k]);
      return items;
    }
  }
}

/** Every field of a row, by name. */
export function rowRecord(table: Table, row: number): EvalRecord {
  const rec: EvalRecord = new Map();
  for (const col of table.columns) rec.set(col.name, cellValue(col, row));
  return rec;
}

/** A value written in a record literal, read as a field of `type`. */
export function coerceToType(v: Value, type: ColumnType | undefined): Value {
  if (v === null || type === undefined) return v;
  if (Array.isArray(v)) return type.startsWith('list<') ? v : v;
  switch (type) {
    case 'semver':
      return typeof v === 'string' ? semverValue(v) : v;
    case 'date':
      if (typeof v === 'string') {
        const days = daysFromIso(v);
        return days === undefined ? v : dateValue(days);
      }
      if (typeof v === 'object' && v.kind === 'instant') return dateValue(Math.floor(v.ms / MS_PER_DAY));
      return v;
    case 'datetime':
      if (typeof v === 'object' && v.kind === 'date') return instantValue(v.days * MS_PER_DAY);
      if (typeof v === 'string') {
        const ms = Date.parse(/(Z|[+-]\d{2}:?\d{2})$/.test(v) ? v : `${v}Z`);
        return Number.isNaN(ms) ? v : instantValue(ms);
      }
      return v;
    case 'list<string>':
    case 'list<integer>':
      return [v as Scalar];
    default:
      return v;
  }
}

const constantEnv = (today: number): EvalEnv => ({
  today,
  resolve: (): NameResolution => ({ kind: 'unknown' }),
  field: () => null,
  segment: () => false,
  aggregate: () => null,
});

/** A record literal's entries as values of the dataset's fields; fields left out are missing. */
export function recordFromLiteral(
  literal: RecordLiteral,
  fieldTypes: ReadonlyMap<string, { type: ColumnType }> | undefined,
  today: number,
): EvalRecord {
  const rec: EvalRecord = new Map();
  const env = constantEnv(today);
  for (const entry of literal.entries) {
    // Nested related rows are not a field of the record (see related-records.ts).
    if (entry.value.type === 'RelatedRows') continue;
    const raw = evalValue(entry.value, env);
    rec.set(entry.key.name, coerceToType(raw, fieldTypes?.get(entry.key.name)?.type));
  }
  return rec;
}

/** Resolves a bare name against a table and a set of segment names (tests, and models without `names`). */
export function resolveByTable(table: Table | undefined, segments: ReadonlySet<string> | ReadonlyMap<string, unknown>) {
  return (name: NameExpr): NameResolution => {
    if (table?.byName.has(name.name)) return { kind: 'field', dataset: '', name: name.name };
    if (segments.has(name.name)) return { kind: 'segment', name: name.name };
    return { kind: 'unknown' };
  };
}
