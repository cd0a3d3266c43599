/**
 * Read-only views of a snapshot's data results, shaped for the editor
 * features (lens, hover, completion detail, preview, chips). Thin: the
 * numbers come from the core engine.
 */
import { prop, props } from '../core/syntax/ast.js';
import type { SegmentResult } from '../core/engine/index.js';
import type { Snapshot } from './session.js';

export type ViewStatus = 'ok' | 'warning' | 'error' | 'draft' | 'unavailable' | 'unknown';

export interface SegmentView {
  name: string;
  title?: string;
  kind?: string;
  description?: string;
  dataset?: string;
  draft: boolean;
  /** Undefined when there is no data to measure on. */
  size?: number;
  share?: number;
  rows?: number;
  status: ViewStatus;
  /** Why there is no size (a rule with an error, one it depends on, no data). */
  reason?: string;
  expectations: { passed: number; total: number };
  /** Failed expectations and examples (what makes a roadmap reference risky). */
  failures: number;
  result?: SegmentResult;
}

export function segmentView(snapshot: Snapshot, name: string): SegmentView | undefined {
  const symbol = snapshot.analysis.model.segments.get(name);
  if (!symbol) return undefined;
  const result = snapshot.analysis.results.segments.get(name);
  const measured = result && (result.status === 'ok' || result.status === 'empty' || result.status === 'failing');
  const failedExpectations = result?.expectations.filter((e) => e.passed === false).length ?? 0;
  const failedExamples = result?.examples.filter((e) => !e.passed).length ?? 0;
  const findings = snapshot.analysis.findings.filter(
    (f) => f.file === symbol.file && f.range.start.offset >= symbol.range.start.offset && f.range.end.offset <= symbol.range.end.offset,
  );
  let status: ViewStatus = 'ok';
  if (!symbol.where) status = 'draft';
  else if (findings.some((f) => f.severity === 'error')) status = 'error';
  else if (result?.status === 'unavailable') status = 'unavailable';
  else if (findings.some((f) => f.severity === 'warning')) status = 'warning';
  else if (!measured) status = 'unknown';
  return {
    name,
    title: symbol.decl.title?.value,
    kind: prop(symbol.decl, 'kind')?.value?.name,
    description: prop(symbol.decl, 'description')?.value?.value,
    dataset: symbol.dataset,
    draft: !symbol.where,
    size: measured ? result.size : undefined,
    share: measured ? result.share : undefined,
    rows: result?.rows,
    status,
    ...(result?.status === 'unavailable' && result.reason ? { reason: result.reason } : {}),
    expectations: {
      passed: result?.expectations.filter((e) => e.passed === true).length ?? 0,
      total: measured ? result.expectations.length : props(symbol.decl, 'expect').length,
    },
    failures: failedExpectations + failedExamples,
    result,
  };
}

export function datasetRows(snapshot: Snapshot, name: string): number | undefined {
  return snapshot.analysis.results.datasets.get(name)?.rows ?? snapshot.analysis.data.get(name)?.table?.rowCount;
}

/** Symmetric matrix of pairwise member counts (diagonal: sizes) for segments with results. */
export function overlapMatrix(snapshot: Snapshot, names: string[]): number[][] {
  const index = new Map(names.map((n, i) => [n, i]));
  const counts = names.map((n, i) => names.map((_, j) => (i === j ? (snapshot.analysis.results.segments.get(n)?.size ?? 0) : 0)));
  for (const overlap of snapshot.analysis.results.overlaps) {
    const i = index.get(overlap.a);
    const j = index.get(overlap.b);
    if (i === undefined || j === undefined) continue;
    counts[i][j] = overlap.count;
    counts[j][i] = overlap.count;
  }
  return counts;
}
