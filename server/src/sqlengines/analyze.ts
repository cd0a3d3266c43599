/**
 * The checks of SPEC §6.2–6.4 on a SQL engine: every number the embedded
 * engine takes from bitsets (sizes, unknowns, clause counts, expectation
 * counts and aggregates, partition overlaps, coverage, dataset-wide
 * aggregates for examples and personas) is measured here with SQL, then the
 * engine's own judges word the findings. Same rules, same messages; only the
 * place where the rows are counted differs.
 */
import type { ColumnType } from '../core/data/table.js';
import type { CallExpr, Expr, NameExpr } from '../core/syntax/ast.js';
import { prop, props } from '../core/syntax/ast.js';
import { walkExpr } from '../core/syntax/walk.js';
import type { NameResolution, SegmentSymbol, WorkspaceModel } from '../core/semantics/model.js';
import { compileWhere } from '../core/sql/compile.js';
import type { SqlContext, StoredKind } from '../core/sql/context.js';
import { dialectRules, quoteTableName } from '../core/sql/dialect.js';
import { sqlContextFor } from '../core/sql/from-model.js';
import { PARENT_ALIAS, RelatedJoins, fromClause, parentColumns } from '../core/sql/related.js';
import { ambiguousLookup, referenceDate, resultWithoutMembers, unavailableDependency, type DataAnalysis, type DatasetResult, type PartitionResult, type SegmentResult } from '../core/engine/index.js';
import { checkExpectation, type MemberFacts, type OtherSegmentFacts, type Relation } from '../core/engine/expectations.js';
import { clauseFindings, clauseText, comparisonProblem, emptySegmentFinding, engineFinding, judgePartition, partitionProblem, topLevelClauses } from '../core/engine/judge.js';
import { RecordChecker, type RecordScope } from '../core/engine/record-checks.js';
import { isAggregateName } from '../core/engine/aggregates.js';
import { exprKey } from '../core/engine/normalize.js';
import { isoFromDays } from '../core/engine/dates.js';
import type { OverlapStat } from '../core/engine/stats.js';
import { COVERAGE_EXAMPLES, share } from '../core/engine/stats.js';
import type { Value } from '../core/engine/values.js';
import { countPredicates, type QueryingRunner } from './measure.js';
import { countPairOverlaps } from './pair-overlaps.js';
import { valueFromSql } from './sql-values.js';

export type AnalyzingRunner = QueryingRunner;

export interface SqlAnalysisOptions {
  /** The engine's table for each dataset; datasets without one have no results. */
  tables: ReadonlyMap<string, string>;
  /** Reference date for datasets without `as of`. */
  asOf?: string;
  /** Segments not to run, with the reason (rules with errors: `Analysis.brokenRules`). */
  brokenRules?: ReadonlyMap<string, string>;
  /**
   * An expression giving a table's row order (DuckDB's `rowid` for a table
   * loaded from a file), so example keys are the first rows as in the
   * embedded engine; without one, the smallest keys.
   */
  rowOrder?(table: string): string | undefined;
  /** Member keys kept per segment for previews (default 0: none). */
  sampleSize?: number;
  /** Also count every pair of segments (the overlap matrix of `stats` and the preview). */
  overlaps?: boolean;
  /**
   * Answers kept between analyses of the same tables (the editor's): a
   * statement already run on a table is not run again, so an edit costs only
   * the counts of the rules it changed. Keyed by table and SQL text.
   */
  cache?: SqlResultCache;
}

/** Statement results by table and SQL text; the owner drops it when a table changes. */
export type SqlResultCache = Map<string, unknown>;

const CACHE_LIMIT = 50_000;

export interface SqlAnalysis extends DataAnalysis {
  /** Segments the engine could not compile or run, with the engine's reason. */
  errors: Array<{ segment: string; message: string }>;
}

const EXAMPLES = 3;

/** Counts to measure in one scan, by a caller's key. */
class CountBatch {
  /** The predicate of each count, by key; one predicate may serve several keys. */
  private readonly wheres = new Map<string, string>();
  private results = new Map<string, number>();

  add(key: string, where: string): void {
    if (!this.wheres.has(key)) this.wheres.set(key, where);
  }

  /** `from`: the table, or the table with the joins of related datasets. */
  async run(runner: QueryingRunner, from: string, cache: SqlResultCache | undefined): Promise<void> {
    const cacheKey = (where: string): string => `count\u0000${from}\u0000${where}`;
    const missing = [...new Set(this.wheres.values())].filter((w) => !cache?.has(cacheKey(w)));
    const counts = await countPredicates(runner, missing, from);
    const measured = new Map(missing.map((w, i) => [w, counts[i]]));
    if (cache) for (const [w, n] of measured) remember(cache, cacheKey(w), n);
    this.results = new Map([...this.wheres].map(([k, w]) => [k, measured.get(w) ?? (cache?.get(cacheKey(w)) as number)]));
  }

