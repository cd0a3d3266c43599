/**
 * Differential property test: on random tables with missing values and
 * random `where` expressions, the compiled bitset evaluator agrees with the
 * row-by-row reference interpreter on every row.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { compiled, expr, makeTable, reference, type Cell, type EvalSetup } from './helpers.js';
import { daysFromIso, isoFromDays, MS_PER_DAY } from '../../../server/src/core/engine/dates.js';
import { emptyBits, setBit } from '../../../server/src/core/engine/bitset.js';

const TODAYS = ['2024-02-29', '2024-03-31', '2025-12-31', '2026-03-31', '2026-06-30', '2026-01-01'];
const STRINGS = ['a', 'ab', 'Ab', 'b', 'abc', 'xyz', 'A', ''];
const ENUMS = ['free', 'pro', 'team'];
const VERSIONS = ['3.9.0', '3.10.0', '3.10.0-rc.1', '1.2.3', '10.0.0', '3.10'];
// A table draws from the first 4 items (item masks, engine/lists.ts) or all 10 (more than 8: the item walk).
const ITEMS = ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'i', 'j'];
const DATES = ['2024-02-28', '2024-02-29', '2024-03-01', '2025-12-31', '2026-01-31', '2026-02-28', '2026-03-31', '2026-06-30'];

const maybe = <T>(arb: fc.Arbitrary<T>): fc.Arbitrary<T | null> => fc.option(arb, { freq: 4, nil: null });

interface Generated {
  rows: Array<Record<string, Cell>>;
  today: string;
  segA: boolean[];
  segB: boolean[];
}

const tableArb: fc.Arbitrary<Generated> = fc.tuple(fc.constantFrom(...TODAYS), fc.constantFrom(4, ITEMS.length)).chain(([today, itemCount]) => {
  const base = daysFromIso(today)!;
  const row = fc.record({
    n: maybe(fc.integer({ min: -5, max: 60 })),
    x: maybe(fc.oneof(fc.integer({ min: -10, max: 100 }), fc.double({ min: -10, max: 100, noNaN: true }))),
    s: maybe(fc.constantFrom(...STRINGS)),
    e: maybe(fc.constantFrom(...ENUMS)),
    v: maybe(fc.constantFrom(...VERSIONS)),
    d: maybe(fc.integer({ min: base - 800, max: base + 3 }).map(isoFromDays)),
    t: maybe(
      fc
        .tuple(fc.integer({ min: base - 800, max: base + 3 }), fc.oneof(fc.constant(0), fc.integer({ min: 0, max: MS_PER_DAY - 1 })))
        .map(([d, ms]) => new Date(d * MS_PER_DAY + ms).toISOString()),
    ),
    b: maybe(fc.boolean()),
    l: maybe(fc.array(fc.constantFrom(...ITEMS.slice(0, itemCount)), { maxLength: 6 })),
    li: maybe(fc.array(fc.integer({ min: 0, max: 4 }), { maxLength: 3 })),
  });
  // Up to 100 rows: several full 32-row words and a partial one (the kernels treat them apart).
  return fc.array(row, { minLength: 1, maxLength: 100, size: 'max' }).chain((rows) =>
    fc.record({
      rows: fc.constant(rows as Array<Record<string, Cell>>),
      today: fc.constant(today),
      segA: fc.array(fc.boolean(), { minLength: rows.length, maxLength: rows.length }),
      segB: fc.array(fc.boolean(), { minLength: rows.length, maxLength: rows.length }),
    }),
  );
});

const q = (s: string) => JSON.stringify(s);
const unit = fc.constantFrom('day', 'days', 'week', 'weeks', 'month', 'months', 'year', 'years');
const intLit = fc.integer({ min: -5, max: 60 }).map(String);
const numLit = fc.oneof(intLit, fc.constantFrom('2.5', '0', '0.5', '100'));
const numPrimary = fc.oneof(
  fc.constantFrom('n', 'x', 'len(s)', 'len(l)', 'len(li)', 'p50(x)', 'median(n)', 'mean(x)', 'min(n)', 'max(x)', 'p90(n)', 'p1(x)'),
  numLit,
);
const numExpr: fc.Arbitrary<string> = fc.oneof(
  { weight: 3, arbitrary: numPrimary },
  fc.tuple(numPrimary, fc.constantFrom('+', '-', '*', '/'), numPrimary).map(([a, op, b]) => `${a} ${op} ${b}`),
  numPrimary.map((a) => `-${a}`),
);
const cmp = fc.constantFrom('==', '!=', '<', '<=', '>', '>=');
const strLit = fc.constantFrom(...STRINGS).map(q);
const dateLit = fc.constantFrom(...DATES);
const dateTimeLit = fc.constantFrom(...DATES).chain((d) => fc.constantFrom(`${d}T00:00:00Z`, `${d}T12:30:00Z`));
const list = <T extends string>(arb: fc.Arbitrary<T>) => fc.array(arb, { minLength: 1, maxLength: 4 }).map((xs) => `[${xs.join(', ')}]`);

const leaf: fc.Arbitrary<string> = fc.oneof(
  fc.tuple(numExpr, cmp, numExpr).map(([a, op, b]) => `${a} ${op} ${b}`),
  fc.tuple(fc.constantFrom('n', 'x'), numLit, numLit).map(([f, a, b]) => `${f} between ${a} and ${b}`),
  fc.tuple(fc.constantFrom('n', 'x'), fc.boolean(), list(numLit)).map(([f, neg, l]) => `${f} ${neg ? 'not in' : 'in'} ${l}`),
  fc.tuple(fc.constantFrom('s', 'lower(s)', 'upper(s)', 'e'), cmp, strLit).map(([f, op, v]) => `${f} ${op} ${v}`),
  fc.tuple(fc.constantFrom('s', 'e'), fc.boolean(), list(strLit)).map(([f, neg, l]) => `${f} ${neg ? 'not in' : 'in'} ${l}`),
  fc.tuple(fc.constantFrom('contains', 'starts with', 'ends with'), strLit).map(([op, v]) => `s ${op} ${v}`),
  fc.constantFrom('"^a"', '"b$"', '"[A-Z]"', '"^$"').map((re) => `s matches ${re}`),
  fc.tuple(cmp, fc.constantFrom(...VERSIONS).map(q)).map(([op, v]) => `v ${op} ${v}`),
  fc.tuple(fc.constantFrom('d', 't'), cmp, fc.oneof(dateLit, fc.constantFrom('today', 'now'))).map(([f, op, v]) => `${f} ${op} ${v}`),
  fc.tuple(cmp, dateTimeLit).map(([op, v]) => `t ${op} ${v}`),
  fc.tuple(fc.constantFrom('d', 't'), fc.constantFrom('before', 'after'), fc.oneof(dateLit, dateTimeLit)).map(([f, op, v]) => `${f} ${op} ${v}`),
  fc.tuple(fc.constantFrom('d', 't'), fc.integer({ min: 1, max: 14 }), unit).map(([f, n, u]) => `${f} within last ${n} ${u}`),
  fc.tuple(fc.constantFrom('d', 't'), cmp, fc.integer({ min: 0, max: 14 }), unit).map(([f, op, n, u]) => `${f} ${op} ${n} ${u} ago`),
  fc.constantFrom('b', 'b == true', 'b != false', 'b == false', 'not b', 'b != true', 'A', 'B'),
  fc.tuple(fc.constantFrom('l', 's'), strLit.map((v) => v)).map(([f, v]) => `${f} contains ${v}`),
  fc.tuple(fc.constantFrom('any', 'all'), list(fc.constantFrom(...ITEMS, 'zz').map(q))).map(([m, l]) => `l contains ${m} ${l}`),
  fc.tuple(fc.constantFrom('any', 'all'), list(strLit)).map(([m, l]) => `s contains ${m} ${l}`),
  intLit.map((v) => `li contains ${v}`),
  fc.tuple(fc.constantFrom('n', 'x', 's', 'e', 'v', 'd', 't', 'b', 'l', 'li'), fc.boolean()).map(([f, neg]) => `${f} is ${neg ? 'not ' : ''}missing`),
);

const predicate: fc.Arbitrary<string> = fc.letrec<{ p: string }>((tie) => ({
  p: fc.oneof(
    { maxDepth: 4, depthSize: 'small', withCrossShrink: true },
    { weight: 4, arbitrary: leaf },
    tie('p').map((p) => `not (${p})`),
    fc.tuple(tie('p'), fc.constantFrom('and', 'or'), tie('p')).map(([a, op, b]) => `(${a}) ${op} (${b})`),
    fc.tuple(tie('p'), fc.constantFrom('and', 'or'), tie('p')).map(([a, op, b]) => `${a} ${op} ${b}`),
  ),
})).p;

function setupOf(g: Generated): EvalSetup {
  const table = makeTable([
    { name: 'n', type: 'integer', values: g.rows.map((r) => r.n) },
    { name: 'x', type: 'number', values: g.rows.map((r) => r.x) },
    { name: 's', type: 'string', values: g.rows.map((r) => r.s) },
    { name: 'e', type: 'enum', values: g.rows.map((r) => r.e) },
    { name: 'v', type: 'semver', values: g.rows.map((r) => r.v) },
    { name: 'd', type: 'date', values: g.rows.map((r) => r.d) },
    { name: 't', type: 'datetime', values: g.rows.map((r) => r.t) },
    { name: 'b', type: 'boolean', values: g.rows.map((r) => r.b) },
    { name: 'l', type: 'list<string>', values: g.rows.map((r) => r.l) },
    { name: 'li', type: 'list<integer>', values: g.rows.map((r) => r.li) },
  ]);
  const bits = (flags: boolean[]) => {
    const b = emptyBits(flags.length);
    flags.forEach((f, i) => f && setBit(b, i));
    return b;
  };
  return {
    table,
    today: daysFromIso(g.today)!,
    segments: new Map([
      ['A', bits(g.segA)],
      ['B', bits(g.segB)],
    ]),
  };
}

describe('compiled evaluator agrees with the reference interpreter', () => {
  it('on random expressions over random tables with missing values', () => {
    fc.assert(
      fc.property(tableArb, predicate, (g, source) => {
        const setup = setupOf(g);
        const e = expr(source);
        expect(compiled(e, setup), source).toEqual(reference(e, setup));
      }),
      { numRuns: 600 },
    );
  });
});
