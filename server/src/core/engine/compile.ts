/**
 * Compiles a `where` expression once into a function over a table's columns
 * that yields a three-valued bitset result (TRUE rows, UNKNOWN rows).
 *
 * Where the speed comes from:
 * - a predicate that reads one dictionary-encoded (or boolean) column is
 *   evaluated once per distinct value, through the reference interpreter, into
 *   a lookup table over codes; rows then cost one array read each;
 * - comparisons of numeric, date and date-time columns (and arithmetic over
 *   them) against constants become interval tests over the Float64 values;
 * - `contains` on a list<string> column matches item codes, or one bitmask
 *   per row when the column has at most 8 distinct items (lists.ts);
 * - the per-row loops that write bits are the kernels of row-bits.ts;
 * - sub-predicates without segment references are cached by their canonical
 *   text, so segments that share clauses compute them once.
 * Anything else falls back to the reference interpreter row by row, which
 * keeps the semantics identical by construction.
 */
import type { Column, DictionaryColumn, Table } from '../data/table.js';
import type { AggregateExpr, CallExpr, CompareOp, Expr, NameExpr, RelatedFieldExpr } from '../syntax/ast.js';
import { relatedColumnName } from './related-key.js';
import type { NameResolution } from '../semantics/model.js';
import {
  clearTail,
  emptyBits,
  fullBits,
  hasBit,
  triAnd,
  triConst,
  triFromBits,
  triNot,
  triOr,
  type Bitset,
  type TriBits,
} from './bitset.js';
import { aggregateNumbers, aggregateValues, fromUnit, isAggregateName, presentMean, quantileOf } from './aggregates.js';
import { bucketQuantile, bucketValues, type QuantileBuckets } from './quantile-buckets.js';
import { MS_PER_DAY, addUnits, daysFromIso } from './dates.js';
import { exprKey } from './normalize.js';
import { compareChunks, intervalChunks, materialize, type ArithOp, type NumProgram } from './numeric-chunks.js';
import { evalPredicate, evalValue, type EvalEnv } from './reference.js';
import { cellValue } from './records.js';
import { semverValue, type Truth, type Value } from './values.js';
import { byteLookupWords, intervalWords, lookupWords, plusOneBytes } from './row-bits.js';
import { itemMasks, MASK_ITEMS } from './lists.js';
import { unreachable } from '../util/unreachable.js';

export interface SharedCache {
  /** Results of segment-free sub-predicates by canonical text. */
  leaves: Map<string, TriBits>;
  /** Dataset-wide aggregates (`p90(ltv_usd)`) by canonical text. */
  aggregates: Map<string, Value>;
  /** A numeric column's values in buckets for its quantiles, by the column's values (undefined: NaN values). */
  quantileBuckets: Map<Float64Array, QuantileBuckets | undefined>;
  /** A list<string> column's items per row as a bitmask over item codes, by the column's offsets (lists.ts `itemMasks`). */
  itemMasks: Map<Int32Array, Uint8Array>;
  /** A dictionary column of fewer than 255 values: its codes + 1 as bytes (0 = missing), by its codes. */
  byteCodes: Map<Int32Array, Uint8Array>;
}

export function newSharedCache(): SharedCache {
  return { leaves: new Map(), aggregates: new Map(), quantileBuckets: new Map(), itemMasks: new Map(), byteCodes: new Map() };
}

export interface CompileContext {
  table: Table;
  /** The reference date, days since the epoch. */
  today: number;
  resolve(name: NameExpr): NameResolution;
  /** Current members of a segment; undefined counts as no members. */
  segmentBits(name: string): Bitset | undefined;
  /** Shared across segments of the same table and reference date. */
  shared: SharedCache;
}

export type CompiledPredicate = () => TriBits;

export function compilePredicate(expr: Expr, ctx: CompileContext): CompiledPredicate {
  const rows = ctx.table.rowCount;
  switch (expr.type) {
    case 'Paren':
      return compilePredicate(expr.expr, ctx);
    case 'Not': {
      const operand = compilePredicate(expr.operand, ctx);
      return () => triNot(operand(), rows);
    }
    case 'Logical': {
      const left = compilePredicate(expr.left, ctx);
      const right = compilePredicate(expr.right, ctx);
      return expr.op === 'and' ? () => triAnd(left(), right()) : () => triOr(left(), right());
    }
    case 'Name': {
      const r = ctx.resolve(expr);
      if (r.kind === 'segment') {
        return () => triFromBits(ctx.segmentBits(r.name) ?? emptyBits(rows));
      }
      return compileLeaf(expr, ctx);
    }
    default:
      return compileLeaf(expr, ctx);
  }
}

export function evaluatePredicate(expr: Expr, ctx: CompileContext): TriBits {
  return compilePredicate(expr, ctx)();
}

// ------------------------------------------------------------------ leaves

