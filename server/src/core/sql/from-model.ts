/**
 * Builds the compiler's context from a workspace model, so that callers (the
 * CLI's `segspec sql`, the SQL runners) can compile a segment by name.
 */
import { prop } from '../syntax/ast.js';
import type { WorkspaceModel } from '../semantics/model.js';
import { compileWhere } from './compile.js';
import { type CompiledSql, type SqlContext, SqlCompileError } from './context.js';
import type { Dialect } from './dialect.js';
import type { RelatedJoins, RelatedTable, RowsContext } from './related.js';

export interface SegmentSqlOptions {
  dialect: Dialect;
  /** Used when the dataset has no `as of`; defaults to the current UTC date. */
  asOf?: string;
  /** Overrides the table name (default: the dataset's `table` property, else the dataset's name). */
  table?: string;
  /**
   * The table of each other dataset (the related ones, SPEC §11); undefined
   * when it has none on the engine. Default: its `table` property, else its name.
   */
  tableOf?(dataset: string): string | undefined;
  /** Joins shared with other predicates of the same statement (see `SqlContext.joins`). */
  joins?: RelatedJoins;
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
  return {
    ...rowsContextFor(model, dataset, options.table ?? datasetTable(model, dataset)),
    dialect: options.dialect,
    asOf: datasetAsOf(model, dataset, options.asOf),
    related: (name) => relatedTableFor(model, dataset, name, options),
    ...(options.joins ? { joins: options.joins } : {}),
  };
}

/** A dataset that belongs to `parent`, with its table on the engine; undefined when it does not or has no table. */
function relatedTableFor(model: WorkspaceModel, parent: string, dataset: string, options: SegmentSqlOptions): RelatedTable | undefined {
  const link = model.datasets.get(dataset)?.link;
  const parentKey = keyOf(model, parent);
  if (!link || link.parent !== parent || parentKey === undefined) return undefined;
  const table = options.tableOf ? options.tableOf(dataset) : datasetTable(model, dataset);
  if (table === undefined) throw new SqlCompileError(`no data on the engine for '${dataset}'`);
  return { dataset, link: link.by, parentKey, oneToOne: link.oneToOne, rows: rowsContextFor(model, dataset, table) };
}

function keyOf(model: WorkspaceModel, dataset: string): string | undefined {
  const symbol = model.datasets.get(dataset);
  return symbol ? prop(symbol.decl, 'key')?.value?.name : undefined;
}

/** Names, fields and segments of one dataset's rows. */
function rowsContextFor(model: WorkspaceModel, dataset: string, table: string): RowsContext {
  const fields = model.fieldTypes.get(dataset);
  return {
    table,
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
