/**
 * Candidate clauses for discovery: what a person would write about one field
 * (SPEC §13). Each clause knows its segspec text and whether a row of the
 * table satisfies it, with the engine's semantics: a missing value never
 * satisfies a comparison (it is unknown), only `is missing`.
 */
import type { Column, Table } from '../data/table.js';
import { MS_PER_DAY } from '../engine/dates.js';
import { unreachable } from '../util/unreachable.js';
import { emptyBits, fullBits, popcount, type Bitset } from '../engine/bitset.js';
import { clean, roundCutsOf } from './nice.js';
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

/**
 * All candidate clauses of the table, in column order (a field's clauses next
 * to each other, lower bounds before upper ones). Each comes judged on the
 * rows: its bits are built from a few passes over the column's arrays
 * (calling each clause's `holds` row by row cost several times the search).
 */
export function candidateClauses(table: Table, options: ClauseOptions): Clause[] {
  const rows = options.rows ?? allRows(table.rowCount);
  const out: Clause[] = [];
  const add = (column: Column, label?: string): void => {
    const present = presentBits(column.missing, rows);
    const clauses = [...valueClauses(column, present, rows, options), ...missingClauses(column.name, column.missing, present, rows, options)];
    if (label !== undefined) for (const c of clauses) c.label = label;
    out.push(...clauses.filter((c) => c.slot !== 'upper'), ...clauses.filter((c) => c.slot === 'upper'));
  };
  for (const column of table.columns) {
    if (options.exclude.has(column.name) || options.reserved?.has(column.name) || !usableFieldName(column.name)) continue;
    add(column);
  }
  // The expression stands where a field name would: `count(plays) >= 20`, `survey.attitude in [...]`.
  for (const d of options.derived ?? []) add({ ...d.column, name: d.text }, d.label);
  return out;
}

export function allRows(count: number): Int32Array {
  const rows = new Int32Array(count);
  for (let i = 0; i < count; i++) rows[i] = i;
  return rows;
}

/** Bit i: row `rows[i]` has a value. */
function presentBits(missing: Uint8Array, rows: Int32Array): Bitset {
  const n = rows.length;
  const bits = emptyBits(n);
  for (let w = 0; w < bits.length; w++) {
    const base = w << 5;
    const end = Math.min(32, n - base);
    let word = 0;
    for (let b = 0; b < end; b++) word |= (missing[rows[base + b]] ^ 1) << b;
    bits[w] = word;
  }
  return bits;
}

function isSet(bits: Bitset, i: number): boolean {
  return ((bits[i >>> 5] >>> (i & 31)) & 1) === 1;
}

function valueClauses(column: Column, present: Bitset, rows: Int32Array, options: ClauseOptions): Clause[] {
  switch (column.kind) {
    case 'numeric':
      return column.type === 'date' || column.type === 'datetime'
        ? recentClauses(column.name, column.values, column.missing, column.type, present, rows, options)
        : numberClauses(column.name, column.values, column.missing, column.type === 'integer', present, rows, options);
    case 'dictionary':
      return column.type === 'semver' ? [] : dictionaryClauses(column.name, column.codes, column.dictionary, rows, options);
    case 'boolean':
      return booleanClauses(column.name, column.values, column.missing, present, rows, options);
    case 'stringList':
      return listClauses(column.name, column.offsets, column.itemCodes, column.dictionary, column.missing, present, rows, options);
    case 'integerList':
      return [];
    default:
      return unreachable(column);
  }
}

function numberClauses(field: string, values: Float64Array, missing: Uint8Array, integer: boolean, present: Bitset, rows: Int32Array, options: ClauseOptions): Clause[] {
  const n = rows.length;
  const zero = emptyBits(n);
  const positive = emptyBits(n);
  const presentValues = new Float64Array(n);
  const count = gatherNumbers(values, present, rows, presentValues, zero, positive);
  if (count === 0) return [];
  const zeros = popcount(zero);
  const out: Clause[] = [];
  let cutValues: Float64Array = presentValues.subarray(0, count);
  if (zeros / count >= MOSTLY_ZERO && zeros < count) {
    out.push(clause(field, 'any', `${field} == 0`, (r) => missing[r] === 0 && values[r] === 0, zero));
    out.push(clause(field, 'any', `${field} > 0`, (r) => missing[r] === 0 && values[r] > 0, positive));
    cutValues = keepPositive(cutValues);
  }
  const cuts = roundCutsOf(cutValues, integer, CUT_QUANTILES);
  const lowers = atLeastBits(values, present, rows, cuts, Infinity);
  cuts.forEach((cut, k) => {
    const text = numberText(cut);
    const lower = lowers[k];
    const upper = andNot(present, lower);
    out.push({ ...clause(field, 'lower', `${field} >= ${text}`, (r) => missing[r] === 0 && values[r] >= cut, lower), bound: cut, integer });
    out.push({ ...clause(field, 'upper', `${field} < ${text}`, (r) => missing[r] === 0 && values[r] < cut, upper), bound: cut, integer });
  });
  return keepFrequent(out, rows, options);
}

