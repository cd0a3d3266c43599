/**
 * Dataset percentiles in SQL (`p1`..`p99`, `median`) equal the embedded
 * engine's (core/engine/aggregates.ts: linear interpolation at q·(n−1) over
 * the sorted non-missing values) to the last bit, on real engines.
 *
 * Trino cannot run here: its SQL (a sorted array and the interpolation
 * spelled out) uses only functions DuckDB has under the same names, so the
 * Trino text itself runs on DuckDB. PostgreSQL with SEGSPEC_PG_URL, Spark
 * with SEGSPEC_SPARK_URL.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { aggregateNumbers } from '../../../server/src/core/engine/aggregates.js';
import { type Dialect, compileWhere, dialectRules } from '../../../server/src/core/sql/index.js';
import { DuckDbRunner } from '../../../server/src/sqlengines/duckdb.js';
import { PostgresRunner } from '../../../server/src/sqlengines/postgres.js';
import type { Row } from '../../../server/src/sqlengines/rows.js';
import { SparkRunner } from '../../../server/src/sqlengines/spark.js';
import { contextFor, whereExpr } from './fixtures.js';

const NAMES = ['p1', 'p7', 'p25', 'p33', 'median', 'p67', 'p90', 'p99'];
const FRACTION: Record<string, number> = Object.fromEntries(
  NAMES.map((n) => [n, n === 'median' ? 0.5 : Number(n.slice(1)) / 100]),
);

const FIELDS = [
  { name: 'id', type: 'integer' as const },
  { name: 'x', type: 'number' as const },
  { name: 'k', type: 'integer' as const },
];

interface Engine {
  /** The dialect whose SQL is run. */
  dialect: Dialect;
  query(sql: string): Promise<Array<Record<string, unknown>>>;
  /** Creates a table with FIELDS and returns its (quoted) name. */
  load(rows: Row[]): Promise<string>;
  /** Units in the last place the result may differ by; exact (bit for bit) when absent. */
  ulps?: number;
}

function rowsOf(xs: Array<number | null>, ks: Array<number | null>): Row[] {
  return xs.map((x, i) => ({ id: i + 1, x, k: ks[i] ?? null }));
}

/** Percentiles of a column by the compiled SQL, one statement. */
async function sqlPercentiles(engine: Engine, table: string, column: string): Promise<Record<string, number | null>> {
  const rules = dialectRules(engine.dialect);
  const selects = NAMES.map((n) => `${rules.percentile(rules.ident(column), FRACTION[n], table).sql} AS ${n}`);
  const [row] = await engine.query(`SELECT ${selects.join(', ')}`);
  return Object.fromEntries(NAMES.map((n) => [n, row[n] === null ? null : Number(row[n])]));
}

/**
 * The SQL percentiles of a column equal the engine's over the values as the
 * database holds them: bit for bit (0 and -0 alike), or within `engine.ulps`
 * units in the last place of the column's largest magnitude.
 */
async function expectEnginePercentiles(engine: Engine, table: string, column: string, what: string): Promise<void> {
  const actual = await sqlPercentiles(engine, table, column);
  const rules = dialectRules(engine.dialect);
  const rows = await engine.query(`SELECT ${rules.ident(column)} AS v FROM ${table}`);
  const values = rows.filter((r) => r.v !== null && r.v !== undefined).map((r) => Number(r.v));
  const magnitude = Math.max(0, ...values.map(Math.abs));
  const plain = (v: number | null | undefined): number | null => (v === 0 ? 0 : (v ?? null));
  for (const n of NAMES) {
    const a = plain(actual[n]);
    const e = plain(aggregateNumbers(n, Float64Array.from(values)));
    const message = `${what}, ${column} ${n}: ${a} vs engine ${e}`;
    if (engine.ulps !== undefined && a !== null && e !== null) {
      expect(Math.abs(a - e), message).toBeLessThanOrEqual(engine.ulps * Number.EPSILON * magnitude);
    } else {
      expect(a, message).toBe(e);
    }
  }
}

const value = fc.oneof(
  fc.double({ noNaN: true, noDefaultInfinity: true, min: -1e9, max: 1e9 }),
  fc.integer({ min: -1000, max: 1000 }),
  fc.constantFrom(0, 0.1, 0.2, 0.3, 1 / 3, 2.5, 1e-7),
  fc.constant(null),
);
const integer = fc.oneof(fc.integer({ min: -1e6, max: 1e6 }), fc.constant(null));
const table = fc.integer({ min: 0, max: 80 }).chain((n) =>
  fc.tuple(fc.array(value, { minLength: n, maxLength: n }), fc.array(integer, { minLength: n, maxLength: n })),
);

