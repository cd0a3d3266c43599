/** Conversions between core ranges (line, character, offset) and LSP ones. */
import type { Position as LspPosition, Range as LspRange } from 'vscode-languageserver/node';
import type { Range } from '../core/syntax/ast.js';

export function toLspRange(range: Range): LspRange {
  return {
    start: { line: range.start.line, character: range.start.character },
    end: { line: range.end.line, character: range.end.character },
  };
}

export function contains(range: Range, offset: number): boolean {
  return range.start.offset <= offset && offset <= range.end.offset;
}

export function comparePositions(a: LspPosition, b: LspPosition): number {
  return a.line - b.line || a.character - b.character;
}
