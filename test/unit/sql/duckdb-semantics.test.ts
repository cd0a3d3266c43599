import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compileWhere } from '../../../server/src/core/sql/index.js';
import { DuckDbRunner } from '../../../server/src/sqlengines/duckdb.js';
import { MEMBERSHIP_CASES, USER_FIELDS, USER_FIELD_SPECS, USER_ROWS, USER_SEGMENTS, contextFor, whereExpr } from './fixtures.js';

describe('compiled SQL on DuckDB selects the members SPEC §5 defines', () => {
  let runner: DuckDbRunner;
  beforeAll(async () => {
    runner = await DuckDbRunner.open();
    await runner.loadRows('users', USER_FIELD_SPECS, USER_ROWS);
  });
  afterAll(() => runner.close());

  const ctx = contextFor({ dialect: 'duckdb', fields: USER_FIELDS, segments: USER_SEGMENTS });

  it.each(MEMBERSHIP_CASES)('%s', async (text, expected) => {
    const { sql } = compileWhere(whereExpr(text), ctx);
    const keys = await runner.memberKeys(sql, 'users', 'id');
    expect(keys.map(Number)).toEqual(expected);
  });
});