interface FreeRefs {
  fields: Set<string>;
  segments: Set<string>;
}

function freeRefs(expr: Expr, resolve: CompileContext['resolve'], into?: FreeRefs): FreeRefs {
  const refs = into ?? { fields: new Set<string>(), segments: new Set<string>() };
  const walk = (e: Expr | undefined): void => {
    if (!e) return;
    switch (e.type) {
      case 'Name': {
        const r = resolve(e);
        if (r.kind === 'field') refs.fields.add(r.name);
        else if (r.kind === 'segment') refs.segments.add(r.name);
        return;
      }
      case 'Call':
        // Aggregates are dataset-wide constants, not per-row reads.
        if (!isAggregateName(e.callee.name)) walk(e.arg);
        return;
      case 'RelatedField':
      case 'Aggregate':
        // A value per parent row: a column of the parent table (related-columns.ts).
        refs.fields.add(relatedColumnName(e, resolve));
        return;
      case 'List':
        e.items.forEach(walk);
        return;
      case 'Paren':
        return walk(e.expr);
      case 'Not':
      case 'Negate':
        return walk(e.operand);
      case 'Logical':
      case 'Arith':
      case 'Compare':
        walk(e.left);
        walk(e.right);
        return;
      case 'In':
        walk(e.subject);
        walk(e.list);
        return;
      case 'Between':
        walk(e.subject);
        walk(e.low);
        walk(e.high);
        return;
      case 'Contains':
      case 'Affix':
      case 'Temporal':
        walk(e.subject);
        walk(e.value);
        return;
      case 'Matches':
      case 'Missing':
      case 'WithinLast':
        return walk(e.subject);
      case 'String':
      case 'Number':
      case 'Percent':
      case 'Boolean':
      case 'Date':
      case 'DateTime':
      case 'Ago':
      case 'Today':
      case 'Now':
      case 'Error':
        return;
      default:
        return unreachable(e);
    }
  };
  walk(expr);
  return refs;
}

function isConstant(expr: Expr, ctx: CompileContext): boolean {
  const refs = freeRefs(expr, ctx.resolve);
  return refs.fields.size === 0 && refs.segments.size === 0;
}

function compileLeaf(expr: Expr, ctx: CompileContext): CompiledPredicate {
  const refs = freeRefs(expr, ctx.resolve);
  // Results that depend on other segments' members change with them: not shared.
  if (refs.segments.size > 0) return () => genericLeaf(expr, ctx);
  const key = exprKey(expr, ctx.resolve);
  return () => {
    const cached = ctx.shared.leaves.get(key);
    if (cached) return cached;
    const result = evaluateLeaf(expr, refs, ctx);
    ctx.shared.leaves.set(key, result);
    return result;
  };
}

function evaluateLeaf(expr: Expr, refs: FreeRefs, ctx: CompileContext): TriBits {
  const rows = ctx.table.rowCount;
  if (refs.fields.size === 0) return triConst(rows, evalPredicate(expr, constantEnv(ctx)));
  const missingTest = missingMaskLeaf(expr, ctx);
  if (missingTest) return missingTest;
  if (refs.fields.size === 1) {
    const col = ctx.table.byName.get([...refs.fields][0]);
    if (!col) return triConst(rows, evalPredicate(expr, constantEnv(ctx)));
    if (col.kind === 'dictionary') return dictionaryLeaf(expr, col, ctx);
    if (col.kind === 'boolean') return booleanLeaf(expr, col.name, col.values, col.missing, ctx);
    if (col.kind === 'stringList') {
      const fast = listContainsLeaf(expr, col, ctx);
      if (fast) return fast;
    }
  }
  return numericLeaf(expr, ctx) ?? genericLeaf(expr, ctx);
}

/** An environment for constant parts: no fields, aggregates from the table. */
function constantEnv(ctx: CompileContext): EvalEnv {
  return {
    today: ctx.today,
    resolve: ctx.resolve,
    field: () => null,
    segment: () => false,
    aggregate: (call) => tableAggregate(call, ctx),
    related: () => null,
  };
}

/** An environment reading one table row at a time (`env.row = i`). */
export function rowEnv(ctx: CompileContext): EvalEnv & { row: number } {
  const columns = new Map<string, Column | undefined>();
  const env = {
    row: 0,
    today: ctx.today,
    resolve: ctx.resolve,
    field(name: string): Value {
      let col = columns.get(name);
      if (col === undefined && !columns.has(name)) {
        col = ctx.table.byName.get(name);
        columns.set(name, col);
      }
      return col ? cellValue(col, env.row) : null;
    },
    segment(name: string): boolean {
      const bits = ctx.segmentBits(name);
      return bits ? hasBit(bits, env.row) : false;
    },
    aggregate: (call: CallExpr) => tableAggregate(call, ctx),
    related: (expr: AggregateExpr | RelatedFieldExpr): Value => env.field(relatedColumnName(expr, ctx.resolve)),
  };
  return env;
}

