/**
 * Where a dataset's rows come from and how they are typed, for the SQL
 * runners. Free of driver imports, so the language server can load it
 * without DuckDB or PostgreSQL installed.
 */
import { realpathSync, statSync } from 'node:fs';
import { isInsideFolder, resolveDataPath } from '../core/data/path.js';
import { prop } from '../core/syntax/ast.js';
import type { WorkspaceModel } from '../core/semantics/model.js';
import type { ColumnType } from '../core/data/table.js';
import { missingTokensOf } from '../core/data/missing-tokens.js';

export interface FieldSpec {
  name: string;
  type: ColumnType;
}

/**
 * Absolute path of a dataset's `source`, relative to the file that declares it; undefined
 * when there is none or the embedded loader refuses it (outside the workspace, also through
 * a symbolic link, or not a regular file) — that loader reports why, and no engine reads it.
 */
export function datasetSourcePath(model: WorkspaceModel, dataset: string): string | undefined {
  const symbol = model.datasets.get(dataset);
  const source = symbol ? prop(symbol.decl, 'source')?.value?.value : undefined;
  if (!symbol || source === undefined) return undefined;
  const resolved = resolveDataPath(symbol.file, source, model.root);
  if (!resolved.ok) return undefined;
  try {
    if (!statSync(resolved.path).isFile()) return undefined;
    if (!isInsideFolder(realpathSync(resolved.path), realpathSync(model.root))) return undefined;
  } catch {
    return undefined;
  }
  return resolved.path;
}

/** The dataset's `missing [...]` texts. */
export function datasetMissing(model: WorkspaceModel, dataset: string): string[] {
  const symbol = model.datasets.get(dataset);
  return symbol ? missingTokensOf(symbol.decl) : [];
}

export function datasetFields(model: WorkspaceModel, dataset: string): FieldSpec[] {
  return [...(model.fieldTypes.get(dataset) ?? new Map())].map(([name, info]) => ({ name, type: info.type }));
}

