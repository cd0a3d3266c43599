/**
 * The soak test: thousands of keystrokes into a spec of the productivity
 * sample with its data loaded, in bursts as a typist makes them. Checks that
 * diagnostics are only ever published for the newest version (never an older
 * one after a newer), that each publish's ranges fit the text of its version,
 * that the last publish is for the last version and equals the first (the
 * edits type and delete, so the text ends as it began), and that the heap
 * after a collection grew by at most 20%.
 */
import { cpSync, readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import type { PublishDiagnosticsParams } from 'vscode-languageserver-protocol';
import { rangeProblem, type Range } from './located.js';
import { Rng } from './random.js';
import { FuzzServer, withBudget } from './server-target.js';
import type { MemoryResult } from '../../server/src/lsp/protocol.js';

const BUDGET_MS = 20_000;
const TYPED = [' and age > 3', ' or plan == "pro"', ' and not is_student', ' and country in ["DE", "FR"]', ' and sessions_30d between 1 and 9'];

export interface SoakResult {
  edits: number;
  publishes: number;
  problems: string[];
  heapStart: number;
  heapEnd: number;
  rssStart: number;
  rssEnd: number;
  seconds: number;
  slowestWaitMs: number;
  warmUp: number;
  /** Heap and external memory after a collection at checkpoints. */
  trend: string[];
}

const mb = (n: number): string => `${(n / 1024 / 1024).toFixed(1)} MB`;

function diagnosticKey(p: PublishDiagnosticsParams): string {
  return JSON.stringify(p.diagnostics.map((d) => [d.code, d.range, d.message]));
}

export async function soak(serverBundle: string, sampleDir: string, workDir: string, edits: number): Promise<SoakResult> {
  cpSync(sampleDir, workDir, { recursive: true });
  const server = await FuzzServer.start(serverBundle, workDir, BUDGET_MS);
  try {
    return await drive(server, workDir, edits);
  } finally {
    await server.stop();
  }
}

async function drive(server: FuzzServer, workDir: string, edits: number): Promise<SoakResult> {
  const problems: string[] = [];
  const specs = readdirSync(workDir).filter((f) => f.endsWith('.segspec') || f.endsWith('.md'));
  for (const f of specs) await server.open(relative(workDir, join(workDir, f)));
  const file = specs.includes('segments.segspec') ? 'segments.segspec' : specs[0];
  const uri = server.uri(file);
  const original = server.texts.get(uri)!;
  const textAt = new Map<number, string>([[1, original]]);
  const first = await withBudget(server.diagnosticsFor(uri, 1), BUDGET_MS, 'first diagnostics');
  const memory = (): Promise<MemoryResult> => withBudget(server.connection.sendRequest<MemoryResult>('segspec/memory'), BUDGET_MS, 'segspec/memory');

  const rng = new Rng(20261205);
  const lineEnds = [...original.matchAll(/^\s*where [^\n]*/gmu)].map((m) => m.index + m[0].length);
  let text = original;
  let sent = 0;
  let slowestWaitMs = 0;
  const type = async (next: string): Promise<number> => {
    text = next;
    const version = await withBudget(server.change(uri, text, rng), BUDGET_MS, 'didChange');
    textAt.set(version, text);
    sent++;
    return version;
  };
  const wait = async (version: number): Promise<void> => {
    const started = performance.now();
    await withBudget(server.diagnosticsFor(uri, version), BUDGET_MS, `diagnostics for version ${version}`);
    slowestWaitMs = Math.max(slowestWaitMs, performance.now() - started);
  };

  // Warm-up (JIT, caches, the data load) before the first measurement.
  const warmUp = Math.min(200, Math.floor(edits / 10));
  const runEdits = async (limit: number): Promise<void> => {
    while (sent < limit) {
      const at = rng.pick(lineEnds);
      const typed = rng.pick(TYPED);
      let version = 0;
      for (let i = 1; i <= typed.length && sent < limit; i++) {
        version = await type(original.slice(0, at) + typed.slice(0, i) + original.slice(at));
        if (rng.chance(0.05)) await wait(version);
      }
      for (let i = typed.length - 1; i >= 0 && sent < limit; i--) version = await type(original.slice(0, at) + typed.slice(0, i) + original.slice(at));
      await wait(version);
    }
    if (text !== original) await wait(await type(original));
  };
  await runEdits(warmUp);
  const start = await memory();
  const started = performance.now();
  const trend: string[] = [];
  for (let checkpoint = warmUp; checkpoint < edits; ) {
    checkpoint = Math.min(edits, checkpoint + Math.max(1000, Math.ceil(edits / 5)));
    await runEdits(checkpoint);
    const m = await memory();
    trend.push(`${sent}: ${mb(m.heapUsed)} + ${mb(m.external)}`);
  }
  const seconds = (performance.now() - started) / 1000;
  const lastVersion = server.versions.get(uri)!;
  await wait(lastVersion);
  // Anything still in flight for an older version would arrive now.
  await server.connection.sendRequest('textDocument/documentSymbol', { textDocument: { uri } });
  const end = await memory();

  const mine = server.published.filter((p) => p.uri === uri);
  let newest = 0;
  for (const p of mine) {
    const v = p.version ?? -1;
    if (v < newest) problems.push(`diagnostics for version ${v} published after version ${newest}`);
    newest = Math.max(newest, v);
    const t = textAt.get(v);
    if (t === undefined) problems.push(`diagnostics for a version never sent: ${v}`);
    else for (const d of p.diagnostics) {
      const problem = rangeProblem(t, d.range as Range);
      if (problem) problems.push(`version ${v}: ${d.code}: ${problem}`);
    }
  }
  const last = mine.at(-1);
  if (last?.version !== lastVersion) problems.push(`the last publish is for version ${last?.version}, the last edit was ${lastVersion}`);
  else if (diagnosticKey(last) !== diagnosticKey(first)) problems.push('the text ended as it began, but its diagnostics differ from the first ones');
  if (!start.collected) problems.push('the server ran without --expose-gc: heap figures include garbage');
  const heapStart = start.heapUsed + start.external;
  const heapEnd = end.heapUsed + end.external;
  if (heapEnd > heapStart * 1.2) problems.push(`memory grew from ${mb(heapStart)} to ${mb(heapEnd)} (more than 20%)`);
  if (server.dead) problems.push(server.dead);
  return {
    edits: sent,
    publishes: mine.length,
    problems,
    heapStart,
    heapEnd,
    rssStart: start.rss,
    rssEnd: end.rss,
    seconds,
    slowestWaitMs,
    warmUp,
    trend,
  };
}

/** `npm run soak`: prints the figures; exit 1 on a problem. */
export async function runSoak(serverBundle: string, repoRoot: string, root: string, edits: number, json: boolean): Promise<number> {
  // The full sample (8,000 users), not the fuzzer's cut-down copies.
  const r = await soak(serverBundle, join(repoRoot, 'samples', 'productivity'), join(root, 'soak'), edits);
  const growth = ((r.heapEnd / r.heapStart - 1) * 100).toFixed(1);
  const lines = [
    `segspec soak: ${r.edits} edits (memory measured after the first ${r.warmUp}) in ${r.seconds.toFixed(1)} s, ${r.publishes} diagnostics published, slowest wait for diagnostics ${Math.round(r.slowestWaitMs)} ms`,
    `heap + external after GC: ${mb(r.heapStart)} → ${mb(r.heapEnd)} (${growth}%); RSS ${mb(r.rssStart)} → ${mb(r.rssEnd)}`,
    `memory after GC at edit ${r.trend.join(', ')}`,
    `problems: ${r.problems.length}`,
    ...r.problems.slice(0, 20).map((p) => `  ${p}`),
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
  if (json) process.stdout.write(`${JSON.stringify(r)}\n`);
  return r.problems.length > 0 ? 1 : 0;
}
