/**
 * The embedded evaluation engine: every segment of the workspace evaluated on
 * its dataset's sample table, with sizes, shares, overlaps, coverage,
 * partition checks, expectations, examples, persona profiles and the
 * findings of SPEC §6.2.
 *
 * `Engine` keeps results between runs, keyed by the canonical predicate text,
 * the table, the reference date and the members of the segments it uses, so
 * an edit re-evaluates only the changed segment and those that depend on it.
 */
import type { Column, Table } from '../data/table.js';
import type { Finding } from '../diagnostics/types.js';
import type { AggregateExpr, Expr, NameExpr, RelatedFieldExpr } from '../syntax/ast.js';
import { prop, props } from '../syntax/ast.js';
import type { NameResolution, SegmentSymbol, WorkspaceModel } from '../semantics/model.js';
import { firstRows, popcount, type Bitset, type TriBits } from './bitset.js';
import { compilePredicate, newSharedCache, tableAggregate, type CompileContext, type SharedCache } from './compile.js';
import { currentUtcDays, daysFromIso, isoFromDays } from './dates.js';
import { checkExpectation, type ExpectationResult } from './expectations.js';
import { bitsetFacts } from './bitset-facts.js';
import { clauseFindings, clauseText, comparisonProblem, emptySegmentFinding, engineFinding, judgePartition, partitionProblem, topLevelClauses } from './judge.js';
import { RecordChecker, type ExampleResult, type PersonaResult } from './record-checks.js';
import { explain, type ExplanationNode } from './explain.js';
import { columnDecimals, segmentRules } from './explain-sources.js';
import { exprKey } from './normalize.js';
import type { EvalEnv } from './reference.js';
import { cellValue, rowRecord } from './records.js';
import { checkPartition, coverage, share, type CoverageStat, type OverlapStat, type PairCache } from './stats.js';
import { OverlapPairs, type OverlapGroup } from './overlap-pairs.js';
import { expectationNames, movedChecks, type KeptChecks } from './kept-checks.js';
import { formatValue, type Value } from './values.js';
import { relatedColumnName } from './related-key.js';
import { addRelatedColumns, linkChecks, RelatedCache, tableView, unavailableDependency, type RelatedContext, type RelatedDatasetStat } from './related.js';

export { engineCodes } from './codes.js';
export { nodeLabel, readingText, renderExplanation, truthMark, type ClauseReading, type ExplanationNode, type SeenValue } from './explain.js';
export type { ExpectationResult } from './expectations.js';
export type { ExampleResult, PersonaResult } from './record-checks.js';
export type { OverlapStat, CoverageStat } from './stats.js';
export type { RelatedDatasetStat } from './related.js';
export { ambiguousLookup, unavailableDependency } from './related.js';
export type { Bitset, TriBits } from './bitset.js';
export { hasBit, popcount, firstRows, spreadRows } from './bitset.js';
export type { Truth, Value } from './values.js';
export { formatValue } from './values.js';

/** What the engine needs of a loaded dataset (the data layer's `LoadedDataset` fits). */
export interface DatasetInput {
  table?: Table;
}

export interface AnalyzeOptions {
  /** Reference date `YYYY-MM-DD` for datasets without `as of`. */
  asOf?: string;
  /** Segments not to evaluate, with the reason (rules with errors: see `segmentsWithRuleErrors`). */
  brokenRules?: ReadonlyMap<string, string>;
}

export interface EngineOptions {
  /** Member rows kept per segment for previews (default 20). */
  sampleSize?: number;
}

export type SegmentStatus = 'ok' | 'draft' | 'empty' | 'failing' | 'unavailable';

export interface SegmentResult {
  name: string;
  dataset: string | undefined;
  status: SegmentStatus;
  /** Why a segment is `unavailable` (no data, a reference cycle). */
  reason?: string;
  /** Members (rows where `where` is true). */
  size: number;
  /** Rows of the dataset. */
  rows: number;
  /** size / rows (0 when there are no rows). */
  share: number;
  /** Rows where `where` is unknown because of missing values (not members). */
  unknown: number;
  members?: Bitset;
  expectations: ExpectationResult[];
  /** Examples: `example member/nonmember` records and whether they behave as declared. */
  examples: ExampleResult[];
  /** Up to `sampleSize` member row indices, in row order. */
  sampleRows: number[];
  /** Their keys (the dataset's `key` column, else `line N`). */
  sampleKeys: string[];
  /** True when the members came from the cache of an earlier run. */
  cached: boolean;
}

