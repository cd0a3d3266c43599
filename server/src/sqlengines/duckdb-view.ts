/**
 * A Parquet dataset on DuckDB as a view over `read_parquet` instead of a
 * table: nothing is copied, so a file of any size is queried where it lies,
 * and DuckDB reads only the columns and row groups a query needs.
 *
 * The view has the columns `DuckDbRunner.loadDataset` would create, with
 * the same values: a column already stored with the field's type passes
 * through (strings still read '' as missing); any other is converted as
 * loadDataset converts Parquet columns; a field without a column is NULL.
 */
import type { ColumnType } from '../core/data/table.js';
import { dialectRules } from '../core/sql/dialect.js';
import { type DatasetSource, type DuckDbRunner, convertText, formatOf, withoutMissingTokens } from './duckdb.js';
import { sqlColumnType } from './rows.js';

const rules = dialectRules('duckdb');

/** Creates (or replaces) the view `source.table` over a Parquet file; returns its row count. */
export async function viewParquetDataset(runner: DuckDbRunner, source: DatasetSource): Promise<number> {
  const format = source.format ?? formatOf(source.path);
  if (format !== 'parquet') throw new Error(`a view needs a Parquet file; load ${format} files with loadDataset`);
  const from = `read_parquet(${rules.string(source.path)})`;
  const stored = new Map(
    (await runner.query(`DESCRIBE SELECT * FROM ${from}`)).map((r) => [String(r.column_name), String(r.column_type)]),
  );
  const columns = source.fields.map((f) => {
    const type = stored.get(f.name);
    const value = type === undefined ? `CAST(NULL AS ${sqlColumnType('duckdb', f.type)})` : fromParquet(f.type, rules.ident(f.name), type, source.missing ?? []);
    return `${value} AS ${rules.ident(f.name)}`;
  });
  const select = columns.length ? columns.join(', ') : '*';
  await runner.run(`CREATE OR REPLACE VIEW ${rules.ident(source.table)} AS SELECT ${select} FROM ${from}`);
  // The footer holds the row count: no scan.
  const [row] = await runner.query(`SELECT COUNT(*) AS n FROM ${from}`);
  return Number(row.n);
}

function fromParquet(type: ColumnType, column: string, storedType: string, missing: readonly string[]): string {
  const wanted = sqlColumnType('duckdb', type);
  const text = (value: string) => `NULLIF(${value}, '')`;
  // Text is read as a CSV cell is (the embedded reader's rules); typed columns pass through.
  if (storedType === 'VARCHAR') return convertText(type, withoutMissingTokens(column, missing));
  if (storedType === wanted) return column;
  switch (type) {
    case 'string':
    case 'enum':
    case 'semver':
      return text(`CAST(${column} AS VARCHAR)`);
    case 'integer':
    case 'number':
    case 'date':
      return `TRY_CAST(NULLIF(trim(CAST(${column} AS VARCHAR)), '') AS ${wanted})`;
    case 'boolean':
    case 'datetime':
    case 'list<string>':
    case 'list<integer>':
      return `TRY_CAST(${column} AS ${wanted})`;
  }
}
