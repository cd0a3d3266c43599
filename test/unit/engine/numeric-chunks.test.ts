/**
 * Comparisons of arithmetic (`a * 4 > b`, `x / y > 100`, `len(l) >= 3`) are
 * computed a chunk of rows at a time (numeric-chunks.ts). On tables longer
 * than several chunks, with missing values, zeros and overflowing values,
 * they agree row by row with the reference interpreter.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { compiled, expr, makeTable, reference, type Cell, type EvalSetup } from './helpers.js';
import { CHUNK_ROWS } from '../../../server/src/core/engine/numeric-chunks.js';

const numberCell = fc.oneof(
  { weight: 3, arbitrary: fc.constant(null) },
  { weight: 2, arbitrary: fc.constant(0) },
  { weight: 8, arbitrary: fc.integer({ min: -20, max: 120 }) },
  { weight: 3, arbitrary: fc.double({ min: -50, max: 50, noNaN: true }) },
  // Products and sums of these overflow to infinities, whose difference is NaN.
  { weight: 1, arbitrary: fc.constantFrom(1e308, -1e308) },
);

const listCell = fc.option(fc.array(fc.constantFrom('a', 'b', 'c'), { maxLength: 5 }), { freq: 5, nil: null });

interface Columns {
  a: Cell[];
  b: Cell[];
  l: Cell[];
  s: Cell[];
}

/** A table of 1 to 3 chunks plus a ragged tail, built from a few random blocks repeated (the reference is slow). */
const tableArb: fc.Arbitrary<Columns> = fc
  .tuple(
    fc.integer({ min: CHUNK_ROWS - 40, max: 3 * CHUNK_ROWS + 45 }),
    fc.array(fc.tuple(numberCell, numberCell, listCell, fc.option(fc.constantFrom('', 'ab', 'abcd'), { nil: null })), {
      minLength: 50,
      maxLength: 97,
    }),
  )
  .map(([rows, block]) => {
    const at = (i: number) => block[(i * 7 + (i >> 9)) % block.length];
    const column = (k: number) => Array.from({ length: rows }, (_, i) => at(i)[k] as Cell);
    return { a: column(0), b: column(1), l: column(2), s: column(3) };
  });

const operand = fc.constantFrom('a', 'b', '-a', 'len(l)', 'len(s)', '2.5', '0', '4');
const arith = fc.tuple(operand, fc.constantFrom('+', '-', '*', '/'), operand).map(([x, op, y]) => `${x} ${op} ${y}`);
const side = fc.oneof(arith, fc.constantFrom('a', 'b', 'len(l)', '-b', '(a - b) * 3', 'a / (b - 1)'));
const predicate = fc.oneof(
  fc.tuple(side, fc.constantFrom('==', '!=', '<', '<=', '>', '>='), side).map(([x, op, y]) => `${x} ${op} ${y}`),
  fc.tuple(arith, fc.integer({ min: -10, max: 40 }), fc.integer({ min: -10, max: 40 })).map(([x, lo, hi]) => `${x} between ${lo} and ${hi}`),
);

function setupOf(c: Columns): EvalSetup {
  const table = makeTable([
    { name: 'a', type: 'number', values: c.a },
    { name: 'b', type: 'number', values: c.b },
    { name: 'l', type: 'list<string>', values: c.l },
    { name: 's', type: 'string', values: c.s },
  ]);
  return { table, today: 0 };
}

describe('numeric expressions evaluated in chunks', () => {
  it('agree with the reference interpreter across chunk boundaries', () => {
    fc.assert(
      fc.property(tableArb, predicate, (columns, source) => {
        const setup = setupOf(columns);
        const e = expr(source);
        expect(compiled(e, setup), source).toEqual(reference(e, setup));
      }),
      { numRuns: 60 },
    );
  });

  it('reads a division by zero and infinity minus infinity as unknown, not false', () => {
    const setup = setupOf({
      a: [1, 1e308, 5, null, 1],
      b: [0, -1e308, 5, 1, 2],
      l: [[], [], [], [], []],
      s: ['', '', '', '', ''],
    });
    expect(compiled(expr('a / b > 0'), setup)).toEqual([null, false, true, null, true]);
    expect(compiled(expr('a * 2 + b * 2 != 3'), setup)).toEqual([true, null, true, null, true]);
  });
});
