/**
 * Runs compiled segments on DuckDB, in process. A dataset's source file is
 * loaded with DuckDB's own readers (CSV, TSV, JSON, JSON Lines, Parquet) into
 * a table typed by the dataset's fields, using the representation described
 * in core/sql/dialect.ts: empty cells are NULL, booleans accept
 * true/false/1/0/yes/no, date-times are UTC, CSV lists `a;b;c` become arrays.
 */
import type { RelatedJoin } from '../core/sql/related.js';
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
  /** The dataset's `missing [...]` texts: a cell (a JSON string) holding exactly one is NULL. */
  missing?: readonly string[];
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
        ? convert(f.type, ident(f.name), format, source.missing ?? [])
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
  async count(whereSql: string, table: string, joins?: readonly RelatedJoin[]): Promise<number> {
    const [row] = await this.query(countQuery(whereSql, { dialect: 'duckdb', table, joins }));
    return Number(row.members);
  }

  /** Key values of the members, sorted by key. */
  async memberKeys(whereSql: string, table: string, key: string, joins?: readonly RelatedJoin[]): Promise<string[]> {
    const rows = await this.query(
      selectQuery(whereSql, { dialect: 'duckdb', table, joins }, { columns: [key], orderBy: [key] }),
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
function convert(type: ColumnType, column: string, format: SourceFormat, missing: readonly string[]): string {
  if (format === 'json' || format === 'jsonl') return convertJson(type, column, missing);
  if (format === 'parquet') return convertParquet(type, column, missing);
  return convertText(type, withoutMissingTokens(column, missing));
}

/** Text that is exactly one of the dataset's `missing` tokens becomes NULL (compared as written, untrimmed). */
export function withoutMissingTokens(text: string, missing: readonly string[]): string {
  if (missing.length === 0) return text;
  return `CASE WHEN ${text} IN (${[...new Set(missing)].map(lit).join(', ')}) THEN NULL ELSE ${text} END`;
}

/*
 * Text cells are read exactly as the embedded reader reads them
 * (core/data/bytes.ts): a cell that does not fit the field's type is a
 * missing value there (reported as SEG121), so it is NULL here too — DuckDB's
 * own casts accept more (`1,000`? no; ` 7 `, `2026-6-2`, `v1.2`: yes).
 */
const INTEGER_TEXT = '^[+-]?[0-9]+$';
const NUMBER_TEXT = '^[+-]?([0-9]+[.]?[0-9]*|[.][0-9]+)([eE][+-]?[0-9]+)?$';
const DATE_TEXT = '^[0-9]{4}-[0-9]{2}-[0-9]{2}$';
const DATETIME_TEXT = '^[0-9]{4}-[0-9]{2}-[0-9]{2}([Tt ][0-9]{2}:[0-9]{2}(:[0-9]{2}([.,][0-9]+)?)?([Zz]|[+-][0-9]{2}(:?[0-9]{2})?)?)?$';
/** semver.org: no `v`, no leading zeros, three parts (the embedded reader's `isSemver`). */
const SEMVER_TEXT = '^(0|[1-9][0-9]*)[.](0|[1-9][0-9]*)[.](0|[1-9][0-9]*)(-[0-9A-Za-z.-]*[0-9A-Za-z-])?([+][0-9A-Za-z.-]*[0-9A-Za-z-])?$';
const MAX_SAFE_INTEGER = '9007199254740991';

function matches(text: string, pattern: string): string {
  return `regexp_full_match(${text}, ${lit(pattern)})`;
}

/** Spaces and tabs around a value do not count (strings keep theirs). */
function trimmedText(column: string): string {
  return `NULLIF(trim(${column}, ${lit(' \t')}), '')`;
}

function integerFromText(t: string): string {
  return `CASE WHEN ${matches(t, INTEGER_TEXT)} AND abs(TRY_CAST(${t} AS HUGEINT)) <= ${MAX_SAFE_INTEGER} THEN CAST(${t} AS BIGINT) END`;
}

/** From text (CSV/TSV cells, JSON strings, text columns of Parquet): the empty string is a missing value. */
export function convertText(type: ColumnType, column: string): string {
  const t = trimmedText(column);
  switch (type) {
    case 'string':
      return `NULLIF(${column}, '')`;
    case 'enum':
      return t;
    case 'semver':
      return `CASE WHEN ${matches(t, SEMVER_TEXT)} THEN ${t} END`;
    case 'integer':
      return integerFromText(t);
    case 'number':
      return `CASE WHEN ${matches(t, NUMBER_TEXT)} AND isfinite(TRY_CAST(${t} AS DOUBLE)) THEN TRY_CAST(${t} AS DOUBLE) END`;
    case 'boolean':
      return booleanFromText(t);
    case 'date':
      return `CASE WHEN ${matches(t, DATE_TEXT)} THEN TRY_CAST(${t} AS DATE) END`;
    case 'datetime': {
      // `t`/`z` in any case, `,` before the fraction and `+HHMM` offsets, in the spelling DuckDB parses.
      const normal = `regexp_replace(replace(upper(${t}), ',', '.'), '([+-][0-9]{2})([0-9]{2})$', '\\1:\\2')`;
      return `CASE WHEN ${matches(t, DATETIME_TEXT)} THEN CAST(TRY_CAST(${normal} AS TIMESTAMPTZ) AS TIMESTAMP) END`;
    }
    case 'list<string>':
      return `CASE WHEN ${t} = '[]' THEN []::VARCHAR[] ELSE ${listItems(t)} END`;
    case 'list<integer>': {
      // One item that is not an integer makes the whole cell a bad value.
      const items = listItems(t);
      return `CASE WHEN ${t} = '[]' THEN []::BIGINT[] WHEN len(list_filter(${items}, x -> NOT ${matches('x', INTEGER_TEXT)})) = 0 THEN list_transform(${items}, x -> TRY_CAST(x AS BIGINT)) END`;
    }
  }
}

/** `a; b;;c` → ['a', 'b', 'c']: split on `;`, items trimmed, empty ones dropped. */
function listItems(t: string): string {
  return `list_filter(list_transform(string_split(${t}, ';'), x -> trim(x, ${lit(' \t')})), x -> x <> '')`;
}

function booleanFromText(text: string): string {
  return `CASE WHEN lower(${text}) IN ('true', '1', 'yes') THEN TRUE WHEN lower(${text}) IN ('false', '0', 'no') THEN FALSE END`;
}

/**
 * From a JSON value: strings are read as text cells; other JSON values as
 * the embedded reader's `addValue` takes them (a number for a number, a whole
 * one for an integer, true/false/0/1 for a boolean, an array for a list,
 * numbers and booleans as their text for strings).
 */
function convertJson(type: ColumnType, column: string, missing: readonly string[]): string {
  const kind = `json_type(${column})`;
  const asText = `(${column} ->> '$')`;
  const stringText = withoutMissingTokens(asText, missing);
  const isNumber = `${kind} IN ('BIGINT', 'UBIGINT', 'DOUBLE')`;
  const number = `TRY_CAST(${asText} AS DOUBLE)`;
  const text = (other: string): string => `CASE WHEN ${kind} = 'VARCHAR' THEN ${convertText(type, stringText)} ${other} END`;
  switch (type) {
    case 'integer':
      return text(`WHEN ${isNumber} AND ${number} = floor(${number}) AND abs(${number}) <= ${MAX_SAFE_INTEGER} THEN CAST(${number} AS BIGINT)`);
    case 'number':
      return text(`WHEN ${isNumber} THEN ${number}`);
    case 'boolean':
      return text(`WHEN ${kind} = 'BOOLEAN' THEN CAST(${asText} AS BOOLEAN) WHEN ${isNumber} AND ${number} IN (0, 1) THEN ${number} = 1`);
    case 'string':
    case 'enum':
      // JavaScript's String(1.0) is "1".
      return text(
        `WHEN ${kind} = 'BOOLEAN' THEN ${asText} WHEN ${kind} = 'DOUBLE' AND ${number} = floor(${number}) AND abs(${number}) < 1e21 THEN CAST(CAST(${number} AS HUGEINT) AS VARCHAR) WHEN ${isNumber} THEN ${asText}`,
      );
    case 'list<string>':
    case 'list<integer>': {
      // Items as JSON; null items are skipped; one item of the wrong kind makes the whole cell bad.
      const items = `list_filter(from_json(${column}, '["JSON"]'), x -> x IS NOT NULL AND json_type(x) <> 'NULL')`;
      const itemNumber = `TRY_CAST(x ->> '$' AS DOUBLE)`;
      if (type === 'list<integer>') {
        const fits = `json_type(x) IN ('BIGINT', 'UBIGINT', 'DOUBLE') AND ${itemNumber} = floor(${itemNumber}) AND abs(${itemNumber}) <= ${MAX_SAFE_INTEGER}`;
        return text(`WHEN ${kind} = 'ARRAY' AND len(list_filter(${items}, x -> NOT (${fits}))) = 0 THEN list_transform(${items}, x -> CAST(${itemNumber} AS BIGINT))`);
      }
      const itemText = `CASE WHEN json_type(x) = 'DOUBLE' AND ${itemNumber} = floor(${itemNumber}) AND abs(${itemNumber}) < 1e21 THEN CAST(CAST(${itemNumber} AS HUGEINT) AS VARCHAR) ELSE x ->> '$' END`;
      const scalar = `json_type(x) IN ('VARCHAR', 'BIGINT', 'UBIGINT', 'DOUBLE', 'BOOLEAN')`;
      return text(`WHEN ${kind} = 'ARRAY' AND len(list_filter(${items}, x -> NOT (${scalar}))) = 0 THEN list_transform(${items}, x -> ${itemText})`);
    }
    default:
      return text('');
  }
}

function convertParquet(type: ColumnType, column: string, missing: readonly string[]): string {
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
      return convertText(type, withoutMissingTokens(`CAST(${column} AS VARCHAR)`, missing));
  }
}
