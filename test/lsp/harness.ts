/**
 * A language client for protocol tests: starts dist/server.cjs the way VS Code
 * does (`--node-ipc`) or over stdio, on a copy of a sample workspace, and waits
 * on notifications — never on sleeps.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync, readFileSync, readdirSync, renameSync, statSync, existsSync } from 'node:fs';
import { build } from 'esbuild';
import { bundleOptionsFor } from '../../scripts/bundles.mjs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import {
  createProtocolConnection,
  IPCMessageReader,
  IPCMessageWriter,
  StreamMessageReader,
  StreamMessageWriter,
  type ProtocolConnection,
} from 'vscode-languageserver-protocol/node';
import {
  InitializeRequest,
  InitializedNotification,
  DidOpenTextDocumentNotification,
  DidChangeTextDocumentNotification,
  DidCloseTextDocumentNotification,
  PublishDiagnosticsNotification,
  ShutdownRequest,
  ExitNotification,
  type InitializeResult,
  type PublishDiagnosticsParams,
  type Position,
  type TextEdit,
  type WorkspaceEdit,
} from 'vscode-languageserver-protocol';

export const repoRoot = resolve(fileURLToPath(new URL('../..', import.meta.url)));
export const serverBundle = join(repoRoot, 'dist', 'server.cjs');

function newestMtime(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(full) : statSync(full).mtimeMs);
  }
  return newest;
}

/**
 * Rebuilds dist/server.cjs when a source is newer than it, so that `vitest run`
 * alone never tests a stale bundle. Written to a temporary file and renamed,
 * so test files that start in parallel never load a half-written bundle.
 */
export async function ensureServerBundle(): Promise<void> {
  const sources = newestMtime(join(repoRoot, 'server', 'src'));
  if (existsSync(serverBundle) && statSync(serverBundle).mtimeMs >= sources) return;
  const temporary = `${serverBundle}.${process.pid}.tmp`;
  // The options of `npm run build`: a bundle built any other way can differ (jsonc-parser's UMD entry, DuckDB inside).
  await build({ ...bundleOptionsFor('dist/server.cjs'), absWorkingDir: repoRoot, outfile: temporary, sourcemap: false });
  renameSync(temporary, serverBundle);
}

/** The cursor marker in fixtures. */
export const CURSOR = '┆';

export function copySample(name: string): string {
  const dir = mkdtempSync(join(tmpdir(), `segspec-lsp-${name}-`));
  cpSync(join(repoRoot, 'samples', name), dir, { recursive: true });
  return dir;
}

/** A copy of a small workspace under test/lsp/fixtures. */
export function copyFixture(name: string): string {
  const dir = mkdtempSync(join(tmpdir(), `segspec-lsp-${name}-`));
  cpSync(join(repoRoot, 'test', 'lsp', 'fixtures', name), dir, { recursive: true });
  return dir;
}

export function uriOf(path: string): string {
  return pathToFileURL(path).toString();
}

/** Text without the marker and the position of the marker. */
export function cursor(textWithMarker: string): { text: string; position: Position; offset: number } {
  const offset = textWithMarker.indexOf(CURSOR);
  if (offset < 0) throw new Error('fixture has no cursor marker');
  const text = textWithMarker.slice(0, offset) + textWithMarker.slice(offset + CURSOR.length);
  const before = text.slice(0, offset).split('\n');
  return { text, offset, position: { line: before.length - 1, character: before.at(-1)!.length } };
}

/** Applies LSP edits to a text (edits must not overlap). */
export function applyEdits(text: string, edits: TextEdit[]): string {
  const lines = text.split('\n');
  const offsetOf = (p: Position): number => lines.slice(0, p.line).reduce((n, l) => n + l.length + 1, 0) + p.character;
  const sorted = [...edits].sort((a, b) => offsetOf(b.range.start) - offsetOf(a.range.start));
  let out = text;
  for (const edit of sorted) out = out.slice(0, offsetOf(edit.range.start)) + edit.newText + out.slice(offsetOf(edit.range.end));
  return out;
}

