/**
 * Explanations (of a row, of a diagnostic code) in one read-only virtual
 * document, `segspec-explain:/Segspec Explanation.md`: each new explanation
 * replaces the last, in the same editor; it is never dirty, so closing it
 * never asks to save.
 */
import * as vscode from 'vscode';

export const ExplanationScheme = 'segspec-explain';

export class ExplanationDocument implements vscode.TextDocumentContentProvider, vscode.Disposable {
  static readonly uri = vscode.Uri.from({ scheme: ExplanationScheme, path: '/Segspec Explanation.md' });
  private content = '';
  private readonly changed = new vscode.EventEmitter<vscode.Uri>();
  readonly onDidChange = this.changed.event;
  private readonly registration = vscode.workspace.registerTextDocumentContentProvider(ExplanationScheme, this);

  provideTextDocumentContent(): string {
    return this.content;
  }

  /** Shows `markdown` in the explanation editor (beside the current one, or where it already is). */
  async show(markdown: string): Promise<void> {
    this.content = markdown;
    this.changed.fire(ExplanationDocument.uri);
    const document = await vscode.workspace.openTextDocument(ExplanationDocument.uri);
    const open = vscode.window.visibleTextEditors.find((e) => e.document.uri.toString() === ExplanationDocument.uri.toString());
    await vscode.window.showTextDocument(document, {
      viewColumn: open?.viewColumn ?? vscode.ViewColumn.Beside,
      preview: true,
      preserveFocus: false,
    });
  }

  dispose(): void {
    this.registration.dispose();
    this.changed.dispose();
  }
}
