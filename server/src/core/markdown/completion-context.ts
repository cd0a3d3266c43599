/**
 * What a completion at a cursor in a Markdown document should offer:
 * a segment or persona name inside `@segment(` / `@persona(` or a front-matter
 * list, or the reference keyword itself after a bare `@`.
 */
import type { Range } from '../syntax/ast.js';
import { LineIndex } from './line-index.js';
import type { MarkdownReferenceKind } from './references.js';

export type MarkdownCompletionContext =
  | { type: 'name'; kind: MarkdownReferenceKind; prefix: string; replace: Range }
  | { type: 'keyword'; prefix: string; replace: Range };

export function markdownCompletionContext(text: string, offset: number): MarkdownCompletionContext | undefined {
  const index = new LineIndex(text);
  const pos = index.position(offset);
  const lineStart = offset - pos.character;
  const before = text.slice(lineStart, offset);
  const after = /^[A-Za-z0-9_]*/.exec(text.slice(offset))?.[0] ?? '';

  const inline = /@(segment|persona)\(\s*([A-Za-z0-9_]*)$/.exec(before);
  if (inline) {
    const prefix = inline[2];
    return {
      type: 'name',
      kind: inline[1] as MarkdownReferenceKind,
      prefix,
      replace: index.range(offset - prefix.length, offset + after.length),
    };
  }
  const keyword = /(^|[^\w@])@([A-Za-z]*)$/.exec(before);
  if (keyword) {
    const prefix = keyword[2];
    return { type: 'keyword', prefix, replace: index.range(offset - prefix.length - 1, offset + after.length) };
  }
  const listKind = frontMatterListAt(text, pos.line, before);
  if (listKind) {
    const prefix = /[A-Za-z0-9_]*$/.exec(before)?.[0] ?? '';
    return { type: 'name', kind: listKind, prefix, replace: index.range(offset - prefix.length, offset + after.length) };
  }
  return undefined;
}

/** The list kind when the cursor line is inside a `segments:` / `personas:` front-matter list. */
function frontMatterListAt(text: string, line: number, before: string): MarkdownReferenceKind | undefined {
  const lines = text.split('\n').map((l) => (l.endsWith('\r') ? l.slice(0, -1) : l));
  if (lines[0]?.trim() !== '---') return undefined;
  let end = lines.length;
  for (let i = 1; i < lines.length; i++) {
    if (lines[i].trim() === '---' || lines[i].trim() === '...') {
      end = i;
      break;
    }
  }
  if (line <= 0 || line >= end) return undefined;
  const sameLine = /^(segments|personas)\s*:\s*(\[[^\]]*)?$/.exec(before) ?? /^(segments|personas)\s*:\s*[A-Za-z0-9_]*$/.exec(before);
  if (sameLine) return sameLine[1] === 'segments' ? 'segment' : 'persona';
  if (!/^\s*(-\s*)?[A-Za-z0-9_,\s"']*$/.test(before)) return undefined;
  for (let i = line - 1; i > 0; i--) {
    const key = /^(segments|personas)\s*:\s*(.*)$/.exec(lines[i]);
    if (key) {
      const open = key[2].trim() === '' || (key[2].includes('[') && !key[2].includes(']'));
      return open ? (key[1] === 'segments' ? 'segment' : 'persona') : undefined;
    }
    if (/^\S/.test(lines[i])) return undefined;
  }
  return undefined;
}
