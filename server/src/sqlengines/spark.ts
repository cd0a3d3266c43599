/**
 * Runs compiled segments on Apache Spark through a Spark Thrift server
 * (HiveServer2 protocol, binary transport) with `hive-driver`. The session's
 * time zone is set to UTC, as the representation in core/sql/dialect.ts
 * wants. `loadRows` and `loadSample` create tables for tests and demos;
 * `counts` sizes many segments of one table in a single statement, which
 * matters on an engine where every statement is a distributed job.
 */
import type { RelatedJoin } from '../core/sql/related.js';
import hive from 'hive-driver';
import type IHiveSession from 'hive-driver/dist/contracts/IHiveSession.js';
import { dialectRules, quoteTableName } from '../core/sql/dialect.js';
import { PARENT_ALIAS, fromClause } from '../core/sql/related.js';
import { countQuery, selectQuery } from '../core/sql/queries.js';
import type { StoredKind } from '../core/sql/context.js';
import type { DatasetSource, FieldSpec } from './duckdb.js';
import type { Row } from './rows.js';
import { rowFromEngine } from './spark-cells.js';
import { createTableSql, insertSql, temporaryViewSql } from './spark-rows.js';
import type { SqlRunner } from './segments.js';

const rules = dialectRules('spark');
/** Rows per fetch round trip (the driver's default is 100). */
const FETCH_ROWS = 10_000;

export interface SparkEndpoint {
  host: string;
  port: number;
  /** Database to use after connecting (default: the server's, `default`). */
  database?: string;
  /** SASL PLAIN user; the Thrift server with `hive.server2.authentication=NONE` takes any. */
  username: string;
  password: string;
}

/** `hive://[user[:password]@]host:port[/database]`. */
export function parseSparkUrl(url: string): SparkEndpoint {
  const parsed = new URL(url);
  if (parsed.protocol !== 'hive:' && parsed.protocol !== 'spark:') {
    throw new Error(`expected a hive:// URL, got ${url}`);
  }
  const database = decodeURIComponent(parsed.pathname.replace(/^\/+/, ''));
  return {
    host: parsed.hostname,
    port: Number(parsed.port || 10000),
    ...(database ? { database } : {}),
    username: decodeURIComponent(parsed.username) || 'segspec',
    password: decodeURIComponent(parsed.password) || 'segspec',
  };
}

export interface LoadOptions {
  /**
   * A session-scoped temporary view with the rows inline instead of a table
   * stored in the warehouse: faster to create, gone when the runner closes.
   * The name must then be a single part.
   */
  temporary?: boolean;
}

export class SparkRunner implements SqlRunner {
  readonly dialect = 'spark' as const;

  private constructor(
    private readonly client: hive.HiveClient,
    private readonly session: IHiveSession,
    private readonly utils: hive.HiveUtils,
  ) {}

  /** `url` like `hive://127.0.0.1:10009` (see scripts/ci/spark-start.sh). */
  static async connect(url: string): Promise<SparkRunner> {
    const endpoint = parseSparkUrl(url);
    const { TCLIService, TCLIService_types } = hive.thrift;
    const client = new hive.HiveClient(TCLIService, TCLIService_types);
    let lastError: unknown;
    // Network errors after connecting are emitted, not thrown; they surface as failed statements.
    client.on('error', (error: unknown) => {
      lastError = error;
    });
    try {
      await client.connect(
        { host: endpoint.host, port: endpoint.port },
        new hive.connections.TcpConnection(),
        new hive.auth.PlainTcpAuthentication({ username: endpoint.username, password: endpoint.password }),
      );
    } catch (error) {
      throw new Error(`cannot connect to the Spark Thrift server at ${endpoint.host}:${endpoint.port}: ${message(error ?? lastError)}`);
    }
    const session = await client.openSession({
      client_protocol: TCLIService_types.TProtocolVersion.HIVE_CLI_SERVICE_PROTOCOL_V10,
    });
    const runner = new SparkRunner(client, session, new hive.HiveUtils(TCLIService_types));
    await runner.query('SET spark.sql.session.timeZone = UTC');
    if (endpoint.database) await runner.query(`USE ${rules.ident(endpoint.database)}`);
    return runner;
  }