export interface DatasetResult {
  name: string;
  rows: number;
  /** The reference date used (`YYYY-MM-DD`). */
  asOf: string;
  /** Rows in no evaluated segment, with example keys. */
  coverage: CoverageStat & { exampleKeys: string[] };
}

export interface PartitionResult {
  name: string;
  exclusive: boolean;
  exhaustive: boolean;
  overlaps: Array<{ a: string; b: string; count: number; exampleKeys: string[] }>;
  uncovered: { count: number; exampleKeys: string[] };
  /** False when a declared property does not hold; undefined when it could not be checked. */
  passed: boolean | undefined;
  /** Why it could not be checked (a member with an error, a draft, no data). */
  reason?: string;
}

export interface DataAnalysis {
  segments: Map<string, SegmentResult>;
  datasets: Map<string, DatasetResult>;
  /**
   * Every pair of evaluated segments of the same dataset. The embedded engine
   * counts them when this is first read (see `overlapSteps`).
   */
  overlaps: OverlapStat[];
  /**
   * Counts the pairs of `overlaps` in small steps (see `runInSlices`), for a
   * host with one thread that reads them (the preview); absent when they are
   * counted already.
   */
  overlapSteps?(): Generator<void, OverlapStat[]>;
  partitions: PartitionResult[];
  personas: Map<string, PersonaResult>;
  findings: Finding[];
  /** Per related dataset (SPEC §11): its rows and the share of parents with at least one related row. */
  related?: Map<string, RelatedDatasetStat>;
}

interface TableCache {
  today: number;
  shared: SharedCache;
  /** Evaluated segments by cache key (see `segmentKey`). */
  segments: Map<string, CachedSegment>;
  /** Coverage of the latest run, by the identities of the member bitsets it covers. */
  coverage?: { key: string; stat: CoverageStat };
  /** Overlap pairs of the latest run, by segment names and member bitset identities. */
  overlaps?: { key: string; stats: OverlapStat[] };
}

/** What depends only on the members: kept with them so a reused segment costs no pass over the rows. */
interface CachedSegment {
  tri: TriBits;
  size: number;
  unknown: number;
  sampleRows: number[];
  /** Truth counts of the top-level clauses, in order. */
  clauses?: Array<{ holds: number; unknown: number }>;
  /** Keys of `sampleRows`, by the key column they were read from. */
  sampleKeys?: { keyColumn: string | undefined; keys: string[] };
  /**
   * Judged checks by segment name (segments with the same rule share the
   * members, not the checks), kept for the segments that used them in the
   * latest run (see kept-checks.ts).
   */
  checks?: Map<string, KeptChecks>;
}

interface DatasetState {
  name: string;
  table: Table | undefined;
  today: number;
  keyColumn: string | undefined;
  ctx: CompileContext | undefined;
}

const LEAF_CACHE_LIMIT = 2_000;

export class Engine {
  /** Segments whose rule was evaluated (cache misses), over the engine's lifetime. */
  evaluations = 0;
  /** Pairs of member sets counted (overlaps, `expect disjoint/overlap/subset`; not those kept), over the engine's lifetime. */
  pairsCounted = 0;
  /** Segments whose expectations and clauses were judged (not kept from an earlier run), over the engine's lifetime. */
  judgements = 0;
  /** Segments evaluated and reused in the latest run, and those whose checks were judged again. */
  lastRun: { evaluated: string[]; reused: string[]; judged: string[] } = { evaluated: [], reused: [], judged: [] };

  private tables = new WeakMap<Table, TableCache>();
  /** @internal Link indexes and related columns (SPEC §11), kept across runs. */
  related = new RelatedCache();
  private readonly bitsetIds = new WeakMap<Bitset, number>();
  private nextBitsetId = 1;
  private readonly sampleSize: number;

  constructor(options: EngineOptions = {}) {
    this.sampleSize = options.sampleSize ?? 20;
  }

  /** Drops every cached result. */
  clear(): void {
    this.evaluations = 0;
    this.judgements = 0;
    this.pairsCounted = 0;
    this.lastRun = { evaluated: [], reused: [], judged: [] };
    this.tables = new WeakMap();
    this.pairCounts = new WeakMap();
    this.related = new RelatedCache();
  }

