/**
 * `npm run fuzz`: random spec mutations at the CLI and the language server,
 * damaged bytes at every loader. Prints its seed; `--seed S --only I`
 * replays one case. Invariants: no crash, no hang (every operation within
 * its budget; the slowest are printed), every finding located.
 *
 *   npm run fuzz -- [--seed N] [--count M] [--only I] [--budget MS] [--spawn-every K]
 *                   [--no-server] [--no-cli] [--regex] [--json]
 *   npm run soak -- [--edits N]
 */
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { isMainThread, parentPort, workerData } from 'node:worker_threads';
import { parseArgs } from 'node:util';
import { CliPool, runCliJob, WORKER_ROLE, type CliJob } from './cli-target.js';
import { mutateBytes } from './byte-mutations.js';
import { caseSeed, Rng } from './random.js';
import { corpusOf, hasCatastrophicPattern, mutateSpec, namesOf, type MutationContext } from './spec-mutations.js';
import { FuzzServer, Timeout, withBudget, type Timed } from './server-target.js';
import { prepareParquetWorkspace, prepareWorkspaces, type FuzzWorkspace } from './workspaces.js';
import { runSoak } from './soak.js';

interface Options {
  seed: number;
  count: number;
  only?: number;
  budgetMs: number;
  spawnEvery: number;
  server: boolean;
  cli: boolean;
  regex: boolean;
  json: boolean;
}

interface Problem {
  caseIndex: number;
  where: string;
  problem: string;
}

const KEYS = ['u00001', 'u00042', 'L000001', 'R00001', 'A0001', 'nope'];

/** Spec cases and, after every fifth, one loader case. */
export function caseKind(index: number): 'spec' | 'data' {
  return index % 6 === 5 ? 'data' : 'spec';
}

export function totalCases(specCount: number): number {
  let n = 0;
  let spec = 0;
  while (spec < specCount) {
    if (caseKind(n) === 'spec') spec++;
    n++;
  }
  return n;
}

function cliArgs(rng: Rng, text: string): string[] {
  if (rng.chance(0.75)) return ['check', '--format', 'json', '.'];
  const segments = [...text.matchAll(/segment\s+([A-Za-z_]\w*)/gu)].map((m) => m[1]);
  const segment = segments.length > 0 && rng.chance(0.8) ? rng.pick(segments) : rng.pick(['students', 'nobody', '']);
  return rng.pick([
    ['check', '--format', 'sarif', '.'],
    ['check', '--format', 'github', '.'],
    ['check', '.'],
    ['stats', '--format', 'json', '.'],
    ['stats', '.'],
    ['fmt', '--check', '.'],
    ['sql', segment, '--dialect', rng.pick(['duckdb', 'postgres', 'bigquery', 'snowflake', 'spark', 'trino']), '.'],
    ['explain', segment, '--key', rng.pick(KEYS), '.'],
    ['report', '--out', 'fuzz-report.html', '.'],
  ]);
}

class Slowest {
  private items: Array<Timed & { caseIndex: number }> = [];

  add(caseIndex: number, t: Timed): void {
    this.items.push({ ...t, caseIndex });
    if (this.items.length > 40) this.items = this.items.sort((a, b) => b.ms - a.ms).slice(0, 10);
  }

  top(n: number): Array<Timed & { caseIndex: number }> {
    return [...this.items].sort((a, b) => b.ms - a.ms).slice(0, n);
  }
}

class Fuzzer {
  readonly problems: Problem[] = [];
  readonly slowest = new Slowest();
  readonly counts = { spec: 0, data: 0, excluded: 0, cli: 0, spawned: 0, server: 0, requests: 0, engineRefusals: 0 };
  private servers = new Map<string, FuzzServer>();
  private originals = new Map<string, Uint8Array>();
  private ctx: MutationContext;

