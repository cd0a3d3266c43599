/**
 * "92% of listeners have plays": the share of a related dataset's parent rows
 * that have at least one related row (SPEC §11), for the dataset's lens and
 * hover. Counted by core on the loaded tables, and only when they hold every
 * row of both datasets (an engine that counted more rows than were read gives
 * no share rather than the share of a sample).
 */
import { prop } from '../core/syntax/ast.js';
import { linkCoverage, type LinkCoverage } from '../core/data/link-coverage.js';
import type { Snapshot } from './session.js';
import { datasetRows } from './results.js';
import { unitOf } from './format.js';

export function relatedCoverage(snapshot: Snapshot, dataset: string): LinkCoverage | undefined {
  const model = snapshot.analysis.model;
  const link = model.datasets.get(dataset)?.link;
  const parent = link ? model.datasets.get(link.parent) : undefined;
  const parentKey = parent ? prop(parent.decl, 'key')?.value?.name : undefined;
  const table = snapshot.analysis.data.get(dataset)?.table;
  const parentTable = link ? snapshot.analysis.data.get(link.parent)?.table : undefined;
  if (!link || !parentKey || !table || !parentTable) return undefined;
  if (datasetRows(snapshot, dataset) !== table.rowCount || datasetRows(snapshot, link.parent) !== parentTable.rowCount) return undefined;
  return linkCoverage(parentTable, parentKey, table, link.by);
}

/** A share as a whole percent, never rounded to 0% or 100% when it is not. */
export function wholePercent(share: number): string {
  if (share > 0 && share < 0.005) return '<1%';
  if (share < 1 && share >= 0.995) return '>99%';
  return `${Math.round(share * 100)}%`;
}

/** `92% of listeners have plays`, or undefined when the dataset has no parent or the share is not counted. */
export function coverageText(snapshot: Snapshot, dataset: string): string | undefined {
  const link = snapshot.analysis.model.datasets.get(dataset)?.link;
  const coverage = relatedCoverage(snapshot, dataset);
  if (!link || !coverage) return undefined;
  const share = coverage.parents === 0 ? 0 : coverage.linkedParents / coverage.parents;
  return `${wholePercent(share)} of ${unitOf(snapshot, link.parent).many} have ${dataset}`;
}
