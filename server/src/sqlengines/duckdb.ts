/**
 * Runs compiled segments on DuckDB, in process. A dataset's source file is
 * loaded with DuckDB's own readers (CSV, TSV, JSON, JSON Lines, Parquet) into
 * a table typed by the dataset's fields, using the representation described
 * in core/sql/dialect.ts: empty cells are NULL, booleans accept
 * true/false/1/0/yes/no, date-times are UTC, CSV lists `a;b;c` become arrays.
 */
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { extname } from 'node:path';
import type { ColumnType } from '../core/data/table.js';
import { dialectRules } from '../core/sql/dialect.js';
import { countQuery, selectQuery } from '../core/sql/queries.js';
import type { SqlRunner } from './segments.js';
import { type Row, createTableSql, insertSql, sqlColumnType } from './rows.js';
import type { FieldSpec } from './dataset-source.js';

export type { FieldSpec };

export type SourceFormat = 'csv' | 'tsv' | 'json' | 'jsonl' | 'parquet';

export interface DatasetSource {
  /** Table to create (replaced when it exists). */
  table: string;
  /** Absolute path of the data file. */
  path: string;
  /** Taken from the file extension when omitted. */
  format?: SourceFormat;
  /** The fields to load, with their types; other columns are left out. */
  fields: FieldSpec[];
}

const rules = dialectRules('duckdb');
const ident = rules.ident;
const lit = rules.string;

export function formatOf(path: string): SourceFormat {
  const ext = extname(path).toLowerCase();
  switch (ext) {
    case '.tsv':
    case '.tab':
      return 'tsv';
    case '.json':
      return 'json';
    case '.jsonl':
    case '.ndjson':
      return 'jsonl';
    case '.parquet':
      return 'parquet';
    default:
      return 'csv';
  }
}

export class DuckDbRunner implements SqlRunner {
  readonly dialect = 'duckdb' as const;

  private constructor(
    private readonly instance: DuckDBInstance,
    private readonly connection: DuckDBConnection,
  ) {}

  static async open(): Promise<DuckDbRunner> {
    const instance = await DuckDBInstance.create(':memory:');
    const connection = await instance.connect();
    // Date-times are UTC instants; text without an offset is read as UTC.
    await connection.run(`SET TimeZone = 'UTC'`);
    return new DuckDbRunner(instance, connection);
  }

  async query(sql: string): Promise<Array<Record<string, unknown>>> {
    const reader = await this.connection.runAndReadAll(sql);
    return reader.getRowObjectsJS() as Array<Record<string, unknown>>;
  }

  async run(sql: string): Promise<void> {
    await this.connection.run(sql);
  }

  /** Loads a data file into `source.table`; returns the number of rows. */
  async loadDataset(source: DatasetSource): Promise<number> {
    const format = source.format ?? formatOf(source.path);
    const from = reader(source, format);
    // A declared field with no column in the file is missing on every row, as in the embedded engine.
    const present = new Set((await this.query(`DESCRIBE SELECT * FROM ${from}`)).map((r) => String(r.column_name)));
    const columns = source.fields.map((f) => {
      const value = present.has(f.name)
        ? convert(f.type, ident(f.name), format)
        : `CAST(NULL AS ${sqlColumnType('duckdb', f.type)})`;
      return `${value} AS ${ident(f.name)}`;
    });
    const select = columns.length ? columns.join(', ') : '*';
    await this.run(`CREATE OR REPLACE TABLE ${ident(source.table)} AS SELECT ${select} FROM ${from}`);
    const [row] = await this.query(`SELECT COUNT(*) AS n FROM ${ident(source.table)}`);
    return Number(row.n);
  }

  /** Creates `table` (replacing it) from in-memory rows. */
  async loadRows(table: string, fields: FieldSpec[], rows: Row[]): Promise<void> {
    await this.run(`DROP TABLE IF EXISTS ${ident(table)}`);
    await this.run(createTableSql('duckdb', table, fields));
    for (const statement of insertSql('duckdb', table, fields, rows)) await this.run(statement);
  }

  /** Rows of `table` where the compiled predicate is true. */
  async count(whereSql: string, table: string): Promise<number> {
    const [row] = await this.query(countQuery(whereSql, { dialect: 'duckdb', table }));
    return Number(row.members);
  }