  /** Runs one statement and returns its rows (none for DDL and DML). */
  async query(sql: string): Promise<Array<Record<string, unknown>>> {
    let operation;
    try {
      // Synchronous execution: the call returns when Spark has finished the job.
      operation = await this.session.executeStatement(sql, { runAsync: false });
    } catch (error) {
      throw new Error(`Spark: ${message(error)}\n  in: ${abbreviate(sql)}`);
    }
    try {
      // The operation object starts as "initialized": it fetches only after it has seen the finished state.
      const status = await operation.status(false);
      if (status.operationState !== hive.thrift.TCLIService_types.TOperationState.FINISHED_STATE) {
        throw new Error(`Spark: ${status.errorMessage ?? `operation state ${String(status.operationState)}`}\n  in: ${abbreviate(sql)}`);
      }
      operation.setMaxRows(FETCH_ROWS);
      await this.utils.fetchAll(operation);
      const rows = this.utils.getResult(operation).getValue() as Array<Record<string, unknown>> | null;
      return rows ?? [];
    } finally {
      await operation.close();
    }
  }

  /** How each column of `table` is stored, from DESCRIBE (partition and comment lines start with '#'). */
  async columnKinds(table: string): Promise<Map<string, StoredKind>> {
    const rows = await this.query(`DESCRIBE ${quoteTableName(rules, table)}`);
    const kinds = new Map<string, StoredKind>();
    for (const row of rows) {
      const name = String(row.col_name ?? '');
      if (!name || name.startsWith('#') || kinds.has(name)) continue;
      kinds.set(name, sparkStoredKind(String(row.data_type ?? '')));
    }
    return kinds;
  }

  async count(whereSql: string, table: string, joins?: readonly RelatedJoin[]): Promise<number> {
    const [row] = await this.query(countQuery(whereSql, { dialect: 'spark', table, joins }));
    return Number(row.members);
  }

  /**
   * Members of each predicate in one statement and one pass over the table:
   * each predicate becomes a `CASE WHEN … THEN 1 ELSE 0 END` flag (a row
   * counts exactly when `WHERE …` would keep it: not for false or unknown),
   * and the flags are summed.
   */
  async counts(wheres: string[], table: string, joins?: readonly RelatedJoin[]): Promise<number[]> {
    if (wheres.length === 0) return [];
    const flags = wheres.map((where, i) => `CASE WHEN ${where} THEN 1 ELSE 0 END AS f${i}`);
    const sums = wheres.map((_, i) => `CAST(COALESCE(SUM(f${i}), 0) AS BIGINT) AS c${i}`);
    const [row] = await this.query(
      `SELECT ${sums.join(', ')} FROM (SELECT ${flags.join(', ')} FROM ${fromClause(rules, table, joins)})`,
    );
    return wheres.map((_, i) => Number(row[`c${i}`]));
  }

  async memberKeys(whereSql: string, table: string, key: string, joins?: readonly RelatedJoin[]): Promise<string[]> {
    const rows = await this.query(
      selectQuery(whereSql, { dialect: 'spark', table, joins }, { columns: [key], orderBy: [key] }),
    );
    return rows.map((r) => String(r[key]));
  }

  /** Member keys of each predicate over one table, in one pass; each list sorted by key. */
  async memberKeysEach(wheres: string[], table: string, key: string): Promise<string[][]> {
    if (wheres.length === 0) return [];
    const column = rules.ident(key);
    const flags = wheres.map((where, i) => `CASE WHEN ${where} THEN 1 ELSE 0 END AS f${i}`);
    const rows = await this.query(
      `SELECT ${column} AS member_key, ${flags.join(', ')} FROM ${quoteTableName(rules, table)} ORDER BY member_key`,
    );
    return wheres.map((_, i) => rows.filter((row) => Number(row[`f${i}`]) === 1).map((row) => String(row.member_key)));
  }

