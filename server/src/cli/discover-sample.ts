/**
 * The rows discovery searches on when the embedded reader cannot read a
 * dataset (a Parquet source): at most `limit` rows drawn by DuckDB (all of
 * them, in file order, when there are no more), with the values DuckDB's
 * view of the dataset gives every check (sqlengines/duckdb-view.ts), read
 * into the embedded engine's columns through its JSON Lines reader. The
 * winners are then counted on every row by SQL (discover-recount.ts).
 */
import { loadTableFromBytes } from '../core/data/load.js';
import type { Table } from '../core/data/table.js';
import type { WorkspaceModel } from '../core/semantics/model.js';
import { prop } from '../core/syntax/ast.js';
import { datasetFields, datasetMissing, datasetSourcePath } from '../sqlengines/dataset-source.js';
import { ENGINE_DRIVERS } from './engines.js';
import { CliError } from './errors.js';

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
  if (!path) throw new CliError(`dataset ${dataset} has no source file inside the workspace to read`);
  let runner: import('../sqlengines/duckdb.js').DuckDbRunner;
  let view: typeof import('../sqlengines/duckdb-view.js');
  try {
    const { DuckDbRunner } = await import('../sqlengines/duckdb.js');
    view = await import('../sqlengines/duckdb-view.js');
    runner = await DuckDbRunner.open();
  } catch (e) {
    const driver = ENGINE_DRIVERS.duckdb;
    throw new CliError(`reading ${dataset}'s Parquet file needs the optional package '${driver}' (npm install ${driver}): ${e instanceof Error ? e.message.split('\n')[0] : String(e)}`);
  }
  try {
    const fields = datasetFields(model, dataset);
    const rows = await view.viewParquetDataset(runner, { table: 'discover_source', path, fields, missing: datasetMissing(model, dataset) });
    const from = rows > limit ? `(SELECT * FROM discover_source USING SAMPLE reservoir(${limit} ROWS) REPEATABLE (${SAMPLE_SEED}))` : 'discover_source';
    const lines = await runner.query(`SELECT CAST(to_json(s) AS VARCHAR) AS j FROM ${from} AS s`);
    const text = lines.map((l) => String(l.j)).join('\n');
    const specs = fields.map((f) => ({ name: f.name, type: f.type, optional: true }));
    const loaded = loadTableFromBytes(new TextEncoder().encode(text), 'jsonl', specs);
    if (!loaded.table) throw new CliError(`the rows DuckDB read from ${dataset}'s Parquet file could not be read back: ${loaded.findings[0]?.message ?? 'no table'}`);
    return { table: loaded.table, rows };
  } catch (e) {
    if (e instanceof CliError) throw e;
    throw new CliError(`duckdb could not read dataset '${dataset}': ${e instanceof Error ? e.message.split('\n')[0] : String(e)}`);
  } finally {
    runner.close();
  }
}
