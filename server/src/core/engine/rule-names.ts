/**
 * A rule that names something the model could not resolve (already reported
 * as SEG004) is not evaluated: counting it would only repeat that error as
 * "never holds" and "no members" noise, on every engine alike.
 */
import type { Expr } from '../syntax/ast.js';
import { walkExpr } from '../syntax/walk.js';
import type { WorkspaceModel } from '../semantics/model.js';

/** Why a rule cannot be evaluated, or undefined when every name in it resolves. */
export function unresolvedRuleReason(where: Expr, model: WorkspaceModel): string | undefined {
  let unknown: string | undefined;
  walkExpr(where, (node) => {
    if (unknown === undefined && node.type === 'Name' && model.names.get(node)?.kind === 'unknown') unknown = node.name;
  });
  return unknown === undefined ? undefined : `its rule names \`${unknown}\`, which is neither a field nor a segment`;
}
