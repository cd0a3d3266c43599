/**
 * Limits on nesting, so that no spec can exhaust the stack of the parser or
 * of the many recursive passes over expressions (checks, evaluation, SQL,
 * explanations, formatting): too deep a spot is a located syntax error and
 * becomes an error placeholder, while the rest of the file is read as usual.
 */
import type { IToken } from 'chevrotain';
import type { Expr, SyntaxError } from './ast.js';
import type { LineIndex } from './positions.js';
import { hasCategory } from './parser.js';
import { DeclarationKeyword, LBracket, LParen, RBracket, RParen } from './tokens.js';

/** Parentheses and lists inside each other (the parser recurses several frames per level). */
export const MAX_BRACKET_DEPTH = 200;
/** Operators and parentheses inside each other, a chain `a and b and c …` counting one level per operator. */
export const MAX_EXPRESSION_DEPTH = 500;

const EXPRESSION_TYPES = new Set<string>([
  'Affix', 'Ago', 'Arith', 'Between', 'Boolean', 'Call', 'Compare', 'Contains', 'Date', 'DateTime', 'Error', 'In',
  'List', 'Logical', 'Matches', 'Missing', 'Name', 'Negate', 'Not', 'Number', 'Paren', 'Percent', 'String', 'Temporal',
  'Today', 'WithinLast',
]);

const isOpen = (t: IToken): boolean => t.tokenType === LParen || t.tokenType === LBracket;
const isClose = (t: IToken): boolean => t.tokenType === RParen || t.tokenType === RBracket;

/**
 * Drops what lies deeper than MAX_BRACKET_DEPTH brackets (up to the matching
 * close, or the next declaration keyword when there is none), with an error
 * at the first dropped bracket. The parser then sees an empty pair there.
 */
export function cutDeepBrackets(tokens: IToken[], lines: LineIndex): { tokens: IToken[]; errors: SyntaxError[] } {
  const errors: SyntaxError[] = [];
  let depth = 0;
  let skipping = 0;
  const kept: IToken[] = [];
  for (const token of tokens) {
    if (skipping > 0) {
      if (hasCategory(token, DeclarationKeyword)) skipping = 0;
      else {
        if (isOpen(token)) skipping++;
        else if (isClose(token)) skipping--;
        continue;
      }
    }
    if (isOpen(token)) {
      if (depth >= MAX_BRACKET_DEPTH) {
        errors.push({
          message: `parentheses and lists nested more than ${MAX_BRACKET_DEPTH} deep: split the rule into named segments`,
          range: lines.range(token.startOffset, token.startOffset + token.image.length),
        });
        skipping = 1;
        continue;
      }
      depth++;
    } else if (isClose(token)) depth = Math.max(0, depth - 1);
    kept.push(token);
  }
  return { tokens: errors.length > 0 ? kept : tokens, errors };
}

type Slot = { holder: Record<string, unknown> | unknown[]; key: string | number };

/**
 * Replaces every expression deeper than MAX_EXPRESSION_DEPTH with an error
 * placeholder covering it, and reports it. Walks with an explicit stack: this
 * pass must not be the one that overflows.
 */
export function limitExpressionDepth(root: unknown): SyntaxError[] {
  const errors: SyntaxError[] = [];
  const stack: Array<{ value: unknown; depth: number; slot?: Slot }> = [{ value: root, depth: 0 }];
  while (stack.length > 0) {
    const { value, depth, slot } = stack.pop()!;
    if (value === null || typeof value !== 'object') continue;
    if (Array.isArray(value)) {
      value.forEach((item, i) => stack.push({ value: item, depth, slot: { holder: value, key: i } }));
      continue;
    }
    const node = value as Record<string, unknown>;
    let level = depth;
    if (typeof node.type === 'string' && EXPRESSION_TYPES.has(node.type)) {
      level = depth + 1;
      if (level > MAX_EXPRESSION_DEPTH && slot) {
        const range = (node as unknown as Expr).range;
        errors.push({ message: `expression nested more than ${MAX_EXPRESSION_DEPTH} levels deep (operators and parentheses): split the rule into named segments`, range });
        (slot.holder as Record<string | number, unknown>)[slot.key] = { type: 'Error', range } satisfies Expr;
        continue;
      }
    }
    for (const [key, child] of Object.entries(node)) {
      if (key !== 'range' && child !== null && typeof child === 'object') stack.push({ value: child, depth: level, slot: { holder: node, key } });
    }
  }
  return errors;
}
