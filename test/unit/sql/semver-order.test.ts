/**
 * Semver ordering in SQL equals the embedded engine's (core/engine/semver.ts)
 * on real engines: the sort key computed in the query orders versions as the
 * engine's comparator does, the key of a literal (computed in TypeScript) is
 * the key the query computes for the same text, and compiled comparisons
 * select the members the engine selects.
 *
 * DuckDB always; PostgreSQL with SEGSPEC_PG_URL (scripts/ci/postgres-start.sh),
 * in a column with a locale collation; Spark with SEGSPEC_SPARK_URL
 * (scripts/ci/spark-start.sh).
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compareSemver } from '../../../server/src/core/engine/semver.js';
import { type Dialect, compileWhere, dialectRules } from '../../../server/src/core/sql/index.js';
import { isSemverText, semverKeyOf, semverKeySql } from '../../../server/src/core/sql/semver.js';
import { DuckDbRunner } from '../../../server/src/sqlengines/duckdb.js';
import { PostgresRunner } from '../../../server/src/sqlengines/postgres.js';
import { SparkRunner } from '../../../server/src/sqlengines/spark.js';
import { contextFor, whereExpr } from './fixtures.js';

/** semver.org §11's example, in order, with numbers that text order would get wrong. */
const PRECEDENCE = [
  '1.0.0-alpha',
  '1.0.0-alpha.1',
  '1.0.0-alpha.beta',
  '1.0.0-beta',
  '1.0.0-beta.2',
  '1.0.0-beta.11',
  '1.0.0-rc.1',
  '1.0.0-rc.2',
  '1.0.0-rc.10',
  '1.0.0',
];

/** Versions in no particular order: prefixes, build metadata, leading zeros, odd identifiers, non-versions. */
const VERSIONS = [
  ...PRECEDENCE,
  'v1.0.0-rc.10',
  '1.0.0-rc.10+build.1',
  'v1.0.0+20130313144700',
  '1.0.0+build',
  '1.0.0-rc.010',
  '1.0.0-rc.9',
  '1.0.0-rc.9.1',
  '1.0.0-rc.9.a',
  '1.0.0-rc-1',
  '1.0.0-rc',
  '1.0.0-RC.1',
  '1.0.0-0',
  '1.0.0-00',
  '1.0.0-0.3.7',
  '1.0.0-x.7.z.92',
  '1.0.0-x-y-z.--',
  '1.0.0-a..b',
  '1.0.0-.',
  '1.0.0-1a',
  '1.0.0-99999999999999',
  '1.0.0-100000000000000',
  '1.0',
  '1',
  'v1',
  '01.0.0',
  '1.10.0',
  '1.9.0',
  '1.9.0-rc.1',
  '2.0.0-rc.1',
  '20231101123456.0.0',
  '3.10',
  '  3.10.0  ',
  '1.0.0-',
  'latest',
  '1.x',
  'vv1.0.0',
  '',
];

interface Engine {
  dialect: Dialect;
  /** Rows of a statement, columns by lower-case name. */
  query(sql: string): Promise<Array<Record<string, unknown>>>;
  /** Creates the table `versions(id, v)` and returns its name. */
  loadVersions(versions: string[]): Promise<string>;
}

const FIELDS = [
  { name: 'id', type: 'integer' as const },
  { name: 'v', type: 'semver' as const },
];

function rowsOf(versions: string[]): Array<{ id: number; v: string }> {
  return versions.map((v, i) => ({ id: i + 1, v }));
}

function sign(n: number | undefined): number | null {
  return n === undefined ? null : Math.sign(n);
}

