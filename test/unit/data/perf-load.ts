/**
 * Local load measurement (not a unit test): the generated users CSV loaded by
 * the Segspec loader and by DuckDB's read_csv into a table, each in its own
 * process so that peak RSS is per engine.
 *
 *   npx esbuild test/unit/data/perf-load.ts --bundle --platform=node --format=esm \
 *     --external:@duckdb/node-api --outfile=/tmp/perf-load.mjs
 *   node /tmp/perf-load.mjs [rows=1000000] [runs=5]
 *
 * (Bundle to a folder below the repository, e.g. node_modules/.cache/, so that
 * the external @duckdb/node-api resolves.) Every load runs in a fresh process;
 * engines are interleaved; the summary gives medians of wall time, CPU time
 * (all threads) and peak RSS.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { loadTableFromBytes } from '../../../server/src/core/data/index.js';
import { USERS_FIELDS, generateUsersCsvBytes } from '../../bench/gen-users.js';
import { fields } from './fixtures.js';

type Engine = 'segspec' | 'segspec-inferred' | 'duckdb' | 'duckdb-typed';

const DUCK_TYPES: Record<string, string> = {
  user_id: 'VARCHAR', age: 'BIGINT', country: 'VARCHAR', plan: 'VARCHAR', device: 'VARCHAR', seats: 'BIGINT',
  signup_date: 'DATE', last_seen: 'TIMESTAMP', sessions_30d: 'BIGINT', ltv_usd: 'DOUBLE', app_version: 'VARCHAR',
  is_student: 'BOOLEAN', integrations: 'VARCHAR',
};

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

/** One load in this process: wall time, CPU time (all threads) and peak RSS, as one JSON line. */
async function measureOnce(engine: Engine, file: string): Promise<void> {
  let rows = 0;
  let wallMs = 0;
  let cpuMs = 0;
  const cpu = (): number => {
    const usage = process.cpuUsage();
    return (usage.user + usage.system) / 1000;
  };
  if (engine.startsWith('segspec')) {
    const declared = engine === 'segspec' ? fields(USERS_FIELDS) : [];
    const cpuStart = cpu();
    const start = performance.now();
    const bytes = readFileSync(file);
    const { table, findings } = loadTableFromBytes(bytes, 'csv', declared, { keyField: 'user_id' });
    wallMs = performance.now() - start;
    cpuMs = cpu() - cpuStart;
    rows = table?.rowCount ?? 0;
    if (findings.some((f) => f.severity === 'error')) console.error(findings.slice(0, 3));
  } else {
    const { DuckDBInstance } = await import('@duckdb/node-api');
    const instance = await DuckDBInstance.create(':memory:');
    const connection = await instance.connect();
    const columns = `{${Object.entries(DUCK_TYPES).map(([k, v]) => `'${k}': '${v}'`).join(', ')}}`;
    const source = engine === 'duckdb' ? `read_csv('${file}')` : `read_csv('${file}', header = true, columns = ${columns})`;
    const cpuStart = cpu();
    const start = performance.now();
    await connection.run(`CREATE TABLE users AS SELECT * FROM ${source}`);
    wallMs = performance.now() - start;
    cpuMs = cpu() - cpuStart;
    const result = await connection.runAndReadAll('SELECT count(*) FROM users');
    rows = Number(result.getRows()[0][0]);
  }
  const peakRssMb = process.resourceUsage().maxRSS / 1024;
  console.log(JSON.stringify({ engine, rows, wallMs, cpuMs, peakRssMb }));
}

interface Sample {
  engine: Engine;
  rows: number;
  wallMs: number;
  cpuMs: number;
  peakRssMb: number;
}

async function main(): Promise<void> {
  const [first, second, third] = process.argv.slice(2);
  if (first === '--engine') {
    await measureOnce(second as Engine, third);
    return;
  }
  const rows = Number(first ?? 1_000_000);
  const runs = Number(second ?? 5);
  const file = `/tmp/segspec-users-${rows}.csv`;
  if (!existsSync(file)) writeFileSync(file, generateUsersCsvBytes(rows, 42));
  const self = fileURLToPath(import.meta.url);
  const engines: Engine[] = ['segspec', 'segspec-inferred', 'duckdb', 'duckdb-typed'];
  const samples = new Map<Engine, Sample[]>(engines.map((e) => [e, []]));
  // Interleaved, one fresh process per load, so that load on the machine hits every engine alike.
  for (let run = 0; run < runs; run++) {
    for (const engine of engines) {
      const out = execFileSync(process.execPath, [self, '--engine', engine, file], { encoding: 'utf8' });
      samples.get(engine)?.push(JSON.parse(out.trim().split('\n').pop() ?? '{}') as Sample);
    }
  }
  for (const [engine, list] of samples) {
    console.log(
      JSON.stringify({
        engine,
        rows: list[0]?.rows,
        medianWallMs: Math.round(median(list.map((s) => s.wallMs))),
        minWallMs: Math.round(Math.min(...list.map((s) => s.wallMs))),
        medianCpuMs: Math.round(median(list.map((s) => s.cpuMs))),
        medianPeakRssMb: Math.round(median(list.map((s) => s.peakRssMb))),
      }),
    );
  }
}

void main();
