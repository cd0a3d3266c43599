import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { emptyBits, spreadRows } from '../../../server/src/core/engine/bitset.js';

function bitsOf(rows: number, members: number[]): Uint32Array {
  const bits = emptyBits(rows);
  for (const r of members) bits[r >>> 5] |= 1 << (r & 31);
  return bits;
}

describe('spreadRows (the preview\'s sample members)', () => {
  it('takes members from the whole file, not its first rows', () => {
    const members = Array.from({ length: 1000 }, (_, i) => i * 7); // rows 0 … 6,993
    const sample = spreadRows(bitsOf(7000, members), 10);
    expect(sample).toEqual([0, 100, 200, 300, 400, 500, 600, 700, 800, 900].map((rank) => members[rank]));
  });

  it('returns every member, in row order, when there are no more than asked', () => {
    expect(spreadRows(bitsOf(100, [3, 40, 99]), 20)).toEqual([3, 40, 99]);
    expect(spreadRows(bitsOf(100, []), 20)).toEqual([]);
  });

  it('gives `limit` distinct members in row order, evenly ranked, for any member set', () => {
    fc.assert(
      fc.property(fc.uniqueArray(fc.integer({ min: 0, max: 2999 }), { maxLength: 400 }), fc.integer({ min: 1, max: 30 }), (raw, limit) => {
        const members = [...raw].sort((a, b) => a - b);
        const sample = spreadRows(bitsOf(3000, members), limit);
        const expected = members.length <= limit
          ? members
          : Array.from({ length: limit }, (_, i) => members[Math.floor((i * members.length) / limit)]);
        expect(sample).toEqual(expected);
      }),
      { numRuns: 200 },
    );
  });
});
