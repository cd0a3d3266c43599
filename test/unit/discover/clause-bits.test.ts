/**
 * Candidate clauses come judged: their bits are built column by column in a
 * few passes (not by asking each clause row by row), so they must hold
 * exactly where the engine holds the printed clause, on every kind of column,
 * with missing values, on all rows and on a sample of them.
 */
import { describe, expect, it } from 'vitest';
import { candidateClauses, type Clause } from '../../../server/src/core/discover/clauses.js';
import { sampleRows } from '../../../server/src/core/discover/index.js';
import { roundCuts, roundCutsOf, selectRanks } from '../../../server/src/core/discover/nice.js';
import { emptyBits, hasBit, setBit } from '../../../server/src/core/engine/bitset.js';
import { daysFromIso } from '../../../server/src/core/engine/dates.js';
import { compiled, expr, tableFromRows } from '../engine/helpers.js';

const TODAY = daysFromIso('2026-06-30')!;
const ROWS = 1500;

function world() {
  const day = (offset: number) => new Date((TODAY - offset) * 86_400_000).toISOString().slice(0, 10);
  const rows = Array.from({ length: ROWS }, (_, i) => ({
    id: `u${i}`,
    age: i % 11 === 0 ? null : 16 + ((i * 37) % 60),
    spend: i % 13 === 0 ? null : i % 3 === 0 ? 0 : ((i * 7919) % 5000) / 7 - 30,
    visits: i % 2 === 0 ? 0 : (i * 31) % 90,
    plan: i % 17 === 0 ? null : ['free', 'pro', 'team', 'enterprise', 'edu'][(i * 13) % 5],
    student: i % 19 === 0 ? null : i % 4 === 0,
    signup: i % 23 === 0 ? null : day((i * 53) % 900 - 20),
    seen_at: i % 29 === 0 ? null : `${day((i * 7) % 120)}T${String(i % 24).padStart(2, '0')}:30:00Z`,
    tags: i % 31 === 0 ? null : [['a', 'b'], ['b'], ['c', 'a', 'a'], [], ['d', 'b']][i % 5],
  }));
  const table = tableFromRows(
    { id: 'string', age: 'integer', spend: 'number', visits: 'integer', plan: 'enum', student: 'boolean', signup: 'date', seen_at: 'datetime', tags: 'list<string>' },
    rows,
  );
  const target = emptyBits(ROWS);
  for (let i = 0; i < ROWS; i++) if ((i * 7919) % 10 < 3 || i % 4 === 0) setBit(target, i);
  return { table, target };
}

function judgedMatchesEngine(clauses: readonly Clause[], rows: Int32Array, table: ReturnType<typeof world>['table']): void {
  for (const c of clauses) {
    const engine = compiled(expr(c.text), { table, today: TODAY });
    const judged = Array.from(rows, (_, i) => hasBit(c.bits!, i));
    expect(judged, c.text).toEqual(Array.from(rows, (r) => engine[r] === true));
    expect(Array.from(rows, (r) => c.holds(r)), c.text).toEqual(judged);
  }
}

describe('judged candidate clauses', () => {
  const { table, target } = world();

  it('hold where the engine holds the printed clause, on every kind of column, on all rows', () => {
    const clauses = candidateClauses(table, { minCount: 15, today: TODAY, exclude: new Set(['id']), target });
    const fields = new Set(clauses.map((c) => c.field));
    expect([...fields].sort()).toEqual(['age', 'plan', 'seen_at', 'signup', 'spend', 'student', 'tags', 'visits']);
    expect(clauses.some((c) => c.text === 'visits == 0') && clauses.some((c) => c.text === 'visits > 0')).toBe(true);
    expect(clauses.some((c) => c.text.startsWith('plan in ['))).toBe(true);
    expect(clauses.some((c) => c.text === 'age is missing')).toBe(true);
    judgedMatchesEngine(clauses, Int32Array.from({ length: ROWS }, (_, i) => i), table);
  });

  it('hold where the engine holds the printed clause on a sample of the rows (bit i: the i-th sampled row)', () => {
    const rows = sampleRows(ROWS, 700);
    const sampleTarget = emptyBits(rows.length);
    rows.forEach((r, i) => hasBit(target, r) && setBit(sampleTarget, i));
    const clauses = candidateClauses(table, { rows, minCount: 7, today: TODAY, exclude: new Set(['id']), target: sampleTarget });
    expect(clauses.length).toBeGreaterThan(30);
    judgedMatchesEngine(clauses, rows, table);
  });
});

describe('cut points without a full sort', () => {
  const quantiles = [0.1, 0.2, 0.4, 0.6, 0.8, 0.9];
  const cases: Array<[string, (i: number) => number]> = [
    ['small whole numbers', (i) => (i * 37) % 61],
    ['whole numbers of a wide range', (i) => ((i * 7919) % 100_003) - 500],
    ['fractions with repeats', (i) => Math.round(((i * 7919) % 1000) / 3) / 7],
    ['negative and zero', (i) => (i % 3 === 0 ? 0 : -((i * 13) % 97) / 4)],
    ['one value', () => 5],
  ];
  for (const [name, value] of cases) {
    it(`equal the cuts of the sorted values: ${name}`, () => {
      for (const n of [1, 2, 15, 16, 17, 1000, 4099]) {
        const values = Float64Array.from({ length: n }, (_, i) => value(i));
        const expected = roundCuts(values.slice().sort(), name.startsWith('small') || name.startsWith('whole'), quantiles);
        expect(roundCutsOf(values, name.startsWith('small') || name.startsWith('whole'), quantiles), `${name}, ${n} values`).toEqual(expected);
      }
    });
  }
});

describe('order statistics without a full sort', () => {
  it('puts at each asked rank the value a sort puts there, with many repeats or none', () => {
    let seed = 7;
    const random = () => ((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 2 ** 32);
    for (const distinct of [2, 10, 1000, 1e9]) {
      for (const n of [1, 5, 16, 17, 100, 3001]) {
        const values = Float64Array.from({ length: n }, () => Math.floor(random() * distinct) / 3);
        const sorted = values.slice().sort();
        const ranks = Array.from({ length: 9 }, () => Math.floor(random() * n)).concat([0, n - 1]);
        selectRanks(values, ranks);
        for (const r of ranks) expect(values[r], `rank ${r} of ${n}, ${distinct} distinct`).toBe(sorted[r]);
        expect(values.slice().sort()).toEqual(sorted);
      }
    }
  });
});