  get(key: string): number {
    const n = this.results.get(key);
    if (n === undefined) throw new Error(`internal: count '${key}' was not measured`);
    return n;
  }
}

interface CompiledSegment {
  sym: SegmentSymbol;
  /** The rule's predicate (three-valued). */
  where: string;
  /** Membership as a two-valued predicate. */
  member: string;
}

export async function analyzeOnSql(runner: AnalyzingRunner, model: WorkspaceModel, options: SqlAnalysisOptions): Promise<SqlAnalysis> {
  const analysis: SqlAnalysis = {
    segments: new Map(),
    datasets: new Map(),
    overlaps: [],
    partitions: [],
    personas: new Map(),
    findings: [],
    errors: [],
  };
  const aggregatesByDataset = new Map<string, Map<string, Value>>();
  const order = [...model.segmentOrder, ...[...model.segments.keys()].filter((n) => !model.segmentOrder.includes(n))];
  for (const [dataset, table] of options.tables) {
    if (!model.datasets.has(dataset)) continue;
    const run = new DatasetRun(runner, model, dataset, table, options, analysis);
    await run.execute(order.filter((n) => model.segments.get(n)?.dataset === dataset));
    aggregatesByDataset.set(dataset, run.datasetAggregates);
  }
  // Segments without a measured dataset: drafts keep their examples, the rest are unavailable.
  const records = new RecordChecker(model, (dataset) => recordScope(model, dataset, options, aggregatesByDataset.get(dataset ?? '')), options.brokenRules);
  for (const name of order) {
    const sym = model.segments.get(name);
    if (!sym || analysis.segments.has(name)) continue;
    const result = unmeasured(sym, sym.where ? 'unavailable' : 'draft', sym.dataset ? `no data on the engine for ${sym.dataset}` : 'no dataset');
    if (sym.where && model.cyclic.has(name)) result.reason = 'it is part of a reference cycle';
    if (sym.dataset && model.datasets.has(sym.dataset) && !model.cyclic.has(name)) {
      const { results, findings } = records.examples(sym);
      result.examples = results;
      analysis.findings.push(...findings);
    }
    analysis.segments.set(name, result);
  }
  // A partition not judged on a dataset above has a member without results: unavailable, with the reason.
  for (const part of model.partitions.values()) {
    if (analysis.partitions.some((p) => p.name === part.name)) continue;
    const reason = partitionProblem(part, (name) => analysis.segments.get(name)) ?? 'its segments were not measured on the engine';
    const uncovered = { count: 0, exampleKeys: [] };
    analysis.partitions.push({ name: part.name, exclusive: part.exclusive, exhaustive: part.exhaustive, overlaps: [], uncovered, passed: undefined, reason });
  }
  const personas = records.personas();
  analysis.personas = personas.results;
  analysis.findings.push(...personas.findings);
  return analysis;
}

function resolverFor(model: WorkspaceModel, dataset: string | undefined): (name: NameExpr) => NameResolution {
  const fields = dataset ? model.fieldTypes.get(dataset) : undefined;
  return (name) => {
    const known = model.names.get(name);
    if (known) return known;
    if (fields?.has(name.name)) return { kind: 'field', dataset: dataset ?? '', name: name.name };
    if (model.segments.has(name.name)) return { kind: 'segment', name: name.name };
    return { kind: 'unknown' };
  };
}

function recordScope(
  model: WorkspaceModel,
  dataset: string | undefined,
  options: SqlAnalysisOptions,
  aggregates: Map<string, Value> | undefined,
): RecordScope {
  const resolve = resolverFor(model, dataset);
  return {
    today: referenceDate(model, dataset, options),
    resolve,
    aggregate: (call) => aggregates?.get(exprKey(call, resolve)) ?? null,
    loaded: dataset !== undefined && options.tables.has(dataset),
  };
}

function unmeasured(sym: SegmentSymbol, status: SegmentResult['status'], reason?: string, rows = 0): SegmentResult {
  return resultWithoutMembers(sym, status, reason, rows);
}

