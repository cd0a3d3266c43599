/**
 * The exact recount of discovered rules on a SQL engine (SPEC §13: "on
 * DuckDB sources, the recount runs as SQL"), measured with the same compiler
 * and runner as `segspec check --engine` (core/discover/recount-overlay.ts
 * writes the counting segments).
 */
import type { MeasuredCounts, RecountRequest } from '../core/discover/recount.js';
import { recountWithOverlay, RecountError } from '../core/discover/recount-overlay.js';
import type { AnalyzedWorkspace } from './analysis.js';
import { checkOnEngine, type EngineChoice } from './engines.js';
import { CliError } from './errors.js';

/** Counts of the rules, the target and the overlaps on every row, measured by `choice`'s engine. */
export async function recountOnEngine(w: AnalyzedWorkspace, request: RecountRequest, choice: Exclude<EngineChoice, { engine: 'embedded' }>, asOf: string | undefined): Promise<MeasuredCounts> {
  try {
    return await recountWithOverlay(w.workspace, request, choice.engine, async (analysis) => {
      const measured: AnalyzedWorkspace = { ...w, analysis, findings: [] };
      await checkOnEngine([measured], choice, { overlaps: false, asOf });
      return measured.analysis.results;
    });
  } catch (e) {
    if (e instanceof RecountError) throw new CliError(e.message);
    throw e;
  }
}
