/**
 * A sample row as a flag system's SDK receives it (the `FlagContext` of
 * system.ts): each attribute read from its field, missing values left out,
 * dates `YYYY-MM-DD`, date-times as `Date.prototype.toISOString` writes them
 * (fixed width, so text order is time order), semvers their text, lists as
 * arrays; the identity attribute from its field or else the dataset's key.
 */
import type { Column, Table } from '../data/table.js';
import { isoFromDays } from '../engine/dates.js';
import type { FlagAttributeValue, FlagContext } from './system.js';

export function cellAttribute(col: Column, row: number): FlagAttributeValue | undefined {
  if (col.missing[row] === 1) return undefined;
  switch (col.kind) {
    case 'numeric': {
      const v = col.values[row];
      if (col.type === 'date') return isoFromDays(v);
      if (col.type === 'datetime') return new Date(v).toISOString();
      return v;
    }
    case 'dictionary': {
      const code = col.codes[row];
      return code < 0 ? undefined : col.dictionary[code];
    }
    case 'boolean':
      return col.values[row] === 1;
    case 'stringList': {
      const items: string[] = [];
      for (let k = col.offsets[row]; k < col.offsets[row + 1]; k++) items.push(col.dictionary[col.itemCodes[k]]);
      return items;
    }
    case 'integerList': {
      const items: number[] = [];
      for (let k = col.offsets[row]; k < col.offsets[row + 1]; k++) items.push(col.itemValues[k]);
      return items;
    }
  }
}

/** Which field each attribute is read from, and where the identity comes from. */
export interface ContextMapping {
  /** Attribute → field. */
  attributes: ReadonlyMap<string, string>;
  identity: { attribute: string; field: string | undefined };
}

/** The context of one row; the identity as text (a list key joined by commas). */
export function rowContext(table: Table, row: number, mapping: ContextMapping): FlagContext {
  const ctx: Record<string, FlagAttributeValue> = {};
  for (const [attribute, field] of mapping.attributes) {
    const col = table.byName.get(field);
    if (!col) continue;
    const value = cellAttribute(col, row);
    if (value !== undefined) ctx[attribute] = value;
  }
  const idCol = mapping.identity.field ? table.byName.get(mapping.identity.field) : undefined;
  const id = idCol ? cellAttribute(idCol, row) : undefined;
  if (id !== undefined) ctx[mapping.identity.attribute] = Array.isArray(id) ? id.join(',') : String(id);
  return ctx;
}

/** The key a row is shown by: the key field's value, else its line in the data file. */
export function rowKey(table: Table, row: number, keyField: string | undefined): string {
  const col = keyField ? table.byName.get(keyField) : undefined;
  const value = col ? cellAttribute(col, row) : undefined;
  if (value === undefined) return `line ${table.rowLines[row]}`;
  return Array.isArray(value) ? value.join(',') : String(value);
}
