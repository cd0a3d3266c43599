import * as vscode from 'vscode';
import { LanguageClient, TransportKind, type LanguageClientOptions, type ServerOptions } from 'vscode-languageclient/node';

/** Data files whose changes the server must hear about (besides sources). */
const WATCHED = '**/*.{segspec,md,csv,tsv,json,jsonl,ndjson,parquet}';

export function settingsForServer(): { asOf?: string; maxRows?: number; engine?: string } {
  const config = vscode.workspace.getConfiguration('segspec');
  const asOf = config.get<string>('asOf')?.trim();
  const maxRows = config.get<number>('maxRows');
  const engine = config.get<string>('engine');
  return { asOf: asOf || undefined, maxRows: maxRows && maxRows > 0 ? maxRows : undefined, engine };
}

export function startLanguageClient(context: vscode.ExtensionContext): LanguageClient {
  const module = context.asAbsolutePath('dist/server.cjs');
  const serverOptions: ServerOptions = {
    run: { module, transport: TransportKind.ipc },
    debug: { module, transport: TransportKind.ipc, options: { execArgv: ['--nolazy', '--inspect=6009'] } },
  };
  const watcher = vscode.workspace.createFileSystemWatcher(WATCHED);
  context.subscriptions.push(watcher);
  const clientOptions: LanguageClientOptions = {
    documentSelector: [
      { scheme: 'file', language: 'segspec' },
      { scheme: 'untitled', language: 'segspec' },
      { scheme: 'file', language: 'markdown' },
    ],
    synchronize: { fileEvents: watcher, configurationSection: 'segspec' },
    initializationOptions: { ...settingsForServer(), codeDescriptionCommand: 'segspec.explainCode' },
    markdown: { isTrusted: true, supportHtml: false },
  };
  return new LanguageClient('segspec', 'Segspec', serverOptions, clientOptions);
}