  analyze(model: WorkspaceModel, data: ReadonlyMap<string, DatasetInput>, options: AnalyzeOptions = {}): DataAnalysis {
    return new Run(this, model, data, options).execute();
  }

  /**
   * The same analysis in small synchronous steps (see `runInSlices`): a host
   * with one thread (the language server) answers requests between them.
   */
  analyzeInSteps(model: WorkspaceModel, data: ReadonlyMap<string, DatasetInput>, options: AnalyzeOptions = {}): Generator<void, DataAnalysis> {
    return new Run(this, model, data, options).steps();
  }

  /** @internal */
  tableCache(table: Table, today: number): TableCache {
    let cache = this.tables.get(table);
    if (!cache || cache.today !== today) {
      cache = { today, shared: newSharedCache(), segments: new Map() };
      this.tables.set(table, cache);
    }
    if (cache.shared.leaves.size > LEAF_CACHE_LIMIT) cache.shared = newSharedCache();
    return cache;
  }

  /** @internal A stable identity for a members bitset (cache keys of dependent segments). */
  bitsetId(bits: Bitset | undefined): number {
    if (!bits) return 0;
    let id = this.bitsetIds.get(bits);
    if (id === undefined) {
      id = this.nextBitsetId++;
      this.bitsetIds.set(bits, id);
    }
    return id;
  }

  /** @internal Overlap counts of pairs of member bitsets, kept while both bitsets are cached. */
  readonly pairCache: PairCache = {
    get: (a, b) => this.pairCounts.get(a)?.get(b),
    set: (a, b, count) => {
      this.pairsCounted++;
      let inner = this.pairCounts.get(a);
      if (!inner) {
        inner = new WeakMap();
        this.pairCounts.set(a, inner);
      }
      inner.set(b, count);
    },
  };
  private pairCounts = new WeakMap<Bitset, WeakMap<Bitset, number>>();

  /** @internal */
  get rowsPerSample(): number {
    return this.sampleSize;
  }
}

/** The result of a segment that was not evaluated (a draft, no data, a rule with errors). */
export function resultWithoutMembers(sym: SegmentSymbol, status: SegmentStatus, reason: string | undefined, rows: number): SegmentResult {
  return {
    name: sym.name,
    dataset: sym.dataset,
    status,
    reason,
    size: 0,
    rows,
    share: 0,
    unknown: 0,
    expectations: [],
    examples: [],
    sampleRows: [],
    sampleKeys: [],
    cached: false,
  };
}

/** One analysis with a fresh engine (no cache kept). */
export function analyzeData(
  model: WorkspaceModel,
  data: ReadonlyMap<string, DatasetInput>,
  options: AnalyzeOptions = {},
): DataAnalysis {
  return new Engine().analyze(model, data, options);
}

/** The reference date of a dataset: its `as of`, else the option, else today (UTC). */
export function referenceDate(model: WorkspaceModel, dataset: string | undefined, options: AnalyzeOptions = {}): number {
  const decl = dataset ? model.datasets.get(dataset)?.decl : undefined;
  const asOf = decl ? prop(decl, 'asOf')?.value?.value : undefined;
  return (asOf ? daysFromIso(asOf) : undefined) ?? (options.asOf ? daysFromIso(options.asOf) : undefined) ?? currentUtcDays();
}

function fallbackResolver(model: WorkspaceModel, table: Table | undefined) {
  return (name: NameExpr): NameResolution => {
    const known = model.names.get(name);
    if (known) return known;
    if (table?.byName.has(name.name)) return { kind: 'field', dataset: '', name: name.name };
    if (model.segments.has(name.name)) return { kind: 'segment', name: name.name };
    return { kind: 'unknown' };
  };
}

function keyText(v: Value): string {
  if (typeof v === 'string') return v;
  if (v !== null && typeof v === 'object' && !Array.isArray(v) && v.kind === 'semver') return v.text;
  return formatValue(v);
}

interface PendingChecks {
  result: SegmentResult;
  state: DatasetState;
  entry: CachedSegment;
  where: Expr;
}

class Run {
  private readonly datasets = new Map<string, DatasetState>();
  private readonly results = new Map<string, SegmentResult>();
  private readonly findings: Finding[] = [];
  private readonly evaluated: string[] = [];
  private readonly reused: string[] = [];
  private readonly judged: string[] = [];
  /** The segments that read each cache entry's kept checks in this run (the others' are dropped at the end). */
  private readonly checkedNames = new Map<CachedSegment, Set<string>>();
  /** Segments whose members are known and whose expectations, examples and clauses are still to check. */
  private readonly pendingChecks = new Map<string, PendingChecks>();
  /** Segment cache keys used in this run, per table cache (the rest is dropped at the end). */
  private readonly usedKeys = new Map<TableCache, Set<string>>();

