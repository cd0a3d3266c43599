import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildModel } from '../../../server/src/core/semantics/index.js';
import {
  DIALECTS,
  SqlCompileError,
  compileSegment,
  compileWhere,
  countQuery,
  selectQuery,
} from '../../../server/src/core/sql/index.js';
import { parse } from '../../../server/src/core/syntax/index.js';
import { DuckDbRunner } from '../../../server/src/sqlengines/duckdb.js';
import { USER_FIELDS, USER_SEGMENTS, contextFor, whereExpr } from './fixtures.js';

function compile(text: string, dialect: (typeof DIALECTS)[number] = 'duckdb', segments = USER_SEGMENTS) {
  return compileWhere(whereExpr(text), contextFor({ dialect, fields: USER_FIELDS, segments }));
}

describe('compileWhere reports what it cannot translate', () => {
  it('rejects a name that is neither a field nor a segment', () => {
    expect(() => compile('agee < 3')).toThrow(SqlCompileError);
    expect(() => compile('agee < 3')).toThrow(/unknown name 'agee'/);
  });

  it('rejects segments that refer to each other in a cycle', () => {
    const segments = { a: 'b or age < 3', b: 'a' };
    expect(() => compile('a', 'duckdb', segments)).toThrow(/refers to itself/);
  });

  it('treats a reference to a draft segment as no members, with a note', () => {
    const fields = USER_FIELDS;
    const ctx = { ...contextFor({ dialect: 'duckdb', fields }), resolveName: () => 'segment' as const, segmentWhere: () => undefined };
    const { sql, notes } = compileWhere(whereExpr('drafty'), ctx);
    expect(sql).toBe('FALSE');
    expect(notes.join(' ')).toMatch(/draft/);
  });

  it('rejects an as-of date that is not a date', () => {
    const ctx = { ...contextFor({ dialect: 'duckdb', fields: USER_FIELDS }), asOf: '31/03/2026' };
    expect(() => compileWhere(whereExpr('age < 3'), ctx)).toThrow(/as-of date/);
  });
});

describe('notes say where a dialect differs from the embedded engine', () => {
  it('names the regex flavour of every dialect for `matches`', () => {
    for (const dialect of DIALECTS) {
      const { notes } = compile('name matches "^a"', dialect);
      expect(notes.some((n) => n.startsWith(`${dialect}:`))).toBe(true);
    }
  });

  it('gives no notes for percentiles: every dialect computes them exactly (Trino too)', () => {
    for (const dialect of DIALECTS) expect(compile('ltv_usd > p90(ltv_usd)', dialect).notes).toEqual([]);
  });

  it('gives no notes for plain comparisons', () => {
    for (const dialect of DIALECTS) expect(compile('age < 30 and plan == "pro"', dialect).notes).toEqual([]);
  });
});

describe('identifiers and tables are quoted per dialect', () => {
  it('quotes a field named like a keyword in every dialect', () => {
    const fields = { order: 'integer' as const };
    const out = DIALECTS.map((dialect) => compileWhere(whereExpr('order > 1'), contextFor({ dialect, fields })).sql);
    expect(out).toEqual([
      '"order" > 1',
      '"order" > 1',
      '`order` > 1',
      '`order` > 1',
      '"order" > 1',
      '"order" > 1',
    ]);
  });

  it('leaves plain names unquoted on Snowflake so that they match unquoted (upper-case) columns', () => {
    expect(compile('age < 30', 'snowflake').sql).toBe('age < 30');
  });

  it('quotes each part of a schema-qualified table', () => {
    expect(countQuery('TRUE', { dialect: 'bigquery', table: 'proj.analytics.users' })).toBe(
      'SELECT COUNT(*) AS members FROM `proj`.`analytics`.`users` WHERE TRUE',
    );
    expect(selectQuery('x', { dialect: 'postgres', table: 'a.b' }, { columns: ['id'], orderBy: ['id'], limit: 5 })).toBe(
      'SELECT "id" FROM "a"."b" WHERE x ORDER BY "id" LIMIT 5',
    );
    expect(() => selectQuery('x', { dialect: 'duckdb', table: 't' }, { limit: 1.5 })).toThrow(RangeError);
  });

  it('keeps a quoted table part with a dot or dash in it as one part', () => {
    expect(countQuery('TRUE', { dialect: 'bigquery', table: '"my-project.eu".analytics.users' })).toBe(
      'SELECT COUNT(*) AS members FROM `my-project.eu`.`analytics`.`users` WHERE TRUE',
    );
    expect(countQuery('TRUE', { dialect: 'postgres', table: '`a""b`.t' })).toBe(
      'SELECT COUNT(*) AS members FROM "a""""b"."t" WHERE TRUE',
    );
  });
});

describe('a table name with quotes in it cannot break out of its quoting', () => {
  let runner: DuckDbRunner;
  beforeAll(async () => {
    runner = await DuckDbRunner.open();
  });
  afterAll(() => runner.close());

  it('counts rows of a table called we"ird', async () => {
    await runner.loadRows('we"ird', [{ name: 'age', type: 'integer' }], [{ age: 1 }, { age: 40 }]);
    const ctx = contextFor({ dialect: 'duckdb', fields: { age: 'integer' }, table: 'we"ird' });
    const { sql } = compileWhere(whereExpr('age > median(age)'), ctx);
    expect(await runner.count(sql, 'we"ird')).toBe(1);
  });
});

describe('compileSegment works from a workspace model', () => {
  const text = `
    dataset users {
      source "users.csv"
      table "analytics.users"
      as of 2026-06-30
      fields { age: integer  signup_date: date }
    }
    segment young { where age < 25 }
    segment recent_young { where young and signup_date within last 1 month }
    segment draft { kind behavioral }
  `;
  const { model } = buildModel('/ws', [{ path: '/ws/a.segspec', text, version: 0, ast: parse(text) }]);

  it('inlines used segments and counts back from the dataset’s as-of date', () => {
    const { sql } = compileSegment(model, 'recent_young', { dialect: 'postgres', asOf: '2000-01-01' });
    expect(sql).toBe(
      `COALESCE(("age" < 25), FALSE) AND ("signup_date" >= DATE '2026-06-01' AND "signup_date" < DATE '2026-07-01')`,
    );
  });

  it('compiles a draft to FALSE with a note, and an unknown segment to an error', () => {
    const draft = compileSegment(model, 'draft', { dialect: 'duckdb' });
    expect(draft.sql).toBe('FALSE');
    expect(draft.notes[0]).toMatch(/draft/);
    expect(() => compileSegment(model, 'nope', { dialect: 'duckdb' })).toThrow(/no segment named 'nope'/);
  });
});

describe('dates SQL cannot write', () => {
  it('refuses a relative date outside the years 0001-9999 with a compile error, on every dialect', () => {
    for (const dialect of DIALECTS) {
      for (const rule of ['signup_date within last 100000000 days', 'last_seen within last 999999999999 weeks', 'signup_date > 5000000 days ago']) {
        expect(() => compile(rule, dialect), `${dialect}: ${rule}`).toThrow(SqlCompileError);
        expect(() => compile(rule, dialect), `${dialect}: ${rule}`).toThrow(/years 0001-9999/);
      }
      expect(compile('signup_date within last 700000 days', dialect).sql).toMatch(/0\d\d\d-\d\d-\d\d/);
    }
  });
});
