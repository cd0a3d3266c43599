/**
 * A discovery on an analysed workspace, from the request to the report: the
 * dataset chosen, the target evaluated by the engine, the search, the rules
 * rendered as declarations and recounted by the engine before any number is
 * shown. `segspec discover` and the editor's "Discover segments" both run
 * this, so they report the same candidates with the same numbers.
 */
import { prop } from '../syntax/ast.js';
import type { Analysis, Workspace } from '../workspace.js';
import type { Table } from '../data/table.js';
import { DEFAULT_SAMPLE_LIMIT, discoverSubgroups, QUALITY_EXPONENT, type DiscoverResult, type Overlap, type QualityName } from './index.js';
import { withMeasuredCounts, type Recounter } from './recount.js';
import { relatedDerivedColumns } from './related-clauses.js';
import { relatedUses } from './rule-walk.js';
import { renderRules, type RenderedRule } from './render.js';
import { chooseDataset, evaluateTarget, TARGET_SEGMENT } from './target.js';

/** Fewest members of a proposed rule when no minimum is given: this share of the rows. */
export const DEFAULT_MIN_SHARE = 0.02;

export type MinSize = { rows: number } | { share: number };

export interface DiscoveryRequest {
  /** A segment name or an expression over the dataset. */
  target: string;
  dataset?: string;
  max: number;
  depth: number;
  /** Default: 2% of the rows. */
  minSize?: MinSize;
  quality: QualityName;
  /** A diverse set (default) or the plain top-K. */
  diverse: boolean;
}

export interface Discovery {
  dataset: string;
  /** The target as given, trimmed. */
  target: string;
  quality: QualityName;
  result: DiscoverResult;
  rendered: RenderedRule[];
}

export type DiscoveryOutcome = ({ ok: true } & Discovery) | { ok: false; message: string };

/**
 * What a host adds for data the embedded engine does not hold or should not
 * count (core knows no SQL engine): the CLI draws the rows of a Parquet
 * source with DuckDB and counts the printed rules with SQL (SPEC §13).
 */
export interface DiscoveryEngines {
  /** Rows to search on when none are loaded for the dataset, with the dataset's row count. */
  drawSample?(dataset: string, limit: number): Promise<{ table: Table; rows: number } | undefined>;
  /** The engine that counts the printed rules of this dataset on every row; none: the embedded engine. */
  recounter?(dataset: string): Recounter | undefined;
}

/** One candidate of `--format json` (and of the editor's request). */
export interface DiscoveryCandidate {
  name: string;
  where: string;
  declaration: string;
  size: number;
  share: number;
  targetCount: number;
  targetRate: number;
  lift: number;
  quality: number;
  overlaps: Overlap[];
}

/** What `segspec discover --format json` prints. */
export interface DiscoveryReport {
  dataset: string;
  target: string;
  quality: QualityName;
  rows: number;
  targetCount: number;
  targetRate: number;
  sampledRows: number | null;
  /** The engine every number was counted by on all rows: `embedded`, or a SQL engine. */
  countedBy: string;
  candidateClauses: number;
  candidates: DiscoveryCandidate[];
}

/** `5%` (a share of the rows) or `50` (rows); undefined when it is neither. */
export function parseMinSize(raw: string): MinSize | undefined {
  const percent = /^(\d+(?:\.\d+)?)%$/.exec(raw);
  if (percent && Number(percent[1]) <= 100) return { share: Number(percent[1]) / 100 };
  if (/^\d+$/.test(raw)) return { rows: Number(raw) };
  return undefined;
}

/** In rows of the table searched: `searched` of the dataset's `rows` (a sample drawn by a SQL engine is smaller). */
export function minSizeRows(minSize: MinSize | undefined, rows: number, searched = rows): number {
  if (minSize === undefined) return Math.max(1, Math.ceil(DEFAULT_MIN_SHARE * searched));
  return 'rows' in minSize ? Math.max(1, Math.ceil((minSize.rows * searched) / Math.max(1, rows))) : Math.max(1, Math.ceil(minSize.share * searched));
}

