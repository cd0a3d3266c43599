/**
 * Cases for test/sql/check_spark.py: tables, Spark SQL from the compiler and
 * the members expected (hand-worked membership cases, and random cases with
 * the reference interpreter's answer).
 */
import fc from 'fast-check';
import type { ColumnType } from '../../../server/src/core/data/table.js';
import { compileWhere, dialectRules } from '../../../server/src/core/sql/index.js';
import { PARENT_ALIAS, fromClause } from '../../../server/src/core/sql/related.js';
import type { Row } from '../../../server/src/sqlengines/rows.js';
import { DIFF_FIELDS, diffCaseArb, referenceMembers } from './differential.js';
import { MEMBERSHIP_CASES, USER_FIELDS, USER_ROWS, USER_SEGMENTS, contextFor, whereExpr } from './fixtures.js';
import { relatedContextFor } from './related-fixtures.js';
import { EV_FIELDS, PARENT_FIELDS, SV_FIELDS, relatedDiffCaseArb, relatedDiffSpecs, relatedReferenceMembers } from './related-differential.js';

export interface SparkTableCases {
  table: string;
  fields: Record<string, ColumnType>;
  rows: Row[];
  /** `from` and `key`: the table joined to related datasets' subqueries, and its qualified key. */
  cases: Array<{ text: string; sql: string; expected: number[]; from?: string; key?: string }>;
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
  // Related datasets (SPEC §11): each case's events and answers become views before its users.
  fc.sample(relatedDiffCaseArb, { seed, numRuns: randomRuns }).forEach((c, i) => {
    const names = { users: `rdiff${i}_users`, ev: `rdiff${i}_ev`, sv: `rdiff${i}_sv` };
    tables.push({ table: names.ev, fields: EV_FIELDS, rows: c.ev, cases: [] });
    tables.push({ table: names.sv, fields: SV_FIELDS, rows: c.sv, cases: [] });
    const ctx = relatedContextFor({ dialect: 'spark', fields: PARENT_FIELDS, asOf: c.asOf, table: names.users }, relatedDiffSpecs(names));
    const { sql, joins } = compileWhere(whereExpr(c.where), ctx);
    const rules = dialectRules('spark');
    const from = fromClause(rules, names.users, joins);
    const key = joins ? `${rules.ident(PARENT_ALIAS)}.${rules.ident('id')}` : 'id';
    tables.push({ table: names.users, fields: PARENT_FIELDS, rows: c.users, cases: [{ text: c.where, sql, expected: relatedReferenceMembers(c), from, key }] });
  });
  return tables;
}
