/** The `segspec/*` requests behind the preview, the Markdown chips and the explain commands. */
import { catalog } from '../../core/diagnostics/catalog.js';
import { explainRow } from '../../core/engine/index.js';
import type { FeatureContext } from '../context.js';
import type { Snapshot } from '../session.js';
import {
  AnalyzedNotificationMethod,
  ExplainCodeRequestMethod,
  ExplainRowRequestMethod,
  MemoryRequestMethod,
  PreviewRequestMethod,
  ReferencesInfoRequestMethod,
  type AnalyzedParams,
  type ExplainCodeResult,
  type ExplainRowParams,
  type ExplainRowResult,
  type MemoryResult,
  type PreviewData,
  type PreviewParams,
  type ReferenceInfo,
  type ReferencesInfoResult,
} from '../protocol.js';
import type { Range } from '../../core/syntax/ast.js';
import { pathToUri } from '../uris.js';
import { datasetUnit } from '../../core/semantics/units.js';
import { offsetIn } from '../locate.js';
import { datasetRows, segmentView } from '../results.js';
import { previewData, segmentAt } from './preview-data.js';
import { explainedRow } from './explain-row.js';
import { runInSlices } from '../../core/util/slices.js';
import { pauseForRequests } from '../data-worker.js';
import { throwIfCancelled } from '../cancellation.js';

export function registerCustomRequests(ctx: FeatureContext): void {
  const { connection, session } = ctx;

  const snapshotFor = async (uri: string | undefined, token: Parameters<typeof session.fresh>[1]): Promise<Snapshot | undefined> => {
    if (uri) return session.snapshotFor(session.pathFromUri(uri), token);
    const all = await session.allSnapshots(token);
    return all.find((s) => s.analysis.model.segments.size > 0) ?? all[0];
  };

  connection.onRequest(PreviewRequestMethod, async (params: PreviewParams, token): Promise<PreviewData | null> => {
    const snapshot = await snapshotFor(params.uri, token);
    if (!snapshot) return null;
    let selected: string | undefined;
    if (params.uri && params.position) {
      const path = session.pathFromUri(params.uri);
      const offset = offsetIn(snapshot, path, params.position);
      if (offset !== undefined) selected = segmentAt(snapshot, path, offset);
    }
    if (!selected || !snapshot.analysis.model.segments.has(selected)) selected = params.segment;
    if (!selected || !snapshot.analysis.model.segments.has(selected)) selected = [...snapshot.analysis.model.segments.keys()][0];
    // The overlap matrix is counted when a preview asks for it, in slices so other requests are answered meanwhile.
    const overlapSteps = snapshot.analysis.results.overlapSteps;
    if (overlapSteps) await runInSlices(overlapSteps(), pauseForRequests, () => throwIfCancelled(token));
    return previewData(snapshot, selected);
  });

  const definitionLocation = (sym: { file: string; range: Range; nameRange: Range }): ReferenceInfo['location'] => ({
    uri: session.documentFor(sym.file)?.uri ?? pathToUri(sym.file),
    startLine: sym.range.start.line,
    endLine: sym.range.end.line,
    character: sym.nameRange.start.character,
  });

  connection.onRequest(ReferencesInfoRequestMethod, async (_params: unknown, token): Promise<ReferencesInfoResult> => {
    const out: ReferencesInfoResult = { segments: {}, personas: {} };
    for (const snapshot of await session.allSnapshots(token)) {
      for (const name of snapshot.analysis.model.segments.keys()) {
        const view = segmentView(snapshot, name)!;
        const sym = snapshot.analysis.model.segments.get(name)!;
        out.segments[name] = {
          kind: 'segment',
          name,
          title: view.title,
          size: view.size,
          share: view.share,
          status: view.status,
          location: definitionLocation(sym),
          unit: datasetUnit(snapshot.analysis.model, sym.dataset).many,
          unitOne: datasetUnit(snapshot.analysis.model, sym.dataset).one,
        };
        if (view.reason) out.segments[name].reason = view.reason;
      }
      for (const persona of snapshot.analysis.model.personas.values()) {
        const view = persona.segment ? segmentView(snapshot, persona.segment) : undefined;
        out.personas[persona.name] = {
          kind: 'persona',
          name: persona.name,
          title: persona.decl.title?.value,
          size: view?.size,
          share: view?.share,
          status: view?.status ?? 'unknown',
          location: definitionLocation(persona),
          segment: persona.segment,
          segmentTitle: view?.title,
          ...(view?.reason ? { reason: view.reason } : {}),
        };
      }
    }
    return out;
  });

  connection.onRequest(ExplainRowRequestMethod, async (params: ExplainRowParams, token): Promise<ExplainRowResult> => {
    for (const snapshot of await session.allSnapshots(token)) {
      const { model, data, results } = snapshot.analysis;
      if (!model.segments.has(params.segment)) continue;
      const asOf = session.settings.asOf;
      const explained = explainRow(model, data, results, params.segment, params.key, { asOf });
      if (!explained) {
        return { text: `No row with key \`${params.key}\` in the data of \`${params.segment}\` (or the segment has no rule or no data).` };
      }
      return explainedRow(snapshot, params, explained);
    }
    return { text: `Unknown segment \`${params.segment}\`.` };
  });

  connection.onRequest(ExplainCodeRequestMethod, (params: { code: string }): ExplainCodeResult | null => {
    const entry = catalog.get(params.code);
    return entry ? { code: entry.code, title: entry.title, explanation: entry.explanation } : null;
  });

  connection.onRequest(MemoryRequestMethod, (): MemoryResult => {
    const gc = (globalThis as { gc?: () => void }).gc;
    gc?.();
    const { heapUsed, external, rss } = process.memoryUsage();
    return { heapUsed, external, rss, collected: gc !== undefined };
  });

  session.onAnalyzed((snapshot) => {
    const datasets = [...snapshot.analysis.model.datasets.keys()].map((name) => {
      // The engine's count: every row when DuckDB measured a dataset above maxRows or a Parquet file.
      const rows = datasetRows(snapshot, name);
      const unit = datasetUnit(snapshot.analysis.model, name);
      return { name, rows: rows ?? 0, loaded: rows !== undefined, unit: unit.many, unitOne: unit.one };
    });
    const params: AnalyzedParams = { datasets, generation: snapshot.generation };
    void connection.sendNotification(AnalyzedNotificationMethod, params);
  });
}
