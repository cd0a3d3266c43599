/**
 * What related datasets (SPEC §11) contribute to discovery (SPEC §13): the
 * common aggregates and lookups of each dataset that belongs to the one
 * searched, as columns of its rows. Discovery then writes clauses over them
 * as over any field (`count(plays) == 0`, `sum(plays.ms_played) >= 20000000`,
 * `exists(plays where genre == "jazz")`, `max(plays.at) within last 7 days`,
 * `survey.attitude in ["explorer", "curator"]`).
 *
 * The columns are the engine's own (engine/related-expressions.ts, through
 * its cache): the numbers discovery reports are the engine's count of the
 * printed rule by construction, and checking that rule afterwards computes
 * nothing twice.
 */
import type { Column, Table } from '../data/table.js';
import { relatedColumnsOf } from '../engine/related-expressions.js';
import type { RelatedCache } from '../engine/related.js';
import type { WorkspaceModel } from '../semantics/model.js';
import { parse, prop, type AggregateExpr, type Expr, type RelatedFieldExpr, type SegmentDecl } from '../syntax/index.js';
import { unreachable } from '../util/unreachable.js';
import { stringLiteral, usableFieldName } from './clauses.js';

/** A column of the searched dataset's rows that is an expression over a related dataset. */
export interface DerivedColumn {
  /** The expression as a rule writes it: `count(plays)`, `survey.nps`. */
  text: string;
  /** An identifier-like name for the rules that use it: `plays_count`, `survey_nps`. */
  label: string;
  column: Column;
}

export interface RelatedClauseInput {
  cache: RelatedCache;
  model: WorkspaceModel;
  tableOf(dataset: string): Table | undefined;
  /** The dataset searched. */
  dataset: string;
  /** Its reference date, days since the epoch. */
  today: number;
  /**
   * Related datasets the target itself reads (see `relatedUses`): a clause
   * over one of them would mostly restate which parents have rows there.
   */
  exclude: ReadonlySet<string>;
}

/** Values of an enum field for which `exists(R where f == v)` is proposed, the most common first. */
const VALUES_PER_FIELD = 5;
/** A text field with more distinct values than this is a name or an id: no `exists(… == v)` for it. */
const MAX_DISTINCT = 50;
/** The window of the activity count `count(R where at within last N days)`. */
const ACTIVITY_DAYS = 30;

interface Proposal {
  text: string;
  label: string;
  /** The related dataset. */
  dataset: string;
}

/** Aggregates and lookups over every dataset that belongs to `input.dataset`, with their columns. */
export function relatedDerivedColumns(input: RelatedClauseInput): DerivedColumn[] {
  const proposals: Proposal[] = [];
  for (const sym of input.model.datasets.values()) {
    const link = sym.link;
    if (link?.parent !== input.dataset || !usableFieldName(sym.name)) continue;
    const table = input.tableOf(sym.name);
    if (!table) continue;
    const fields = table.columns.filter((c) => c.name !== link.by && usableFieldName(c.name) && !input.model.segments.has(c.name));
    const found = link.oneToOne ? lookups(sym.name, fields) : aggregates(sym.name, fields, table);
    if (!input.exclude.has(sym.name)) proposals.push(...found);
  }
  const parsed = proposals.flatMap((p) => {
    const expr = relatedExpr(p.text);
    return expr ? [{ p, expr }] : [];
  });
  const columns = relatedColumnsOf(input.cache, input.model, input.tableOf, input.dataset, input.today, parsed.map((x) => x.expr));
  const out: DerivedColumn[] = [];
  parsed.forEach(({ p }, i) => {
    const column = columns[i];
    // A column the engine cannot stand behind (a one-to-one link that names a parent twice) gives no clause.
    if (typeof column !== 'string') out.push({ text: p.text, label: p.label, column });
  });
  return out;
}

/** One-to-one: whether the parent has a related row, and each field read directly. */
function lookups(dataset: string, fields: readonly Column[]): Proposal[] {
  return [
    { text: `exists(${dataset})`, label: `${dataset}_answered`, dataset },
    ...fields.map((c) => ({ text: `${dataset}.${c.name}`, label: `${dataset}_${c.name}`, dataset })),
  ];
}

/** Many per parent: how many, how much, how recent, how varied, and which common kinds of rows exist. */
function aggregates(dataset: string, fields: readonly Column[], table: Table): Proposal[] {
  const out: Proposal[] = [{ text: `count(${dataset})`, label: `${dataset}_count`, dataset }];
  const firstTime = fields.find((c) => c.kind === 'numeric' && (c.type === 'date' || c.type === 'datetime'));
  if (firstTime) {
    out.push({ text: `count(${dataset} where ${firstTime.name} within last ${ACTIVITY_DAYS} days)`, label: `${dataset}_${ACTIVITY_DAYS}d_count`, dataset });
  }
  for (const c of fields) {
    const of = `${dataset}.${c.name}`;
    switch (c.kind) {
      case 'numeric':
        if (c.type === 'date' || c.type === 'datetime') out.push({ text: `max(${of})`, label: `latest_${dataset}_${c.name}`, dataset });
        else for (const fn of ['sum', 'mean', 'max'] as const) out.push({ text: `${fn}(${of})`, label: `${dataset}_${c.name}_${fn}`, dataset });
        break;
      case 'dictionary': {
        if (c.type === 'semver') break;
        const common = commonValues(c.codes, table.rowCount);
        out.push({ text: `count(distinct ${of})`, label: `${dataset}_${c.name}_distinct`, dataset });
        if (common.length > MAX_DISTINCT) break;
        for (const code of common.slice(0, VALUES_PER_FIELD)) {
          const value = c.dictionary[code];
          out.push({ text: `exists(${dataset} where ${c.name} == ${stringLiteral(value)})`, label: `${dataset}_${c.name}_${value}`, dataset });
        }
        break;
      }
      case 'boolean':
        out.push({ text: `exists(${dataset} where ${c.name})`, label: `${dataset}_${c.name}`, dataset });
        break;
      case 'stringList':
      case 'integerList':
        break;
      default:
        return unreachable(c);
    }
  }
  return out;
}

/** Codes present, the most frequent first. */
function commonValues(codes: Int32Array, rows: number): number[] {
  const counts = new Map<number, number>();
  for (let r = 0; r < rows; r++) if (codes[r] >= 0) counts.set(codes[r], (counts.get(codes[r]) ?? 0) + 1);
  return [...counts].sort((a, b) => b[1] - a[1] || a[0] - b[0]).map(([code]) => code);
}

/** The AST of an aggregate or lookup written by this module (undefined should a value make it unreadable). */
function relatedExpr(text: string): AggregateExpr | RelatedFieldExpr | undefined {
  const file = parse(`segment s {\n  where ${text}\n}`);
  const decl = file.declarations.find((d): d is SegmentDecl => d.type === 'Segment');
  const where: Expr | undefined = decl ? prop(decl, 'where')?.value : undefined;
  if (file.errors.length > 0 || !where || (where.type !== 'Aggregate' && where.type !== 'RelatedField')) return undefined;
  return where;
}
