/**
 * A deterministic users table as Parquet, written by DuckDB itself from
 * `range(rows)`: the columns and distributions of gen-users.ts, but drawn
 * from an integer hash of (row, draw) computed in SQL, so that 10M rows take
 * seconds and never pass through JavaScript. The hash uses only 64-bit
 * integer arithmetic (no engine hash function), so the bytes depend on the
 * row count alone, not on the DuckDB version.
 */
import { existsSync, renameSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** The Parquet file's column types, which are the field types of USERS_FIELDS in DuckDB. */
export const PARQUET_COLUMN_TYPES: Record<string, string> = {
  user_id: 'VARCHAR',
  age: 'BIGINT',
  country: 'VARCHAR',
  plan: 'VARCHAR',
  device: 'VARCHAR',
  seats: 'BIGINT',
  signup_date: 'DATE',
  last_seen: 'TIMESTAMP',
  sessions_30d: 'BIGINT',
  ltv_usd: 'DOUBLE',
  app_version: 'VARCHAR',
  is_student: 'BOOLEAN',
  integrations: 'VARCHAR[]',
};

const COUNTRIES = ['US', 'US', 'US', 'GB', 'DE', 'FR', 'IN', 'IN', 'BR', 'CA', 'AU', 'ES', 'IT', 'NL', 'SE', 'PL', 'JP', 'KR', 'MX', 'AR', 'ZA', 'NG', 'KE', 'EG', 'TR', 'ID', 'PH', 'VN', 'CH', 'IE'];
const DEVICES = ['desktop', 'desktop', 'mobile', 'mobile', 'mobile', 'tablet'];
const INTEGRATIONS = ['slack', 'zoom', 'invoicing', 'github', 'jira', 'drive', 'calendar', 'stripe'];
const VERSIONS = ['2.9.4', '3.0.0', '3.1.2', '3.9.0', '3.10.0', '3.10.1', '3.11.0-beta.1', '4.0.0'];

const list = (values: string[]) => `[${values.map((v) => `'${v}'`).join(', ')}]`;
/** Picks from a list literal with a uniform draw in [0, 1) (DuckDB lists are 1-based). */
const pick = (values: string[], draw: string) => `${list(values)}[CAST(floor(${draw} * ${values.length}) AS BIGINT) + 1]`;

/**
 * A uniform draw in [0, 1) for row `i` and draw number `k`: a 32-bit mix
 * (multiply, xor-shift) whose products stay below 2^63.
 */
const MIX_MACROS = [
  'CREATE OR REPLACE MACRO bench_mix(x) AS (xor(x, x >> 16) * 73244475) % 4294967296',
  'CREATE OR REPLACE MACRO bench_unit(x) AS CAST(xor(x, x >> 16) AS DOUBLE) / 4294967296',
  'CREATE OR REPLACE MACRO bench_u(i, k) AS bench_unit(bench_mix(bench_mix(CAST((i * 2654435761 + k * 40503 + 12345) % 4294967296 AS UBIGINT))))',
];

/** The SELECT that produces `rows` users. */
export function usersParquetSelect(rows: number): string {
  const u = (k: number) => `bench_u(i, ${k})`;
  const integrations = INTEGRATIONS.map((name, j) => `CASE WHEN ${u(20 + j)} < 0.18 THEN '${name}' END`).join(', ');
  return `WITH base AS (
  SELECT i,
    CASE WHEN ${u(1)} < 0.6 THEN 'free' WHEN ${u(1)} < 0.85 THEN 'pro' WHEN ${u(1)} < 0.95 THEN 'team' ELSE 'enterprise' END AS plan,
    16 + CAST(floor(${u(2)} * ${u(3)} * 64) AS BIGINT) AS age,
    CAST(floor(${u(5)} * (DATE '2026-06-30' - DATE '2019-01-01')) AS BIGINT) AS signup_day,
    list_filter([${integrations}], x -> x IS NOT NULL) AS integration_list
  FROM range(${rows}) t(i)
)
SELECT
  'u' || lpad(CAST(i + 1 AS VARCHAR), 8, '0') AS user_id,
  age,
  ${pick(COUNTRIES, u(11))} AS country,
  plan,
  ${pick(DEVICES, u(12))} AS device,
  CASE plan WHEN 'team' THEN 2 + CAST(floor(${u(4)} * 48) AS BIGINT) WHEN 'enterprise' THEN 2 + CAST(floor(${u(4)} * 498) AS BIGINT) END AS seats,
  DATE '2019-01-01' + CAST(signup_day AS INTEGER) AS signup_date,
  CAST(TIMESTAMP '2019-01-01 00:00:00' + to_seconds(CAST(floor((signup_day + ${u(6)} * ((DATE '2026-06-30' - DATE '2019-01-01') + 1 - signup_day)) * 86400) AS BIGINT)) AS TIMESTAMP) AS last_seen,
  CAST(floor(${u(7)} * ${u(8)} * 121) AS BIGINT) AS sessions_30d,
  round(${u(9)} * ${u(10)} * CASE plan WHEN 'enterprise' THEN 50000 WHEN 'team' THEN 8000 ELSE 1200 END, 2) AS ltv_usd,
  ${pick(VERSIONS, u(13))} AS app_version,
  age < 26 AND ${u(14)} < 0.5 AS is_student,
  CASE WHEN len(integration_list) = 0 THEN NULL ELSE integration_list END AS integrations
FROM base`;
}

export function parquetPath(rows: number): string {
  return join(tmpdir(), `segspec-bench-users-${rows}.parquet`);
}

/**
 * Writes the file once (into a temporary name, renamed when complete);
 * returns its path. Rows are in range order: DuckDB preserves insertion order.
 */
export async function ensureUsersParquet(rows: number): Promise<string> {
  const path = parquetPath(rows);
  if (existsSync(path) && statSync(path).size > 0) return path;
  const partial = `${path}.${process.pid}.partial`;
  const { DuckDBInstance } = await import('@duckdb/node-api');
  const instance = await DuckDBInstance.create(':memory:');
  const conn = await instance.connect();
  try {
    for (const macro of MIX_MACROS) await conn.run(macro);
    const types = Object.entries(PARQUET_COLUMN_TYPES).map(([name, type]) => `CAST(${name} AS ${type}) AS ${name}`);
    await conn.run(
      `COPY (SELECT ${types.join(', ')} FROM (${usersParquetSelect(rows)})) TO '${partial.replace(/'/g, "''")}' (FORMAT parquet, COMPRESSION zstd, ROW_GROUP_SIZE 122880)`,
    );
  } finally {
    conn.closeSync();
    instance.closeSync();
  }
  renameSync(partial, path);
  return path;
}
