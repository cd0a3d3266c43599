import * as vscode from 'vscode';
import type { AnalyzedParams } from '../../server/src/lsp/protocol.js';

/** Shows the row count of the loaded dataset(s); a click opens the preview. */
export class DatasetStatusBar implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem('segspec.dataset', vscode.StatusBarAlignment.Left, 10);

  constructor() {
    this.item.name = 'Segspec dataset';
    this.item.command = 'segspec.showPreview';
  }

  update(params: AnalyzedParams): void {
    if (params.datasets.length === 0) {
      this.item.hide();
      return;
    }
    const parts = params.datasets.map((d) =>
      d.loaded ? `${d.name}: ${d.rows.toLocaleString('en-US')} rows` : `${d.name}: not loaded`,
    );
    this.item.text = `$(database) ${parts.join(' · ')}`;
    this.item.tooltip = 'Segspec sample data — click for the segment preview';
    this.item.show();
  }

  dispose(): void {
    this.item.dispose();
  }
}
