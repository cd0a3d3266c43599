import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import {
  ExplainCodeRequestMethod,
  ExplainRowRequestMethod,
  type ExplainCodeResult,
  type ExplainRowResult,
} from '../../server/src/lsp/protocol.js';
import { CopySqlCommand, SqlRequestMethod, type SqlParams, type SqlResult } from '../../server/src/lsp/features/copy-sql-protocol.js';
import type { ExplanationDocument } from './explanation-document.js';
import type { ChipStore } from './markdown-chips.js';
import type { PreviewPanel } from './preview-panel.js';
import { pickSegment } from './segment-pick.js';
import { discoverSegments } from './discover.js';

interface CommandContext {
  getClient(): LanguageClient | undefined;
  preview: PreviewPanel;
  chips: ChipStore;
  explanations: ExplanationDocument;
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
    vscode.commands.registerCommand('segspec.discover', (target?: unknown, dataset?: unknown) =>
      discoverSegments(ctx.getClient(), ctx.preview, {
        target: typeof target === 'string' ? target : undefined,
        dataset: typeof dataset === 'string' ? dataset : undefined,
      }),
    ),
    vscode.commands.registerCommand(CopySqlCommand, (segment?: string, dialect?: string, form?: SqlParams['form']) =>
      copySql(ctx, segment, dialect, form),
    ),
  );
}

interface FormItem extends vscode.QuickPickItem {
  form: NonNullable<SqlParams['form']>;
}

/**
 * Puts a segment's SQL on the clipboard: the condition, or a whole `SELECT`
 * (the dialect: argument, else the `segspec.sqlDialect` setting; the table:
 * the `segspec.sqlTable` setting, else what the server derives from the data source).
 */
async function copySql(ctx: CommandContext, segment?: string, dialect?: string, form?: SqlParams['form']): Promise<void> {
  const client = ctx.getClient();
  if (!client) return;
  const chosen = segment ?? (await pickSegment(ctx.chips, 'Copy the SQL of which segment?', { withRule: true }));
  if (!chosen) return;
  const config = vscode.workspace.getConfiguration('segspec');
  const sqlDialect = dialect ?? config.get<string>('sqlDialect') ?? 'duckdb';
  const table = config.get<string>('sqlTable')?.trim() || undefined;
  const forms: FormItem[] = [
    { form: 'condition', label: 'The condition', description: `the WHERE condition only (${sqlDialect})` },
    { form: 'select', label: 'A full SELECT … FROM … WHERE …', description: table ? `from ${table}` : 'from the data source (setting: segspec.sqlTable)' },
  ];
  const chosenForm = form ?? (await vscode.window.showQuickPick(forms, { placeHolder: `SQL of '${chosen}' in ${sqlDialect}: which form?` }))?.form;
  if (!chosenForm) return;
  const params: SqlParams = { segment: chosen, dialect: sqlDialect, form: chosenForm, table };
  const result = await client.sendRequest<SqlResult>(SqlRequestMethod, params);
  if ('error' in result) {
    void vscode.window.showWarningMessage(`Segspec: cannot compile '${chosen}' to SQL: ${result.error}`);
    return;
  }
  await vscode.env.clipboard.writeText(result.sql);
  const notes = result.notes.length ? ` Note: ${result.notes.join(' ')}` : '';
  const what = chosenForm === 'select' ? 'SELECT statement' : 'SQL condition';
  void vscode.window.showInformationMessage(`Segspec: ${what} of '${chosen}' (${result.dialect}) copied to the clipboard.${notes}`);
}

async function explainRow(ctx: CommandContext, segment?: string, key?: string): Promise<void> {
  const client = ctx.getClient();
  if (!client) return;
  const chosen = segment ?? (await pickSegment(ctx.chips, 'Explain a row: which segment?', { withRule: true }));
  if (!chosen) return;
  const rowKey =
    key ??
    (await vscode.window.showInputBox({
      prompt: `Key of the row to explain for '${chosen}' (or #N for the N-th row, from 0)`,
      placeHolder: 'key',
    }));
  if (!rowKey) return;
  const result = await client.sendRequest<ExplainRowResult>(ExplainRowRequestMethod, { segment: chosen, key: rowKey });
  await ctx.explanations.show(result.text);
}

async function explainCode(ctx: CommandContext, code?: string): Promise<void> {
  const client = ctx.getClient();
  if (!client) return;
  const asked =
    code ??
    (await vscode.window.showInputBox({
      prompt: 'Diagnostic code to explain',
      placeHolder: 'SEG001',
      validateInput: (v) => (/^\s*SEG\d{3}\s*$/i.test(v) ? undefined : 'A code such as SEG001'),
    }));
  if (!asked) return;
  const wanted = asked.trim().toUpperCase();
  const result = await client.sendRequest<ExplainCodeResult | null>(ExplainCodeRequestMethod, { code: wanted });
  if (!result) {
    void vscode.window.showWarningMessage(`Segspec: no explanation for ${wanted}`);
    return;
  }
  await ctx.explanations.show(`# ${result.code}: ${result.title}\n\n${result.explanation}\n`);
}
