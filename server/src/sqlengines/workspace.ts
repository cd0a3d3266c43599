/**
 * Runs a whole workspace model's segments on DuckDB: each dataset's source
 * file is loaded with DuckDB's readers, typed by the model's field types
 * (declared, plus inferred from the data when the model has them).
 */
import { dirname, resolve } from 'node:path';
import { prop } from '../core/syntax/ast.js';
import type { WorkspaceModel } from '../core/semantics/model.js';
import { DuckDbRunner, type FieldSpec } from './duckdb.js';
import { type SegmentOutcome, runSegments } from './segments.js';

/** Absolute path of a dataset's `source`, relative to the file that declares it. */
export function datasetSourcePath(model: WorkspaceModel, dataset: string): string | undefined {
  const symbol = model.datasets.get(dataset);
  const source = symbol ? prop(symbol.decl, 'source')?.value?.value : undefined;
  return symbol && source !== undefined ? resolve(dirname(symbol.file), source) : undefined;
}

export function datasetFields(model: WorkspaceModel, dataset: string): FieldSpec[] {
  return [...(model.fieldTypes.get(dataset) ?? new Map())].map(([name, info]) => ({ name, type: info.type }));
}

/** Loads a dataset of the model into a DuckDB table named after the dataset; returns the row count. */
export async function loadModelDataset(runner: DuckDbRunner, model: WorkspaceModel, dataset: string): Promise<number> {
  const path = datasetSourcePath(model, dataset);
  if (!path) throw new Error(`dataset '${dataset}' has no source`);
  return runner.loadDataset({ table: dataset, path, fields: datasetFields(model, dataset) });
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
    for (const [name, symbol] of model.datasets) {
      if (!datasetSourcePath(model, name)) continue;
      await loadModelDataset(runner, model, name);
      const key = options.keys ? prop(symbol.decl, 'key')?.value?.name : undefined;
      results.set(name, await runSegments(runner, model, { dataset: name, table: name, asOf: options.asOf, key }));
    }
  } finally {
    runner.close();
  }
  return results;
}