/** Every pair's order by the SQL key, computed by the engine: -1, 0, 1, or null (not a version). */
async function sqlPairOrder(engine: Engine, table: string): Promise<Map<string, number | null>> {
  const rules = dialectRules(engine.dialect);
  const key = semverKeySql(rules, rules.ident('v'));
  const right = rules.byCodePoint('b.k');
  const sql =
    `WITH keyed AS (SELECT id, ${key} AS k FROM ${table}) ` +
    `SELECT a.id AS a, b.id AS b, CASE WHEN a.k < ${right} THEN -1 WHEN a.k = b.k THEN 0 WHEN a.k > ${right} THEN 1 END AS c ` +
    `FROM keyed a CROSS JOIN keyed b`;
  const order = new Map<string, number | null>();
  for (const row of await engine.query(sql)) order.set(`${Number(row.a)},${Number(row.b)}`, row.c === null ? null : Number(row.c));
  return order;
}

function enginePairOrder(versions: string[]): Map<string, number | null> {
  const order = new Map<string, number | null>();
  versions.forEach((x, i) => versions.forEach((y, j) => order.set(`${i + 1},${j + 1}`, sign(compareSemver(x, y)))));
  return order;
}

async function sqlKeys(engine: Engine, table: string): Promise<Map<number, string | null>> {
  const rules = dialectRules(engine.dialect);
  const rows = await engine.query(`SELECT id, ${semverKeySql(rules, rules.ident('v'))} AS k FROM ${table}`);
  return new Map(rows.map((r) => [Number(r.id), r.k === null ? null : String(r.k)]));
}

function literalKeys(versions: string[]): Map<number, string | null> {
  return new Map(versions.map((v, i) => [i + 1, isSemverText(v) ? semverKeyOf(v) : null]));
}

/** Versions (ids) sorted by the SQL key, ties by id; non-versions left out. */
async function sqlSorted(engine: Engine, table: string): Promise<number[]> {
  const rules = dialectRules(engine.dialect);
  const sql =
    `SELECT id FROM (SELECT id, ${semverKeySql(rules, rules.ident('v'))} AS k FROM ${table}) AS keyed ` +
    `WHERE k IS NOT NULL ORDER BY ${rules.byCodePoint('k')}, id`;
  return (await engine.query(sql)).map((r) => Number(r.id));
}

function engineSorted(versions: string[]): number[] {
  return rowsOf(versions)
    .filter((r) => compareSemver(r.v, r.v) !== undefined)
    .sort((a, b) => (compareSemver(a.v, b.v) as number) || a.id - b.id)
    .map((r) => r.id);
}

/** Rows where a compiled `where` (over `v`) holds, run on the engine. */
async function compiledMembers(engine: Engine, table: string, where: string): Promise<number[]> {
  const ctx = contextFor({ dialect: engine.dialect, fields: { id: 'integer', v: 'semver' }, table });
  const { sql } = compileWhere(whereExpr(where), ctx);
  const rows = await engine.query(`SELECT id FROM ${table} WHERE ${sql} ORDER BY id`);
  return rows.map((r) => Number(r.id));
}

/** Rows whose version compares with `literal` as `holds` wants, by the engine's comparator. */
function engineMembers(versions: string[], literal: string, holds: (c: number) => boolean): number[] {
  return rowsOf(versions)
    .filter((r) => {
      const c = compareSemver(r.v, literal);
      return c !== undefined && holds(c);
    })
    .map((r) => r.id);
}

function both(a: number[], b: number[]): number[] {
  return a.filter((id) => b.includes(id));
}

function either(a: number[], b: number[]): number[] {
  return [...new Set([...a, ...b])].sort((x, y) => x - y);
}

const HOLDS: Record<string, (c: number) => boolean> = {
  '<': (c) => c < 0,
  '<=': (c) => c <= 0,
  '==': (c) => c === 0,
  '!=': (c) => c !== 0,
  '>=': (c) => c >= 0,
  '>': (c) => c > 0,
};