export function editsFor(edit: WorkspaceEdit | null, uri: string): TextEdit[] {
  return edit?.changes?.[uri] ?? [];
}

type Waiter = { predicate: (p: PublishDiagnosticsParams) => boolean; resolve: (p: PublishDiagnosticsParams) => void };

export class TestClient {
  readonly connection: ProtocolConnection;
  readonly diagnostics = new Map<string, PublishDiagnosticsParams>();
  readonly published: PublishDiagnosticsParams[] = [];
  private waiters: Waiter[] = [];
  private versions = new Map<string, number>();
  private texts = new Map<string, string>();
  private listening = new Set<string>();
  private notificationWaiters: Array<{ method: string; resolve: (params: unknown) => void }> = [];
  initializeResult: InitializeResult | undefined;
  readonly progressTokens: Array<string | number> = [];
  readonly progress: Array<{ token: string | number; value: { kind: string; title?: string; message?: string } }> = [];
  private progressWaiters: Array<{ kind: string; resolve: () => void }> = [];

  private constructor(
    readonly child: ChildProcess,
    connection: ProtocolConnection,
    readonly root: string,
  ) {
    this.connection = connection;
    connection.onNotification(PublishDiagnosticsNotification.type, (params) => {
      this.diagnostics.set(params.uri, params);
      this.published.push(params);
      this.waiters = this.waiters.filter((w) => {
        if (!w.predicate(params)) return true;
        w.resolve(params);
        return false;
      });
    });
    connection.onRequest('window/workDoneProgress/create', (params: { token: string | number }) => {
      this.progressTokens.push(params.token);
      return null;
    });
    connection.onNotification('$/progress', (params: { token: string | number; value: { kind: string; title?: string; message?: string } }) => {
      this.progress.push(params);
      this.progressWaiters = this.progressWaiters.filter((w) => {
        if (params.value.kind !== w.kind) return true;
        w.resolve();
        return false;
      });
    });
    connection.onRequest('client/registerCapability', () => null);
    connection.onRequest('workspace/configuration', () => [{}]);
    connection.onRequest('workspace/codeLens/refresh', () => null);
    connection.onRequest('workspace/inlayHint/refresh', () => null);
    connection.onRequest('workspace/semanticTokens/refresh', () => null);
    connection.listen();
  }

  /** `textDocument`: client capabilities added to the defaults (e.g. `codeAction.resolveSupport`). */
  static async start(root: string, transport: 'ipc' | 'stdio' = 'ipc', textDocument: Record<string, unknown> = {}): Promise<TestClient> {
    await ensureServerBundle();
    let child: ChildProcess;
    let connection: ProtocolConnection;
    if (transport === 'ipc') {
      child = fork(serverBundle, ['--node-ipc'], { stdio: ['ignore', 'ignore', 'inherit', 'ipc'] });
      connection = createProtocolConnection(new IPCMessageReader(child), new IPCMessageWriter(child));
    } else {
      child = fork(serverBundle, ['--stdio'], { stdio: ['pipe', 'pipe', 'inherit', 'ipc'] });
      connection = createProtocolConnection(new StreamMessageReader(child.stdout!), new StreamMessageWriter(child.stdin!));
    }
    const client = new TestClient(child, connection, root);
    client.initializeResult = await connection.sendRequest(InitializeRequest.type, {
      processId: process.pid,
      rootUri: uriOf(root),
      workspaceFolders: [{ uri: uriOf(root), name: 'sample' }],
      capabilities: {
        window: { workDoneProgress: true },
        workspace: { codeLens: { refreshSupport: true }, inlayHint: { refreshSupport: true }, didChangeWatchedFiles: { dynamicRegistration: true } },
        textDocument: { publishDiagnostics: { versionSupport: true, relatedInformation: true }, ...textDocument },
      },
      initializationOptions: { codeDescriptionCommand: 'segspec.explainCode' },
    });
    await connection.sendNotification(InitializedNotification.type, {});
    return client;
  }

