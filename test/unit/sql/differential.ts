/**
 * Differential testing of the SQL compiler against the engine's reference
 * interpreter (server/src/core/engine/reference.ts): random expressions over
 * random small tables with missing values; the rows SQL selects must be the
 * rows the reference says are members.
 */
import fc from 'fast-check';
import type { ColumnType } from '../../../server/src/core/data/table.js';
import { aggregateValues } from '../../../server/src/core/engine/aggregates.js';
import { daysFromIso } from '../../../server/src/core/engine/dates.js';
import { type EvalEnv, evalPredicate, evalValue } from '../../../server/src/core/engine/reference.js';
import { dateValue, instantValue, semverValue, type Truth, type Value } from '../../../server/src/core/engine/values.js';
import type { NameResolution } from '../../../server/src/core/semantics/model.js';
import type { Expr } from '../../../server/src/core/syntax/ast.js';
import type { FieldSpec } from '../../../server/src/sqlengines/duckdb.js';
import type { Row, RowValue } from '../../../server/src/sqlengines/rows.js';
import { whereExpr } from './fixtures.js';

export const DIFF_FIELDS: Record<string, ColumnType> = {
  id: 'integer',
  a: 'integer',
  b: 'number',
  s: 'string',
  d: 'date',
  t: 'datetime',
  v: 'semver',
  l: 'list<string>',
  f: 'boolean',
};
export const DIFF_FIELD_SPECS: FieldSpec[] = Object.entries(DIFF_FIELDS).map(([name, type]) => ({ name, type }));

const AS_OF_DATES = ['2026-03-31', '2024-02-29', '2026-01-01'];
const STRINGS = ['a', 'b', 'ab', 'B', 'ba', "q'x", 'é'];
// Pre-release identifiers with numbers of two digits too: SQL must order them by number, as the engine does.
const VERSIONS = ['1.0.0', '1.0.0-rc.1', '1.0.0-rc.10', '1.0.0-rc.2', '1.0.0-beta', '1.2', '1.10.0', '2.0.0', 'v1.2.3', '0.9.9+build.5', 'latest', '1.x'];
const DAY_OFFSETS = [-800, -400, -366, -92, -61, -40, -31, -30, -29, -28, -8, -7, -6, -1, 0, 1];
const HOUR_OFFSETS = [-24 * 400, -24 * 31, -24 * 30, -24 * 7 - 1, -49, -25, -24, -1, 0, 5, 23, 24];
const NUMBERS = [-1.5, 0, 0.5, 2, 3.25, 9007199254740992];
/** Integers at the edge of the exact range (beyond it a cell is a bad value), and literals beyond it. */
const EDGE_INTEGERS = [9007199254740991, -9007199254740991, 9007199254740990];
const BIG_LITERALS = ['9007199254740992', '9007199254740993', '9_007_199_254_740_993', '12345678901234567891', '-9007199254740993'];
const LIST_ITEMS = ['x', 'y', 'z'];

export interface DiffCase {
  asOf: string;
  rows: Row[];
  /** Segment name → where text; seg2 may use seg1. */
  segments: Record<string, string>;
  where: string;
}

function isoDay(asOf: string, offset: number): string {
  const days = (daysFromIso(asOf) as number) + offset;
  return new Date(days * 86_400_000).toISOString().slice(0, 10);
}

function isoInstant(asOf: string, hours: number): string {
  const ms = (daysFromIso(asOf) as number) * 86_400_000 + hours * 3_600_000;
  return new Date(ms).toISOString();
}

function maybe<T>(arb: fc.Arbitrary<T>): fc.Arbitrary<T | null> {
  return fc.option(arb, { nil: null, freq: 4 });
}

function rowArb(asOf: string, id: number): fc.Arbitrary<Row> {
  return fc.record({
    id: fc.constant(id),
    a: maybe(fc.oneof({ weight: 9, arbitrary: fc.integer({ min: -3, max: 3 }) }, { weight: 1, arbitrary: fc.constantFrom(...EDGE_INTEGERS) })),
    b: maybe(fc.constantFrom(...NUMBERS)),
    s: maybe(fc.constantFrom(...STRINGS)),
    d: maybe(fc.constantFrom(...DAY_OFFSETS).map((o) => isoDay(asOf, o))),
    t: maybe(fc.constantFrom(...HOUR_OFFSETS).map((h) => isoInstant(asOf, h))),
    v: maybe(fc.constantFrom(...VERSIONS)),
    l: maybe(fc.subarray(LIST_ITEMS)) as fc.Arbitrary<RowValue>,
    f: maybe(fc.boolean()),
  });
}

