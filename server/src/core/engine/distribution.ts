/**
 * The distribution of a per-parent value (an aggregate over related rows,
 * SPEC §11) over the parent rows, for hovers: min, median, p90, max of the
 * present values, and how many parents have no value (missing) or a zero.
 */
import type { Column } from '../data/table.js';
import { quantileCont } from './aggregates.js';

export interface Distribution {
  /** Parent rows. */
  rows: number;
  /** Rows with a value (not missing). */
  present: number;
  /** Rows whose value is 0 (numbers) or false (booleans). */
  zero: number;
  /** Over the present values; undefined when none is present. Booleans count true as 1. */
  min?: number;
  median?: number;
  p90?: number;
  max?: number;
}

export function distributionOf(column: Column): Distribution {
  const rows = column.missing.length;
  if (column.kind !== 'numeric' && column.kind !== 'boolean') return { rows, present: 0, zero: 0 };
  const values: number[] = [];
  let zero = 0;
  for (let row = 0; row < rows; row++) {
    if (column.missing[row] === 1) continue;
    const value = column.values[row];
    if (value === 0) zero++;
    values.push(value);
  }
  const sorted = Float64Array.from(values).sort();
  if (sorted.length === 0) return { rows, present: 0, zero };
  return {
    rows,
    present: sorted.length,
    zero,
    min: sorted[0],
    median: quantileCont(sorted, 0.5),
    p90: quantileCont(sorted, 0.9),
    max: sorted[sorted.length - 1],
  };
}
