/**
 * Lookups and aggregates over related rows (SPEC §11) computed as columns of
 * the parent table, from the link's index (data/link-index.ts): one pass over
 * each parent's related rows. The values for parents without (matching)
 * related rows are SPEC §11's: 0 for count, count distinct and sum, missing
 * for mean, median, percentiles, min and max, false for exists. Missing
 * values of the field are skipped, as SQL aggregates do.
 */
import type { LinkIndex } from '../data/link-index.js';
import type { BooleanColumn, Column, NumericColumn, Table } from '../data/table.js';
import type { AggregateExpr } from '../syntax/ast.js';
import { quantileSelect } from './aggregates.js';
import type { Bitset } from './bitset.js';
import { unreachable } from '../util/unreachable.js';

/** The related rows of each parent, and those where the aggregate's `where` holds (all when undefined). */
export interface RelatedRows {
  table: Table;
  index: LinkIndex;
  matching: Bitset | undefined;
}

const matches = (bits: Bitset | undefined, row: number): boolean =>
  bits === undefined || (bits[row >>> 5] & (1 << (row & 31))) !== 0;

/** The aggregate as a column of the parent named `name`; a string saying why when it cannot be computed. */
export function aggregateColumn(expr: AggregateExpr, name: string, source: RelatedRows): Column | string {
  const { index, matching } = source;
  const parents = index.parentRows;
  switch (expr.fn) {
    case 'count': {
      const values = new Float64Array(parents);
      for (let p = 0; p < parents; p++) {
        let n = 0;
        for (let k = index.offsets[p]; k < index.offsets[p + 1]; k++) if (matches(matching, index.rows[k])) n++;
        values[p] = n;
      }
      return numeric(name, 'integer', values, new Uint8Array(parents));
    }
    case 'exists': {
      const values = new Uint8Array(parents);
      for (let p = 0; p < parents; p++) {
        for (let k = index.offsets[p]; k < index.offsets[p + 1]; k++) {
          if (matches(matching, index.rows[k])) {
            values[p] = 1;
            break;
          }
        }
      }
      const column: BooleanColumn = { kind: 'boolean', type: 'boolean', name, values, missing: new Uint8Array(parents) };
      return column;
    }
    case 'countDistinct':
      return countDistinct(expr, name, source);
    case 'sum':
    case 'mean':
    case 'median':
    case 'min':
    case 'max':
    case 'percentile':
      return numericAggregate(expr, name, source);
    default:
      return unreachable(expr.fn);
  }
}

function numeric(name: string, type: NumericColumn['type'], values: Float64Array, missing: Uint8Array): NumericColumn {
  return { kind: 'numeric', type, name, values, missing };
}

function fieldColumn(expr: AggregateExpr, table: Table): Column | string {
  const field = expr.field?.name;
  const column = field ? table.byName.get(field) : undefined;
  return column ?? `\`${expr.dataset.name}\` has no column \`${field ?? ''}\``;
}

function countDistinct(expr: AggregateExpr, name: string, { table, index, matching }: RelatedRows): Column | string {
  const column = fieldColumn(expr, table);
  if (typeof column === 'string') return column;
  const parents = index.parentRows;
  const values = new Float64Array(parents);
  const { missing } = column;
  if (column.kind === 'dictionary' || column.kind === 'boolean') {
    // A stamp per distinct value: the last parent that counted it.
    const size = column.kind === 'dictionary' ? column.dictionary.length : 2;
    const codes = column.kind === 'dictionary' ? column.codes : column.values;
    const stamp = new Int32Array(size).fill(-1);
    for (let p = 0; p < parents; p++) {
      let n = 0;
      for (let k = index.offsets[p]; k < index.offsets[p + 1]; k++) {
        const r = index.rows[k];
        if (missing[r] === 1 || !matches(matching, r)) continue;
        const code = codes[r];
        if (stamp[code] !== p) {
          stamp[code] = p;
          n++;
        }
      }
      values[p] = n;
    }
  } else if (column.kind === 'numeric') {
    const seen = new Set<number>();
    for (let p = 0; p < parents; p++) {
      seen.clear();
      for (let k = index.offsets[p]; k < index.offsets[p + 1]; k++) {
        const r = index.rows[k];
        if (missing[r] === 0 && matches(matching, r)) seen.add(column.values[r]);
      }
      values[p] = seen.size;
    }
  } else {
    return `\`count(distinct …)\` does not work on the list field \`${column.name}\``;
  }
  return numeric(name, 'integer', values, new Uint8Array(parents));
}

