/**
 * A dictionary column of 255 values or more is looked up through its Int32
 * codes (compile.ts `fillFromLookup`); fewer go through a byte per row. The
 * differential test's columns are all narrow, so this one compares the wide
 * path with the reference interpreter on every row.
 */
import { describe, expect, it } from 'vitest';
import { compiled, expr, makeTable, reference, type Cell } from './helpers.js';
import { Rng } from '../../fuzz/random.js';

describe('a string column of 300 distinct values', () => {
  const rng = new Rng(7);
  // 1,000 rows: full 32-row words and a partial one; every 9th value missing.
  const values: Cell[] = Array.from({ length: 1000 }, (_, i) => (i % 9 === 4 ? null : `v${rng.int(300)}`));
  const table = makeTable([{ name: 's', type: 'string', values }]);
  const setup = { table, today: 20_000 };

  it('has more values than a byte can code', () => {
    const column = table.byName.get('s');
    expect(column?.kind === 'dictionary' && column.dictionary.length).toBeGreaterThanOrEqual(255);
  });

  for (const source of ['s == "v7"', 's != "v7"', 's in ["v1", "v250", "v299"]', 's starts with "v1"', 's > "v5"', 's is missing']) {
    it(`agrees with the reference interpreter on ${source}`, () => {
      const e = expr(source);
      const truths = compiled(e, setup);
      expect(truths).toEqual(reference(e, setup));
      expect(truths.filter((t) => t === true).length).toBeGreaterThan(0);
    });
  }
});