function genericLeaf(expr: Expr, ctx: CompileContext): TriBits {
  const rows = ctx.table.rowCount;
  const t = emptyBits(rows);
  const u = emptyBits(rows);
  const env = rowEnv(ctx);
  for (let i = 0; i < rows; i++) {
    env.row = i;
    const v = evalPredicate(expr, env);
    if (v === true) t[i >>> 5] |= 1 << (i & 31);
    else if (v === null) u[i >>> 5] |= 1 << (i & 31);
  }
  return { t, u };
}

/** `x is missing` / `x is not missing` on a column: its missing mask. */
function missingMaskLeaf(expr: Expr, ctx: CompileContext): TriBits | undefined {
  if (expr.type !== 'Missing') return undefined;
  let subject = expr.subject;
  while (subject.type === 'Paren') subject = subject.expr;
  if (subject.type !== 'Name') return undefined;
  const r = ctx.resolve(subject);
  const col = r.kind === 'field' ? ctx.table.byName.get(r.name) : undefined;
  if (!col) return undefined;
  const rows = ctx.table.rowCount;
  const missingRows = missingBits(col.missing, rows);
  const t = missingRows ? missingRows.slice() : emptyBits(rows);
  if (expr.negated) {
    for (let w = 0; w < t.length; w++) t[w] = ~t[w];
    clearTail(t, rows);
  }
  return { t, u: emptyBits(rows) };
}

function truthCodes(truth: Truth, lutT: Uint8Array, lutU: Uint8Array, index: number): void {
  lutT[index] = truth === true ? 1 : 0;
  lutU[index] = truth === null ? 1 : 0;
}

/** Rows → lookup index (code + 1; 0 is missing) → truth. */
function fillFromLookup(col: DictionaryColumn, ctx: CompileContext, lutT: Uint8Array, lutU: Uint8Array): TriBits {
  const rows = ctx.table.rowCount;
  const bytes = byteCodesOf(col, ctx);
  const lookup = (lut: Uint8Array): Bitset => (bytes ? byteLookupWords(bytes, lut, rows) : lookupWords(col.codes, lut, rows));
  const t = lookup(lutT);
  // Usually only a missing value is unknown: the column's missing rows, without a pass.
  if (lutU.indexOf(1, 1) === -1) return { t, u: lutU[0] ? (missingBits(col.missing, rows) ?? emptyBits(rows)) : emptyBits(rows) };
  return { t, u: lookup(lutU) };
}

/**
 * A column of fewer than 255 values as a byte per row, made once per shared
 * cache: every later lookup reads a quarter of the memory (a pass over 1M
 * Int32 codes is bound by memory, ~2 ms, against ~1 ms over bytes).
 */
function byteCodesOf(col: DictionaryColumn, ctx: CompileContext): Uint8Array | undefined {
  if (col.dictionary.length >= 255) return undefined;
  let bytes = ctx.shared.byteCodes.get(col.codes);
  if (!bytes) ctx.shared.byteCodes.set(col.codes, (bytes = plusOneBytes(col.codes, ctx.table.rowCount)));
  return bytes;
}

/** The predicate evaluated once per distinct value of the one column it reads. */
function dictionaryLeaf(expr: Expr, col: DictionaryColumn, ctx: CompileContext): TriBits {
  const dict = col.dictionary;
  const lutT = new Uint8Array(dict.length + 1);
  const lutU = new Uint8Array(dict.length + 1);
  let current: Value = null;
  // The one column read may be a field or a related value (both are columns here).
  const env: EvalEnv = { ...constantEnv(ctx), field: () => current, related: () => current };
  truthCodes(evalPredicate(expr, env), lutT, lutU, 0);
  for (let c = 0; c < dict.length; c++) {
    current = col.type === 'semver' ? semverValue(dict[c]) : dict[c];
    truthCodes(evalPredicate(expr, env), lutT, lutU, c + 1);
  }
  return fillFromLookup(col, ctx, lutT, lutU);
}

function booleanLeaf(expr: Expr, _name: string, values: Uint8Array, missing: Uint8Array, ctx: CompileContext): TriBits {
  const lutT = new Uint8Array(3);
  const lutU = new Uint8Array(3);
  let current: Value = null;
  const env: EvalEnv = { ...constantEnv(ctx), field: () => current, related: () => current };
  truthCodes(evalPredicate(expr, env), lutT, lutU, 0);
  current = false;
  truthCodes(evalPredicate(expr, env), lutT, lutU, 1);
  current = true;
  truthCodes(evalPredicate(expr, env), lutT, lutU, 2);
  // Rows by truth of false and true; a missing row's value is not read.
  const rows = ctx.table.rowCount;
  const byValue = (lut: Uint8Array): Bitset => {
    const bits = lut[1] === lut[2] ? (lut[1] ? fullBits(rows) : emptyBits(rows)) : byteLookupWords(values, lut.subarray(1), rows);
    const missingRows = missingBits(missing, rows);
    if (missingRows) for (let w = 0; w < bits.length; w++) bits[w] = (bits[w] & ~missingRows[w]) | (lut[0] ? missingRows[w] : 0);
    return bits;
  };
  return { t: byValue(lutT), u: byValue(lutU) };
}

