/**
 * "Why is / isn't this record a member": the `where` expression as a tree of
 * clauses, each with its truth for one record, the record's value and what the
 * clause needs ("Balance = 0, needs ≥ p75(Balance) = 127,644"). A clause that
 * names another segment carries that segment's own tree, so a reader can drill
 * into it. The CLI renders the tree as text, the server as Markdown and HTML,
 * and the checks of examples and personas quote it.
 */
import type { Expr, Range } from '../syntax/ast.js';
import { isAggregateName } from './aggregates.js';
import { decimalsOf, displayValue, readClause, type ClauseReading } from './explain-reading.js';
import { exprText } from './normalize.js';
import { evalPredicate, evalValue, type EvalEnv } from './reference.js';
import type { Truth } from './values.js';
import { unreachable } from '../util/unreachable.js';

export type { ClauseReading } from './explain-reading.js';

export interface SeenValue {
  /** What was read, e.g. `age`, `p90(ltv_usd)`, `30 days ago`. */
  text: string;
  /** Its value for display (`31`, `"pro"`, `127,644`, `missing`). */
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
  /** For clauses: the record's value and what the clause needs, for a reader. */
  reading?: ClauseReading;
  /** For and/or/not: the operands. For a segment: its own rule's tree (when it could be followed). */
  children: ExplanationNode[];
  /** For `kind: 'segment'`: the segment referred to, and its title. */
  segment?: string;
  title?: string;
}

/** What the explanation needs to drill into a segment named in a rule. */
export interface SegmentRule {
  where: Expr;
  /** The text the rule's ranges point into. */
  source?: string;
  title?: string;
}

export interface ExplainOptions {
  /** Follows a segment named in a rule (undefined: show the membership only). */
  rules?: (name: string) => SegmentRule | undefined;
  /** Decimals a number field is written with in the data (for rounding thresholds such as `p75(Balance)`). */
  fieldDecimals?: (field: string) => number | undefined;
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

/**
 * Explains `expr` for the record behind `env`. `source` is the text the ranges
 * point into; `rules` lets the tree follow segments named in the rule (each
 * segment once per path, so a cycle stops).
 */
export function explain(expr: Expr, env: EvalEnv, source?: string, options: ExplainOptions = {}): ExplanationNode {
  return explainIn(expr, env, source, options, new Set());
}

function explainIn(expr: Expr, env: EvalEnv, source: string | undefined, options: ExplainOptions, visiting: Set<string>): ExplanationNode {
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
      if (r.kind === 'segment') {
        const rule = options.rules?.(r.name);
        const children = rule && !visiting.has(r.name) ? [explainIn(rule.where, env, rule.source, options, new Set(visiting).add(r.name))] : [];
        return { ...base, kind: 'segment', segment: r.name, title: rule?.title, values: [], children };
      }
    }
    return { ...base, kind: 'clause', values: seenValues(e, env, textOf, options.fieldDecimals), reading: readClause(e, env, textOf, options.fieldDecimals), children: [] };
  };
  return walk(expr);
}

function seenValues(expr: Expr, env: EvalEnv, textOf: (e: Expr) => string, fieldDecimals: ExplainOptions['fieldDecimals']): SeenValue[] {
  const seen: SeenValue[] = [];
  const keys = new Set<string>();
  const add = (e: Expr, text: string): void => {
    if (keys.has(text)) return;
    keys.add(text);
    seen.push({ text, value: displayValue(evalValue(e, env), decimalsOf(e, fieldDecimals)) });
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
      case 'RelatedField':
      case 'Aggregate':
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
      case 'String':
      case 'Number':
      case 'Percent':
      case 'Boolean':
      case 'Date':
      case 'DateTime':
      case 'Not':
      case 'Logical':
      case 'Error':
        return;
      default:
        return unreachable(e);
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

/** The reading of a clause in one phrase: `age = 31, needs < 25`; `age is missing (unknown), needs < 25`. */
export function readingText(reading: ClauseReading): string {
  return reading.needs ? `${reading.seen}, needs ${reading.needs}` : reading.seen;
}

/** A node's label without its mark: the clause and its reading, a segment and its membership, `all of:` / `any of:`. */
export function nodeLabel(node: ExplanationNode): string {
  switch (node.kind) {
    case 'segment': {
      const title = node.title ? ` "${node.title}"` : '';
      const membership = node.result === true ? 'a member' : node.result === false ? 'not a member' : 'unknown';
      return `${node.text}: ${membership} of ${node.segment}${title}`;
    }
    case 'clause':
      return node.reading ? `${node.text}  —  ${readingText(node.reading)}` : node.text;
    case 'not':
      return node.text;
    case 'and':
      return 'all of:';
    case 'or':
      return 'any of:';
    default:
      return unreachable(node.kind);
  }
}

const MARK = { true: '✓', false: '✗', unknown: '?' } as const;

export function truthMark(t: Truth): string {
  return MARK[truthWord(t) as keyof typeof MARK];
}

/** Indented text form: `✓` true, `✗` false, `?` unknown; referenced segments indented under their clause. */
export function renderExplanation(node: ExplanationNode, indent = ''): string {
  const lines = [`${indent}${truthMark(node.result)} ${nodeLabel(node)}`];
  for (const child of node.children) lines.push(renderExplanation(child, `${indent}  `));
  return lines.join('\n');
}

export { displayValue };
