/**
 * Candidate clauses for discovery: what a person would write about one field
 * (SPEC §13). Each clause knows its segspec text and whether a row of the
 * table satisfies it, with the engine's semantics: a missing value never
 * satisfies a comparison (it is unknown), only `is missing`.
 */
import type { Column, Table } from '../data/table.js';
import { MS_PER_DAY } from '../engine/dates.js';
import { unreachable } from '../util/unreachable.js';
import { emptyBits, popcount, type Bitset } from '../engine/bitset.js';
import { clean, roundCuts } from './nice.js';
import type { DerivedColumn } from './related-clauses.js';

/** `any`: the one condition on its field; a numeric field may take one `lower` and one `upper` bound. */
export type Slot = 'any' | 'lower' | 'upper';

export interface Clause {
  field: string;
  slot: Slot;
  /** The clause alone in segspec, e.g. `age >= 30`. */
  text: string;
  /** The cut point of a `lower` (`>=`) or `upper` (`<`) bound. */
  bound?: number;
  /** For rule names, when `field` is an expression (`count(plays)`): an identifier-like name of it. */
  label?: string;
  /** Bounds of an integer field render as `between a and b - 1`. */
  integer?: boolean;
  /** Whether the row satisfies the clause (row index in the table). */
  holds(row: number): boolean;
  /** Over the rows the candidates were judged on (bit i: the i-th of those rows), once judged. */
  bits?: Bitset;
}

export interface ClauseOptions {
  /** Rows the candidates are judged on (a sample); all rows when absent. */
  rows?: Int32Array;
  /** Clauses holding for fewer rows than this are left out. */
  minCount: number;
  /** The reference date, days since the epoch (for `within last N days`). */
  today: number;
  /** Fields not to use (the key, the fields of the target). */
  exclude: ReadonlySet<string>;
  /** Names that cannot be used as a field in a rule (segment names: a name that is both is an error). */
  reserved?: ReadonlySet<string>;
  /** Columns that are expressions over related datasets (SPEC §11): clauses over them as over fields. */
  derived?: readonly DerivedColumn[];
  /** Target rows over the judged rows (bit i: the i-th of `rows`); orders the values of `in [...]` sets. */
  target?: Bitset;
}

/** Where numeric cut points are taken (then rounded): the quintiles, which equal-frequency binning uses, and the outer deciles. */
const CUT_QUANTILES = [0.1, 0.2, 0.4, 0.6, 0.8, 0.9];
const RECENT_DAYS = [7, 14, 30, 60, 90, 180, 365, 730];
const MAX_VALUES_PER_FIELD = 20;
/** Most values listed in one `in [...]` clause (a longer list is no longer read at a glance). */
const MAX_IN_VALUES = 5;
/** Share of zeros from which a number is "mostly zero" and gets `== 0` / `> 0`. */
const MOSTLY_ZERO = 0.3;
/** Words of the expression grammar: a field named so cannot be written bare in a rule. */
const GRAMMAR_WORDS = new Set(['and', 'or', 'not', 'in', 'between', 'contains', 'is', 'missing', 'within', 'last', 'true', 'false', 'today', 'now', 'starts', 'ends', 'matches', 'before', 'after', 'ago', 'any', 'all']);

export function usableFieldName(name: string): boolean {
  return /^[A-Za-z_][A-Za-z0-9_]*$/.test(name) && !GRAMMAR_WORDS.has(name);
}

/** All candidate clauses of the table, in column order (a field's clauses next to each other, lower bounds before upper ones). */
export function candidateClauses(table: Table, options: ClauseOptions): Clause[] {
  const out: Clause[] = [];
  for (const column of table.columns) {
    if (options.exclude.has(column.name) || options.reserved?.has(column.name) || !usableFieldName(column.name)) continue;
    const rows = options.rows ?? allRows(table.rowCount);
    const clauses = [...valueClauses(column, rows, options), ...missingClauses(column, rows, options)];
    for (const c of clauses) countOf(c, rows);
    out.push(...clauses.filter((c) => c.slot !== 'upper'), ...clauses.filter((c) => c.slot === 'upper'));
  }
  for (const d of options.derived ?? []) {
    const rows = options.rows ?? allRows(table.rowCount);
    // The expression stands where a field name would: `count(plays) >= 20`, `survey.attitude in [...]`.
    const column = { ...d.column, name: d.text };
    const clauses = [...valueClauses(column, rows, options), ...missingClauses(column, rows, options)];
    for (const c of clauses) {
      c.label = d.label;
      countOf(c, rows);
    }
    out.push(...clauses.filter((c) => c.slot !== 'upper'), ...clauses.filter((c) => c.slot === 'upper'));
  }
  return out;
}

export function allRows(count: number): Int32Array {
  const rows = new Int32Array(count);
  for (let i = 0; i < count; i++) rows[i] = i;
  return rows;
}