/** `tags contains "x"`, `contains any [..]`, `contains all [..]` on item codes. */
function listContainsLeaf(
  expr: Expr,
  col: Extract<Column, { kind: 'stringList' }>,
  ctx: CompileContext,
): TriBits | undefined {
  if (expr.type !== 'Contains') return undefined;
  let subject = expr.subject;
  while (subject.type === 'Paren') subject = subject.expr;
  if (subject.type !== 'Name') return undefined;
  const needleExprs = expr.mode === 'one' ? [expr.value] : expr.value.type === 'List' ? expr.value.items : undefined;
  if (!needleExprs) return undefined;
  const env = constantEnv(ctx);
  const needles: string[] = [];
  for (const n of needleExprs) {
    const v = evalValue(n, env);
    if (typeof v !== 'string') return undefined;
    needles.push(v);
  }
  const rows = ctx.table.rowCount;
  const codes = [...new Set(needles)].map((needle) => col.dictionary.indexOf(needle));
  const masks = itemMasksOf(col, ctx);
  let t: Bitset;
  if (masks) t = maskedRows(masks, codes, expr.mode === 'all', rows);
  else if (expr.mode !== 'all') t = rowsWithAny(col, codes, rows);
  else if (codes.includes(-1)) t = emptyBits(rows);
  else {
    t = codes.length === 0 ? fullBits(rows) : rowsWithItem(col, codes[0], rows);
    for (let k = 1; k < codes.length; k++) {
      const more = rowsWithItem(col, codes[k], rows);
      for (let w = 0; w < t.length; w++) t[w] &= more[w];
    }
  }
  // Rows with a missing list are unknown.
  return withMissing(t, missingBits(col.missing, rows), false, rows);
}

/** A column of at most MASK_ITEMS distinct items: its rows' item masks, built once per shared cache. */
function itemMasksOf(col: Extract<Column, { kind: 'stringList' }>, ctx: CompileContext): Uint8Array | undefined {
  if (col.dictionary.length > MASK_ITEMS) return undefined;
  let masks = ctx.shared.itemMasks.get(col.offsets);
  if (!masks) ctx.shared.itemMasks.set(col.offsets, (masks = itemMasks(col.offsets, col.itemCodes, ctx.table.rowCount)));
  return masks;
}

/** Rows holding any (or all) of the item codes; code -1, an item no row has, matches none. */
function maskedRows(masks: Uint8Array, codes: number[], all: boolean, rows: number): Bitset {
  if (all && codes.includes(-1)) return emptyBits(rows);
  let need = 0;
  for (const code of codes) if (code >= 0) need |= 1 << code;
  // Whether each of the 256 possible masks passes, then one lookup per row.
  const passes = new Uint8Array(256);
  for (let mask = 0; mask < 256; mask++) passes[mask] = all ? +((mask & need) === need) : +((mask & need) !== 0);
  return byteLookupWords(masks, passes, rows);
}

const itemRowsCache = new WeakMap<Int32Array, Int32Array>();

/** The row of every list item (cached per column). */
function itemRows(offsets: Int32Array, rows: number): Int32Array {
  let out = itemRowsCache.get(offsets);
  if (!out) {
    out = new Int32Array(offsets[rows]);
    for (let i = 0; i < rows; i++) out.fill(i, offsets[i], offsets[i + 1]);
    itemRowsCache.set(offsets, out);
  }
  return out;
}

/** Rows whose list holds an item with one of the dictionary codes (-1, no such item, matches none). */
function rowsWithAny(col: Extract<Column, { kind: 'stringList' }>, codes: number[], rows: number): Bitset {
  if (codes.length === 1) return rowsWithItem(col, codes[0], rows);
  // One branch-free pass over the items instead of one pass per code.
  const t = emptyBits(rows);
  const hit = new Uint8Array(col.dictionary.length);
  for (const code of codes) if (code >= 0) hit[code] = 1;
  const items = col.itemCodes;
  const rowOf = itemRows(col.offsets, rows);
  for (let k = 0; k < items.length; k++) {
    const i = rowOf[k];
    t[i >>> 5] |= hit[items[k]] << (i & 31);
  }
  return t;
}

