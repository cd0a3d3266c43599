/**
 * Where a dataset's rows come from and how they are typed, for the SQL
 * runners. Free of driver imports, so the language server can load it
 * without DuckDB or PostgreSQL installed.
 */
import { dirname, resolve } from 'node:path';
import { prop } from '../core/syntax/ast.js';
import type { WorkspaceModel } from '../core/semantics/model.js';
import type { ColumnType } from '../core/data/table.js';

export interface FieldSpec {
  name: string;
  type: ColumnType;
}

/** Absolute path of a dataset's `source`, relative to the file that declares it. */
export function datasetSourcePath(model: WorkspaceModel, dataset: string): string | undefined {
  const symbol = model.datasets.get(dataset);
  const source = symbol ? prop(symbol.decl, 'source')?.value?.value : undefined;
  return symbol && source !== undefined ? resolve(dirname(symbol.file), source) : undefined;
}

export function datasetFields(model: WorkspaceModel, dataset: string): FieldSpec[] {
  return [...(model.fieldTypes.get(dataset) ?? new Map())].map(([name, info]) => ({ name, type: info.type }));
}

