import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compileWhere } from '../../../server/src/core/sql/index.js';
import { PostgresRunner } from '../../../server/src/sqlengines/postgres.js';
import { MEMBERSHIP_CASES, USER_FIELDS, USER_FIELD_SPECS, USER_ROWS, USER_SEGMENTS, contextFor, whereExpr } from './fixtures.js';

// Runs when a throwaway cluster is up: export SEGSPEC_PG_URL="$(bash scripts/ci/postgres-start.sh)".
const url = process.env.SEGSPEC_PG_URL;

describe.skipIf(!url)('compiled SQL on PostgreSQL selects the members SPEC §5 defines', () => {
  let runner: PostgresRunner;
  beforeAll(async () => {
    runner = await PostgresRunner.connect(url as string);
    await runner.loadRows('segspec_test.users', USER_FIELD_SPECS, USER_ROWS);
  });
  afterAll(async () => {
    await runner.query('DROP SCHEMA IF EXISTS segspec_test CASCADE');
    await runner.close();
  });

  const ctx = contextFor({ dialect: 'postgres', fields: USER_FIELDS, segments: USER_SEGMENTS, table: 'segspec_test.users' });

  it.each(MEMBERSHIP_CASES)('%s', async (text, expected) => {
    const { sql } = compileWhere(whereExpr(text), ctx);
    const keys = await runner.memberKeys(sql, 'segspec_test.users', 'id');
    expect(keys.map(Number)).toEqual(expected);
  });

  it('orders text by code point even when the column has a locale collation', async () => {
    await runner.query('CREATE TABLE segspec_test.names (id BIGINT, name TEXT COLLATE "und-x-icu")');
    await runner.query(`INSERT INTO segspec_test.names VALUES (1, 'Zoe'), (2, 'adam'), (3, 'Émile')`);
    const nameCtx = contextFor({ dialect: 'postgres', fields: { id: 'integer', name: 'string' }, table: 'segspec_test.names' });
    const { sql } = compileWhere(whereExpr('name < "a"'), nameCtx);
    // Code points: 'Z' < 'a' < 'É'; under the ICU collation alone no name sorts before 'a'.
    expect((await runner.memberKeys(sql, 'segspec_test.names', 'id')).map(Number)).toEqual([1]);
  });

  it('compares text for equality case-sensitively even under a case-insensitive collation', async () => {
    await runner.query(`CREATE COLLATION IF NOT EXISTS segspec_test.ci (provider = icu, locale = 'und-u-ks-level2', deterministic = false)`);
    await runner.query('CREATE TABLE segspec_test.plans (id BIGINT, plan TEXT COLLATE segspec_test.ci)');
    await runner.query(`INSERT INTO segspec_test.plans VALUES (1, 'pro'), (2, 'PRO'), (3, 'team'), (4, NULL)`);
    const planCtx = contextFor({ dialect: 'postgres', fields: { id: 'integer', plan: 'string' }, table: 'segspec_test.plans' });
    const members = async (rule: string): Promise<number[]> =>
      (await runner.memberKeys(compileWhere(whereExpr(rule), planCtx).sql, 'segspec_test.plans', 'id')).map(Number);
    // The collation alone calls 'PRO' equal to 'pro'; the engine does not.
    expect((await runner.query(`SELECT count(*) AS n FROM segspec_test.plans WHERE plan = 'pro'`))[0].n).toBe('2');
    expect(await members('plan == "pro"')).toEqual([1]);
    expect(await members('plan != "pro"')).toEqual([2, 3]);
    expect(await members('plan in ["pro", "team"]')).toEqual([1, 3]);
    expect(await members('plan not in ["pro"]')).toEqual([2, 3]);
  });
});
