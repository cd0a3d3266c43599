import type { AggregateExpr, Expr } from './ast.js';
import { unreachable } from '../util/unreachable.js';

/**
 * The direct sub-expressions of an expression, in source order, in the same
 * scope: an aggregate's `where` is evaluated on the related row (SPEC §11),
 * so it is not a child here — see `aggregateFilters`.
 */
export function childExprs(expr: Expr): Expr[] {
  switch (expr.type) {
    case 'List':
      return expr.items;
    case 'Paren':
      return [expr.expr];
    case 'Not':
    case 'Negate':
      return [expr.operand];
    case 'Logical':
    case 'Arith':
    case 'Compare':
      return [expr.left, expr.right];
    case 'In':
      return [expr.subject, expr.list];
    case 'Between':
      return [expr.subject, expr.low, expr.high];
    case 'Contains':
    case 'Affix':
    case 'Temporal':
      return [expr.subject, expr.value];
    case 'Matches':
      return [expr.subject, expr.pattern];
    case 'Missing':
    case 'WithinLast':
      return [expr.subject];
    case 'Call':
      return [expr.arg];
    case 'Ago':
      return [expr.amount];
    case 'String':
    case 'Number':
    case 'Percent':
    case 'Boolean':
    case 'Date':
    case 'DateTime':
    case 'Name':
    case 'Today':
    case 'Now':
    case 'Error':
    case 'RelatedField':
    case 'Aggregate':
      return [];
    default:
      return unreachable(expr);
  }
}

/** Visits `expr` and every expression below it, parents first. */
export function walkExpr(expr: Expr, visit: (node: Expr) => void): void {
  visit(expr);
  for (const child of childExprs(expr)) walkExpr(child, visit);
}

/** The aggregates of an expression (not inside another aggregate's filter), in source order. */
export function aggregatesOf(expr: Expr): AggregateExpr[] {
  const found: AggregateExpr[] = [];
  walkExpr(expr, (node) => {
    if (node.type === 'Aggregate') found.push(node);
  });
  return found;
}

/**
 * Visits `expr` and everything below it including aggregate filters, telling
 * the visitor the related dataset whose row a node is evaluated on
 * (undefined: the segment's own dataset).
 */
export function walkScoped(
  expr: Expr,
  visit: (node: Expr, related: AggregateExpr | undefined) => void,
  related?: AggregateExpr,
): void {
  visit(expr, related);
  if (expr.type === 'Aggregate' && expr.filter) walkScoped(expr.filter, visit, expr);
  for (const child of childExprs(expr)) walkScoped(child, visit, related);
}

/** Strips any parentheses around an expression. */
export function unparen(expr: Expr): Expr {
  let current = expr;
  while (current.type === 'Paren') current = current.expr;
  return current;
}

/** The operands of a chain of the same logical operator (`a and (b and c)` → a, b, c). */
export function flattenLogical(expr: Expr, op: 'and' | 'or'): Expr[] {
  const node = unparen(expr);
  if (node.type === 'Logical' && node.op === op) {
    return [...flattenLogical(node.left, op), ...flattenLogical(node.right, op)];
  }
  return [node];
}