/** Compiled expressions with semver literals, and their members by the engine's comparator. */
const COMPILED: Array<[string, (versions: string[]) => number[]]> = [
  ['v < "1.0.0-rc.10"', (vs) => engineMembers(vs, '1.0.0-rc.10', (c) => c < 0)],
  ['v > "1.0.0-rc.2"', (vs) => engineMembers(vs, '1.0.0-rc.2', (c) => c > 0)],
  ['v >= "v1.0.0-beta.11+b"', (vs) => engineMembers(vs, 'v1.0.0-beta.11+b', (c) => c >= 0)],
  ['v == "1.0.0-rc.010"', (vs) => engineMembers(vs, '1.0.0-rc.010', (c) => c === 0)],
  ['v <= "1.0.0-alpha.beta"', (vs) => engineMembers(vs, '1.0.0-alpha.beta', (c) => c <= 0)],
  ['v != "1.0.0"', (vs) => engineMembers(vs, '1.0.0', (c) => c !== 0)],
  [
    'v between "1.0.0-rc.2" and "1.0.0-rc.10"',
    (vs) => both(engineMembers(vs, '1.0.0-rc.2', (c) => c >= 0), engineMembers(vs, '1.0.0-rc.10', (c) => c <= 0)),
  ],
  // Literals split at compile time: values on each side of every core part, the literal's own core, spellings that take the key.
  ['v >= "1.9.0"', (vs) => engineMembers(vs, '1.9.0', (c) => c >= 0)],
  ['v < "1.10.0"', (vs) => engineMembers(vs, '1.10.0', (c) => c < 0)],
  ['v > "1.0.0-rc.9"', (vs) => engineMembers(vs, '1.0.0-rc.9', (c) => c > 0)],
  ['v <= "1.0"', (vs) => engineMembers(vs, '1.0', (c) => c <= 0)],
  ['v == "v01.0.0+meta"', (vs) => engineMembers(vs, 'v01.0.0+meta', (c) => c === 0)],
  ['"1.9.0" < v', (vs) => engineMembers(vs, '1.9.0', (c) => c > 0)],
  ['("2.0.0-rc.1") >= (v)', (vs) => engineMembers(vs, '2.0.0-rc.1', (c) => c <= 0)],
  ['v > "0.0.0"', (vs) => engineMembers(vs, '0.0.0', (c) => c > 0)],
  ['v < "0.0.0-0"', (vs) => engineMembers(vs, '0.0.0-0', (c) => c < 0)],
  ['v != "1.0.0-rc.1"', (vs) => engineMembers(vs, '1.0.0-rc.1', (c) => c !== 0)],
  ['v >= "20231101123455.9.99"', (vs) => engineMembers(vs, '20231101123455.9.99', (c) => c >= 0)],
  ['v < "1.0.99999999999999999"', (vs) => engineMembers(vs, '1.0.99999999999999999', (c) => c < 0)],
  ['not (v > "1.0.0")', (vs) => engineMembers(vs, '1.0.0', (c) => c <= 0)],
  [
    'v between "1.0.0" and "2.0.0-rc.1"',
    (vs) => both(engineMembers(vs, '1.0.0', (c) => c >= 0), engineMembers(vs, '2.0.0-rc.1', (c) => c <= 0)),
  ],
  [
    'v in ["1.0.0-rc.01", "v1.0.0+x"]',
    (vs) => either(engineMembers(vs, '1.0.0-rc.01', (c) => c === 0), engineMembers(vs, 'v1.0.0+x', (c) => c === 0)),
  ],
];

// ------------------------------------------------------------ random versions

const numeric = fc.oneof(
  fc.constantFrom('0', '1', '2', '9', '10', '11', '01', '002', '100'),
  fc.bigInt({ min: 0n, max: 2n ** 53n - 1n }).map(String),
);
const alphanumeric = fc.oneof(
  fc.constantFrom('alpha', 'beta', 'rc', 'a', 'ab', 'b', 'B', 'Z', 'z', '-', 'a-b', 'x-', '1a', '0x', 'beta2', ''),
  fc.stringMatching(/^[0-9A-Za-z-]{1,6}$/),
);
const identifier = fc.oneof(numeric, alphanumeric);
const corePart = fc.oneof(fc.constantFrom('0', '1', '2', '3', '9', '10', '00', '007'), fc.nat({ max: 1e12 }).map(String));
const randomVersion = fc
  .record({
    prefix: fc.constantFrom('', '', '', 'v', ' '),
    core: fc.array(corePart, { minLength: 1, maxLength: 3 }),
    pre: fc.option(fc.array(identifier, { minLength: 1, maxLength: 5 }), { nil: undefined }),
    build: fc.constantFrom('', '', '+build.5', '+001', '+x-y'),
  })
  .map(({ prefix, core, pre, build }) => {
    const preRelease = pre === undefined ? '' : `-${pre.join('.')}`;
    // '1.0.0-' (an empty pre-release) is not a version: keep the generated text a version.
    return `${prefix}${core.join('.')}${preRelease === '-' ? '-0' : preRelease}${build}`;
  });
