/**
 * Quantiles of a column without sorting or copying it: the non-missing
 * values are counted into equal-width buckets between their minimum and
 * maximum once, and each quantile then collects only the bucket(s) holding
 * its two ranks and selects within them. The buckets of a column are kept
 * (by the caller), so `median(x)` and `p90(x)` share them.
 *
 * The answer is the same number as `quantileSelect` over all the values:
 * the bucket of a value is a non-decreasing function of it (a subtraction
 * and a multiplication by a positive constant round monotonically), so the
 * k-th smallest value lies in the bucket where the running count passes k.
 */
import { quantileSelect, selectKth } from './aggregates.js';

const BUCKETS = 1 << 16;

export interface QuantileBuckets {
  values: Float64Array;
  /** 1 = missing, or null when no value is. */
  missing: Uint8Array | null;
  /** Non-missing values. */
  count: number;
  min: number;
  scale: number;
  /**
   * Values per bucket; empty when all values are equal (`scale` 0) or their
   * range is not finite (`scale` NaN: the plain selection is used).
   */
  counts: Uint32Array;
}

/** Counts the non-missing values into buckets; undefined when a value is NaN (left to the plain selection). */
export function bucketValues(values: Float64Array, missing: Uint8Array | null): QuantileBuckets | undefined {
  const rows = values.length;
  let min = Number.POSITIVE_INFINITY;
  let max = Number.NEGATIVE_INFINITY;
  let count = 0;
  for (let i = 0; i < rows; i++) {
    if (missing !== null && missing[i] === 1) continue;
    // Math.min and Math.max carry a NaN through: one test after the loop instead of one per row.
    const x = values[i];
    min = Math.min(min, x);
    max = Math.max(max, x);
    count++;
  }
  if (Number.isNaN(min)) return undefined;
  const range = max - min;
  if (count === 0 || range === 0) return { values, missing, count, min, scale: 0, counts: new Uint32Array(0) };
  if (!Number.isFinite(range)) return { values, missing, count, min, scale: NaN, counts: new Uint32Array(0) };
  const scale = BUCKETS / range;
  const counts = new Uint32Array(BUCKETS);
  const last = BUCKETS - 1;
  for (let i = 0; i < rows; i++) {
    if (missing !== null && missing[i] === 1) continue;
    const b = ((values[i] - min) * scale) | 0;
    counts[b > last ? last : b]++;
  }
  return { values, missing, count, min, scale, counts };
}

/** `quantile_cont` of the bucketed values (aggregates.ts `quantileCont`); undefined when there are none. */
export function bucketQuantile(h: QuantileBuckets, q: number): number | undefined {
  if (h.count === 0) return undefined;
  // All values equal: every quantile is that value.
  if (h.scale === 0) return h.min;
  if (h.counts.length === 0) return plainQuantile(h, q);
  const pos = q * (h.count - 1);
  const lo = Math.floor(pos);
  const hi = Math.min(lo + 1, h.count - 1);
  // The buckets holding ranks lo and hi, and the number of values before them.
  let before = 0;
  let first = 0;
  while (before + h.counts[first] <= lo) before += h.counts[first++];
  let through = before + h.counts[first];
  let lastBucket = first;
  while (through <= hi) through += h.counts[++lastBucket];
  const picked = new Float64Array(through - before);
  const { values, missing, min, scale } = h;
  const top = h.counts.length - 1;
  const span = lastBucket - first;
  let n = 0;
  for (let i = 0, rows = values.length; i < rows; i++) {
    if (missing !== null && missing[i] === 1) continue;
    const x = values[i];
    const b = ((x - min) * scale) | 0;
    // One test that is rarely true (an unsigned range check), not two that are often unpredictable.
    if ((((b > top ? top : b) - first) >>> 0) <= span) picked[n++] = x;
  }
  const low = selectKth(picked, lo - before);
  if (pos === lo) return low;
  // After the selection every value past the rank is >= it: the next rank is their minimum.
  let next = Number.POSITIVE_INFINITY;
  for (let i = lo - before + 1; i < picked.length; i++) if (picked[i] < next) next = picked[i];
  return low + (next - low) * (pos - lo);
}

/** Infinite ranges: the plain selection over a copy of the values. */
function plainQuantile(h: QuantileBuckets, q: number): number {
  const present = new Float64Array(h.count);
  let n = 0;
  for (let i = 0; i < h.values.length; i++) if (!h.missing || h.missing[i] !== 1) present[n++] = h.values[i];
  return quantileSelect(present, q);
}