class DatasetRun {
  readonly datasetAggregates = new Map<string, Value>();
  private readonly ctx: SqlContext;
  private readonly resolve: (name: NameExpr) => NameResolution;
  private readonly keyColumn: string | undefined;
  private repeatedLinks = new Map<string, number>();
  private counts = new CountBatch();
  /** Relations whose failure message lists example keys: segment and predicate, by count key. */
  private relationExamples = new Map<string, { segment: string; where: string }>();
  private readonly compiled = new Map<string, CompiledSegment>();
  private readonly memberAggregates = new Map<string, Value>();
  private readonly today: number;
  /** The subqueries of related datasets (SPEC §11) the compiled rules read. */
  private joins: RelatedJoins;
  /** Join subqueries held in temporary tables for this analysis (see `materializeJoins`), by their SQL. */
  private readonly materialized = new Map<string, string>();

  constructor(
    private readonly runner: AnalyzingRunner,
    private readonly model: WorkspaceModel,
    private readonly dataset: string,
    private readonly table: string,
    private readonly options: SqlAnalysisOptions,
    private readonly out: SqlAnalysis,
  ) {
    this.today = referenceDate(model, dataset, options);
    this.joins = new RelatedJoins(dialectRules(runner.dialect));
    this.ctx = {
      ...sqlContextFor(model, dataset, { dialect: runner.dialect, asOf: isoFromDays(this.today), table, tableOf: (d) => options.tables.get(d) }),
      joins: this.joins,
    };
    this.resolve = resolverFor(model, dataset);
    const decl = model.datasets.get(dataset)?.decl;
    this.keyColumn = decl ? prop(decl, 'key')?.value?.name : undefined;
  }

  private sql(expr: Expr, ctx: SqlContext = this.ctx): string {
    return `(${compileWhere(expr, ctx).sql})`;
  }

  /** The FROM of every statement: the table, joined to the related datasets' subqueries the rules compiled so far need. */
  private from(): string {
    const rules = dialectRules(this.runner.dialect);
    const joins = this.joins.joins().map((j) => {
      const held = this.materialized.get(j.subquery);
      return held ? { ...j, subquery: `SELECT * FROM ${rules.ident(held)}` } : j;
    });
    return fromClause(rules, this.table, joins);
  }

  /**
   * On DuckDB and PostgreSQL, each join subquery (every aggregate over a
   * related dataset, grouped by the link) is computed once into a temporary
   * table that the dataset's statements then read, instead of once per
   * statement; dropped when the dataset's checks are done. Named by its SQL,
   * so statement texts (the result cache's keys) are the same from one
   * analysis to the next. When the engine refuses (a rule it cannot run),
   * the statements compute the subqueries themselves, and the failing rule is
   * found as before.
   */
  private async materializeJoins(): Promise<void> {
    const dialect = this.runner.dialect;
    if (dialect !== 'duckdb' && dialect !== 'postgres') return;
    const rules = dialectRules(dialect);
    for (const join of this.joins.joins()) {
      if (this.materialized.has(join.subquery)) continue;
      const name = `segspec_related_${longHash(join.subquery)}`;
      try {
        await this.runner.query(`DROP TABLE IF EXISTS ${rules.ident(name)}`);
        await this.runner.query(`CREATE TEMPORARY TABLE ${rules.ident(name)} AS ${join.subquery}`);
        this.materialized.set(join.subquery, name);
      } catch {
        return;
      }
    }
  }

  private async dropMaterialized(): Promise<void> {
    const rules = dialectRules(this.runner.dialect);
    for (const name of this.materialized.values()) await this.runner.query(`DROP TABLE IF EXISTS ${rules.ident(name)}`).catch(() => undefined);
    this.materialized.clear();
  }

  /** A rule (or condition) with only the joins it needs: a failing aggregate elsewhere does not fail it. */
  private isolated(expr: Expr): { where: string; from: string } {
    const joins = new RelatedJoins(dialectRules(this.runner.dialect));
    const where = this.sql(expr, { ...this.ctx, joins });
    return { where, from: fromClause(dialectRules(this.runner.dialect), this.table, joins.joins()) };
  }

  /** The joins of the rules still measured (after a failing one was dropped), compiled again. */
  private rebuildJoins(): void {
    this.joins = new RelatedJoins(dialectRules(this.runner.dialect));
    this.ctx.joins = this.joins;
    for (const [name, c] of this.compiled) {
      const where = this.sql(c.sym.where!);
      this.compiled.set(name, { ...c, where, member: `COALESCE(${where}, FALSE)` });
    }
  }

  /** A column of the dataset's own, qualified when related datasets are joined. */
  private ownColumn(name: string): string {
    const rules = dialectRules(this.runner.dialect);
    return this.joins.isEmpty ? rules.ident(name) : `${rules.ident(PARENT_ALIAS)}.${rules.ident(name)}`;
  }

  async execute(names: string[]): Promise<void> {
    try {
      await this.measure(names);
    } finally {
      await this.dropMaterialized();
    }
  }

