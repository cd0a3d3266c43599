/**
 * The reference interpreter: SPEC §5 evaluated row by row over one record.
 * It is the definition the compiled bitset evaluator is tested against, and
 * it evaluates records that are not in any table (persona profiles, examples).
 */
import type { AggregateExpr, CallExpr, Expr, NameExpr, RelatedFieldExpr } from '../syntax/ast.js';
import type { NameResolution } from '../semantics/model.js';
import { MS_PER_DAY, addUnits, daysFromIso } from './dates.js';
import { isAggregateName } from './aggregates.js';
import { compilePattern } from '../util/regex.js';
import { unreachable } from '../util/unreachable.js';
import {
  compareScalars,
  dateValue,
  instantValue,
  isScalar,
  scalarEquals,
  type Scalar,
  type Truth,
  type Value,
} from './values.js';

export interface EvalEnv {
  /** The reference date (`today`), days since the epoch. */
  today: number;
  resolve(name: NameExpr): NameResolution;
  /** The record's value of a field (null when missing). */
  field(name: string): Value;
  /** Whether the record is a member of the named segment. */
  segment(name: string): boolean;
  /** A dataset-wide aggregate such as `p90(ltv_usd)`. */
  aggregate(call: CallExpr): Value;
  /**
   * The record's value of a lookup (`survey.nps`) or an aggregate over its
   * related rows (SPEC §11). Left out where no related rows can exist; the
   * static checks keep such expressions from being evaluated there.
   */
  related?(expr: AggregateExpr | RelatedFieldExpr): Value;
}

export function not3(a: Truth): Truth {
  return a === null ? null : !a;
}

export function and3(a: Truth, b: Truth): Truth {
  if (a === false || b === false) return false;
  if (a === null || b === null) return null;
  return true;
}

export function or3(a: Truth, b: Truth): Truth {
  if (a === true || b === true) return true;
  if (a === null || b === null) return null;
  return false;
}

/** `today - N units` as a date and `now - N units` as an instant. */
export function agoValue(today: number, amount: number, unit: 'day' | 'week' | 'month' | 'year'): Value {
  return {
    kind: 'relative',
    days: addUnits(today, -amount, unit),
    ms: addUnits(today + 1, -amount, unit) * MS_PER_DAY,
  };
}

export function evalValue(expr: Expr, env: EvalEnv): Value {
  switch (expr.type) {
    case 'String':
      return expr.value;
    case 'Number':
      return expr.value;
    case 'Percent':
      return expr.value / 100;
    case 'Boolean':
      return expr.value;
    case 'Date': {
      const days = daysFromIso(expr.value);
      return days === undefined ? null : dateValue(days);
    }
    case 'DateTime':
      return instantValue(expr.epochMs);
    case 'Name': {
      const r = env.resolve(expr);
      if (r.kind === 'field') return env.field(r.name);
      if (r.kind === 'segment') return env.segment(r.name);
      return null;
    }
    case 'List': {
      const items: Scalar[] = [];
      for (const item of expr.items) {
        const v = evalValue(item, env);
        if (isScalar(v)) items.push(v);
      }
      return items;
    }
    case 'Paren':
      return evalValue(expr.expr, env);
    case 'Negate': {
      const v = evalValue(expr.operand, env);
      return typeof v === 'number' ? -v : null;
    }
    case 'Arith': {
      const l = evalValue(expr.left, env);
      const r = evalValue(expr.right, env);
      if (typeof l !== 'number' || typeof r !== 'number') return null;
      return arith(expr.op, l, r);
    }
    case 'Call':
      return evalCall(expr, env);
    case 'RelatedField':
    case 'Aggregate':
      return env.related ? env.related(expr) : null;
    case 'Ago':
      return agoValue(env.today, expr.amount.value, expr.unit);
    case 'Today':
      return dateValue(env.today);
    case 'Now':
      return instantValue((env.today + 1) * MS_PER_DAY);
    case 'Error':
      return null;
    case 'Not':
    case 'Logical':
    case 'Compare':
    case 'In':
    case 'Between':
    case 'Contains':
    case 'Affix':
    case 'Matches':
    case 'Missing':
    case 'WithinLast':
    case 'Temporal':
      return evalPredicate(expr, env);
    default:
      return unreachable(expr);
  }
}

export function arith(op: '+' | '-' | '*' | '/', l: number, r: number): number | null {
  switch (op) {
    case '+':
      return l + r;
    case '-':
      return l - r;
    case '*':
      return l * r;
    case '/':
      return r === 0 ? null : l / r;
  }
}

function evalCall(expr: CallExpr, env: EvalEnv): Value {
  const name = expr.callee.name;
  if (isAggregateName(name)) return env.aggregate(expr);
  const v = evalValue(expr.arg, env);
  if (v === null) return null;
  switch (name) {
    case 'lower':
    case 'upper': {
      const s = typeof v === 'string' ? v : typeof v === 'object' && !Array.isArray(v) && v.kind === 'semver' ? v.text : undefined;
      if (s === undefined) return null;
      return name === 'lower' ? s.toLowerCase() : s.toUpperCase();
    }
    case 'len':
      if (typeof v === 'string') return [...v].length;
      if (Array.isArray(v)) return v.length;
      return null;
    default:
      return null;
  }
}

/** A text or a version as its text (a version is written as text, and text tests read it so); else the value unchanged. */
function textOf(v: Value): Value {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && v.kind === 'semver' ? v.text : v;
}

