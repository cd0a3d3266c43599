/**
 * The VS Code extension: starts the Segspec language server over IPC and adds
 * what LSP alone cannot give — the preview panel, the status bar, commands and
 * the Markdown preview chips.
 */
import * as vscode from 'vscode';
import { startLanguageClient } from './language-client.js';
import { ChipStore } from './markdown-chips.js';
import { segspecMarkdownItPlugin, type MarkdownIt } from './markdown-plugin.js';
import { PreviewPanel } from './preview-panel.js';
import { DatasetStatusBar } from './status-bar.js';
import { registerCommands } from './commands.js';
import { ExplanationDocument } from './explanation-document.js';
import { AnalyzedNotificationMethod, type AnalyzedParams } from '../../server/src/lsp/protocol.js';
import type { LanguageClient } from 'vscode-languageclient/node';

let client: LanguageClient | undefined;

export async function activate(context: vscode.ExtensionContext): Promise<{ extendMarkdownIt(md: MarkdownIt): MarkdownIt }> {
  const chips = new ChipStore();
  const statusBar = new DatasetStatusBar();
  context.subscriptions.push(statusBar);

  client = startLanguageClient(context);
  const getClient = (): LanguageClient | undefined => client;
  const preview = new PreviewPanel(context, getClient);
  const explanations = new ExplanationDocument();
  context.subscriptions.push(preview, explanations);

  const onAnalyzed = (params: AnalyzedParams): void => {
    statusBar.update(params);
    preview.refresh();
    void chips.refresh(client);
  };
  context.subscriptions.push(client.onNotification(AnalyzedNotificationMethod, onAnalyzed));
  registerCommands(context, { getClient, preview, chips, explanations, restart: async () => {
    if (client) await client.restart();
  } });
  context.subscriptions.push(
    vscode.window.onDidChangeTextEditorSelection((e) => preview.followCursor(e.textEditor)),
    vscode.window.onDidChangeActiveTextEditor((editor) => editor && preview.followCursor(editor)),
  );

  await client.start().catch((error: unknown) => {
    void vscode.window.showErrorMessage(`Segspec: the language server did not start: ${String(error)}`);
  });
  void chips.refresh(client);
  return { extendMarkdownIt: (md: MarkdownIt) => md.use(segspecMarkdownItPlugin((kind, name) => chips.get(kind, name))) };
}

export async function deactivate(): Promise<void> {
  if (client) await client.stop();
  client = undefined;
}