  private async measure(names: string[]): Promise<void> {
    if (this.runner.columnKinds) {
      const kinds = await this.runner.columnKinds(this.table);
      this.ctx.storedAs = (field) => kinds.get(field);
      await this.relatedColumnKinds();
    }
    const records = new RecordChecker(this.model, () => recordScope(this.model, this.dataset, this.options, this.datasetAggregates), this.options.brokenRules);
    this.repeatedLinks = await this.countRepeatedLinks();
    for (const name of names) this.compileSegment(this.model.segments.get(name)!);
    let partitions = this.planCounts();
    try {
      await this.materializeJoins();
      await this.counts.run(this.runner, this.from(), this.options.cache);
    } catch (batchError) {
      // One rule the engine rejects fails the whole scan: find it, report it, measure the rest.
      await this.dropFailingSegments();
      if (this.out.errors.length === 0) throw batchError;
      this.rebuildJoins();
      partitions = this.planCounts();
      await this.materializeJoins();
      await this.counts.run(this.runner, this.from(), this.options.cache);
    }
    const measured = [...this.compiled.values()];
    await this.measureAggregates();
    const rows = this.counts.get('rows');

    for (const name of names) {
      const sym = this.model.segments.get(name)!;
      const c = this.compiled.get(name);
      if (!c) {
        if (!this.out.segments.has(name)) {
          const result = unmeasured(sym, sym.where ? 'unavailable' : 'draft', undefined, rows);
          if (!sym.where) {
            const examples = records.examples(sym);
            result.examples = examples.results;
            this.out.findings.push(...examples.findings);
          }
          this.out.segments.set(name, result);
        }
        continue;
      }
      this.out.segments.set(name, await this.judgeSegment(c, rows, records));
    }
    for (const [part, counts] of partitions) await this.judgePartition(part, counts, rows);
    await this.datasetResult(rows, measured, await this.measureOverlaps(measured));
  }

  /** Plans every count of the dataset in one batch; returns the partitions it can judge. */
  private planCounts(): Array<[string, CompiledSegment[]]> {
    this.counts = new CountBatch();
    this.relationExamples = new Map();
    this.counts.add('rows', '1 = 1');
    for (const c of this.compiled.values()) this.planSegment(c);
    const measured = [...this.compiled.values()];
    const partitions = this.planPartitions();
    if (measured.length > 0) this.counts.add('uncovered', `NOT (${measured.map((c) => c.member).join(' OR ')})`);
    return partitions;
  }

  private async dropFailingSegments(): Promise<void> {
    for (const [name, c] of [...this.compiled]) {
      try {
        const { where, from } = this.isolated(c.sym.where!);
        await countPredicates(this.runner, [where], from);
      } catch (error) {
        const message = (error instanceof Error ? error.message : String(error)).split('\n')[0];
        this.compiled.delete(name);
        const field = await this.failingField(c.sym);
        this.reportUnrunnable(c.sym, field ? `field \`${field}\` (${this.ctx.fieldType(field) ?? 'unknown type'}): ${message}` : message);
      }
    }
  }

  /** The field of the first condition of a rule that the engine rejects on its own (what an engine error is about). */
  private async failingField(sym: SegmentSymbol): Promise<string | undefined> {
    for (const condition of conditionsOf(sym.where!)) {
      const fields = new Set<string>();
      walkExpr(condition, (node) => {
        if (node.type === 'Name' && this.resolve(node).kind === 'field') fields.add(node.name);
      });
      if (fields.size === 0) continue;
      try {
        const { where, from } = this.isolated(condition);
        await countPredicates(this.runner, [where], from);
      } catch {
        return [...fields][0];
      }
    }
    return undefined;
  }

  private reportUnrunnable(sym: SegmentSymbol, message: string): void {
    this.out.errors.push({ segment: sym.name, message });
    this.out.segments.set(sym.name, unmeasured(sym, 'unavailable', `the engine cannot run it: ${message}`));
    this.out.findings.push(engineFinding('SEG215', sym.file, sym.nameRange, `${this.runner.dialect} cannot run ${sym.name}: ${message}`));
  }

