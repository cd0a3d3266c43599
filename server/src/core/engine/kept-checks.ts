/**
 * The checks of a segment whose members did not change (its expectations,
 * emptiness and clause findings), kept from the run before with the members:
 * an edit elsewhere re-judges none of them. They are keyed by the text of the
 * declaration and what its expectations compare with, and moved to where the
 * declaration is now.
 */
import type { Finding } from '../diagnostics/types.js';
import type { Expr, Position, Range, SegmentDecl } from '../syntax/ast.js';
import { props } from '../syntax/ast.js';
import { walkExpr } from '../syntax/walk.js';
import { unreachable } from '../util/unreachable.js';
import type { ExpectationResult } from './expectations.js';

export interface KeptChecks {
  key: string;
  /** Where the declaration started when they were made. */
  origin: Position;
  expectations: ExpectationResult[];
  /** Findings of the expectations (they come before those of the examples). */
  expectationFindings: Finding[];
  /** Emptiness and clause findings (after those of the examples). */
  laterFindings: Finding[];
}

/** Names an expectation reads besides the segment's own members: segments compared with, names in `share(...)` and aggregates. */
export function expectationNames(decl: SegmentDecl): string[] {
  const names = new Set<string>();
  const addNames = (expr: Expr) =>
    walkExpr(expr, (node) => {
      if (node.type === 'Name') names.add(node.name);
    });
  for (const p of props(decl, 'expect')) {
    const exp = p.value;
    if (!exp) continue;
    switch (exp.type) {
      case 'ExpectShare':
        addNames(exp.expr);
        break;
      case 'ExpectAggregate':
        addNames(exp.arg);
        break;
      case 'ExpectDisjoint':
      case 'ExpectOverlap':
      case 'ExpectSubset':
        if (exp.segment) names.add(exp.segment.name);
        break;
      case 'ExpectSize':
        break;
      default:
        return unreachable(exp);
    }
  }
  return [...names].sort();
}

/** The kept checks with every position moved from where the declaration was to `to`. */
export function movedChecks(kept: KeptChecks, to: Position): Pick<KeptChecks, 'expectations' | 'expectationFindings' | 'laterFindings'> {
  const from = kept.origin;
  if (from.offset === to.offset && from.line === to.line && from.character === to.character) return kept;
  const move = (p: Position): Position => ({
    line: p.line + to.line - from.line,
    character: p.line === from.line ? p.character + to.character - from.character : p.character,
    offset: p.offset + to.offset - from.offset,
  });
  const range = (r: Range): Range => ({ start: move(r.start), end: move(r.end) });
  const finding = (f: Finding): Finding => {
    const moved: Finding = { ...f, range: range(f.range) };
    if (f.data) moved.data = Object.fromEntries(Object.entries(f.data).map(([k, v]) => [k, isRange(v) ? range(v) : v]));
    return moved;
  };
  return {
    expectations: kept.expectations.map((e) => ({ ...e, range: range(e.range) })),
    expectationFindings: kept.expectationFindings.map(finding),
    laterFindings: kept.laterFindings.map(finding),
  };
}

function isRange(value: unknown): value is Range {
  return typeof value === 'object' && value !== null && 'start' in value && 'end' in value && isPosition((value as Range).start);
}

function isPosition(value: unknown): value is Position {
  return typeof value === 'object' && value !== null && 'offset' in value && 'line' in value && 'character' in value;
}