function valueClauses(column: Column, rows: Int32Array, options: ClauseOptions): Clause[] {
  switch (column.kind) {
    case 'numeric':
      return column.type === 'date' || column.type === 'datetime'
        ? recentClauses(column.name, column.values, column.missing, column.type, rows, options)
        : numberClauses(column.name, column.values, column.missing, column.type === 'integer', rows, options);
    case 'dictionary':
      return column.type === 'semver' ? [] : [...dictionaryClauses(column.name, column.codes, column.dictionary, rows, options), ...valueSetClauses(column.name, column.codes, column.dictionary, rows, options)];
    case 'boolean':
      return booleanClauses(column.name, column.values, column.missing, rows, options);
    case 'stringList':
      return listClauses(column.name, column.offsets, column.itemCodes, column.dictionary, column.missing, rows, options);
    case 'integerList':
      return [];
    default:
      return unreachable(column);
  }
}

function numberClauses(field: string, values: Float64Array, missing: Uint8Array, integer: boolean, rows: Int32Array, options: ClauseOptions): Clause[] {
  const present: number[] = [];
  let zeros = 0;
  for (const r of rows) {
    if (missing[r] === 1) continue;
    present.push(values[r]);
    if (values[r] === 0) zeros++;
  }
  if (present.length === 0) return [];
  const out: Clause[] = [];
  let cutValues = present;
  if (zeros / present.length >= MOSTLY_ZERO && zeros < present.length) {
    out.push(clause(field, 'any', `${field} == 0`, (r) => missing[r] === 0 && values[r] === 0));
    out.push(clause(field, 'any', `${field} > 0`, (r) => missing[r] === 0 && values[r] > 0));
    cutValues = present.filter((v) => v > 0);
  }
  const sorted = Float64Array.from(cutValues).sort();
  for (const cut of roundCuts(sorted, integer, CUT_QUANTILES)) {
    const text = numberText(cut);
    out.push({ ...clause(field, 'lower', `${field} >= ${text}`, (r) => missing[r] === 0 && values[r] >= cut), bound: cut, integer });
    out.push({ ...clause(field, 'upper', `${field} < ${text}`, (r) => missing[r] === 0 && values[r] < cut), bound: cut, integer });
  }
  return keepFrequent(out, rows, options);
}

/** `within last N days`: the N calendar days that end with the reference date (SPEC §5.4). */
function recentClauses(field: string, values: Float64Array, missing: Uint8Array, type: 'date' | 'datetime', rows: Int32Array, options: ClauseOptions): Clause[] {
  const scale = type === 'date' ? 1 : MS_PER_DAY;
  const end = (options.today + 1) * scale;
  const out: Clause[] = [];
  for (const days of RECENT_DAYS) {
    const start = (options.today + 1 - days) * scale;
    out.push(clause(field, 'any', `${field} within last ${days} days`, (r) => missing[r] === 0 && values[r] >= start && values[r] < end));
  }
  return distinctCounts(keepFrequent(out, rows, options), rows);
}

function dictionaryClauses(field: string, codes: Int32Array, dictionary: string[], rows: Int32Array, options: ClauseOptions): Clause[] {
  const counts = new Map<number, number>();
  for (const r of rows) if (codes[r] >= 0) counts.set(codes[r], (counts.get(codes[r]) ?? 0) + 1);
  // An identifier-like column (most values unique) says nothing about a group.
  if (counts.size > 1 && counts.size > 0.5 * rows.length) return [];
  const top = [...counts].filter(([, n]) => n >= options.minCount).sort((a, b) => b[1] - a[1] || a[0] - b[0]).slice(0, MAX_VALUES_PER_FIELD);
  if (top.length === 1 && top[0][1] === rows.length) return [];
  return top.map(([code]) => clause(field, 'any', `${field} == ${stringLiteral(dictionary[code])}`, (r) => codes[r] === code));
}

/**
 * `field in ["a", "b", …]`: one condition on the field that admits several
 * values. Of all 2^k value sets only a few are proposed, the prefixes of the
 * values ordered by target rate (highest first): for one field alone, the set
 * with the best WRAcc is always such a prefix (it holds exactly the values
 * whose rate beats the overall rate, and WRAcc is a sum over the values), so
 * the search finds the best set among k − 1 candidates instead of 2^k.
 * Without a target the values are taken by frequency (the most common
 * values together). Values too rare for a clause of their own may still
 * join a set. A missing value is in no set (SPEC §5.3).
 */
