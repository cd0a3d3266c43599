/**
 * The Segspec language server over any LSP connection: `main.ts` starts it on
 * the transport given on the command line, `segspec lsp --stdio` from the CLI,
 * and tests in-process.
 */
import {
  createConnection,
  ProposedFeatures,
  DidChangeConfigurationNotification,
  DidChangeWatchedFilesNotification,
  TextDocuments,
  TextDocumentSyncKind,
  type Connection,
  type InitializeParams,
  type InitializeResult,
} from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { Host } from '../core/host.js';
import { NodeHost } from '../node/fs-host.js';
import { rowLimitedHost } from '../core/data/row-limit.js';
import { isEngineSetting } from '../sqlengines/duckdb-datasets.js';
import { Session, type SessionSettings } from './session.js';
import { pauseForRequests, WorkerParser } from './data-worker.js';
import { uriToPath } from './uris.js';
import type { FeatureContext } from './context.js';
import { registerDiagnostics } from './features/diagnostics.js';
import { registerSymbols } from './features/symbols.js';
import { registerFolding } from './features/folding.js';
import { registerNavigation } from './features/navigation.js';
import { registerRename } from './features/rename.js';
import { registerFormatting } from './features/formatting.js';
import { registerSemanticTokens, semanticTokensLegend } from './features/semantic-tokens.js';
import { registerHover } from './features/hover.js';
import { registerCompletion, completionTriggerCharacters } from './features/completion.js';
import { registerCodeActions, codeActionKinds } from './features/code-actions.js';
import { registerCodeLens } from './features/code-lens.js';
import { registerInlayHints } from './features/inlay-hints.js';
import { registerCustomRequests } from './features/custom-requests.js';
import { registerDocumentLinks } from './features/document-links.js';
import { registerDiscover } from './features/discover.js';
import { DiscoverRunner } from './discover-worker.js';

export interface ServerOptions {
  host?: Host;
  /**
   * A script that runs `runDataWorkerIfAsked()` and `runDiscoverWorkerIfAsked()`
   * first (dist/server.cjs): data files are then parsed, and discovery runs, on
   * worker threads started from it. Without one both run on the server's thread.
   */
  dataWorkerScript?: string;
}

/**
 * Runs the server on this process with the transport named on the command line
 * (`--stdio`, `--node-ipc`, `--socket=N`): what `dist/server.cjs` and
 * `segspec lsp --stdio` do.
 */
export function startServerOnProcess(): void {
  const bundle = typeof __filename === 'string' && __filename.endsWith('.cjs') ? __filename : undefined;
  startServer(createConnection(ProposedFeatures.all), { dataWorkerScript: bundle });
}

export function startServer(connection: Connection, options: ServerOptions = {}): void {
  const documents = new TextDocuments(TextDocument);
  let progressSupported = false;
  let dynamicWatchers = false;
  let configurationPull = false;
  let session: Session | undefined = undefined;
  const host = rowLimitedHost(options.host ?? new NodeHost(), () => session?.settings.maxRows);
  const parser = options.dataWorkerScript ? new WorkerParser(options.dataWorkerScript) : undefined;
  session = new Session(connection, documents, host, () => progressSupported, { parseData: parser?.parse, pause: pauseForRequests });
  const discoverRunner = new DiscoverRunner(options.dataWorkerScript, host);
  connection.onExit(() => {
    parser?.close();
    discoverRunner.close();
  });
  const ctx: FeatureContext = { connection, documents, session, codeDescriptionCommand: undefined, capabilities: {} };

  connection.onInitialize((params: InitializeParams): InitializeResult => {
    const caps = params.capabilities;
    ctx.capabilities = caps;
    progressSupported = caps.window?.workDoneProgress === true;
    dynamicWatchers = caps.workspace?.didChangeWatchedFiles?.dynamicRegistration === true;
    configurationPull = caps.workspace?.configuration === true;
    const init = (params.initializationOptions ?? {}) as SessionSettings & { codeDescriptionCommand?: string };
    ctx.codeDescriptionCommand = init.codeDescriptionCommand;
    session.settings = { asOf: init.asOf, maxRows: init.maxRows, engine: isEngineSetting(init.engine) ? init.engine : undefined };
    const folders = params.workspaceFolders?.map((f) => uriToPath(f.uri)) ?? (params.rootUri ? [uriToPath(params.rootUri)] : []);
    session.setFolders(folders);
    return {
      capabilities: {
        textDocumentSync: { openClose: true, change: TextDocumentSyncKind.Incremental, save: false },
        completionProvider: { triggerCharacters: completionTriggerCharacters, resolveProvider: false },
        hoverProvider: true,
        definitionProvider: true,
        referencesProvider: true,
        renameProvider: { prepareProvider: true },
        documentSymbolProvider: true,
        workspaceSymbolProvider: true,
        foldingRangeProvider: true,
        documentFormattingProvider: true,
        semanticTokensProvider: { legend: semanticTokensLegend, full: true },
        codeActionProvider: { codeActionKinds, resolveProvider: true },
        codeLensProvider: { resolveProvider: false },
        inlayHintProvider: true,
        documentLinkProvider: { resolveProvider: false },
        workspace: { workspaceFolders: { supported: true, changeNotifications: true } },
      },
      serverInfo: { name: 'segspec', version: '0.1.0' },
    };
  });

  connection.onInitialized(() => {
    if (dynamicWatchers) {
      void connection.client.register(DidChangeWatchedFilesNotification.type, {
        watchers: [{ globPattern: '**/*.{segspec,md,csv,tsv,json,jsonl,ndjson,parquet}' }],
      });
    }
    if (configurationPull) void connection.client.register(DidChangeConfigurationNotification.type, { section: 'segspec' });
    connection.workspace.onDidChangeWorkspaceFolders((event) => {
      const current = new Set(session.allProjects().map((p) => p.root));
      for (const removed of event.removed) current.delete(uriToPath(removed.uri));
      for (const added of event.added) current.add(uriToPath(added.uri));
      session.setFolders([...current]);
    });
  });

  connection.onDidChangeConfiguration(async (change) => {
    let settings = (change.settings as { segspec?: SessionSettings } | undefined)?.segspec;
    if (configurationPull) {
      settings = ((await connection.workspace.getConfiguration('segspec')) ?? undefined) as SessionSettings | undefined;
    }
    if (!settings) return;
    const asOf = typeof settings.asOf === 'string' && settings.asOf.trim() ? settings.asOf.trim() : undefined;
    const maxRows = typeof settings.maxRows === 'number' && settings.maxRows > 0 ? settings.maxRows : undefined;
    const engine = isEngineSetting(settings.engine) ? settings.engine : undefined;
    session.updateSettings({ asOf, maxRows, engine });
  });

  connection.onDidChangeWatchedFiles((params) => {
    session.filesChanged(params.changes.map((c) => uriToPath(c.uri)));
  });

  documents.onDidChangeContent((e) => session.documentChanged(e.document));
  documents.onDidClose((e) => session.documentClosed(e.document));

  registerDiagnostics(ctx);
  registerSymbols(ctx);
  registerFolding(ctx);
  registerNavigation(ctx);
  registerRename(ctx);
  registerFormatting(ctx);
  registerSemanticTokens(ctx);
  registerHover(ctx);
  registerCompletion(ctx);
  registerCodeActions(ctx);
  registerCodeLens(ctx);
  registerInlayHints(ctx);
  registerCustomRequests(ctx);
  registerDocumentLinks(ctx);
  registerDiscover(ctx, discoverRunner);

  documents.listen(connection);
  connection.listen();
}
