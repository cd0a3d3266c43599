/** The plain view of each `flag` declaration of a workspace, for stats and the report. */
import type { AnalyzedWorkspace } from './analysis.js';
import type { FlagView } from './view.js';

export function flagViews(w: AnalyzedWorkspace, workspace: string): FlagView[] {
  const { model, flags } = w.analysis;
  const views: FlagView[] = [];
  for (const symbol of model.flags.values()) {
    const result = flags.get(symbol.name);
    const m = result?.measures;
    const text = model.files.get(symbol.file)?.text ?? '';
    views.push({
      workspace,
      name: symbol.name,
      ...(symbol.decl.title ? { title: symbol.decl.title.value } : {}),
      system: result?.system,
      key: result?.key,
      for: result?.forSegments ?? [],
      dataset: result?.dataset,
      rows: result?.on,
      members: m?.members,
      reached: m?.reached,
      reach: m?.reach,
      leak: m?.leak,
      leakByRule: m?.leakByRule.map((r) => ({ rule: r.rule, count: r.count, exampleKeys: r.exampleKeys })) ?? [],
      ...(result?.unavailable ? { reason: result.unavailable } : result ? {} : { reason: 'not evaluated' }),
      expectations: (result?.expectations ?? []).map((e) => ({
        text: `expect ${text.slice(e.range.start.offset, e.range.end.offset).replace(/\s+/g, ' ')}`,
        passed: e.passed,
        message: e.message,
      })),
    });
  }
  return views;
}
