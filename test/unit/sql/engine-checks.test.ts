/**
 * The checks on the data (SEG200–SEG214) run on a SQL engine give the same
 * findings, word for word, and the same numbers as the embedded engine: on
 * every sample workspace and on a fixture that triggers every check with
 * missing values. DuckDB always; PostgreSQL and Spark when SEGSPEC_PG_URL /
 * SEGSPEC_SPARK_URL name a server (`source scripts/ci/services-start.sh`).
 */
import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Workspace, type Analysis } from '../../../server/src/core/workspace.js';
import { NodeHost } from '../../../server/src/node/fs-host.js';
import { DuckDbRunner } from '../../../server/src/sqlengines/duckdb.js';
import { PostgresRunner } from '../../../server/src/sqlengines/postgres.js';
import { analyzeOnSql, type AnalyzingRunner, type SqlAnalysis } from '../../../server/src/sqlengines/analyze.js';
import { datasetFields, datasetSourcePath, loadModelDataset } from '../../../server/src/sqlengines/workspace.js';
import type { DataAnalysis } from '../../../server/src/core/engine/index.js';
import type { Finding } from '../../../server/src/core/diagnostics/types.js';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const workspaces = [
  ...readdirSync(join(root, 'samples'), { withFileTypes: true })
    .filter((e) => e.isDirectory())
    .map((e) => join(root, 'samples', e.name)),
  join(root, 'test/sql/fixtures/all-checks'),
  // Related datasets (SPEC §11) on messy data: every aggregate form and lookup.
  join(root, 'test/sql/fixtures/related'),
];
const MINUTES = 60_000;

function engineFindings(findings: readonly Finding[]) {
  return findings
    .filter((f) => /^SEG2\d\d$/.test(f.code))
    .map((f) => `${f.file.slice(root.length)}:${f.range.start.line + 1}:${f.range.start.character + 1} ${f.severity} ${f.code} ${f.message}`)
    .sort();
}

/** What a user sees of an analysis: per segment, per partition, per persona, per dataset. */
function numbers(a: DataAnalysis) {
  return {
    segments: [...a.segments.values()]
      .map((s) => ({
        name: s.name,
        status: s.status,
        size: s.size,
        rows: s.rows,
        unknown: s.unknown,
        expectations: s.expectations.map((e) => `${e.passed} ${e.message}`),
        examples: s.examples.map((e) => e.passed),
      }))
      .sort((x, y) => x.name.localeCompare(y.name)),
    partitions: a.partitions.map((p) => ({ name: p.name, passed: p.passed, overlaps: p.overlaps, uncovered: p.uncovered })),
    personas: [...a.personas.values()].map((p) => ({ name: p.name, member: p.member })),
    coverage: [...a.datasets.values()].map((d) => ({ name: d.name, rows: d.rows, asOf: d.asOf, uncovered: d.coverage.uncovered, keys: d.coverage.exampleKeys })),
  };
}

async function embedded(dir: string): Promise<Analysis> {
  return new Workspace(new NodeHost(), dir).analyze();
}

function expectSame(onSql: SqlAnalysis, embeddedAnalysis: Analysis): void {
  expect(onSql.errors).toEqual([]);
  expect(engineFindings(onSql.findings)).toEqual(engineFindings(embeddedAnalysis.results.findings));
  expect(numbers(onSql)).toEqual(numbers(embeddedAnalysis.results));
}

describe('checks on DuckDB', () => {
  let duck: DuckDbRunner;
  beforeAll(async () => {
    duck = await DuckDbRunner.open();
  });
  afterAll(() => duck?.close());

  for (const dir of workspaces) {
    it(`${dir.slice(root.length)}: same findings and numbers as the embedded engine`, async () => {
      const local = await embedded(dir);
      const tables = new Map<string, string>();
      for (const dataset of local.model.datasets.keys()) {
        await loadModelDataset(duck, local.model, dataset);
        tables.set(dataset, dataset);
      }
      const onSql = await analyzeOnSql(duck, local.model, { tables, rowOrder: () => 'rowid' });
      expectSame(onSql, local);
    });
  }

  it('the fixture does trigger every check on the data', async () => {
    const local = await embedded(join(root, 'test/sql/fixtures/all-checks'));
    const codes = new Set(local.results.findings.map((f) => f.code));
    for (let n = 200; n <= 214; n++) expect(codes, `SEG${n}`).toContain(`SEG${n}`);
  });
});

