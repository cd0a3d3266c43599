/** Document symbols (outline) and workspace symbols (Go to Symbol in Workspace). */
import { SymbolKind, type DocumentSymbol, type SymbolInformation } from 'vscode-languageserver/node';
import type { Declaration } from '../../core/syntax/ast.js';
import { prop } from '../../core/syntax/ast.js';
import type { FeatureContext } from '../context.js';
import { allSymbols } from '../locate.js';
import { toLspRange } from '../ranges.js';
import { isMarkdown, pathToUri } from '../uris.js';
import { throwIfCancelled } from '../cancellation.js';

const kinds: Record<Declaration['type'], SymbolKind> = {
  Dataset: SymbolKind.Namespace,
  Segment: SymbolKind.Class,
  Persona: SymbolKind.Interface,
  Partition: SymbolKind.Enum,
  Flag: SymbolKind.Boolean,
};

function documentSymbol(decl: Declaration): DocumentSymbol | undefined {
  if (!decl.name) return undefined;
  const children: DocumentSymbol[] = [];
  if (decl.type === 'Dataset') {
    for (const field of prop(decl, 'fields')?.fields ?? []) {
      children.push({
        name: field.name.name,
        detail: field.fieldType ? `${field.fieldType.name}${field.fieldType.element ? `<${field.fieldType.element}>` : ''}${field.fieldType.optional ? '?' : ''}` : undefined,
        kind: SymbolKind.Field,
        range: toLspRange(field.range),
        selectionRange: toLspRange(field.name.range),
      });
    }
  }
  return {
    name: decl.name.name,
    detail: decl.title?.value,
    kind: kinds[decl.type],
    range: toLspRange(decl.range),
    selectionRange: toLspRange(decl.name.range),
    children,
  };
}

/** Case-insensitive subsequence match, as editors expect from "Go to Symbol". */
export function fuzzyMatch(query: string, name: string): boolean {
  const q = query.toLowerCase();
  const n = name.toLowerCase();
  let i = 0;
  for (const c of n) if (c === q[i]) i++;
  return i === q.length;
}

export function registerSymbols(ctx: FeatureContext): void {
  const { connection, session } = ctx;

  connection.onDocumentSymbol(async (params, token) => {
    const path = session.pathFromUri(params.textDocument.uri);
    if (isMarkdown(path)) return null;
    const snapshot = await session.modelSnapshotFor(path, token);
    const file = snapshot.analysis.model.files.get(path);
    if (!file) return null;
    return file.ast.declarations.map(documentSymbol).filter((s): s is DocumentSymbol => s !== undefined);
  });

  connection.onWorkspaceSymbol(async (params, token): Promise<SymbolInformation[]> => {
    const snapshots = await session.allModelSnapshots(token);
    throwIfCancelled(token);
    const out: SymbolInformation[] = [];
    for (const snapshot of snapshots) {
      for (const symbol of allSymbols(snapshot)) {
        if (!fuzzyMatch(params.query, symbol.name)) continue;
        out.push({
          name: symbol.name,
          kind: kinds[symbol.decl.type],
          containerName: symbol.kind,
          location: { uri: session.documentFor(symbol.file)?.uri ?? pathToUri(symbol.file), range: toLspRange(symbol.nameRange) },
        });
      }
    }
    return out;
  });
}
