/**
 * Contradictions (`age < 18 and age > 65`) and tautologies (`age > 5 or
 * age <= 5`) among simple conditions on one field. Under SQL logic an `or` that
 * covers every value still excludes rows where the field is missing, so a
 * "tautology" is only reported as such when the field can never be missing.
 */
import type { Expr, Range } from '../syntax/ast.js';
import { prop } from '../syntax/ast.js';
import { flattenLogical, unparen, walkExpr } from '../syntax/walk.js';
import type { Finding } from '../diagnostics/types.js';
import type { FieldTypeInfo, WorkspaceModel } from './model.js';
import { staticFinding } from './finding.js';

/** A set of reals as a union of intervals. */
interface Interval {
  lo: number;
  hi: number;
  loOpen: boolean;
  hiOpen: boolean;
}

/** A simple condition on one field, as the set of field values it accepts. */
type Constraint =
  | { field: string; kind: 'numeric'; accepts: Interval[]; expr: Expr }
  | { field: string; kind: 'text'; equals?: string; notEquals?: string; oneOf?: string[]; expr: Expr }
  | { field: string; kind: 'missing'; missing: boolean; expr: Expr };

const all: Interval = { lo: -Infinity, hi: Infinity, loOpen: true, hiOpen: true };

export function checkLogic(model: WorkspaceModel): Finding[] {
  const findings: Finding[] = [];
  for (const symbol of model.segments.values()) {
    const where = prop(symbol.decl, 'where')?.value;
    if (!where) continue;
    const text = model.files.get(symbol.file)?.text ?? '';
    const fields = symbol.dataset ? model.fieldTypes.get(symbol.dataset) : undefined;
    const fieldNameOf = (expr: Expr): string | undefined => {
      const node = unparen(expr);
      if (node.type !== 'Name') return undefined;
      const resolution = model.names.get(node);
      return resolution?.kind === 'field' ? resolution.name : undefined;
    };
    const visited = new Set<Expr>();
    walkExpr(where, (node) => {
      if (node.type !== 'Logical' || visited.has(node)) return;
      const operands = flattenLogical(node, node.op);
      // Mark the inner nodes of the chain so each chain is checked once.
      walkChain(node, node.op, visited);
      const constraints = operands
        .map((operand) => constraintOf(operand, fieldNameOf))
        .filter((c): c is Constraint => c !== undefined);
      const report = node.op === 'and' ? contradiction(constraints) : tautology(constraints);
      if (!report) return;
      const quoted = report.parts.map((p) => `\`${slice(text, p.range)}\``).join(' and ');
      const range = spanOf(report.parts.map((p) => p.range));
      if (node.op === 'and') {
        findings.push(
          staticFinding('SEG015', symbol.file, range, `${quoted} can never hold together: no value of \`${report.field}\` satisfies them all, so segment \`${symbol.name}\` has no members`),
        );
      } else {
        const info = fields?.get(report.field);
        findings.push(staticFinding('SEG016', symbol.file, range, tautologyMessage(report.field, report.parts.map((p) => slice(text, p.range)), info)));
      }
    });
  }
  return findings;
}

function tautologyMessage(field: string, parts: string[], info: FieldTypeInfo | undefined): string {
  const joined = parts.map((p) => `\`${p}\``).join(' or ');
  if (parts.some((p) => /\bis\s+(not\s+)?missing\b/.test(p))) {
    return `${joined} always holds: every row either has \`${field}\` or not, so this excludes nobody`;
  }
  if (info && !info.optional) {
    return `${joined} always holds: these conditions cover every value of \`${field}\`, and \`${field}\` is never missing, so this excludes nobody`;
  }
  return `${joined} is not always true: it holds for every row where \`${field}\` has a value, but a row with a missing \`${field}\` is not a member (SQL logic) — if that is the intent, write \`${field} is not missing\``;
}

