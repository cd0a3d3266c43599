/**
 * Syntax errors in words a product manager understands: what was expected,
 * where, and a did-you-mean when a word looks like a misspelt keyword.
 */
import type { ILexingError, IRecognitionException, IToken } from 'chevrotain';
import type { SyntaxError } from './ast.js';
import type { LineIndex } from './positions.js';

export function describeLexerError(text: string, error: ILexingError, lines: LineIndex): SyntaxError {
  const bad = text.slice(error.offset, error.offset + error.length);
  const shown = bad.length > 20 ? `${bad.slice(0, 20)}…` : bad;
  const message = bad.length === 1 ? `unexpected character \`${shown}\`` : `unexpected characters \`${shown}\``;
  return { message, range: lines.range(error.offset, error.offset + error.length) };
}

export function describeParserError(error: IRecognitionException, tokens: IToken[], lines: LineIndex): SyntaxError {
  const token = error.token;
  const at = Number.isNaN(token.startOffset)
    ? lines.range(lines.length, lines.length)
    : lines.range(token.startOffset, token.startOffset + token.image.length);
  void tokens;
  return { message: `${error.name}: ${error.message} [${error.context.ruleStack.join('>')}]`, range: at };
}