/*
 * Each loop over the rows is a function of its own: V8 compiles a hot loop
 * inside a longer function with no feedback for the code after it, and
 * then throws that compiled code away on every call.
 */

/** The present values in row order into `out` (returns how many), with the bits of the zeros and of the positive ones. */
function gatherNumbers(values: Float64Array, present: Bitset, rows: Int32Array, out: Float64Array, zero: Bitset, positive: Bitset): number {
  let count = 0;
  for (let i = 0; i < rows.length; i++) {
    if (!isSet(present, i)) continue;
    const v = values[rows[i]];
    out[count++] = v;
    if (v === 0) zero[i >>> 5] |= 1 << (i & 31);
    else if (v > 0) positive[i >>> 5] |= 1 << (i & 31);
  }
  return count;
}

/** The positive values, moved to the front (returns that part). */
function keepPositive(values: Float64Array): Float64Array {
  let kept = 0;
  for (let k = 0; k < values.length; k++) if (values[k] > 0) values[kept++] = values[k];
  return values.subarray(0, kept);
}

/** a AND NOT b, word by word. */
function andNot(a: Bitset, b: Bitset): Bitset {
  const out = new Uint32Array(a.length);
  for (let w = 0; w < out.length; w++) out[w] = a[w] & ~b[w];
  return out;
}

/** into |= other, word by word. */
function orInto(into: Bitset, other: Bitset): void {
  for (let w = 0; w < into.length; w++) into[w] |= other[w];
}

/** `within last N days`: the N calendar days that end with the reference date (SPEC §5.4). */
function recentClauses(field: string, values: Float64Array, missing: Uint8Array, type: 'date' | 'datetime', present: Bitset, rows: Int32Array, options: ClauseOptions): Clause[] {
  const scale = type === 'date' ? 1 : MS_PER_DAY;
  const end = (options.today + 1) * scale;
  // The windows end together, so a longer one starts earlier: ascending starts are the longest window first.
  const starts = RECENT_DAYS.map((days) => (options.today + 1 - days) * scale);
  const windows = atLeastBits(values, present, rows, [...starts].reverse(), end).reverse();
  const out = RECENT_DAYS.map((days, k) => {
    const start = starts[k];
    return clause(field, 'any', `${field} within last ${days} days`, (r) => missing[r] === 0 && values[r] >= start && values[r] < end, windows[k]);
  });
  return distinctCounts(keepFrequent(out, rows, options));
}

/**
 * For each of the ascending `cuts`, the bits of the judged rows whose value
 * is present, at least the cut and below `to`, in one pass: each row goes
 * to the bucket of the highest cut it reaches, and the bits of a cut are
 * the union of its bucket and those above it.
 */
function atLeastBits(values: Float64Array, present: Bitset, rows: Int32Array, cuts: readonly number[], to: number): Bitset[] {
  const n = rows.length;
  const buckets = cuts.map(() => emptyBits(n));
  if (cuts.length === 0) return buckets;
  bucketRows(values, present, rows, cuts, to, buckets);
  for (let k = cuts.length - 2; k >= 0; k--) orInto(buckets[k], buckets[k + 1]);
  return buckets;
}

/** Bit i of buckets[k]: judged row i is present, below `to`, and cuts[k] is the highest cut it reaches. */
function bucketRows(values: Float64Array, present: Bitset, rows: Int32Array, cuts: readonly number[], to: number, buckets: Bitset[]): void {
  const first = cuts[0];
  const last = cuts.length - 1;
  for (let i = 0; i < rows.length; i++) {
    if (!isSet(present, i)) continue;
    const v = values[rows[i]];
    if (!(v >= first && v < to)) continue;
    let k = 0;
    while (k < last && v >= cuts[k + 1]) k++;
    buckets[k][i >>> 5] |= 1 << (i & 31);
  }
}

