/**
 * Runs a whole workspace model's segments on DuckDB (each dataset's source
 * file loaded with DuckDB's readers, typed by the model's field types:
 * declared, plus inferred from the data when the model has them) or on
 * PostgreSQL (tables named by the datasets' `table` property, or loaded from
 * the samples).
 */
import { prop } from '../core/syntax/ast.js';
import type { WorkspaceModel } from '../core/semantics/model.js';
import { datasetTable } from '../core/sql/from-model.js';
import { DuckDbRunner, type FieldSpec } from './duckdb.js';
import { datasetFields, datasetMissing, datasetSourcePath } from './dataset-source.js';

export { datasetFields, datasetMissing, datasetSourcePath };
import { PostgresRunner } from './postgres.js';
import { type SegmentOutcome, runSegments } from './segments.js';

/** Loads a dataset of the model into a DuckDB table named after the dataset; returns the row count. */
export async function loadModelDataset(runner: DuckDbRunner, model: WorkspaceModel, dataset: string): Promise<number> {
  const path = datasetSourcePath(model, dataset);
  if (!path) throw new Error(`dataset '${dataset}' has no source`);
  return runner.loadDataset({ table: dataset, path, fields: datasetFields(model, dataset), missing: datasetMissing(model, dataset) });
}

export interface WorkspaceRunOptions {
  /** Reference date for datasets without `as of`. */
  asOf?: string;
  /** Also return member keys (the dataset's `key` field). */
  keys?: boolean;
}

/** Every segment with a dataset that has a source, evaluated on an in-process DuckDB. */
export async function runWorkspaceOnDuckDb(
  model: WorkspaceModel,
  options: WorkspaceRunOptions = {},
): Promise<Map<string, SegmentOutcome[]>> {
  const runner = await DuckDbRunner.open();
  const results = new Map<string, SegmentOutcome[]>();
  try {
    // Every table first: a segment may read related datasets (SPEC §11).
    const loaded = new Set<string>();
    for (const name of model.datasets.keys()) {
      if (!datasetSourcePath(model, name)) continue;
      await loadModelDataset(runner, model, name);
      loaded.add(name);
    }
    const tableOf = (dataset: string): string | undefined => (loaded.has(dataset) ? dataset : undefined);
    for (const [name, symbol] of model.datasets) {
      if (!loaded.has(name)) continue;
      const key = options.keys ? prop(symbol.decl, 'key')?.value?.name : undefined;
      results.set(name, await runSegments(runner, model, { dataset: name, table: name, asOf: options.asOf, key, tableOf }));
    }
  } finally {
    runner.close();
  }
  return results;
}

export interface PostgresRunOptions extends WorkspaceRunOptions {
  /**
   * Load each dataset's sample file into its table first (replacing it).
   * Without it the tables must exist: the dataset's `table "schema.name"`, else its name.
   */
  loadSamples?: boolean;
  /** Prefix table names with this schema when loading samples (default: none). */
  schema?: string;
}

/** What the server runners share: loading a sample file into a table, and closing. */
export interface ServerRunner {
  loadSample(table: string, source: { path: string; fields: FieldSpec[]; missing?: readonly string[] }): Promise<number>;
  close(): Promise<void>;
}

/** What a server engine does with one dataset's table once it is there. */
export type DatasetRun<R> = (
  runner: R,
  dataset: string,
  table: string,
  options: { asOf?: string; key?: string; tableOf: (dataset: string) => string | undefined },
) => Promise<SegmentOutcome[]>;

/**
 * Every dataset of the model on a database server: its table (loaded from the
 * sample first with `loadSamples`), then `runDataset` on it. Closes the runner.
 */
export async function runWorkspaceOnServer<R extends ServerRunner>(
  runner: R,
  model: WorkspaceModel,
  options: PostgresRunOptions,
  runDataset: DatasetRun<R>,
): Promise<Map<string, SegmentOutcome[]>> {
  const results = new Map<string, SegmentOutcome[]>();
  try {
    // Every table first: a segment may read related datasets (SPEC §11).
    const tables = new Map<string, string>();
    for (const name of model.datasets.keys()) {
      let table = datasetTable(model, name);
      if (options.loadSamples) {
        const path = datasetSourcePath(model, name);
        if (!path) continue;
        if (options.schema) table = `${options.schema}.${table.split('.').pop() as string}`;
        await runner.loadSample(table, { path, fields: datasetFields(model, name), missing: datasetMissing(model, name) });
      }
      tables.set(name, table);
    }
    const tableOf = (dataset: string): string | undefined => tables.get(dataset);
    for (const [name, symbol] of model.datasets) {
      const table = tables.get(name);
      if (table === undefined) continue;
      const key = options.keys ? prop(symbol.decl, 'key')?.value?.name : undefined;
      results.set(name, await runDataset(runner, name, table, { asOf: options.asOf, key, tableOf }));
    }
  } finally {
    await runner.close();
  }
  return results;
}

/** Every segment evaluated on PostgreSQL at `url`. */
export async function runWorkspaceOnPostgres(
  model: WorkspaceModel,
  url: string,
  options: PostgresRunOptions = {},
): Promise<Map<string, SegmentOutcome[]>> {
  return runWorkspaceOnServer(await PostgresRunner.connect(url), model, options, (runner, dataset, table, opts) =>
    runSegments(runner, model, { dataset, table, ...opts }),
  );
}
