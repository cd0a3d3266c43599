/**
 * Round cut points, as a person would write them: `>= 20`, not `>= 19.73`.
 * A step of 1, 2 or 5 × 10^k is chosen from the spread of the values, and
 * each quantile is rounded to a multiple of it.
 */

/** The 1-2-5 × 10^k value nearest to `x` (x > 0; 1 for anything else). */
export function niceStep(x: number): number {
  if (!(x > 0) || !Number.isFinite(x)) return 1;
  const power = 10 ** Math.floor(Math.log10(x));
  const m = x / power;
  const unit = m < 1.5 ? 1 : m < 3.5 ? 2 : m < 7.5 ? 5 : 10;
  return clean(unit * power);
}

/** `x` rounded to a multiple of `step`, with the float noise of the product removed (3 × 0.1 is 0.3). */
export function roundTo(x: number, step: number): number {
  return clean(Math.round(x / step) * step);
}

/** Twelve significant digits: what the literal prints as and what the engine parses back. */
export function clean(x: number): number {
  return Number(x.toPrecision(12));
}

/** Quantile with linear interpolation over sorted values (as SQL `quantile_cont`). */
export function quantileSorted(sorted: Float64Array, q: number): number {
  if (sorted.length === 0) return NaN;
  const pos = (sorted.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return sorted[lo] + (sorted[hi] - sorted[lo]) * (pos - lo);
}

/**
 * Round cut points between the smallest and the largest value: the deciles
 * rounded to a 1-2-5 step of a tenth of the central spread (integers never
 * get a fractional step), duplicates and cuts at the ends dropped.
 */
export function roundCuts(sorted: Float64Array, integer: boolean, quantiles: readonly number[]): number[] {
  if (sorted.length === 0) return [];
  const min = sorted[0];
  const max = sorted[sorted.length - 1];
  if (min === max) return [];
  const spread = quantileSorted(sorted, 0.9) - quantileSorted(sorted, 0.1) || max - min;
  let step = niceStep(spread / 10);
  if (integer && step < 1) step = 1;
  const cuts = new Set<number>();
  for (const q of quantiles) {
    const c = roundTo(quantileSorted(sorted, q), step);
    if (c > min && c <= max) cuts.add(c);
  }
  return [...cuts].sort((a, b) => a - b);
}