function numericAggregate(expr: AggregateExpr, name: string, { table, index, matching }: RelatedRows): Column | string {
  const column = fieldColumn(expr, table);
  if (typeof column === 'string') return column;
  if (column.kind !== 'numeric') return `\`${expr.callee.name}\` works on numbers, dates and date-times, not on \`${column.name}\``;
  const parents = index.parentRows;
  const values = new Float64Array(parents);
  const missing = new Uint8Array(parents);
  const source = column.values;
  const skip = column.missing;
  const fn = expr.fn;
  const type: NumericColumn['type'] =
    fn === 'min' || fn === 'max' ? column.type : fn === 'sum' && column.type === 'integer' ? 'integer' : 'number';
  const scratch = fn === 'median' || fn === 'percentile' ? new Float64Array(maxGroup(index)) : undefined;
  const q = fn === 'median' ? 0.5 : fn === 'percentile' ? (expr.percentile ?? 50) / 100 : 0;
  for (let p = 0; p < parents; p++) {
    let n = 0;
    let acc = fn === 'min' ? Infinity : fn === 'max' ? -Infinity : 0;
    for (let k = index.offsets[p]; k < index.offsets[p + 1]; k++) {
      const r = index.rows[k];
      if (skip[r] === 1 || !matches(matching, r)) continue;
      const v = source[r];
      if (fn === 'min') {
        if (v < acc) acc = v;
      } else if (fn === 'max') {
        if (v > acc) acc = v;
      } else if (scratch) scratch[n] = v;
      else acc += v;
      n++;
    }
    if (fn === 'sum') values[p] = acc;
    else if (n === 0) missing[p] = 1;
    else if (fn === 'mean') values[p] = acc / n;
    else if (scratch) values[p] = quantileSelect(scratch.subarray(0, n), q);
    else values[p] = acc;
  }
  return numeric(name, type, values, missing);
}

function maxGroup(index: LinkIndex): number {
  let max = 0;
  for (let p = 0; p < index.parentRows; p++) max = Math.max(max, index.offsets[p + 1] - index.offsets[p]);
  return max;
}

/** `survey.nps`: the field of each parent's related row (its first, should the data repeat a link), missing without one. */
export function lookupColumn(field: Column, name: string, index: LinkIndex): Column {
  const parents = index.parentRows;
  const rowOf = new Int32Array(parents);
  const missing = new Uint8Array(parents);
  for (let p = 0; p < parents; p++) {
    const r = index.offsets[p] < index.offsets[p + 1] ? index.rows[index.offsets[p]] : -1;
    rowOf[p] = r;
    missing[p] = r < 0 ? 1 : field.missing[r];
  }
  switch (field.kind) {
    case 'numeric':
      return { ...field, name, missing, values: Float64Array.from(rowOf, (r) => (r < 0 ? 0 : field.values[r])) };
    case 'boolean':
      return { ...field, name, missing, values: Uint8Array.from(rowOf, (r) => (r < 0 ? 0 : field.values[r])) };
    case 'dictionary':
      return { ...field, name, missing, codes: Int32Array.from(rowOf, (r) => (r < 0 ? -1 : field.codes[r])) };
    case 'stringList':
    case 'integerList': {
      const offsets = new Int32Array(parents + 1);
      for (let p = 0; p < parents; p++) {
        const r = rowOf[p];
        offsets[p + 1] = offsets[p] + (r < 0 ? 0 : field.offsets[r + 1] - field.offsets[r]);
      }
      const gather = <T extends Int32Array | Float64Array>(items: T, out: T): T => {
        for (let p = 0; p < parents; p++) {
          const r = rowOf[p];
          if (r >= 0) out.set(items.subarray(field.offsets[r], field.offsets[r + 1]), offsets[p]);
        }
        return out;
      };
      if (field.kind === 'stringList') {
        return { ...field, name, missing, offsets, itemCodes: gather(field.itemCodes, new Int32Array(offsets[parents])) };
      }
      return { ...field, name, missing, offsets, itemValues: gather(field.itemValues, new Float64Array(offsets[parents])) };
    }
    default:
      return unreachable(field);
  }
}
