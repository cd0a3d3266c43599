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
    const parts = params.datasets.map((d) => {
      if (!d.loaded) return `${d.name}: not loaded`;
      const unit = d.unit ?? 'rows';
      const count = `${d.rows.toLocaleString('en-US')} ${d.rows === 1 ? (d.unitOne ?? 'row') : unit}`;
      // `users: 8,000 users` says it twice.
      return unit === d.name ? count : `${d.name}: ${count}`;
    });
    this.item.text = `$(database) ${parts.join(' · ')}`;
    this.item.tooltip = `Segspec data: ${params.datasets.map((d) => `${d.name} (${d.loaded ? `${d.rows.toLocaleString('en-US')} rows` : 'not loaded'})`).join(', ')} — click for the segment preview`;
    this.item.show();
  }

  dispose(): void {
    this.item.dispose();
  }
}
