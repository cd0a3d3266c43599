/** Number and bound formatting for messages: `3.1%`, `20,000`, `between 8% and 20%`. */
import type { Bound, Quantity } from '../syntax/ast.js';

/** `20,000`; at most two decimals. Hand-rolled: `toLocaleString` costs ~10 µs a call. */
export function formatCount(n: number): string {
  const rounded = Math.round(n * 100) / 100;
  const negative = rounded < 0;
  const [int, frac] = String(Math.abs(rounded)).split('.');
  if (int.includes('e')) return String(rounded);
  let grouped = '';
  for (let i = int.length; i > 0; i -= 3) grouped = int.slice(Math.max(0, i - 3), i) + (grouped ? `,${grouped}` : '');
  return `${negative ? '-' : ''}${grouped}${frac ? `.${frac}` : ''}`;
}

/** `1 row`, `2,000 rows`. */
export function plural(n: number, word: string): string {
  return `${formatCount(n)} ${word}${n === 1 ? '' : 's'}`;
}

/**
 * A fraction as a percentage with one decimal, as every other share the
 * product shows (stats, report, editor): `13.0%`, not `13%`. Tiny non-zero
 * shares keep two significant digits so they do not read as 0.
 */
export function formatPercent(fraction: number): string {
  const pct = fraction * 100;
  if (pct !== 0 && Math.abs(pct) < 0.1) return `${Number(pct.toPrecision(2))}%`;
  return `${pct.toFixed(1)}%`;
}

export function formatNumber(x: number): string {
  if (Number.isInteger(x)) return formatCount(x);
  const abs = Math.abs(x);
  const digits = abs >= 100 ? 1 : abs >= 1 ? 2 : 4;
  const scale = 10 ** digits;
  const rounded = Math.round(x * scale) / scale;
  if (abs >= 1000) return formatCount(rounded);
  return String(rounded);
}

export function quantityText(q: Quantity): string {
  return q.type === 'Percent' ? `${q.value}%` : formatNumber(q.value);
}

export function boundText(bound: Bound): string {
  return bound.kind === 'between'
    ? `between ${quantityText(bound.low)} and ${quantityText(bound.high)}`
    : `${bound.op} ${quantityText(bound.value)}`;
}

function cmp(op: string, x: number, y: number): boolean {
  switch (op) {
    case '==':
      return x === y;
    case '!=':
      return x !== y;
    case '<':
      return x < y;
    case '<=':
      return x <= y;
    case '>':
      return x > y;
    default:
      return x >= y;
  }
}

/**
 * Whether a measurement satisfies a bound. `measure(q)` gives the measured
 * value in the unit of the quantity it is compared with (a percentage for
 * `8%`, a count or plain number for `500`).
 */
export function boundHolds(bound: Bound, measure: (q: Quantity) => number): boolean {
  // Percentages are compared after rounding away float noise (20% of 20,000 rows is exactly 20%).
  const m = (q: Quantity): number => {
    const v = measure(q);
    return q.type === 'Percent' ? Math.round(v * 1e9) / 1e9 : v;
  };
  if (bound.kind === 'between') return m(bound.low) >= bound.low.value && m(bound.high) <= bound.high.value;
  return cmp(bound.op, m(bound.value), bound.value.value);
}
