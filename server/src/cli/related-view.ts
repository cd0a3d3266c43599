/**
 * The link of a related dataset as `stats` and the report show it (SPEC §11):
 * its parent, and the share of parent rows with at least one related row, as
 * the engine counted them (`results.related`). When the engine that measured
 * the data did not count them, the share is unavailable, with the reason.
 */
import type { Analysis } from '../core/workspace.js';
import type { DatasetSymbol } from '../core/semantics/model.js';
import type { LinkView } from './view.js';

export function linkViewOf(analysis: Analysis, dataset: DatasetSymbol): LinkView | undefined {
  const link = dataset.link;
  if (!link) return undefined;
  const base = { parent: link.parent, by: link.by, oneToOne: link.oneToOne };
  const stat = analysis.results.related?.get(dataset.name);
  if (!stat) {
    const loaded = analysis.data.get(dataset.name)?.table && analysis.data.get(link.parent)?.table;
    return { ...base, reason: loaded ? 'the engine that measured the data did not count links' : `the data of ${dataset.name} or ${link.parent} is not loaded` };
  }
  return { ...base, parents: stat.parentRows, linkedParents: stat.parentsWithRows, share: stat.share, orphans: stat.orphans };
}
