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
});
