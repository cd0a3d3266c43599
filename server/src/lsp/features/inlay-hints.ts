/** Inlay hints: the inferred type after each use of an undeclared field; the size after each Markdown reference. */
import { InlayHintKind, type InlayHint } from 'vscode-languageserver/node';
import type { FeatureContext } from '../context.js';
import type { Snapshot } from '../session.js';
import { segmentView } from '../results.js';
import { formatCount, formatShare } from '../format.js';
import { isMarkdown } from '../uris.js';

export function markdownHints(snapshot: Snapshot, path: string): InlayHint[] {
  const doc = snapshot.markdown.get(path);
  if (!doc) return [];
  const hints: InlayHint[] = [];
  for (const ref of doc.references) {
    const segmentName = ref.kind === 'segment' ? ref.name : snapshot.analysis.model.personas.get(ref.name)?.segment;
    const view = segmentName ? segmentView(snapshot, segmentName) : undefined;
    if (!view) continue;
    const label = view.draft ? 'draft' : view.size === undefined ? 'no data' : `${formatCount(view.size)} · ${formatShare(view.share ?? 0)}`;
    hints.push({ position: { line: ref.range.end.line, character: ref.range.end.character }, label, paddingLeft: true, tooltip: `${segmentName}: ${label}` });
  }
  return hints;
}

export function inferredTypeHints(snapshot: Snapshot, path: string): InlayHint[] {
  const model = snapshot.analysis.model;
  const hints: InlayHint[] = [];
  const shown = new Set<string>();
  for (const reference of model.references) {
    if (reference.file !== path || reference.target?.kind !== 'field') continue;
    const info = model.fieldTypes.get(reference.target.dataset)?.get(reference.target.name);
    if (!info?.inferred) continue;
    // Once per field and line is enough to read the type.
    const key = `${reference.target.name}:${reference.range.end.line}`;
    if (shown.has(key)) continue;
    shown.add(key);
    hints.push({
      position: { line: reference.range.end.line, character: reference.range.end.character },
      label: `: ${info.type}${info.optional ? '?' : ''}`,
      kind: InlayHintKind.Type,
      tooltip: 'Type inferred from the data; pin it in `fields { }` with the quick fix',
    });
  }
  return hints;
}

export function registerInlayHints(ctx: FeatureContext): void {
  const { connection, session } = ctx;
  connection.languages.inlayHint.on(async (params, token) => {
    const path = session.pathFromUri(params.textDocument.uri);
    const snapshot = await session.snapshotFor(path, token);
    const hints = isMarkdown(path) ? markdownHints(snapshot, path) : inferredTypeHints(snapshot, path);
    const { start, end } = params.range;
    return hints.filter((h) => h.position.line >= start.line && h.position.line <= end.line);
  });
  session.onAnalyzed(() => {
    if (ctx.capabilities.workspace?.inlayHint?.refreshSupport) void connection.languages.inlayHint.refresh().catch(() => undefined);
  });
}
