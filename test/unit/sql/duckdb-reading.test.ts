/**
 * DuckDB reads a data file as the embedded reader does: on random files of
 * messy cells (spaces, `v1.2`, `2026-6-2`, `1,000`, `yes`, JSON numbers in
 * string fields, arrays with nulls, …) every value the embedded reader calls
 * bad is missing on DuckDB too, so the row counts and every segment's size
 * and unknown count agree — also when the same cells are the text columns
 * of a Parquet file read through a view. The dataset declares
 * `missing ["?", "NA", "-1"]`: cells (JSON strings) holding exactly one of
 * them are missing on both; ` NA`, `na` and the JSON number -1 are not.
 */
import fc from 'fast-check';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Workspace } from '../../../server/src/core/workspace.js';
import { NodeHost } from '../../../server/src/node/fs-host.js';
import { DuckDbRunner } from '../../../server/src/sqlengines/duckdb.js';
import { analyzeOnSql } from '../../../server/src/sqlengines/analyze.js';
import { datasetFields, datasetMissing, loadModelDataset } from '../../../server/src/sqlengines/workspace.js';
import { viewParquetDataset } from '../../../server/src/sqlengines/duckdb-view.js';

const RUNS = Number(process.env.SEGSPEC_READING_RUNS ?? 25);

const TEXT_CELLS: Record<string, string[]> = {
  n: ['1', '2.5', '-3', '1e3', '', 'abc', ' 7 ', '1,000', '0x10', '+4', '.5', '5.', 'NaN', 'inf', '007', '1e999', '?', 'NA', ' NA', 'na', '-1'],
  i: ['1', '42', '-3', '', '2.0', '2.5', 'abc', ' 9', '0', '99999999999999999', '1e2', '+5', '010', '?', '-1', '-1 '],
  b: ['true', 'false', 'TRUE', 'False', 'yes', 'no', '1', '0', '', 'y', 't', 'maybe', ' Yes\t', 'NA'],
  d: ['2026-06-20', '2026-6-2', '2026/06/20', '20260620', '', '2026-02-30', '2026-06-20T10:00:00Z', '2025-12-31', ' 2026-06-29 ', '?'],
  t: ['2026-06-20T10:00:00Z', '2026-06-20 10:00:00', '2026-06-20T10:00', '2026-06-20', '2026-06-20T10:00:00+02:00', '', '2026-06-29t23:59:59,5z', 'bad', '2026-06-20T25:00:00Z', '2026-06-29T10:00:00+0200', '2026-06-29T10:00:00-05'],
  v: ['1.2.3', 'v1.2.3', '1.2', '1', '1.0.0-rc.1', '1.0.0+b', '01.2.3', '', 'x.y', '1.2.3.4', ' 1.2.3', '2.0.0-rc.10', '1.0.0-.a', '1.0.0-a.'],
  e: ['free', 'pro', 'Pro', '', 'team ', 'enterprise', 'NA'],
  l: ['a;b', 'a', '', 'a;;b', ' a ;b', 'b;c;a', '[]', '?', 'a;NA'],
  k: ['1;2', '3', '', '1;x', ' 4 ; 5', '[]', '2.5'],
};
const JSON_VALUES: Record<string, unknown[]> = {
  n: [1, 2.5, -3, 1e3, null, 'abc', ' 7 ', '+4', true, [1], '2.5', 0, 'NA', '?', -1, '-1', ' NA'],
  i: [1, 42, -3, null, 2.0, 2.5, 'abc', ' 9', '12', 9007199254740993, true, 1e2, '+5', '?', -1, '-1'],
  b: [true, false, 'true', 'yes', 'no', 1, 0, 2, null, 'y', 'TRUE'],
  d: ['2026-06-20', '2026-6-2', '', null, '2026-02-30', 20260620, ' 2026-06-29 '],
  t: ['2026-06-20T10:00:00Z', '2026-06-20 10:00:00', '2026-06-20t10:00:00z', '2026-06-20T10:00:00+0200', null, 1718000000],
  v: ['1.2.3', 'v1.2.3', '1.0.0-rc.1', '1.0.0+b', '01.2.3', null, 1.2, '2.0.0-rc.10', ' 1.2.3 '],
  e: ['free', 'pro', 'Pro', '', ' team ', null, 1, true, 'NA'],
  l: [['a', 'b'], 'a;b', [], '[]', null, ['a', null], [1, 'a'], 'a', ' a ;b', [true], { a: 1 }, 'NA', ['NA']],
  k: [[1, 2], '1;2', [1.5], ['1'], [], null, [3, null], 4],
};

