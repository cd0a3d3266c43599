/**
 * Entry point of the syntax layer: `parse(text)` gives the typed AST of a
 * `.segspec` file with its comments and syntax errors. It never throws.
 */
import type { Comment, Range, SegspecFile, SyntaxError } from './ast.js';
import { AstBuilder } from './ast-builder.js';
import { describeLexerError, describeParserError } from './errors.js';
import { segspecParser } from './parser.js';
import { LineIndex } from './positions.js';
import { readMisspelledOperators } from './misspelled-operators.js';
import { segspecLexer, UnterminatedBlockComment } from './tokens.js';
import { cutDeepBrackets, limitExpressionDepth } from './depth.js';

export * from './ast.js';

export function parse(text: string): SegspecFile {
  const lines = new LineIndex(text);
  const fileRange: Range = lines.range(0, text.length);
  try {
    return parseWith(text, lines, fileRange);
  } catch (error) {
    // A bug in the parser must not take the editor down with it.
    const message =
      error instanceof RangeError
        ? 'this file nests parentheses or lists too deeply to be read'
        : `internal parser error: ${error instanceof Error ? error.message : String(error)}`;
    return {
      type: 'File',
      declarations: [],
      comments: [],
      errors: [{ message, range: lines.range(0, 0) }],
      range: fileRange,
    };
  }
}

function parseWith(text: string, lines: LineIndex, fileRange: Range): SegspecFile {
  const lexed = segspecLexer.tokenize(text);
  const errors: SyntaxError[] = [];
  for (const error of lexed.errors) {
    errors.push(describeLexerError(text, error, lines));
  }

  const comments: Comment[] = [];
  for (const token of lexed.groups.comments ?? []) {
    const range = lines.range(token.startOffset, token.startOffset + token.image.length);
    const block = token.image.startsWith('/*');
    comments.push({ text: token.image, block, range });
    if (token.tokenType === UnterminatedBlockComment) {
      errors.push({ message: 'unterminated comment: add the closing `*/`', range: lines.range(token.startOffset, token.startOffset + 2) });
    }
  }

  // The offset-only lexer leaves endOffset out; node locations need it.
  for (const token of lexed.tokens) token.endOffset = token.startOffset + token.image.length - 1;
  errors.push(...readMisspelledOperators(lexed.tokens, lines));
  const shallow = cutDeepBrackets(lexed.tokens, lines);
  errors.push(...shallow.errors);
  segspecParser.source = text;
  segspecParser.input = shallow.tokens;
  const cst = segspecParser.file();
  const builder = new AstBuilder(lines);
  const declarations = builder.declarations(cst);
  errors.push(...limitExpressionDepth(declarations));
  // Specific problems (an unterminated string) first: at the same place they
  // win over the parser's consequential "expected …".
  errors.push(...builder.errors);
  for (const error of segspecParser.errors) {
    errors.push(describeParserError(error, lexed.tokens, lines));
  }
  return { type: 'File', declarations, comments, errors: merge(errors, builder.minorErrors), range: fileRange };
}

/**
 * In source order, without repeats (recovery can report a spot twice);
 * a minor error yields to any other error at the same place.
 */
function merge(errors: SyntaxError[], minor: SyntaxError[]): SyntaxError[] {
  const places = new Set(errors.map((e) => e.range.start.offset));
  const all = [...errors, ...minor.filter((e) => !places.has(e.range.start.offset))];
  all.sort((a, b) => a.range.start.offset - b.range.start.offset);
  return all.filter(
    (error, i) =>
      i === 0 ||
      error.range.start.offset !== all[i - 1].range.start.offset ||
      error.message !== all[i - 1].message,
  );
}
