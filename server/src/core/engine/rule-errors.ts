/**
 * A segment whose rule has an error (a syntax error, an unknown name, a type
 * error: already reported by the static checks) is not evaluated: a count of
 * a half-parsed or unresolved rule is a wrong number, not a smaller one. A
 * segment that uses such a segment, directly or through others, is not
 * evaluated either, and neither is a partition over one. The same rule holds
 * for every engine. A contradiction (SEG015) is a valid rule with no members:
 * it is a warning and the segment is evaluated (empty).
 */
import type { Finding } from '../diagnostics/types.js';
import type { SegmentSymbol, WorkspaceModel } from '../semantics/model.js';
import { walkExpr } from '../syntax/walk.js';
import { staticFinding } from '../semantics/finding.js';

export interface RuleProblems {
  /** Segments not to evaluate, with the reason shown for them (their own error or the one they depend on). */
  broken: Map<string, string>;
  /** One SEG031 per reference to a segment with an error (from a rule or a partition). */
  findings: Finding[];
}

/** Whether an error finding lies in a segment's rule (or is a syntax error anywhere in its declaration). */
function errorOfSegment(sym: SegmentSymbol, errors: readonly Finding[]): Finding | undefined {
  const where = sym.where;
  if (!where) return undefined;
  const within = (f: Finding, start: number, end: number) => f.file === sym.file && f.range.start.offset >= start && f.range.start.offset <= end;
  return (
    errors.find((f) => within(f, where.range.start.offset, where.range.end.offset) && f.range.end.offset <= where.range.end.offset) ??
    // A syntax error after `where` may have cut the rule short: what was parsed is not what was written.
    errors.find((f) => f.code === 'SEG001' && within(f, where.range.start.offset, sym.range.end.offset))
  );
}

/** Segments whose own rule has an error (not those that only use one): the editor's lens says "rule has an error". */
export function segmentsWithOwnRuleErrors(model: WorkspaceModel, findings: readonly Finding[]): Set<string> {
  const errors = findings.filter((f) => f.severity === 'error');
  return new Set([...model.segments.values()].filter((sym) => errorOfSegment(sym, errors)).map((sym) => sym.name));
}

/** Segments that cannot be evaluated because of an error in their rule or in a segment they use. */
export function ruleProblems(model: WorkspaceModel, findings: readonly Finding[]): RuleProblems {
  const errors = findings.filter((f) => f.severity === 'error');
  const broken = new Map<string, string>();
  /** The segment with the error behind each broken segment. */
  const rootOf = new Map<string, string>();
  for (const sym of model.segments.values()) {
    const error = errorOfSegment(sym, errors);
    if (!error) continue;
    broken.set(sym.name, `its rule has an error (${error.code}): ${error.message}`);
    rootOf.set(sym.name, sym.name);
  }
  const roots = new Set(rootOf.keys());
  // Dependency order: a segment comes after those it uses, so one pass carries errors through chains.
  for (const name of model.segmentOrder) {
    const sym = model.segments.get(name);
    if (!sym || broken.has(name)) continue;
    const used = sym.uses.find((u) => broken.has(u));
    if (used === undefined) continue;
    const root = rootOf.get(used)!;
    broken.set(name, root === used ? `depends on \`${used}\`, which has an error` : `depends on \`${used}\`, which depends on \`${root}\`, which has an error`);
    rootOf.set(name, root);
  }
  return { broken, findings: referenceFindings(model, roots, broken) };
}

function referenceFindings(model: WorkspaceModel, roots: ReadonlySet<string>, broken: ReadonlyMap<string, string>): Finding[] {
  const out: Finding[] = [];
  for (const sym of model.segments.values()) {
    if (!sym.where || roots.has(sym.name)) continue;
    walkExpr(sym.where, (node) => {
      if (node.type !== 'Name') return;
      const target = model.names.get(node);
      if (target?.kind !== 'segment' || !roots.has(target.name)) return;
      const message = `${sym.name} depends on \`${target.name}\`, which has an error: ${sym.name} has no size or checks until it is fixed`;
      out.push(staticFinding('SEG031', sym.file, node.range, message));
    });
  }
  for (const part of model.partitions.values()) {
    for (const member of part.members) {
      const reason = broken.get(member.name);
      if (reason === undefined) continue;
      const why = roots.has(member.name) ? 'has an error' : reason;
      out.push(staticFinding('SEG031', part.file, member.range, `partition ${part.name} cannot be checked: \`${member.name}\` ${why}`));
    }
  }
  return out;
}