  /** One-to-one datasets that this dataset's rules look into and whose link names some parent row more than once (SEG132), with how many such parents. */
  private async countRepeatedLinks(): Promise<Map<string, number>> {
    const out = new Map<string, number>();
    if (!this.keyColumn) return out;
    const rules = dialectRules(this.runner.dialect);
    const looked = new Set<string>();
    for (const sym of this.model.segments.values()) {
      if (sym.dataset !== this.dataset || !sym.where) continue;
      walkExpr(sym.where, (node) => {
        if (node.type === 'RelatedField') looked.add(node.dataset.name);
      });
    }
    for (const related of this.model.relatedOf(this.dataset)) {
      const table = this.options.tables.get(related.name);
      if (!related.link?.oneToOne || !table || !looked.has(related.name)) continue;
      const by = rules.ident(related.link.by);
      const [row] = await this.query(
        `SELECT COUNT(*) AS n FROM (SELECT ${by} FROM ${quoteTableName(rules, table)} WHERE ${by} IN (SELECT ${rules.ident(this.keyColumn)} FROM ${quoteTableName(rules, this.table)}) GROUP BY ${by} HAVING COUNT(*) > 1) repeated`,
      );
      const parents = Number(row?.n ?? 0);
      if (parents > 0) out.set(related.name, parents);
    }
    return out;
  }

  /** Why a rule has no value to stand behind because of a lookup through such a link, in the embedded engine's words. */
  private ambiguousLookupIn(name: string, seen = new Set<string>()): string | undefined {
    const sym = this.model.segments.get(name);
    if (!sym?.where || seen.has(name)) return undefined;
    seen.add(name);
    for (const use of sym.uses) {
      const problem = this.ambiguousLookupIn(use, seen);
      if (problem) return unavailableDependency(use, problem);
    }
    let found: string | undefined;
    walkExpr(sym.where, (node) => {
      if (found || node.type !== 'RelatedField') return;
      const parents = this.repeatedLinks.get(node.dataset.name);
      if (parents !== undefined) found = ambiguousLookup(node.dataset.name, node.field.name, this.dataset, parents);
    });
    return found;
  }

  private compileSegment(sym: SegmentSymbol): void {
    if (!sym.where || this.model.cyclic.has(sym.name)) return;
    const broken = this.options.brokenRules?.get(sym.name) ?? (this.repeatedLinks.size > 0 ? this.ambiguousLookupIn(sym.name) : undefined);
    if (broken) {
      this.out.segments.set(sym.name, unmeasured(sym, 'unavailable', broken));
      return;
    }
    try {
      const where = this.sql(sym.where);
      this.compiled.set(sym.name, { sym, where, member: `COALESCE(${where}, FALSE)` });
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      this.reportUnrunnable(sym, message);
    }
  }

  private planSegment({ sym, where, member }: CompiledSegment): void {
    const n = sym.name;
    this.counts.add(`size:${n}`, where);
    this.counts.add(`unknown:${n}`, `${where} IS NULL`);
    topLevelClauses(sym.where!).forEach((clause, k) => {
      const sql = this.sql(clause);
      this.counts.add(`clause:${n}:${k}`, sql);
      this.counts.add(`clause-unknown:${n}:${k}`, `${sql} IS NULL`);
    });
    for (const p of props(sym.decl, 'expect')) {
      const exp = p.value;
      if (!exp) continue;
      if (exp.type === 'ExpectShare') this.counts.add(`share:${n}:${this.key(exp.expr)}`, `${member} AND ${this.sql(exp.expr)}`);
      if (exp.type === 'ExpectDisjoint' || exp.type === 'ExpectSubset' || exp.type === 'ExpectOverlap') {
        const other = exp.segment ? this.compiled.get(exp.segment.name) : undefined;
        if (!other) continue;
        // Subset counts the members outside the other; disjoint and overlap those in both.
        const kind = exp.type === 'ExpectSubset' ? 'outside' : 'both';
        const where = kind === 'both' ? `${member} AND ${other.member}` : `${member} AND NOT ${other.member}`;
        const key = relationKey(kind, n, other.sym.name);
        this.counts.add(key, where);
        // Example keys are shown only when disjoint or subset fails.
        if (exp.type !== 'ExpectOverlap') this.relationExamples.set(key, { segment: n, where });
      }
    }
  }

  private planPartitions(): Array<[string, CompiledSegment[]]> {
    const out: Array<[string, CompiledSegment[]]> = [];
    for (const part of this.model.partitions.values()) {
      const members = part.members.map((id) => this.compiled.get(id.name));
      if (members.length === 0 || members.some((m) => !m)) continue;
      const segs = members as CompiledSegment[];
      if (segs[0].sym.dataset !== this.dataset) continue;
      for (let i = 0; i < segs.length; i++) {
        for (let j = i + 1; j < segs.length; j++) this.counts.add(pairKey(segs[i], segs[j]), `${segs[i].member} AND ${segs[j].member}`);
      }
      this.counts.add(`none:${part.name}`, `NOT (${segs.map((s) => s.member).join(' OR ')})`);
      out.push([part.name, segs]);
    }
    return out;
  }

