/**
 * The segment preview: a webview beside the editor with sizes, overlaps,
 * coverage, partitions, personas and sample members of the segment under the
 * cursor. The data comes from the server's `segspec/preview` request; the page
 * (client/media/preview.js) draws it with echarts, loaded from the extension
 * under a strict content security policy.
 */
import * as vscode from 'vscode';
import { existsSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import type { LanguageClient } from 'vscode-languageclient/node';
import type { WorkspaceEdit } from 'vscode-languageserver-protocol';
import {
  AppendDeclarationRequestMethod,
  ExplainRowRequestMethod,
  type DiscoverResponse,
  type DiscoveryReport,
  type UntargetedReport,
  PreviewRequestMethod,
  type ExplainRowResult,
  type PreviewData,
  type PreviewParams,
} from '../../server/src/lsp/protocol.js';
import { previewHtml } from './preview-html.js';

type WebviewMessage =
  | { type: 'select'; segment: string }
  | { type: 'explain'; segment: string; key: string }
  | { type: 'ready' }
  | { type: 'discover' }
  | { type: 'addCandidate'; name: string }
  | { type: 'closeDiscovery' };

/** The candidates of the last "Discover segments", shown above the preview until closed. */
interface DiscoveryView {
  report: DiscoveryReport | UntargetedReport;
  /** URI of the .segspec file that declares the dataset. */
  file: string;
  /** Candidates already added to the file. */
  added: string[];
}

const FOLLOW_DELAY_MS = 200;

export class PreviewPanel implements vscode.Disposable {
  private panel: vscode.WebviewPanel | undefined;
  private selected: string | undefined;
  private lastCursor: { uri: string; position: vscode.Position } | undefined;
  private followTimer: NodeJS.Timeout | undefined;
  private requestSeq = 0;
  /** The next data shown should scroll to the selected segment's top (a code-lens click, a click in a chart). */
  private focusNext = false;
  private discovery: DiscoveryView | undefined;

  constructor(
    private readonly context: vscode.ExtensionContext,
    private readonly getClient: () => LanguageClient | undefined,
  ) {}

  get isOpen(): boolean {
    return this.panel !== undefined;
  }

  /** Opens (or reveals) the panel; `segment` selects a segment, e.g. from a code lens. */
  show(segment?: string): void {
    const editor = vscode.window.activeTextEditor;
    if (segment) {
      this.selected = segment;
      this.lastCursor = undefined;
      this.focusNext = true;
    } else if (editor) {
      this.lastCursor = { uri: editor.document.uri.toString(), position: editor.selection.active };
    }
    if (this.panel) {
      this.panel.reveal(vscode.ViewColumn.Beside, true);
      this.refresh();
      return;
    }
    const echarts = this.echartsFile();
    const roots = [vscode.Uri.joinPath(this.context.extensionUri, 'client', 'media'), vscode.Uri.joinPath(echarts, '..')];
    this.panel = vscode.window.createWebviewPanel(
      'segspec.preview',
      'Segment Preview',
      { viewColumn: vscode.ViewColumn.Beside, preserveFocus: true },
      { enableScripts: true, localResourceRoots: roots },
    );
    this.panel.webview.html = this.html(this.panel.webview, echarts);
    this.panel.onDidDispose(() => (this.panel = undefined));
    this.panel.webview.onDidReceiveMessage((m: WebviewMessage) => this.onMessage(m));
  }

  /** Shows the candidates of a discovery in the panel (opening it if needed). */
  showDiscovery(response: Extract<DiscoverResponse, { ok: true }>): void {
    this.discovery = { report: response.report, file: response.file, added: [] };
    this.show();
    void this.postDiscovery();
  }

  private async postDiscovery(): Promise<void> {
    await this.panel?.webview.postMessage({ type: 'discovery', discovery: this.discovery ?? null });
  }

  /**
   * "Add to file": appends the candidate's declaration to the file that
   * declares the dataset (one edit, one undo step) and shows it there, where
   * its code lens appears once the server has counted it.
   */
  private async addCandidate(name: string): Promise<void> {
    const client = this.getClient();
    const discovery = this.discovery;
    const candidate = discovery?.report.candidates.find((c) => c.name === name);
    if (!client || !discovery || !candidate) return;
    const edit = await client.sendRequest<WorkspaceEdit>(AppendDeclarationRequestMethod, { uri: discovery.file, text: candidate.declaration });
    const applied = await vscode.workspace.applyEdit(await client.protocol2CodeConverter.asWorkspaceEdit(edit));
    if (!applied) {
      void vscode.window.showWarningMessage(`Segspec: could not add ${name} to ${vscode.Uri.parse(discovery.file).fsPath}`);
      return;
    }
    discovery.added.push(name);
    void this.postDiscovery();
    const document = await vscode.workspace.openTextDocument(vscode.Uri.parse(discovery.file));
    const line = Math.max(0, document.getText().split('\n').findIndex((l) => l.startsWith(`segment ${name} `)));
    const at = new vscode.Range(line, 0, line, 0);
    await vscode.window.showTextDocument(document, { viewColumn: vscode.ViewColumn.One, selection: at, preserveFocus: false });
  }

  /** Called on every cursor move; updates the selection after a short pause. */
  followCursor(editor: vscode.TextEditor): void {
    const language = editor.document.languageId;
    if (language !== 'segspec' && language !== 'markdown') return;
    this.lastCursor = { uri: editor.document.uri.toString(), position: editor.selection.active };
    if (!this.panel) return;
    if (this.followTimer) clearTimeout(this.followTimer);
    this.followTimer = setTimeout(() => this.refresh(), FOLLOW_DELAY_MS);
  }

  refresh(): void {
    if (!this.panel) return;
    const params: PreviewParams = { segment: this.selected };
    if (this.lastCursor) {
      params.uri = this.lastCursor.uri;
      params.position = { line: this.lastCursor.position.line, character: this.lastCursor.position.character };
    }
    void this.load(params);
  }

  private async load(params: PreviewParams): Promise<void> {
    const client = this.getClient();
    if (!client?.isRunning() || !this.panel) return;
    const seq = ++this.requestSeq;
    try {
      const data = await client.sendRequest<PreviewData>(PreviewRequestMethod, params);
      if (seq !== this.requestSeq || !this.panel) return;
      this.selected = data.selected?.name ?? this.selected;
      const focus = this.focusNext;
      this.focusNext = false;
      await this.panel.webview.postMessage({ type: 'data', data, focus });
    } catch (error) {
      if (this.panel) await this.panel.webview.postMessage({ type: 'error', message: String(error) });
    }
  }

  private async onMessage(message: WebviewMessage): Promise<void> {
    if (message.type === 'ready') {
      this.refresh();
      void this.postDiscovery();
    } else if (message.type === 'discover') {
      void vscode.commands.executeCommand('segspec.discover');
    } else if (message.type === 'addCandidate') {
      await this.addCandidate(message.name);
    } else if (message.type === 'closeDiscovery') {
      this.discovery = undefined;
      void this.postDiscovery();
    } else if (message.type === 'select') {
      this.selected = message.segment;
      this.lastCursor = undefined;
      this.focusNext = true;
      this.refresh();
    } else if (message.type === 'explain') {
      const client = this.getClient();
      if (!client || !this.panel) return;
      const result = await client.sendRequest<ExplainRowResult>(ExplainRowRequestMethod, {
        segment: message.segment,
        key: message.key,
      });
      await this.panel.webview.postMessage({ type: 'explanation', key: message.key, result });
    }
  }

  private echartsFile(): vscode.Uri {
    const bundled = vscode.Uri.joinPath(this.context.extensionUri, 'dist', 'echarts.min.js');
    if (existsSync(bundled.fsPath)) return bundled;
    return vscode.Uri.joinPath(this.context.extensionUri, 'node_modules', 'echarts', 'dist', 'echarts.min.js');
  }

  private html(webview: vscode.Webview, echarts: vscode.Uri): string {
    const media = (file: string): string =>
      webview.asWebviewUri(vscode.Uri.joinPath(this.context.extensionUri, 'client', 'media', file)).toString();
    return previewHtml({
      cspSource: webview.cspSource,
      nonce: randomBytes(16).toString('base64'),
      echartsUri: webview.asWebviewUri(echarts).toString(),
      scriptUri: media('preview.js'),
      styleUri: media('preview.css'),
    });
  }

  dispose(): void {
    if (this.followTimer) clearTimeout(this.followTimer);
    this.panel?.dispose();
  }
}
