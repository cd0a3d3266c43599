/** A lens above each segment (`1,204 customers · 12.0% · 2/2 expectations`) and dataset (`8,000 rows · 14 fields`). */
import type { CodeLens } from 'vscode-languageserver/node';
import type { FeatureContext } from '../context.js';
import type { Snapshot } from '../session.js';
import { segmentView, datasetRows } from '../results.js';
import { countOf, formatCount, formatShare, unitOf } from '../format.js';
import { segmentsWithOwnRuleErrors } from '../../core/engine/rule-errors.js';
import { toLspRange } from '../ranges.js';
import { isMarkdown } from '../uris.js';
import { flagLenses } from './flag-views.js';
import { coverageText } from '../related-coverage.js';

/**
 * `1,204 customers · 12.0% · 2/2 expectations`. While the rule has an error
 * the lens only says so: the message is the diagnostic's.
 */
export function segmentLensTitle(snapshot: Snapshot, name: string, ruleErrors: ReadonlySet<string> = new Set()): string {
  const view = segmentView(snapshot, name);
  if (!view) return '';
  if (view.draft) return 'draft — no rule yet';
  if (ruleErrors.has(name)) return 'rule has an error';
  if (view.reason) return `unavailable: ${view.reason}`;
  if (view.size === undefined) return view.result?.reason ? `not measured: ${view.result.reason}` : 'not measured';
  const parts = [countOf(view.size, unitOf(snapshot, view.dataset)), formatShare(view.share ?? 0)];
  if (view.expectations.total) parts.push(`${view.expectations.passed}/${view.expectations.total} expectations`);
  return parts.join(' · ');
}

/** `8,000 rows · 14 fields`; for a related dataset also `· 92% of listeners have plays` (SPEC §11). */
function datasetLensTitle(snapshot: Snapshot, dataset: string, rows: number, fields: number): string {
  const coverage = coverageText(snapshot, dataset);
  return [`${formatCount(rows)} rows`, `${fields} fields`, ...(coverage ? [coverage] : [])].join(' · ');
}

export function codeLenses(snapshot: Snapshot, path: string): CodeLens[] {
  const lenses: CodeLens[] = [];
  const model = snapshot.analysis.model;
  const ruleErrors = segmentsWithOwnRuleErrors(model, snapshot.analysis.findings);
  for (const segment of model.segments.values()) {
    if (segment.file !== path) continue;
    lenses.push({
      range: toLspRange(segment.nameRange),
      command: { title: segmentLensTitle(snapshot, segment.name, ruleErrors), command: 'segspec.showPreview', arguments: [segment.name] },
    });
  }
  for (const persona of model.personas.values()) {
    if (persona.file !== path) continue;
    const member = snapshot.analysis.results.personas.get(persona.name)?.member;
    const view = persona.segment ? segmentView(snapshot, persona.segment) : undefined;
    const parts = [persona.segment ? `persona of ${persona.segment}` : 'persona without a segment'];
    if (view?.size !== undefined && !ruleErrors.has(view.name)) parts.push(countOf(view.size, unitOf(snapshot, view.dataset)));
    if (member !== undefined) parts.push(member ? 'profile is a member ✓' : 'profile is not a member ✗');
    lenses.push({ range: toLspRange(persona.nameRange), command: { title: parts.join(' · '), command: 'segspec.showPreview', arguments: persona.segment ? [persona.segment] : [] } });
  }
  for (const partition of model.partitions.values()) {
    if (partition.file !== path) continue;
    const result = snapshot.analysis.results.partitions.find((r) => r.name === partition.name);
    const parts = [`${partition.members.length} segments`];
    if (result?.reason) {
      parts.push(`unavailable: ${result.reason}`);
    } else if (result?.passed !== undefined) {
      const overlapping = result.overlaps.reduce((sum, o) => sum + o.count, 0);
      if (partition.exclusive) parts.push(overlapping === 0 ? 'exclusive ✓' : `exclusive ✗ (${formatCount(overlapping)} in two)`);
      if (partition.exhaustive) parts.push(result.uncovered.count === 0 ? 'exhaustive ✓' : `exhaustive ✗ (${formatCount(result.uncovered.count)} in none)`);
    } else {
      parts.push('not checked');
    }
    lenses.push({ range: toLspRange(partition.nameRange), command: { title: parts.join(' · '), command: 'segspec.showPreview', arguments: [] } });
  }
  lenses.push(...flagLenses(snapshot, path));
  for (const dataset of model.datasets.values()) {
    if (dataset.file !== path) continue;
    const rows = datasetRows(snapshot, dataset.name);
    const fields = model.fieldTypes.get(dataset.name)?.size ?? 0;
    lenses.push({
      range: toLspRange(dataset.nameRange),
      command: { title: rows === undefined ? 'no data loaded' : datasetLensTitle(snapshot, dataset.name, rows, fields), command: 'segspec.showPreview', arguments: [] },
    });
  }
  return lenses;
}

export function registerCodeLens(ctx: FeatureContext): void {
  const { connection, session } = ctx;
  connection.onCodeLens(async (params, token) => {
    const path = session.pathFromUri(params.textDocument.uri);
    if (isMarkdown(path)) return null;
    const snapshot = await session.snapshotFor(path, token);
    return codeLenses(snapshot, path);
  });
  // Lenses show data results: ask the client to refresh them after every analysis.
  session.onAnalyzed(() => {
    if (ctx.capabilities.workspace?.codeLens?.refreshSupport) void connection.sendRequest('workspace/codeLens/refresh').catch(() => undefined);
  });
}