  /** Every pair of segments, each rule evaluated once per row (not once per pair). */
  private async measureOverlaps(segs: CompiledSegment[]): Promise<Map<string, number>> {
    const out = new Map<string, number>();
    if (!this.options.overlaps || segs.length < 2) return out;
    const wheres = segs.map((c) => c.where);
    const cache = this.options.cache;
    const from = this.from();
    const key = `pairs\u0000${from}\u0000${wheres.join('\u0000')}`;
    let counts = cache?.get(key) as number[] | undefined;
    if (!counts) {
      counts = await countPairOverlaps(this.runner, wheres, from);
      if (cache) remember(cache, key, counts);
    }
    let k = 0;
    for (let i = 0; i < segs.length; i++) for (let j = i + 1; j < segs.length; j++) out.set(pairKey(segs[i], segs[j]), counts[k++]);
    return out;
  }

  private key(expr: Expr): string {
    return exprKey(expr, this.resolve);
  }

  /** Dataset-wide aggregates named in rules (for examples and personas) and member aggregates of expectations. */
  private async measureAggregates(): Promise<void> {
    const wanted: Array<{ key: string; sql: string; arg: Expr; into: Map<string, Value> }> = [];
    const seen = new Set<string>();
    for (const sym of this.model.segments.values()) {
      if (sym.dataset !== this.dataset || !sym.where) continue;
      walkExpr(sym.where, (node) => {
        if (node.type !== 'Call' || !isAggregateName(node.callee.name)) return;
        const key = this.key(node);
        if (seen.has(key)) return;
        seen.add(key);
        wanted.push({ key, sql: this.sql(node), arg: node.arg, into: this.datasetAggregates });
      });
    }
    const rules = dialectRules(this.runner.dialect);
    for (const c of this.compiled.values()) {
      for (const p of props(c.sym.decl, 'expect')) {
        if (p.value?.type !== 'ExpectAggregate') continue;
        const call = syntheticCall(p.value.fn.name, p.value.arg);
        const from = `(SELECT ${parentColumns(rules, this.joins.joins())} FROM ${this.from()} WHERE ${c.where}) segspec_members`;
        const sql = this.sql(call, { ...this.ctx, from });
        wanted.push({ key: `${c.sym.name}:${this.key(call)}`, sql, arg: call.arg, into: this.memberAggregates });
      }
    }
    for (const { key, sql, arg, into } of wanted) {
      const [row] = await this.query(`SELECT ${sql} AS v`);
      into.set(key, valueFromSql(row?.v, this.argType(arg)));
    }
  }

  /** A statement's rows, from the cache when this table already answered it. */
  private async query(sql: string): Promise<Array<Record<string, unknown>>> {
    const cache = this.options.cache;
    const key = `rows\u0000${this.table}\u0000${sql}`;
    if (cache?.has(key)) return cache.get(key) as Array<Record<string, unknown>>;
    const rows = await this.runner.query(sql);
    if (cache) remember(cache, key, rows);
    return rows;
  }

  private argType(arg: Expr): ColumnType | undefined {
    return arg.type === 'Name' ? this.ctx.fieldType(arg.name) : undefined;
  }

  private async exampleKeys(where: string, limit = EXAMPLES): Promise<string[]> {
    if (!this.keyColumn) return [];
    const key = this.ownColumn(this.keyColumn);
    const order = this.rowOrder() ?? key;
    const rows = await this.query(`SELECT ${key} AS k FROM ${this.from()} WHERE ${where} ORDER BY ${order} LIMIT ${limit}`);
    return rows.map((r) => keyText(r.k));
  }

  /**
   * Up to `sampleSize` members spread evenly over the table, as the embedded
   * engine's `spreadRows` picks them: the members ranked ⌊j·n/limit⌋ in row
   * order (all of them when there are no more than the limit).
   */
  private async sampleKeys(where: string): Promise<string[]> {
    const limit = this.options.sampleSize ?? 0;
    if (!this.keyColumn || limit === 0) return [];
    const key = this.ownColumn(this.keyColumn);
    const order = this.rowOrder() ?? key;
    if (limit >= Number.MAX_SAFE_INTEGER) {
      const rows = await this.query(`SELECT ${key} AS k FROM ${this.from()} WHERE ${where} ORDER BY ${order}`);
      return rows.map((r) => keyText(r.k));
    }
    // The rank r is picked when j = ⌈r·limit/n⌉ is below the limit and ⌊j·n/limit⌋ = r (exact: the quotients are at least 1/limit from an integer).
    const j = `CEIL(r * ${limit}.0 / n)`;
    const ranked = `SELECT ${key} AS k, ROW_NUMBER() OVER (ORDER BY ${order}) - 1 AS r, COUNT(*) OVER () AS n FROM ${this.from()} WHERE ${where}`;
    const rows = await this.query(`SELECT k FROM (${ranked}) ranked WHERE n <= ${limit} OR (${j} < ${limit} AND FLOOR(${j} * n / ${limit}.0) = r) ORDER BY r LIMIT ${limit}`);
    return rows.map((r) => keyText(r.k));
  }