function walkChain(node: Expr, op: 'and' | 'or', visited: Set<Expr>): void {
  const inner = unparen(node);
  if (inner.type === 'Logical' && inner.op === op) {
    visited.add(inner);
    walkChain(inner.left, op, visited);
    walkChain(inner.right, op, visited);
  }
}

function constraintOf(expr: Expr, fieldNameOf: (e: Expr) => string | undefined): Constraint | undefined {
  const node = unparen(expr);
  if (node.type === 'Compare') {
    let field = fieldNameOf(node.left);
    let value = unparen(node.right);
    let op = node.op;
    if (!field) {
      field = fieldNameOf(node.right);
      value = unparen(node.left);
      op = flip(op);
    }
    if (!field) return undefined;
    const number = numericValue(value);
    if (number !== undefined) return { field, kind: 'numeric', accepts: intervalsFor(op, number), expr: node };
    if (value.type === 'String' && (op === '==' || op === '!=')) {
      return op === '==' ? { field, kind: 'text', equals: value.value, expr: node } : { field, kind: 'text', notEquals: value.value, expr: node };
    }
    return undefined;
  }
  if (node.type === 'Between') {
    const field = fieldNameOf(node.subject);
    const lo = numericValue(unparen(node.low));
    const hi = numericValue(unparen(node.high));
    if (!field || lo === undefined || hi === undefined) return undefined;
    return { field, kind: 'numeric', accepts: lo <= hi ? [{ lo, hi, loOpen: false, hiOpen: false }] : [], expr: node };
  }
  if (node.type === 'In' && !node.negated) {
    const field = fieldNameOf(node.subject);
    const values = node.list.items.map(unparen);
    if (!field || !values.every((v) => v.type === 'String')) return undefined;
    return { field, kind: 'text', oneOf: values.map((v) => (v as { value: string }).value), expr: node };
  }
  if (node.type === 'Missing') {
    const field = fieldNameOf(node.subject);
    return field ? { field, kind: 'missing', missing: !node.negated, expr: node } : undefined;
  }
  return undefined;
}

function numericValue(expr: Expr): number | undefined {
  if (expr.type === 'Number') return expr.value;
  if (expr.type === 'Negate' && unparen(expr.operand).type === 'Number') return -(unparen(expr.operand) as { value: number }).value;
  if (expr.type === 'Date') return Date.parse(`${expr.value}T00:00:00Z`) / 86_400_000;
  return undefined;
}

function flip(op: Extract<Expr, { type: 'Compare' }>['op']): Extract<Expr, { type: 'Compare' }>['op'] {
  const flipped = { '<': '>', '<=': '>=', '>': '<', '>=': '<=', '==': '==', '!=': '!=' } as const;
  return flipped[op];
}

function intervalsFor(op: string, v: number): Interval[] {
  switch (op) {
    case '<':
      return [{ ...all, hi: v, hiOpen: true }];
    case '<=':
      return [{ ...all, hi: v, hiOpen: false }];
    case '>':
      return [{ ...all, lo: v, loOpen: true }];
    case '>=':
      return [{ ...all, lo: v, loOpen: false }];
    case '==':
      return [{ lo: v, hi: v, loOpen: false, hiOpen: false }];
    default:
      return [
        { ...all, hi: v, hiOpen: true },
        { ...all, lo: v, loOpen: true },
      ];
  }
}

function intersect(a: Interval, b: Interval): Interval | undefined {
  const lo = Math.max(a.lo, b.lo);
  const hi = Math.min(a.hi, b.hi);
  const loOpen = a.lo === b.lo ? a.loOpen || b.loOpen : a.lo > b.lo ? a.loOpen : b.loOpen;
  const hiOpen = a.hi === b.hi ? a.hiOpen || b.hiOpen : a.hi < b.hi ? a.hiOpen : b.hiOpen;
  if (lo > hi || (lo === hi && (loOpen || hiOpen))) return undefined;
  return { lo, hi, loOpen, hiOpen };
}

