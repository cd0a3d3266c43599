/**
 * Runs compiled segments on PostgreSQL through `pg`. The dataset's rows live
 * in the table named by its `table "schema.name"` property; `loadRows` and
 * `loadSample` create such a table for tests and demos.
 */
import type { RelatedJoin } from '../core/sql/related.js';
import pg from 'pg';
import { dialectRules, quoteTableName, splitTableName } from '../core/sql/dialect.js';
import { countQuery, selectQuery } from '../core/sql/queries.js';
import type { DatasetSource, FieldSpec } from './duckdb.js';
import { type Row, type RowValue, createTableSql, insertSql } from './rows.js';
import type { StoredKind } from '../core/sql/context.js';
import type { SqlRunner } from './segments.js';

const rules = dialectRules('postgres');

export class PostgresRunner implements SqlRunner {
  readonly dialect = 'postgres' as const;

  private constructor(private readonly client: pg.Client) {}

  /** `url` like `postgres://user@127.0.0.1:54329/db`. */
  static async connect(url: string): Promise<PostgresRunner> {
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    await client.query(`SET TimeZone = 'UTC'`);
    return new PostgresRunner(client);
  }

  async query(sql: string): Promise<Array<Record<string, unknown>>> {
    const result = await this.client.query(sql);
    return result.rows as Array<Record<string, unknown>>;
  }

  async count(whereSql: string, table: string, joins?: readonly RelatedJoin[]): Promise<number> {
    const [row] = await this.query(countQuery(whereSql, { dialect: 'postgres', table, joins }));
    return Number(row.members);
  }

  async columnKinds(table: string): Promise<Map<string, StoredKind>> {
    const parts = splitTableName(table);
    const name = parts[parts.length - 1];
    const schema = parts.length > 1 ? parts[parts.length - 2] : undefined;
    const result = await this.client.query(
      `SELECT column_name, data_type FROM information_schema.columns
        WHERE table_name = $1 AND table_schema = COALESCE($2, current_schema())`,
      [name, schema ?? null],
    );
    const kinds = new Map<string, StoredKind>();
    for (const row of result.rows as Array<{ column_name: string; data_type: string }>) kinds.set(row.column_name, storedKind(row.data_type));
    return kinds;
  }

  async memberKeys(whereSql: string, table: string, key: string, joins?: readonly RelatedJoin[]): Promise<string[]> {
    const rows = await this.query(
      selectQuery(whereSql, { dialect: 'postgres', table, joins }, { columns: [key], orderBy: [key] }),
    );
    return rows.map((r) => String(r[key]));
  }

  /** Creates `table` (replacing it; its schema is created when missing) from in-memory rows. */
  async loadRows(table: string, fields: FieldSpec[], rows: Row[]): Promise<void> {
    const parts = splitTableName(table);
    if (parts.length > 1) {
      const schema = parts.slice(0, -1).map((p) => rules.ident(p)).join('.');
      await this.query(`CREATE SCHEMA IF NOT EXISTS ${schema}`);
    }
    await this.query(`DROP TABLE IF EXISTS ${quoteTableName(rules, table)}`);
    await this.query(createTableSql('postgres', table, fields));
    for (const statement of insertSql('postgres', table, fields, rows)) await this.query(statement);
  }

  /**
   * Loads a sample data file (CSV, TSV, JSON, JSON Lines, Parquet) into
   * `table`: the file is read with DuckDB's readers, converted exactly as the
   * DuckDB runner converts it, and inserted here. Returns the row count.
   */
  async loadSample(table: string, source: Omit<DatasetSource, 'table'>): Promise<number> {
    // DuckDB is loaded only here, so that this engine runs without it installed.
    const { DuckDbRunner } = await import('./duckdb.js');
    const duck = await DuckDbRunner.open();
    try {
      await duck.loadDataset({ ...source, table: 'sample' });
      const raw = await duck.query(`SELECT * FROM "sample"`);
      const rows = raw.map((r) => toRow(r, source.fields));
      await this.loadRows(table, source.fields, rows);
      return rows.length;
    } finally {
      duck.close();
    }
  }

  async close(): Promise<void> {
    await this.client.end();
  }
}

function storedKind(dataType: string): StoredKind {
  if (dataType === 'boolean') return 'boolean';
  if (/^(smallint|integer|bigint|numeric|real|double precision)$/.test(dataType)) return 'number';
  if (/^(text|character varying|character)$/.test(dataType)) return 'text';
  return 'other';
}

function toRow(raw: Record<string, unknown>, fields: FieldSpec[]): Row {
  const row: Row = {};
  for (const field of fields) row[field.name] = toCell(raw[field.name], field.type === 'date');
  return row;
}

function toCell(value: unknown, isDate: boolean): RowValue {
  if (value === null || value === undefined) return null;
  if (typeof value === 'bigint') return Number(value);
  if (value instanceof Date) return isDate ? value.toISOString().slice(0, 10) : value.toISOString();
  if (Array.isArray(value)) {
    return value.every((v) => typeof v === 'string')
      ? (value as string[])
      : value.map((v) => Number(v as number | bigint));
  }
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') return value;
  return String(value);
}
