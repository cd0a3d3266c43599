/**
 * The `segspec/sql` request and the `segspec.copySql` command, shared by the
 * server and the VS Code client (kept free of imports so that the client
 * bundle does not pull in the compiler or the server library).
 */
export const SqlRequestMethod = 'segspec/sql';
export const CopySqlCommand = 'segspec.copySql';

export interface SqlParams {
  segment: string;
  /** One of the compiler's dialects (duckdb, postgres, spark, bigquery, snowflake, trino); default duckdb. */
  dialect?: string;
}

export type SqlResult =
  | { segment: string; dialect: string; sql: string; notes: string[] }
  | { segment: string; error: string };