  constructor(
    private readonly engine: Engine,
    private readonly model: WorkspaceModel,
    private readonly data: ReadonlyMap<string, DatasetInput>,
    private readonly options: AnalyzeOptions,
  ) {}

  execute(): DataAnalysis {
    const steps = this.steps();
    for (;;) {
      const step = steps.next();
      if (step.done) return step.value;
    }
  }

  /** The run in steps of one segment (or one row of the overlap matrix) each, so a caller can yield between them. */
  *steps(): Generator<void, DataAnalysis> {
    this.engine.related.startRun();
    for (const name of this.model.datasets.keys()) this.dataset(name);
    const order = [...this.model.segmentOrder];
    for (const name of this.model.segments.keys()) if (!order.includes(name)) order.push(name);
    // Members first, then the checks: `expect disjoint X` may name a segment defined later.
    for (const name of order) {
      const sym = this.model.segments.get(name);
      if (sym) this.results.set(name, this.evaluateSegment(sym));
      yield;
    }
    for (const [name, pending] of this.pendingChecks) {
      this.checkSegment(this.model.segments.get(name)!, pending);
      yield;
    }
    const personas = this.checkPersonas();
    yield;
    const partitions = this.checkPartitions();
    yield;
    const { overlaps, datasets } = this.datasetStats();
    this.engine.lastRun = { evaluated: this.evaluated, reused: this.reused, judged: this.judged };
    for (const [cache, used] of this.usedKeys) {
      for (const key of cache.segments.keys()) if (!used.has(key)) cache.segments.delete(key);
    }
    for (const [entry, names] of this.checkedNames) {
      for (const name of entry.checks?.keys() ?? []) if (!names.has(name)) entry.checks!.delete(name);
    }
    const links = linkChecks(this.relatedContext);
    this.findings.push(...links.findings);
    this.engine.related.endRun();
    return {
      segments: this.results,
      datasets,
      get overlaps() {
        return overlaps.list();
      },
      overlapSteps: () => overlaps.steps(),
      partitions,
      personas,
      findings: this.findings,
      related: links.stats,
    };
  }

  private get relatedContext(): RelatedContext {
    return {
      model: this.model,
      cache: this.engine.related,
      tableOf: (dataset) => this.data.get(dataset)?.table,
      membersOf: (segment) => this.results.get(segment)?.members,
      resolve: (table) => fallbackResolver(this.model, table),
    };
  }

  /** Related columns for a segment's rule and expectations; the keys of those used, or why they cannot be had. */
  private relatedColumns(sym: SegmentSymbol, state: DatasetState): { problem: string } | { keys: string[] } {
    const exprs: Expr[] = sym.where ? [sym.where] : [];
    for (const p of props(sym.decl, 'expect')) {
      if (p.value?.type === 'ExpectShare') exprs.push(p.value.expr);
      if (p.value?.type === 'ExpectAggregate') exprs.push(p.value.arg);
    }
    return addRelatedColumns(this.relatedContext, state.name, state.ctx!.table, state.today, exprs);
  }

  private dataset(name: string): DatasetState {
    let state = this.datasets.get(name);
    if (state) return state;
    const sym = this.model.datasets.get(name);
    const table = this.data.get(name)?.table;
    const today = referenceDate(this.model, name, this.options);
    const keyColumn = sym ? prop(sym.decl, 'key')?.value?.name : undefined;
    let ctx: CompileContext | undefined;
    if (table) {
      const cache = this.engine.tableCache(table, today);
      ctx = {
        // A view: lookups and aggregates over related rows are added to it as columns.
        table: tableView(table),
        today,
        resolve: fallbackResolver(this.model, table),
        // Members of a segment over another dataset are rows of another table: they never match here.
        segmentBits: (segment) => {
          const r = this.results.get(segment);
          return r?.dataset === name ? r.members : undefined;
        },
        shared: cache.shared,
      };
    }
    state = { name, table, today, keyColumn, ctx };
    this.datasets.set(name, state);
    return state;
  }