/** Rows whose list holds the item with dictionary code `code` (none when the code is -1). */
function rowsWithItem(col: Extract<Column, { kind: 'stringList' }>, code: number, rows: number): Bitset {
  const t = emptyBits(rows);
  if (code < 0) return t;
  const items = col.itemCodes;
  const rowOf = itemRows(col.offsets, rows);
  // A branch per item beats a write per item here: most items are not this one.
  for (let k = 0; k < items.length; k++) {
    if (items[k] === code) {
      const i = rowOf[k];
      t[i >>> 5] |= 1 << (i & 31);
    }
  }
  return t;
}

// ------------------------------------------------------------------ numeric

type Unit = 'number' | 'date' | 'instant';

interface NumVec {
  unit: Unit;
  values: Float64Array;
  /** 1 = missing; null when nothing is missing. */
  missing: Uint8Array | null;
}

function unitOf(type: string): Unit {
  return type === 'date' ? 'date' : type === 'datetime' ? 'instant' : 'number';
}

/** A numeric expression over columns, in its unit. */
interface UnitProgram {
  unit: Unit;
  program: NumProgram;
}

function columnProgram(col: Column | undefined, rows: number): UnitProgram | undefined {
  if (!col || col.kind !== 'numeric') return undefined;
  const missing = missingBits(col.missing, rows);
  return { unit: unitOf(col.type), program: { kind: 'column', values: col.values, missing, missingBytes: col.missing } };
}

/** The expression as a program over columns (numeric-chunks.ts); undefined when it is not one. */
function numProgram(expr: Expr, ctx: CompileContext): UnitProgram | undefined {
  switch (expr.type) {
    case 'Paren':
      return numProgram(expr.expr, ctx);
    case 'Name': {
      const r = ctx.resolve(expr);
      return r.kind === 'field' ? columnProgram(ctx.table.byName.get(r.name), ctx.table.rowCount) : undefined;
    }
    case 'Negate': {
      const v = numProgram(expr.operand, ctx);
      if (!v || v.unit !== 'number') return undefined;
      return { unit: 'number', program: { kind: 'negate', operand: v.program } };
    }
    case 'Arith':
      return arithProgram(expr.op, expr.left, expr.right, ctx);
    case 'RelatedField':
    case 'Aggregate':
      return columnProgram(ctx.table.byName.get(relatedColumnName(expr, ctx.resolve)), ctx.table.rowCount);
    case 'Call': {
      if (expr.callee.name !== 'len' || expr.arg.type !== 'Name') return undefined;
      const r = ctx.resolve(expr.arg);
      const col = r.kind === 'field' ? ctx.table.byName.get(r.name) : undefined;
      if (!col) return undefined;
      if (col.kind === 'dictionary') {
        const byCode = Float64Array.from(col.dictionary, (s) => [...s].length);
        return { unit: 'number', program: { kind: 'byCode', codes: col.codes, byCode, missing: missingBits(col.missing, ctx.table.rowCount) } };
      }
      if (col.kind === 'stringList' || col.kind === 'integerList') {
        return { unit: 'number', program: { kind: 'listLength', offsets: col.offsets, missing: missingBits(col.missing, ctx.table.rowCount) } };
      }
      return undefined;
    }
    case 'String':
    case 'Number':
    case 'Percent':
    case 'Boolean':
    case 'Date':
    case 'DateTime':
    case 'List':
    case 'Not':
    case 'Logical':
    case 'Compare':
    case 'In':
    case 'Between':
    case 'Contains':
    case 'Affix':
    case 'Matches':
    case 'Missing':
    case 'WithinLast':
    case 'Temporal':
    case 'Ago':
    case 'Today':
    case 'Now':
    case 'Error':
      return undefined;
    default:
      return unreachable(expr);
  }
}

/** The expression's values as one full-length vector (a column's own arrays when it is one). */
function numVector(expr: Expr, ctx: CompileContext): NumVec | undefined {
  const p = numProgram(expr, ctx);
  if (!p) return undefined;
  if (p.program.kind === 'column') return { unit: p.unit, values: p.program.values, missing: p.program.missingBytes };
  return { unit: p.unit, ...materialize(p.program, ctx.table.rowCount) };
}

/** A constant operand as a plain number. */
function constNumber(expr: Expr, ctx: CompileContext): number | null | undefined {
  if (!isConstant(expr, ctx)) return undefined;
  const v = evalValue(expr, constantEnv(ctx));
  if (v === null) return null;
  return typeof v === 'number' ? v : undefined;
}

function arithProgram(op: ArithOp, left: Expr, right: Expr, ctx: CompileContext): UnitProgram | undefined {
  const lv = numProgram(left, ctx);
  const rv = numProgram(right, ctx);
  if ((lv && lv.unit !== 'number') || (rv && rv.unit !== 'number')) return undefined;
  if (!lv && !rv) return undefined;
  const operand = (v: UnitProgram | undefined, e: Expr): NumProgram | undefined => {
    if (v) return v.program;
    const c = constNumber(e, ctx);
    // A missing constant makes every row missing (NaN in the program).
    return c === undefined ? undefined : { kind: 'constant', value: c };
  };
  const l = operand(lv, left);
  const r = operand(rv, right);
  if (!l || !r) return undefined;
  return { unit: 'number', program: { kind: 'arith', op, left: l, right: r } };
}