  /**
   * Member keys of several predicates (each over its own table; the key
   * columns must share a type) in one statement; each list sorted by key.
   */
  async memberKeysMany(targets: Array<{ where: string; table: string; joins?: readonly RelatedJoin[] }>, key: string): Promise<string[][]> {
    if (targets.length === 0) return [];
    const column = (joins?: readonly RelatedJoin[]): string =>
      joins?.length ? `${rules.ident(PARENT_ALIAS)}.${rules.ident(key)}` : rules.ident(key);
    const parts = targets.map(
      (t, i) =>
        `SELECT ${i} AS segment_index, ${column(t.joins)} AS member_key FROM ${fromClause(rules, t.table, t.joins)} WHERE ${t.where}`,
    );
    const rows = await this.query(
      `SELECT segment_index, member_key FROM (${parts.join(' UNION ALL ')}) ORDER BY segment_index, member_key`,
    );
    const result = targets.map((): string[] => []);
    for (const row of rows) result[Number(row.segment_index)].push(String(row.member_key));
    return result;
  }

  /**
   * Creates `table` (replacing it; a `db.table` name creates the database
   * when missing) from in-memory rows: a Parquet table in the warehouse, or
   * with `temporary` a session view.
   */
  async loadRows(table: string, fields: FieldSpec[], rows: Row[], options: LoadOptions = {}): Promise<void> {
    if (options.temporary) {
      if (table.includes('.')) throw new Error(`a temporary view has a one-part name, not '${table}'`);
      await this.query(temporaryViewSql(table, fields, rows));
      return;
    }
    const parts = table.split('.');
    if (parts.length > 1) {
      await this.query(`CREATE DATABASE IF NOT EXISTS ${quoteTableName(rules, parts.slice(0, -1).join('.'))}`);
    }
    await this.query(`DROP TABLE IF EXISTS ${quoteTableName(rules, table)}`);
    await this.query(createTableSql(table, fields));
    for (const statement of insertSql(table, fields, rows)) await this.query(statement);
  }

  /**
   * Loads a sample data file (CSV, TSV, JSON, JSON Lines, Parquet) into
   * `table`: the file is read with DuckDB's readers, converted exactly as the
   * DuckDB runner converts it, and inserted here. Returns the row count.
   */
  async loadSample(table: string, source: Omit<DatasetSource, 'table'>, options: LoadOptions = {}): Promise<number> {
    // DuckDB is loaded only here, so that this engine runs without it installed.
    const { DuckDbRunner } = await import('./duckdb.js');
    const duck = await DuckDbRunner.open();
    let rows: Row[];
    try {
      await duck.loadDataset({ ...source, table: 'sample' });
      rows = (await duck.query(`SELECT * FROM "sample"`)).map((r) => rowFromEngine(r, source.fields));
    } finally {
      duck.close();
    }
    await this.loadRows(table, source.fields, rows, options);
    return rows.length;
  }

  async close(): Promise<void> {
    try {
      await this.session.close();
    } finally {
      this.client.close();
    }
  }
}

function message(error: unknown): string {
  if (error instanceof Error) return error.message;
  if (error && typeof error === 'object' && 'message' in error) return String(error.message);
  return String(error);
}

function abbreviate(sql: string): string {
  return sql.length > 300 ? `${sql.slice(0, 300)}… (${sql.length} characters)` : sql;
}

export function sparkStoredKind(dataType: string): StoredKind {
  const type = dataType.toLowerCase();
  if (type === 'boolean') return 'boolean';
  if (/^(tinyint|smallint|int|integer|bigint|float|real|double|decimal(\(.*\))?|numeric(\(.*\))?)$/.test(type)) return 'number';
  if (/^(string|varchar\(\d+\)|char\(\d+\))$/.test(type)) return 'text';
  return 'other';
}