  path(relative: string): string {
    return join(this.root, relative);
  }

  uri(relative: string): string {
    return uriOf(this.path(relative));
  }

  textOf(relative: string): string {
    return this.texts.get(this.uri(relative)) ?? readFileSync(this.path(relative), 'utf8');
  }

  version(relative: string): number {
    return this.versions.get(this.uri(relative)) ?? 0;
  }

  /** Resolves with the first diagnostics notification (from now on) that matches. */
  waitForDiagnostics(uri: string, predicate: (p: PublishDiagnosticsParams) => boolean = () => true): Promise<PublishDiagnosticsParams> {
    return new Promise((resolve) => this.waiters.push({ predicate: (p) => p.uri === uri && predicate(p), resolve }));
  }

  /** Resolves when a work-done progress of this kind (`begin`, `end`) arrives, or has arrived already. */
  waitForProgress(kind: 'begin' | 'end'): Promise<void> {
    if (this.progress.some((p) => p.value.kind === kind)) return Promise.resolve();
    return new Promise((resolve) => this.progressWaiters.push({ kind, resolve }));
  }

  waitForNotification<T>(method: string): Promise<T> {
    if (!this.listening.has(method)) {
      this.listening.add(method);
      this.connection.onNotification(method, (params: unknown) => {
        this.notificationWaiters = this.notificationWaiters.filter((w) => {
          if (w.method !== method) return true;
          w.resolve(params);
          return false;
        });
      });
    }
    return new Promise((resolve) => this.notificationWaiters.push({ method, resolve: resolve as (p: unknown) => void }));
  }

  async open(relative: string, text?: string, languageId?: string): Promise<PublishDiagnosticsParams> {
    const uri = this.uri(relative);
    const content = text ?? readFileSync(this.path(relative), 'utf8');
    this.versions.set(uri, 1);
    this.texts.set(uri, content);
    const published = this.waitForDiagnostics(uri, (p) => p.version === 1);
    await this.connection.sendNotification(DidOpenTextDocumentNotification.type, {
      textDocument: { uri, languageId: languageId ?? (relative.endsWith('.md') ? 'markdown' : 'segspec'), version: 1, text: content },
    });
    return published;
  }

  /** Replaces the whole text; resolves with the diagnostics for the new version. */
  async change(relative: string, text: string): Promise<PublishDiagnosticsParams> {
    const uri = this.uri(relative);
    const version = (this.versions.get(uri) ?? 0) + 1;
    this.versions.set(uri, version);
    this.texts.set(uri, text);
    const published = this.waitForDiagnostics(uri, (p) => p.version === version);
    await this.sendChange(uri, version, text);
    return published;
  }

  /** Sends a change without waiting for its diagnostics. */
  async sendChange(uri: string, version: number, text: string): Promise<void> {
    this.versions.set(uri, version);
    this.texts.set(uri, text);
    await this.connection.sendNotification(DidChangeTextDocumentNotification.type, {
      textDocument: { uri, version },
      contentChanges: [{ text }],
    });
  }

  async close(relative: string): Promise<PublishDiagnosticsParams> {
    const uri = this.uri(relative);
    const cleared = this.waitForDiagnostics(uri, (p) => p.diagnostics.length === 0);
    await this.connection.sendNotification(DidCloseTextDocumentNotification.type, { textDocument: { uri } });
    this.versions.delete(uri);
    this.texts.delete(uri);
    return cleared;
  }

  async stop(): Promise<void> {
    try {
      await this.connection.sendRequest(ShutdownRequest.type);
      await this.connection.sendNotification(ExitNotification.type);
    } catch {
      // already gone
    }
    const exited = new Promise<void>((resolve) => {
      if (this.child.exitCode !== null) resolve();
      else this.child.once('exit', () => resolve());
    });
    await exited;
    this.connection.dispose();
    rmSync(this.root, { recursive: true, force: true });
  }
}