const cmp = fc.constantFrom('==', '!=', '<', '<=', '>', '>=');
const int = fc.integer({ min: -3, max: 3 });
const str = fc.constantFrom(...STRINGS).map((s) => JSON.stringify(s));
const unit = fc.constantFrom('day', 'days', 'week', 'weeks', 'month', 'months', 'year', 'years');
const amount = fc.constantFrom(1, 2, 3, 12, 1.5);
const version = fc.constantFrom(...VERSIONS).map((s) => JSON.stringify(s));
const listLit = fc.subarray([...LIST_ITEMS, 'w']).map((xs) => `[${xs.map((x) => JSON.stringify(x)).join(', ')}]`);
const strList = fc.subarray(STRINGS, { minLength: 1 }).map((xs) => `[${xs.map((x) => JSON.stringify(x)).join(', ')}]`);
const anyField = fc.constantFrom('a', 'b', 's', 'd', 't', 'v', 'l', 'f');

function leaf(segments: string[]): fc.Arbitrary<string> {
  const leaves: Array<fc.Arbitrary<string>> = [
    fc.tuple(fc.constantFrom('a', 'b', '-a', 'a + b', 'a * 2 - b', 'a / b', 'b / 2'), cmp, int).map(([x, op, k]) => `${x} ${op} ${k}`),
    fc.tuple(cmp).map(([op]) => `a ${op} b`),
    fc.tuple(fc.constantFrom('a', 'b', '-a'), cmp, fc.constantFrom(...BIG_LITERALS)).map(([x, op, k]) => `${x} ${op} ${k}`),
    fc.tuple(fc.constantFrom('a * 0.1', 'a + 0.1', 'b * 0.1 + a', 'a * 10%'), cmp, fc.constantFrom('0.3', '0.2', '0.1', 'b')).map(
      ([x, op, k]) => `${x} ${op} ${k}`,
    ),
    fc.tuple(int, int).map(([x, y]) => `a between ${Math.min(x, y)} and ${Math.max(x, y)}`),
    fc.tuple(fc.constantFrom('a', 'b'), cmp, fc.constantFrom('median', 'mean', 'min', 'max', 'p25', 'p90')).map(
      ([x, op, fn]) => `${x} ${op} ${fn}(${x})`,
    ),
    fc.tuple(fc.constantFrom('s', 'lower(s)', 'upper(s)'), cmp, str).map(([x, op, k]) => `${x} ${op} ${k}`),
    fc.tuple(fc.boolean(), strList).map(([neg, list]) => `s ${neg ? 'not in' : 'in'} ${list}`),
    fc.tuple(fc.constantFrom('contains', 'starts with', 'ends with'), str).map(([op, k]) => `s ${op} ${k}`),
    fc.constantFrom('"^a"', '"b$"', '"[A-Z]"', '"a|é"').map((p) => `s matches ${p}`),
    fc.tuple(cmp, int).map(([op, k]) => `len(s) ${op} ${k}`),
    fc.tuple(amount, unit).map(([n, u]) => `d within last ${n} ${u}`),
    fc.tuple(amount, unit).map(([n, u]) => `t within last ${n} ${u}`),
    fc.tuple(fc.constantFrom('d', 't'), cmp, amount, unit).map(([x, op, n, u]) => `${x} ${op} ${n} ${u} ago`),
    fc.tuple(fc.constantFrom('d', 't'), fc.constantFrom('before', 'after'), fc.constantFrom('today', 'now')).map(
      ([x, op, k]) => `${x} ${op} ${k}`,
    ),
    fc.tuple(fc.constantFrom('d', 't'), cmp, fc.constantFrom(...DAY_OFFSETS)).map(
      ([x, op, o]) => `${x} ${op} ${isoDay('2026-03-31', o)}`,
    ),
    fc.tuple(cmp, version).map(([op, k]) => `v ${op} ${k}`),
    fc.tuple(version, version).map(([x, y]) => `v between ${x} and ${y}`),
    fc.constantFrom('"x"', '"w"').map((k) => `l contains ${k}`),
    fc.tuple(fc.constantFrom('any', 'all'), listLit).map(([m, list]) => `l contains ${m} ${list}`),
    fc.tuple(cmp, fc.integer({ min: 0, max: 3 })).map(([op, k]) => `len(l) ${op} ${k}`),
    fc.constantFrom('f', 'f == true', 'f != false'),
    fc.tuple(anyField, fc.boolean()).map(([x, neg]) => `${x} is ${neg ? 'not ' : ''}missing`),
    fc.constantFrom('(a / b) is missing', 'a / b > 1'),
  ];
  if (segments.length) leaves.push(fc.constantFrom(...segments));
  return fc.oneof(...leaves);
}

