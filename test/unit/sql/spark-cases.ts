/**
 * Cases for test/sql/check_spark.py: tables, Spark SQL from the compiler and
 * the members expected (hand-worked membership cases, and random cases with
 * the reference interpreter's answer).
 */
import fc from 'fast-check';
import type { ColumnType } from '../../../server/src/core/data/table.js';
import { compileWhere } from '../../../server/src/core/sql/index.js';
import type { Row } from '../../../server/src/sqlengines/rows.js';
import { DIFF_FIELDS, diffCaseArb, referenceMembers } from './differential.js';
import { MEMBERSHIP_CASES, USER_FIELDS, USER_ROWS, USER_SEGMENTS, contextFor, whereExpr } from './fixtures.js';

export interface SparkTableCases {
  table: string;
  fields: Record<string, ColumnType>;
  rows: Row[];
  cases: Array<{ text: string; sql: string; expected: number[] }>;
}

export function sparkCases(randomRuns: number, seed = 42): SparkTableCases[] {
  const userCtx = contextFor({ dialect: 'spark', fields: USER_FIELDS, segments: USER_SEGMENTS, table: 'users' });
  const tables: SparkTableCases[] = [
    {
      table: 'users',
      fields: USER_FIELDS,
      rows: USER_ROWS,
      cases: MEMBERSHIP_CASES.map(([text, expected]) => ({
        text,
        sql: compileWhere(whereExpr(text), userCtx).sql,
        expected,
      })),
    },
  ];
  fc.sample(diffCaseArb, { seed, numRuns: randomRuns }).forEach((c, i) => {
    const table = `diff${i}`;
    const ctx = contextFor({ dialect: 'spark', fields: DIFF_FIELDS, segments: c.segments, asOf: c.asOf, table });
    tables.push({
      table,
      fields: DIFF_FIELDS,
      rows: c.rows,
      cases: [{ text: c.where, sql: compileWhere(whereExpr(c.where), ctx).sql, expected: referenceMembers(c) }],
    });
  });
  return tables;
}