export async function discoverInWorkspace(workspace: Workspace, analysis: Analysis, request: DiscoveryRequest, engines: DiscoveryEngines = {}): Promise<DiscoveryOutcome> {
  const target = request.target.trim();
  if (target === '') return { ok: false, message: 'give a target: a segment name or an expression over the dataset' };
  const chosen = chooseDataset(analysis.model, request.dataset, target);
  if ('error' in chosen) return { ok: false, message: chosen.error };
  const { dataset } = chosen;
  const loaded = analysis.data.get(dataset)?.table;
  const drawn = loaded ? undefined : await engines.drawSample?.(dataset, DEFAULT_SAMPLE_LIMIT);
  const table = loaded ?? drawn?.table;
  if (!table) return { ok: false, message: `no data is loaded for dataset ${dataset}: run 'segspec check' to see why` };
  const evaluated = await evaluateTarget(workspace, dataset, target, drawn ? new Map([[dataset, { table }]]) : undefined);
  if (!evaluated.ok) return { ok: false, message: evaluated.message };
  const model = evaluated.analysis.model;
  const keyField = prop(model.datasets.get(dataset)!.decl, 'key')?.value?.name;
  const exclude = new Set(evaluated.fields);
  if (keyField) exclude.add(keyField);
  const targetSegment = model.segments.has(target) ? target : undefined;
  const existing = [...evaluated.analysis.results.segments.values()]
    .filter((s) => s.dataset === dataset && s.members && s.name !== TARGET_SEGMENT && s.name !== targetSegment && s.status !== 'unavailable')
    .map((s) => ({ name: s.name, members: s.members! }));
  // Aggregates and lookups of related datasets (SPEC §11), from the engine's cache; not over those the target itself reads.
  const targetWhere = model.segments.get(TARGET_SEGMENT)?.where;
  const derived = relatedDerivedColumns({
    cache: workspace.engine.related,
    model,
    tableOf: (d) => evaluated.analysis.data.get(d)?.table,
    dataset,
    today: evaluated.today,
    exclude: targetWhere ? relatedUses(targetWhere, model) : new Set(),
  });
  let result = discoverSubgroups({
    table,
    derived,
    target: evaluated.members,
    today: evaluated.today,
    exclude,
    reserved: new Set([...model.segments.keys(), ...model.personas.keys(), ...model.datasets.keys()]),
    existing,
    options: { max: request.max, depth: request.depth, minSize: minSizeRows(request.minSize, drawn?.rows ?? table.rowCount, table.rowCount), quality: request.quality, diverse: request.diverse },
  });
  const taken = new Set<string>([...model.segments.keys(), ...model.personas.keys(), ...model.datasets.keys(), ...model.partitions.keys(), ...table.byName.keys()]);
  let rendered = renderRules(result, { dataset, target, taken });
  // Rules found on drawn rows are checked by the engine that counts them, below.
  const problem = drawn ? undefined : await verifyRendered(workspace, rendered, result);
  if (problem) return { ok: false, message: problem };
  const recounter = engines.recounter?.(dataset);
  if (recounter) {
    const counts = await recounter.count({ dataset, target, rendered, existing: existing.map((e) => e.name) });
    result = { ...withMeasuredCounts(result, counts, QUALITY_EXPONENT[request.quality]), countedBy: recounter.engine };
    if (drawn && drawn.rows > table.rowCount) result.sampledRows = table.rowCount;
    // The declarations' descriptions and expect lines state the engine's numbers.
    rendered = renderRules(result, { dataset, target, taken });
  }
  return { ok: true, dataset, target, quality: request.quality, result, rendered };
}

/**
 * Evaluates the printed declarations with the engine, as a user's file would
 * be: their sizes must be the numbers shown, and they must check clean.
 * Returns what is wrong, if anything.
 */
export async function verifyRendered(workspace: Workspace, rendered: RenderedRule[], result: { rules: ReadonlyArray<{ size: number }> }): Promise<string | undefined> {
  if (rendered.length === 0) return undefined;
  const path = `${workspace.root.replace(/[\\/]+$/, '')}/__segspec_discover_check__.segspec`;
  workspace.setOverlay(path, rendered.map((r) => r.text).join('\n'), 1);
  let analysis: Analysis;
  try {
    analysis = await workspace.analyze();
  } finally {
    workspace.removeOverlay(path);
  }
  const problems = analysis.findings.filter((f) => f.file === path && f.severity !== 'info');
  if (problems.length > 0) return `internal error: a proposed rule does not check clean: ${problems[0].code} ${problems[0].message}`;
  for (const [i, r] of rendered.entries()) {
    const counted = analysis.results.segments.get(r.name);
    if (counted?.size !== result.rules[i].size) return `internal error: ${r.name} counts ${counted?.size ?? 'nothing'} on the engine, not ${result.rules[i].size}`;
  }
  return undefined;
}

export function discoveryReport(d: Discovery): DiscoveryReport {
  const { result, rendered } = d;
  return {
    dataset: d.dataset,
    target: d.target,
    quality: d.quality,
    rows: result.rows,
    targetCount: result.targetCount,
    targetRate: result.baseRate,
    sampledRows: result.sampledRows ?? null,
    countedBy: result.countedBy ?? 'embedded',
    candidateClauses: result.candidates,
    candidates: result.rules.map((r, i) => ({
      name: rendered[i].name,
      where: r.where,
      declaration: rendered[i].text,
      size: r.size,
      share: r.share,
      targetCount: r.targetCount,
      targetRate: r.targetRate,
      lift: r.lift,
      quality: r.quality,
      overlaps: r.overlaps,
    })),
  };
}