  /** Key values of the members, sorted by key. */
  async memberKeys(whereSql: string, table: string, key: string): Promise<string[]> {
    const rows = await this.query(
      selectQuery(whereSql, { dialect: 'duckdb', table }, { columns: [key], orderBy: [key] }),
    );
    return rows.map((r) => String(r[key]));
  }

  close(): void {
    this.connection.closeSync();
    this.instance.closeSync();
  }
}

function reader(source: DatasetSource, format: SourceFormat): string {
  const path = lit(source.path);
  switch (format) {
    case 'csv':
    case 'tsv': {
      const delim = format === 'tsv' ? '\\t' : ',';
      return `read_csv(${path}, header = true, all_varchar = true, delim = '${delim}', quote = '"', escape = '"', ignore_errors = true)`;
    }
    case 'json':
    case 'jsonl': {
      // Every field read as raw JSON and converted below: data may mix `1`, `"1"` and `true`.
      // Like the embedded reader, a line that is not JSON, or not an object, is skipped.
      const columns = source.fields.map((f) => `json_extract(json, ${lit(`$."${f.name.replace(/"/g, '\\"')}"`)}) AS ${ident(f.name)}`);
      const objects = format === 'json' ? `read_json_objects(${path}, format = 'array')` : `read_ndjson_objects(${path}, ignore_errors = true)`;
      return `(SELECT ${columns.length ? columns.join(', ') : 'json'} FROM ${objects} WHERE json_type(json) = 'OBJECT') AS segspec_source`;
    }
    case 'parquet':
      return `read_parquet(${path})`;
  }
}

/** SQL converting a raw column to the field's representation. */
function convert(type: ColumnType, column: string, format: SourceFormat): string {
  if (format === 'json' || format === 'jsonl') return convertJson(type, column);
  if (format === 'parquet') return convertParquet(type, column);
  return convertText(type, column);
}

/** From text (CSV/TSV cells, JSON scalars): the empty string is a missing value. */
function convertText(type: ColumnType, column: string): string {
  const text = `NULLIF(${column}, '')`;
  const trimmed = `NULLIF(trim(${column}), '')`;
  switch (type) {
    case 'string':
    case 'enum':
    case 'semver':
      return text;
    case 'integer':
      return `TRY_CAST(${trimmed} AS BIGINT)`;
    case 'number':
      return `TRY_CAST(${trimmed} AS DOUBLE)`;
    case 'boolean':
      return booleanFromText(trimmed);
    case 'date':
      return `TRY_CAST(${trimmed} AS DATE)`;
    case 'datetime':
      return `CAST(TRY_CAST(${trimmed} AS TIMESTAMPTZ) AS TIMESTAMP)`;
    case 'list<string>':
      return `list_filter(list_transform(string_split(${trimmed}, ';'), x -> trim(x)), x -> x <> '')`;
    case 'list<integer>':
      return `list_transform(list_filter(list_transform(string_split(${trimmed}, ';'), x -> trim(x)), x -> x <> ''), x -> TRY_CAST(x AS BIGINT))`;
  }
}

function booleanFromText(text: string): string {
  return `CASE WHEN lower(${text}) IN ('true', '1', 'yes') THEN TRUE WHEN lower(${text}) IN ('false', '0', 'no') THEN FALSE END`;
}

function convertJson(type: ColumnType, column: string): string {
  const scalar = `(${column} ->> '$')`;
  switch (type) {
    case 'list<string>':
    case 'list<integer>': {
      const element = type === 'list<string>' ? 'VARCHAR' : 'BIGINT';
      return `CASE WHEN json_type(${column}) = 'ARRAY' THEN from_json(${column}, '["${element}"]') ELSE ${convertText(type, scalar)} END`;
    }
    default:
      return convertText(type, scalar);
  }
}

function convertParquet(type: ColumnType, column: string): string {
  switch (type) {
    case 'list<string>':
      return `TRY_CAST(${column} AS VARCHAR[])`;
    case 'list<integer>':
      return `TRY_CAST(${column} AS BIGINT[])`;
    case 'boolean':
      return `TRY_CAST(${column} AS BOOLEAN)`;
    case 'datetime':
      return `TRY_CAST(${column} AS TIMESTAMP)`;
    default:
      return convertText(type, `CAST(${column} AS VARCHAR)`);
  }
}
