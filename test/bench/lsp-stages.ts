/**
 * Edit → published diagnostics through the real language server: dist/server.cjs
 * over stdio, a 2,000-line spec open, the benchmark's users table loaded; each
 * run changes one character and waits for the diagnostics of that version.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { createProtocolConnection, StreamMessageReader, StreamMessageWriter, type ProtocolConnection } from 'vscode-languageserver-protocol/node';
import {
  DidChangeTextDocumentNotification,
  DidOpenTextDocumentNotification,
  ExitNotification,
  InitializedNotification,
  InitializeRequest,
  PublishDiagnosticsNotification,
  ShutdownRequest,
  type PublishDiagnosticsParams,
} from 'vscode-languageserver-protocol';
import { largeSpec } from './spec-stages.js';
import type { BenchContext, Stage } from './harness.js';
import { placeUsersCsv } from './workspace-data.js';

interface Session {
  child: ChildProcess;
  connection: ProtocolConnection;
  uri: string;
  text: string;
  version: number;
  waiting: Map<number, () => void>;
}

async function startSession(ctx: BenchContext): Promise<Session> {
  const dir = mkdtempSync(join(tmpdir(), 'segspec-bench-lsp-'));
  placeUsersCsv(ctx.csvPath, dir);
  const text = largeSpec('users.csv');
  const specPath = join(dir, 'spec.segspec');
  writeFileSync(specPath, text);
  // BENCH_SERVER_ARGS='--cpu-prof --cpu-prof-dir=DIR' profiles the server while it answers the edits.
  const execArgv = process.env.BENCH_SERVER_ARGS?.split(' ').filter(Boolean) ?? [];
  const child = fork(resolve('dist/server.cjs'), ['--stdio'], { stdio: ['pipe', 'pipe', 'inherit', 'ipc'], execArgv });
  const connection = createProtocolConnection(new StreamMessageReader(child.stdout!), new StreamMessageWriter(child.stdin!));
  const session: Session = { child, connection, uri: pathToFileURL(specPath).toString(), text, version: 1, waiting: new Map() };
  connection.onNotification(PublishDiagnosticsNotification.type, (p: PublishDiagnosticsParams) => {
    if (p.uri !== session.uri || p.version === undefined) return;
    session.waiting.get(p.version)?.();
  });
  for (const method of ['client/registerCapability', 'workspace/codeLens/refresh', 'workspace/inlayHint/refresh', 'workspace/semanticTokens/refresh', 'window/workDoneProgress/create']) {
    connection.onRequest(method, () => null);
  }
  connection.onRequest('workspace/configuration', () => [{}]);
  connection.listen();
  await connection.sendRequest(InitializeRequest.type, {
    processId: process.pid,
    rootUri: pathToFileURL(dir).toString(),
    workspaceFolders: [{ uri: pathToFileURL(dir).toString(), name: 'bench' }],
    capabilities: { textDocument: { publishDiagnostics: { versionSupport: true } } },
  });
  await connection.sendNotification(InitializedNotification.type, {});
  const opened = diagnosticsFor(session, 1);
  await connection.sendNotification(DidOpenTextDocumentNotification.type, {
    textDocument: { uri: session.uri, languageId: 'segspec', version: 1, text },
  });
  await opened;
  return session;
}

function diagnosticsFor(session: Session, version: number): Promise<void> {
  return new Promise((done) => session.waiting.set(version, done));
}

/** Sends one edit (a digit written at `marker`'s end, replacing the character there or inserted before it) and waits for its diagnostics. */
async function editAndWait(session: Session, marker: string, replace: boolean): Promise<void> {
  session.version++;
  const at = session.text.indexOf(marker) + marker.length;
  const digit = String(session.version % 10);
  session.text = `${session.text.slice(0, at)}${digit}${session.text.slice(at + (replace ? 1 : 0))}`;
  const published = diagnosticsFor(session, session.version);
  const lines = session.text.slice(0, at).split('\n');
  const position = { line: lines.length - 1, character: lines.at(-1)!.length };
  await session.connection.sendNotification(DidChangeTextDocumentNotification.type, {
    textDocument: { uri: session.uri, version: session.version },
    contentChanges: [{ range: { start: position, end: { line: position.line, character: position.character + (replace ? 1 : 0) } }, text: digit }],
  });
  await published;
}

async function stopSession(session: Session): Promise<void> {
  await session.connection.sendRequest(ShutdownRequest.type);
  const exited = new Promise((done) => {
    session.child.once('exit', done);
    setTimeout(done, 5000).unref();
  });
  await session.connection.sendNotification(ExitNotification.type);
  // A server that exits on its own writes its profile (BENCH_SERVER_ARGS).
  await exited;
  session.connection.dispose();
  session.child.kill();
}

export const lspStages: Stage[] = [
  {
    name: 'edit to published diagnostics (language server), 2,000-line spec, loaded table',
    runs: 9,
    async setup(ctx) {
      ctx.state.set('lsp', await startSession(ctx));
    },
    async ours(ctx) {
      // A digit for a digit in g7's title: nothing moves.
      await editAndWait(ctx.state.get('lsp') as Session, 'segment g7 "', true);
    },
    async after(ctx) {
      await stopSession(ctx.state.get('lsp') as Session);
    },
  },
  {
    name: 'typing to published diagnostics (language server), a character inserted near the top of the 2,000-line spec',
    runs: 9,
    async setup(ctx) {
      ctx.state.set('lsp-typing', await startSession(ctx));
    },
    async ours(ctx) {
      // One more character in g3's title: every declaration after it moves.
      await editAndWait(ctx.state.get('lsp-typing') as Session, 'segment g3 "', false);
    },
    async after(ctx) {
      await stopSession(ctx.state.get('lsp-typing') as Session);
    },
  },
];
