/**
 * `segspec sql` for a segment over related datasets (SPEC §11) prints a whole
 * statement (a WHERE alone would not run: it reads the joined subqueries of
 * the aggregates), one subquery per related dataset with a column per
 * aggregate; on DuckDB, with the datasets loaded as tables of their names, it
 * selects the members.
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Workspace } from '../../server/src/core/workspace.js';
import { NodeHost } from '../../server/src/node/fs-host.js';
import { DuckDbRunner } from '../../server/src/sqlengines/duckdb.js';
import { loadModelDataset } from '../../server/src/sqlengines/workspace.js';
import { ensureBuilt, repoRoot, segspec } from './helpers.js';

const fixture = join(repoRoot, 'test/sql/fixtures/related');

describe('segspec sql over related datasets', { timeout: 120_000 }, () => {
  let duck: DuckDbRunner;
  beforeAll(async () => {
    ensureBuilt();
    const { model } = await new Workspace(new NodeHost(), fixture).analyze();
    duck = await DuckDbRunner.open();
    for (const dataset of model.datasets.keys()) await loadModelDataset(duck, model, dataset);
  });
  afterAll(() => duck?.close());

  it('prints a readable statement that selects the members on DuckDB', async () => {
    const out = await segspec(['sql', 'unhappy_explorers', '--dialect', 'duckdb', fixture]);
    expect(out.code).toBe(0);
    // One joined subquery per related dataset, on lines of their own.
    expect(out.stdout).toMatch(/^SELECT "segspec_parent"\.\* FROM "listeners" AS "segspec_parent"\n  LEFT JOIN \(\n/);
    expect(out.stdout.match(/LEFT JOIN/g)).toHaveLength(2);
    expect(out.stdout).toMatch(/\nWHERE .*COALESCE\("segspec_plays"\."count_[0-9a-f]{8}", 0\) >= 1/);
    const rows = await duck.query(out.stdout);
    expect(rows.map((r) => r.listener_id)).toEqual(['L2']);
  });

  it('--count counts the members of each aggregate form', async () => {
    const expected: Record<string, number> = { heavy: 2, silent: 4, long_tail: 5, never_skips: 3, recent_answers: 6 };
    const outs = await Promise.all(Object.keys(expected).map((segment) => segspec(['sql', segment, '--dialect', 'duckdb', '--count', fixture])));
    for (const [i, [segment, size]] of Object.entries(expected).entries()) {
      const out = outs[i];
      expect(out.code, out.stderr).toBe(0);
      const [row] = await duck.query(out.stdout);
      expect(Number(row.members), segment).toBe(size);
    }
  });
});