function percentilesLikeTheEngine(name: string, open: () => Promise<Engine>, close: () => Promise<void>, runs: number): void {
  describe(`percentiles on ${name} equal the embedded engine's`, () => {
    let engine: Engine;
    beforeAll(async () => {
      engine = await open();
    }, 300_000);
    afterAll(close, 300_000);

    it('hand-picked columns: interpolated, exact ranks, one value, only missing values, no rows', async () => {
      const cases: Array<Array<number | null>> = [
        [10, 250, 0, 100, null, 40],
        [1, 2],
        [0.1, 0.2, 0.3, null, 0.7],
        [7],
        [null, null],
        [],
      ];
      for (const xs of cases) {
        const t = await engine.load(rowsOf(xs, xs.map((x) => (x === null ? null : Math.round(x * 10)))));
        await expectEnginePercentiles(engine, t, 'x', JSON.stringify(xs));
        await expectEnginePercentiles(engine, t, 'k', JSON.stringify(xs));
      }
    }, 300_000);

    it('a compiled `x >= p90(x)` selects the engine members', async () => {
      const xs = [10, 250, 0, 100, null, 40, 3.5, 99, 100.25, 12];
      const t = await engine.load(rowsOf(xs, []));
      const ctx = contextFor({ dialect: engine.dialect, fields: { id: 'integer', x: 'number', k: 'integer' }, table: t });
      for (const text of ['x >= p90(x)', 'x < median(x)', 'x > p33(x)']) {
        const { sql } = compileWhere(whereExpr(text), ctx);
        const members = (await engine.query(`SELECT id FROM ${t} WHERE ${sql} ORDER BY id`)).map((r) => Number(r.id));
        const present = xs.filter((x): x is number => x !== null);
        const fn = /(\w+)\(x\)/.exec(text)?.[1] as string;
        const bound = aggregateNumbers(fn, Float64Array.from(present)) as number;
        const op = text.split(' ')[1];
        const expected = xs.flatMap((x, i) =>
          x !== null && (op === '>=' ? x >= bound : op === '<' ? x < bound : x > bound) ? [i + 1] : [],
        );
        expect(members, text).toEqual(expected);
      }
    }, 300_000);

    it.runIf(runs > 0)(`random columns with missing values (${runs} tables)`, async () => {
      await fc.assert(
        fc.asyncProperty(table, async ([xs, ks]) => {
          const t = await engine.load(rowsOf(xs, ks));
          await expectEnginePercentiles(engine, t, 'x', 'random');
          await expectEnginePercentiles(engine, t, 'k', 'random');
        }),
        { numRuns: runs, seed: 20261128 },
      );
    }, 600_000);
  });
}

function duckDbEngine(dialect: Dialect, opened: (r: DuckDbRunner) => void, ulps?: number): () => Promise<Engine> {
  return async () => {
    const runner = await DuckDbRunner.open();
    opened(runner);
    return {
      dialect,
      ulps,
      query: (sql) => runner.query(sql),
      load: async (rows) => {
        await runner.loadRows('numbers', FIELDS, rows);
        return '"numbers"';
      },
    };
  };
}

let duck: DuckDbRunner | undefined;
// quantile_cont interpolates as lo·(1−d) + hi·d: the engine's value up to rounding in the last place.
percentilesLikeTheEngine(
  'DuckDB (quantile_cont, to the last place)',
  duckDbEngine('duckdb', (r) => (duck = r), 2),
  async () => duck?.close(),
  100,
);

let trinoOnDuck: DuckDbRunner | undefined;
percentilesLikeTheEngine(
  'DuckDB running the Trino SQL (sorted array, interpolation spelled out)',
  duckDbEngine('trino', (r) => (trinoOnDuck = r)),
  async () => trinoOnDuck?.close(),
  100,
);

const pgUrl = process.env.SEGSPEC_PG_URL;
let pg: PostgresRunner | undefined;
describe.skipIf(!pgUrl)('PostgreSQL', () => {
  percentilesLikeTheEngine(
    'PostgreSQL (percentile_cont)',
    async () => {
      const runner = await PostgresRunner.connect(pgUrl as string);
      pg = runner;
      return {
        dialect: 'postgres',
        query: (sql) => runner.query(sql),
        load: async (rows) => {
          await runner.loadRows('segspec_percentile.numbers', FIELDS, rows);
          return 'segspec_percentile.numbers';
        },
      };
    },
    async () => {
      await pg?.query('DROP SCHEMA IF EXISTS segspec_percentile CASCADE');
      await pg?.close();
    },
    50,
  );
});

const sparkUrl = process.env.SEGSPEC_SPARK_URL;
let spark: SparkRunner | undefined;
describe.skipIf(!sparkUrl)('Spark', () => {
  percentilesLikeTheEngine(
    'Spark',
    async () => {
      const runner = await SparkRunner.connect(sparkUrl as string);
      spark = runner;
      // ANSI mode (Spark 4's and Databricks SQL's default) turns a bad array index or cast into an error.
      await runner.query('SET spark.sql.ansi.enabled = true');
      return {
        dialect: 'spark',
        query: (sql) => runner.query(sql),
        load: async (rows) => {
          await runner.loadRows('segspec_percentile_numbers', FIELDS, rows, { temporary: true });
          return '`segspec_percentile_numbers`';
        },
      };
    },
    async () => spark?.close(),
    Number(process.env.SEGSPEC_SPARK_PERCENTILE_RUNS ?? 10),
  );
});
