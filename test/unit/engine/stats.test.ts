import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { emptyBits, hasBit, popcount, setBit } from '../../../server/src/core/engine/bitset.js';
import { checkPartition, coverage, overlapMatrix } from '../../../server/src/core/engine/stats.js';

function bitsOf(flags: boolean[]) {
  const b = emptyBits(flags.length);
  flags.forEach((f, i) => f && setBit(b, i));
  return b;
}

describe('overlap matrix', () => {
  it('counts every pair like a row-by-row count, for sparse and dense segments', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 400 }).chain((rows) =>
          fc.array(
            fc.double({ min: 0, max: 1, noNaN: true }).chain((density) =>
              fc.array(fc.double({ min: 0, max: 1, noNaN: true }).map((r) => r < density * density), { minLength: rows, maxLength: rows }),
            ),
            { minLength: 2, maxLength: 6 },
          ),
        ),
        (segments) => {
          const sets = segments.map((flags, i) => ({ name: `s${i}`, members: bitsOf(flags) }));
          const stats = overlapMatrix(sets);
          expect(stats).toHaveLength((segments.length * (segments.length - 1)) / 2);
          for (const s of stats) {
            const a = segments[Number(s.a.slice(1))];
            const b = segments[Number(s.b.slice(1))];
            const both = a.filter((x, r) => x && b[r]).length;
            expect(s.count).toBe(both);
            expect(s.shareOfA).toBeCloseTo(a.filter(Boolean).length ? both / a.filter(Boolean).length : 0);
          }
        },
      ),
      { numRuns: 200 },
    );
  });
});

describe('coverage and partitions', () => {
  const rows = 70;
  const a = bitsOf(Array.from({ length: rows }, (_, i) => i < 40));
  const b = bitsOf(Array.from({ length: rows }, (_, i) => i >= 35 && i < 60));

  it('finds rows in no segment', () => {
    const cov = coverage(rows, [a, b]);
    expect(cov.covered).toBe(60);
    expect(cov.uncovered).toBe(10);
    expect(cov.exampleRows).toEqual([60, 61, 62, 63, 64]);
  });

  it('lists overlapping pairs with examples and the gap', () => {
    const stat = checkPartition(rows, [
      { name: 'a', members: a },
      { name: 'b', members: b },
    ]);
    expect(stat.overlaps).toEqual([{ a: 'a', b: 'b', count: 5, exampleRows: [35, 36, 37] }]);
    expect(stat.uncovered).toEqual({ count: 10, exampleRows: [60, 61, 62] });
    expect(popcount(a)).toBe(40);
    expect(hasBit(b, 59)).toBe(true);
  });
});