  private keyOf(state: DatasetState): (row: number) => string {
    const col = state.keyColumn ? state.table?.byName.get(state.keyColumn) : undefined;
    return (row) => (col ? keyText(cellValue(col, row)) : `line ${state.table?.rowLines[row] ?? row + 1}`);
  }

  private emptyResult(sym: SegmentSymbol, status: SegmentStatus, reason?: string): SegmentResult {
    const rows = sym.dataset ? (this.data.get(sym.dataset)?.table?.rowCount ?? 0) : 0;
    return resultWithoutMembers(sym, status, reason, rows);
  }

  private segmentKey(sym: SegmentSymbol, where: Expr, ctx: CompileContext, relatedKeys: string[]): string {
    const deps = [...new Set(sym.uses)]
      .sort()
      .map((u) => `${u}#${this.engine.bitsetId(this.results.get(u)?.members)}`)
      .join(',');
    return `${exprKey(where, ctx.resolve)}|${deps}|${relatedKeys.join(',')}`;
  }

  private evaluateSegment(sym: SegmentSymbol): SegmentResult {
    if (this.model.cyclic.has(sym.name)) return this.emptyResult(sym, 'unavailable', 'it is part of a reference cycle');
    const where = sym.where;
    const state = sym.dataset ? this.dataset(sym.dataset) : undefined;
    if (!where) {
      const result = this.emptyResult(sym, 'draft');
      if (state) result.examples = this.checkExamples(sym);
      return result;
    }
    const broken = this.options.brokenRules?.get(sym.name);
    if (broken) return this.emptyResult(sym, 'unavailable', broken);
    // A segment it uses has no members to stand behind: neither has this one.
    const blocked = sym.uses.find((u) => this.results.get(u)?.status === 'unavailable');
    if (blocked) {
      const result = this.emptyResult(sym, 'unavailable', unavailableDependency(blocked, this.results.get(blocked)?.reason));
      if (state) result.examples = this.checkExamples(sym);
      return result;
    }
    if (!state || !state.ctx || !state.table) {
      const result = this.emptyResult(sym, 'unavailable', sym.dataset ? `no data loaded for ${sym.dataset}` : 'no dataset');
      if (state) result.examples = this.checkExamples(sym);
      return result;
    }
    const { ctx, table } = state;
    const related = this.relatedColumns(sym, state);
    if ('problem' in related) {
      const result = this.emptyResult(sym, 'unavailable', related.problem);
      result.examples = this.checkExamples(sym);
      return result;
    }
    const cache = this.engine.tableCache(table, state.today);
    ctx.shared = cache.shared;
    const key = this.segmentKey(sym, where, ctx, related.keys);
    let used = this.usedKeys.get(cache);
    if (!used) this.usedKeys.set(cache, (used = new Set()));
    used.add(key);
    let entry = cache.segments.get(key);
    const cached = entry !== undefined;
    if (!entry) {
      const tri = compilePredicate(where, ctx)();
      entry = { tri, size: popcount(tri.t), unknown: popcount(tri.u), sampleRows: firstRows(tri.t, this.engine.rowsPerSample) };
      cache.segments.set(key, entry);
      this.engine.evaluations++;
      this.evaluated.push(sym.name);
    } else {
      this.reused.push(sym.name);
    }
    const rows = table.rowCount;
    const members = entry.tri.t;
    const size = entry.size;
    const sampleRows = entry.sampleRows;
    if (!entry.sampleKeys || entry.sampleKeys.keyColumn !== state.keyColumn) entry.sampleKeys = { keyColumn: state.keyColumn, keys: sampleRows.map(this.keyOf(state)) };
    const sampleKeys = entry.sampleKeys!.keys;
    const result: SegmentResult = {
      name: sym.name,
      dataset: sym.dataset,
      status: 'ok',
      size,
      rows,
      share: share(size, rows),
      unknown: entry.unknown,
      members,
      expectations: [],
      examples: [],
      sampleRows,
      sampleKeys,
      cached,
    };
    this.pendingChecks.set(sym.name, { result, state, entry, where });
    return result;
  }