function intersectSets(a: Interval[], b: Interval[]): Interval[] {
  return a.flatMap((x) => b.map((y) => intersect(x, y)).filter((i): i is Interval => i !== undefined));
}

/** Whether a union of intervals covers the whole real line. */
function coversAll(intervals: Interval[]): boolean {
  const sorted = [...intervals].sort((x, y) => x.lo - y.lo || Number(x.loOpen) - Number(y.loOpen));
  if (sorted.length === 0 || sorted[0].lo !== -Infinity) return false;
  let reach = sorted[0].hi;
  let reachOpen = sorted[0].hiOpen;
  for (const next of sorted.slice(1)) {
    const gap = next.lo > reach || (next.lo === reach && reachOpen && next.loOpen);
    if (gap) return false;
    if (next.hi > reach || (next.hi === reach && !next.hiOpen)) {
      reach = next.hi;
      reachOpen = next.hiOpen;
    }
  }
  return reach === Infinity;
}

interface Report {
  field: string;
  parts: Expr[];
}

function byField(constraints: Constraint[]): Map<string, Constraint[]> {
  const groups = new Map<string, Constraint[]>();
  for (const c of constraints) groups.set(c.field, [...(groups.get(c.field) ?? []), c]);
  return groups;
}

function contradiction(constraints: Constraint[]): Report | undefined {
  for (const [field, group] of byField(constraints)) {
    if (group.length < 2) continue;
    const numeric = group.filter((c) => c.kind === 'numeric');
    if (numeric.length >= 2) {
      let accepted: Interval[] = [all];
      for (const c of numeric) accepted = intersectSets(accepted, c.accepts);
      if (accepted.length === 0) return { field, parts: numeric.map((c) => c.expr) };
    }
    const text = group.filter((c) => c.kind === 'text');
    if (text.length >= 2) {
      let allowed: Set<string> | undefined;
      const excluded = new Set<string>();
      for (const c of text) {
        const accepts = c.equals !== undefined ? [c.equals] : c.oneOf;
        if (accepts) allowed = new Set(accepts.filter((v) => !allowed || allowed.has(v)));
        if (c.notEquals !== undefined) excluded.add(c.notEquals);
      }
      if (allowed && [...allowed].every((v) => excluded.has(v))) return { field, parts: text.map((c) => c.expr) };
    }
    const missing = group.filter((c) => c.kind === 'missing');
    const requiresValue = group.some((c) => c.kind !== 'missing');
    if (missing.some((c) => c.missing) && (requiresValue || missing.some((c) => !c.missing))) {
      return { field, parts: group.map((c) => c.expr) };
    }
  }
  return undefined;
}

function tautology(constraints: Constraint[]): Report | undefined {
  for (const [field, group] of byField(constraints)) {
    if (group.length < 2) continue;
    const missing = group.filter((c) => c.kind === 'missing');
    if (missing.some((c) => c.missing) && missing.some((c) => !c.missing)) return { field, parts: missing.map((c) => c.expr) };
    const numeric = group.filter((c) => c.kind === 'numeric');
    if (numeric.length >= 2 && coversAll(numeric.flatMap((c) => c.accepts))) return { field, parts: numeric.map((c) => c.expr) };
    const text = group.filter((c) => c.kind === 'text');
    const equal = new Set(text.flatMap((c) => (c.equals !== undefined ? [c.equals] : (c.oneOf ?? []))));
    if (text.some((c) => c.notEquals !== undefined && equal.has(c.notEquals))) return { field, parts: text.map((c) => c.expr) };
  }
  return undefined;
}

function slice(text: string, range: Range): string {
  return text.slice(range.start.offset, range.end.offset).replace(/\s+/g, ' ');
}

function spanOf(ranges: Range[]): Range {
  const start = ranges.reduce((a, r) => (r.start.offset < a.start.offset ? r : a)).start;
  const end = ranges.reduce((a, r) => (r.end.offset > a.end.offset ? r : a)).end;
  return { start, end };
}