  constructor(
    private readonly options: Options,
    private readonly workspaces: FuzzWorkspace[],
    private readonly pool: CliPool,
    private readonly serverBundle: string,
    private readonly root: string,
  ) {
    const texts: string[] = [];
    for (const ws of workspaces) {
      for (const f of [...ws.specFiles, ...ws.loaderFiles.map((l) => l.file)]) {
        const bytes = readFileSync(join(ws.dir, f));
        this.originals.set(join(ws.dir, f), bytes);
        if (ws.specFiles.includes(f)) texts.push(bytes.toString('utf8'));
      }
    }
    this.ctx = { corpus: corpusOf(texts), names: namesOf(texts), catastrophicRegex: options.regex };
  }

  private original(ws: FuzzWorkspace, file: string): Uint8Array {
    return this.originals.get(join(ws.dir, file))!;
  }

  private restore(ws: FuzzWorkspace): () => void {
    return () => {
      for (const [path, bytes] of this.originals) if (path.startsWith(`${ws.dir}/`)) writeFileSync(path, bytes);
    };
  }

  private report(caseIndex: number, where: string, problems: readonly string[]): void {
    for (const problem of problems) {
      this.problems.push({ caseIndex, where, problem });
      process.stderr.write(`PROBLEM seed ${this.options.seed} case ${caseIndex} [${where}]: ${problem.split('\n')[0]}\n  replay: npm run fuzz -- --seed ${this.options.seed} --only ${caseIndex}\n`);
    }
  }

  private async server(ws: FuzzWorkspace): Promise<FuzzServer> {
    const existing = this.servers.get(ws.name);
    if (existing && !existing.dead) return existing;
    if (existing) await existing.stop();
    const dir = join(this.root, `server-${ws.name}`);
    rmSync(dir, { recursive: true, force: true });
    cpSync(ws.dir, dir, { recursive: true });
    const server = await FuzzServer.start(this.serverBundle, dir, this.options.budgetMs);
    for (const f of ws.specFiles) await server.open(f);
    this.servers.set(ws.name, server);
    return server;
  }

  private async runCli(caseIndex: number, ws: FuzzWorkspace, job: Omit<CliJob, 'id' | 'dir' | 'budgetMs'>, where: string): Promise<void> {
    const full: CliJob = { ...job, id: caseIndex, dir: ws.dir, budgetMs: this.options.budgetMs };
    const outcome = await this.pool.run(full, this.restore(ws));
    this.counts.cli++;
    if (outcome.refused) this.counts.engineRefusals++;
    if (outcome.spawnMs !== undefined) {
      this.counts.spawned++;
      this.slowest.add(caseIndex, { what: `spawned segspec ${job.args.join(' ')} (${where})`, ms: outcome.spawnMs });
    }
    if (job.inProcess) this.slowest.add(caseIndex, { what: `segspec ${job.args.join(' ')} (${where})`, ms: outcome.ms });
    this.report(caseIndex, `cli ${where} ${job.args.join(' ')}`, outcome.problems);
  }

  private async runServer(caseIndex: number, ws: FuzzWorkspace, file: string, text: string, rng: Rng, where: string): Promise<void> {
    const budget = this.options.budgetMs;
    let server: FuzzServer;
    try {
      server = await this.server(ws);
    } catch (e) {
      this.report(caseIndex, `server ${where}`, [`server did not start: ${e instanceof Error ? e.message : String(e)}`]);
      return;
    }
    const uri = server.uri(file);
    const problems: string[] = [];
    try {
      const started = performance.now();
      const version = await withBudget(server.change(uri, text, rng), budget, 'didChange');
      const published = await withBudget(server.diagnosticsFor(uri, version), budget, `diagnostics for version ${version}`);
      this.slowest.add(caseIndex, { what: `server edit → diagnostics (${where})`, ms: performance.now() - started });
      problems.push(...server.rangeProblems(published));
      for (let r = 0; r < 1 + rng.int(3); r++) {
        const { timed, problem } = await server.randomRequest(uri, rng, budget);
        this.counts.requests++;
        this.slowest.add(caseIndex, { ...timed, what: `server ${timed.what} (${where})` });
        if (problem) problems.push(problem);
      }
    } catch (e) {
      problems.push(e instanceof Timeout ? e.message : `${e instanceof Error ? e.message : String(e)}`);
    }
    if (server.dead) problems.push(server.dead);
    this.counts.server++;
    if (problems.length > 0) {
      this.report(caseIndex, `server ${where}`, problems);
      // A server that missed its budget may be stuck: the next case gets a fresh one.
      await server.stop();
      this.servers.delete(ws.name);
    } else if (rng.chance(0.3)) {
      await server.change(uri, Buffer.from(this.original(ws, file)).toString('utf8'));
    }
  }