export function predicateArb(depth: number, segments: string[]): fc.Arbitrary<string> {
  if (depth <= 0) return leaf(segments);
  const sub = predicateArb(depth - 1, segments);
  return fc.oneof(
    { weight: 3, arbitrary: leaf(segments) },
    { weight: 2, arbitrary: fc.tuple(sub, sub).map(([x, y]) => `(${x}) and (${y})`) },
    { weight: 2, arbitrary: fc.tuple(sub, sub).map(([x, y]) => `(${x}) or (${y})`) },
    { weight: 2, arbitrary: sub.map((x) => `not (${x})`) },
  );
}

export const diffCaseArb: fc.Arbitrary<DiffCase> = fc
  .constantFrom(...AS_OF_DATES)
  .chain((asOf) =>
    fc.record({
      asOf: fc.constant(asOf),
      rows: fc.integer({ min: 0, max: 10 }).chain((n) => fc.tuple(...Array.from({ length: n }, (_, i) => rowArb(asOf, i + 1)))),
      segments: fc
        .tuple(predicateArb(1, []), predicateArb(1, ['seg1']))
        .map(([seg1, seg2]) => ({ seg1, seg2 })),
      where: predicateArb(3, ['seg1', 'seg2']),
    }),
  )
  .map((c) => ({ ...c, rows: c.rows as Row[] }));

/** Member ids according to the reference interpreter. */
/** Rows (ids) where the reference interpreter finds the rule true. */
export function referenceMembers(c: DiffCase): number[] {
  return referenceTruths(c)
    .filter(([, truth]) => truth === true)
    .map(([id]) => id);
}

/** Rows (ids) where the rule is unknown because of missing values: what SQL's `(where) IS NULL` must select. */
export function referenceUnknowns(c: DiffCase): number[] {
  return referenceTruths(c)
    .filter(([, truth]) => truth === null)
    .map(([id]) => id);
}

function referenceTruths(c: DiffCase): Array<[number, Truth]> {
  const today = daysFromIso(c.asOf) as number;
  const segmentExprs = new Map<string, Expr>(Object.entries(c.segments).map(([n, t]) => [n, whereExpr(t)]));
  const resolve = (name: { name: string }): NameResolution =>
    name.name in DIFF_FIELDS
      ? { kind: 'field', dataset: 'users', name: name.name }
      : segmentExprs.has(name.name)
        ? { kind: 'segment', name: name.name }
        : { kind: 'unknown' };
  const envFor = (row: Row): EvalEnv => {
    const env: EvalEnv = {
      today,
      resolve,
      field: (name) => cellValue(DIFF_FIELDS[name], row[name] ?? null),
      segment: (name) => evalPredicate(segmentExprs.get(name) as Expr, env) === true,
      aggregate: (call) => aggregateValues(call.callee.name, c.rows.map((r) => evalValue(call.arg, envFor(r)))),
    };
    return env;
  };
  const where = whereExpr(c.where);
  return c.rows.map((row) => [row.id as number, evalPredicate(where, envFor(row))]);
}

export function cellValue(type: ColumnType, value: RowValue): Value {
  if (value === null) return null;
  switch (type) {
    case 'date':
      return dateValue(daysFromIso(value as string) as number);
    case 'datetime':
      return instantValue(Date.parse(value as string));
    case 'semver':
      return semverValue(value as string);
    default:
      return value as Value;
  }
}