/** `field == "v"` for the common values, then the `in [...]` sets (see valueSetClauses). */
function dictionaryClauses(field: string, codes: Int32Array, dictionary: string[], rows: Int32Array, options: ClauseOptions): Clause[] {
  const n = rows.length;
  const counts = new Int32Array(dictionary.length);
  const hits = new Int32Array(dictionary.length);
  const target = options.target;
  countCodes(codes, rows, target ?? emptyBits(0), counts, hits);
  const present: number[] = [];
  for (let code = 0; code < counts.length; code++) if (counts[code] > 0) present.push(code);
  // An identifier-like column (most values unique) says nothing about a group.
  if (present.length > 1 && present.length > 0.5 * n) return [];
  let top = present
    .filter((code) => counts[code] >= options.minCount)
    .sort((a, b) => counts[b] - counts[a] || a - b)
    .slice(0, MAX_VALUES_PER_FIELD);
  if (top.length === 1 && counts[top[0]] === n) top = [];
  const setValues = valueSetOrder(present, counts, target ? hits : undefined, options.minCount, n);
  const bitsOf = new CodeBits([...top, ...setValues], dictionary.length, n);
  markCodes(codes, rows, bitsOf);
  const out = top.map((code) => clause(field, 'any', `${field} == ${stringLiteral(dictionary[code])}`, (r) => codes[r] === code, bitsOf.of(code)));
  const sets: Clause[] = [];
  const union = emptyBits(n);
  setValues.forEach((code, k) => {
    orInto(union, bitsOf.of(code));
    if (k === 0) return;
    const member = new Uint8Array(dictionary.length);
    for (const c of setValues.slice(0, k + 1)) member[c] = 1;
    const text = `${field} in [${setValues.slice(0, k + 1).map((c) => stringLiteral(dictionary[c])).join(', ')}]`;
    sets.push(clause(field, 'any', text, (r) => codes[r] >= 0 && member[codes[r]] === 1, union.slice()));
  });
  return [...out, ...keepFrequent(sets, rows, options)];
}

/** Rows per code, and target rows per code (bit i of `target`: judged row i; an empty target counts none). */
function countCodes(codes: Int32Array, rows: Int32Array, target: Bitset, counts: Int32Array, hits: Int32Array): void {
  const targetRows = target.length << 5;
  for (let i = 0; i < rows.length; i++) {
    const code = codes[rows[i]];
    if (code < 0) continue;
    counts[code]++;
    if (i < targetRows && isSet(target, i)) hits[code]++;
  }
}

function markCodes(codes: Int32Array, rows: Int32Array, bitsOf: CodeBits): void {
  for (let i = 0; i < rows.length; i++) {
    const code = codes[rows[i]];
    if (code >= 0) bitsOf.set(code, i);
  }
}

/**
 * The values of the `in [...]` sets, in order: each set is a prefix of 2 or
 * more of them. Of all 2^k value sets only a few are proposed, the prefixes
 * of the values ordered by target rate (highest first): for one field alone,
 * the set with the best WRAcc is always such a prefix (it holds exactly the
 * values whose rate beats the overall rate, and WRAcc is a sum over the
 * values), so the search finds the best set among k − 1 candidates instead
 * of 2^k. Without a target the values are taken by frequency (the most
 * common values together). Values too rare for a clause of their own may
 * still join a set. A missing value is in no set (SPEC §5.3), and a prefix
 * of every value present is `is not missing`: at most all but one.
 */
function valueSetOrder(present: readonly number[], counts: Int32Array, hits: Int32Array | undefined, minCount: number, rows: number): number[] {
  if (present.length < 3 || present.length > 0.5 * rows) return [];
  const floor = Math.max(1, Math.ceil(minCount / MAX_IN_VALUES));
  const rate = (code: number) => hits![code] / counts[code];
  const ordered = present.filter((code) => counts[code] >= floor).sort((a, b) => (hits ? rate(b) - rate(a) : 0) || counts[b] - counts[a] || a - b);
  const largest = Math.min(MAX_IN_VALUES, ordered.length, present.length - 1);
  return largest >= 2 ? ordered.slice(0, largest) : [];
}

/** One bitset over the judged rows per code of interest, filled in one pass over the column. */
class CodeBits {
  private readonly slot: Int32Array;
  private readonly bits: Bitset[] = [];

  constructor(codes: readonly number[], dictionarySize: number, rows: number) {
    this.slot = new Int32Array(dictionarySize).fill(-1);
    for (const code of codes) {
      if (this.slot[code] >= 0) continue;
      this.slot[code] = this.bits.length;
      this.bits.push(emptyBits(rows));
    }
  }

  /** Marks judged row `i` as holding `code` (a code of no interest is ignored). */
  set(code: number, i: number): void {
    const s = this.slot[code];
    if (s >= 0) this.bits[s][i >>> 5] |= 1 << (i & 31);
  }