  async runCase(index: number): Promise<void> {
    const rng = new Rng(caseSeed(this.options.seed, index));
    if (caseKind(index) === 'spec') {
      const specWorkspaces = this.workspaces.filter((w) => w.engineArgs.length === 0);
      const ws = rng.pick(specWorkspaces);
      const file = rng.pick(ws.specFiles);
      const mutation = mutateSpec(Buffer.from(this.original(ws, file)).toString('utf8'), rng, this.ctx);
      if (!this.options.regex && hasCatastrophicPattern(mutation.text)) {
        this.counts.excluded++;
        return;
      }
      this.counts.spec++;
      const where = `${ws.name}/${file} ${mutation.operations.join('+')}`;
      const args = cliArgs(rng, mutation.text);
      const spawn = this.options.spawnEvery > 0 && index % this.options.spawnEvery === 0;
      const serverRng = new Rng(rng.int(2 ** 32));
      await Promise.all([
        this.options.cli ? this.runCli(index, ws, { files: [{ file, bytes: Buffer.from(mutation.text, 'utf8') }], args, inProcess: true, spawn }, where) : undefined,
        this.options.server ? this.runServer(index, ws, file, mutation.text, serverRng, where) : undefined,
      ]);
      return;
    }
    const loaders = this.workspaces.flatMap((ws) => ws.loaderFiles.map((l) => ({ ws, ...l })));
    const target = rng.pick(loaders);
    const mutation = mutateBytes(this.original(target.ws, target.file), rng);
    this.counts.data++;
    const where = `${target.ws.name}/${target.file} (${target.format}) ${mutation.operations.join('+')}`;
    if (!this.options.cli) return;
    const native = target.ws.engineArgs.length > 0;
    await this.runCli(
      index,
      target.ws,
      {
        files: [{ file: target.file, bytes: mutation.bytes }],
        args: ['check', '--format', 'json', '.', ...target.ws.engineArgs],
        // DuckDB is native code: it runs in its own process, so a crash there cannot take the fuzzer down.
        inProcess: !native,
        spawn: native || (this.options.spawnEvery > 0 && index % this.options.spawnEvery === 5),
      },
      where,
    );
  }

  async close(): Promise<void> {
    for (const s of this.servers.values()) await s.stop();
    await this.pool.close();
  }
}

function parseOptions(argv: string[]): Options & { soak: boolean; edits: number } {
  const { values } = parseArgs({
    args: argv,
    options: {
      seed: { type: 'string' },
      count: { type: 'string' },
      only: { type: 'string' },
      budget: { type: 'string' },
      'spawn-every': { type: 'string' },
      'no-server': { type: 'boolean' },
      'no-cli': { type: 'boolean' },
      regex: { type: 'boolean' },
      json: { type: 'boolean' },
      soak: { type: 'boolean' },
      edits: { type: 'string' },
    },
  });
  const int = (v: string | undefined, d: number): number => {
    if (v === undefined) return d;
    const n = Number(v);
    if (!Number.isInteger(n) || n < 0) throw new Error(`not a whole number: ${v}`);
    return n;
  };
  return {
    seed: int(values.seed, Math.floor(Math.random() * 2 ** 31)),
    count: int(values.count, 10_000),
    only: values.only === undefined ? undefined : int(values.only, 0),
    budgetMs: int(values.budget, 20_000),
    spawnEvery: int(values['spawn-every'], 50),
    server: !values['no-server'],
    cli: !values['no-cli'],
    regex: Boolean(values.regex),
    json: Boolean(values.json),
    soak: Boolean(values.soak),
    edits: int(values.edits, 5000),
  };
}