  /** The table's row order (DuckDB's `rowid`), qualified when related datasets are joined. */
  private rowOrder(): string | undefined {
    const order = this.options.rowOrder?.(this.table);
    if (order === undefined || this.joins.isEmpty) return order;
    return `${dialectRules(this.runner.dialect).ident(PARENT_ALIAS)}.${order}`;
  }

  /** How the related datasets' tables hold their fields, for the filters of aggregates (boolean fields as 0/1 or words). */
  private async relatedColumnKinds(): Promise<void> {
    const columnKinds = this.runner.columnKinds?.bind(this.runner);
    if (!columnKinds) return;
    const related = this.ctx.related;
    const kindsByTable = new Map<string, Map<string, StoredKind>>();
    for (const [dataset, table] of this.options.tables) {
      if (this.model.datasets.get(dataset)?.link?.parent !== this.dataset) continue;
      kindsByTable.set(table, await columnKinds(table));
    }
    this.ctx.related = (name) => {
      const table = related?.(name);
      const kinds = table && kindsByTable.get(table.rows.table);
      return table && kinds ? { ...table, rows: { ...table.rows, storedAs: (field) => kinds.get(field) } } : table;
    };
  }

  private async judgeSegment(c: CompiledSegment, rows: number, records: RecordChecker): Promise<SegmentResult> {
    const { sym } = c;
    const n = sym.name;
    const size = this.counts.get(`size:${n}`);
    const unknown = this.counts.get(`unknown:${n}`);
    const result: SegmentResult = {
      ...unmeasured(sym, 'ok', undefined, rows),
      size,
      share: share(size, rows),
      unknown,
      sampleKeys: await this.sampleKeys(c.where),
    };
    // Example keys are fetched before judging, only where a failure shows them.
    const relationKeys = new Map<string, string[]>();
    for (const [key, { segment, where }] of this.relationExamples) {
      if (segment === n && this.counts.get(key) > 0) relationKeys.set(key, await this.exampleKeys(where));
    }
    const facts: MemberFacts = {
      segment: n,
      size,
      rows,
      countWhere: (expr) => this.counts.get(`share:${n}:${this.key(expr)}`),
      aggregate: (fn, arg) => this.memberAggregates.get(`${n}:${this.key(syntheticCall(fn, arg))}`) ?? null,
      other: (name) => this.otherFacts(sym, name, relationKeys),
    };
    for (const p of props(sym.decl, 'expect')) {
      if (!p.value) continue;
      const res = checkExpectation(p.value, facts);
      if (!res) continue;
      result.expectations.push(res);
      if (res.code) this.out.findings.push(engineFinding(res.code, sym.file, res.range, `${n}: ${res.message}`, res.severity));
    }
    const examples = records.examples(sym);
    result.examples = examples.results;
    this.out.findings.push(...examples.findings);
    const empty = emptySegmentFinding(sym, size, rows, unknown);
    if (empty) this.out.findings.push(empty);
    const clauses = topLevelClauses(sym.where!).map((clause, k) => ({
      clause,
      holds: this.counts.get(`clause:${n}:${k}`),
      unknown: this.counts.get(`clause-unknown:${n}:${k}`),
    }));
    const source = this.model.files.get(sym.file)?.text;
    this.out.findings.push(...clauseFindings(sym, clauses, rows, (clause) => clauseText(clause, source, this.resolve)));
    const failing = result.expectations.some((e) => e.passed === false && e.severity === 'error') || result.examples.some((e) => !e.passed);
    result.status = failing ? 'failing' : size === 0 ? 'empty' : 'ok';
    return result;
  }

  /** Another segment as the embedded engine sees it: the same reasons when it cannot be compared with. */
  private otherFacts(sym: SegmentSymbol, name: string, examples: Map<string, string[]>): OtherSegmentFacts {
    const other = this.model.segments.get(name);
    const problem = comparisonProblem(name, other && { dataset: other.dataset, draft: !other.where }, sym.dataset);
    if (problem) return { unavailable: problem };
    if (this.model.cyclic.has(name)) return { unavailable: 'it is part of a reference cycle' };
    if (!this.compiled.has(name)) return { unavailable: this.out.segments.get(name)?.reason ?? 'it has no results' };
    const relation = (kind: 'both' | 'outside'): Relation => {
      const key = relationKey(kind, sym.name, name);
      return { count: this.counts.get(key), exampleKeys: () => examples.get(key) ?? [] };
    };
    return { both: () => relation('both'), outside: () => relation('outside') };
  }

