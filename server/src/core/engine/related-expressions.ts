/**
 * Related columns (SPEC §11) of expressions that are not (yet) in a segment —
 * the aggregates and lookups discovery proposes — computed through the
 * engine's own cache, so a later run that evaluates a printed rule reads the
 * same column instead of computing it again.
 */
import type { Column, Table } from '../data/table.js';
import type { AggregateExpr, NameExpr, RelatedFieldExpr } from '../syntax/ast.js';
import type { NameResolution, WorkspaceModel } from '../semantics/model.js';
import { addRelatedColumns, tableView, type RelatedCache } from './related.js';
import { relatedColumnName } from './related-key.js';

/**
 * Each expression's column over the rows of `dataset`'s table, or why it has
 * none (a one-to-one link that names a parent twice, a column not in the
 * data). `today`: the reference date of `dataset`.
 */
export function relatedColumnsOf(
  cache: RelatedCache,
  model: WorkspaceModel,
  tableOf: (dataset: string) => Table | undefined,
  dataset: string,
  today: number,
  exprs: ReadonlyArray<AggregateExpr | RelatedFieldExpr>,
): Array<Column | string> {
  const table = tableOf(dataset);
  if (!table) return exprs.map(() => `no data loaded for ${dataset}`);
  const view = tableView(table);
  // Names in an aggregate's filter are fields of the related table, as the workspace model resolves them
  // in a spec: the columns' names (their cache keys) are then the ones the engine gives the printed rule.
  const relatedTables = [...model.datasets.values()].filter((d) => d.link?.parent === dataset).map((d) => tableOf(d.name));
  const resolve = (t: Table | undefined) => (name: NameExpr): NameResolution => {
    if (t?.byName.has(name.name) || relatedTables.some((r) => r?.byName.has(name.name))) return { kind: 'field', dataset: '', name: name.name };
    if (model.segments.has(name.name)) return { kind: 'segment', name: name.name };
    return { kind: 'unknown' };
  };
  const context = { model, cache, tableOf, membersOf: () => undefined, resolve };
  return exprs.map((expr) => {
    const added = addRelatedColumns(context, dataset, view, today, [expr]);
    if ('problem' in added) return added.problem;
    return view.byName.get(relatedColumnName(expr, resolve(view))) ?? 'not computed';
  });
}
