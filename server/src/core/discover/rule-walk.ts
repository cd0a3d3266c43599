/**
 * What an expression reads, through the rules of the segments it names:
 * discovery leaves a target's own fields and related datasets out of the
 * candidate clauses, and a persona starts from the fields of its segment's rule.
 */
import type { AggregateExpr, Expr } from '../syntax/ast.js';
import { walkScoped } from '../syntax/walk.js';
import type { WorkspaceModel } from '../semantics/model.js';

/**
 * Visits every node of `expr`, aggregate filters included (`related`: the
 * aggregate whose rows a node is on), and once each the rules of the segments
 * it names.
 */
function walkThroughSegments(
  expr: Expr,
  model: WorkspaceModel,
  visit: (node: Expr, related: AggregateExpr | undefined) => void,
  seen: Set<string>,
): void {
  walkScoped(expr, (node, related) => {
    visit(node, related);
    if (node.type !== 'Name' || related) return;
    const segment = model.segments.get(node.name);
    if (segment?.where && !seen.has(segment.name)) {
      seen.add(segment.name);
      walkThroughSegments(segment.where, model, visit, seen);
    }
  });
}

/** The dataset's own fields the expression reads (not segment names, not fields of related rows). */
export function fieldsOf(expr: Expr, model: WorkspaceModel): Set<string> {
  const out = new Set<string>();
  walkThroughSegments(
    expr,
    model,
    (node, related) => {
      if (node.type === 'Name' && !related && !model.segments.has(node.name)) out.add(node.name);
    },
    new Set(),
  );
  return out;
}

/**
 * The related datasets an expression reads (aggregates and lookups). A target
 * such as `survey.nps <= 6` holds only for parents with a survey row, so every
 * clause over `survey` (`survey.answered_at within last 60 days`) would mostly
 * restate that.
 */
export function relatedUses(expr: Expr, model: WorkspaceModel): Set<string> {
  const out = new Set<string>();
  walkThroughSegments(
    expr,
    model,
    (node) => {
      if (node.type === 'Aggregate' || node.type === 'RelatedField') out.add(node.dataset.name);
    },
    new Set(),
  );
  return out;
}
