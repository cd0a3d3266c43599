/**
 * "Segspec: Discover Segments…" (SPEC §13): asks for a target (and a
 * dataset when the workspace has several), runs the server's search with a
 * cancellable progress notification (its Cancel button sends
 * `$/cancelRequest`, which stops the search), and shows the candidates in
 * the preview panel, where "Add to file" inserts one.
 */
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { DiscoverRequestMethod, type DiscoverParams, type DiscoverResponse } from '../../server/src/lsp/protocol.js';
import type { PreviewPanel } from './preview-panel.js';

export async function discoverSegments(client: LanguageClient | undefined, preview: PreviewPanel, given?: { target?: string; dataset?: string }): Promise<void> {
  if (!client) return;
  const target =
    given?.target ??
    (await vscode.window.showInputBox({
      title: 'Segspec: Discover Segments',
      prompt: 'Target: the segment or condition the candidates should differ most on (a segment name or an expression). Empty: no target.',
      placeHolder: 'churned   ·   plan == "pro"   ·   ltv_usd >= p90(ltv_usd)',
      ignoreFocusOut: true,
    }));
  if (target === undefined) return;
  const editor = vscode.window.activeTextEditor;
  const language = editor?.document.languageId;
  const params: DiscoverParams = { target, dataset: given?.dataset };
  if (editor && (language === 'segspec' || language === 'markdown')) params.uri = editor.document.uri.toString();

  let response = await run(client, params);
  if (response && !response.ok && response.datasets) {
    const dataset = await vscode.window.showQuickPick(response.datasets, { title: 'Segspec: Discover Segments', placeHolder: 'Which dataset?' });
    if (!dataset) return;
    response = await run(client, { ...params, dataset });
  }
  if (!response) return;
  if (!response.ok) {
    void vscode.window.showWarningMessage(`Segspec: ${response.message}`);
    return;
  }
  preview.showDiscovery(response);
}

/** The search, with a progress notification whose Cancel button stops it; undefined when cancelled. */
async function run(client: LanguageClient, params: DiscoverParams): Promise<DiscoverResponse | undefined> {
  const what = params.target?.trim() ? `differing on ${params.target.trim()}` : '';
  return vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: `Segspec: discovering segments ${what}…`, cancellable: true },
    async (_progress, token) => {
      try {
        return await client.sendRequest<DiscoverResponse>(DiscoverRequestMethod, params, token);
      } catch (error) {
        if (token.isCancellationRequested) return undefined;
        return { ok: false, message: `the search failed: ${error instanceof Error ? error.message : String(error)}` };
      }
    },
  );
}
