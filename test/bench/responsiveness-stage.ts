/**
 * The language server's responsiveness while it loads the users table: a
 * separate client starts dist/server.cjs, opens a spec over the 1M-row file
 * and, until the diagnostics of that load are published, sends a completion
 * request every few milliseconds (one at a time). The figure is the slowest
 * answer among them; a run where the server answered none before the load
 * ended counts as the whole load.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { createProtocolConnection, StreamMessageReader, StreamMessageWriter, type ProtocolConnection } from 'vscode-languageserver-protocol/node';
import {
  CompletionRequest,
  DidOpenTextDocumentNotification,
  ExitNotification,
  InitializedNotification,
  InitializeRequest,
  PublishDiagnosticsNotification,
  ShutdownRequest,
  type PublishDiagnosticsParams,
} from 'vscode-languageserver-protocol';
import { usersDataset } from './gen-users.js';
import { benchSpec } from './segments.js';
import { progress, type BenchContext, type Stage } from './harness.js';
import { placeUsersCsv } from './workspace-data.js';

const ROWS = Number(process.env.BENCH_ROWS ?? 1_000_000);
const PAUSE_MS = 20;

function rowsLabel(rows: number): string {
  return rows % 1_000_000 === 0 ? `${rows / 1_000_000}M` : rows.toLocaleString('en-US');
}

interface LoadProbe {
  /** Latency of every completion sent before the load's diagnostics came. */
  latencies: number[];
  /** From opening the spec to its diagnostics. */
  loadMs: number;
}

async function probeOnce(ctx: BenchContext): Promise<LoadProbe> {
  const dir = mkdtempSync(join(tmpdir(), 'segspec-bench-responsive-'));
  placeUsersCsv(ctx.csvPath, dir);
  const text = benchSpec(usersDataset('users.csv'));
  const specPath = join(dir, 'spec.segspec');
  writeFileSync(specPath, text);
  const uri = pathToFileURL(specPath).toString();
  const child: ChildProcess = fork(resolve('dist/server.cjs'), ['--stdio'], { stdio: ['pipe', 'pipe', 'inherit', 'ipc'] });
  const connection: ProtocolConnection = createProtocolConnection(new StreamMessageReader(child.stdout!), new StreamMessageWriter(child.stdin!));
  let published: PublishDiagnosticsParams | undefined;
  const loaded = new Promise<void>((done) => {
    connection.onNotification(PublishDiagnosticsNotification.type, (p: PublishDiagnosticsParams) => {
      if (p.uri !== uri) return;
      published = p;
      done();
    });
  });
  for (const method of ['client/registerCapability', 'workspace/codeLens/refresh', 'workspace/inlayHint/refresh', 'workspace/semanticTokens/refresh', 'window/workDoneProgress/create']) {
    connection.onRequest(method, () => null);
  }
  connection.onRequest('workspace/configuration', () => [{}]);
  connection.listen();
  try {
    await connection.sendRequest(InitializeRequest.type, {
      processId: process.pid,
      rootUri: pathToFileURL(dir).toString(),
      workspaceFolders: [{ uri: pathToFileURL(dir).toString(), name: 'bench' }],
      capabilities: { textDocument: { publishDiagnostics: { versionSupport: true } } },
    });
    await connection.sendNotification(InitializedNotification.type, {});
    const start = performance.now();
    await connection.sendNotification(DidOpenTextDocumentNotification.type, { textDocument: { uri, languageId: 'segspec', version: 1, text } });
    // After `where ` in the first segment: fields and segments are offered.
    const lines = text.slice(0, text.indexOf('where ') + 'where '.length).split('\n');
    const position = { line: lines.length - 1, character: lines.at(-1)!.length };
    const latencies: number[] = [];
    let done = false;
    void loaded.then(() => (done = true));
    while (!done) {
      const sent = performance.now();
      const answer = connection.sendRequest(CompletionRequest.type, { textDocument: { uri }, position });
      const first = await Promise.race([answer.then(() => 'answer' as const), loaded.then(() => 'loaded' as const)]);
      if (first === 'loaded') {
        await answer;
        break;
      }
      latencies.push(performance.now() - sent);
      await new Promise((r) => setTimeout(r, PAUSE_MS));
    }
    await loaded;
    const loadMs = performance.now() - start;
    if (published?.diagnostics.some((d) => /^SEG1\d\d$/.test(String(d.code)) && d.severity === 1)) {
      throw new Error(`the data did not load: ${published.diagnostics.map((d) => d.message).join('; ')}`);
    }
    return { latencies, loadMs };
  } finally {
    await connection.sendRequest(ShutdownRequest.type).catch(() => undefined);
    await connection.sendNotification(ExitNotification.type).catch(() => undefined);
    connection.dispose();
    child.kill();
  }
}

export const responsivenessStages: Stage[] = [
  {
    name: `completion while ${rowsLabel(ROWS)} rows load`,
    runs: 3,
    async ours(ctx) {
      const probe = await probeOnce(ctx);
      if (process.env.BENCH_VERBOSE) {
        progress(`load ${probe.loadMs.toFixed(0)} ms; ${probe.latencies.length} completions: ${probe.latencies.map((l) => l.toFixed(0)).join(' ')}`);
      }
      const slowest = probe.latencies.length > 0 ? Math.max(...probe.latencies) : probe.loadMs;
      ctx.state.set('completionWhileLoading', slowest);
    },
    measured: (ctx) => ctx.state.get('completionWhileLoading') as number,
  },
];
