import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { NodeHost } from '../../server/src/node/fs-host.js';
import { Workspace } from '../../server/src/core/workspace.js';
import { datasetTable } from '../../server/src/core/sql/from-model.js';
import { PostgresRunner } from '../../server/src/sqlengines/postgres.js';
import { SparkRunner } from '../../server/src/sqlengines/spark.js';
import { DuckDbRunner } from '../../server/src/sqlengines/duckdb.js';
import { measureDataset, type QueryingRunner } from '../../server/src/sqlengines/measure.js';
import { datasetFields, datasetSourcePath, loadModelDataset } from '../../server/src/sqlengines/workspace.js';
import { ensureBuilt, fixtures, repoRoot, segspec } from './helpers.js';

const statsSchema = z.object({
  datasets: z.array(z.object({ workspace: z.string(), name: z.string(), rows: z.number().int().nullable() })),
  segments: z.array(z.object({ workspace: z.string(), name: z.string(), size: z.number().int(), share: z.number(), status: z.string() })),
  overlaps: z.array(z.object({ workspace: z.string(), a: z.string(), b: z.string(), count: z.number().int() })),
});
type Stats = z.infer<typeof statsSchema>;

const samples = ['samples/productivity', 'samples/b2b-saas'];

async function stats(args: string[]): Promise<Stats> {
  const r = await segspec(['stats', ...args, '--format', 'json']);
  expect(r.stderr).toBe('');
  expect(r.code).toBe(0);
  return statsSchema.parse(JSON.parse(r.stdout));
}

/** The numbers an engine is responsible for, in output order. */
function measured(s: Stats): unknown {
  return {
    rows: s.datasets.map((d) => [d.name, d.rows]),
    sizes: s.segments.map((x) => [x.name, x.size, x.share]),
    overlaps: s.overlaps.map((o) => [o.a, o.b, o.count]),
  };
}

let work: string;
beforeAll(() => {
  ensureBuilt();
  work = mkdtempSync(join(tmpdir(), 'segspec-engine-'));
});
afterAll(() => {
  if (work) rmSync(work, { recursive: true, force: true });
});

describe('stats --engine duckdb', () => {
  it.each(samples)('%s: sizes, shares and overlap counts equal the embedded engine’s', async (sample) => {
    const embedded = await stats([sample]);
    const duck = await stats([sample, '--engine', 'duckdb']);
    expect(embedded.segments.length).toBeGreaterThan(3);
    expect(embedded.overlaps.some((o) => o.count > 0)).toBe(true);
    expect(measured(duck)).toEqual(measured(embedded));
  });

  it('several workspaces in one run (samples/): each measured on its own tables', async () => {
    const embedded = await stats(['samples']);
    const duck = await stats(['samples', '--engine', 'duckdb']);
    expect(new Set(embedded.segments.map((s) => s.workspace)).size).toBeGreaterThanOrEqual(3);
    expect(measured(duck)).toEqual(measured(embedded));
  });

  it('table and csv outputs keep their shape', async () => {
    const table = await segspec(['stats', 'samples/productivity', '--engine', 'duckdb', '--no-color']);
    expect(table.code).toBe(0);
    expect(table.stdout).toMatch(/largest overlaps/);
    const csv = await segspec(['stats', 'samples/productivity', '--engine', 'duckdb', '--format', 'csv']);
    expect(csv.stdout.split('\r\n')[0]).toBe('workspace,segment,dataset,size,share,status');
  });
});

describe('--engine usage errors', () => {
  it('postgres without --db is a usage error (exit 2)', async () => {
    const r = await segspec(['stats', 'samples/productivity', '--engine', 'postgres']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--engine postgres needs --db URL/);
    expect(r.stdout).toBe('');
  });

  it('an unknown engine is a usage error', async () => {
    const r = await segspec(['check', 'samples/productivity', '--engine', 'oracle']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--engine must be one of embedded, duckdb, postgres, spark/);
  });

  it('an unreachable server is a tool failure (exit 2) naming the engine', async () => {
    const r = await segspec(['stats', 'samples/productivity', '--engine', 'postgres', '--db', 'postgres://nobody@127.0.0.1:9/none']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/cannot reach postgres at postgres:\/\/nobody@127\.0\.0\.1:9\/none/);
    expect(r.stdout).toBe('');
  });
});

describe('check --engine', () => {
  it('passes when the engine agrees', async () => {
    const r = await segspec(['check', 'samples/productivity', '--engine', 'duckdb']);
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/duckdb agrees with the embedded engine/);
  });

  it('fails (exit 1) naming the segment whose size differs', async () => {
    // A known difference (core/sql/README.md): SQL compares pre-release
    // identifiers as text, so 1.0.0-rc.10 sorts before 1.0.0-rc.3 there.
    const dir = join(work, 'semver');
    mkdirSync(join(dir, 'data'), { recursive: true });
    writeFileSync(
      join(dir, 'data.segspec'),
      'dataset apps {\n  source "data/apps.csv"\n  key id\n  as of 2026-06-30\n  fields {\n    id: string\n    version: semver\n  }\n}\n',
    );
    writeFileSync(join(dir, 'segments.segspec'), 'segment early "Early builds" {\n  where version < "1.0.0-rc.3"\n}\n');
    writeFileSync(join(dir, 'data/apps.csv'), 'id,version\na,1.0.0-rc.1\nb,1.0.0-rc.10\nc,1.0.0\n');

    const embedded = await stats([dir]);
    const duck = await stats([dir, '--engine', 'duckdb']);
    expect(embedded.segments.find((s) => s.name === 'early')?.size).toBe(1);
    expect(duck.segments.find((s) => s.name === 'early')?.size).toBe(2);

    const plain = await segspec(['check', dir]);
    expect(plain.code).toBe(0);
    const r = await segspec(['check', dir, '--engine', 'duckdb']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/segment 'early' has 1 members on the embedded engine, duckdb: 2/);
  });
});

