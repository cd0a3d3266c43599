/**
 * The link of a related dataset as `stats` and the report show it (SPEC §11):
 * its parent, and the share of parent rows with at least one related row.
 * Counted on the loaded tables only when they hold every row of both
 * datasets; otherwise (a SQL engine counted more rows than were read) the
 * share is unavailable, with the reason, rather than a share of a sample.
 */
import type { Analysis } from '../core/workspace.js';
import type { DatasetSymbol } from '../core/semantics/model.js';
import { prop } from '../core/syntax/ast.js';
import { linkCoverage } from '../core/data/link-coverage.js';
import type { LinkView } from './view.js';

export function linkViewOf(analysis: Analysis, dataset: DatasetSymbol): LinkView | undefined {
  const link = dataset.link;
  if (!link) return undefined;
  const base = { parent: link.parent, by: link.by, oneToOne: link.oneToOne };
  const parentSymbol = analysis.model.datasets.get(link.parent);
  const parentKey = parentSymbol ? prop(parentSymbol.decl, 'key')?.value?.name : undefined;
  const table = analysis.data.get(dataset.name)?.table;
  const parentTable = analysis.data.get(link.parent)?.table;
  if (!table || !parentTable || !parentKey) return { ...base, reason: `the data of ${table ? link.parent : dataset.name} is not loaded` };
  const complete =
    analysis.results.datasets.get(dataset.name)?.rows === table.rowCount && analysis.results.datasets.get(link.parent)?.rows === parentTable.rowCount;
  if (!complete) return { ...base, reason: 'the engine counted more rows than the embedded reader read; the share is counted on the embedded engine only' };
  const coverage = linkCoverage(parentTable, parentKey, table, link.by);
  if (!coverage) return { ...base, reason: `${dataset.name} has no column ${link.by}` };
  return {
    ...base,
    parents: coverage.parents,
    linkedParents: coverage.linkedParents,
    share: coverage.parents === 0 ? 0 : coverage.linkedParents / coverage.parents,
    orphans: coverage.orphans,
  };
}
