/**
 * The reference semantics of lookups and aggregates over related rows
 * (SPEC §11), one parent at a time: `rows` are the parent's related rows,
 * each as an environment that reads that row (and evaluates `where` on it).
 * Independent of the bitset engine (related-columns.ts), which the tests
 * compare against it.
 */
import type { AggregateExpr, RelatedFieldExpr } from '../syntax/ast.js';
import { quantileCont } from './aggregates.js';
import { evalPredicate, type EvalEnv } from './reference.js';
import { dateValue, instantValue, type Value } from './values.js';
import { unreachable } from '../util/unreachable.js';

export function evalRelated(expr: AggregateExpr | RelatedFieldExpr, rows: readonly EvalEnv[]): Value {
  if (expr.type === 'RelatedField') return rows.length === 0 ? null : rows[0].field(expr.field.name);
  const matching = expr.filter ? rows.filter((row) => evalPredicate(expr.filter!, row) === true) : rows;
  const values = (): Value[] => {
    const field = expr.field!.name;
    return matching.map((row) => row.field(field)).filter((v) => v !== null);
  };
  switch (expr.fn) {
    case 'count':
      return matching.length;
    case 'exists':
      return matching.length > 0;
    case 'countDistinct':
      return new Set(values().map((v) => JSON.stringify(v))).size;
    case 'sum': {
      let sum = 0;
      for (const v of values()) if (typeof v === 'number') sum += v;
      return sum;
    }
    case 'mean': {
      const nums = values().filter((v): v is number => typeof v === 'number');
      return nums.length === 0 ? null : nums.reduce((a, b) => a + b, 0) / nums.length;
    }
    case 'median':
    case 'percentile': {
      const nums = values()
        .filter((v): v is number => typeof v === 'number')
        .sort((a, b) => a - b);
      const q = expr.fn === 'median' ? 0.5 : (expr.percentile ?? 50) / 100;
      return nums.length === 0 ? null : quantileCont(nums, q);
    }
    case 'min':
    case 'max':
      return extreme(values(), expr.fn);
    default:
      return unreachable(expr.fn);
  }
}

/** The least or greatest of numbers, dates or instants (one kind per field), keeping the kind. */
function extreme(values: Value[], fn: 'min' | 'max'): Value {
  let best: { x: number; kind: 'number' | 'date' | 'instant' } | undefined;
  for (const v of values) {
    let x: number;
    let kind: 'number' | 'date' | 'instant';
    if (typeof v === 'number') [x, kind] = [v, 'number'];
    else if (v !== null && typeof v === 'object' && !Array.isArray(v) && v.kind === 'date') [x, kind] = [v.days, 'date'];
    else if (v !== null && typeof v === 'object' && !Array.isArray(v) && v.kind === 'instant') [x, kind] = [v.ms, 'instant'];
    else continue;
    if (!best || (fn === 'min' ? x < best.x : x > best.x)) best = { x, kind };
  }
  if (!best) return null;
  return best.kind === 'number' ? best.x : best.kind === 'date' ? dateValue(best.x) : instantValue(best.x);
}
