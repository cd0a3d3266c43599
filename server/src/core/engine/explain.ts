/**
 * "Why is / isn't this record a member": the `where` expression as a tree of
 * clauses, each with its truth for one record and the values it saw.
 */
import type { Expr, Range } from '../syntax/ast.js';
import { isAggregateName } from './aggregates.js';
import { exprText } from './normalize.js';
import { evalPredicate, evalValue, type EvalEnv } from './reference.js';
import { formatValue, type Truth } from './values.js';

export interface SeenValue {
  /** What was read, e.g. `age`, `p90(ltv_usd)`, `30 days ago`. */
  text: string;
  /** Its value as text (`31`, `"pro"`, `missing`). */
  value: string;
}

export interface ExplanationNode {
  kind: 'and' | 'or' | 'not' | 'segment' | 'clause';
  /** Source text of the node (or a rendering of it when no source is at hand). */
  text: string;
  range: Range;
  /** true, false, or null for unknown. */
  result: Truth;
  values: SeenValue[];
  children: ExplanationNode[];
  /** For `kind: 'segment'`: the segment referred to. */
  segment?: string;
}

function unwrap(expr: Expr): Expr {
  return expr.type === 'Paren' ? unwrap(expr.expr) : expr;
}

/** Operands of a chain of the same logical operator: `a and b and c` → [a, b, c]. */
export function chainOperands(expr: Expr, op: 'and' | 'or'): Expr[] {
  const e = unwrap(expr);
  if (e.type === 'Logical' && e.op === op) return [...chainOperands(e.left, op), ...chainOperands(e.right, op)];
  return [expr];
}

/** Explains `expr` for the record behind `env`. `source` is the text the ranges point into. */
export function explain(expr: Expr, env: EvalEnv, source?: string): ExplanationNode {
  const textOf = (e: Expr): string =>
    source !== undefined ? source.slice(e.range.start.offset, e.range.end.offset).replace(/\s+/g, ' ') : exprText(e);
  const walk = (node: Expr): ExplanationNode => {
    const e = unwrap(node);
    const base = { text: textOf(node), range: node.range, result: evalPredicate(e, env) };
    if (e.type === 'Logical') {
      return { ...base, kind: e.op, values: [], children: chainOperands(e, e.op).map(walk) };
    }
    if (e.type === 'Not') return { ...base, kind: 'not', values: [], children: [walk(e.operand)] };
    if (e.type === 'Name') {
      const r = env.resolve(e);
      if (r.kind === 'segment') return { ...base, kind: 'segment', segment: r.name, values: [], children: [] };
    }
    return { ...base, kind: 'clause', values: seenValues(e, env, textOf), children: [] };
  };
  return walk(expr);
}

function seenValues(expr: Expr, env: EvalEnv, textOf: (e: Expr) => string): SeenValue[] {
  const seen: SeenValue[] = [];
  const keys = new Set<string>();
  const add = (e: Expr, text: string): void => {
    if (keys.has(text)) return;
    keys.add(text);
    seen.push({ text, value: formatValue(evalValue(e, env)) });
  };
  const visit = (e: Expr): void => {
    switch (e.type) {
      case 'Name': {
        const r = env.resolve(e);
        if (r.kind === 'field') add(e, e.name);
        return;
      }
      case 'Call':
        if (isAggregateName(e.callee.name)) add(e, textOf(e));
        else {
          visit(e.arg);
          add(e, textOf(e));
        }
        return;
      case 'Arith':
        visit(e.left);
        visit(e.right);
        add(e, textOf(e));
        return;
      case 'Ago':
      case 'Today':
      case 'Now':
        add(e, textOf(e));
        return;
      case 'Paren':
        return visit(e.expr);
      case 'Negate':
        return visit(e.operand);
      case 'Compare':
        visit(e.left);
        visit(e.right);
        return;
      case 'In':
        visit(e.subject);
        e.list.items.forEach(visit);
        return;
      case 'Between':
        visit(e.subject);
        visit(e.low);
        visit(e.high);
        return;
      case 'Contains':
      case 'Affix':
      case 'Temporal':
        visit(e.subject);
        visit(e.value);
        return;
      case 'Matches':
      case 'Missing':
      case 'WithinLast':
        return visit(e.subject);
      case 'List':
        e.items.forEach(visit);
        return;
      default:
        return;
    }
  };
  visit(expr);
  return seen;
}

/** The clauses that keep a record out: under an `and`, the operands that are not true, recursively. */
export function failingClauses(node: ExplanationNode): ExplanationNode[] {
  if (node.result === true) return [];
  if (node.kind === 'and') return node.children.flatMap(failingClauses);
  if (node.kind === 'or') {
    const inner = node.children.flatMap(failingClauses);
    return inner.length > 0 ? inner : [node];
  }
  return [node];
}

export function truthWord(t: Truth): string {
  return t === true ? 'true' : t === false ? 'false' : 'unknown';
}

/** One line per clause for messages: `plan != "enterprise" is false (plan = "enterprise")`. */
export function describeClause(node: ExplanationNode): string {
  const values = node.values.map((v) => `${v.text} = ${v.value}`).join(', ');
  return `${node.text} is ${truthWord(node.result)}${values ? ` (${values})` : ''}`;
}

const MARK = { true: '✓', false: '✗', unknown: '?' } as const;

/** Indented text form: `✓` true, `✗` false, `?` unknown, with the values each clause saw. */
export function renderExplanation(node: ExplanationNode, indent = ''): string {
  const mark = MARK[truthWord(node.result) as keyof typeof MARK];
  const values = node.values.map((v) => `${v.text} = ${v.value}`).join(', ');
  const label =
    node.kind === 'segment'
      ? `${node.text}  (${node.result ? 'member' : 'not a member'} of ${node.segment})`
      : node.kind === 'clause'
        ? `${node.text}${values ? `  (${values})` : ''}`
        : node.kind === 'not'
          ? node.text
          : `${node.kind === 'and' ? 'all of' : 'any of'}:`;
  const lines = [`${indent}${mark} ${label}`];
  for (const child of node.children) lines.push(renderExplanation(child, `${indent}  `));
  return lines.join('\n');
}
