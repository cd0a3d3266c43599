/**
 * The rows discovery searches on when the embedded reader cannot read a
 * dataset (a Parquet source): at most `limit` rows drawn by DuckDB (all of
 * them, in file order, when there are no more), with the values DuckDB's
 * view of the dataset gives every check (sqlengines/duckdb-view.ts), read
 * into the embedded engine's columns through its JSON Lines reader. The
 * winners are then counted on every row by SQL (core/discover/recount.ts).
 * Both the CLI and the editor's discovery worker draw their rows here; a
 * failure is a DiscoverSampleError with a message for the user.
 */
import { loadTableFromBytes } from '../core/data/load.js';
import type { Table } from '../core/data/table.js';
import type { WorkspaceModel } from '../core/semantics/model.js';
import { prop } from '../core/syntax/ast.js';
import { datasetFields, datasetMissing, datasetSourcePath } from './dataset-source.js';

/** DuckDB's optional npm package. */
const DUCKDB_PACKAGE = '@duckdb/node-api';

/** Why the rows could not be drawn, for the user. */
export class DiscoverSampleError extends Error {}

/** Fixed, so that the same file gives the same sample and the same rules on every run. */
const SAMPLE_SEED = 5_651_563;

export function isParquetSource(model: WorkspaceModel, dataset: string): boolean {
  const sym = model.datasets.get(dataset);
  return /\.parquet$/i.test((sym && prop(sym.decl, 'source')?.value?.value) ?? '');
}

export interface DrawnSample {
  table: Table;
  /** Rows of the whole dataset. */
  rows: number;
}

export async function sampleWithDuckDb(model: WorkspaceModel, dataset: string, limit: number): Promise<DrawnSample> {
  const path = datasetSourcePath(model, dataset);
  if (!path) throw new DiscoverSampleError(`dataset ${dataset} has no source file inside the workspace to read`);
  let runner: import('./duckdb.js').DuckDbRunner;
  let view: typeof import('./duckdb-view.js');
  try {
    const { DuckDbRunner } = await import('./duckdb.js');
    view = await import('./duckdb-view.js');
    runner = await DuckDbRunner.open();
  } catch (e) {
    throw new DiscoverSampleError(`reading ${dataset}'s Parquet file needs the optional package '${DUCKDB_PACKAGE}' (npm install ${DUCKDB_PACKAGE}): ${e instanceof Error ? e.message.split('\n')[0] : String(e)}`);
  }
  try {
    const fields = datasetFields(model, dataset);
    const rows = await view.viewParquetDataset(runner, { table: 'discover_source', path, fields, missing: datasetMissing(model, dataset) });
    const from = rows > limit ? `(SELECT * FROM discover_source USING SAMPLE reservoir(${limit} ROWS) REPEATABLE (${SAMPLE_SEED}))` : 'discover_source';
    const lines = await runner.query(`SELECT CAST(to_json(s) AS VARCHAR) AS j FROM ${from} AS s`);
    const text = lines.map((l) => String(l.j)).join('\n');
    const specs = fields.map((f) => ({ name: f.name, type: f.type, optional: true }));
    const loaded = loadTableFromBytes(new TextEncoder().encode(text), 'jsonl', specs);
    if (!loaded.table) throw new DiscoverSampleError(`the rows DuckDB read from ${dataset}'s Parquet file could not be read back: ${loaded.findings[0]?.message ?? 'no table'}`);
    return { table: loaded.table, rows };
  } catch (e) {
    if (e instanceof DiscoverSampleError) throw e;
    throw new DiscoverSampleError(`duckdb could not read dataset '${dataset}': ${e instanceof Error ? e.message.split('\n')[0] : String(e)}`);
  } finally {
    runner.close();
  }
}
