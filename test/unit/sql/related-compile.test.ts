/**
 * How aggregates and lookups over related datasets (SPEC §11) compile, per
 * dialect; what they select is tested on the engines (related-members,
 * related-differential) and the golden files parse with sqlglot.
 */
import { describe, expect, it } from 'vitest';
import { DIALECTS, type Dialect, SqlCompileError, compileWhere, countQuery } from '../../../server/src/core/sql/index.js';
import { USER_FIELDS, whereExpr } from './fixtures.js';
import { relatedContextFor, relatedSpecs } from './related-fixtures.js';

function compile(text: string, dialect: Dialect = 'duckdb', asOf = '2026-03-31') {
  return compileWhere(whereExpr(text), relatedContextFor({ dialect, fields: USER_FIELDS, asOf }, relatedSpecs()));
}

describe('aggregates over related rows', () => {
  it('keep the rows where `where` holds with FILTER where the dialect has it, else with CASE WHEN', () => {
    const inner = (d: Dialect) => compile('count(events where ok) > 0', d).joins?.[0].subquery ?? '';
    for (const d of ['duckdb', 'postgres', 'trino'] as const) expect(inner(d)).toMatch(/count\(\*\) FILTER \(WHERE "ok"\)/);
    expect(inner('spark')).toMatch(/count\(CASE WHEN `ok` THEN 1 END\)/);
    expect(inner('bigquery')).toMatch(/count\(CASE WHEN `ok` THEN 1 END\)/);
    expect(inner('snowflake')).toMatch(/count\(CASE WHEN ok THEN 1 END\)/);
  });

  it('give 0 for count, count distinct and sum and false for exists where a parent has no (matching) rows, missing for the others', () => {
    const { sql } = compile('count(events) + count(distinct events.kind) + sum(events.amount) > mean(events.price) or exists(events) or min(events.amount) < 2');
    // count, count distinct, sum, and the count under exists.
    expect(sql.match(/COALESCE\("segspec_events"\."(count|sum)_[^"]*", 0\)/g)).toHaveLength(4);
    expect(sql).toMatch(/\(COALESCE\("segspec_events"\."count_[0-9a-f]{8}", 0\) > 0\)/);
    expect(sql).toMatch(/ > "segspec_events"\."mean_price_[0-9a-f]{8}"/);
    expect(sql).toMatch(/"segspec_events"\."min_amount_[0-9a-f]{8}" < 2/);
  });

  it('compute each distinct aggregate once: one column however often and however it is written', () => {
    const { joins } = compile('count(events where ok) > 1 or (count(events where (ok)) < 5 and exists(events where ok))');
    expect(joins).toHaveLength(1);
    expect(joins?.[0].subquery.match(/count\(\*\) FILTER/g)).toHaveLength(1);
  });

  it('evaluate `where` on the related row, with relative dates at the as-of date of the segment’s dataset', () => {
    const { joins } = compile('count(events where at within last 7 days and day > 1 week ago) > 0', 'duckdb', '2026-06-30');
    expect(joins?.[0].subquery).toContain(`"at" >= TIMESTAMP '2026-06-24 00:00:00' AND "at" < TIMESTAMP '2026-07-01 00:00:00'`);
    expect(joins?.[0].subquery).toContain(`"day" > DATE '2026-06-23'`);
  });

  it('compare a max over date-times as a date-time', () => {
    const { sql } = compile('max(events.at) within last 7 days and min(events.day) < 2026-06-30T12:00:00Z', 'postgres', '2026-06-30');
    expect(sql).toContain(`"segspec_events"."max_at_`);
    expect(sql).toMatch(/>= TIMESTAMP '2026-06-24 00:00:00'/);
    // A date next to an instant is compared as its midnight.
    expect(sql).toMatch(/CAST\("segspec_events"\."min_day_[0-9a-f]{8}" AS TIMESTAMP\) < TIMESTAMP '2026-06-30 12:00:00'/);
  });

  it('compute percentiles per parent with the engine’s definition on every dialect', () => {
    for (const dialect of DIALECTS) {
      const { joins } = compile('p90(events.amount where ok) > 4', dialect);
      const subquery = joins?.[0].subquery ?? '';
      const expected: Record<Dialect, RegExp> = {
        duckdb: /quantile_cont\("amount", 0\.9\) FILTER \(WHERE "ok"\)/,
        postgres: /percentile_cont\(0\.9\) WITHIN GROUP \(ORDER BY "amount"\) FILTER \(WHERE "ok"\)/,
        snowflake: /PERCENTILE_CONT\(0\.9\) WITHIN GROUP \(ORDER BY CASE WHEN ok THEN amount END\)/,
        spark: /array_sort\(collect_list\(CASE WHEN `ok` THEN `amount` \* CAST\(1 AS DOUBLE\) END\)\)/,
        bigquery: /ARRAY_AGG\(CASE WHEN `ok` THEN CAST\(`amount` AS FLOAT64\) END IGNORE NULLS ORDER BY/,
        trino: /array_sort\(array_agg\(CAST\("amount" AS DOUBLE\)\) FILTER \(WHERE "amount" IS NOT NULL AND \("ok"\)\)\)/,
      };
      expect(subquery, dialect).toMatch(expected[dialect]);
    }
  });
});

describe('lookups and what cannot be compiled', () => {
  it('reads a one-to-one dataset from one row per link value (LEFT JOIN: missing without an answer)', () => {
    const { sql, joins } = compile('survey.nps <= 6');
    expect(sql).toBe('"segspec_survey_row"."segspec_nps" <= 6');
    expect(joins?.[0].subquery).toMatch(/ROW_NUMBER\(\) OVER \(PARTITION BY "user_id" ORDER BY "user_id"\)/);
    expect(countQuery(sql, { dialect: 'duckdb', table: 'users', joins })).toMatch(/FROM "users" AS "segspec_parent" LEFT JOIN \(/);
  });

  it('refuses a lookup into a many-per-parent dataset, proposing an aggregate', () => {
    expect(() => compile('events.amount > 3')).toThrow(SqlCompileError);
    expect(() => compile('events.amount > 3')).toThrow(/max\(events\.amount\)/);
  });

  it('refuses a dataset that does not belong to the segment’s, and aggregates nested in a filter (one level only)', () => {
    expect(() => compile('count(orders) > 1')).toThrow(/'orders' is not a dataset that belongs to this one/);
    expect(() => compile('count(events where count(survey) > 0) > 1')).toThrow(SqlCompileError);
  });

  it('leaves rules without related datasets as they were: no joins', () => {
    const out = compile('age < 30');
    expect(out).toEqual({ sql: '"age" < 30', notes: [] });
    expect(countQuery(out.sql, { dialect: 'duckdb', table: 'users' })).toBe('SELECT COUNT(*) AS members FROM "users" WHERE "age" < 30');
  });
});
