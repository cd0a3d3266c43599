/**
 * Turns a workspace copy of the sample into one whose dataset is a Parquet
 * file: data/users.csv is rewritten by DuckDB as data/users.parquet with
 * typed columns (as a data team would export it), the CSV is removed, and
 * data.segspec points at the Parquet file.
 */
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** Columns of the sample's CSV with the Parquet types its `fields` declare. */
const TYPED_COLUMNS = `
  user_id,
  CAST(age AS INTEGER) AS age,
  country,
  plan,
  device,
  CAST(NULLIF(seats, '') AS INTEGER) AS seats,
  CAST(signup_date AS DATE) AS signup_date,
  CAST(last_seen AS TIMESTAMP) AS last_seen,
  CAST(sessions_30d AS INTEGER) AS sessions_30d,
  CAST(ltv_usd AS DOUBLE) AS ltv_usd,
  app_version,
  CAST(is_student AS BOOLEAN) AS is_student,
  string_split(NULLIF(integrations, ''), ';') AS integrations,
  job`;

function sqlString(text: string): string {
  return `'${text.replace(/'/g, "''")}'`;
}

export async function convertSampleToParquet(workspace: string): Promise<string> {
  const csv = join(workspace, 'data', 'users.csv');
  const parquet = join(workspace, 'data', 'users.parquet');
  const { DuckDBInstance } = await import('@duckdb/node-api');
  const instance = await DuckDBInstance.create(':memory:');
  const connection = await instance.connect();
  try {
    await connection.run(
      `COPY (SELECT ${TYPED_COLUMNS} FROM read_csv(${sqlString(csv)}, all_varchar = true, header = true)) ` +
        `TO ${sqlString(parquet)} (FORMAT parquet)`,
    );
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
  rmSync(csv);
  const spec = join(workspace, 'data.segspec');
  const text = readFileSync(spec, 'utf8');
  if (!text.includes('source "data/users.csv"')) throw new Error(`${spec} no longer reads data/users.csv`);
  writeFileSync(spec, text.replace('source "data/users.csv"', 'source "data/users.parquet"'));
  return parquet;
}
