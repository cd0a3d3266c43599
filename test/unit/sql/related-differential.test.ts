import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compileWhere } from '../../../server/src/core/sql/index.js';
import { DuckDbRunner, type FieldSpec } from '../../../server/src/sqlengines/duckdb.js';
import { PostgresRunner } from '../../../server/src/sqlengines/postgres.js';
import type { Row } from '../../../server/src/sqlengines/rows.js';
import type { SqlRunner } from '../../../server/src/sqlengines/segments.js';
import { whereExpr } from './fixtures.js';
import { relatedContextFor } from './related-fixtures.js';
import { EV_FIELDS, PARENT_FIELDS, type RelatedDiffCase, SV_FIELDS, relatedDiffCaseArb, relatedDiffSpecs, relatedReferenceMembers, specs } from './related-differential.js';

const RUNS = Number(process.env.SEGSPEC_DIFF_RUNS ?? 200);
const TIMEOUT = 30_000 + RUNS * 300;

interface Engine extends SqlRunner {
  loadRows(table: string, fields: FieldSpec[], rows: Row[]): Promise<void>;
}

async function sqlMembers(engine: Engine, schema: string, c: RelatedDiffCase): Promise<number[]> {
  const tables = { users: `${schema}users`, ev: `${schema}ev`, sv: `${schema}sv` };
  await engine.loadRows(tables.users, specs(PARENT_FIELDS), c.users);
  await engine.loadRows(tables.ev, specs(EV_FIELDS), c.ev);
  await engine.loadRows(tables.sv, specs(SV_FIELDS), c.sv);
  const ctx = relatedContextFor({ dialect: engine.dialect, fields: PARENT_FIELDS, asOf: c.asOf, table: tables.users }, relatedDiffSpecs(tables));
  const { sql, joins } = compileWhere(whereExpr(c.where), ctx);
  return (await engine.memberKeys(sql, tables.users, 'id', joins)).map(Number);
}

async function checkAgainstReference(engine: Engine, schema: string): Promise<void> {
  await fc.assert(
    fc.asyncProperty(relatedDiffCaseArb, async (c) => {
      expect(await sqlMembers(engine, schema, c)).toEqual(relatedReferenceMembers(c));
    }),
    { numRuns: RUNS },
  );
}

describe('aggregates and lookups on DuckDB agree with the reference interpreter on random rules and related tables', () => {
  let duck: DuckDbRunner;
  beforeAll(async () => {
    duck = await DuckDbRunner.open();
  });
  afterAll(() => duck.close());

  it(`${RUNS} random cases`, async () => {
    await checkAgainstReference(duck, '');
  }, TIMEOUT);
});

const pgUrl = process.env.SEGSPEC_PG_URL;

describe.skipIf(!pgUrl)('aggregates and lookups on PostgreSQL agree with the reference interpreter', () => {
  let pg: PostgresRunner;
  beforeAll(async () => {
    pg = await PostgresRunner.connect(pgUrl as string);
  });
  afterAll(async () => {
    await pg.query('DROP SCHEMA IF EXISTS segspec_rdiff CASCADE');
    await pg.close();
  });

  it(`${RUNS} random cases`, async () => {
    await checkAgainstReference(pg, 'segspec_rdiff.');
  }, TIMEOUT);
});
