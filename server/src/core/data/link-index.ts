/**
 * The index of a link `belongs to PARENT by FIELD` (SPEC §11): for each parent
 * row, the rows of the related table that name it, as compressed sparse rows
 * (`rows[offsets[p] .. offsets[p + 1])`, in related-row order). Built once per
 * pair of loaded tables; the aggregates and lookups of every segment read it.
 * It also counts what the data checks of links report: rows whose link is
 * missing or names no parent (orphans), and parents named more than once in
 * a one-to-one dataset.
 */
import { columnValueAsString } from './accessors.js';
import type { Column, Table } from './table.js';

export interface LinkIndex {
  parentRows: number;
  relatedRows: number;
  /** Related row → parent row; -1 for an orphan (link missing or naming no parent). */
  parentOf: Int32Array;
  /** Parent row p owns `rows[offsets[p] .. offsets[p + 1])`. */
  offsets: Int32Array;
  rows: Int32Array;
  /** Parents with at least one related row. */
  parentsWithRows: number;
  /** Related rows whose link is missing (-1 when none). */
  missingLinks: { count: number; firstRow: number };
  /** Related rows whose link names no parent row, with the first value. */
  unknownLinks: { count: number; firstRow: number; firstValue: string };
  /** Parents named by more than one related row, and the first such pair of related rows. */
  repeatedParents: { count: number; firstRows: [number, number] | undefined; firstValue: string };
}

/** Why a link cannot be indexed (a column is not in the data). */
export type LinkIndexResult = { index: LinkIndex } | { problem: string };

type KeyValue = string | number;

/** Numbers compare as numbers when both sides are numeric; otherwise as the text a user would write. */
function keyReader(column: Column, numeric: boolean): (row: number) => KeyValue | undefined {
  if (column.missing.length === 0) return () => undefined;
  if (numeric && column.kind === 'numeric') {
    const { values, missing } = column;
    return (row) => (missing[row] === 1 ? undefined : values[row]);
  }
  if (column.kind === 'dictionary') {
    const { codes, dictionary } = column;
    return (row) => (codes[row] < 0 ? undefined : dictionary[codes[row]]);
  }
  return (row) => columnValueAsString(column, row);
}

export function buildLinkIndex(parent: Table, keyField: string, related: Table, byField: string): LinkIndexResult {
  const keyColumn = parent.byName.get(keyField);
  if (!keyColumn) return { problem: `the parent's key \`${keyField}\` is not a column of its data` };
  const linkColumn = related.byName.get(byField);
  if (!linkColumn) return { problem: `the link field \`${byField}\` is not a column of the data` };
  const numeric = keyColumn.kind === 'numeric' && linkColumn.kind === 'numeric';
  const readKey = keyReader(keyColumn, numeric);
  const readLink = keyReader(linkColumn, numeric);

  // The first row of each key value (duplicate keys are reported by the key check).
  const parentByKey = new Map<KeyValue, number>();
  for (let p = 0; p < parent.rowCount; p++) {
    const key = readKey(p);
    if (key !== undefined && !parentByKey.has(key)) parentByKey.set(key, p);
  }

  const n = related.rowCount;
  const parentOf = new Int32Array(n);
  const missingLinks = { count: 0, firstRow: -1 };
  const unknownLinks = { count: 0, firstRow: -1, firstValue: '' };
  const lookup = linkLookup(linkColumn, readLink, parentByKey);
  for (let r = 0; r < n; r++) {
    const p = lookup(r);
    parentOf[r] = p < 0 ? -1 : p;
    if (p === MISSING) {
      if (missingLinks.count++ === 0) missingLinks.firstRow = r;
    } else if (p === UNKNOWN) {
      if (unknownLinks.count++ === 0) {
        unknownLinks.firstRow = r;
        unknownLinks.firstValue = String(readLink(r));
      }
    }
  }

  const counts = new Int32Array(parent.rowCount + 1);
  for (let r = 0; r < n; r++) if (parentOf[r] >= 0) counts[parentOf[r] + 1]++;
  let parentsWithRows = 0;
  const repeatedParents = { count: 0, firstRows: undefined as [number, number] | undefined, firstValue: '' };
  for (let p = 0; p < parent.rowCount; p++) {
    const c = counts[p + 1];
    if (c > 0) parentsWithRows++;
    if (c > 1) repeatedParents.count++;
  }
  const offsets = counts;
  for (let p = 0; p < parent.rowCount; p++) offsets[p + 1] += offsets[p];
  const rows = new Int32Array(offsets[parent.rowCount]);
  const fill = offsets.slice(0, parent.rowCount);
  for (let r = 0; r < n; r++) {
    const p = parentOf[r];
    if (p >= 0) rows[fill[p]++] = r;
  }
  if (repeatedParents.count > 0) {
    for (let p = 0; p < parent.rowCount; p++) {
      if (offsets[p + 1] - offsets[p] > 1) {
        repeatedParents.firstRows = [rows[offsets[p]], rows[offsets[p] + 1]];
        repeatedParents.firstValue = String(readKey(p));
        break;
      }
    }
  }
  return {
    index: {
      parentRows: parent.rowCount,
      relatedRows: n,
      parentOf,
      offsets,
      rows,
      parentsWithRows,
      missingLinks,
      unknownLinks,
      repeatedParents,
    },
  };
}

const MISSING = -1;
const UNKNOWN = -2;

/** Related row → parent row, MISSING or UNKNOWN; a dictionary column is looked up once per distinct value. */
function linkLookup(
  column: Column,
  readLink: (row: number) => KeyValue | undefined,
  parentByKey: ReadonlyMap<KeyValue, number>,
): (row: number) => number {
  const find = (key: KeyValue | undefined): number => (key === undefined ? MISSING : (parentByKey.get(key) ?? UNKNOWN));
  if (column.kind === 'dictionary') {
    const byCode = Int32Array.from(column.dictionary, (text) => find(text));
    const codes = column.codes;
    return (row) => (codes[row] < 0 ? MISSING : byCode[codes[row]]);
  }
  return (row) => find(readLink(row));
}
