/**
 * Quantiles read from a column's buckets (quantile-buckets.ts) are the same
 * numbers as the plain selection over all its non-missing values, on
 * skewed, tied, constant and infinite data.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { quantileCont } from '../../../server/src/core/engine/aggregates.js';
import { bucketQuantile, bucketValues } from '../../../server/src/core/engine/quantile-buckets.js';

const value = fc.oneof(
  { weight: 6, arbitrary: fc.double({ min: -1e6, max: 1e6, noNaN: true }) },
  { weight: 4, arbitrary: fc.integer({ min: -3, max: 3 }) },
  // A few far values squeeze the rest into one bucket.
  { weight: 1, arbitrary: fc.constantFrom(1e300, -1e300, 1e-300, Number.MAX_VALUE) },
  { weight: 1, arbitrary: fc.constantFrom(Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY) },
);
const column = fc.array(fc.option(value, { freq: 4, nil: null }), { minLength: 0, maxLength: 3000 });
const quantile = fc.oneof(fc.constantFrom(0, 0.01, 0.5, 0.9, 0.99, 1), fc.integer({ min: 1, max: 99 }).map((p) => p / 100));

function sortedPresent(cells: Array<number | null>): number[] {
  return cells.filter((c): c is number => c !== null).sort((a, b) => a - b);
}

describe('quantiles from buckets', () => {
  it('equal quantile_cont over the sorted non-missing values', () => {
    fc.assert(
      fc.property(column, fc.array(quantile, { minLength: 1, maxLength: 4 }), (cells, qs) => {
        const values = Float64Array.from(cells, (c) => c ?? 0);
        const missing = Uint8Array.from(cells, (c) => (c === null ? 1 : 0));
        const buckets = bucketValues(values, missing);
        const sorted = sortedPresent(cells);
        for (const q of qs) {
          const expected = sorted.length === 0 ? undefined : quantileCont(sorted, q);
          expect(buckets && bucketQuantile(buckets, q), `q=${q}`).toEqual(expected);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('are unavailable with NaN values and undefined without values', () => {
    expect(bucketValues(Float64Array.of(1, NaN, 3), null)).toBeUndefined();
    expect(bucketValues(Float64Array.of(NaN, 1, 3), null)).toBeUndefined();
    expect(bucketValues(Float64Array.of(1, 3, NaN), null)).toBeUndefined();
    // A NaN under a missing mark is not a value.
    expect(bucketValues(Float64Array.of(1, NaN, 3), Uint8Array.of(0, 1, 0))).toBeDefined();
    const none = bucketValues(Float64Array.of(5, 6), Uint8Array.of(1, 1));
    expect(none && bucketQuantile(none, 0.5)).toBeUndefined();
  });

  it('reads the median of a skewed million-row column like the selection does', () => {
    const rows = 1_000_000;
    const values = Float64Array.from({ length: rows }, (_, i) => Math.exp((i * 7919) % 1000 / 60));
    const buckets = bucketValues(values, null);
    const sorted = Float64Array.from(values).sort();
    for (const q of [0.5, 0.9, 0.37]) expect(buckets && bucketQuantile(buckets, q)).toBe(quantileCont(sorted, q));
  });
});
