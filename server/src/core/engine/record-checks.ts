/**
 * Examples and persona profiles (SPEC §4.2–4.3): records written in the spec,
 * evaluated clause by clause with the reference interpreter. The data only
 * enters through dataset-wide aggregates (`p90(ltv_usd)`), which the caller
 * supplies, so the embedded engine and the SQL engines share this code.
 */
import type { Finding } from '../diagnostics/types.js';
import type { CallExpr, NameExpr, Range, RecordLiteral } from '../syntax/ast.js';
import { prop, props } from '../syntax/ast.js';
import { walkExpr } from '../syntax/walk.js';
import { isAggregateName } from './aggregates.js';
import type { NameResolution, SegmentSymbol, WorkspaceModel } from '../semantics/model.js';
import { describeClause, explain, failingClauses, renderExplanation, type ExplanationNode } from './explain.js';
import { segmentRules } from './explain-sources.js';
import { engineFinding } from './judge.js';
import { recordFromLiteral, type EvalRecord } from './records.js';
import { evalPredicate, type EvalEnv } from './reference.js';
import { evalRelated } from './reference-related.js';
import type { Truth, Value } from './values.js';

export interface ExampleResult {
  member: boolean;
  range: Range;
  result: Truth;
  passed: boolean;
  explanation: ExplanationNode;
}

export interface PersonaResult {
  name: string;
  segment: string | undefined;
  /** Whether the profile is a member (undefined: no profile or no rule to check). */
  member: boolean | undefined;
  explanation?: ExplanationNode;
}

/** What evaluating a record needs to know about its dataset. */
export interface RecordScope {
  /** The reference date, days since the epoch. */
  today: number;
  resolve(name: NameExpr): NameResolution;
  /** A dataset-wide aggregate; null when there is no data. */
  aggregate(call: CallExpr): Value;
  /** Whether the dataset's data was read (false: a missing or unreadable file). */
  loaded: boolean;
}

export class RecordChecker {
  constructor(
    private readonly model: WorkspaceModel,
    /** The scope of a dataset (undefined: a segment without a dataset). */
    private readonly scopeOf: (dataset: string | undefined) => RecordScope,
    /** Segments whose rule has an error or uses one (see rule-errors.ts): their records are not judged. */
    private readonly broken: ReadonlyMap<string, string> = new Map(),
  ) {}

  /** `example member` / `example nonmember` of a segment: results and SEG207/SEG208. */
  examples(sym: SegmentSymbol): { results: ExampleResult[]; findings: Finding[] } {
    const results: ExampleResult[] = [];
    const findings: Finding[] = [];
    for (const p of props(sym.decl, 'example')) {
      if (!p.value) continue;
      const tree = this.explainRecord(sym, p.value);
      if (!tree) continue;
      const passed = p.member ? tree.result === true : tree.result !== true;
      results.push({ member: p.member, range: p.range, result: tree.result, passed, explanation: tree });
      if (passed) continue;
      const data = { explanation: renderExplanation(tree) };
      if (p.member) {
        const why = failingClauses(tree).map(describeClause).join('; ');
        findings.push(engineFinding('SEG207', sym.file, p.range, `example member is not a member of ${sym.name}: ${why}`, undefined, data));
      } else {
        findings.push(engineFinding('SEG208', sym.file, p.range, `example nonmember is a member of ${sym.name}: every clause of its rule holds`, undefined, data));
      }
    }
    return { results, findings };
  }

  /** Every persona's profile against its segment's rule: results and SEG209. */
  personas(): { results: Map<string, PersonaResult>; findings: Finding[] } {
    const results = new Map<string, PersonaResult>();
    const findings: Finding[] = [];
    for (const persona of this.model.personas.values()) {
      const profile = prop(persona.decl, 'profile');
      const seg = persona.segment ? this.model.segments.get(persona.segment) : undefined;
      const result: PersonaResult = { name: persona.name, segment: persona.segment, member: undefined };
      results.set(persona.name, result);
      if (!profile?.value || !seg?.where || this.model.cyclic.has(seg.name)) continue;
      const tree = this.explainRecord(seg, profile.value);
      if (!tree) continue;
      result.member = tree.result === true;
      result.explanation = tree;
      if (result.member) continue;
      const why = failingClauses(tree).map(describeClause).join('; ');
      findings.push(
        engineFinding('SEG209', persona.file, profile.range, `the profile of ${persona.name} is not a member of ${seg.name}: ${why}`, undefined, {
          explanation: renderExplanation(tree),
          segment: seg.name,
        }),
      );
    }
    return { results, findings };
  }