const round = (ms: number): string => `${Math.round(ms)} ms`;

async function main(): Promise<number> {
  const options = parseOptions(process.argv.slice(2));
  const distDir = dirname(resolve(__filename));
  const repoRoot = resolve(distDir, '..');
  const serverBundle = join(distDir, 'server.cjs');
  const root = mkdtempSync(join(tmpdir(), 'segspec-fuzz-'));
  try {
    if (options.soak) return await runSoak(serverBundle, repoRoot, root, options.edits, options.json);
    const workspaces = prepareWorkspaces(repoRoot, root);
    const parquet = await prepareParquetWorkspace(root, workspaces[0]);
    if (typeof parquet === 'string') process.stderr.write(`note: no Parquet cases (${parquet})\n`);
    else workspaces.push(parquet);

    const indexes = options.only !== undefined ? [options.only] : Array.from({ length: totalCases(options.count) }, (_, i) => i);
    process.stderr.write(`segspec fuzz: seed ${options.seed}, ${indexes.length} cases (replay: npm run fuzz -- --seed ${options.seed} --count ${options.count})\n`);
    const pool = new CliPool(resolve(__filename), join(repoRoot, 'bin/segspec.cjs'));
    const fuzzer = new Fuzzer(options, workspaces, pool, serverBundle, root);
    const started = performance.now();
    for (const [n, index] of indexes.entries()) {
      await fuzzer.runCase(index);
      if ((n + 1) % 500 === 0) process.stderr.write(`  ${n + 1}/${indexes.length} cases, ${fuzzer.problems.length} problems, ${round(performance.now() - started)}\n`);
    }
    await fuzzer.close();
    const seconds = (performance.now() - started) / 1000;
    const summary = {
      seed: options.seed,
      cases: indexes.length,
      ...fuzzer.counts,
      problems: fuzzer.problems,
      slowest: fuzzer.slowest.top(5).map((s) => ({ ...s, ms: Math.round(s.ms) })),
      seconds: Math.round(seconds),
    };
    const lines = [
      `segspec fuzz: seed ${options.seed}: ${fuzzer.counts.spec} spec mutations (CLI runs ${fuzzer.counts.cli}, ${fuzzer.counts.spawned} spawned; server edits ${fuzzer.counts.server}, requests ${fuzzer.counts.requests}), ${fuzzer.counts.data} loader cases (${fuzzer.counts.engineRefusals} damaged Parquet files refused by DuckDB with exit 2, unlocated), ${fuzzer.counts.excluded} excluded (catastrophic regex), in ${seconds.toFixed(1)} s`,
      `problems: ${fuzzer.problems.length}`,
      ...summary.slowest.map((s) => `slowest: ${s.ms} ms — case ${s.caseIndex}: ${s.what}`),
    ];
    process.stdout.write(`${lines.join('\n')}\n`);
    if (options.json) process.stdout.write(`${JSON.stringify(summary)}\n`);
    return fuzzer.problems.length > 0 ? 1 : 0;
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

if (!isMainThread && (workerData as { role?: string } | null)?.role === WORKER_ROLE) {
  const bin = (workerData as { bin: string }).bin;
  parentPort!.on('message', (job: CliJob) => {
    void runCliJob(job, bin).then((o) => parentPort!.postMessage(o));
  });
} else if (isMainThread) {
  main().then(
    (code) => {
      process.exitCode = code;
    },
    (e: unknown) => {
      process.stderr.write(`segspec fuzz: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
      process.exitCode = 2;
    },
  );
}
