/**
 * The target of a discovery (`--target churned`, `Churn == "Yes"`,
 * `ltv_usd >= p90(ltv_usd)`), evaluated by the engine itself: the expression
 * is checked and counted as the `where` of a scratch segment in an overlay
 * file of the workspace, so it means exactly what it would in a spec, and
 * an error in it is reported with the workspace's own message.
 */
import type { Bitset } from '../engine/bitset.js';
import { analyzeData, referenceDate, type DatasetInput } from '../engine/index.js';
import type { WorkspaceModel } from '../semantics/model.js';
import { fieldsOf } from './rule-walk.js';
import type { Analysis, Workspace } from '../workspace.js';

export const TARGET_SEGMENT = '__discover_target';
const SCRATCH_FILE = '__segspec_discover__.segspec';

export type TargetResult =
  | { ok: true; members: Bitset; rows: number; fields: Set<string>; today: number; analysis: Analysis }
  | { ok: false; message: string };

/** Which dataset discovery runs on: the named one, the target segment's, or the only one. */
export function chooseDataset(model: WorkspaceModel, requested: string | undefined, target: string | undefined): { dataset: string } | { error: string } {
  if (requested !== undefined) {
    return model.datasets.has(requested) ? { dataset: requested } : { error: `no dataset named '${requested}'${namesHint([...model.datasets.keys()])}` };
  }
  const segmentDataset = target !== undefined ? model.segments.get(target.trim())?.dataset : undefined;
  if (segmentDataset) return { dataset: segmentDataset };
  const names = [...model.datasets.keys()];
  if (names.length === 1) return { dataset: names[0] };
  if (names.length === 0) return { error: 'the workspace declares no dataset' };
  return { error: `the workspace has several datasets (${names.join(', ')}): choose one with --dataset` };
}

function namesHint(names: string[]): string {
  return names.length > 0 ? ` (datasets: ${names.join(', ')})` : '';
}

/**
 * `data`: rows to count on instead of the workspace's own (a sample of a
 * dataset the embedded reader cannot read, drawn by a SQL engine); the
 * analysis returned then has the results of every segment on those rows.
 */
export async function evaluateTarget(workspace: Workspace, dataset: string, expression: string, data?: ReadonlyMap<string, DatasetInput>): Promise<TargetResult> {
  const prefix = `segment ${TARGET_SEGMENT} {\n  from ${dataset}\n  where `;
  const path = `${workspace.root.replace(/[\\/]+$/, '')}/${SCRATCH_FILE}`;
  workspace.setOverlay(path, `${prefix}${expression}\n}\n`, 1);
  let analysis: Analysis;
  try {
    analysis = await workspace.analyze();
  } finally {
    workspace.removeOverlay(path);
  }
  const file = analysis.model.files.get(path);
  const declarations = file?.ast.declarations ?? [];
  const problems = analysis.findings.filter((f) => f.file === path && f.severity === 'error');
  if (problems.length > 0) {
    const p = problems[0];
    const column = p.range.start.line === 2 ? p.range.start.character - '  where '.length + 1 : undefined;
    return { ok: false, message: `the target does not check: ${p.message}${column !== undefined && column > 0 ? ` (at character ${column} of the target)` : ''}` };
  }
  if (declarations.length !== 1) return { ok: false, message: 'the target must be one expression' };
  if (data) analysis = { ...analysis, results: analyzeData(analysis.model, data, { asOf: workspace.options.asOf, brokenRules: analysis.brokenRules }) };
  const result = analysis.results.segments.get(TARGET_SEGMENT);
  if (!result?.members || result.status === 'unavailable') {
    return { ok: false, message: `the target cannot be evaluated: ${result?.reason ?? 'no data is loaded for ' + dataset}` };
  }
  const sym = analysis.model.segments.get(TARGET_SEGMENT);
  return {
    ok: true,
    members: result.members,
    rows: result.rows,
    fields: sym?.where ? fieldsOf(sym.where, analysis.model) : new Set(),
    today: referenceDate(analysis.model, dataset, workspace.options),
    analysis,
  };
}