  /** Expectations, examples, emptiness and clause checks of an evaluated segment; sets its status. */
  private checkSegment(sym: SegmentSymbol, pending: PendingChecks): void {
    const { result, entry } = pending;
    const key = this.checksKey(sym, pending);
    entry.checks ??= new Map();
    let kept = entry.checks.get(sym.name);
    if (key === undefined || kept?.key !== key) {
      kept = this.judge(sym, pending, key ?? '');
      this.engine.judgements++;
      this.judged.push(sym.name);
      // Findings that point elsewhere (none today) would not move with the declaration: judge those every run.
      const movable = [...kept.expectationFindings, ...kept.laterFindings].every((f) => !f.related?.length);
      if (key !== undefined && movable) entry.checks.set(sym.name, kept);
      else entry.checks.delete(sym.name);
    }
    let names = this.checkedNames.get(entry);
    if (!names) this.checkedNames.set(entry, (names = new Set()));
    names.add(sym.name);
    const checks = movedChecks(kept, sym.decl.range.start);
    result.expectations = [...checks.expectations];
    this.findings.push(...checks.expectationFindings);
    result.examples = this.checkExamples(sym);
    this.findings.push(...checks.laterFindings);
    const failing =
      result.expectations.some((e) => e.passed === false && e.severity === 'error') || result.examples.some((e) => !e.passed);
    result.status = failing ? 'failing' : result.size === 0 ? 'empty' : 'ok';
  }

  /**
   * What a segment's checks depend on besides its members (the cache entry
   * they are kept on): the declaration's text, the dataset's key column and
   * rows, and the segments its expectations compare with. Undefined when the
   * file's text is not known.
   */
  private checksKey(sym: SegmentSymbol, { result, state }: PendingChecks): string | undefined {
    const text = this.model.files.get(sym.file)?.text;
    if (text === undefined) return undefined;
    const others = expectationNames(sym.decl).map((name) => {
      const r = this.results.get(name);
      return r ? `${name}:${r.dataset}:${r.status === 'draft'}:${this.engine.bitsetId(r.members)}:${r.reason ?? ''}` : `${name}:-`;
    });
    const declText = text.slice(sym.decl.range.start.offset, sym.decl.range.end.offset);
    return [sym.file, sym.name, sym.dataset, state.keyColumn, result.rows, declText, ...others].join('\u0000');
  }

  /** The expectations, emptiness and clause findings of a segment, judged on its members. */
  private judge(sym: SegmentSymbol, { result, state, entry, where }: PendingChecks, key: string): KeptChecks {
    const ctx = state.ctx!;
    const { size, rows } = result;
    const members = entry.tri.t;
    const keyOf = this.keyOf(state);
    const other = (name: string): { members: Bitset } | { unavailable: string } => {
      const r = this.results.get(name);
      const problem = comparisonProblem(name, r && { dataset: r.dataset, draft: r.status === 'draft' }, sym.dataset);
      if (problem || !r) return { unavailable: problem ?? `${name} has no results` };
      return r.members ? { members: r.members } : { unavailable: r.reason ?? 'it has no results' };
    };
    const facts = bitsetFacts({ segment: sym.name, members, size, rows, ctx, other, keyOf, pairs: this.engine.pairCache });
    const kept: KeptChecks = { key, origin: sym.decl.range.start, expectations: [], expectationFindings: [], laterFindings: [] };
    for (const p of props(sym.decl, 'expect')) {
      if (!p.value) continue;
      const res = checkExpectation(p.value, facts);
      if (!res) continue;
      kept.expectations.push(res);
      if (res.code) kept.expectationFindings.push(engineFinding(res.code, sym.file, res.range, `${sym.name}: ${res.message}`, res.severity));
    }
    const empty = emptySegmentFinding(sym, size, rows, result.unknown);
    if (empty) kept.laterFindings.push(empty);
    kept.laterFindings.push(...this.clauseChecks(sym, where, ctx, entry));
    return kept;
  }

  /** SEG210/SEG211: a top-level operand of an `and`/`or` chain that never or always holds. */
  private clauseChecks(sym: SegmentSymbol, where: Expr, ctx: CompileContext, entry: CachedSegment): Finding[] {
    const clauses = topLevelClauses(where);
    const rows = ctx.table.rowCount;
    if (clauses.length === 0 || rows === 0) return [];
    entry.clauses ??= clauses.map((clause) => {
      const tri = compilePredicate(clause, ctx)();
      return { holds: popcount(tri.t), unknown: popcount(tri.u) };
    });
    const counts = clauses.map((clause, k) => ({ clause, ...entry.clauses![k] }));
    const source = this.model.files.get(sym.file)?.text;
    return clauseFindings(sym, counts, rows, (clause) => clauseText(clause, source, ctx.resolve));
  }