/** A constant value in a vector's unit (days for dates, ms for instants), as `compareScalars` orders them. */
function inUnit(v: Value, unit: Unit): number | undefined {
  if (v === null || Array.isArray(v)) return undefined;
  if (unit === 'number') return typeof v === 'number' ? v : undefined;
  if (typeof v === 'string') {
    const days = daysFromIso(v);
    if (days === undefined) return undefined;
    return unit === 'date' ? days : days * MS_PER_DAY;
  }
  if (typeof v !== 'object') return undefined;
  switch (v.kind) {
    case 'date':
      return unit === 'date' ? v.days : v.days * MS_PER_DAY;
    case 'relative':
      return unit === 'date' ? v.days : v.ms;
    case 'instant':
      return unit === 'date' ? v.ms / MS_PER_DAY : v.ms;
    case 'semver':
      return undefined;
    default:
      return unreachable(v);
  }
}

interface Interval {
  lo: number;
  loInc: boolean;
  hi: number;
  hiInc: boolean;
  negate: boolean;
}

function intervalFor(op: CompareOp, c: number): Interval {
  const inf = Number.POSITIVE_INFINITY;
  switch (op) {
    case '==':
      return { lo: c, loInc: true, hi: c, hiInc: true, negate: false };
    case '!=':
      return { lo: c, loInc: true, hi: c, hiInc: true, negate: true };
    case '<':
      return { lo: -inf, loInc: true, hi: c, hiInc: false, negate: false };
    case '<=':
      return { lo: -inf, loInc: true, hi: c, hiInc: true, negate: false };
    case '>':
      return { lo: c, loInc: false, hi: inf, hiInc: true, negate: false };
    case '>=':
      return { lo: c, loInc: true, hi: inf, hiInc: true, negate: false };
  }
}

const FLIP: Record<CompareOp, CompareOp> = { '==': '==', '!=': '!=', '<': '>', '<=': '>=', '>': '<', '>=': '<=' };

const missingBitsCache = new WeakMap<Uint8Array, Bitset | null>();

/** A missing mask as a bitset (cached per column); null when nothing is missing. */
function missingBits(missing: Uint8Array | null, rows: number): Bitset | null {
  if (!missing) return null;
  const cached = missingBitsCache.get(missing);
  if (cached !== undefined) return cached;
  const bits = emptyBits(rows);
  let any = 0;
  for (let w = 0, words = bits.length; w < words; w++) {
    const base = w << 5;
    const end = Math.min(32, rows - base);
    let mw = 0;
    for (let b = 0; b < end; b++) mw |= (missing[base + b] & 1) << b;
    bits[w] = mw;
    any |= mw;
  }
  const result = any === 0 ? null : bits;
  missingBitsCache.set(missing, result);
  return result;
}

/** Missing rows become unknown; `negate` flips the others. */
function withMissing(t: Bitset, missing: Bitset | null, negate: boolean, rows: number): TriBits {
  if (negate) {
    for (let w = 0; w < t.length; w++) t[w] = ~t[w];
    clearTail(t, rows);
  }
  if (!missing) return { t, u: emptyBits(rows) };
  for (let w = 0; w < t.length; w++) t[w] &= ~missing[w];
  return { t, u: missing };
}

/** Rows whose value lies in the interval, branch-free per row; missing rows are unknown. */
function intervalBits(vec: UnitProgram, iv: Interval, rows: number): TriBits {
  // Open bounds as closed ones on the neighbouring float keep one loop body.
  const lo = iv.loInc ? iv.lo : nextUp(iv.lo);
  const hi = iv.hiInc ? iv.hi : nextDown(iv.hi);
  const p = vec.program;
  return p.kind === 'column' ? columnIntervalBits(p, lo, hi, iv.negate, rows) : intervalChunks(p, lo, hi, iv.negate, rows);
}

/** A column's rows in [lo, hi]. */
function columnIntervalBits(p: ColumnProgram, lo: number, hi: number, negate: boolean, rows: number): TriBits {
  return withMissing(intervalWords(p.values, lo, hi, rows), p.missing, negate, rows);
}

const scratch = new Float64Array(1);
const scratchBits = new BigInt64Array(scratch.buffer);

/** The smallest double greater than x. */
function nextUp(x: number): number {
  if (Number.isNaN(x) || x === Number.POSITIVE_INFINITY) return x;
  if (x === 0) return Number.MIN_VALUE;
  scratch[0] = x;
  scratchBits[0] += x > 0 ? 1n : -1n;
  return scratch[0];
}

/** The largest double less than x. */
function nextDown(x: number): number {
  return -nextUp(-x);
}

