/**
 * The name under which a lookup (`survey.nps`) or an aggregate
 * (`count(plays where …)`) is a column of the parent table: its canonical
 * text, so that the same function, field and filter is one column however
 * often and however it is written (SPEC §11).
 */
import type { AggregateExpr, NameExpr, RelatedFieldExpr } from '../syntax/ast.js';
import type { NameResolution } from '../semantics/model.js';
import { exprKey } from './normalize.js';

/** Column names of related values start with a character no field name can hold. */
export const relatedColumnPrefix = '@';

export function relatedColumnName(
  expr: AggregateExpr | RelatedFieldExpr,
  resolve: (name: NameExpr) => NameResolution,
): string {
  return relatedColumnPrefix + exprKey(expr, resolve);
}
