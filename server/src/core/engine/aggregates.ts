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

/** Aggregate of plain numbers (NaN-free); undefined when there are none. */
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
  const sorted = Float64Array.from(values).sort();
  return quantileCont(sorted, q);
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