function valueSetClauses(field: string, codes: Int32Array, dictionary: string[], rows: Int32Array, options: ClauseOptions): Clause[] {
  const counts = new Map<number, number>();
  const hits = new Map<number, number>();
  const target = options.target;
  for (let i = 0; i < rows.length; i++) {
    const code = codes[rows[i]];
    if (code < 0) continue;
    counts.set(code, (counts.get(code) ?? 0) + 1);
    if (target && (target[i >>> 5] >>> (i & 31)) & 1) hits.set(code, (hits.get(code) ?? 0) + 1);
  }
  if (counts.size < 3 || counts.size > 0.5 * rows.length) return [];
  const floor = Math.max(1, Math.ceil(options.minCount / MAX_IN_VALUES));
  const rate = (code: number) => (hits.get(code) ?? 0) / counts.get(code)!;
  const ordered = [...counts.keys()]
    .filter((code) => counts.get(code)! >= floor)
    .sort((a, b) => (target ? rate(b) - rate(a) : 0) || counts.get(b)! - counts.get(a)! || a - b);
  const out: Clause[] = [];
  // A prefix of every value present is `is not missing`: at most all but one.
  for (let size = 2; size <= Math.min(MAX_IN_VALUES, ordered.length, counts.size - 1); size++) {
    const set = ordered.slice(0, size);
    const member = new Uint8Array(dictionary.length);
    for (const code of set) member[code] = 1;
    const text = `${field} in [${set.map((code) => stringLiteral(dictionary[code])).join(', ')}]`;
    out.push(clause(field, 'any', text, (r) => codes[r] >= 0 && member[codes[r]] === 1));
  }
  return keepFrequent(out, rows, options);
}

function booleanClauses(field: string, values: Uint8Array, missing: Uint8Array, rows: Int32Array, options: ClauseOptions): Clause[] {
  return keepFrequent(
    [clause(field, 'any', field, (r) => missing[r] === 0 && values[r] === 1), clause(field, 'any', `not ${field}`, (r) => missing[r] === 0 && values[r] === 0)],
    rows,
    options,
  );
}

function listClauses(field: string, offsets: Int32Array, items: Int32Array, dictionary: string[], missing: Uint8Array, rows: Int32Array, options: ClauseOptions): Clause[] {
  const counts = new Map<number, number>();
  for (const r of rows) {
    if (missing[r] === 1) continue;
    const seen = new Set<number>();
    for (let i = offsets[r]; i < offsets[r + 1]; i++) seen.add(items[i]);
    for (const code of seen) counts.set(code, (counts.get(code) ?? 0) + 1);
  }
  const top = [...counts].filter(([, n]) => n >= options.minCount).sort((a, b) => b[1] - a[1] || a[0] - b[0]).slice(0, MAX_VALUES_PER_FIELD);
  return top.map(([code]) =>
    clause(field, 'any', `${field} contains ${stringLiteral(dictionary[code])}`, (r) => {
      if (missing[r] === 1) return false;
      for (let i = offsets[r]; i < offsets[r + 1]; i++) if (items[i] === code) return true;
      return false;
    }),
  );
}

/** `is missing` / `is not missing` when both hold for enough rows for missingness to matter. */
function missingClauses(column: Column, rows: Int32Array, options: ClauseOptions): Clause[] {
  const missing = column.missing;
  let n = 0;
  for (const r of rows) n += missing[r];
  if (n < Math.max(options.minCount, 0.01 * rows.length) || rows.length - n < options.minCount) return [];
  return [
    clause(column.name, 'any', `${column.name} is missing`, (r) => missing[r] === 1),
    clause(column.name, 'any', `${column.name} is not missing`, (r) => missing[r] === 0),
  ];
}

function clause(field: string, slot: Slot, text: string, holds: (row: number) => boolean): Clause {
  return { field, slot, text, holds };
}

/** Judges the clause on the rows once: its bits (kept on the clause) and how many rows it holds for. */
function countOf(c: Clause, rows: Int32Array): number {
  if (!c.bits) {
    const bits = emptyBits(rows.length);
    const holds = c.holds;
    for (let i = 0; i < rows.length; i++) if (holds(rows[i])) bits[i >>> 5] |= 1 << (i & 31);
    c.bits = bits;
  }
  return popcount(c.bits);
}

/** Clauses that hold for at least `minCount` rows and not for every row. */
function keepFrequent(clauses: Clause[], rows: Int32Array, options: ClauseOptions): Clause[] {
  return clauses.filter((c) => {
    const n = countOf(c, rows);
    return n >= Math.max(1, options.minCount) && n < rows.length;
  });
}

/** Of clauses that select the same number of rows (nested windows with no rows between), the first. */
function distinctCounts(clauses: Clause[], rows: Int32Array): Clause[] {
  const seen = new Set<number>();
  return clauses.filter((c) => {
    const n = countOf(c, rows);
    if (seen.has(n)) return false;
    seen.add(n);
    return true;
  });
}

export function numberText(x: number): string {
  const v = clean(x);
  if (Number.isInteger(v) && Math.abs(v) < 1e21) return String(v);
  const s = String(v);
  return s.includes('e') ? v.toFixed(12).replace(/0+$/, '') : s;
}

/** A segspec string literal (SPEC §3 escapes). */
export function stringLiteral(s: string): string {
  let out = '"';
  for (const ch of s) {
    const code = ch.codePointAt(0)!;
    if (ch === '"') out += '\\"';
    else if (ch === '\\') out += '\\\\';
    else if (ch === '\n') out += '\\n';
    else if (ch === '\t') out += '\\t';
    else if (code < 0x20 || code === 0x7f || code === 0x2028 || code === 0x2029) out += `\\u${code.toString(16).padStart(4, '0')}`;
    else out += ch;
  }
  return `${out}"`;
}
