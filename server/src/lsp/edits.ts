/** Text edits that quick fixes share: adding lines to a dataset's `fields { }` block, appending a declaration. */
import type { TextEdit } from 'vscode-languageserver/node';
import { prop } from '../core/syntax/ast.js';
import { LineIndex } from '../core/markdown/index.js';
import type { Snapshot } from './session.js';

export interface FileEdit {
  path: string;
  edit: TextEdit;
}

function indentOfLine(text: string, offset: number): string {
  const lineStart = text.lastIndexOf('\n', offset - 1) + 1;
  return /^[ \t]*/.exec(text.slice(lineStart))?.[0] ?? '';
}

function onlyWhitespaceBefore(text: string, offset: number): boolean {
  const lineStart = text.lastIndexOf('\n', offset - 1) + 1;
  return text.slice(lineStart, offset).trim() === '';
}

/** Adds `lines` (e.g. `age: integer`) to the `fields { }` block of a dataset, creating the block when needed. */
export function addFieldsEdit(snapshot: Snapshot, datasetName: string, lines: string[]): FileEdit | undefined {
  const dataset = snapshot.analysis.model.datasets.get(datasetName);
  const text = dataset ? snapshot.analysis.model.files.get(dataset.file)?.text : undefined;
  if (!dataset || text === undefined) return undefined;
  const index = new LineIndex(text);
  const fields = prop(dataset.decl, 'fields');
  const unit = '  ';
  if (fields) {
    const brace = fields.range.end.offset - 1;
    if (text[brace] !== '}') return undefined;
    const last = fields.fields.at(-1);
    const indent = last ? indentOfLine(text, last.range.start.offset) : indentOfLine(text, fields.range.start.offset) + unit;
    if (onlyWhitespaceBefore(text, brace)) {
      const at = text.lastIndexOf('\n', brace - 1) + 1;
      const position = index.position(at);
      return { path: dataset.file, edit: { range: { start: position, end: position }, newText: lines.map((l) => `${indent}${l}\n`).join('') } };
    }
    const position = index.position(brace);
    return { path: dataset.file, edit: { range: { start: position, end: position }, newText: `${lines.join(' ')} ` } };
  }
  const brace = dataset.range.end.offset - 1;
  if (text[brace] !== '}') return undefined;
  const declIndent = indentOfLine(text, dataset.range.start.offset);
  const indent = declIndent + unit;
  const block = `${indent}fields {\n${lines.map((l) => `${indent}${unit}${l}\n`).join('')}${indent}}\n`;
  if (onlyWhitespaceBefore(text, brace)) {
    const position = index.position(text.lastIndexOf('\n', brace - 1) + 1);
    return { path: dataset.file, edit: { range: { start: position, end: position }, newText: block } };
  }
  const position = index.position(brace);
  return { path: dataset.file, edit: { range: { start: position, end: position }, newText: `fields { ${lines.join(' ')} } ` } };
}

/** Appends a declaration at the end of a file, separated by a blank line. */
export function appendDeclarationEdit(text: string, path: string, declaration: string): FileEdit {
  const index = new LineIndex(text);
  const end = index.position(text.length);
  const separator = text.length === 0 ? '' : text.endsWith('\n\n') ? '' : text.endsWith('\n') ? '\n' : '\n\n';
  return { path, edit: { range: { start: end, end }, newText: `${separator}${declaration}\n` } };
}
