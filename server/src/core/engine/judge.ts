/**
 * Findings about segments and partitions worded from measured counts: the
 * embedded engine and the SQL engines measure, these functions judge, so a
 * finding reads the same whichever engine measured it.
 */
import type { Finding, Severity } from '../diagnostics/types.js';
import { prop } from '../syntax/ast.js';
import type { Expr, NameExpr, Range } from '../syntax/ast.js';
import type { NameResolution, PartitionSymbol, SegmentSymbol } from '../semantics/model.js';
import { engineSeverity } from './codes.js';
import { chainOperands } from './explain.js';
import { formatCount, formatPercent, plural } from './format.js';
import { exprKey } from './normalize.js';

export function engineFinding(
  code: string,
  file: string,
  range: Range,
  message: string,
  severity?: Severity,
  data?: Record<string, unknown>,
): Finding {
  const f: Finding = { code, severity: severity ?? engineSeverity(code), message, file, range };
  if (data) f.data = data;
  return f;
}

/**
 * Why an expectation cannot compare a segment with another one (SEG214), or
 * undefined when it can: the other is unknown, draws from another dataset or
 * is a draft.
 */
export function comparisonProblem(
  name: string,
  other: { dataset: string | undefined; draft: boolean } | undefined,
  dataset: string | undefined,
): string | undefined {
  if (!other) return `${name} has no results`;
  if (other.dataset !== dataset) return `${name} draws from another dataset`;
  if (other.draft) return `${name} is a draft`;
  return undefined;
}

/** SEG200 for a segment without members in a dataset that has rows; undefined otherwise. */
export function emptySegmentFinding(sym: SegmentSymbol, size: number, rows: number, unknown: number): Finding | undefined {
  if (size !== 0 || rows === 0) return undefined;
  const whereProp = prop(sym.decl, 'where');
  const unknownText = unknown ? `; ${formatCount(unknown)} unknown because of missing values` : '';
  return engineFinding(
    'SEG200',
    sym.file,
    sym.nameRange,
    `${sym.name} has no members in ${sym.dataset} (0 of ${formatCount(rows)} rows${unknownText})`,
    undefined,
    whereProp ? { whereRange: whereProp.range } : undefined,
  );
}

/** The top-level operands of a rule's `and`/`or` chain (none when the rule is a single clause). */
export function topLevelClauses(where: Expr): Expr[] {
  let root = where;
  while (root.type === 'Paren') root = root.expr;
  return root.type === 'Logical' ? chainOperands(root, root.op) : [];
}

export interface ClauseCount {
  clause: Expr;
  /** Rows where the clause is true. */
  holds: number;
  /** Rows where it is unknown because of missing values. */
  unknown: number;
}

/** A clause as the author wrote it (whitespace collapsed), else its canonical text. */
export function clauseText(clause: Expr, source: string | undefined, resolve: (name: NameExpr) => NameResolution): string {
  return source ? source.slice(clause.range.start.offset, clause.range.end.offset).replace(/\s+/g, ' ') : exprKey(clause, resolve);
}

/** SEG210/SEG211: clauses that never or always hold. `text` renders a clause as the author wrote it. */
export function clauseFindings(sym: SegmentSymbol, counts: readonly ClauseCount[], rows: number, text: (clause: Expr) => string): Finding[] {
  if (rows === 0) return [];
  const out: Finding[] = [];
  for (const { clause, holds, unknown } of counts) {
    const unknownText = unknown ? `; unknown for ${formatCount(unknown)} because of missing values` : '';
    if (holds === 0) {
      out.push(engineFinding('SEG210', sym.file, clause.range, `clause \`${text(clause)}\` never holds on ${sym.dataset} (0 of ${formatCount(rows)} rows${unknownText})`));
    } else if (holds === rows) {
      out.push(engineFinding('SEG211', sym.file, clause.range, `clause \`${text(clause)}\` holds for every row of ${sym.dataset} (${formatCount(rows)} of ${formatCount(rows)})`));
    }
  }
  return out;
}

export interface PartitionCounts {
  /** Pairs of member segments that share rows (only pairs with a count above zero). */
  overlaps: Array<{ a: string; b: string; count: number; exampleKeys: string[] }>;
  uncovered: { count: number; exampleKeys: string[] };
}

/**
 * Why a partition cannot be judged (a member without results: a draft, a rule
 * with an error, no data; members of several datasets), or undefined when it
 * can. Its result is then unavailable, never "holds".
 */
export function partitionProblem(
  part: PartitionSymbol,
  member: (name: string) => { dataset: string | undefined; status: string; reason?: string } | undefined,
): string | undefined {
  if (part.members.length === 0) return 'it has no segments';
  let dataset: string | undefined;
  for (const { name } of part.members) {
    const r = member(name);
    if (!r) return `\`${name}\` has no results`;
    if (r.status === 'draft') return `\`${name}\` is a draft`;
    if (r.status === 'unavailable') return `\`${name}\` is unavailable: ${r.reason ?? 'it has no results'}`;
    if (dataset !== undefined && r.dataset !== dataset) return 'its segments draw from different datasets';
    dataset = r.dataset;
  }
  return undefined;
}

/** Whether the declared properties hold, and SEG212/SEG213 when they do not. */
export function judgePartition(part: PartitionSymbol, counts: PartitionCounts, rows: number): { passed: boolean; findings: Finding[] } {
  const findings: Finding[] = [];
  const passed = (!part.exclusive || counts.overlaps.length === 0) && (!part.exhaustive || counts.uncovered.count === 0);
  if (part.exclusive && counts.overlaps.length > 0) {
    const range = prop(part.decl, 'exclusive')?.range ?? part.nameRange;
    const pairs = counts.overlaps
      .map((o) => `${o.a} and ${o.b} share ${plural(o.count, 'row')}${o.exampleKeys.length ? ` (e.g. ${o.exampleKeys.join(', ')})` : ''}`)
      .join('; ');
    findings.push(engineFinding('SEG212', part.file, range, `${part.name} is declared exclusive, but ${pairs}`));
  }
  if (part.exhaustive && counts.uncovered.count > 0) {
    const range = prop(part.decl, 'exhaustive')?.range ?? part.nameRange;
    const { count, exampleKeys } = counts.uncovered;
    const examples = exampleKeys.length ? ` (e.g. ${exampleKeys.join(', ')})` : '';
    findings.push(
      engineFinding(
        'SEG213',
        part.file,
        range,
        `${part.name} is declared exhaustive, but ${formatCount(count)} of ${formatCount(rows)} rows (${formatPercent(count / rows)}) are in none of its segments${examples}`,
      ),
    );
  }
  return { passed, findings };
}
