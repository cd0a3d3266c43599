import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ColumnType } from '../../../server/src/core/data/table.js';
import { compileWhere } from '../../../server/src/core/sql/index.js';
import { DuckDbRunner, type FieldSpec } from '../../../server/src/sqlengines/duckdb.js';
import { contextFor, whereExpr } from './fixtures.js';

const FIELDS: Record<string, ColumnType> = {
  id: 'integer',
  flag: 'boolean',
  seen: 'datetime',
  tags: 'list<string>',
  n: 'number',
  name: 'string',
  day: 'date',
  absent: 'integer',
};
const SPECS: FieldSpec[] = Object.entries(FIELDS).map(([name, type]) => ({ name, type }));

const CSV = [
  'id,flag,seen,tags,n,name,day',
  '1,yes,2026-06-30T14:05:00+02:00,a;b,3,"x, y",2026-06-30',
  '2,No,2026-06-30T14:05:00,,,"",2026-06-01',
  '3,1,,"a; c",4.5,plain,',
  '4,FALSE,2026-06-30T23:00:00-02:00,b,-2,,2025-12-31',
].join('\n');

const TSV = [
  ['id', 'flag', 'seen', 'tags', 'n', 'name', 'day'],
  ['1', 'yes', '2026-06-30T14:05:00+02:00', 'a;b', '3', 'x, y', '2026-06-30'],
  ['2', 'No', '2026-06-30T14:05:00', '', '', '', '2026-06-01'],
  ['3', '1', '', 'a; c', '4.5', 'plain', ''],
  ['4', 'FALSE', '2026-06-30T23:00:00-02:00', 'b', '-2', '', '2025-12-31'],
]
  .map((cells) => cells.join('\t'))
  .join('\n');

const JSON_ROWS = [
  { id: 1, flag: true, seen: '2026-06-30T14:05:00+02:00', tags: ['a', 'b'], n: 3, name: 'x, y', day: '2026-06-30' },
  { id: 2, flag: 'no', seen: '2026-06-30T14:05:00', tags: null, name: '', day: '2026-06-01' },
  { id: 3, flag: 1, tags: ['a', 'c'], n: 4.5, name: 'plain', day: null },
  { id: 4, flag: false, seen: '2026-06-30T23:00:00-02:00', tags: ['b'], n: -2, day: '2025-12-31' },
];

/** What a user sees: segment sizes over the four rows above (as of 2026-06-30). */
const EXPECTED: Array<[string, number]> = [
  ['flag', 2],
  ['not flag', 2],
  ['seen within last 1 day', 2],
  ['seen is missing', 1],
  ['seen < 2026-06-30T12:30:00Z', 1],
  ['tags contains "c"', 1],
  ['tags contains "a"', 2],
  ['tags is missing', 1],
  ['len(tags) == 2', 2],
  ['n > 0', 2],
  ['n is missing', 1],
  ['name is missing', 2],
  ['name contains ","', 1],
  ['day within last 1 month', 2],
  ['day is missing', 1],
  // Declared, but no such column in the file: missing everywhere.
  ['absent is missing', 4],
];

describe('the DuckDB runner loads every sample format into the same typed table', () => {
  let runner: DuckDbRunner;
  let dir: string;
  beforeAll(async () => {
    runner = await DuckDbRunner.open();
    dir = mkdtempSync(join(tmpdir(), 'segspec-duck-'));
    writeFileSync(join(dir, 'users.csv'), CSV);
    writeFileSync(join(dir, 'users.tsv'), TSV);
    writeFileSync(join(dir, 'users.json'), JSON.stringify(JSON_ROWS));
    writeFileSync(join(dir, 'users.jsonl'), JSON_ROWS.map((r) => JSON.stringify(r)).join('\n'));
    await runner.loadDataset({ table: 'from_csv', path: join(dir, 'users.csv'), fields: SPECS });
    await runner.run(`COPY "from_csv" TO '${join(dir, 'users.parquet')}' (FORMAT parquet)`);
  });
  afterAll(() => {
    runner.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it.each(['csv', 'tsv', 'json', 'jsonl', 'parquet'])('%s', async (ext) => {
    const table = `t_${ext}`;
    expect(await runner.loadDataset({ table, path: join(dir, `users.${ext}`), fields: SPECS })).toBe(4);
    const ctx = contextFor({ dialect: 'duckdb', fields: FIELDS, asOf: '2026-06-30', table });
    const sizes: Array<[string, number]> = [];
    for (const [text] of EXPECTED) sizes.push([text, await runner.count(compileWhere(whereExpr(text), ctx).sql, table)]);
    expect(sizes).toEqual(EXPECTED);
  });
});
