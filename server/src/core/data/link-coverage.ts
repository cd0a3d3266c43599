/**
 * How well a related dataset covers its parent (SPEC §11): how many parent
 * rows have at least one related row, and how many related rows name no
 * parent (orphans: link missing or not a parent key). Keys match as the text
 * a user would write, so an integer key `12` matches a link `12`.
 */
import { columnValueAsString, keyIndex } from './accessors.js';
import type { Table } from './table.js';

export interface LinkCoverage {
  /** Rows of the parent. */
  parents: number;
  /** Parent rows with at least one related row. */
  linkedParents: number;
  /** Rows of the related dataset. */
  rows: number;
  /** Related rows whose link is missing or names no parent row. */
  orphans: number;
}

const cache = new WeakMap<Table, WeakMap<Table, Map<string, LinkCoverage>>>();

/** Undefined when the parent has no column `parentKey` or the related table no column `by`. */
export function linkCoverage(parent: Table, parentKey: string, related: Table, by: string): LinkCoverage | undefined {
  const memo = cache.get(parent)?.get(related)?.get(`${parentKey}\u0000${by}`);
  if (memo) return memo;
  const link = related.byName.get(by);
  if (!parent.byName.has(parentKey) || !link) return undefined;
  const rowOfKey = keyIndex(parent, parentKey);
  const linked = new Uint8Array(parent.rowCount);
  let linkedParents = 0;
  let orphans = 0;
  for (let row = 0; row < related.rowCount; row++) {
    const value = columnValueAsString(link, row);
    const parentRow = value === undefined ? undefined : rowOfKey.get(value);
    if (parentRow === undefined) {
      orphans++;
      continue;
    }
    if (linked[parentRow] === 0) {
      linked[parentRow] = 1;
      linkedParents++;
    }
  }
  const result: LinkCoverage = { parents: parent.rowCount, linkedParents, rows: related.rowCount, orphans };
  let byRelated = cache.get(parent);
  if (!byRelated) cache.set(parent, (byRelated = new WeakMap()));
  let byFields = byRelated.get(related);
  if (!byFields) byRelated.set(related, (byFields = new Map()));
  byFields.set(`${parentKey}\u0000${by}`, result);
  return result;
}
