/**
 * Text forms of expressions: a canonical key (cache key for results and
 * shared sub-predicates; insensitive to layout, comments and redundant
 * parentheses) and a readable form for messages.
 */
import type { AggregateExpr, Expr, NameExpr } from '../syntax/ast.js';
import { unreachable } from '../util/unreachable.js';
import type { NameResolution } from '../semantics/model.js';

type Resolver = (name: NameExpr) => NameResolution;

/** Canonical, fully parenthesised prefix form; fields and segments are told apart. */
export function exprKey(expr: Expr, resolve: Resolver): string {
  const k = (e: Expr): string => exprKey(e, resolve);
  switch (expr.type) {
    case 'String':
      return JSON.stringify(expr.value);
    case 'Number':
      return String(expr.value);
    case 'Percent':
      return `${expr.value}%`;
    case 'Boolean':
      return String(expr.value);
    case 'Date':
      return `d${expr.value}`;
    case 'DateTime':
      return `t${expr.epochMs}`;
    case 'Name': {
      const r = resolve(expr);
      return r.kind === 'field' ? `f:${r.name}` : r.kind === 'segment' ? `s:${r.name}` : `?:${expr.name}`;
    }
    case 'List':
      return `[${expr.items.map(k).join(',')}]`;
    case 'Paren':
      return k(expr.expr);
    case 'Not':
      return `(not ${k(expr.operand)})`;
    case 'Logical':
    case 'Arith':
    case 'Compare':
      return `(${expr.op} ${k(expr.left)} ${k(expr.right)})`;
    case 'Negate':
      return `(neg ${k(expr.operand)})`;
    case 'In':
      return `(${expr.negated ? 'notin' : 'in'} ${k(expr.subject)} ${k(expr.list)})`;
    case 'Between':
      return `(between ${k(expr.subject)} ${k(expr.low)} ${k(expr.high)})`;
    case 'Contains':
      return `(contains-${expr.mode} ${k(expr.subject)} ${k(expr.value)})`;
    case 'Affix':
      return `(${expr.op} ${k(expr.subject)} ${k(expr.value)})`;
    case 'Matches':
      return `(matches ${k(expr.subject)} ${JSON.stringify(expr.pattern.value)})`;
    case 'Missing':
      return `(${expr.negated ? 'present' : 'missing'} ${k(expr.subject)})`;
    case 'WithinLast':
      return `(within ${k(expr.subject)} ${expr.amount.value} ${expr.unit})`;
    case 'Temporal':
      return `(${expr.op} ${k(expr.subject)} ${k(expr.value)})`;
    case 'Call':
      return `(${expr.callee.name} ${k(expr.arg)})`;
    case 'Ago':
      return `(ago ${expr.amount.value} ${expr.unit})`;
    case 'Today':
      return 'today';
    case 'Now':
      return 'now';
    case 'RelatedField':
      return `(related ${expr.dataset.name} ${expr.field.name})`;
    case 'Aggregate':
      return aggregateKey(expr, resolve);
    case 'Error':
      return '(error)';
    default:
      return unreachable(expr);
  }
}

/**
 * The canonical text of an aggregate: the same function, field and filter
 * give the same key whatever the layout (the cache key of its column).
 */
export function aggregateKey(expr: AggregateExpr, resolve: Resolver): string {
  const fn = expr.fn === 'percentile' ? `p${expr.percentile}` : expr.fn;
  const field = expr.field ? ` ${expr.field.name}` : '';
  const filter = expr.filter ? ` where ${exprKey(expr.filter, resolve)}` : '';
  return `(${fn} ${expr.dataset.name}${field}${filter})`;
}

const PREC: Partial<Record<Expr['type'], number>> = {
  Logical: 1,
  Not: 3,
  Compare: 4,
  In: 4,
  Between: 4,
  Contains: 4,
  Affix: 4,
  Matches: 4,
  Missing: 4,
  WithinLast: 4,
  Temporal: 4,
  Arith: 5,
  Negate: 7,
};

function precedence(e: Expr): number {
  if (e.type === 'Logical') return e.op === 'or' ? 1 : 2;
  if (e.type === 'Arith') return e.op === '+' || e.op === '-' ? 5 : 6;
  return PREC[e.type] ?? 8;
}

function plural(n: number, unit: string): string {
  return `${n} ${unit}${n === 1 ? '' : 's'}`;
}

/** Readable infix form (used when the source text is not at hand). */
export function exprText(expr: Expr): string {
  const sub = (e: Expr, min: number): string => {
    const s = exprText(e);
    return precedence(e) < min ? `(${s})` : s;
  };
  switch (expr.type) {
    case 'String':
      return JSON.stringify(expr.value);
    case 'Number':
    case 'Percent':
      return expr.raw;
    case 'Boolean':
      return String(expr.value);
    case 'Date':
    case 'DateTime':
      return expr.value;
    case 'Name':
      return expr.name;
    case 'List':
      return `[${expr.items.map(exprText).join(', ')}]`;
    case 'Paren':
      return `(${exprText(expr.expr)})`;
    case 'Not':
      return `not ${sub(expr.operand, 3)}`;
    case 'Logical': {
      const p = precedence(expr);
      return `${sub(expr.left, p)} ${expr.op} ${sub(expr.right, p + 1)}`;
    }
    case 'Arith': {
      const p = precedence(expr);
      return `${sub(expr.left, p)} ${expr.op} ${sub(expr.right, p + 1)}`;
    }
    case 'Compare':
      return `${sub(expr.left, 5)} ${expr.op} ${sub(expr.right, 5)}`;
    case 'Negate':
      return `-${sub(expr.operand, 7)}`;
    case 'In':
      return `${sub(expr.subject, 5)} ${expr.negated ? 'not in' : 'in'} ${exprText(expr.list)}`;
    case 'Between':
      return `${sub(expr.subject, 5)} between ${sub(expr.low, 5)} and ${sub(expr.high, 5)}`;
    case 'Contains':
      return `${sub(expr.subject, 5)} contains ${expr.mode === 'one' ? '' : `${expr.mode} `}${sub(expr.value, 5)}`;
    case 'Affix':
      return `${sub(expr.subject, 5)} ${expr.op} with ${sub(expr.value, 5)}`;
    case 'Matches':
      return `${sub(expr.subject, 5)} matches ${JSON.stringify(expr.pattern.value)}`;
    case 'Missing':
      return `${sub(expr.subject, 5)} is ${expr.negated ? 'not ' : ''}missing`;
    case 'WithinLast':
      return `${sub(expr.subject, 5)} within last ${plural(expr.amount.value, expr.unit)}`;
    case 'Temporal':
      return `${sub(expr.subject, 5)} ${expr.op} ${sub(expr.value, 5)}`;
    case 'Call':
      return `${expr.callee.name}(${exprText(expr.arg)})`;
    case 'Ago':
      return `${plural(expr.amount.value, expr.unit)} ago`;
    case 'Today':
      return 'today';
    case 'Now':
      return 'now';
    case 'RelatedField':
      return `${expr.dataset.name}.${expr.field.name}`;
    case 'Aggregate': {
      const arg = expr.field ? `${expr.dataset.name}.${expr.field.name}` : expr.dataset.name;
      const distinct = expr.fn === 'countDistinct' ? 'distinct ' : '';
      const filter = expr.filter ? ` where ${exprText(expr.filter)}` : '';
      return `${expr.callee.name}(${distinct}${arg}${filter})`;
    }
    case 'Error':
      return '<error>';
    default:
      return unreachable(expr);
  }
}
