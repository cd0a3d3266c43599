/**
 * countPairOverlaps (each predicate evaluated once per row) counts what
 * `(a) AND (b)` per pair counts, NULLs included, on DuckDB and PostgreSQL.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DuckDbRunner } from '../../../server/src/sqlengines/duckdb.js';
import { PostgresRunner } from '../../../server/src/sqlengines/postgres.js';
import { countPredicates, type QueryingRunner } from '../../../server/src/sqlengines/measure.js';
import { countPairOverlaps } from '../../../server/src/sqlengines/pair-overlaps.js';
import type { Row } from '../../../server/src/sqlengines/rows.js';

const FIELDS = [
  { name: 'id', type: 'integer' as const },
  { name: 'a', type: 'integer' as const },
  { name: 'b', type: 'string' as const },
];
const ROWS: Row[] = Array.from({ length: 200 }, (_, i) => ({
  id: i,
  a: i % 7 === 0 ? null : (i * 37) % 23,
  b: i % 5 === 0 ? null : ['x', 'y', 'z'][i % 3],
}));
const PREDICATES = ['a > 10', 'a <= 5', "b = 'x'", "b <> 'y'", 'a IS NULL', "NOT (a > 3 AND b = 'z')", 'FALSE', 'a BETWEEN 2 AND 15 OR b IS NULL'];

async function expectSameAsPairwise(runner: QueryingRunner, table: string): Promise<void> {
  const fast = await countPairOverlaps(runner, PREDICATES, table);
  const pairs: string[] = [];
  for (let i = 0; i < PREDICATES.length; i++) for (let j = i + 1; j < PREDICATES.length; j++) pairs.push(`(${PREDICATES[i]}) AND (${PREDICATES[j]})`);
  expect(fast).toEqual(await countPredicates(runner, pairs, table));
  expect(fast.length).toBe((PREDICATES.length * (PREDICATES.length - 1)) / 2);
  expect(fast.some((n) => n > 0)).toBe(true);
}

describe('countPairOverlaps', () => {
  let duck: DuckDbRunner;
  beforeAll(async () => {
    duck = await DuckDbRunner.open();
    await duck.loadRows('t', FIELDS, ROWS);
  });
  afterAll(() => duck?.close());

  it('equals the per-pair counts on DuckDB', async () => {
    await expectSameAsPairwise(duck, 't');
  });

  it.skipIf(!process.env.SEGSPEC_PG_URL)('equals the per-pair counts on PostgreSQL', async () => {
    const pg = await PostgresRunner.connect(process.env.SEGSPEC_PG_URL as string);
    try {
      await pg.loadRows('segspec_pairs_t', FIELDS, ROWS);
      await expectSameAsPairwise(pg, 'segspec_pairs_t');
    } finally {
      await pg.query('DROP TABLE IF EXISTS segspec_pairs_t');
      await pg.close();
    }
  });
});
