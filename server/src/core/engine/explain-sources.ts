/** What an explanation reads from the workspace: the rules of referenced segments and the decimals of number fields. */
import type { Column } from '../data/table.js';
import type { WorkspaceModel } from '../semantics/model.js';
import type { SegmentRule } from './explain.js';

/** Follows segments named in a rule to their own `where` (drafts and cyclic segments are not followed). */
export function segmentRules(model: WorkspaceModel): (name: string) => SegmentRule | undefined {
  return (name) => {
    const sym = model.segments.get(name);
    if (!sym?.where || model.cyclic.has(name)) return undefined;
    return { where: sym.where, source: model.files.get(sym.file)?.text, title: sym.decl.title?.value };
  };
}

const MAX_DECIMALS = 6;
const SAMPLE_ROWS = 20_000;

/** The most decimals a number column's values are written with (from a sample of up to 20,000 rows). */
export function columnDecimals(column: Column, rowCount: number): number | undefined {
  if (column.kind !== 'numeric') return undefined;
  if (column.type === 'integer') return 0;
  if (column.type !== 'number') return undefined;
  const step = Math.max(1, Math.floor(rowCount / SAMPLE_ROWS));
  let most = 0;
  for (let i = 0; i < rowCount && most < MAX_DECIMALS; i += step) {
    if (column.missing[i]) continue;
    const x = column.values[i];
    while (most < MAX_DECIMALS && Math.abs(x * 10 ** most - Math.round(x * 10 ** most)) > 1e-7 * Math.max(1, Math.abs(x * 10 ** most))) most++;
  }
  return most;
}