/** Versions from a few small numbers, so that many share a core with the literal (where a literal comparison needs the key). */
const nearVersion = fc
  .record({
    core: fc.oneof(
      { weight: 4, arbitrary: fc.array(fc.constantFrom('0', '1', '10'), { minLength: 3, maxLength: 3 }) },
      { weight: 1, arbitrary: fc.array(fc.constantFrom('0', '1', '9', '10', '01'), { minLength: 1, maxLength: 3 }) },
    ),
    pre: fc.option(fc.array(fc.constantFrom('0', '1', '2', '10', 'a', 'rc', 'rc-1', ''), { minLength: 1, maxLength: 3 }), { nil: undefined }),
    build: fc.constantFrom('', '', '+b.1'),
    prefix: fc.constantFrom('', '', '', '', 'v', ' '),
  })
  .map(({ prefix, core, pre, build }) => `${prefix}${core.join('.')}${pre === undefined || pre.join('.') === '' ? '' : `-${pre.join('.')}`}${build}`);

/** Mostly versions, a few near misses; duplicates with different spellings come from the small pools. */
const versionBatch = fc.array(fc.oneof({ weight: 9, arbitrary: randomVersion }, { weight: 1, arbitrary: fc.constantFrom('1.x', 'latest', '1.0.0-') }), {
  minLength: 2,
  maxLength: 60,
});

// ------------------------------------------------------------ the checks, per engine

function ordersLikeTheEngine(name: string, open: () => Promise<Engine>, close: () => Promise<void>, randomRuns: number): void {
  describe(`semver ordering on ${name} equals the embedded engine's`, () => {
    let engine: Engine;
    beforeAll(async () => {
      engine = await open();
    }, 300_000);
    afterAll(close, 300_000);

    it('semver.org precedence: alpha < alpha.1 < alpha.beta < beta < beta.2 < beta.11 < rc.1 < rc.2 < rc.10 < release', async () => {
      const shuffled = [5, 9, 0, 3, 7, 1, 8, 4, 2, 6].map((i) => PRECEDENCE[i]);
      const table = await engine.loadVersions(shuffled);
      const sorted = (await sqlSorted(engine, table)).map((id) => shuffled[id - 1]);
      expect(sorted).toEqual(PRECEDENCE);
    }, 120_000);

    it('sorting by the SQL key gives the engine sort; every pair compares the same; literal keys equal query keys', async () => {
      const table = await engine.loadVersions(VERSIONS);
      expect(await sqlSorted(engine, table)).toEqual(engineSorted(VERSIONS));
      expect(await sqlPairOrder(engine, table)).toEqual(enginePairOrder(VERSIONS));
      expect(await sqlKeys(engine, table)).toEqual(literalKeys(VERSIONS));
    }, 120_000);

    it('compiled comparisons, `between` and `in` with literals select the engine members', async () => {
      const table = await engine.loadVersions(VERSIONS);
      for (const [where, expected] of COMPILED) {
        expect(await compiledMembers(engine, table, where), where).toEqual(expected(VERSIONS));
      }
    }, 120_000);

    it.runIf(randomRuns > 0)(`random versions compare as the engine compares them (${randomRuns} batches)`, async () => {
      await fc.assert(
        fc.asyncProperty(versionBatch, randomVersion, fc.constantFrom(...Object.keys(HOLDS)), async (versions, literal, op) => {
          const table = await engine.loadVersions(versions);
          expect(await sqlPairOrder(engine, table)).toEqual(enginePairOrder(versions));
          expect(await sqlKeys(engine, table)).toEqual(literalKeys(versions));
          const where = `v ${op} ${JSON.stringify(literal)}`;
          expect(await compiledMembers(engine, table, where), where).toEqual(engineMembers(versions, literal, HOLDS[op]));
        }),
        { numRuns: randomRuns, seed: 20261128 },
      );
    }, 600_000);

    it.runIf(randomRuns > 0)(`versions near the literal compare as the engine compares them (${randomRuns} batches)`, async () => {
      await fc.assert(
        fc.asyncProperty(fc.array(nearVersion, { minLength: 2, maxLength: 60 }), nearVersion, fc.constantFrom(...Object.keys(HOLDS)), async (versions, literal, op) => {
          const table = await engine.loadVersions(versions);
          const where = `v ${op} ${JSON.stringify(literal)}`;
          expect(await compiledMembers(engine, table, where), where).toEqual(engineMembers(versions, literal, HOLDS[op]));
        }),
        { numRuns: randomRuns, seed: 20261206 },
      );
    }, 600_000);
  });
}

