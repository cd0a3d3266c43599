/**
 * Segment and persona references in Markdown documents (SPEC §7):
 * `@segment(name)`, `@persona(name)` anywhere in the prose, and
 * `segments: [a, b]` / `personas: [...]` (flow or block lists) in YAML front
 * matter. Fenced code blocks and inline code spans are skipped, so documents
 * can show the syntax without referencing anything.
 */
import type { Position, Range } from '../syntax/ast.js';
import { LineIndex } from './line-index.js';

export type MarkdownReferenceKind = 'segment' | 'persona';

export interface MarkdownReference {
  kind: MarkdownReferenceKind;
  name: string;
  /** Range of the name alone (what rename replaces and hover reacts to). */
  nameRange: Range;
  /** Range of the whole reference: `@segment(name)`, or the name in front matter. */
  range: Range;
  origin: 'inline' | 'frontMatter';
}

export interface MarkdownDocument {
  references: MarkdownReference[];
  /** Range of the front matter block including its `---` fences, when present. */
  frontMatter: Range | undefined;
}

const INLINE = /@(segment|persona)\(\s*([A-Za-z_][A-Za-z0-9_]*)?\s*\)/g;
const FENCE = /^ {0,3}(`{3,}|~{3,})/;
const NAME = /[A-Za-z_][A-Za-z0-9_]*/g;
const FRONT_MATTER_KEY = /^(segments|personas)\s*:\s*(.*)$/;

export function parseMarkdown(text: string): MarkdownDocument {
  const index = new LineIndex(text);
  const references: MarkdownReference[] = [];
  const lines = splitLines(text);
  const frontMatterEnd = findFrontMatterEnd(lines);
  let frontMatter: Range | undefined;
  let firstBodyLine = 0;
  if (frontMatterEnd !== undefined) {
    frontMatter = {
      start: index.position(0),
      end: index.position(lines[frontMatterEnd].offset + lines[frontMatterEnd].text.length),
    };
    collectFrontMatter(lines.slice(1, frontMatterEnd), index, references);
    firstBodyLine = frontMatterEnd + 1;
  }
  collectInline(lines.slice(firstBodyLine), index, references);
  return { references, frontMatter };
}

/** The reference whose name (or whole `@segment(...)`) contains the offset. */
export function referenceAt(doc: MarkdownDocument, offset: number): MarkdownReference | undefined {
  return doc.references.find((r) => r.range.start.offset <= offset && offset <= r.range.end.offset);
}

interface Line {
  text: string;
  offset: number;
}

function splitLines(text: string): Line[] {
  const lines: Line[] = [];
  let offset = 0;
  for (const raw of text.split('\n')) {
    lines.push({ text: raw.endsWith('\r') ? raw.slice(0, -1) : raw, offset });
    offset += raw.length + 1;
  }
  return lines;
}

function findFrontMatterEnd(lines: Line[]): number | undefined {
  if (lines.length === 0 || lines[0].text.trim() !== '---') return undefined;
  for (let i = 1; i < lines.length; i++) {
    const t = lines[i].text.trim();
    if (t === '---' || t === '...') return i;
  }
  return undefined;
}

function collectFrontMatter(lines: Line[], index: LineIndex, out: MarkdownReference[]): void {
  let blockKind: MarkdownReferenceKind | undefined;
  let flow: { kind: MarkdownReferenceKind; open: boolean } | undefined;
  for (const line of lines) {
    const key = FRONT_MATTER_KEY.exec(line.text);
    if (key) {
      const kind: MarkdownReferenceKind = key[1] === 'segments' ? 'segment' : 'persona';
      const valueStart = line.text.length - key[2].length;
      const value = stripComment(key[2]);
      blockKind = undefined;
      flow = undefined;
      if (value.trim() === '') {
        blockKind = kind;
      } else if (value.trimStart().startsWith('[')) {
        flow = { kind, open: !value.includes(']') };
        addNames(value.slice(0, value.includes(']') ? value.indexOf(']') : undefined), line.offset + valueStart, kind, index, out);
      } else {
        addNames(value, line.offset + valueStart, kind, index, out);
      }
      continue;
    }
    if (flow?.open) {
      const body = stripComment(line.text);
      const close = body.indexOf(']');
      addNames(close >= 0 ? body.slice(0, close) : body, line.offset, flow.kind, index, out);
      if (close >= 0) flow = undefined;
      continue;
    }
    const item = /^(\s*-\s+)(.*)$/.exec(line.text);
    if (blockKind && item) {
      addNames(stripComment(item[2]), line.offset + item[1].length, blockKind, index, out);
      continue;
    }
    if (/^\S/.test(line.text)) blockKind = undefined;
  }
}

function stripComment(value: string): string {
  const hash = value.search(/(^|\s)#/);
  return hash >= 0 ? value.slice(0, hash) : value;
}

/** Adds each bare or quoted identifier in a YAML list fragment. */
function addNames(
  fragment: string,
  baseOffset: number,
  kind: MarkdownReferenceKind,
  index: LineIndex,
  out: MarkdownReference[],
): void {
  for (const match of fragment.matchAll(NAME)) {
    const start = baseOffset + (match.index ?? 0);
    const range = index.range(start, start + match[0].length);
    out.push({ kind, name: match[0], nameRange: range, range, origin: 'frontMatter' });
  }
}

function collectInline(lines: Line[], index: LineIndex, out: MarkdownReference[]): void {
  let fence: string | undefined;
  for (const line of lines) {
    const fenceMatch = FENCE.exec(line.text);
    if (fence !== undefined) {
      if (fenceMatch && fenceMatch[1][0] === fence[0] && fenceMatch[1].length >= fence.length) fence = undefined;
      continue;
    }
    if (fenceMatch) {
      fence = fenceMatch[1];
      continue;
    }
    const code = codeSpans(line.text);
    for (const match of line.text.matchAll(INLINE)) {
      const at = match.index ?? 0;
      if (code.some(([s, e]) => at >= s && at < e)) continue;
      const name = match[2];
      const start = line.offset + at;
      const range = index.range(start, start + match[0].length);
      if (name === undefined) {
        const inner = start + match[0].indexOf('(') + 1;
        out.push({ kind: match[1] as MarkdownReferenceKind, name: '', nameRange: index.range(inner, inner), range, origin: 'inline' });
        continue;
      }
      const nameStart = start + match[0].indexOf(name, match[0].indexOf('('));
      out.push({
        kind: match[1] as MarkdownReferenceKind,
        name,
        nameRange: index.range(nameStart, nameStart + name.length),
        range,
        origin: 'inline',
      });
    }
  }
}

/** [start, end) column pairs of inline code spans on one line. */
function codeSpans(line: string): Array<[number, number]> {
  const spans: Array<[number, number]> = [];
  let i = 0;
  while (i < line.length) {
    if (line[i] !== '`') {
      i++;
      continue;
    }
    let ticks = 0;
    while (line[i + ticks] === '`') ticks++;
    const marker = '`'.repeat(ticks);
    const close = line.indexOf(marker, i + ticks);
    if (close < 0) break;
    spans.push([i, close + ticks]);
    i = close + ticks;
  }
  return spans;
}

export type { Position, Range };
