/**
 * A misspelt operator right after an operand (`age betwen 18 and 29`,
 * `tags contians "a"`) is read as the operator it was meant to be, so the
 * rest of the rule parses, and reported once with the fix. A plain name can
 * never follow an operand, so this changes only which error is shown.
 */
import type { IToken, TokenType } from 'chevrotain';
import type { SyntaxError } from './ast.js';
import type { LineIndex } from './positions.js';
import { suggest } from '../util/suggest.js';
import * as t from './tokens.js';

const operators = new Map<string, TokenType>([
  ['and', t.And],
  ['between', t.Between],
  ['contains', t.Contains],
  ['starts', t.Starts],
  ['ends', t.Ends],
  ['matches', t.Matches],
  ['within', t.Within],
  ['before', t.Before],
  ['after', t.After],
]);

/** Tokens after which an operand starts. */
const startsOperand = new Set<TokenType>([t.Where, t.And, t.Or, t.Not, t.LParen, t.LBracket, t.Comma, t.Plus, t.Minus, t.Star, t.Slash]);

/** Whether the token at `i` ends an operand, so that an operator (not a name) comes next. */
function endsOperand(tokens: IToken[], i: number): boolean {
  const type = tokens[i].tokenType;
  if (type === t.Identifier || type === t.NumberLiteral || type === t.PercentLiteral) return true;
  if (type === t.RParen || type === t.RBracket || type === t.Size) return true;
  const categories = type.CATEGORIES ?? [];
  if (categories.includes(t.StringToken) || categories.includes(t.DateTimeToken)) return true;
  // A keyword used as a field name (`tags`, `kind`): only where an operand starts.
  const before = tokens[i - 1]?.tokenType;
  return categories.includes(t.Name) && before !== undefined && (startsOperand.has(before) || (before.CATEGORIES ?? []).includes(t.CompareOperator));
}

/** Retypes misspelt operators in place; returns one error for each. */
export function readMisspelledOperators(tokens: IToken[], lines: LineIndex): SyntaxError[] {
  const errors: SyntaxError[] = [];
  for (let i = 1; i < tokens.length; i++) {
    const token = tokens[i];
    if (token.tokenType !== t.Identifier || token.image.length < 3 || !endsOperand(tokens, i - 1)) continue;
    const next = tokens[i + 1]?.tokenType;
    // `name: value` in a record or `fields { }`, `name(…)` a call: a name after all.
    if (next === t.Colon || next === t.LParen) continue;
    const [word] = suggest(token.image, operators.keys(), 1);
    const type = word === undefined ? undefined : operators.get(word);
    if (!type) continue;
    token.tokenType = type;
    token.tokenTypeIdx = type.tokenTypeIdx!;
    errors.push({
      message: `unknown word \`${token.image}\` — did you mean \`${word}\`?`,
      range: lines.range(token.startOffset, token.startOffset + token.image.length),
      suggestions: [word!],
    });
  }
  return errors;
}
