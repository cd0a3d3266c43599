/**
 * "Which segment?": a quick pick of every segment with its title, size and
 * share; the segment at the cursor (its declaration in a `.segspec` file, or
 * an `@segment(name)` reference in Markdown) comes first.
 */
import * as vscode from 'vscode';
import type { ReferenceInfo } from '../../server/src/lsp/protocol.js';
import { formatCount, formatShare } from './format.js';

export interface SegmentSource {
  segments(): ReferenceInfo[];
  /** The unit word of a segment's dataset ("customers"). */
  unitOf(segment: string): string;
}

/** The segment whose declaration (or Markdown reference) holds the cursor of `editor`. */
export function segmentAtCursor(editor: vscode.TextEditor | undefined, segments: ReferenceInfo[]): string | undefined {
  if (!editor) return undefined;
  const { document, selection } = editor;
  const line = selection.active.line;
  if (document.languageId === 'markdown') {
    const text = document.lineAt(line).text;
    for (const m of text.matchAll(/@segment\(\s*([A-Za-z_][\w-]*)\s*\)/g)) {
      const start = m.index ?? 0;
      if (selection.active.character >= start && selection.active.character <= start + m[0].length) return m[1];
    }
    return undefined;
  }
  const uri = document.uri.toString();
  return segments.find((s) => s.location?.uri === uri && s.location.startLine <= line && line <= s.location.endLine)?.name;
}

interface SegmentItem extends vscode.QuickPickItem {
  name: string;
}

export async function pickSegment(source: SegmentSource, placeHolder: string, options: { withRule?: boolean } = {}): Promise<string | undefined> {
  const all = source.segments().filter((s) => !options.withRule || s.status !== 'draft');
  const atCursor = segmentAtCursor(vscode.window.activeTextEditor, all);
  const ordered = [...all.filter((s) => s.name === atCursor), ...all.filter((s) => s.name !== atCursor)];
  const items: SegmentItem[] = ordered.map((s) => ({
    name: s.name,
    label: s.name,
    description: [s.title, s.name === atCursor ? '(at the cursor)' : undefined].filter(Boolean).join(' '),
    detail: s.size === undefined ? `size unavailable (${s.status})` : `${formatCount(s.size)} ${source.unitOf(s.name)}${s.share === undefined ? '' : ` · ${formatShare(s.share)}`}`,
  }));
  const picked = await vscode.window.showQuickPick(items, { placeHolder, matchOnDescription: true, matchOnDetail: false });
  return picked?.name;
}
