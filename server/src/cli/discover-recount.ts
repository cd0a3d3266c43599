/**
 * The exact recount of discovered rules on a SQL engine (SPEC §13: "on
 * DuckDB sources, the recount runs as SQL"). The printed declarations, the
 * target and one counting segment per number (a rule and the target, a rule
 * and an existing segment) are written into an overlay file of the
 * workspace and checked on the engine with the same compiler and runner as
 * `segspec check --engine`; every number shown then comes from that count.
 */
import type { MeasuredCounts, RecountRequest } from '../core/discover/recount.js';
import type { Analysis } from '../core/workspace.js';
import type { AnalyzedWorkspace } from './analysis.js';
import { checkOnEngine, type EngineChoice } from './engines.js';
import { CliError } from './errors.js';

const OVERLAY = '__segspec_discover_recount__.segspec';
const TARGET = '__recount_target';

/** Counts of the rules, the target and the overlaps on every row, measured by `choice`'s engine. */
export async function recountOnEngine(w: AnalyzedWorkspace, request: RecountRequest, choice: Exclude<EngineChoice, { engine: 'embedded' }>, asOf: string | undefined): Promise<MeasuredCounts> {
  const { dataset, rendered, existing } = request;
  const lines = [...rendered.map((r) => r.text), `segment ${TARGET} {\n  from ${dataset}\n  where ${request.target}\n}`];
  rendered.forEach((r, i) => {
    lines.push(`segment __recount_hit_${i} { from ${dataset} where ${r.name} and ${TARGET} }`);
    existing.forEach((e, j) => lines.push(`segment __recount_overlap_${i}_${j} { from ${dataset} where ${r.name} and ${e} }`));
  });
  const path = `${w.workspace.root.replace(/[\\/]+$/, '')}/${OVERLAY}`;
  w.workspace.setOverlay(path, `${lines.join('\n')}\n`, 1);
  let analysis: Analysis;
  try {
    analysis = await w.workspace.analyze();
  } finally {
    w.workspace.removeOverlay(path);
  }
  const problem = analysis.findings.find((f) => f.file === path && f.severity === 'error');
  if (problem) throw new CliError(`internal error: a proposed rule does not check for the recount: ${problem.code} ${problem.message}`);
  const measured: AnalyzedWorkspace = { ...w, analysis, findings: [] };
  await checkOnEngine([measured], choice, { overlaps: false, asOf });
  const results = measured.analysis.results;
  const size = (segment: string): number => {
    const r = results.segments.get(segment);
    if (!r || r.status === 'unavailable') throw new CliError(`${choice.engine} could not count ${segment}: ${r?.reason ?? 'no result'}`);
    return r.size;
  };
  const rows = results.datasets.get(dataset)?.rows;
  if (rows === undefined) throw new CliError(`${choice.engine} has no rows for dataset ${dataset}`);
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
