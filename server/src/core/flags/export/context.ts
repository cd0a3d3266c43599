/**
 * A sample row as a flag system's SDK receives it (`FlagContext`), with the
 * values written as the flag checks write them (`../context.ts`), and the
 * identity attribute from the key (`#N` for a dataset without one).
 */
import type { Table } from '../../data/table.js';
import { cellAttribute } from '../context.js';
import type { FlagAttributeValue, FlagContext } from '../system.js';

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

