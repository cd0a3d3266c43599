/**
 * A written record (a persona's `profile`, an `example`) as a reader sees it:
 * numbers with thousands separators (`1_200` → `1,200`), strings without
 * quotes, lists as `a, b`. The report and the preview show profiles this way.
 */
import type { Expr, RecordLiteral, RelatedRowsLiteral } from '../syntax/ast.js';
import { formatNumber } from './format.js';

/** `source(node)` gives a node's text as written, for what has no plainer form. */
export function displayRecord(record: RecordLiteral | undefined, source: (node: Expr) => string): Array<[string, string]> {
  return (record?.entries ?? []).map((entry) => [entry.key.name, displayWritten(entry.value, source)]);
}

export function displayWritten(value: Expr | RecordLiteral | RelatedRowsLiteral, source: (node: Expr) => string): string {
  if (value.type === 'RelatedRows') {
    const rows = value.rows.map((row) => displayWritten(row, source));
    return value.many ? `[${rows.join(', ')}]` : rows[0];
  }
  if (value.type === 'Record') {
    return `{ ${displayRecord(value, source).map(([k, v]) => `${k}: ${v}`).join(', ')} }`;
  }
  if (value.type === 'String' || value.type === 'Date' || value.type === 'DateTime') return value.value;
  if (value.type === 'Number') return formatNumber(value.value);
  if (value.type === 'Percent') return `${formatNumber(value.value)}%`;
  if (value.type === 'Boolean') return String(value.value);
  if (value.type === 'Negate' && value.operand.type === 'Number') return formatNumber(-value.operand.value);
  if (value.type === 'List') return value.items.map((item) => displayWritten(item, source)).join(', ');
  return source(value);
}
