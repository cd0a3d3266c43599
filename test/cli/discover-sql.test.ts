/**
 * `segspec discover` counted by SQL (SPEC §13: "on DuckDB sources, the
 * recount runs as SQL"): on a Parquet source the embedded reader cannot
 * read, DuckDB draws the rows the search runs on and counts the winners on
 * every row; `--engine duckdb` recounts on DuckDB too. The numbers printed
 * equal the embedded engine's count of the printed rules on the same data as
 * CSV.
 */
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Workspace } from '../../server/src/core/workspace.js';
import { NodeHost } from '../../server/src/node/fs-host.js';
import { DuckDbRunner } from '../../server/src/sqlengines/duckdb.js';
import { sampleWithDuckDb } from '../../server/src/sqlengines/discover-sample.js';
import type { DiscoveryReport } from '../../server/src/core/discover/run.js';
import { ensureBuilt, repoRoot, segspec } from './helpers.js';

type Report = DiscoveryReport;

let work: string;
let csvDir: string;
let parquetDir: string;
beforeAll(async () => {
  ensureBuilt();
  work = mkdtempSync(join(tmpdir(), 'segspec-discover-sql-'));
  csvDir = join(work, 'csv');
  parquetDir = join(work, 'parquet');
  for (const dir of [csvDir, parquetDir]) {
    mkdirSync(join(dir, 'data'), { recursive: true });
    cpSync(join(repoRoot, 'samples/b2b-saas/segments.segspec'), join(dir, 'segments.segspec'));
  }
  const spec = readFileSync(join(repoRoot, 'samples/b2b-saas/data.segspec'), 'utf8');
  cpSync(join(repoRoot, 'samples/b2b-saas/data/accounts.csv'), join(csvDir, 'data/accounts.csv'));
  writeFileSync(join(csvDir, 'data.segspec'), spec);
  expect(spec).toContain('source "data/accounts.csv"');
  writeFileSync(join(parquetDir, 'data.segspec'), spec.replace('source "data/accounts.csv"', 'source "data/accounts.parquet"'));
  // The CSV's text as it is, in a Parquet file: DuckDB's view of it reads each cell as the CSV reader does.
  const duck = await DuckDbRunner.open();
  try {
    await duck.run(
      `COPY (SELECT * FROM read_csv('${join(csvDir, 'data/accounts.csv')}', header = true, all_varchar = true, quote = '"', escape = '"')) TO '${join(parquetDir, 'data/accounts.parquet')}' (FORMAT parquet)`,
    );
  } finally {
    duck.close();
  }
}, 180_000);
afterAll(() => rmSync(work, { recursive: true, force: true }));

async function discover(dir: string, extra: string[] = []): Promise<Report> {
  const r = await segspec(['discover', dir, '--target', 'nps <= 6', '--max', '5', '--format', 'json', ...extra]);
  expect(r.stderr).toBe('');
  expect(r.code).toBe(0);
  return JSON.parse(r.stdout) as Report;
}

/** The embedded engine's counts of the report's printed rules on the CSV workspace. */
async function embeddedCounts(report: Report) {
  const lines = ['segment chk_target { from accounts where nps <= 6 }'];
  report.candidates.forEach((c, i) => {
    lines.push(`segment chk_hit_${i} { from accounts where ${c.name} and chk_target }`);
    for (const o of c.overlaps) lines.push(`segment chk_ov_${i}_${o.segment} { from accounts where ${c.name} and ${o.segment} }`);
  });
  const file = join(csvDir, 'discovered.segspec');
  writeFileSync(file, `${report.candidates.map((c) => c.declaration).join('\n')}\n${lines.join('\n')}\n`);
  try {
    const analysis = await new Workspace(new NodeHost(), csvDir).analyze();
    expect(analysis.findings.filter((f) => f.file === file && f.severity !== 'info').map((f) => `${f.code} ${f.message}`)).toEqual([]);
    return (name: string) => {
      const result = analysis.results.segments.get(name);
      expect(result?.status, `${name}: ${result?.reason ?? ''}`).not.toBe('unavailable');
      return result!.size;
    };
  } finally {
    rmSync(file, { force: true });
  }
}