  private async judgePartition(name: string, segs: CompiledSegment[], rows: number): Promise<void> {
    const part = this.model.partitions.get(name)!;
    const overlaps: PartitionResult['overlaps'] = [];
    for (let i = 0; i < segs.length; i++) {
      for (let j = i + 1; j < segs.length; j++) {
        const count = this.counts.get(pairKey(segs[i], segs[j]));
        if (count === 0) continue;
        const exampleKeys = await this.exampleKeys(`${segs[i].member} AND ${segs[j].member}`);
        overlaps.push({ a: segs[i].sym.name, b: segs[j].sym.name, count, exampleKeys });
      }
    }
    const noneCount = this.counts.get(`none:${name}`);
    const uncovered = {
      count: noneCount,
      exampleKeys: noneCount > 0 ? await this.exampleKeys(`NOT (${segs.map((s) => s.member).join(' OR ')})`) : [],
    };
    const judged = judgePartition(part, { overlaps, uncovered }, rows);
    this.out.partitions.push({ name, exclusive: part.exclusive, exhaustive: part.exhaustive, overlaps, uncovered, passed: judged.passed });
    this.out.findings.push(...judged.findings);
  }

  private async datasetResult(rows: number, segs: CompiledSegment[], pairs: Map<string, number>): Promise<void> {
    const uncoveredCount = segs.length > 0 ? this.counts.get('uncovered') : rows;
    const where = segs.length > 0 ? `NOT (${segs.map((s) => s.member).join(' OR ')})` : '1 = 1';
    const dataset: DatasetResult = {
      name: this.dataset,
      rows,
      asOf: isoFromDays(this.today),
      coverage: {
        rows,
        covered: rows - uncoveredCount,
        uncovered: uncoveredCount,
        uncoveredShare: share(uncoveredCount, rows),
        exampleRows: [],
        exampleKeys: uncoveredCount > 0 ? await this.exampleKeys(where, COVERAGE_EXAMPLES) : [],
      },
    };
    this.out.datasets.set(this.dataset, dataset);
    if (!this.options.overlaps) return;
    for (let i = 0; i < segs.length; i++) {
      for (let j = i + 1; j < segs.length; j++) {
        const count = pairs.get(pairKey(segs[i], segs[j])) ?? 0;
        const a = this.counts.get(`size:${segs[i].sym.name}`);
        const b = this.counts.get(`size:${segs[j].sym.name}`);
        const stat: OverlapStat = { a: segs[i].sym.name, b: segs[j].sym.name, count, shareOfA: share(count, a), shareOfB: share(count, b) };
        this.out.overlaps.push(stat);
      }
    }
  }
}

/** 64 bits of FNV-1a (two 32-bit passes with different offsets), as hex: a name for a statement's text. */
function longHash(text: string): string {
  const pass = (seed: number): string => {
    let h = seed;
    for (let i = 0; i < text.length; i++) {
      h ^= text.charCodeAt(i);
      h = Math.imul(h, 0x01000193);
    }
    return (h >>> 0).toString(16).padStart(8, '0');
  };
  return pass(0x811c9dc5) + pass(0x050c5d1f);
}

function remember(cache: SqlResultCache, key: string, value: unknown): void {
  if (cache.size >= CACHE_LIMIT) cache.clear();
  cache.set(key, value);
}

/** The conditions joined by `and`/`or`/`not` in a rule, left to right. */
function conditionsOf(expr: Expr): Expr[] {
  if (expr.type === 'Logical') return [...conditionsOf(expr.left), ...conditionsOf(expr.right)];
  if (expr.type === 'Not') return conditionsOf(expr.operand);
  if (expr.type === 'Paren') return conditionsOf(expr.expr);
  return [expr];
}

function relationKey(kind: 'both' | 'outside', segment: string, other: string): string {
  return `${kind}:${segment}:${other}`;
}

function pairKey(a: CompiledSegment, b: CompiledSegment): string {
  return `pair:${a.sym.name}:${b.sym.name}`;
}

/** `fn(arg)` as a call expression, ranged like its argument. */
function syntheticCall(fn: string, arg: Expr): CallExpr {
  return { type: 'Call', callee: { type: 'Identifier', name: fn, range: arg.range }, arg, range: arg.range };
}

function keyText(v: unknown): string {
  return typeof v === 'string' ? v : v instanceof Date ? v.toISOString() : String(v);
}

