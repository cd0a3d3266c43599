/**
 * A discovery without a target on an analysed workspace, from the request
 * to the report (core/discover/untargeted.ts clusters and describes): what
 * `segspec discover` without `--target` and the editor's "Discover segments"
 * with an empty target both run, every printed rule recounted by the engine.
 */
import { referenceDate } from '../engine/index.js';
import { prop } from '../syntax/ast.js';
import type { Analysis, Workspace } from '../workspace.js';
import { relatedDerivedColumns } from './related-clauses.js';
import type { RenderedRule } from './render.js';
import { minSizeRows, verifyRendered, type MinSize } from './run.js';
import { chooseDataset } from './target.js';
import { describeClusterRule, renderClusterRules } from './untargeted-render.js';
import { discoverClusters, type UntargetedResult } from './untargeted.js';

export interface UntargetedRequest {
  dataset?: string;
  /** Most segments (K when `clusters` is not given). */
  max: number;
  /** A fixed number of clusters. */
  clusters?: number;
  depth: number;
  minSize?: MinSize;
}

export interface UntargetedDiscovery {
  dataset: string;
  result: UntargetedResult;
  rendered: RenderedRule[];
}

export type UntargetedOutcome = ({ ok: true } & UntargetedDiscovery) | { ok: false; message: string };

export async function discoverUntargetedInWorkspace(workspace: Workspace, analysis: Analysis, request: UntargetedRequest): Promise<UntargetedOutcome> {
  const model = analysis.model;
  const chosen = chooseDataset(model, request.dataset, undefined);
  if ('error' in chosen) return { ok: false, message: chosen.error };
  const { dataset } = chosen;
  const table = analysis.data.get(dataset)?.table;
  if (!table) {
    const source = prop(model.datasets.get(dataset)!.decl, 'source')?.value?.value ?? '';
    // With a target, DuckDB draws the rows of a Parquet source; the clustering has no such path yet.
    if (/\.parquet$/i.test(source)) return { ok: false, message: `dataset ${dataset} is a Parquet file, which the embedded engine does not read: discovery without a target cannot run on it; give a target (DuckDB then draws the rows searched)` };
    return { ok: false, message: `no data is loaded for dataset ${dataset}: run 'segspec check' to see why` };
  }
  const keyField = prop(model.datasets.get(dataset)!.decl, 'key')?.value?.name;
  const existing = [...analysis.results.segments.values()]
    .filter((s) => s.dataset === dataset && s.members && s.status !== 'unavailable')
    .map((s) => ({ name: s.name, members: s.members! }));
  const today = referenceDate(model, dataset, workspace.options);
  // Aggregates and lookups of related datasets (SPEC §11), from the engine's cache, as with a target.
  const derived = relatedDerivedColumns({ cache: workspace.engine.related, model, tableOf: (d) => analysis.data.get(d)?.table, dataset, today, exclude: new Set() });
  const outcome = discoverClusters({
    table,
    derived,
    today,
    exclude: new Set(keyField ? [keyField] : []),
    reserved: new Set([...model.segments.keys(), ...model.personas.keys(), ...model.datasets.keys()]),
    existing,
    options: { max: request.max, clusters: request.clusters, depth: request.depth, minSize: minSizeRows(request.minSize, table.rowCount) },
  });
  if (!outcome.ok) return { ok: false, message: `cannot discover segments in ${dataset}: ${outcome.message}` };
  const result = outcome.result;
  const taken = new Set<string>([...model.segments.keys(), ...model.personas.keys(), ...model.datasets.keys(), ...model.partitions.keys(), ...table.byName.keys()]);
  const rendered = renderClusterRules(result, { dataset, taken });
  const problem = await verifyRendered(workspace, rendered, result);
  if (problem) return { ok: false, message: problem };
  return { ok: true, dataset, result, rendered };
}

/** What `segspec discover --format json` prints without a target. */
export function untargetedReport({ dataset, result, rendered }: UntargetedDiscovery) {
  return {
    dataset,
    target: null,
    rows: result.rows,
    sampledRows: result.sampledRows ?? null,
    clusteredRows: result.clusteredRows,
    candidateClauses: result.candidates,
    fields: result.fields,
    k: result.k,
    kChoice: result.choice,
    fidelity: 'F1 of the rule against its cluster (precision = share of the rule in the cluster, recall = share of the cluster in the rule)',
    coverage: result.coverage,
    meanJaccard: result.meanJaccard,
    maxJaccard: result.maxJaccard,
    clusters: result.clusters.map((c) => ({ cluster: c.cluster, size: c.size, share: c.share, rule: c.rule !== undefined ? rendered[c.rule].name : null, note: c.note ?? null })),
    candidates: result.rules.map((r, i) => ({
      name: rendered[i].name,
      where: r.where,
      declaration: rendered[i].text,
      description: describeClusterRule(r, result),
      size: r.size,
      share: r.share,
      cluster: r.cluster,
      clusterSize: r.clusterSize,
      inCluster: r.inCluster,
      precision: r.precision,
      recall: r.recall,
      f1: r.f1,
      overlaps: r.overlaps,
    })),
  };
}

export type UntargetedReport = ReturnType<typeof untargetedReport>;