const SPEC = `dataset users {
  source "data/users.FORMAT"
  key id
  as of 2026-06-30
  missing ["?", "NA", "-1"]
  fields {
    id: string
    n: number?
    i: integer?
    b: boolean?
    d: date?
    t: datetime?
    v: semver?
    e: enum("free", "pro", "team", "enterprise")?
    l: list<string>?
    k: list<integer>?
  }
}
segment n1 { where n > 1 }
segment i1 { where i >= 2 }
segment b1 { where b }
segment d1 { where d within last 30 days }
segment t1 { where t within last 30 days }
segment t2 { where t before 2026-06-25 }
segment v1 { where v >= "1.2.0" }
segment e1 { where e == "pro" }
segment l1 { where l contains "a" }
segment l2 { where len(l) >= 2 }
segment k1 { where k contains 1 }
segment k2 { where len(k) >= 2 }
segment missing { where n is missing or i is missing or b is missing or d is missing or t is missing or v is missing or e is missing or l is missing or k is missing }
`;

function csvCell(value: string): string {
  return /[",\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

const fields = Object.keys(TEXT_CELLS);
const csvRows = fc.array(fc.tuple(...fields.map((f) => fc.constantFrom(...TEXT_CELLS[f]))), { minLength: 1, maxLength: 30 });
const jsonRows = fc.array(
  fc.tuple(...fields.map((f) => fc.option(fc.constantFrom(...JSON_VALUES[f]), { nil: undefined, freq: 6 }))),
  { minLength: 1, maxLength: 30 },
);

describe('DuckDB reads messy files as the embedded reader does', () => {
  let duck: DuckDbRunner;
  let root: string;
  let n = 0;
  beforeAll(async () => {
    duck = await DuckDbRunner.open();
    root = mkdtempSync(join(tmpdir(), 'segspec-reading-'));
  });
  afterAll(() => {
    duck?.close();
    rmSync(root, { recursive: true, force: true });
  });

  async function compare(format: 'csv' | 'jsonl', content: string): Promise<void> {
    const dir = join(root, `w${n++}`);
    mkdirSync(join(dir, 'data'), { recursive: true });
    writeFileSync(join(dir, 'spec.segspec'), SPEC.replace('FORMAT', format));
    writeFileSync(join(dir, `data/users.${format}`), content);
    const embedded = await new Workspace(new NodeHost(), dir).analyze();
    await loadModelDataset(duck, embedded.model, 'users');
    const onDuck = await analyzeOnSql(duck, embedded.model, { tables: new Map([['users', 'users']]), brokenRules: embedded.brokenRules });
    expect(embedded.brokenRules.size).toBe(0);
    const sizes = (segments: Map<string, { size: number; unknown: number; rows: number }>) =>
      Object.fromEntries([...segments].map(([name, s]) => [name, [s.rows, s.size, s.unknown]]));
    expect(sizes(onDuck.segments)).toEqual(sizes(embedded.results.segments));
    if (format !== 'csv') return;
    // The same cells as text columns of a Parquet file, read in place through a view.
    const parquet = join(dir, 'data/users.parquet');
    await duck.run(`COPY (SELECT * FROM read_csv('${join(dir, 'data/users.csv')}', header = true, all_varchar = true, ignore_errors = true)) TO '${parquet}' (FORMAT parquet)`);
    await viewParquetDataset(duck, {
      table: 'users_parquet',
      path: parquet,
      fields: datasetFields(embedded.model, 'users'),
      missing: datasetMissing(embedded.model, 'users'),
    });
    const onParquet = await analyzeOnSql(duck, embedded.model, { tables: new Map([['users', 'users_parquet']]), brokenRules: embedded.brokenRules });
    expect(sizes(onParquet.segments)).toEqual(sizes(embedded.results.segments));
  }

  it(`CSV: ${RUNS} random files`, async () => {
    await fc.assert(
      fc.asyncProperty(csvRows, async (rows) => {
        const lines = rows.map((cells, r) => [`r${r}`, ...cells].map(csvCell).join(','));
        await compare('csv', `id,${fields.join(',')}\n${lines.join('\n')}\n`);
      }),
      { numRuns: RUNS },
    );
  }, 120_000);

  it(`JSON Lines: ${RUNS} random files`, async () => {
    await fc.assert(
      fc.asyncProperty(jsonRows, async (rows) => {
        const lines = rows.map((values, r) => {
          const record: Record<string, unknown> = { id: `r${r}` };
          values.forEach((v, k) => {
            if (v !== undefined) record[fields[k]] = v;
          });
          return JSON.stringify(record);
        });
        await compare('jsonl', `${lines.join('\n')}\n`);
      }),
      { numRuns: RUNS },
    );
  }, 120_000);
});
