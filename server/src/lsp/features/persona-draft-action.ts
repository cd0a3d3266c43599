/**
 * "Draft a persona for <segment>" (SPEC §13): a code action on a segment's
 * name that inserts, after the segment's declaration, the `persona` that
 * `segspec persona SEGMENT` prints (the same core function). Drafting reads
 * every member, so the edit is computed when the user picks the action
 * (`codeAction/resolve`) for clients that resolve edits, and at once for others.
 */
import { CodeActionKind, type CodeAction, type Position, type WorkspaceEdit } from 'vscode-languageserver/node';
import { personaForSegment } from '../../core/discover/persona-for-segment.js';
import { LineIndex } from '../../core/markdown/index.js';
import type { FeatureContext } from '../context.js';
import type { Snapshot } from '../session.js';
import { locate, offsetIn, textOf } from '../locate.js';
import { isMarkdown, pathToUri } from '../uris.js';

/** What the action carries until it is resolved. */
export interface PersonaDraftData {
  personaDraft: { segment: string; uri: string };
}

export function isPersonaDraftData(data: unknown): data is PersonaDraftData {
  const draft = (data as Partial<PersonaDraftData> | null)?.personaDraft;
  return typeof draft?.segment === 'string' && typeof draft.uri === 'string';
}

/** The segment whose declaration name (or a reference to it) is under the cursor, when it has members to draw from. */
export function personaDraftTarget(snapshot: Snapshot, path: string, position: Position): string | undefined {
  if (isMarkdown(path)) return undefined;
  const offset = offsetIn(snapshot, path, position);
  if (offset === undefined) return undefined;
  const located = locate(snapshot, path, offset);
  if (located?.target.kind !== 'segment' || located.unresolved) return undefined;
  const name = located.target.name;
  const symbol = snapshot.analysis.model.segments.get(name);
  const result = snapshot.analysis.results.segments.get(name);
  const loaded = symbol?.dataset !== undefined && snapshot.analysis.data.get(symbol.dataset)?.table !== undefined;
  if (!symbol?.where || !loaded || !result?.members || result.status === 'unavailable' || result.size === 0) return undefined;
  return name;
}

export function personaDraftTitle(segment: string): string {
  return `Draft a persona for ${segment}`;
}

/**
 * The edit inserting the draft after the segment's declaration, separated by
 * a blank line; or why there is none.
 */
export function personaDraftEdit(snapshot: Snapshot, segment: string, uriOf: (path: string) => string, asOf: string | undefined): WorkspaceEdit | { error: string } {
  const symbol = snapshot.analysis.model.segments.get(segment);
  const text = symbol ? textOf(snapshot, symbol.file) : undefined;
  if (!symbol || text === undefined) return { error: `no segment named '${segment}'` };
  const draft = personaForSegment(snapshot.analysis, segment, { asOf });
  if (!draft.ok) return { error: draft.message };
  const end = symbol.range.end.offset;
  const lineEnd = text.indexOf('\n', end);
  const at = lineEnd < 0 ? text.length : lineEnd + 1;
  const position = new LineIndex(text).position(at);
  const newText = lineEnd < 0 ? `\n\n${draft.text}` : `\n${draft.text}`;
  return { changes: { [uriOf(symbol.file)]: [{ range: { start: position, end: position }, newText }] } };
}

export function registerPersonaDraftResolve(ctx: FeatureContext): void {
  const { connection, session } = ctx;
  connection.onCodeActionResolve(async (action, token): Promise<CodeAction> => {
    if (!isPersonaDraftData(action.data)) return action;
    const { segment, uri } = action.data.personaDraft;
    const snapshot = await session.snapshotFor(session.pathFromUri(uri), token);
    const edit = personaDraftEdit(snapshot, segment, (p) => session.documentFor(p)?.uri ?? pathToUri(p), session.settings.asOf);
    if ('error' in edit) return { ...action, disabled: { reason: edit.error } };
    return { ...action, edit };
  });
}

/** The action: with its edit when the client cannot resolve one later. */
export function personaDraftAction(ctx: FeatureContext, snapshot: Snapshot, segment: string, uri: string): CodeAction | undefined {
  const title = personaDraftTitle(segment);
  const resolves = ctx.capabilities.textDocument?.codeAction?.resolveSupport?.properties.includes('edit') === true;
  if (resolves) {
    const data: PersonaDraftData = { personaDraft: { segment, uri } };
    return { title, kind: CodeActionKind.Refactor, data };
  }
  const { session } = ctx;
  const edit = personaDraftEdit(snapshot, segment, (p) => session.documentFor(p)?.uri ?? pathToUri(p), session.settings.asOf);
  return 'error' in edit ? undefined : { title, kind: CodeActionKind.Refactor, edit };
}
