/**
 * A real language server process (dist/server.cjs over node IPC, as VS Code
 * starts it) driven with mutated documents: didChange, then the diagnostics
 * for that version, then requests at random positions. Every wait has a time
 * budget; an error response, a dead process or a diagnostic outside its
 * document is a problem.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import {
  createProtocolConnection,
  IPCMessageReader,
  IPCMessageWriter,
  type ProtocolConnection,
} from 'vscode-languageserver-protocol/node';
import {
  DidChangeTextDocumentNotification,
  DidOpenTextDocumentNotification,
  ErrorCodes,
  ExitNotification,
  InitializeRequest,
  InitializedNotification,
  PublishDiagnosticsNotification,
  ResponseError,
  ShutdownRequest,
  type Position,
  type PublishDiagnosticsParams,
} from 'vscode-languageserver-protocol';
import { rangeProblem, type Range } from './located.js';
import type { Rng } from './random.js';

export class Timeout extends Error {}

export function withBudget<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([
    promise,
    new Promise<T>((_, reject) => {
      timer = setTimeout(() => reject(new Timeout(`${what}: no answer within ${ms} ms`)), ms);
    }),
  ]).finally(() => clearTimeout(timer));
}

export interface Timed {
  what: string;
  ms: number;
}

type Waiter = { uri: string; version: number; resolve: (p: PublishDiagnosticsParams) => void };

export class FuzzServer {
  readonly texts = new Map<string, string>();
  readonly versions = new Map<string, number>();
  /** Every publish, in arrival order (the soak test checks versions). */
  readonly published: PublishDiagnosticsParams[] = [];
  private waiters: Waiter[] = [];
  private exited: string | undefined;

  private constructor(
    readonly child: ChildProcess,
    readonly connection: ProtocolConnection,
    readonly root: string,
  ) {
    child.on('exit', (code, signal) => {
      this.exited = `server exited (code ${code}, signal ${signal})`;
    });
    connection.onNotification(PublishDiagnosticsNotification.type, (p) => {
      this.published.push(p);
      this.waiters = this.waiters.filter((w) => {
        if (w.uri !== p.uri || (p.version ?? -1) < w.version) return true;
        w.resolve(p);
        return false;
      });
    });
    for (const method of ['window/workDoneProgress/create', 'client/registerCapability', 'workspace/codeLens/refresh', 'workspace/inlayHint/refresh', 'workspace/semanticTokens/refresh']) {
      connection.onRequest(method, () => null);
    }
    connection.onRequest('workspace/configuration', () => [{}]);
    connection.onNotification('$/progress', () => undefined);
    connection.onNotification('segspec/analyzed', () => undefined);
    connection.listen();
  }

  static async start(serverBundle: string, root: string, budgetMs: number): Promise<FuzzServer> {
    const child = fork(serverBundle, ['--node-ipc'], { stdio: ['ignore', 'ignore', 'pipe', 'ipc'], execArgv: ['--expose-gc'] });
    child.stderr?.resume();
    const connection = createProtocolConnection(new IPCMessageReader(child), new IPCMessageWriter(child));
    const server = new FuzzServer(child, connection, root);
    const rootUri = pathToFileURL(root).toString();
    await withBudget(
      connection.sendRequest(InitializeRequest.type, {
        processId: process.pid,
        rootUri,
        workspaceFolders: [{ uri: rootUri, name: 'fuzz' }],
        capabilities: {
          window: { workDoneProgress: true },
          textDocument: { publishDiagnostics: { versionSupport: true, relatedInformation: true } },
        },
      }),
      budgetMs,
      'initialize',
    );
    await connection.sendNotification(InitializedNotification.type, {});
    return server;
  }

  uri(relative: string): string {
    return pathToFileURL(join(this.root, relative)).toString();
  }

  get dead(): string | undefined {
    return this.exited;
  }

  async open(relative: string): Promise<void> {
    const uri = this.uri(relative);
    const text = readFileSync(join(this.root, relative), 'utf8');
    this.texts.set(uri, text);
    this.versions.set(uri, 1);
    const languageId = relative.endsWith('.md') ? 'markdown' : 'segspec';
    await this.connection.sendNotification(DidOpenTextDocumentNotification.type, { textDocument: { uri, languageId, version: 1, text } });
  }

  /** Replaces the whole text (or a random range of it) and returns the new version. */
  async change(uri: string, text: string, rng?: Rng): Promise<number> {
    const version = (this.versions.get(uri) ?? 0) + 1;
    const old = this.texts.get(uri) ?? '';
    this.versions.set(uri, version);
    this.texts.set(uri, text);
    if (rng?.chance(0.5)) {
      const { range, text: inserted } = incrementalChange(old, text);
      await this.connection.sendNotification(DidChangeTextDocumentNotification.type, {
        textDocument: { uri, version },
        contentChanges: [{ range, text: inserted }],
      });
    } else {
      await this.connection.sendNotification(DidChangeTextDocumentNotification.type, { textDocument: { uri, version }, contentChanges: [{ text }] });
    }
    return version;
  }

  /** The diagnostics published for `uri` at `version` or later. */
  diagnosticsFor(uri: string, version: number): Promise<PublishDiagnosticsParams> {
    const already = this.published.findLast((p) => p.uri === uri && (p.version ?? -1) >= version);
    if (already) return Promise.resolve(already);
    return new Promise((resolve) => this.waiters.push({ uri, version, resolve }));
  }

  /** Problems with the ranges of a publish, checked against the text the client holds. */
  rangeProblems(p: PublishDiagnosticsParams): string[] {
    const text = this.texts.get(p.uri);
    if (text === undefined || p.version !== this.versions.get(p.uri)) return [];
    const out: string[] = [];
    for (const d of p.diagnostics) {
      const problem = rangeProblem(text, d.range as Range);
      if (problem) out.push(`diagnostic ${String(d.code)} in ${p.uri}: ${problem} (${String(d.message).slice(0, 120)})`);
    }
    return out;
  }

  /** Sends one random request about `uri`; an internal error or a missed budget is returned as a problem. */
  async randomRequest(uri: string, rng: Rng, budgetMs: number): Promise<{ timed: Timed; problem?: string }> {
    const text = this.texts.get(uri) ?? '';
    const position = positionAt(text, rng.int(text.length + 1));
    const doc = { textDocument: { uri } };
    const at = { ...doc, position };
    const requests: Array<[string, unknown]> = [
      ['textDocument/hover', at],
      ['textDocument/completion', at],
      ['textDocument/definition', at],
      ['textDocument/references', { ...at, context: { includeDeclaration: true } }],
      ['textDocument/prepareRename', at],
      ['textDocument/rename', { ...at, newName: rng.pick(['renamed', 'x y', '', 'segment', 'é']) }],
      ['textDocument/documentSymbol', doc],
      ['textDocument/foldingRange', doc],
      ['textDocument/semanticTokens/full', doc],
      ['textDocument/codeLens', doc],
      ['textDocument/inlayHint', { ...doc, range: { start: { line: 0, character: 0 }, end: positionAt(text, text.length) } }],
      ['textDocument/formatting', { ...doc, options: { tabSize: 2, insertSpaces: true } }],
      ['textDocument/codeAction', { ...doc, range: { start: position, end: position }, context: { diagnostics: [] } }],
      ['textDocument/documentLink', doc],
      ['segspec/preview', { uri, position }],
      ['segspec/referencesInfo', {}],
      ['segspec/explainRow', { segment: 'students', key: 'u00001' }],
      ['workspace/symbol', { query: rng.pick(['', 'a', 'stu']) }],
    ];
    const [method, params] = rng.pick(requests);
    const what = `${method} at ${position.line}:${position.character}`;
    const started = performance.now();
    try {
      await withBudget(this.connection.sendRequest(method, params), budgetMs, what);
      return { timed: { what, ms: performance.now() - started } };
    } catch (e) {
      const timed = { what, ms: performance.now() - started };
      if (e instanceof Timeout) return { timed, problem: e.message };
      if (e instanceof ResponseError && e.code !== ErrorCodes.InternalError && e.code !== -32603) return { timed };
      return { timed, problem: `${what}: ${e instanceof Error ? e.message : String(e)}` };
    }
  }

  async stop(): Promise<void> {
    try {
      await withBudget(this.connection.sendRequest(ShutdownRequest.type), 5000, 'shutdown');
      await this.connection.sendNotification(ExitNotification.type);
    } catch {
      // killed below
    }
    this.connection.dispose();
    if (this.child.exitCode === null) this.child.kill();
  }
}

/** The edit that turns `old` into `text`: the common prefix and suffix stay, the middle is replaced. */
export function incrementalChange(old: string, text: string): { range: { start: Position; end: Position }; text: string } {
  let start = 0;
  while (start < old.length && start < text.length && old[start] === text[start]) start++;
  // No LSP position lies between the CR and LF of a CRLF (the server would cut before the CR, and
  // its text would no longer be the client's): such an edit boundary takes in the whole line break.
  const insideCrlf = (offset: number) => old[offset - 1] === '\r' && old[offset] === '\n';
  if (insideCrlf(start)) start--;
  let end = 0;
  while (end < old.length - start && end < text.length - start && old[old.length - 1 - end] === text[text.length - 1 - end]) end++;
  if (insideCrlf(old.length - end)) end--;
  return { range: { start: positionAt(old, start), end: positionAt(old, old.length - end) }, text: text.slice(start, text.length - end) };
}

export function positionAt(text: string, offset: number): Position {
  let line = 0;
  let lineStart = 0;
  for (let i = 0; i < offset && i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 10 || (c === 13 && text.charCodeAt(i + 1) !== 10)) {
      line++;
      lineStart = i + 1;
    }
  }
  return { line, character: Math.min(offset, text.length) - lineStart };
}
