/**
 * Compiled segments on a real Spark cluster (standalone master, two workers,
 * Thrift server): start one with
 *   export SEGSPEC_SPARK_URL="$(bash scripts/ci/spark-start.sh)"
 * Without SEGSPEC_SPARK_URL these tests are skipped. Spark runs each
 * statement as a distributed job, so the tests batch many predicates into one
 * statement (`UNION ALL`).
 */
import fc from 'fast-check';
import { join } from 'node:path';
import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compileWhere } from '../../../server/src/core/sql/index.js';
import { Workspace } from '../../../server/src/core/workspace.js';
import { NodeHost } from '../../../server/src/node/fs-host.js';
import { SparkRunner } from '../../../server/src/sqlengines/spark.js';
import { runWorkspaceOnSpark } from '../../../server/src/sqlengines/spark-workspace.js';
import { DIFF_FIELDS, DIFF_FIELD_SPECS, type DiffCase, diffCaseArb, referenceMembers } from './differential.js';
import { relatedContextFor } from './related-fixtures.js';
import { EV_FIELDS, PARENT_FIELDS, type RelatedDiffCase, SV_FIELDS, relatedDiffCaseArb, relatedDiffSpecs, relatedReferenceMembers, specs } from './related-differential.js';
import { MEMBERSHIP_CASES, USER_FIELDS, USER_FIELD_SPECS, USER_ROWS, USER_SEGMENTS, contextFor, whereExpr } from './fixtures.js';

const url = process.env.SEGSPEC_SPARK_URL;
const NEEDS = 'needs SEGSPEC_SPARK_URL: export SEGSPEC_SPARK_URL="$(bash scripts/ci/spark-start.sh)"';
const DIFF_RUNS = Number(process.env.SEGSPEC_SPARK_DIFF_RUNS ?? 40);
const DIFF_SEED = Number(process.env.SEGSPEC_SPARK_DIFF_SEED ?? 20261128);
const MINUTES = 60_000;

const samplesDir = fileURLToPath(new URL('../../../samples/', import.meta.url));
const samples = readdirSync(samplesDir, { withFileTypes: true })
  .filter((e) => e.isDirectory())
  .map((e) => e.name)
  .sort();

