/**
 * The preview's sample members: the fields the rule reads (also through the
 * segments it references), in the order the rule reads them, then the key;
 * members spread evenly over the file; numbers with thousands separators and
 * the same decimals down a column.
 */
import { cellValue } from '../../core/data/accessors.js';
import type { Column, Table } from '../../core/data/table.js';
import { spreadRows } from '../../core/engine/bitset.js';
import { prop } from '../../core/syntax/ast.js';
import { walkExpr } from '../../core/syntax/walk.js';
import type { Snapshot } from '../session.js';
import { segmentView } from '../results.js';

export interface PreviewSample {
  columns: string[];
  /** Columns shown as numbers (right-aligned). */
  numericColumns: string[];
  rows: Array<Record<string, string>>;
  keyField?: string;
}

const MAX_DECIMALS = 4;
/** Integer fields that are labels rather than quantities (`store_id`, `CustomerId`, `birth_year`): no thousands separators. */
const LABEL_LIKE = [/(^|_)(id|year|zip|code|postcode)$/i, /[a-z0-9](Id|ID|Year|Zip|Code)$/];

/** Fields of the segment's dataset the rule reads, in order, following referenced segments where they are used. */
export function ruleFields(snapshot: Snapshot, name: string): string[] {
  const { model } = snapshot.analysis;
  const dataset = model.segments.get(name)?.dataset;
  const out: string[] = [];
  const visited = new Set<string>();
  const visit = (segment: string): void => {
    if (visited.has(segment)) return;
    visited.add(segment);
    const symbol = model.segments.get(segment);
    if (!symbol?.where || symbol.dataset !== dataset) return;
    walkExpr(symbol.where, (node) => {
      if (node.type !== 'Name') return;
      const resolution = model.names.get(node);
      if (resolution?.kind === 'field' && resolution.dataset === dataset && !out.includes(resolution.name)) out.push(resolution.name);
      else if (resolution?.kind === 'segment') visit(resolution.name);
    });
  };
  visit(name);
  return out;
}

export function previewSample(snapshot: Snapshot, name: string, limit: number): PreviewSample {
  const { model, data } = snapshot.analysis;
  const symbol = model.segments.get(name);
  const datasetSymbol = symbol?.dataset ? model.datasets.get(symbol.dataset) : undefined;
  const keyField = datasetSymbol ? prop(datasetSymbol.decl, 'key')?.value?.name : undefined;
  const table = symbol?.dataset ? data.get(symbol.dataset)?.table : undefined;
  const used = ruleFields(snapshot, name).filter((f) => f !== keyField && (!table || table.byName.has(f)));
  const columns = [...used, ...(keyField ? [keyField] : [])];
  const result = segmentView(snapshot, name)?.result;
  if (table && result?.members) {
    const rows = spreadRows(result.members, limit);
    return { columns, keyField, ...formatRows(table, columns, rows, keyField) };
  }
  // Measured on a SQL engine: the members' keys, without their rows.
  const keys = keyField ? (result?.sampleKeys.slice(0, limit) ?? []) : [];
  return { columns, keyField, numericColumns: [], rows: keys.map((k) => Object.fromEntries(columns.map((c) => [c, c === keyField ? k : '']))) };
}

function formatRows(table: Table, columns: string[], rows: number[], keyField: string | undefined): Pick<PreviewSample, 'rows' | 'numericColumns'> {
  const formatters = new Map(columns.map((c) => [c, cellFormatter(table.byName.get(c), rows, c === keyField || LABEL_LIKE.some((re) => re.test(c)))]));
  return {
    numericColumns: columns.filter((c) => formatters.get(c)?.numeric),
    rows: rows.map((row) => Object.fromEntries(columns.map((c) => [c, formatters.get(c)?.format(row) ?? '']))),
  };
}

function cellFormatter(column: Column | undefined, rows: number[], asLabel: boolean): { numeric: boolean; format(row: number): string } {
  if (!column) return { numeric: false, format: () => '' };
  const text = (row: number): string => {
    const value = cellValue(column, row);
    if (value === null) return '';
    return Array.isArray(value) ? value.join(', ') : String(value);
  };
  if (column.kind !== 'numeric' || (column.type !== 'integer' && column.type !== 'number') || asLabel) return { numeric: false, format: text };
  // One number of decimals down the column: the most any shown value has (capped), so 12.5 and 7.25 read 12.50 and 7.25.
  let decimals = 0;
  for (const row of rows) {
    const value = cellValue(column, row);
    if (typeof value === 'number') decimals = Math.max(decimals, decimalsOf(value));
  }
  const options = { minimumFractionDigits: decimals, maximumFractionDigits: decimals };
  return {
    numeric: true,
    format: (row) => {
      const value = cellValue(column, row);
      return typeof value === 'number' ? value.toLocaleString('en-US', options) : '';
    },
  };
}

function decimalsOf(value: number): number {
  if (Number.isInteger(value)) return 0;
  const fixed = value.toFixed(MAX_DECIMALS).replace(/0+$/, '');
  return Math.min(MAX_DECIMALS, fixed.length - fixed.indexOf('.') - 1);
}