/** Loads every dataset's sample into `schema.dataset` on a server engine and checks there. */
async function checkOnServer(runner: AnalyzingRunner & { loadSample(table: string, source: { path: string; fields: ReturnType<typeof datasetFields> }): Promise<number> }, schema: string) {
  for (const dir of workspaces) {
    const local = await embedded(dir);
    const tables = new Map<string, string>();
    for (const dataset of local.model.datasets.keys()) {
      const path = datasetSourcePath(local.model, dataset);
      if (!path) continue;
      const table = `${schema}.${dataset}`;
      await runner.loadSample(table, { path, fields: datasetFields(local.model, dataset) });
      tables.set(dataset, table);
    }
    expectSame(await analyzeOnSql(runner, local.model, { tables }), local);
  }
}

const pgUrl = process.env.SEGSPEC_PG_URL;
describe.skipIf(!pgUrl)('checks on PostgreSQL (SEGSPEC_PG_URL)', () => {
  it('same findings and numbers as the embedded engine on every workspace', async () => {
    const pg = await PostgresRunner.connect(pgUrl as string);
    try {
      await pg.query('CREATE SCHEMA IF NOT EXISTS segspec_checks');
      await checkOnServer(pg, 'segspec_checks');
    } finally {
      await pg.query('DROP SCHEMA IF EXISTS segspec_checks CASCADE').catch(() => undefined);
      await pg.close();
    }
  }, 5 * MINUTES);
});

const sparkUrl = process.env.SEGSPEC_SPARK_URL;
describe.skipIf(!sparkUrl)('checks on Spark (SEGSPEC_SPARK_URL)', () => {
  it('same findings and numbers as the embedded engine on every workspace', async () => {
    const { SparkRunner } = await import('../../../server/src/sqlengines/spark.js');
    const spark = await SparkRunner.connect(sparkUrl as string);
    try {
      await checkOnServer(spark, 'segspec_checks');
    } finally {
      await spark.query('DROP DATABASE IF EXISTS segspec_checks CASCADE').catch(() => undefined);
      await spark.close();
    }
  }, 15 * MINUTES);
});

describe('analyses with a result cache (the editor on DuckDB)', () => {
  it('an edit re-runs only the statements of the rule it changed, with the same results as without the cache', async () => {
    const dir = join(root, 'samples/productivity');
    const workspace = new Workspace(new NodeHost(), dir);
    const duck = await DuckDbRunner.open();
    const statements: string[] = [];
    const counting: AnalyzingRunner = {
      dialect: duck.dialect,
      count: (where, table) => duck.count(where, table),
      memberKeys: (where, table, key) => duck.memberKeys(where, table, key),
      query: (sql) => {
        statements.push(sql);
        return duck.query(sql);
      },
    };
    try {
      const first = await workspace.analyze();
      await loadModelDataset(duck, first.model, 'users');
      const tables = new Map([['users', 'users']]);
      const cache = new Map<string, unknown>();
      await analyzeOnSql(counting, first.model, { tables, cache, rowOrder: () => 'rowid' });
      const cold = statements.length;
      expect(cold).toBeGreaterThan(5);

      statements.length = 0;
      await analyzeOnSql(counting, first.model, { tables, cache, rowOrder: () => 'rowid' });
      expect(statements).toEqual([]);

      const file = join(dir, 'segments.segspec');
      const text = (await import('node:fs')).readFileSync(file, 'utf8');
      expect(text).toMatch(/seats >= 50/);
      workspace.setOverlay(file, text.replace('seats >= 50', 'seats >= 60'), 2);
      const edited = await workspace.analyze();
      statements.length = 0;
      const warm = await analyzeOnSql(counting, edited.model, { tables, cache, rowOrder: () => 'rowid' });
      expect(statements.length).toBeGreaterThan(0);
      expect(statements.length).toBeLessThan(cold);
      const fresh = await analyzeOnSql(duck, edited.model, { tables, rowOrder: () => 'rowid' });
      expect(numbers(warm)).toEqual(numbers(fresh));
      expect(engineFindings(warm.findings)).toEqual(engineFindings(fresh.findings));
    } finally {
      duck.close();
    }
  });
});
