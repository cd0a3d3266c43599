/** Folding: declarations, `fields { }` blocks, multi-line records and lists, comment blocks. */
import { FoldingRangeKind, type FoldingRange } from 'vscode-languageserver/node';
import type { Node, RecordLiteral, SegspecFile } from '../../core/syntax/ast.js';
import type { FeatureContext } from '../context.js';
import { isMarkdown } from '../uris.js';

export function foldingRanges(ast: SegspecFile): FoldingRange[] {
  const out: FoldingRange[] = [];
  const add = (node: Node, kind?: FoldingRangeKind): void => {
    // Keep the closing line visible, as editors do for braces.
    const endLine = node.range.end.line - (kind === FoldingRangeKind.Comment ? 0 : 1);
    if (endLine > node.range.start.line) out.push({ startLine: node.range.start.line, endLine, kind });
  };
  for (const decl of ast.declarations) {
    add(decl);
    for (const property of decl.properties) {
      if ('fields' in property) add(property);
      const value = 'value' in property ? property.value : undefined;
      if (value && typeof value === 'object' && 'type' in value && (value.type === 'Record' || value.type === 'List')) add(value as RecordLiteral);
      if (property.key === 'where' && value) out.push(...whereFold(property.range));
    }
  }
  let run: { start: number; end: number } | undefined;
  const flush = (): void => {
    if (run && run.end > run.start) out.push({ startLine: run.start, endLine: run.end, kind: FoldingRangeKind.Comment });
    run = undefined;
  };
  for (const comment of ast.comments) {
    if (comment.block) {
      flush();
      add(comment, FoldingRangeKind.Comment);
      continue;
    }
    const line = comment.range.start.line;
    if (run && line === run.end + 1) run.end = line;
    else {
      flush();
      run = { start: line, end: line };
    }
  }
  flush();
  return out;
}

function whereFold(range: Node['range']): FoldingRange[] {
  return range.end.line > range.start.line ? [{ startLine: range.start.line, endLine: range.end.line }] : [];
}

export function registerFolding(ctx: FeatureContext): void {
  const { connection, session } = ctx;
  connection.onFoldingRanges(async (params, token) => {
    const path = session.pathFromUri(params.textDocument.uri);
    if (isMarkdown(path)) return null;
    const snapshot = await session.modelSnapshotFor(path, token);
    const file = snapshot.analysis.model.files.get(path);
    return file ? foldingRanges(file.ast) : null;
  });
}
