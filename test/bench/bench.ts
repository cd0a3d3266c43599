/**
 * `npm run bench`: engine figures against DuckDB on a deterministic users
 * table (BENCH_ROWS rows, default 1,000,000), one line per figure:
 * `name: value unit (ratio x)`, ratio = ours / DuckDB (lower is better).
 *
 * Our stages all run first so that the peak RSS figure is the engine's alone;
 * DuckDB is loaded afterwards in the same process. The scale-out figures
 * (a Parquet file on DuckDB, the samples on Spark) come last, from child
 * processes and servers: see scale-stages.ts.
 */
import { fork } from 'node:child_process';
import { existsSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateUsersCsvBytes } from './gen-users.js';
import { collectGarbage, formatFigure, median, peakRssMb, progress, timeRuns, type BenchContext, type Figure, type PeerHandle, type Stage } from './harness.js';
import { crossCheck, engineStages } from './engine-stages.js';
import { extraStages } from './extra-stages.js';
import { printScaleOutFigures, runScaleChild } from './scale-stages.js';
import { printDiscoverFigures } from './discover-stages.js';
import { printFlagFigures } from './flag-stages.js';
import { runBlockWorkerIfAsked } from '../../server/src/node/block-workers.js';

const ROWS = Number(process.env.BENCH_ROWS ?? 1_000_000);

/** Generates the CSV in a child process so that its memory does not count against ours. */
async function ensureCsv(rows: number): Promise<string> {
  const path = join(tmpdir(), `segspec-bench-users-${rows}.csv`);
  if (existsSync(path) && statSync(path).size > 0) return path;
  progress(`generating ${rows.toLocaleString('en-US')} users into ${path}`);
  await new Promise<void>((resolve, reject) => {
    const child = fork(process.argv[1], [], { env: { ...process.env, BENCH_GENERATE: path, BENCH_ROWS: String(rows) } });
    child.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`generator exited with ${code}`))));
  });
  return path;
}

async function openDuck(): Promise<{ handle: PeerHandle; close(): void }> {
  const { DuckDBInstance } = await import('@duckdb/node-api');
  const instance = await DuckDBInstance.create(':memory:');
  const conn = await instance.connect();
  return {
    handle: {
      sql: async (query) => (await conn.runAndReadAll(query)).getRowObjectsJS() as Array<Record<string, unknown>>,
    },
    close: () => {
      conn.closeSync();
      instance.closeSync();
    },
  };
}

async function main(): Promise<void> {
  const csvPath = await ensureCsv(ROWS);
  const ctx: BenchContext = { rows: ROWS, csvPath, state: new Map() };
  // BENCH_ONLY=regex runs only the stages whose name matches it (for measuring some figures alone).
  const only = process.env.BENCH_ONLY;
  const stages: Stage[] = [...engineStages, ...extraStages].filter((s) => !only || new RegExp(only).test(s.name));
  const ours = new Map<Stage, number>();

  let engineRss = 0;
  for (const stage of stages) {
    await stage.setup?.(ctx);
    progress(`ours: ${stage.name}`);
    for (let i = 0; i < (stage.warmup ?? 0); i++) {
      stage.beforeEach?.(ctx);
      await stage.ours(ctx);
    }
    const values: number[] = [];
    const times = await timeRuns(
      stage.runs ?? 3,
      async () => {
        await stage.ours(ctx);
        if (stage.measured) values.push(stage.measured(ctx));
      },
      () => stage.beforeEach?.(ctx),
    );
    ours.set(stage, median(stage.measured ? values : times));
    await stage.after?.(ctx);
    if (stage === engineStages[engineStages.length - 1]) engineRss = peakRssMb();
  }
  collectGarbage();
  const rss = peakRssMb();

  const peers = new Map<Stage, number>();
  const duck = await openDuck();
  try {
    for (const stage of stages) {
      if (!stage.peer) continue;
      await stage.peer.setup?.(ctx, duck.handle);
      progress(`duckdb: ${stage.name}`);
      const peer = stage.peer;
      for (let i = 0; i < (stage.warmup ?? 0); i++) await peer.run(ctx, duck.handle);
      peers.set(stage, median(await timeRuns(stage.runs ?? 3, () => peer.run(ctx, duck.handle))));
    }
  } finally {
    duck.close();
  }

  const figures: Figure[] = [{ name: 'rows', value: ROWS, unit: 'rows' }];
  for (const stage of stages) {
    const value = ours.get(stage)!;
    const peer = peers.get(stage);
    figures.push({ name: stage.name, value, unit: 'ms', ratio: peer ? value / peer : undefined });
    if (peer !== undefined) figures.push({ name: `${stage.name} [duckdb]`, value: peer, unit: 'ms' });
  }
  figures.push({ name: 'peak RSS engine stages (load, 50 segments, overlaps)', value: engineRss, unit: 'MB' });
  figures.push({ name: 'peak RSS all our stages', value: rss, unit: 'MB' });
  figures.push({ name: 'peak RSS with duckdb', value: peakRssMb(), unit: 'MB' });
  for (const f of figures) console.log(formatFigure(f));
  const problems = crossCheck(ctx);
  for (const p of problems) console.log(`mismatch: ${p}`);
  if (problems.length > 0) process.exitCode = 1;
  if (!only || new RegExp(only).test('discover depth 3, 32k rows')) printDiscoverFigures(ctx);
  if ((!only || new RegExp(only).test('flag decisions')) && !(await printFlagFigures(ctx))) process.exitCode = 1;
  if (!only && !(await printScaleOutFigures())) process.exitCode = 1;
}

if (runBlockWorkerIfAsked()) {
  // A worker thread parsing blocks of the CSV for the load stage.
} else if (process.env.BENCH_GENERATE) {
  writeFileSync(process.env.BENCH_GENERATE, generateUsersCsvBytes(Number(process.env.BENCH_ROWS ?? 1_000_000)));
} else if (!runScaleChild()) {
  main().catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
}
