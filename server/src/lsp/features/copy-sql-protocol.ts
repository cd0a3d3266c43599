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
  /** `condition` (default): the WHERE condition; `select`: a whole `SELECT * FROM table WHERE …`. */
  form?: 'condition' | 'select';
  /** The table of a `select` (the `segspec.sqlTable` setting); default: the dataset's `table`, else its data source. */
  table?: string;
}

export type SqlResult =
  | { segment: string; dialect: string; sql: string; notes: string[] }
  | { segment: string; error: string };