/** `a op b` for two values, three-valued. */
export function compareOp(op: '==' | '!=' | '<' | '<=' | '>' | '>=', l: Value, r: Value): Truth {
  if (!isScalar(l) || !isScalar(r)) return null;
  const c = compareScalars(l, r);
  if (c === undefined) return null;
  switch (op) {
    case '==':
      return c === 0;
    case '!=':
      return c !== 0;
    case '<':
      return c < 0;
    case '<=':
      return c <= 0;
    case '>':
      return c > 0;
    case '>=':
      return c >= 0;
  }
}

/** SQL `x IN (items)`: true on a match, else unknown if any item is missing or incomparable. */
export function inList(subject: Value, items: Value[]): Truth {
  if (!isScalar(subject)) return null;
  let unknown = false;
  for (const item of items) {
    if (!isScalar(item)) {
      unknown = true;
      continue;
    }
    const eq = scalarEquals(subject, item);
    if (eq === true) return true;
    if (eq === null) unknown = true;
  }
  return unknown ? null : false;
}

function listItems(expr: Expr, env: EvalEnv): Value[] {
  if (expr.type === 'List') return expr.items.map((item) => evalValue(item, env));
  if (expr.type === 'Paren') return listItems(expr.expr, env);
  const v = evalValue(expr, env);
  return Array.isArray(v) ? v : [v];
}

/** One needle in a list (element) or a string (substring). */
export function containsOne(subject: Value, needle: Value): Truth {
  if (subject === null || needle === null) return null;
  if (Array.isArray(subject)) {
    if (!isScalar(needle)) return null;
    let unknown = false;
    for (const el of subject) {
      const eq = scalarEquals(el, needle);
      if (eq === true) return true;
      if (eq === null) unknown = true;
    }
    return unknown ? null : false;
  }
  if (typeof subject === 'string' && typeof needle === 'string') return subject.includes(needle);
  return null;
}

export function containsMode(mode: 'any' | 'all', subject: Value, needles: Value[]): Truth {
  let result: Truth = mode === 'all';
  for (const needle of needles) {
    const one = containsOne(subject, needle);
    result = mode === 'any' ? or3(result, one) : and3(result, one);
  }
  return subject === null ? null : result;
}

export function withinLast(today: number, amount: number, unit: 'day' | 'week' | 'month' | 'year', v: Value): Truth {
  if (!isScalar(v) || typeof v !== 'object') return null;
  const start = addUnits(today + 1, -amount, unit);
  if (v.kind === 'date') return v.days >= start && v.days < today + 1;
  if (v.kind === 'instant') return v.ms >= start * MS_PER_DAY && v.ms < (today + 1) * MS_PER_DAY;
  return null;
}

export function evalPredicate(expr: Expr, env: EvalEnv): Truth {
  switch (expr.type) {
    case 'Paren':
      return evalPredicate(expr.expr, env);
    case 'Not':
      return not3(evalPredicate(expr.operand, env));
    case 'Logical': {
      const l = evalPredicate(expr.left, env);
      const r = evalPredicate(expr.right, env);
      return expr.op === 'and' ? and3(l, r) : or3(l, r);
    }
    case 'Compare':
      return compareOp(expr.op, evalValue(expr.left, env), evalValue(expr.right, env));
    case 'In': {
      const t = inList(evalValue(expr.subject, env), expr.list.items.map((i) => evalValue(i, env)));
      return expr.negated ? not3(t) : t;
    }
    case 'Between': {
      const s = evalValue(expr.subject, env);
      return and3(compareOp('>=', s, evalValue(expr.low, env)), compareOp('<=', s, evalValue(expr.high, env)));
    }
    case 'Contains': {
      const subject = evalValue(expr.subject, env);
      if (expr.mode === 'one') return containsOne(subject, evalValue(expr.value, env));
      return containsMode(expr.mode, subject, listItems(expr.value, env));
    }
    case 'Affix': {
      const s = textOf(evalValue(expr.subject, env));
      const v = textOf(evalValue(expr.value, env));
      if (typeof s !== 'string' || typeof v !== 'string') return null;
      return expr.op === 'starts' ? s.startsWith(v) : s.endsWith(v);
    }
    case 'Matches': {
      const s = textOf(evalValue(expr.subject, env));
      const pattern = compilePattern(expr.pattern.value);
      if (typeof s !== 'string' || !pattern.ok) return null;
      return pattern.test(s);
    }
    case 'Missing': {
      const missing = evalValue(expr.subject, env) === null;
      return expr.negated ? !missing : missing;
    }
    case 'WithinLast':
      return withinLast(env.today, expr.amount.value, expr.unit, evalValue(expr.subject, env));
    case 'Temporal':
      return compareOp(expr.op === 'before' ? '<' : '>', evalValue(expr.subject, env), evalValue(expr.value, env));
    case 'String':
    case 'Number':
    case 'Percent':
    case 'Boolean':
    case 'Date':
    case 'DateTime':
    case 'Name':
    case 'List':
    case 'Negate':
    case 'Arith':
    case 'Call':
    case 'RelatedField':
    case 'Aggregate':
    case 'Ago':
    case 'Today':
    case 'Now':
    case 'Error': {
      const v = evalValue(expr, env);
      return typeof v === 'boolean' ? v : null;
    }
    default:
      return unreachable(expr);
  }
}
