/**
 * A short profile of one column for hovers and value completion: missing
 * share, the most frequent values, and min / median / max of numbers and
 * dates. Computed on demand and cached per column object (a new load gives
 * new columns).
 */
import type { Column } from '../core/data/table.js';
import { quantileCont } from '../core/engine/aggregates.js';

export interface FieldProfile {
  rows: number;
  missing: number;
  /** Most frequent values first (strings, enums, semver, booleans, list items). */
  topValues: Array<{ value: string; count: number }>;
  distinct: number;
  numeric?: { min: number; median: number; max: number };
}

const cache = new WeakMap<Column, FieldProfile>();

export function profileColumn(column: Column): FieldProfile {
  let profile = cache.get(column);
  if (!profile) {
    profile = compute(column);
    cache.set(column, profile);
  }
  return profile;
}

function compute(column: Column): FieldProfile {
  const rows = column.missing.length;
  let missing = 0;
  for (let r = 0; r < rows; r++) missing += column.missing[r];
  const base = { rows, missing };
  switch (column.kind) {
    case 'dictionary': {
      const counts = new Float64Array(column.dictionary.length);
      for (let r = 0; r < rows; r++) if (column.codes[r] >= 0) counts[column.codes[r]]++;
      return { ...base, ...ranked(column.dictionary, counts) };
    }
    case 'stringList': {
      const counts = new Float64Array(column.dictionary.length);
      for (const code of column.itemCodes) counts[code]++;
      return { ...base, ...ranked(column.dictionary, counts) };
    }
    case 'boolean': {
      let yes = 0;
      for (let r = 0; r < rows; r++) if (!column.missing[r] && column.values[r]) yes++;
      const no = rows - missing - yes;
      return { ...base, ...ranked(['true', 'false'], Float64Array.from([yes, no])) };
    }
    case 'numeric': {
      const values: number[] = [];
      for (let r = 0; r < rows; r++) if (!column.missing[r]) values.push(column.values[r]);
      return { ...base, topValues: [], distinct: new Set(values).size, numeric: summary(Float64Array.from(values).sort()) };
    }
    case 'integerList': {
      const sorted = Float64Array.from(column.itemValues).sort();
      return { ...base, topValues: [], distinct: new Set(sorted).size, numeric: summary(sorted) };
    }
  }
}

function ranked(values: string[], counts: Float64Array): Pick<FieldProfile, 'topValues' | 'distinct'> {
  const entries = values.map((value, i) => ({ value, count: counts[i] })).filter((e) => e.count > 0);
  entries.sort((a, b) => b.count - a.count || a.value.localeCompare(b.value));
  return { topValues: entries, distinct: entries.length };
}

function summary(sorted: Float64Array): FieldProfile['numeric'] {
  if (sorted.length === 0) return undefined;
  return { min: sorted[0], median: quantileCont(sorted, 0.5), max: sorted[sorted.length - 1] };
}

/** A numeric value as a user reads it, by column type. */
export function formatNumber(value: number, type: Column['type']): string {
  if (type === 'date') return new Date(value * 86_400_000).toISOString().slice(0, 10);
  if (type === 'datetime') return new Date(value).toISOString().replace('.000Z', 'Z');
  return Number.isInteger(value) ? value.toLocaleString('en-US') : value.toLocaleString('en-US', { maximumFractionDigits: 2 });
}
