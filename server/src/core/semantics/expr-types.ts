/**
 * Static types of expressions, from the field types of the segment's dataset.
 * 'unknown' means "cannot tell" (unknown field, error node): checks skip it.
 */
import type { AggregateExpr, Expr } from '../syntax/ast.js';
import { unreachable } from '../util/unreachable.js';
import type { FieldTypeInfo, NameResolution } from './model.js';

export type StaticType =
  | 'number'
  | 'string'
  | 'enum'
  | 'semver'
  | 'boolean'
  | 'date'
  | 'datetime'
  /** `N units ago`: a date next to a date field, an instant next to a date-time field. */
  | 'relative-time'
  | 'list<string>'
  | 'list<integer>'
  | 'list'
  | 'unknown';

export const aggregateNames = new Set(['median', 'mean', 'min', 'max']);
export const scalarFunctionNames = new Set(['lower', 'upper', 'len']);

/** `p1`..`p99` */
export function percentileOf(name: string): number | undefined {
  const match = /^p([1-9][0-9]?)$/.exec(name);
  return match ? Number(match[1]) : undefined;
}

export function isAggregateName(name: string): boolean {
  return aggregateNames.has(name) || percentileOf(name) !== undefined;
}

export interface TypeEnv {
  names: Map<Expr, NameResolution> | ReadonlyMap<Expr, NameResolution>;
  fields: Map<string, FieldTypeInfo> | undefined;
  /** Field types of any dataset: for lookups and aggregates over related datasets (SPEC §11). */
  fieldsOf?: (dataset: string) => Map<string, FieldTypeInfo> | undefined;
}

export function fieldInfoOf(expr: Expr, env: TypeEnv): FieldTypeInfo | undefined {
  if (expr.type === 'Paren') return fieldInfoOf(expr.expr, env);
  if (expr.type === 'RelatedField') return env.fieldsOf?.(expr.dataset.name)?.get(expr.field.name);
  if (expr.type !== 'Name') return undefined;
  const resolution = env.names.get(expr);
  return resolution?.kind === 'field' ? env.fields?.get(resolution.name) : undefined;
}

export function typeOf(expr: Expr, env: TypeEnv): StaticType {
  switch (expr.type) {
    case 'Number':
    case 'Percent':
    case 'Negate':
    case 'Arith':
      return 'number';
    case 'String':
      return 'string';
    case 'Boolean':
      return 'boolean';
    case 'Date':
    case 'Today':
      return 'date';
    case 'DateTime':
    case 'Now':
      return 'datetime';
    case 'Ago':
      return 'relative-time';
    case 'List':
      return 'list';
    case 'Paren':
      return typeOf(expr.expr, env);
    case 'Name': {
      const resolution = env.names.get(expr);
      if (resolution?.kind === 'segment') return 'boolean';
      if (resolution?.kind !== 'field') return 'unknown';
      const info = env.fields?.get(resolution.name);
      if (!info) return 'unknown';
      return info.type === 'integer' ? 'number' : info.type;
    }
    case 'Call': {
      const name = expr.callee.name;
      if (name === 'lower' || name === 'upper') return 'string';
      if (name === 'len') return 'number';
      if (isAggregateName(name)) {
        const argType = typeOf(expr.arg, env);
        return argType === 'date' || argType === 'datetime' ? argType : 'number';
      }
      return 'unknown';
    }
    case 'RelatedField': {
      const info = fieldInfoOf(expr, env);
      if (!info) return 'unknown';
      return info.type === 'integer' ? 'number' : info.type;
    }
    case 'Aggregate':
      return aggregateType(expr, env);
    case 'Error':
      return 'unknown';
    default:
      return 'boolean';
  }
}

/** SPEC §11: counts and sums are numbers, min/max keep a date or date-time field's type, `exists` is a condition. */
function aggregateType(expr: AggregateExpr, env: TypeEnv): StaticType {
  switch (expr.fn) {
    case 'exists':
      return 'boolean';
    case 'min':
    case 'max': {
      const info = expr.field ? env.fieldsOf?.(expr.dataset.name)?.get(expr.field.name) : undefined;
      if (!info) return 'unknown';
      return info.type === 'date' || info.type === 'datetime' ? info.type : 'number';
    }
    case 'count':
    case 'countDistinct':
    case 'sum':
    case 'mean':
    case 'median':
    case 'percentile':
      return 'number';
    default:
      return unreachable(expr.fn);
  }
}

export function describeType(type: StaticType): string {
  switch (type) {
    case 'relative-time':
      return 'a relative date';
    case 'list':
      return 'a list';
    case 'enum':
      return 'an enum';
    case 'integer' as StaticType:
      return 'an integer';
    default:
      return `a ${type}`;
  }
}

export const isTextual = (t: StaticType) => t === 'string' || t === 'enum' || t === 'semver';
export const isTemporal = (t: StaticType) => t === 'date' || t === 'datetime' || t === 'relative-time';