type ColumnProgram = Extract<NumProgram, { kind: 'column' }>;

function compareColumns(op: CompareOp, a: ColumnProgram, b: ColumnProgram, rows: number): TriBits {
  const t = emptyBits(rows);
  const lt = op === '<' || op === '<=' || op === '!=' ? 1 : 0;
  const eq = op === '==' || op === '<=' || op === '>=' ? 1 : 0;
  const gt = op === '>' || op === '>=' || op === '!=' ? 1 : 0;
  const xs = a.values;
  const ys = b.values;
  for (let w = 0, words = t.length; w < words; w++) {
    const base = w << 5;
    const end = Math.min(32, rows - base);
    let tw = 0;
    for (let k = 0; k < end; k++) {
      const x = xs[base + k];
      const y = ys[base + k];
      tw |= ((+(x < y) & lt) | (+(x === y) & eq) | (+(x > y) & gt)) << k;
    }
    t[w] = tw;
  }
  const ma = a.missing;
  const mb = b.missing;
  let missing: Bitset | null = ma ?? mb;
  if (ma && mb) {
    missing = emptyBits(rows);
    for (let w = 0; w < missing.length; w++) missing[w] = ma[w] | mb[w];
  }
  return withMissing(t, missing, false, rows);
}

/** A comparison of a vector with a constant operand; null constant → all unknown. */
function vectorVsConst(op: CompareOp, vec: UnitProgram, constExpr: Expr, ctx: CompileContext): TriBits | undefined {
  if (!isConstant(constExpr, ctx)) return undefined;
  const v = evalValue(constExpr, constantEnv(ctx));
  if (v === null) return triConst(ctx.table.rowCount, null);
  const c = inUnit(v, vec.unit);
  if (c === undefined || Number.isNaN(c)) return undefined;
  return intervalBits(vec, intervalFor(op, c), ctx.table.rowCount);
}

function numericLeaf(expr: Expr, ctx: CompileContext): TriBits | undefined {
  const rows = ctx.table.rowCount;
  switch (expr.type) {
    case 'Compare': {
      const lv = numProgram(expr.left, ctx);
      const rv = numProgram(expr.right, ctx);
      if (lv && rv) {
        if (lv.unit !== rv.unit) return undefined;
        const [l, r] = [lv.program, rv.program];
        if (l.kind === 'column' && r.kind === 'column') return compareColumns(expr.op, l, r, rows);
        return compareChunks(expr.op, l, r, rows);
      }
      if (lv) return vectorVsConst(expr.op, lv, expr.right, ctx);
      if (rv) return vectorVsConst(FLIP[expr.op], rv, expr.left, ctx);
      return undefined;
    }
    case 'Temporal': {
      const sv = numProgram(expr.subject, ctx);
      return sv ? vectorVsConst(expr.op === 'before' ? '<' : '>', sv, expr.value, ctx) : undefined;
    }
    case 'Between': {
      const sv = numProgram(expr.subject, ctx);
      if (!sv || !isConstant(expr.low, ctx) || !isConstant(expr.high, ctx)) return undefined;
      const env = constantEnv(ctx);
      const lowV = evalValue(expr.low, env);
      const highV = evalValue(expr.high, env);
      if (lowV === null || highV === null) return undefined;
      const lo = inUnit(lowV, sv.unit);
      const hi = inUnit(highV, sv.unit);
      if (lo === undefined || hi === undefined || Number.isNaN(lo) || Number.isNaN(hi)) return undefined;
      return intervalBits(sv, { lo, loInc: true, hi, hiInc: true, negate: false }, rows);
    }
    case 'WithinLast': {
      const sv = numProgram(expr.subject, ctx);
      if (!sv || sv.unit === 'number') return undefined;
      const start = addUnits(ctx.today + 1, -expr.amount.value, expr.unit);
      const scale = sv.unit === 'date' ? 1 : MS_PER_DAY;
      return intervalBits(sv, { lo: start * scale, loInc: true, hi: (ctx.today + 1) * scale, hiInc: false, negate: false }, rows);
    }
    case 'In': {
      const sv = numVector(expr.subject, ctx);
      if (!sv) return undefined;
      const env = constantEnv(ctx);
      const set = new Set<number>();
      let unknownItem = false;
      for (const item of expr.list.items) {
        if (!isConstant(item, ctx)) return undefined;
        const v = evalValue(item, env);
        if (v === null) {
          unknownItem = true;
          continue;
        }
        const c = inUnit(v, sv.unit);
        if (c === undefined || Number.isNaN(c)) return undefined;
        set.add(c);
      }
      const t = emptyBits(rows);
      const u = emptyBits(rows);
      for (let i = 0; i < rows; i++) {
        const bit = 1 << (i & 31);
        if (sv.missing && sv.missing[i] === 1) u[i >>> 5] |= bit;
        else if (set.has(sv.values[i])) {
          if (!expr.negated) t[i >>> 5] |= bit;
        } else if (unknownItem) u[i >>> 5] |= bit;
        else if (expr.negated) t[i >>> 5] |= bit;
      }
      return { t, u };
    }
    case 'String':
    case 'Number':
    case 'Percent':
    case 'Boolean':
    case 'Date':
    case 'DateTime':
    case 'Name':
    case 'List':
    case 'Paren':
    case 'Not':
    case 'Logical':
    case 'Negate':
    case 'Arith':
    case 'Contains':
    case 'Affix':
    case 'Matches':
    case 'Missing':
    case 'Call':
    case 'Ago':
    case 'Today':
    case 'Now':
    case 'RelatedField':
    case 'Aggregate':
    case 'Error':
      return undefined;
    default:
      return unreachable(expr);
  }
}

