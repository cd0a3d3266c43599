/** Numbers as people read them in hovers, lenses and hints. */
import { countIn, datasetUnit, type UnitWords } from '../core/semantics/units.js';
import type { Snapshot } from './session.js';
export function formatCount(n: number): string {
  return n.toLocaleString('en-US');
}

/** `share` is a fraction in [0, 1]. */
export function formatShare(share: number): string {
  return `${(share * 100).toFixed(1)}%`;
}

export function plural(n: number, one: string, many = `${one}s`): string {
  return `${formatCount(n)} ${n === 1 ? one : many}`;
}

/** What a dataset's rows are called ("customers"; see core/semantics/units.ts). */
export function unitOf(snapshot: Snapshot, dataset: string | undefined): UnitWords {
  return datasetUnit(snapshot.analysis.model, dataset);
}

/** `1,204 customers`, `1 customer`. */
export function countOf(n: number, unit: UnitWords): string {
  return countIn(n, formatCount(n), unit);
}
