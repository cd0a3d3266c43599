/**
 * Local load measurement (not a unit test): the generated users CSV loaded by
 * the Segspec loader and by DuckDB's read_csv into a table, each in its own
 * process so that peak RSS is per engine.
 *
 *   npx esbuild test/unit/data/perf-load.ts --bundle --platform=node --format=esm \
 *     --external:@duckdb/node-api --outfile=/tmp/perf-load.mjs
 *   node /tmp/perf-load.mjs [rows=1000000] [runs=5]
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

async function measure(engine: Engine, file: string, runs: number): Promise<void> {
  const times: number[] = [];
  let rows = 0;
  if (engine.startsWith('segspec')) {
    const declared = engine === 'segspec' ? fields(USERS_FIELDS) : [];
    for (let run = 0; run < runs; run++) {
      const start = performance.now();
      const bytes = readFileSync(file);
      const { table, findings } = loadTableFromBytes(bytes, 'csv', declared, { keyField: 'user_id' });
      times.push(performance.now() - start);
      rows = table?.rowCount ?? 0;
      if (findings.some((f) => f.severity === 'error')) console.error(findings.slice(0, 3));
    }
  } else {
    const { DuckDBInstance } = await import('@duckdb/node-api');
    const instance = await DuckDBInstance.create(':memory:');
    const connection = await instance.connect();
    const columns = `{${Object.entries(DUCK_TYPES).map(([k, v]) => `'${k}': '${v}'`).join(', ')}}`;
    const source = engine === 'duckdb' ? `read_csv('${file}')` : `read_csv('${file}', header = true, columns = ${columns})`;
    for (let run = 0; run < runs; run++) {
      await connection.run('DROP TABLE IF EXISTS users');
      const start = performance.now();
      await connection.run(`CREATE TABLE users AS SELECT * FROM ${source}`);
      times.push(performance.now() - start);
    }
    const result = await connection.runAndReadAll('SELECT count(*) FROM users');
    rows = Number(result.getRows()[0][0]);
  }
  const rssMb = process.resourceUsage().maxRSS / 1024;
  console.log(JSON.stringify({ engine, rows, medianMs: Math.round(median(times)), minMs: Math.round(Math.min(...times)), peakRssMb: Math.round(rssMb) }));
}

async function main(): Promise<void> {
  const [first, second, third, fourth] = process.argv.slice(2);
  if (first === '--engine') {
    await measure(second as Engine, third, Number(fourth));
    return;
  }
  const rows = Number(first ?? 1_000_000);
  const runs = Number(second ?? 5);
  const file = `/tmp/segspec-users-${rows}.csv`;
  if (!existsSync(file)) writeFileSync(file, generateUsersCsvBytes(rows, 42));
  const self = fileURLToPath(import.meta.url);
  for (const engine of ['segspec', 'segspec-inferred', 'duckdb', 'duckdb-typed'] as Engine[]) {
    const out = execFileSync(process.execPath, [self, '--engine', engine, file, String(runs)], { encoding: 'utf8' });
    process.stdout.write(out);
  }
}

void main();