// ------------------------------------------------------------------ aggregates

/** `p90(x)`, `median(x)`, … over the whole table's non-missing values, cached. */
export function tableAggregate(call: CallExpr, ctx: CompileContext): Value {
  const key = exprKey(call, ctx.resolve);
  if (ctx.shared.aggregates.has(key)) return ctx.shared.aggregates.get(key) ?? null;
  const result = computeTableAggregate(call.callee.name, call.arg, ctx);
  ctx.shared.aggregates.set(key, result);
  return result;
}

function computeTableAggregate(name: string, arg: Expr, ctx: CompileContext): Value {
  const quantile = quantileOf(name);
  const column = quantile === undefined ? undefined : quantileColumn(arg, ctx);
  const buckets = column && bucketsOf(column, ctx);
  if (buckets && column && quantile !== undefined) {
    const x = bucketQuantile(buckets, quantile);
    return x === undefined ? null : fromUnit(x, unitOf(column.type));
  }
  const vec = numVector(arg, ctx);
  if (vec) {
    if (name === 'mean') {
      const x = presentMean(vec.values, vec.missing);
      return x === undefined ? null : fromUnit(x, vec.unit);
    }
    const rows = ctx.table.rowCount;
    const present = new Float64Array(rows);
    let n = 0;
    for (let i = 0; i < rows; i++) {
      if (vec.missing && vec.missing[i] === 1) continue;
      present[n++] = vec.values[i];
    }
    const x = aggregateNumbers(name, present.subarray(0, n));
    return x === undefined ? null : fromUnit(x, vec.unit);
  }
  const env = rowEnv(ctx);
  const values: Value[] = [];
  for (let i = 0; i < ctx.table.rowCount; i++) {
    env.row = i;
    values.push(evalValue(arg, env));
  }
  return aggregateValues(name, values);
}

/** The numeric column a quantile's argument names (a field or a related value), if it is one. */
function quantileColumn(arg: Expr, ctx: CompileContext): Extract<Column, { kind: 'numeric' }> | undefined {
  while (arg.type === 'Paren') arg = arg.expr;
  let name: string | undefined;
  if (arg.type === 'Name') {
    const r = ctx.resolve(arg);
    if (r.kind === 'field') name = r.name;
  } else if (arg.type === 'RelatedField' || arg.type === 'Aggregate') name = relatedColumnName(arg, ctx.resolve);
  const col = name === undefined ? undefined : ctx.table.byName.get(name);
  return col?.kind === 'numeric' ? col : undefined;
}

/** A column's quantile buckets, counted once per shared cache. */
function bucketsOf(col: Extract<Column, { kind: 'numeric' }>, ctx: CompileContext): QuantileBuckets | undefined {
  const cache = ctx.shared.quantileBuckets;
  if (!cache.has(col.values)) cache.set(col.values, bucketValues(col.values, col.missing));
  return cache.get(col.values);
}

/** Calls `fn` for every row whose bit is set. */
export function forEachRow(bits: Bitset, fn: (row: number) => void): void {
  for (let w = 0; w < bits.length; w++) {
    let word = bits[w];
    while (word !== 0) {
      const low = word & -word;
      fn((w << 5) + (31 - Math.clz32(low)));
      word ^= low;
    }
  }
}

/** An aggregate (`mean`, `p90`, …) of `arg` over the rows in `members`, non-missing values only. */
export function memberAggregate(name: string, arg: Expr, members: Bitset, ctx: CompileContext): Value {
  const vec = numVector(arg, ctx);
  if (vec) {
    const picked: number[] = [];
    forEachRow(members, (i) => {
      if (!vec.missing || vec.missing[i] !== 1) picked.push(vec.values[i]);
    });
    const x = aggregateNumbers(name, Float64Array.from(picked));
    return x === undefined ? null : fromUnit(x, vec.unit);
  }
  const env = rowEnv(ctx);
  const values: Value[] = [];
  forEachRow(members, (i) => {
    env.row = i;
    values.push(evalValue(arg, env));
  });
  return aggregateValues(name, values);
}