  private explainRecord(sym: SegmentSymbol, literal: RecordLiteral): ExplanationNode | undefined {
    // A rule with an error (or one it uses) cannot say whether a record is a member: neither yes nor no.
    if (!sym.where || this.broken.has(sym.name)) return undefined;
    const scope = this.scopeOf(sym.dataset);
    // Without the data, a rule on inferred fields or aggregates cannot be judged:
    // the data file's own error is the only finding.
    if (!scope.loaded && this.needsData(sym, scope, new Set())) return undefined;
    const fieldTypes = sym.dataset ? this.model.fieldTypes.get(sym.dataset) : undefined;
    const record = recordFromLiteral(literal, fieldTypes, scope.today);
    const related = this.relatedRows(literal, sym.dataset, scope);
    const env = this.recordEnv(record, scope, new Set([sym.name]), related);
    return explain(sym.where, env, this.model.files.get(sym.file)?.text, { rules: segmentRules(this.model) });
  }

  /** Whether a rule (or a segment it uses) names a field of unknown type (not declared, not read), or a dataset-wide aggregate. */
  private needsData(sym: SegmentSymbol, scope: RecordScope, visiting: Set<string>): boolean {
    if (!sym.where || visiting.has(sym.name)) return false;
    visiting.add(sym.name);
    const declared = sym.dataset ? this.model.fieldTypes.get(sym.dataset) : undefined;
    let needed = false;
    walkExpr(sym.where, (node) => {
      if (needed) return;
      if (node.type === 'Call' && isAggregateName(node.callee.name)) needed = true;
      if (node.type !== 'Name') return;
      const target = scope.resolve(node);
      if (target.kind === 'segment') {
        const other = this.model.segments.get(target.name);
        needed = other !== undefined && this.needsData(other, this.scopeOf(other.dataset), visiting);
      } else {
        const info = declared?.get(node.name);
        needed = info === undefined;
      }
    });
    return needed;
  }

  /**
   * The related rows nested in a record (`plays: [{ … }]`, `survey: { … }`),
   * each as an environment reading that row; a related dataset left out has
   * no rows (SPEC §11). Relative dates in their filters use `scope`'s date.
   */
  private relatedRows(literal: RecordLiteral, dataset: string | undefined, scope: RecordScope): Map<string, EvalEnv[]> {
    const rows = new Map<string, EvalEnv[]>();
    for (const entry of literal.entries) {
      const related = this.model.datasets.get(entry.key.name);
      if (!dataset || related?.link?.parent !== dataset) continue;
      const literals = entry.value.type === 'RelatedRows' ? entry.value.rows : [];
      const types = this.model.fieldTypes.get(related.name);
      const own = this.scopeOf(related.name);
      const rowScope: RecordScope = { ...own, today: scope.today };
      rows.set(
        related.name,
        literals.map((row) => this.recordEnv(recordFromLiteral(row, types, scope.today), rowScope, new Set(), new Map())),
      );
    }
    return rows;
  }

  /** Other segments named in a rule are evaluated on the same record. */
  private recordEnv(record: EvalRecord, scope: RecordScope, visiting: Set<string>, related: ReadonlyMap<string, EvalEnv[]>): EvalEnv {
    return {
      today: scope.today,
      resolve: scope.resolve,
      field: (name) => record.get(name) ?? null,
      segment: (name) => {
        const other = this.model.segments.get(name);
        if (!other?.where || visiting.has(name)) return false;
        const inner = new Set(visiting).add(name);
        return evalPredicate(other.where, this.recordEnv(record, scope, inner, related)) === true;
      },
      aggregate: scope.aggregate,
      related: (expr) => evalRelated(expr, related.get(expr.dataset.name) ?? []),
    };
  }
}
