/** The chip data for the Markdown preview, refreshed from the server after every analysis. */
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import {
  ReferencesInfoRequestMethod,
  type ReferenceInfo,
  type ReferencesInfoResult,
} from '../../server/src/lsp/protocol.js';

export class ChipStore {
  private info: ReferencesInfoResult = { segments: {}, personas: {} };
  private fingerprint = '';

  get(kind: 'segment' | 'persona', name: string): ReferenceInfo | undefined {
    return (kind === 'segment' ? this.info.segments : this.info.personas)[name];
  }

  segments(): ReferenceInfo[] {
    return Object.values(this.info.segments);
  }

  /** The word for a segment's rows, e.g. "customers" (from its dataset). */
  unitOf(segment: string): string {
    return this.info.segments[segment]?.unit ?? 'rows';
  }

  async refresh(client: LanguageClient | undefined): Promise<void> {
    if (!client?.isRunning()) return;
    try {
      const info = await client.sendRequest<ReferencesInfoResult>(ReferencesInfoRequestMethod, {});
      const fingerprint = JSON.stringify(info);
      if (fingerprint === this.fingerprint) return;
      this.info = info;
      this.fingerprint = fingerprint;
      await vscode.commands.executeCommand('markdown.preview.refresh');
    } catch {
      // The server restarts or is gone: keep the last chips.
    }
  }
}

