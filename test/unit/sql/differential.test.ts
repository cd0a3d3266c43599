import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compileWhere } from '../../../server/src/core/sql/index.js';
import { DuckDbRunner } from '../../../server/src/sqlengines/duckdb.js';
import { PostgresRunner } from '../../../server/src/sqlengines/postgres.js';
import type { SqlRunner } from '../../../server/src/sqlengines/segments.js';
import type { Row } from '../../../server/src/sqlengines/rows.js';
import type { FieldSpec } from '../../../server/src/sqlengines/duckdb.js';
import { DIFF_FIELDS, DIFF_FIELD_SPECS, type DiffCase, diffCaseArb, referenceMembers, referenceUnknowns } from './differential.js';
import { contextFor, whereExpr } from './fixtures.js';

const RUNS = Number(process.env.SEGSPEC_DIFF_RUNS ?? 300);
const TIMEOUT = 30_000 + RUNS * 100;

interface Engine extends SqlRunner {
  loadRows(table: string, fields: FieldSpec[], rows: Row[]): Promise<void>;
}

async function sqlMembers(engine: Engine, table: string, c: DiffCase): Promise<number[]> {
  await engine.loadRows(table, DIFF_FIELD_SPECS, c.rows);
  const ctx = contextFor({ dialect: engine.dialect, fields: DIFF_FIELDS, segments: c.segments, asOf: c.asOf, table });
  const { sql } = compileWhere(whereExpr(c.where), ctx);
  return (await engine.memberKeys(sql, table, 'id')).map(Number);
}

/** Rows where the compiled rule is NULL: the engine's "unknown because of missing values" counts come from these. */
async function sqlUnknowns(engine: Engine, table: string, c: DiffCase): Promise<number[]> {
  const ctx = contextFor({ dialect: engine.dialect, fields: DIFF_FIELDS, segments: c.segments, asOf: c.asOf, table });
  const { sql } = compileWhere(whereExpr(c.where), ctx);
  return (await engine.memberKeys(`(${sql}) IS NULL`, table, 'id')).map(Number);
}

async function checkAgainstReference(engine: Engine, table: string): Promise<void> {
  await fc.assert(
    fc.asyncProperty(diffCaseArb, async (c) => {
      expect(await sqlMembers(engine, table, c)).toEqual(referenceMembers(c));
      expect(await sqlUnknowns(engine, table, c)).toEqual(referenceUnknowns(c));
    }),
    { numRuns: RUNS },
  );
}

describe('SQL on DuckDB agrees with the reference interpreter on random expressions and tables', () => {
  let duck: DuckDbRunner;
  beforeAll(async () => {
    duck = await DuckDbRunner.open();
  });
  afterAll(() => duck.close());

  it(`${RUNS} random cases`, async () => {
    await checkAgainstReference(duck, 'diff');
  }, TIMEOUT);
});

const pgUrl = process.env.SEGSPEC_PG_URL;

describe.skipIf(!pgUrl)('SQL on PostgreSQL agrees with the reference interpreter', () => {
  let pg: PostgresRunner;
  beforeAll(async () => {
    pg = await PostgresRunner.connect(pgUrl as string);
  });
  afterAll(async () => {
    await pg.query('DROP SCHEMA IF EXISTS segspec_diff CASCADE');
    await pg.close();
  });

  it(`${RUNS} random cases`, async () => {
    await checkAgainstReference(pg, 'segspec_diff.t');
  }, TIMEOUT);
});