describe('measureDataset', () => {
  it('names a segment whose SQL the engine rejects and still measures the others', async () => {
    const { model, results } = await new Workspace(new NodeHost(), join(fixtures, 'clean')).analyze();
    const duck = await DuckDbRunner.open();
    try {
      await loadModelDataset(duck, model, 'users');
      // An engine that cannot read the `age` column: only `students` uses it.
      const picky: QueryingRunner = {
        dialect: 'duckdb',
        count: (where, table) => duck.count(where, table),
        memberKeys: (where, table, key) => duck.memberKeys(where, table, key),
        query: async (sql) => {
          if (sql.includes('"age"')) throw new Error('column "age" is not readable here');
          return duck.query(sql);
        },
      };
      const measured = await measureDataset(picky, model, { dataset: 'users', table: 'users', asOf: '2026-06-30' });
      const students = measured.segments.find((s) => s.segment === 'students');
      expect(students).toMatchObject({ error: expect.stringMatching(/age/) });
      const others = measured.segments.filter((s) => s.segment !== 'students');
      expect(others.length).toBeGreaterThan(1);
      for (const s of others) expect(s.size).toBe(results.segments.get(s.segment)?.size);
      expect(measured.rows).toBe(results.datasets.get('users')?.rows);
      expect(measured.overlaps.some((o) => o.a === 'students' || o.b === 'students')).toBe(false);
      expect(measured.overlaps.length).toBe((others.length * (others.length - 1)) / 2);
    } finally {
      duck.close();
    }
  });
});

const pgUrl = process.env.SEGSPEC_PG_URL;

describe.runIf(pgUrl)('stats --engine postgres (SEGSPEC_PG_URL)', () => {
  const database = 'segspec_engine_cli';
  let url = '';

  beforeAll(async () => {
    // A database of its own, so the samples' tables (named like their datasets) collide with nothing.
    const admin = new pg.Client({ connectionString: pgUrl });
    await admin.connect();
    try {
      await admin.query(`DROP DATABASE IF EXISTS ${database}`);
      await admin.query(`CREATE DATABASE ${database}`);
    } finally {
      await admin.end();
    }
    const target = new URL(pgUrl as string);
    target.pathname = `/${database}`;
    url = target.toString();
    const runner = await PostgresRunner.connect(url);
    try {
      for (const sample of samples) {
        const { model } = await new Workspace(new NodeHost(), join(repoRoot, sample)).analyze();
        for (const name of model.datasets.keys()) {
          const path = datasetSourcePath(model, name);
          if (path) await runner.loadSample(datasetTable(model, name), { path, fields: datasetFields(model, name) });
        }
      }
    } finally {
      await runner.close();
    }
  }, 120_000);

  it.each(samples)('%s: sizes, shares and overlap counts equal the embedded engine’s', async (sample) => {
    const embedded = await stats([sample]);
    const onPg = await stats([sample, '--engine', 'postgres', '--db', url]);
    expect(embedded.segments.length).toBeGreaterThan(3);
    expect(measured(onPg)).toEqual(measured(embedded));
  });

  it('check --engine postgres agrees', async () => {
    const r = await segspec(['check', 'samples/b2b-saas', '--engine', 'postgres', '--db', url]);
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/postgres agrees/);
  });
});

const sparkUrl = process.env.SEGSPEC_SPARK_URL;

describe.runIf(sparkUrl)('stats --engine spark (SEGSPEC_SPARK_URL)', () => {
  const database = 'segspec_engine_cli';
  let url = '';

  beforeAll(async () => {
    const runner = await SparkRunner.connect(sparkUrl as string);
    try {
      await runner.query(`CREATE DATABASE IF NOT EXISTS ${database}`);
      for (const sample of samples) {
        const { model } = await new Workspace(new NodeHost(), join(repoRoot, sample)).analyze();
        for (const name of model.datasets.keys()) {
          const path = datasetSourcePath(model, name);
          const table = `${database}.${datasetTable(model, name)}`;
          if (path) await runner.loadSample(table, { path, fields: datasetFields(model, name) });
        }
      }
    } finally {
      await runner.close();
    }
    const target = new URL(sparkUrl as string);
    target.pathname = `/${database}`;
    url = target.toString();
  }, 600_000);

  it.each(samples)('%s: sizes, shares and overlap counts equal the embedded engine’s', async (sample) => {
    const embedded = await stats([sample]);
    const onSpark = await stats([sample, '--engine', 'spark', '--db', url]);
    expect(embedded.segments.length).toBeGreaterThan(3);
    expect(measured(onSpark)).toEqual(measured(embedded));
  }, 600_000);
});
