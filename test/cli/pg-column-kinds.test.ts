/**
 * PostgreSQL and Spark tables as people have them (issue 11): a `boolean` field held as
 * 0/1 or as yes/no/true/false words in any case is read as the embedded
 * reader reads the same CSV, so the sizes agree; a column the engine cannot
 * use is an SEG215 error that names the segment and the field.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sparkStoredKind } from '../../server/src/sqlengines/spark.js';
import { sparkDatabase } from './spark-database.js';
import { ensureBuilt, segspec } from './helpers.js';
import { freshPostgresDatabase } from './postgres-database.js';

const pgUrl = process.env.SEGSPEC_PG_URL;
const database = 'segspec_trust_column_kinds';

const CSV = ['id,age,as_int,as_word', '1,10,1,yes', '2,30,0,No', '3,50,1,TRUE', '4,95,,false', '5,40,0,', '6,70,1,YES', ''].join('\n');

function spec(table: string): string {
  return `dataset people {
  source "people.csv"
  table "${table}"
  key id
  fields {
    id: integer
    age: integer
    as_int: boolean?
    as_word: boolean?
  }
}
segment int_flag { where as_int and age > 1 }
segment word_flag { where as_word and age > 1 }
segment not_word { where not as_word }
segment both { where as_int == true and as_word == true }
segment older { where age > 40 }
`;
}

/** Each segment's size as `stats --format json` reports it. */
async function sizesIn(work: string, args: string[]): Promise<Record<string, number | null>> {
  const r = await segspec(['stats', work, '--format', 'json', ...args]);
  expect(r.stderr).toBe('');
  const doc = JSON.parse(r.stdout) as { segments: Array<{ name: string; size: number | null }> };
  return Object.fromEntries(doc.segments.map((s) => [s.name, s.size]));
}

describe.runIf(pgUrl)('PostgreSQL columns stored otherwise than declared (SEGSPEC_PG_URL)', () => {
  let work = '';
  let url = '';
  beforeAll(async () => {
    ensureBuilt();
    work = mkdtempSync(join(tmpdir(), 'segspec-pg-kinds-'));
    writeFileSync(join(work, 'people.csv'), CSV);
    url = await freshPostgresDatabase(pgUrl as string, database);
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      // As a user's import leaves them: 0/1 as integers, words as text (mixed case), ages as text in one table.
      await client.query('CREATE SCHEMA raw');
      await client.query('CREATE TABLE raw.people (id integer, age integer, as_int integer, as_word text)');
      await client.query(
        `INSERT INTO raw.people VALUES (1, 10, 1, 'yes'), (2, 30, 0, 'No'), (3, 50, 1, 'TRUE'), (4, 95, NULL, 'false'), (5, 40, 0, NULL), (6, 70, 1, 'YES')`,
      );
      await client.query('CREATE TABLE raw.text_ages (id integer, age text, as_int smallint, as_word varchar(5))');
      await client.query(`INSERT INTO raw.text_ages VALUES (1, '10', 1, 'yes'), (2, '30', 0, 'no')`);
    } finally {
      await client.end();
    }
  }, 120_000);
  afterAll(() => {
    if (work) rmSync(work, { recursive: true, force: true });
  });

  const sizes = (args: string[]): Promise<Record<string, number | null>> => sizesIn(work, args);

  it('a boolean field over 0/1 and yes/no columns counts as on the embedded engine', async () => {
    writeFileSync(join(work, 'spec.segspec'), spec('raw.people'));
    const embedded = await sizes([]);
    expect(embedded).toEqual({ int_flag: 3, word_flag: 3, not_word: 2, both: 3, older: 3 });
    expect(await sizes(['--engine', 'postgres', '--db', url])).toEqual(embedded);
    const check = await segspec(['check', work, '--engine', 'postgres', '--db', url, '--format', 'json']);
    expect(check.stdout).not.toMatch(/SEG215/);
  });

  it('a column the engine cannot use: SEG215 names the segment and the field', async () => {
    writeFileSync(join(work, 'spec.segspec'), spec('raw.text_ages'));
    const r = await segspec(['check', work, '--engine', 'postgres', '--db', url, '--no-color']);
    expect(r.stdout).toMatch(/error SEG215 postgres cannot run int_flag: field `age` \(integer\): operator does not exist: text > integer/);
    expect(r.stdout).toMatch(/error SEG215 postgres cannot run older: field `age` \(integer\): /);
    // The boolean fields over smallint and varchar columns are read, not rejected.
    expect(r.stdout).not.toMatch(/cannot run not_word|cannot run both/);
  });
});

describe('Spark column types as stored kinds', () => {
  it('reads DESCRIBE types as boolean, number, text or other', () => {
    expect(['boolean', 'tinyint', 'int', 'bigint', 'double', 'decimal(10,2)', 'string', 'varchar(5)', 'date', 'array<string>'].map(sparkStoredKind)).toEqual([
      'boolean',
      'number',
      'number',
      'number',
      'number',
      'number',
      'text',
      'text',
      'other',
      'other',
    ]);
  });
});

const sparkUrl = process.env.SEGSPEC_SPARK_URL;

describe.runIf(sparkUrl)('Spark columns stored otherwise than declared (SEGSPEC_SPARK_URL)', () => {
  const database = 'segspec_trust_column_kinds';
  let work = '';
  let url = '';
  beforeAll(async () => {
    ensureBuilt();
    work = mkdtempSync(join(tmpdir(), 'segspec-spark-kinds-'));
    writeFileSync(join(work, 'people.csv'), CSV);
    url = await sparkDatabase(sparkUrl as string, database, async (runner) => {
      await runner.query(`DROP TABLE IF EXISTS ${database}.people`);
      await runner.query(`CREATE TABLE ${database}.people (id INT, age INT, as_int TINYINT, as_word STRING) USING parquet`);
      await runner.query(
        `INSERT INTO ${database}.people VALUES (1, 10, 1, 'yes'), (2, 30, 0, 'No'), (3, 50, 1, 'TRUE'), (4, 95, NULL, 'false'), (5, 40, 0, NULL), (6, 70, 1, 'YES')`,
      );
    });
  }, 600_000);
  afterAll(() => {
    if (work) rmSync(work, { recursive: true, force: true });
  });

  it('a boolean field over 0/1 and yes/no columns counts as on the embedded engine', async () => {
    writeFileSync(join(work, 'spec.segspec'), spec('people'));
    const embedded = await sizesIn(work, []);
    expect(embedded).toEqual({ int_flag: 3, word_flag: 3, not_word: 2, both: 3, older: 3 });
    expect(await sizesIn(work, ['--engine', 'spark', '--db', url])).toEqual(embedded);
  }, 600_000);
});
