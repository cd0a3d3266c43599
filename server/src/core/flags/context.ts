/**
 * A sample row as a flag system's SDK receives it (the `FlagContext` of
 * system.ts): each attribute read from its field, missing values left out,
 * dates `YYYY-MM-DD`, date-times as `Date.prototype.toISOString` writes them
 * (fixed width, so text order is time order), semvers their text, lists as
 * arrays; the identity attribute from its field or else the dataset's key.
 */
import type { Column, Table } from '../data/table.js';
import { cellValue } from '../data/accessors.js';
import type { Expr, RecordLiteral, RelatedRowsLiteral } from '../syntax/ast.js';
import type { FlagAttributeValue, FlagContext } from './system.js';
import { unreachable } from '../util/unreachable.js';

export function cellAttribute(col: Column, row: number): FlagAttributeValue | undefined {
  if (col.missing[row] === 1) return undefined;
  // Date-times keep their milliseconds, so that every one has the same width and text order is time order.
  if (col.kind === 'numeric' && col.type === 'datetime') return new Date(col.values[row]).toISOString();
  return cellValue(col, row) ?? undefined;
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

/**
 * The context of a record literal (a persona's profile): the same attributes
 * read from the record's entries; the identity from its key field, else `fallbackId`.
 */
export function recordContext(record: RecordLiteral, mapping: ContextMapping, fallbackId: string): FlagContext {
  const values = new Map<string, FlagAttributeValue>();
  for (const entry of record.entries) {
    const value = literalAttribute(entry.value);
    if (value !== undefined) values.set(entry.key.name, value);
  }
  const ctx: Record<string, FlagAttributeValue> = {};
  for (const [attribute, field] of mapping.attributes) {
    const value = values.get(field);
    if (value !== undefined) ctx[attribute] = value;
  }
  const id = mapping.identity.field ? values.get(mapping.identity.field) : undefined;
  ctx[mapping.identity.attribute] = id === undefined ? fallbackId : Array.isArray(id) ? id.join(',') : String(id);
  return ctx;
}

function literalAttribute(expr: Expr | RelatedRowsLiteral): FlagAttributeValue | undefined {
  switch (expr.type) {
    case 'String':
    case 'Date':
      return expr.value;
    case 'DateTime':
      return new Date(expr.epochMs).toISOString();
    case 'Number':
    case 'Boolean':
      return expr.value;
    case 'Negate':
      return expr.operand.type === 'Number' ? -expr.operand.value : undefined;
    case 'List': {
      const items = expr.items.map(literalAttribute);
      return items.every((i): i is string | number => typeof i === 'string' || typeof i === 'number') ? items : undefined;
    }
    // Not a value a profile can hand to a flag system.
    case 'Percent':
    case 'Name':
    case 'Paren':
    case 'Not':
    case 'Logical':
    case 'Arith':
    case 'Compare':
    case 'In':
    case 'Between':
    case 'Contains':
    case 'Affix':
    case 'Matches':
    case 'Missing':
    case 'WithinLast':
    case 'Temporal':
    case 'Call':
    case 'Ago':
    case 'Today':
    case 'Now':
    case 'RelatedField':
    case 'Aggregate':
    case 'RelatedRows':
    case 'Error':
      return undefined;
    default:
      return unreachable(expr);
  }
}
