/** Document formatting: the core formatter's output as one edit over the whole document. */
import type { TextEdit } from 'vscode-languageserver/node';
import type { FeatureContext } from '../context.js';
import { isMarkdown } from '../uris.js';

/** The core formatter, once it is part of the build (core/format). */
type Formatter = (text: string) => string;
let formatter: Formatter | undefined;

export function useFormatter(format: Formatter): void {
  formatter = format;
}

export function registerFormatting(ctx: FeatureContext): void {
  const { connection, documents } = ctx;
  connection.onDocumentFormatting((params, token): TextEdit[] | null => {
    const document = documents.get(params.textDocument.uri);
    if (!document || isMarkdown(document.uri) || !formatter || token.isCancellationRequested) return null;
    const text = document.getText();
    const formatted = formatter(text);
    if (formatted === text) return [];
    return [{ range: { start: { line: 0, character: 0 }, end: document.positionAt(text.length) }, newText: formatted }];
  });
}