  of(code: number): Bitset {
    return this.bits[this.slot[code]];
  }
}

function booleanClauses(field: string, values: Uint8Array, missing: Uint8Array, present: Bitset, rows: Int32Array, options: ClauseOptions): Clause[] {
  const n = rows.length;
  const yes = emptyBits(n);
  const no = emptyBits(n);
  markBooleans(values, present, rows, yes, no);
  return keepFrequent([clause(field, 'any', field, (r) => missing[r] === 0 && values[r] === 1, yes), clause(field, 'any', `not ${field}`, (r) => missing[r] === 0 && values[r] === 0, no)], rows, options);
}

function markBooleans(values: Uint8Array, present: Bitset, rows: Int32Array, yes: Bitset, no: Bitset): void {
  for (let i = 0; i < rows.length; i++) {
    if (!isSet(present, i)) continue;
    const v = values[rows[i]];
    if (v === 1) yes[i >>> 5] |= 1 << (i & 31);
    else if (v === 0) no[i >>> 5] |= 1 << (i & 31);
  }
}

function listClauses(field: string, offsets: Int32Array, items: Int32Array, dictionary: string[], missing: Uint8Array, present: Bitset, rows: Int32Array, options: ClauseOptions): Clause[] {
  const n = rows.length;
  const counts = countItems(offsets, items, dictionary.length, present, rows);
  const top: number[] = [];
  for (let code = 0; code < counts.length; code++) if (counts[code] > 0 && counts[code] >= options.minCount) top.push(code);
  top.sort((a, b) => counts[b] - counts[a] || a - b);
  top.length = Math.min(top.length, MAX_VALUES_PER_FIELD);
  const bitsOf = new CodeBits(top, dictionary.length, n);
  markItems(offsets, items, present, rows, bitsOf);
  return top.map((code) =>
    clause(
      field,
      'any',
      `${field} contains ${stringLiteral(dictionary[code])}`,
      (r) => {
        if (missing[r] === 1) return false;
        for (let i = offsets[r]; i < offsets[r + 1]; i++) if (items[i] === code) return true;
        return false;
      },
      bitsOf.of(code),
    ),
  );
}

/** Rows listing each item (an item listed twice in a row counts once). */
function countItems(offsets: Int32Array, items: Int32Array, dictionarySize: number, present: Bitset, rows: Int32Array): Int32Array {
  const counts = new Int32Array(dictionarySize);
  // The judged row that last counted each item.
  const counted = new Int32Array(dictionarySize).fill(-1);
  for (let i = 0; i < rows.length; i++) {
    if (!isSet(present, i)) continue;
    const r = rows[i];
    for (let j = offsets[r]; j < offsets[r + 1]; j++) {
      const code = items[j];
      if (counted[code] === i) continue;
      counted[code] = i;
      counts[code]++;
    }
  }
  return counts;
}

function markItems(offsets: Int32Array, items: Int32Array, present: Bitset, rows: Int32Array, bitsOf: CodeBits): void {
  for (let i = 0; i < rows.length; i++) {
    if (!isSet(present, i)) continue;
    const r = rows[i];
    for (let j = offsets[r]; j < offsets[r + 1]; j++) bitsOf.set(items[j], i);
  }
}

/** `is missing` / `is not missing` when both hold for enough rows for missingness to matter. */
function missingClauses(field: string, missing: Uint8Array, present: Bitset, rows: Int32Array, options: ClauseOptions): Clause[] {
  const n = rows.length;
  const count = n - popcount(present);
  if (count < Math.max(options.minCount, 0.01 * n) || n - count < options.minCount) return [];
  const absent = andNot(fullBits(n), present);
  return [clause(field, 'any', `${field} is missing`, (r) => missing[r] === 1, absent), clause(field, 'any', `${field} is not missing`, (r) => missing[r] === 0, present)];
}

function clause(field: string, slot: Slot, text: string, holds: (row: number) => boolean, bits: Bitset): Clause {
  return { field, slot, text, holds, bits };
}

/** Clauses that hold for at least `minCount` rows and not for every row. */
function keepFrequent(clauses: Clause[], rows: Int32Array, options: ClauseOptions): Clause[] {
  return clauses.filter((c) => {
    const n = popcount(c.bits!);
    return n >= Math.max(1, options.minCount) && n < rows.length;
  });
}

/** Of clauses that select the same number of rows (nested windows with no rows between), the first. */
function distinctCounts(clauses: Clause[]): Clause[] {
  const seen = new Set<number>();
  return clauses.filter((c) => {
    const n = popcount(c.bits!);
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
