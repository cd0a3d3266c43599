/**
 * One clause read for a product manager: the record's value and what the
 * clause needs — `Balance = 0, needs ≥ p75(Balance) = 127,644`,
 * `plan = "free", needs one of pro, team`, `age is missing (unknown)`.
 */
import type { CompareOp, Expr } from '../syntax/ast.js';
import { isAggregateName } from './aggregates.js';
import { isoFromDays, isoFromMs } from './dates.js';
import { formatCount } from './format.js';
import { evalValue, type EvalEnv } from './reference.js';
import type { Value } from './values.js';
import { unreachable } from '../util/unreachable.js';

export interface ClauseReading {
  /** The record's side: `age = 31`, `age is missing (unknown)`. */
  seen: string;
  /** What the clause needs: `< 25`, `≥ p75(Balance) = 127,644`, `one of pro, team`. */
  needs?: string;
  /** The record's value is missing. */
  missing: boolean;
}

type FieldDecimals = ((field: string) => number | undefined) | undefined;

/** A number with thousands separators, rounded to `decimals` when given (else at most 2 decimals, 4 below 1). */
export function displayNumber(x: number, decimals?: number): string {
  if (!Number.isFinite(x)) return String(x);
  const digits = decimals ?? (Number.isInteger(x) ? 0 : Math.abs(x) >= 1 ? 2 : 4);
  const scale = 10 ** Math.min(digits, 10);
  const rounded = Math.round(x * scale) / scale;
  const negative = rounded < 0;
  const [int, frac] = Math.abs(rounded).toFixed(Math.min(digits, 10)).split('.');
  const grouped = formatCount(Number(int));
  const fraction = frac ? frac.replace(/0+$/, '') : '';
  return `${negative ? '-' : ''}${grouped}${fraction ? `.${fraction}` : ''}`;
}

/** A value for display: numbers grouped, strings quoted, dates as ISO text, `missing`. */
export function displayValue(v: Value, decimals?: number, quote = true): string {
  if (v === null) return 'missing';
  if (Array.isArray(v)) return `[${v.map((x) => displayValue(x, decimals, quote)).join(', ')}]`;
  if (typeof v === 'string') return quote ? JSON.stringify(v) : v;
  if (typeof v === 'number') return displayNumber(v, decimals);
  if (typeof v === 'boolean') return String(v);
  switch (v.kind) {
    case 'date':
    case 'relative':
      return isoFromDays(v.days);
    case 'instant':
      return isoFromMs(v.ms);
    case 'semver':
      return quote ? JSON.stringify(v.text) : v.text;
    default:
      return String(v satisfies never);
  }
}

/** Decimals to show for a number expression: those of the field it reads (aggregates: of their field). */
export function decimalsOf(e: Expr, fieldDecimals: FieldDecimals): number | undefined {
  switch (e.type) {
    case 'Name':
      return fieldDecimals?.(e.name);
    case 'Call':
      return isAggregateName(e.callee.name) && e.arg.type === 'Name' ? fieldDecimals?.(e.arg.name) : undefined;
    case 'Number':
      return e.raw.includes('.') ? e.raw.split('.')[1].replace(/_/g, '').length : 0;
    case 'Aggregate':
      return e.fn === 'count' || e.fn === 'countDistinct' ? 0 : undefined;
    case 'RelatedField':
      return undefined;
    case 'Paren':
      return decimalsOf(e.expr, fieldDecimals);
    case 'Negate':
      return decimalsOf(e.operand, fieldDecimals);
    case 'Arith': {
      const l = decimalsOf(e.left, fieldDecimals);
      const r = decimalsOf(e.right, fieldDecimals);
      return e.op === '/' || l === undefined || r === undefined ? undefined : Math.max(l, r);
    }
    case 'String':
    case 'Percent':
    case 'Boolean':
    case 'Date':
    case 'DateTime':
    case 'List':
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
    case 'Ago':
    case 'Today':
    case 'Now':
    case 'Error':
      return undefined;
    default:
      return unreachable(e);
  }
}

const SYMBOL: Record<CompareOp, string> = { '==': '=', '!=': '≠', '<': '<', '<=': '≤', '>': '>', '>=': '≥' };
const MIRROR: Record<CompareOp, CompareOp> = { '==': '==', '!=': '!=', '<': '>', '<=': '>=', '>': '<', '>=': '<=' };

function isLiteral(e: Expr): boolean {
  return ['String', 'Number', 'Percent', 'Boolean', 'Date', 'DateTime'].includes(e.type);
}