function expectEngineNumbers(report: Report, size: (name: string) => number): void {
  const N = report.rows;
  const T = size('chk_target');
  expect(N).toBe(5000);
  expect(report.targetCount).toBe(T);
  expect(report.targetRate).toBeCloseTo(T / N, 12);
  report.candidates.forEach((c, i) => {
    const n = size(c.name);
    const tp = size(`chk_hit_${i}`);
    expect(c.size, c.where).toBe(n);
    expect(c.share).toBeCloseTo(n / N, 12);
    expect(c.targetCount, c.where).toBe(tp);
    expect(c.lift).toBeCloseTo(tp / n / (T / N), 10);
    expect(c.quality).toBeCloseTo((n / N) * (tp / n - T / N), 12);
    for (const o of c.overlaps) {
      const both = size(`chk_ov_${i}_${o.segment}`);
      expect(o.count, `${c.name} and ${o.segment}`).toBe(both);
      expect(o.jaccard).toBeCloseTo(both / (n + size(o.segment) - both), 12);
    }
  });
}

describe('segspec discover counted by SQL', () => {
  it('on a Parquet source: DuckDB counts every number, equal to the embedded engine on the same data as CSV', async () => {
    const report = await discover(parquetDir);
    expect(report.countedBy).toBe('duckdb');
    expect(report.candidates.length).toBeGreaterThan(0);
    expectEngineNumbers(report, await embeddedCounts(report));
    // The same rows give the same rules: the search on DuckDB's rows finds what it finds on the CSV.
    const csv = await discover(csvDir);
    expect(csv.countedBy).toBe('embedded');
    expect(report.candidates.map((c) => [c.where, c.size, c.targetCount])).toEqual(csv.candidates.map((c) => [c.where, c.size, c.targetCount]));
  }, 240_000);

  it('with --engine duckdb on a CSV source: the same rules and numbers, counted by DuckDB', async () => {
    const embedded = await discover(csvDir);
    const onDuck = await discover(csvDir, ['--engine', 'duckdb']);
    expect(onDuck.countedBy).toBe('duckdb');
    expect(onDuck.candidates).toEqual(embedded.candidates);
    const text = await segspec(['discover', csvDir, '--target', 'nps <= 6', '--max', '2', '--engine', 'duckdb']);
    expect(text.stdout).toMatch(/every number counted by duckdb \(SQL\) on all rows/);
  }, 240_000);

  it('draws a fixed sample of a Parquet file larger than the search limit, typed as the CSV reader types it', async () => {
    const analysis = await new Workspace(new NodeHost(), parquetDir).analyze();
    const first = await sampleWithDuckDb(analysis.model, 'accounts', 700);
    const again = await sampleWithDuckDb(analysis.model, 'accounts', 700);
    expect(first.rows).toBe(5000);
    expect(first.table.rowCount).toBe(700);
    const ids = (t: typeof first.table) => {
      const c = t.byName.get('account_id')!;
      return c.kind === 'dictionary' ? Array.from(c.codes, (code) => c.dictionary[code]) : [];
    };
    expect(ids(again.table)).toEqual(ids(first.table));
    expect(new Set(ids(first.table)).size).toBe(700);
    expect(first.table.byName.get('last_login')).toMatchObject({ kind: 'numeric', type: 'datetime' });
    expect(first.table.byName.get('platforms')).toMatchObject({ kind: 'stringList' });
    const csv = (await new Workspace(new NodeHost(), csvDir).analyze()).data.get('accounts')!.table!;
    const whole = await sampleWithDuckDb(analysis.model, 'accounts', 10_000);
    for (const name of ['last_login', 'mrr_usd', 'nps']) {
      const a = whole.table.byName.get(name)!;
      const b = csv.byName.get(name)!;
      if (a.kind !== 'numeric' || b.kind !== 'numeric') throw new Error(`${name} is not numeric`);
      expect(Array.from(a.values).map((v, i) => (a.missing[i] ? null : v)), name).toEqual(Array.from(b.values).map((v, i) => (b.missing[i] ? null : v)));
    }
  }, 120_000);
});
