import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import {
  ExplainCodeRequestMethod,
  ExplainRowRequestMethod,
  type ExplainCodeResult,
  type ExplainRowResult,
} from '../../server/src/lsp/protocol.js';
import { CopySqlCommand, SqlRequestMethod, type SqlParams, type SqlResult } from '../../server/src/lsp/features/copy-sql-protocol.js';
import type { ChipStore } from './markdown-chips.js';
import type { PreviewPanel } from './preview-panel.js';

interface CommandContext {
  getClient(): LanguageClient | undefined;
  preview: PreviewPanel;
  chips: ChipStore;
  restart(): Promise<void>;
}

export function registerCommands(context: vscode.ExtensionContext, ctx: CommandContext): void {
  context.subscriptions.push(
    vscode.commands.registerCommand('segspec.showPreview', (segment?: unknown) =>
      ctx.preview.show(typeof segment === 'string' ? segment : undefined),
    ),
    vscode.commands.registerCommand('segspec.restartServer', async () => {
      await ctx.restart();
      void vscode.window.setStatusBarMessage('Segspec: language server restarted', 3000);
    }),
    vscode.commands.registerCommand('segspec.explainRow', (segment?: string, key?: string) => explainRow(ctx, segment, key)),
    vscode.commands.registerCommand('segspec.explainCode', (code?: string) => explainCode(ctx, code)),
    vscode.commands.registerCommand(CopySqlCommand, (segment?: string, dialect?: string) => copySql(ctx, segment, dialect)),
  );
}

/** Puts a segment's SQL condition on the clipboard (the dialect: argument, else the `segspec.sqlDialect` setting, else DuckDB). */
async function copySql(ctx: CommandContext, segment?: string, dialect?: string): Promise<void> {
  const client = ctx.getClient();
  if (!client) return;
  const chosen =
    segment ?? (await vscode.window.showQuickPick(ctx.chips.segmentNames(), { placeHolder: 'SQL of which segment?' }));
  if (!chosen) return;
  const params: SqlParams = {
    segment: chosen,
    dialect: dialect ?? vscode.workspace.getConfiguration('segspec').get<string>('sqlDialect') ?? 'duckdb',
  };
  const result = await client.sendRequest<SqlResult>(SqlRequestMethod, params);
  if ('error' in result) {
    void vscode.window.showWarningMessage(`Segspec: cannot compile '${chosen}' to SQL: ${result.error}`);
    return;
  }
  await vscode.env.clipboard.writeText(result.sql);
  const notes = result.notes.length ? ` Note: ${result.notes.join(' ')}` : '';
  void vscode.window.showInformationMessage(`Segspec: SQL of '${chosen}' (${result.dialect}) copied to the clipboard.${notes}`);
}

async function explainRow(ctx: CommandContext, segment?: string, key?: string): Promise<void> {
  const client = ctx.getClient();
  if (!client) return;
  const chosen =
    segment ??
    (await vscode.window.showQuickPick(ctx.chips.segmentNames(), { placeHolder: 'Which segment?' }));
  if (!chosen) return;
  const rowKey = key ?? (await vscode.window.showInputBox({ prompt: `Key of the row to explain for '${chosen}'` }));
  if (!rowKey) return;
  const result = await client.sendRequest<ExplainRowResult>(ExplainRowRequestMethod, { segment: chosen, key: rowKey });
  await showMarkdown(result.text);
}

async function explainCode(ctx: CommandContext, code?: string): Promise<void> {
  const client = ctx.getClient();
  if (!client || !code) return;
  const result = await client.sendRequest<ExplainCodeResult | null>(ExplainCodeRequestMethod, { code });
  if (!result) {
    void vscode.window.showWarningMessage(`Segspec: no explanation for ${code}`);
    return;
  }
  await showMarkdown(`# ${result.code}: ${result.title}\n\n${result.explanation}\n`);
}

async function showMarkdown(content: string): Promise<void> {
  const document = await vscode.workspace.openTextDocument({ language: 'markdown', content });
  await vscode.window.showTextDocument(document, { viewColumn: vscode.ViewColumn.Beside, preview: true });
}
