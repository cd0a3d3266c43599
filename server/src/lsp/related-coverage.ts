/**
 * "92% of listeners have plays": the share of a related dataset's parent rows
 * that have at least one related row (SPEC §11), for the dataset's lens and
 * hover, as the engine counted it (undefined when it did not).
 */
import type { Snapshot } from './session.js';
import { unitOf } from './format.js';

/** A share as a whole percent, never rounded to 0% or 100% when it is not. */
export function wholePercent(share: number): string {
  if (share > 0 && share < 0.005) return '<1%';
  if (share < 1 && share >= 0.995) return '>99%';
  return `${Math.round(share * 100)}%`;
}

/** `92% of listeners have plays`, or undefined when the dataset has no parent or the share is not counted. */
export function coverageText(snapshot: Snapshot, dataset: string): string | undefined {
  const link = snapshot.analysis.model.datasets.get(dataset)?.link;
  const stat = snapshot.analysis.results.related?.get(dataset);
  if (!link || !stat) return undefined;
  return `${wholePercent(stat.share)} of ${unitOf(snapshot, link.parent).many} have ${dataset}`;
}