/** Reads `expr` (a clause, not and/or/not) for the record behind `env`; undefined when it has no subject to show. */
export function readClause(expr: Expr, env: EvalEnv, textOf: (e: Expr) => string, fieldDecimals?: FieldDecimals): ClauseReading | undefined {
  const decimals = (e: Expr): number | undefined => decimalsOf(e, fieldDecimals);
  /** A literal as written (numbers grouped); anything else as `text = value`. */
  const operand = (e: Expr, quote = true, digits = decimals(e)): string => {
    const v = evalValue(e, env);
    if (isLiteral(e)) return displayValue(v, decimals(e), quote);
    return `${textOf(e)} = ${displayValue(v, digits, quote)}`;
  };
  const list = (items: Expr[]): string => items.map((i) => (isLiteral(i) ? displayValue(evalValue(i, env), undefined, false) : operand(i))).join(', ');
  const subjectOf = (s: Expr, unknownWhenMissing = true): Omit<ClauseReading, 'needs'> => {
    const v = evalValue(s, env);
    if (v === null) {
      const unknown = unknownWhenMissing ? ' (unknown)' : '';
      if (s.type === 'Name') return { seen: `${textOf(s)} is missing${unknown}`, missing: true };
      // `ltv_usd / sessions_30d` with sessions_30d = 0: show what it was computed from.
      const inputs = fieldsIn(s).map((f) => `${f} = ${displayValue(env.field(f), fieldDecimals?.(f))}`);
      return { seen: `${textOf(s)} has no value${inputs.length ? ` (${inputs.join(', ')})` : ''}${unknown}`, missing: true };
    }
    return { seen: `${textOf(s)} = ${displayValue(v, decimals(s))}`, missing: false };
  };
  switch (expr.type) {
    case 'Compare': {
      const swap = isLiteral(expr.left) && !isLiteral(expr.right);
      const [subject, other, op] = swap ? [expr.right, expr.left, MIRROR[expr.op]] : [expr.left, expr.right, expr.op];
      const seen = subjectOf(subject);
      let threshold = operand(other, true, decimals(subject) ?? decimals(other));
      // Rounding must not make a failing comparison look like it holds (`30 > 30`): then show more digits.
      if (!isLiteral(other) && threshold.endsWith(` = ${seen.seen.split(' = ')[1]}`)) threshold = operand(other, true, undefined);
      return { ...seen, needs: op === '==' ? threshold : `${SYMBOL[op]} ${threshold}` };
    }
    case 'In':
      return { ...subjectOf(expr.subject), needs: `${expr.negated ? 'none' : 'one'} of ${list(expr.list.items)}` };
    case 'Between':
      return { ...subjectOf(expr.subject), needs: `between ${operand(expr.low)} and ${operand(expr.high)}` };
    case 'Contains': {
      const what = expr.mode === 'one' ? operand(expr.value) : `${expr.mode} of ${expr.value.type === 'List' ? list(expr.value.items) : operand(expr.value)}`;
      return { ...subjectOf(expr.subject), needs: `to contain ${what}` };
    }
    case 'Affix':
      return { ...subjectOf(expr.subject), needs: `to ${expr.op === 'starts' ? 'start' : 'end'} with ${operand(expr.value)}` };
    case 'Matches':
      return { ...subjectOf(expr.subject), needs: `to match ${JSON.stringify(expr.pattern.value)}` };
    case 'Missing':
      return { ...subjectOf(expr.subject, false), needs: expr.negated ? 'a value' : 'to be missing' };
    case 'WithinLast':
      return { ...subjectOf(expr.subject), needs: `within the last ${displayNumber(expr.amount.value)} ${expr.unit}${expr.amount.value === 1 ? '' : 's'}` };
    case 'Temporal':
      return { ...subjectOf(expr.subject), needs: `${expr.op} ${operand(expr.value)}` };
    case 'Name':
      return { ...subjectOf(expr), needs: 'true' };
    case 'Call':
      return isAggregateName(expr.callee.name) ? undefined : { ...subjectOf(expr), needs: 'true' };
    case 'RelatedField':
      return { ...subjectOf(expr), needs: 'true' };
    case 'Aggregate':
      return expr.fn === 'exists' ? { ...subjectOf(expr), needs: 'true' } : undefined;
    case 'String':
    case 'Number':
    case 'Percent':
    case 'Boolean':
    case 'Date':
    case 'DateTime':
    case 'List':
    case 'Paren':
    case 'Not':
    case 'Logical':
    case 'Negate':
    case 'Arith':
    case 'Ago':
    case 'Today':
    case 'Now':
    case 'Error':
      return undefined;
    default:
      return unreachable(expr);
  }
}

/** Field names read by a value expression (not inside aggregates), in order, each once. */
function fieldsIn(e: Expr): string[] {
  const out = new Set<string>();
  const visit = (x: Expr): void => {
    if (x.type === 'Name') out.add(x.name);
    else if (x.type === 'Arith') {
      visit(x.left);
      visit(x.right);
    } else if (x.type === 'Paren') visit(x.expr);
    else if (x.type === 'Negate') visit(x.operand);
    else if (x.type === 'Call' && !isAggregateName(x.callee.name)) visit(x.arg);
  };
  visit(e);
  return [...out];
}
