/**
 * `init --from` with several files: which file belongs to which (SPEC §11,
 * `belongs to PARENT by FIELD`). A column links to another file when it is
 * named like an id (or like that file's key), has the key's type, and nearly
 * all of its values are keys of that file.
 */
import { columnValueAsString, keyIndex } from '../../core/data/index.js';
import type { Column, Table } from '../../core/data/table.js';
import { isIdName } from './columns.js';

export interface LinkCandidateTable {
  name: string;
  table: Table;
  /** The column guessed as the table's key, if any. */
  key: string | undefined;
}

export interface ProposedLink {
  parent: string;
  by: string;
  /** Non-missing values of `by` that name a row of the parent, and all non-missing values. */
  matched: number;
  present: number;
}

/** Share of a column's values that must name a parent row: a few orphans are normal in exports. */
const MIN_MATCHED_SHARE = 0.9;

/** The proposed parent of each table (by table name); a table belongs to at most one parent and links never form a cycle. */
export function proposeLinks(tables: readonly LinkCandidateTable[]): Map<string, ProposedLink> {
  const candidates: Array<ProposedLink & { child: string; parentRows: number; nameMatch: boolean; order: number }> = [];
  for (const parent of tables) {
    if (!parent.key) continue;
    const keyColumn = parent.table.byName.get(parent.key);
    if (!keyColumn) continue;
    const keys = keyIndex(parent.table, parent.key);
    for (const child of tables) {
      if (child === parent) continue;
      for (const column of child.table.columns) {
        if (!sameKeyType(column, keyColumn)) continue;
        const nameMatch = column.name === parent.key;
        if (!nameMatch && !isIdName(column.name)) continue;
        const { matched, present } = matchKeys(child.table, column, keys);
        if (present === 0 || matched / present < MIN_MATCHED_SHARE) continue;
        candidates.push({
          child: child.name,
          parent: parent.name,
          by: column.name,
          matched,
          present,
          parentRows: parent.table.rowCount,
          nameMatch,
          order: tables.indexOf(parent) * tables.length + tables.indexOf(child),
        });
      }
    }
  }
  // Best first: the best-matching column, named like the key, into the larger table (the parent is the
  // population), then into the file given first.
  candidates.sort(
    (a, b) =>
      b.matched / b.present - a.matched / a.present ||
      Number(b.nameMatch) - Number(a.nameMatch) ||
      b.parentRows - a.parentRows ||
      a.order - b.order ||
      a.by.localeCompare(b.by),
  );
  const links = new Map<string, ProposedLink>();
  for (const c of candidates) {
    if (links.has(c.child) || reaches(links, c.parent, c.child)) continue;
    links.set(c.child, { parent: c.parent, by: c.by, matched: c.matched, present: c.present });
  }
  return links;
}

/** True when following parents from `from` arrives at `to` (adding to → from would close a cycle). */
function reaches(links: Map<string, ProposedLink>, from: string, to: string): boolean {
  const seen = new Set<string>();
  for (let at: string | undefined = from; at !== undefined && !seen.has(at); at = links.get(at)?.parent) {
    if (at === to) return true;
    seen.add(at);
  }
  return false;
}

function matchKeys(table: Table, column: Column, keys: Map<string, number>): { matched: number; present: number } {
  let matched = 0;
  let present = 0;
  for (let row = 0; row < table.rowCount; row++) {
    const value = columnValueAsString(column, row);
    if (value === undefined) continue;
    present++;
    if (keys.has(value)) matched++;
  }
  return { matched, present };
}

function sameKeyType(a: Column, b: Column): boolean {
  const text = (c: Column) => c.kind === 'dictionary';
  const integer = (c: Column) => c.kind === 'numeric' && c.type === 'integer';
  return (text(a) && text(b)) || (integer(a) && integer(b));
}
