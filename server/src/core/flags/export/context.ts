/**
 * A sample row as a flag system's SDK receives it (`FlagContext`): each
 * attribute from its field, missing values left out, dates as `YYYY-MM-DD`,
 * date-times as `Date.prototype.toISOString` writes them (fixed width, so
 * that text order is time order), and the identity attribute from the key.
 */
import type { Column, Table } from '../../data/table.js';
import { isoFromDays } from '../../engine/dates.js';
import type { FlagAttributeValue, FlagContext } from '../system.js';

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

/**
 * The context of one row. `attributes` maps each attribute to its field; the
 * identity attribute carries the key field's value as text (row `#N` without a key).
 */
export function flagContextOf(
  table: Table,
  row: number,
  attributes: ReadonlyMap<string, string>,
  identity: { attribute: string; keyField: string | undefined },
): FlagContext {
  const ctx: Record<string, FlagAttributeValue> = {};
  for (const [attribute, field] of attributes) {
    const col = table.byName.get(field);
    if (!col) continue;
    const value = cellAttribute(col, row);
    if (value !== undefined) ctx[attribute] = value;
  }
  const keyCol = identity.keyField ? table.byName.get(identity.keyField) : undefined;
  const key = keyCol ? cellAttribute(keyCol, row) : undefined;
  ctx[identity.attribute] = key === undefined ? `#${row}` : Array.isArray(key) ? key.join(',') : String(key);
  return ctx;
}

