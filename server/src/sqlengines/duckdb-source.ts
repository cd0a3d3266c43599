/**
 * A dataset's source made queryable in DuckDB the cheapest way: a Parquet
 * file stays on disk behind a view (DuckDB reads only the columns and row
 * groups a query needs); text formats are loaded into a table, which keeps
 * the file's row order in `rowid`.
 */
import { formatOf, type DatasetSource, type DuckDbRunner } from './duckdb.js';
import { viewParquetDataset } from './duckdb-view.js';

export async function loadOrViewDataset(runner: DuckDbRunner, source: DatasetSource): Promise<{ rows: number; view: boolean }> {
  if ((source.format ?? formatOf(source.path)) === 'parquet') return { rows: await viewParquetDataset(runner, source), view: true };
  return { rows: await runner.loadDataset(source), view: false };
}