describe.skipIf(!url)(`Spark (${url ? url : NEEDS})`, () => {
  let spark: SparkRunner;
  beforeAll(async () => {
    spark = await SparkRunner.connect(url as string);
  }, 5 * MINUTES);
  afterAll(async () => {
    await spark?.query('DROP DATABASE IF EXISTS segspec_test CASCADE');
    await spark?.query('DROP DATABASE IF EXISTS segspec_samples CASCADE');
    await spark?.close();
  }, 5 * MINUTES);

  it('round-trips every column type through a table on the cluster', async () => {
    await spark.loadRows('segspec_test.users', USER_FIELD_SPECS, USER_ROWS);
    const rows = await spark.query('SELECT * FROM segspec_test.users ORDER BY id');
    expect(rows.length).toBe(USER_ROWS.length);
    const first = USER_ROWS.find((r) => r.last_seen !== null && r.signup_date !== null && r.integrations !== null);
    expect(first).toBeDefined();
    const stored = rows.find((r) => r.id === first?.id);
    expect(stored?.signup_date).toBe(first?.signup_date);
    // Spark prints a TIMESTAMP in the session's zone (UTC) without an offset.
    expect(new Date(`${String(stored?.last_seen).replace(' ', 'T')}Z`).toISOString()).toBe(
      new Date(String(first?.last_seen)).toISOString(),
    );
    expect(stored?.integrations).toEqual(first?.integrations);
    // A temporary view made from the same rows holds the same values.
    await spark.loadRows('segspec_users_view', USER_FIELD_SPECS, USER_ROWS, { temporary: true });
    expect(await spark.query('SELECT * FROM segspec_users_view ORDER BY id')).toEqual(rows);
    await spark.loadRows('segspec_empty_view', USER_FIELD_SPECS, [], { temporary: true });
    expect(await spark.query('SELECT count(*) AS n FROM segspec_empty_view')).toEqual([{ n: 0 }]);
  }, 10 * MINUTES);

  it('selects the members SPEC §5 defines for each membership case', async () => {
    const table = 'segspec_test.users';
    const ctx = contextFor({ dialect: 'spark', fields: USER_FIELDS, segments: USER_SEGMENTS, table });
    const wheres = MEMBERSHIP_CASES.map(([text]) => compileWhere(whereExpr(text), ctx).sql);
    const members = await spark.memberKeysEach(wheres, table, 'id');
    const got = Object.fromEntries(MEMBERSHIP_CASES.map(([text], i) => [text, members[i].map(Number)]));
    const expected = Object.fromEntries(MEMBERSHIP_CASES.map(([text, ids]) => [text, ids]));
    expect(got).toEqual(expected);
  }, 10 * MINUTES);

  it.each(samples)(
    'gives every segment of the %s sample the embedded engine’s size',
    async (sample) => {
      const analysis = await new Workspace(new NodeHost(), join(samplesDir, sample)).analyze();
      const embedded = new Map(
        [...analysis.results.segments.values()]
          .filter((r) => r.status !== 'unavailable' && r.status !== 'draft')
          .map((r) => [r.name, r.size]),
      );
      expect(embedded.size).toBeGreaterThan(0);
      const outcomes = await runWorkspaceOnSpark(analysis.model, url as string, {
        loadSamples: true,
        schema: 'segspec_samples',
      });
      const onSpark = new Map<string, number>();
      const errors: string[] = [];
      for (const list of outcomes.values()) {
        for (const o of list) {
          if ('error' in o) errors.push(`${o.segment}: ${o.error}`);
          else if (embedded.has(o.segment)) onSpark.set(o.segment, o.count);
        }
      }
      expect(errors).toEqual([]);
      expect(Object.fromEntries(onSpark)).toEqual(Object.fromEntries(embedded));
    },
    30 * MINUTES,
  );

  // The random tables go into one Parquet table (a `case_no` column) so that the
  // predicates run in tasks on the executors; each case reads it through a view.
  describe.each([
    ['the server’s default (non-ANSI) mode', 'false'],
    ['ANSI mode (Spark 4’s default)', 'true'],
  ])('in %s', (_mode, ansi) => {
    it(`agrees with the reference interpreter on ${DIFF_RUNS} random expressions and tables (seed ${DIFF_SEED})`, async () => {
      const cases: DiffCase[] = fc.sample(diffCaseArb, { numRuns: DIFF_RUNS, seed: DIFF_SEED });
      const rows = cases.flatMap((c, i) => c.rows.map((row) => ({ ...row, case_no: i })));
      await spark.loadRows('segspec_test.diff_rows', [...DIFF_FIELD_SPECS, { name: 'case_no', type: 'integer' }], rows);
      await spark.query(`SET spark.sql.ansi.enabled = ${ansi}`);
      const columns = DIFF_FIELD_SPECS.map((f) => `\`${f.name}\``).join(', ');
      const targets: Array<{ where: string; table: string }> = [];
      try {
        for (const [i, c] of cases.entries()) {
          const table = `segspec_diff_${i}`;
          await spark.query(
            `CREATE OR REPLACE TEMPORARY VIEW ${table} AS SELECT ${columns} FROM segspec_test.diff_rows WHERE case_no = ${i}`,
          );
          const ctx = contextFor({ dialect: 'spark', fields: DIFF_FIELDS, segments: c.segments, asOf: c.asOf, table });
          targets.push({ where: compileWhere(whereExpr(c.where), ctx).sql, table });
        }
        const members = await spark.memberKeysMany(targets, 'id');
        const mismatches = cases
          .map((c, i) => ({ c, got: members[i].map(Number), want: referenceMembers(c) }))
          .filter(({ got, want }) => JSON.stringify(got) !== JSON.stringify(want))
          .map(({ c, got, want }) => ({ where: c.where, segments: c.segments, asOf: c.asOf, rows: c.rows, got, want }));
        expect(mismatches).toEqual([]);
      } finally {
        await spark.query('RESET spark.sql.ansi.enabled');
      }
    }, 20 * MINUTES);

    it(`agrees with the reference interpreter on ${DIFF_RUNS} random rules over related datasets (seed ${DIFF_SEED})`, async () => {
      const cases: RelatedDiffCase[] = fc.sample(relatedDiffCaseArb, { numRuns: DIFF_RUNS, seed: DIFF_SEED });
      const parts = [
        ['users', PARENT_FIELDS, (c: RelatedDiffCase) => c.users],
        ['ev', EV_FIELDS, (c: RelatedDiffCase) => c.ev],
        ['sv', SV_FIELDS, (c: RelatedDiffCase) => c.sv],
      ] as const;
      for (const [name, fields, rowsOf] of parts) {
        const rows = cases.flatMap((c, i) => rowsOf(c).map((row) => ({ ...row, case_no: i })));
        await spark.loadRows(`segspec_test.rdiff_${name}`, [...specs(fields), { name: 'case_no', type: 'integer' }], rows);
      }
      await spark.query(`SET spark.sql.ansi.enabled = ${ansi}`);
      const targets: Array<{ where: string; table: string; joins?: ReturnType<typeof compileWhere>['joins'] }> = [];
      try {
        for (const [i, c] of cases.entries()) {
          const names = { users: `segspec_rdiff_users_${i}`, ev: `segspec_rdiff_ev_${i}`, sv: `segspec_rdiff_sv_${i}` };
          for (const [name, fields] of parts) {
            const columns = Object.keys(fields).map((f) => `\`${f}\``).join(', ');
            await spark.query(`CREATE OR REPLACE TEMPORARY VIEW ${names[name]} AS SELECT ${columns} FROM segspec_test.rdiff_${name} WHERE case_no = ${i}`);
          }
          const ctx = relatedContextFor({ dialect: 'spark', fields: PARENT_FIELDS, asOf: c.asOf, table: names.users }, relatedDiffSpecs(names));
          const { sql, joins } = compileWhere(whereExpr(c.where), ctx);
          targets.push({ where: sql, table: names.users, joins });
        }
        const members = await spark.memberKeysMany(targets, 'id');
        const mismatches = cases
          .map((c, i) => ({ c, got: members[i].map(Number), want: relatedReferenceMembers(c) }))
          .filter(({ got, want }) => JSON.stringify(got) !== JSON.stringify(want))
          .map(({ c, got, want }) => ({ ...c, got, want }));
        expect(mismatches).toEqual([]);
      } finally {
        await spark.query('RESET spark.sql.ansi.enabled');
      }
    }, 20 * MINUTES);
  });
});
