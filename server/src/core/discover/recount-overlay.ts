/**
 * The counts a SQL engine measures for a discovery (see recount.ts): the
 * printed declarations, the target and one counting segment per number (a
 * rule and the target, a rule and an existing segment) are written into an
 * overlay file of the workspace, the workspace is analysed, and the host's
 * engine counts every segment of that analysis on all rows. The CLI measures
 * with the engine of `--engine` (or DuckDB for a Parquet source), the
 * editor's discovery worker with DuckDB.
 */
import type { DataAnalysis } from '../engine/index.js';
import type { Analysis, Workspace } from '../workspace.js';
import type { MeasuredCounts, RecountRequest } from './recount.js';

/** Why the engine could not count what the recount asked, for the user. */
export class RecountError extends Error {}

/** The engine's results for an analysis of the workspace: every segment counted on all rows. */
export type MeasureOnEngine = (analysis: Analysis) => Promise<DataAnalysis>;

const OVERLAY = '__segspec_discover_recount__.segspec';
const TARGET = '__recount_target';

/** Counts of the rules, the target and the overlaps on every row, as `engine` measures them. */
export async function recountWithOverlay(workspace: Workspace, request: RecountRequest, engine: string, measure: MeasureOnEngine): Promise<MeasuredCounts> {
  const { dataset, rendered, existing } = request;
  const lines = [...rendered.map((r) => r.text), `segment ${TARGET} {\n  from ${dataset}\n  where ${request.target}\n}`];
  rendered.forEach((r, i) => {
    lines.push(`segment __recount_hit_${i} { from ${dataset} where ${r.name} and ${TARGET} }`);
    existing.forEach((e, j) => lines.push(`segment __recount_overlap_${i}_${j} { from ${dataset} where ${r.name} and ${e} }`));
  });
  const path = `${workspace.root.replace(/[\\/]+$/, '')}/${OVERLAY}`;
  workspace.setOverlay(path, `${lines.join('\n')}\n`, 1);
  let analysis: Analysis;
  try {
    analysis = await workspace.analyze();
  } finally {
    workspace.removeOverlay(path);
  }
  const problem = analysis.findings.find((f) => f.file === path && f.severity === 'error');
  if (problem) throw new RecountError(`internal error: a proposed rule does not check for the recount: ${problem.code} ${problem.message}`);
  const results = await measure(analysis);
  const size = (segment: string): number => {
    const r = results.segments.get(segment);
    if (!r || r.status === 'unavailable') throw new RecountError(`${engine} could not count ${segment}: ${r?.reason ?? 'no result'}`);
    return r.size;
  };
  const rows = results.datasets.get(dataset)?.rows;
  if (rows === undefined) throw new RecountError(`${engine} has no rows for dataset ${dataset}`);
  return {
    rows,
    targetCount: size(TARGET),
    rules: rendered.map((r, i) => ({
      size: size(r.name),
      targetCount: size(`__recount_hit_${i}`),
      overlaps: new Map(existing.map((e, j) => [e, size(`__recount_overlap_${i}_${j}`)])),
    })),
    existingSizes: new Map(existing.map((e) => [e, size(e)])),
  };
}