  // ------------------------------------------------------------------ records

  private recordChecker: RecordChecker | undefined;

  private get records(): RecordChecker {
    this.recordChecker ??= new RecordChecker(this.model, (dataset) => {
      const state = dataset ? this.dataset(dataset) : undefined;
      const ctx = state?.ctx;
      return {
        today: state?.today ?? referenceDate(this.model, undefined, this.options),
        resolve: ctx?.resolve ?? fallbackResolver(this.model, undefined),
        aggregate: (call) => (ctx ? tableAggregate(call, ctx) : null),
        loaded: state?.table !== undefined,
      };
    }, this.options.brokenRules);
    return this.recordChecker;
  }

  private checkExamples(sym: SegmentSymbol): ExampleResult[] {
    const { results, findings } = this.records.examples(sym);
    this.findings.push(...findings);
    return results;
  }

  private checkPersonas(): Map<string, PersonaResult> {
    const { results, findings } = this.records.personas();
    this.findings.push(...findings);
    return results;
  }

  // ------------------------------------------------------------------ dataset-wide

  private evaluatedMembers(dataset: string): Array<{ name: string; members: Bitset; size: number }> {
    const out: Array<{ name: string; members: Bitset; size: number }> = [];
    for (const r of this.results.values()) {
      if (r.dataset === dataset && r.members) out.push({ name: r.name, members: r.members, size: r.size });
    }
    return out;
  }

  private datasetStats(): { overlaps: OverlapPairs; datasets: Map<string, DatasetResult> } {
    const groups: OverlapGroup[] = [];
    const datasets = new Map<string, DatasetResult>();
    for (const state of this.datasets.values()) {
      if (!state.table) continue;
      const segs = this.evaluatedMembers(state.name);
      const cache = this.engine.tableCache(state.table, state.today);
      const coverageKey = segs.map((s) => this.engine.bitsetId(s.members)).join(',');
      groups.push({
        segments: segs,
        key: `${segs.map((s) => s.name).join(',')}|${coverageKey}`,
        kept: () => cache.overlaps,
        keep: (memo) => (cache.overlaps = memo),
      });
      if (cache.coverage?.key !== coverageKey) {
        cache.coverage = { key: coverageKey, stat: coverage(state.table.rowCount, segs.map((s) => s.members)) };
      }
      const cov = cache.coverage.stat;
      datasets.set(state.name, {
        name: state.name,
        rows: state.table.rowCount,
        asOf: isoFromDays(state.today),
        coverage: { ...cov, exampleKeys: cov.exampleRows.map(this.keyOf(state)) },
      });
    }
    return { overlaps: new OverlapPairs(groups, this.engine.pairCache), datasets };
  }

  private checkPartitions(): PartitionResult[] {
    const out: PartitionResult[] = [];
    for (const part of this.model.partitions.values()) {
      const result: PartitionResult = {
        name: part.name,
        exclusive: part.exclusive,
        exhaustive: part.exhaustive,
        overlaps: [],
        uncovered: { count: 0, exampleKeys: [] },
        passed: undefined,
      };
      out.push(result);
      const members = part.members.map((id) => this.results.get(id.name));
      result.reason = partitionProblem(part, (name) => this.results.get(name));
      if (result.reason !== undefined) continue;
      const datasetName = members[0]?.dataset;
      const state = datasetName ? this.dataset(datasetName) : undefined;
      if (!state?.table || members.some((m) => !m?.members)) {
        result.reason = `no data loaded for ${datasetName ?? 'its dataset'}`;
        continue;
      }
      const keyOf = this.keyOf(state);
      const stat = checkPartition(
        state.table.rowCount,
        members.map((m) => ({ name: m!.name, members: m!.members! })),
      );
      result.overlaps = stat.overlaps.map((o) => ({ a: o.a, b: o.b, count: o.count, exampleKeys: o.exampleRows.map(keyOf) }));
      result.uncovered = { count: stat.uncovered.count, exampleKeys: stat.uncovered.exampleRows.map(keyOf) };
      const judged = judgePartition(part, result, state.table.rowCount);
      result.passed = judged.passed;
      this.findings.push(...judged.findings);
    }
    return out;
  }
}

/** Link indexes kept for hovers between requests on the same analysis (SPEC §11). */
const hoverCaches = new WeakMap<DataAnalysis, RelatedCache>();