let duck: DuckDbRunner | undefined;
ordersLikeTheEngine(
  'DuckDB',
  async () => {
    const runner = await DuckDbRunner.open();
    duck = runner;
    return {
      dialect: 'duckdb',
      query: (sql) => runner.query(sql),
      loadVersions: async (versions) => {
        await runner.loadRows('versions', FIELDS, rowsOf(versions));
        return '"versions"';
      },
    };
  },
  async () => duck?.close(),
  200,
);

const pgUrl = process.env.SEGSPEC_PG_URL;
let pg: PostgresRunner | undefined;
describe.skipIf(!pgUrl)('PostgreSQL', () => {
  ordersLikeTheEngine(
    'PostgreSQL (column with a locale collation)',
    async () => {
      const runner = await PostgresRunner.connect(pgUrl as string);
      pg = runner;
      await runner.query('CREATE SCHEMA IF NOT EXISTS segspec_semver');
      return {
        dialect: 'postgres',
        query: (sql) => runner.query(sql),
        loadVersions: async (versions) => {
          await runner.query('DROP TABLE IF EXISTS segspec_semver.versions');
          // Under a locale collation '!' '#' '%' '~' would be ignored or reordered: the key must not depend on it.
          await runner.query('CREATE TABLE segspec_semver.versions (id BIGINT, v TEXT COLLATE "und-x-icu")');
          const values = rowsOf(versions).map((r) => `(${r.id}, ${dialectRules('postgres').string(r.v)})`);
          await runner.query(`INSERT INTO segspec_semver.versions VALUES ${values.join(', ')}`);
          return 'segspec_semver.versions';
        },
      };
    },
    async () => {
      await pg?.query('DROP SCHEMA IF EXISTS segspec_semver CASCADE');
      await pg?.close();
    },
    50,
  );
});

const sparkUrl = process.env.SEGSPEC_SPARK_URL;
let spark: SparkRunner | undefined;
describe.skipIf(!sparkUrl)('Spark', () => {
  ordersLikeTheEngine(
    'Spark',
    async () => {
      const runner = await SparkRunner.connect(sparkUrl as string);
      spark = runner;
      // ANSI mode (Spark 4's and Databricks SQL's default) turns a bad array index or cast into an error.
      await runner.query('SET spark.sql.ansi.enabled = true');
      return {
        dialect: 'spark',
        query: (sql) => runner.query(sql),
        loadVersions: async (versions) => {
          await runner.loadRows('segspec_semver_versions', FIELDS, rowsOf(versions), { temporary: true });
          return '`segspec_semver_versions`';
        },
      };
    },
    async () => spark?.close(),
    Number(process.env.SEGSPEC_SPARK_SEMVER_RUNS ?? 10),
  );
});
