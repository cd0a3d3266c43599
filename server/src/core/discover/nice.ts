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

/**
 * `roundCuts` of values in any order, without a comparison sort (which cost
 * more than the subgroup search on a 200,000-row sample): whole numbers of
 * a modest range are counted into order, and other values get only the
 * order statistics roundCuts reads (the ends and the two neighbours of each
 * quantile) put in place. `values` is reordered.
 */
export function roundCutsOf(values: Float64Array, integer: boolean, quantiles: readonly number[]): number[] {
  if (values.length === 0) return [];
  if (!countingSort(values)) {
    const last = values.length - 1;
    const ranks = [0, last];
    for (const q of [0.1, 0.9, ...quantiles]) ranks.push(Math.floor(last * q), Math.ceil(last * q));
    selectRanks(values, ranks);
  }
  return roundCuts(values, integer, quantiles);
}

/** Sorts whole numbers whose range is at most about their count by counting them; false (nothing changed) for other values. */
function countingSort(values: Float64Array): boolean {
  const range = wholeRange(values);
  if (!range || range.max - range.min > Math.max(COUNTING_RANGE, values.length)) return false;
  writeCounted(values, countValues(values, range.min, range.max), range.min);
  return true;
}

// The loops below are functions of their own so that V8 keeps them compiled (see clauses.ts).

/** The smallest and largest value when every value is a whole number. */
function wholeRange(values: Float64Array): { min: number; max: number } | undefined {
  let min = Infinity;
  let max = -Infinity;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (!Number.isInteger(v)) return undefined;
    if (v < min) min = v;
    if (v > max) max = v;
  }
  return { min, max };
}

function countValues(values: Float64Array, min: number, max: number): Int32Array {
  const counts = new Int32Array(max - min + 1);
  for (let i = 0; i < values.length; i++) counts[values[i] - min]++;
  return counts;
}

function writeCounted(values: Float64Array, counts: Int32Array, min: number): void {
  let at = 0;
  for (let k = 0; k < counts.length; k++) {
    // Zero is written as +0, as a full sort of the values would order a -0 (equal to it) anywhere among the zeros.
    values.fill(k + min === 0 ? 0 : k + min, at, at + counts[k]);
    at += counts[k];
  }
}

/** Whole numbers spanning at most this many values are always counted into order. */
const COUNTING_RANGE = 4096;

/**
 * Reorders `values` so that at each of `ranks` stands the value a full sort
 * would put there (quickselect on several ranks at once, with a three-way
 * partition since columns of integers repeat values a lot).
 */
export function selectRanks(values: Float64Array, ranks: readonly number[]): void {
  const wanted = [...new Set(ranks)].filter((r) => r >= 0 && r < values.length).sort((a, b) => a - b);
  selectRange(values, 0, values.length - 1, wanted, 0, wanted.length);
}

const INSERTION_SORT_BELOW = 16;

/** Puts the ranks wanted[from..to) (all within [lo, hi]) in place. */
function selectRange(a: Float64Array, lo: number, hi: number, wanted: readonly number[], from: number, to: number): void {
  while (lo < hi && from < to) {
    if (hi - lo < INSERTION_SORT_BELOW) {
      for (let i = lo + 1; i <= hi; i++) {
        const v = a[i];
        let j = i - 1;
        while (j >= lo && a[j] > v) a[j + 1] = a[j--];
        a[j + 1] = v;
      }
      return;
    }
    const pivot = medianOfThree(a[lo], a[(lo + hi) >>> 1], a[hi]);
    let lt = lo;
    let gt = hi;
    let i = lo;
    while (i <= gt) {
      const v = a[i];
      if (v < pivot) {
        a[i++] = a[lt];
        a[lt++] = v;
      } else if (v > pivot) {
        a[i] = a[gt];
        a[gt--] = v;
      } else i++;
    }
    // Now a[lo..lt) < pivot, a[lt..gt] = pivot, a(gt..hi] > pivot.
    let leftEnd = from;
    while (leftEnd < to && wanted[leftEnd] < lt) leftEnd++;
    let rightStart = leftEnd;
    while (rightStart < to && wanted[rightStart] <= gt) rightStart++;
    selectRange(a, lo, lt - 1, wanted, from, leftEnd);
    lo = gt + 1;
    from = rightStart;
  }
}

function medianOfThree(x: number, y: number, z: number): number {
  return x < y ? (y < z ? y : x < z ? z : x) : x < z ? x : y < z ? z : y;
}
