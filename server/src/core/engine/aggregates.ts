/**
 * Aggregates over the non-missing values of a column or expression:
 * `p1`..`p99`, `median`, `mean`, `min`, `max`. Percentiles interpolate
 * linearly between the two nearest ranks, as SQL `quantile_cont` does.
 */
import { MS_PER_DAY } from './dates.js';
import { dateValue, instantValue, type Value } from './values.js';

export type AggregateName = 'median' | 'mean' | 'min' | 'max' | `p${number}`;

const PERCENTILE = /^p([1-9]\d?)$/;

export function isAggregateName(name: string): name is AggregateName {
  return name === 'median' || name === 'mean' || name === 'min' || name === 'max' || PERCENTILE.test(name);
}

/** The fraction for a percentile name (`p90` → 0.9, `median` → 0.5), else undefined. */
export function quantileOf(name: string): number | undefined {
  if (name === 'median') return 0.5;
  const m = PERCENTILE.exec(name);
  return m ? Number(m[1]) / 100 : undefined;
}

/** Linear interpolation between closest ranks over sorted values. */
export function quantileCont(sorted: ArrayLike<number>, q: number): number {
  const pos = q * (sorted.length - 1);
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  if (lo === hi) return sorted[lo];
  return sorted[lo] + (sorted[hi] - sorted[lo]) * (pos - lo);
}

/**
 * The k-th smallest value (0-based) by quickselect; reorders `a` so that
 * every value after index k is >= the result.
 */
export function selectKth(a: Float64Array, k: number): number {
  let lo = 0;
  let hi = a.length - 1;
  while (hi > lo) {
    // Median of three as pivot keeps sorted and constant inputs linear.
    const mid = (lo + hi) >>> 1;
    const x = a[lo];
    const y = a[mid];
    const z = a[hi];
    const pivot = x < y ? (y < z ? y : x < z ? z : x) : x < z ? x : y < z ? z : y;
    let i = lo;
    let j = hi;
    while (i <= j) {
      while (a[i] < pivot) i++;
      while (a[j] > pivot) j--;
      if (i <= j) {
        const t = a[i];
        a[i] = a[j];
        a[j] = t;
        i++;
        j--;
      }
    }
    if (k <= j) hi = j;
    else if (k >= i) lo = i;
    else return a[k];
  }
  return a[k];
}

/** quantile_cont without a full sort: one selection plus the minimum of the rest. May reorder `values`. */
export function quantileSelect(values: Float64Array, q: number): number {
  const pos = q * (values.length - 1);
  const lo = Math.floor(pos);
  const low = selectKth(values, lo);
  if (pos === lo) return low;
  let next = Number.POSITIVE_INFINITY;
  for (let i = lo + 1; i < values.length; i++) if (values[i] < next) next = values[i];
  return low + (next - low) * (pos - lo);
}

/** Aggregate of plain numbers (NaN-free); undefined when there are none. May reorder `values`. */
export function aggregateNumbers(name: string, values: Float64Array): number | undefined {
  const n = values.length;
  if (n === 0) return undefined;
  if (name === 'mean') {
    let sum = 0;
    for (let i = 0; i < n; i++) sum += values[i];
    return sum / n;
  }
  if (name === 'min' || name === 'max') {
    let best = values[0];
    for (let i = 1; i < n; i++) {
      const v = values[i];
      if (name === 'min' ? v < best : v > best) best = v;
    }
    return best;
  }
  const q = quantileOf(name);
  if (q === undefined) return undefined;
  return quantileSelect(values, q);
}

/**
 * The mean of the values whose missing byte is not 1, read in place (no copy
 * of a million values): the same number as aggregateNumbers('mean', …) over
 * those values in order. Undefined when none is present.
 */
export function presentMean(values: Float64Array, missing: Uint8Array | null): number | undefined {
  let n = 0;
  let sum = 0;
  for (let i = 0, rows = values.length; i < rows; i++) {
    if (missing !== null && missing[i] === 1) continue;
    sum += values[i];
    n++;
  }
  return n === 0 ? undefined : sum / n;
}

type Unit = 'number' | 'date' | 'instant';

/**
 * Aggregate of run-time values: numbers, dates or instants (one kind; values
 * of another kind are ignored). Missing when there are no values.
 */
export function aggregateValues(name: string, values: Value[]): Value {
  let unit: Unit | undefined;
  const nums: number[] = [];
  for (const v of values) {
    if (v === null || Array.isArray(v)) continue;
    let u: Unit;
    let x: number;
    if (typeof v === 'number') [u, x] = ['number', v];
    else if (typeof v === 'object' && v.kind === 'date') [u, x] = ['date', v.days];
    else if (typeof v === 'object' && v.kind === 'instant') [u, x] = ['instant', v.ms];
    else continue;
    unit ??= u;
    if (u === unit) nums.push(x);
  }
  const result = aggregateNumbers(name, Float64Array.from(nums));
  if (result === undefined || unit === undefined) return null;
  return fromUnit(result, unit);
}

export function fromUnit(x: number, unit: Unit): Value {
  if (unit === 'number') return x;
  if (unit === 'date') return Number.isInteger(x) ? dateValue(x) : instantValue(x * MS_PER_DAY);
  return instantValue(x);
}
