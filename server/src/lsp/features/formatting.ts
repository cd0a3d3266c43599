/** Document formatting: the core formatter's output as one edit over the whole document. */
import type { TextEdit } from 'vscode-languageserver/node';
import { format } from '../../core/format/formatter.js';
import type { FeatureContext } from '../context.js';
import { isMarkdown } from '../uris.js';

export function registerFormatting(ctx: FeatureContext): void {
  const { connection, documents } = ctx;
  connection.onDocumentFormatting((params, token): TextEdit[] | null => {
    const document = documents.get(params.textDocument.uri);
    if (!document || isMarkdown(document.uri) || token.isCancellationRequested) return null;
    const text = document.getText();
    // A file with syntax errors is left alone: its layout is anyone's guess.
    const formatted = format(text);
    if (formatted === undefined) return null;
    if (formatted === text) return [];
    return [{ range: { start: { line: 0, character: 0 }, end: document.positionAt(text.length) }, newText: formatted }];
  });
}
