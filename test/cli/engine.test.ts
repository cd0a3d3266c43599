import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { NodeHost } from '../../server/src/node/fs-host.js';
import { Workspace } from '../../server/src/core/workspace.js';
import { datasetTable } from '../../server/src/core/sql/from-model.js';
import { PostgresRunner } from '../../server/src/sqlengines/postgres.js';
import { sparkDatabase } from './spark-database.js';
import { DuckDbRunner } from '../../server/src/sqlengines/duckdb.js';
import { datasetFields, datasetSourcePath } from '../../server/src/sqlengines/workspace.js';
import { ensureBuilt, repoRoot, segspec } from './helpers.js';
import { freshPostgresDatabase } from './postgres-database.js';

const statsSchema = z.object({
  datasets: z.array(z.object({ workspace: z.string(), name: z.string(), rows: z.number().int().nullable() })),
  segments: z.array(z.object({ workspace: z.string(), name: z.string(), size: z.number().int().nullable(), share: z.number().nullable(), status: z.string() })),
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
    sizes: s.segments.map((x) => [x.name, x.size, x.share, x.status]),
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

describe('report --engine duckdb', () => {
  /** The report's chart data and the member keys its sample tables show. */
  async function report(args: string[]): Promise<{ charts: unknown; keys: string[] }> {
    const file = join(work, `report-${args.join('-').replace(/[^a-z]/g, '')}.html`);
    const r = await segspec(['report', ...args, '--out', file]);
    expect(r.code).toBe(0);
    const html = readFileSync(file, 'utf8');
    const json = /<script type="application\/json" id="segspec-data">([^<]*)<\/script>/.exec(html);
    expect(json).not.toBeNull();
    return { charts: JSON.parse(json![1]), keys: html.match(/\bu\d{5}\b/g) ?? [] };
  }

  it('draws the same sizes, overlaps and coverage as the embedded engine and lists the same sample members', async () => {
    const embedded = await report(['samples/productivity']);
    const duck = await report(['samples/productivity', '--engine', 'duckdb']);
    expect(duck.charts).toEqual(embedded.charts);
    expect(embedded.keys.length).toBeGreaterThan(10);
    expect(duck.keys).toEqual(embedded.keys);
    // Spread over the file (8,000 users), not its first rows.
    expect(embedded.keys.some((k) => Number(k.slice(1)) > 6000)).toBe(true);
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

/** `check --format json` output, on the embedded engine or another. */
async function checkJson(args: string[]): Promise<{ code: number; findings: string }> {
  const r = await segspec(['check', ...args, '--format', 'json']);
  expect(r.stderr).toBe('');
  return { code: r.code, findings: r.stdout };
}

describe('check --engine duckdb', () => {
  it.each([...samples, 'test/sql/fixtures/all-checks', 'test/cli/fixtures/failing'])('%s: the same findings, word for word, and the same exit code', async (dir) => {
    const embedded = await checkJson([dir]);
    const duck = await checkJson([dir, '--engine', 'duckdb']);
    expect(duck).toEqual(embedded);
  });

  it('a rule with an unknown field gets its static error only, not data-check noise, on either engine', async () => {
    for (const args of [['test/cli/fixtures/failing'], ['test/cli/fixtures/failing', '--engine', 'duckdb']]) {
      const { findings } = await checkJson(args);
      const codes = (JSON.parse(findings) as { findings: Array<{ code: string; message: string }> }).findings
        .filter((f) => /students|agee/.test(f.message))
        .map((f) => f.code);
      expect(codes).toEqual(['SEG004']);
    }
  });

  it('the fixture fails on DuckDB with the data findings', async () => {
    const duck = await checkJson(['test/sql/fixtures/all-checks', '--engine', 'duckdb']);
    expect(duck.code).toBe(1);
    const codes = new Set((JSON.parse(duck.findings) as { findings: Array<{ code: string }> }).findings.map((f) => f.code));
    for (const code of ['SEG201', 'SEG204', 'SEG206', 'SEG207', 'SEG209', 'SEG212', 'SEG213']) expect(codes).toContain(code);
  });

  it('counts every row of a file larger than the schema sample the embedded reader takes', async () => {
    const dir = join(work, 'big');
    mkdirSync(join(dir, 'data'), { recursive: true });
    writeFileSync(
      join(dir, 'data.segspec'),
      'dataset events {\n  source "data/events.csv"\n  key id\n  as of 2026-06-30\n  fields {\n    id: integer\n    kind: string\n  }\n}\n' +
        'segment late "Late rows" {\n  where id > 100000\n  expect size >= 50000\n}\n',
    );
    const rows = Array.from({ length: 150_000 }, (_, i) => `${i + 1},${i % 3 === 0 ? 'a' : 'b'}`);
    writeFileSync(join(dir, 'data/events.csv'), `id,kind\n${rows.join('\n')}\n`);
    const duck = await stats([dir, '--engine', 'duckdb']);
    expect(duck.datasets[0]?.rows).toBe(150_000);
    expect(duck.segments.find((s) => s.name === 'late')?.size).toBe(50_000);
    const r = await segspec(['check', dir, '--engine', 'duckdb']);
    expect(r.code).toBe(0);
  });

  it.each([
    [
      'csv',
      '\ufeffid,age,seen,ok,tags\r\na,40,2026-06-20T10:00:00Z,yes,a;b\r\n\r\n"b\nmultiline",33,2026-06-20 10:00:00,no,b\r\n"c ""q""",abc,,TRUE,\r\nd,31,,1\r\nf,35,2026-06-29T23:00:00Z,true,"a;c"\r\ng,,2026-06-29,false,c;a',
    ],
    [
      'jsonl',
      '{"id":"a","age":40,"seen":"2026-06-20T10:00:00Z","ok":true,"tags":["a","b"]}\n{"id":"b","age":"abc","ok":"yes","tags":"b"}\nnot json\n' +
        '{"id":"c","age":50.0,"seen":null,"ok":1,"tags":[]}\n[1,2]\n{"id":"d","age":31,"tags":["a"],"extra":{"x":1}}\n',
    ],
  ])('a messy %s file (bad rows skipped, BOM, CRLF, quoted line breaks, mixed types): DuckDB counts what the embedded reader reads', async (format, content) => {
    const dir = join(work, `messy-${format}`);
    mkdirSync(join(dir, 'data'), { recursive: true });
    writeFileSync(
      join(dir, 'data.segspec'),
      `dataset users {\n  source "data/u.${format}"\n  key id\n  as of 2026-06-30\n  fields {\n    id: string\n    age: integer?\n    seen: datetime?\n    ok: boolean?\n    tags: list<string>?\n  }\n}\n` +
        'segment old "Old" {\n  where age > 30\n}\nsegment recent "Recent" {\n  where seen within last 30 days\n}\n' +
        'segment okay "Ok" {\n  where ok\n}\nsegment tagged "Tagged" {\n  where tags contains "a"\n}\n',
    );
    writeFileSync(join(dir, `data/u.${format}`), content);
    const embedded = await stats([dir]);
    expect(embedded.datasets[0]?.rows).toBeGreaterThan(3);
    expect(measured(await stats([dir, '--engine', 'duckdb']))).toEqual(measured(embedded));
    const onEmbedded = await segspec(['check', dir, '--format', 'json']);
    expect(onEmbedded.stdout).toMatch(/SEG11[145]|SEG121/);
    expect((await segspec(['check', dir, '--format', 'json', '--engine', 'duckdb'])).stdout).toBe(onEmbedded.stdout);
  });

  it('reads a Parquet source the embedded reader cannot', async () => {
    const dir = join(work, 'parquet');
    mkdirSync(join(dir, 'data'), { recursive: true });
    const duck = await DuckDbRunner.open();
    try {
      await duck.run(
        `COPY (SELECT i AS id, CASE WHEN i % 4 = 0 THEN 'pro' ELSE 'free' END AS plan FROM range(1, 1001) t(i)) TO '${join(dir, 'data/users.parquet')}' (FORMAT parquet)`,
      );
    } finally {
      duck.close();
    }
    writeFileSync(
      join(dir, 'data.segspec'),
      'dataset users {\n  source "data/users.parquet"\n  key id\n  as of 2026-06-30\n  fields {\n    id: integer\n    plan: enum("free", "pro")\n  }\n}\n' +
        'segment pros "Pro users" {\n  where plan == "pro"\n  expect size between 20% and 30%\n}\n',
    );
    const embedded = await segspec(['check', dir, '--no-color']);
    expect(embedded.code).toBe(1);
    expect(embedded.stdout).toMatch(/SEG102/);
    const onDuck = await segspec(['check', dir, '--no-color', '--engine', 'duckdb']);
    expect(onDuck.stdout).not.toMatch(/SEG102/);
    expect(onDuck.code).toBe(0);
    const sized = await stats([dir, '--engine', 'duckdb']);
    expect(sized.segments.find((s) => s.name === 'pros')).toMatchObject({ size: 250, share: 0.25, status: 'ok' });
  });

  it('a rule the engine cannot run is an SEG215 error naming the segment; the others are checked', async () => {
    const dir = join(work, 'regex');
    mkdirSync(join(dir, 'data'), { recursive: true });
    writeFileSync(
      join(dir, 'data.segspec'),
      'dataset users {\n  source "data/users.csv"\n  key id\n  fields {\n    id: string\n    email: string\n  }\n}\n' +
        // A named group in the newer `(?<name>…)` spelling: valid RE2 for the embedded engine, refused by DuckDB's RE2.
        'segment named_group "Named group" {\n  where email matches "^(?<user>[^@]+)@"\n}\n' +
        'segment everyone "Everyone" {\n  where email is not missing\n}\n',
    );
    writeFileSync(join(dir, 'data/users.csv'), 'id,email\na,a@x.org\nb,b@y.org\n');
    const r = await segspec(['check', dir, '--engine', 'duckdb', '--no-color']);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/error SEG215 duckdb cannot run named_group: .*/);
    expect(r.stdout).not.toMatch(/everyone/);
    const sized = await stats([dir, '--engine', 'duckdb']);
    expect(sized.segments.find((s) => s.name === 'everyone')?.size).toBe(2);
  });
});

const pgUrl = process.env.SEGSPEC_PG_URL;

describe.runIf(pgUrl)('stats --engine postgres (SEGSPEC_PG_URL)', () => {
  const database = 'segspec_engine_cli';
  let url = '';

  beforeAll(async () => {
    // A database of its own, so the samples' tables (named like their datasets) collide with nothing.
    url = await freshPostgresDatabase(pgUrl as string, database);
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

  it.each(samples)('check --engine postgres: %s has the same findings as on the embedded engine', async (sample) => {
    expect(await checkJson([sample, '--engine', 'postgres', '--db', url])).toEqual(await checkJson([sample]));
  });
});

const sparkUrl = process.env.SEGSPEC_SPARK_URL;

describe.runIf(sparkUrl)('stats --engine spark (SEGSPEC_SPARK_URL)', () => {
  const database = 'segspec_engine_cli';
  let url = '';

  beforeAll(async () => {
    url = await sparkDatabase(sparkUrl as string, database, async (runner) => {
      for (const sample of samples) {
        const { model } = await new Workspace(new NodeHost(), join(repoRoot, sample)).analyze();
        for (const name of model.datasets.keys()) {
          const path = datasetSourcePath(model, name);
          const table = `${database}.${datasetTable(model, name)}`;
          if (path) await runner.loadSample(table, { path, fields: datasetFields(model, name) });
        }
      }
    });
  }, 600_000);

  it.each(samples)('%s: sizes, shares and overlap counts equal the embedded engine’s', async (sample) => {
    const embedded = await stats([sample]);
    const onSpark = await stats([sample, '--engine', 'spark', '--db', url]);
    expect(embedded.segments.length).toBeGreaterThan(3);
    expect(measured(onSpark)).toEqual(measured(embedded));
  }, 600_000);

  it.each(samples)('check --engine spark: %s has the same findings as on the embedded engine', async (sample) => {
    expect(await checkJson([sample, '--engine', 'spark', '--db', url])).toEqual(await checkJson([sample]));
  }, 600_000);
});
