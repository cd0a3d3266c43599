/**
 * Builds the compiler's context from a workspace model, so that callers (the
 * CLI's `segspec sql`, the SQL runners) can compile a segment by name.
 */
import { prop } from '../syntax/ast.js';
import type { WorkspaceModel } from '../semantics/model.js';
import { compileWhere } from './compile.js';
import { type CompiledSql, type SqlContext, SqlCompileError } from './context.js';
import type { Dialect } from './dialect.js';

export interface SegmentSqlOptions {
  dialect: Dialect;
  /** Used when the dataset has no `as of`; defaults to the current UTC date. */
  asOf?: string;
  /** Overrides the table name (default: the dataset's `table` property, else the dataset's name). */
  table?: string;
}

/** The dataset's table: its `table "schema.name"` property, else its name. */
export function datasetTable(model: WorkspaceModel, dataset: string): string {
  const symbol = model.datasets.get(dataset);
  const table = symbol ? prop(symbol.decl, 'table')?.value?.value : undefined;
  return table ?? dataset;
}

/** The reference date of a dataset: its `as of`, else the given one, else today (UTC). */
export function datasetAsOf(model: WorkspaceModel, dataset: string, fallback?: string): string {
  const symbol = model.datasets.get(dataset);
  const asOf = symbol ? prop(symbol.decl, 'asOf')?.value?.value : undefined;
  return asOf ?? fallback ?? new Date().toISOString().slice(0, 10);
}

export function sqlContextFor(model: WorkspaceModel, dataset: string, options: SegmentSqlOptions): SqlContext {
  const fields = model.fieldTypes.get(dataset);
  return {
    dialect: options.dialect,
    asOf: datasetAsOf(model, dataset, options.asOf),
    table: options.table ?? datasetTable(model, dataset),
    resolveName(name) {
      const resolution = model.names.get(name);
      if (resolution?.kind === 'segment') return 'segment';
      if (resolution?.kind === 'field') return 'field';
      // Names the model could not see (a partial field list): trust the declared types.
      return fields?.has(name.name) ? 'field' : model.segments.has(name.name) ? 'segment' : undefined;
    },
    fieldType: (name) => fields?.get(name)?.type,
    segmentWhere(name) {
      const segment = model.segments.get(name);
      if (segment && segment.dataset !== undefined && segment.dataset !== dataset) {
        throw new SqlCompileError(`segment '${name}' draws from dataset '${segment.dataset}', not '${dataset}'`);
      }
      return segment?.where;
    },
  };
}

/** Compiles a segment's `where` for its dataset. */
export function compileSegment(model: WorkspaceModel, segment: string, options: SegmentSqlOptions): CompiledSql {
  const symbol = model.segments.get(segment);
  if (!symbol) throw new SqlCompileError(`no segment named '${segment}'`);
  if (symbol.dataset === undefined) throw new SqlCompileError(`segment '${segment}' has no dataset`);
  if (model.cyclic.has(segment)) throw new SqlCompileError(`segment '${segment}' is part of a reference cycle`);
  if (!symbol.where) return { sql: 'FALSE', notes: [`segment '${segment}' is a draft (no \`where\`): it has no members.`] };
  return compileWhere(symbol.where, sqlContextFor(model, symbol.dataset, options));
}