/**
 * The per-parent column of one lookup or aggregate in a segment's rule
 * (SPEC §11) — the values the engine computed the segment from, for hovers
 * that show its distribution. A string says why there is none.
 */
export function relatedColumnOf(
  model: WorkspaceModel,
  data: ReadonlyMap<string, DatasetInput>,
  analysis: DataAnalysis,
  segment: string,
  expr: AggregateExpr | RelatedFieldExpr,
  options: AnalyzeOptions = {},
): Column | string {
  const sym = model.segments.get(segment);
  const table = sym?.dataset ? data.get(sym.dataset)?.table : undefined;
  if (!sym?.dataset || !table) return `no data loaded for ${sym?.dataset ?? segment}`;
  let cache = hoverCaches.get(analysis);
  if (!cache) hoverCaches.set(analysis, (cache = new RelatedCache()));
  const view = tableView(table);
  const relatedContext: RelatedContext = {
    model,
    cache,
    tableOf: (dataset) => data.get(dataset)?.table,
    membersOf: (name) => analysis.segments.get(name)?.members,
    resolve: (t) => fallbackResolver(model, t),
  };
  const added = addRelatedColumns(relatedContext, sym.dataset, view, referenceDate(model, sym.dataset, options), [expr]);
  if ('problem' in added) return added.problem;
  return view.byName.get(relatedColumnName(expr, fallbackResolver(model, table))) ?? 'not computed';
}

/**
 * Explains why one table row is or is not a member of a segment. `key` is a
 * value of the dataset's key column, or `#N` for the N-th row (0-based).
 */
export function explainRow(
  model: WorkspaceModel,
  data: ReadonlyMap<string, DatasetInput>,
  analysis: DataAnalysis,
  segment: string,
  key: string,
  options: AnalyzeOptions = {},
): { row: number; explanation: ExplanationNode } | undefined {
  const sym = model.segments.get(segment);
  if (!sym?.where || !sym.dataset) return undefined;
  const table = data.get(sym.dataset)?.table;
  if (!table) return undefined;
  const datasetSym = model.datasets.get(sym.dataset);
  const keyColumn = datasetSym ? prop(datasetSym.decl, 'key')?.value?.name : undefined;
  const col = keyColumn ? table.byName.get(keyColumn) : undefined;
  let row = -1;
  if (col) {
    for (let i = 0; i < table.rowCount && row < 0; i++) if (keyText(cellValue(col, i)) === key) row = i;
  }
  if (row < 0 && /^#\d+$/.test(key)) row = Number(key.slice(1));
  if (row < 0 || row >= table.rowCount) return undefined;
  const record = rowRecord(table, row);
  const today = referenceDate(model, sym.dataset, options);
  // Lookups and aggregates of the rules the explanation reads, as columns of a view (SPEC §11).
  const view = tableView(table);
  const rules = [...model.segments.values()].filter((s) => s.dataset === sym.dataset && s.where).map((s) => s.where!);
  const relatedContext: RelatedContext = {
    model,
    cache: new RelatedCache(),
    tableOf: (dataset) => data.get(dataset)?.table,
    membersOf: (name) => analysis.segments.get(name)?.members,
    resolve: (t) => fallbackResolver(model, t),
  };
  addRelatedColumns(relatedContext, sym.dataset, view, today, rules);
  const ctx: CompileContext = {
    table: view,
    today,
    resolve: fallbackResolver(model, table),
    segmentBits: (name) => analysis.segments.get(name)?.members,
    shared: newSharedCache(),
  };
  const env: EvalEnv = {
    today,
    resolve: ctx.resolve,
    field: (name) => record.get(name) ?? null,
    segment: (name) => {
      const bits = analysis.segments.get(name)?.members;
      return bits ? (bits[row >>> 5] & (1 << (row & 31))) !== 0 : false;
    },
    aggregate: (call) => tableAggregate(call, ctx),
    related: (expr) => {
      const column = view.byName.get(relatedColumnName(expr, ctx.resolve));
      return column ? cellValue(column, row) : null;
    },
  };
  const fieldDecimals = (field: string): number | undefined => {
    const column = table.byName.get(field);
    return column ? columnDecimals(column, table.rowCount) : undefined;
  };
  const explanation = explain(sym.where, env, model.files.get(sym.file)?.text, { rules: segmentRules(model), fieldDecimals });
  return { row, explanation };
}
