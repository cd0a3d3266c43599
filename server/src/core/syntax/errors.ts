/**
 * Syntax errors in words a product manager understands: what was expected,
 * where, and never a token class name.
 *
 * The parser's message provider only records what chevrotain knows at the
 * failure (as JSON); `describeParserError` turns that into a sentence, with
 * the token vector at hand to name the enclosing declaration.
 */
import type {
  IParserErrorMessageProvider,
  ILexingError,
  IRecognitionException,
  IToken,
  TokenType,
} from 'chevrotain';
import type { Range, SyntaxError } from './ast.js';
import type { LineIndex } from './positions.js';
import { suggest as closestWords } from '../util/suggest.js';
import * as t from './tokens.js';

const declarationWords = ['dataset', 'segment', 'persona', 'partition', 'flag'];
const unitWords = ['day', 'days', 'week', 'weeks', 'month', 'months', 'year', 'years'];

/** A word close to one of `words`, for a did-you-mean on the token found. */
function closeTo(token: IToken, words: string[]): string | undefined {
  if (isEof(token) || !/^[A-Za-z_]\w*$/.test(token.image)) return undefined;
  return closestWords(token.image, words, 1)[0];
}

/** The error with a did-you-mean for the token found, when it is close to what was expected. */
function withGuess(error: SyntaxError, token: IToken, words: string[]): SyntaxError {
  const guess = closeTo(token, words);
  if (!guess) return error;
  return { message: `${error.message} — did you mean \`${guess}\`?`, range: error.range, suggestions: [guess] };
}

const expectWords = ['size', 'share', 'disjoint', 'overlap', 'subset', 'mean', 'median', 'min', 'max'];

interface Recorded {
  kind: 'mismatch' | 'noViableAlt' | 'earlyExit' | 'notAllInput';
  expected?: string;
  rule: string;
}

export const errorRecorder: IParserErrorMessageProvider = {
  buildMismatchTokenMessage: ({ expected, ruleName }) =>
    JSON.stringify({ kind: 'mismatch', expected: expected.name, rule: ruleName } satisfies Recorded),
  buildNotAllInputParsedMessage: ({ ruleName }) =>
    JSON.stringify({ kind: 'notAllInput', rule: ruleName } satisfies Recorded),
  buildNoViableAltMessage: ({ ruleName }) => JSON.stringify({ kind: 'noViableAlt', rule: ruleName } satisfies Recorded),
  buildEarlyExitMessage: ({ ruleName }) => JSON.stringify({ kind: 'earlyExit', rule: ruleName } satisfies Recorded),
};

export function describeLexerError(text: string, error: ILexingError, lines: LineIndex): SyntaxError {
  const bad = text.slice(error.offset, error.offset + error.length);
  const shown = bad.length > 20 ? `${bad.slice(0, 20)}…` : bad;
  let message = bad.length === 1 ? `unexpected character \`${shown}\`` : `unexpected characters \`${shown}\``;
  if (bad.startsWith('!')) message += ' (use `!=` for "not equal", or `not`)';
  else if (bad.startsWith('&')) message += ' (use `and`)';
  else if (bad.startsWith('|')) message += ' (use `or`)';
  else if (bad.startsWith("'")) message += ' (strings use double quotes: "…")';
  return { message, range: lines.range(error.offset, error.offset + error.length) };
}

const tokenWords: Record<string, string> = {
  LCurly: '`{`',
  RCurly: '`}`',
  LBracket: '`[`',
  RBracket: '`]`',
  LParen: '`(`',
  RParen: '`)`',
  Comma: '`,`',
  Colon: '`:`',
  Name: 'a name',
  Identifier: 'a name',
  StringToken: 'a text in quotes',
  NumberLiteral: 'a number',
  PercentLiteral: 'a percentage',
  DateLiteral: 'a date',
  Unit: 'a unit (days, weeks, months or years)',
  CompareOperator: 'a comparison (`==`, `!=`, `<`, `<=`, `>`, `>=`)',
  Gt: '`>`',
  Lt: '`<`',
  EOF: 'the end of the file',
};

function describeExpected(name: string | undefined): string {
  if (!name) return 'something else';
  if (tokenWords[name]) return tokenWords[name];
  if (name.startsWith('Kw_')) return `\`${name.slice(3)}\``;
  return name;
}

function shown(token: IToken): string {
  if (token.tokenType.name === 'EOF') return 'the end of the file';
  const image = token.image.length > 30 ? `${token.image.slice(0, 30)}…` : token.image;
  return `\`${image}\``;
}

function isEof(token: IToken): boolean {
  return token.tokenType.name === 'EOF' || Number.isNaN(token.startOffset);
}

function hasCategory(token: IToken, category: TokenType): boolean {
  return token.tokenType.CATEGORIES?.includes(category) ?? false;
}

/** Index of the last token that starts before `offset`. */
function tokenBefore(tokens: IToken[], offset: number): number {
  let low = 0;
  let high = tokens.length - 1;
  let found = -1;
  while (low <= high) {
    const mid = (low + high) >> 1;
    if (tokens[mid].startOffset < offset) {
      found = mid;
      low = mid + 1;
    } else high = mid - 1;
  }
  return found;
}

const declarationRules: Record<string, { word: string; token: TokenType }> = {
  datasetDecl: { word: 'dataset', token: t.Dataset },
  segmentDecl: { word: 'segment', token: t.Segment },
  personaDecl: { word: 'persona', token: t.Persona },
  partitionDecl: { word: 'partition', token: t.Partition },
  flagDecl: { word: 'flag', token: t.Flag },
};

/** `segment \`young\`` for the declaration that encloses token `index`. */
function enclosingDeclaration(tokens: IToken[], index: number, rule: string): string {
  const declaration = declarationRules[rule];
  if (!declaration) return 'the declaration';
  for (let i = index; i >= 0; i--) {
    const token = tokens[i];
    if (token.tokenType !== declaration.token) continue;
    const name = tokens[i + 1];
    const after = tokens[i + 2];
    if (!name || !hasCategory(name, t.Name)) continue;
    if (after && (after.tokenType === t.LCurly || hasCategory(after, t.StringToken))) {
      return `${declaration.word} \`${name.image}\``;
    }
  }
  return `the ${declaration.word}`;
}

/** Whether the `and` at `index` is the one of `between low and high`. */
function closesBetween(tokens: IToken[], index: number): boolean {
  for (let i = index - 1; i >= 0; i--) {
    const type = tokens[i].tokenType;
    if (type === t.Between) return true;
    if (type === t.And || type === t.Or || type === t.Where || hasCategory(tokens[i], t.PropertyKeyword)) return false;
  }
  return false;
}

const expressionRules = new Set(['expr', 'predicate', 'arith', 'operand']);

function afterWhat(previous: IToken | undefined): string {
  if (!previous) return '';
  if (previous.tokenType === t.Where || previous.tokenType === t.And || previous.tokenType === t.Or || previous.tokenType === t.Not) {
    return ` after ${shown(previous)}`;
  }
  return ` after ${shown(previous)}`;
}

export function describeParserError(error: IRecognitionException, tokens: IToken[], lines: LineIndex): SyntaxError {
  let recorded: Recorded;
  try {
    recorded = JSON.parse(error.message) as Recorded;
  } catch {
    recorded = { kind: 'noViableAlt', rule: error.context.ruleStack[error.context.ruleStack.length - 1] ?? '' };
  }
  const token = error.token;
  const eof = isEof(token);
  const index = eof ? tokens.length : tokenBefore(tokens, token.startOffset + 1);
  const previousIndex = eof ? tokens.length - 1 : index - 1;
  const previous = previousIndex >= 0 ? tokens[previousIndex] : undefined;
  const at: Range = eof
    ? lines.range(lines.length, lines.length)
    : lines.range(token.startOffset, token.startOffset + token.image.length);
  const atPrevious: Range = previous
    ? lines.range(previous.startOffset, previous.startOffset + previous.image.length)
    : at;
  // Where a forgotten closing brace belongs: right after the last thing written.
  const endOfPrevious: Range = previous
    ? lines.range(previous.startOffset + previous.image.length, previous.startOffset + previous.image.length)
    : at;
  const rule = recorded.rule;
  const found = eof ? '' : `, found ${shown(token)}`;
  // Something missing at the end of a line is reported there, not on the
  // next line where the parser noticed it.
  const missingAt = eof || (previous && lines.position(token.startOffset).line > atPrevious.end.line) ? atPrevious : at;

  if (recorded.kind === 'notAllInput' || (recorded.kind === 'mismatch' && recorded.expected === 'EOF')) {
    if (token.tokenType === t.RCurly) return { message: 'unexpected `}`: there is no `{` to close here', range: at };
    return withGuess({ message: `expected \`dataset\`, \`segment\`, \`persona\`, \`partition\` or \`flag\`${found}`, range: at }, token, declarationWords);
  }

  if (recorded.kind === 'mismatch') {
    const expected = recorded.expected;
    if (expected === 'RCurly' && declarationRules[rule]) {
      const what = enclosingDeclaration(tokens, previousIndex, rule);
      if (eof || hasCategory(token, t.DeclarationKeyword)) {
        return { message: `expected \`}\` to close ${what}`, range: endOfPrevious };
      }
      return { message: `unexpected ${shown(token)} in ${what}: expected a property or \`}\``, range: at };
    }
    if (expected === 'RCurly' && rule === 'record') {
      return { message: `expected \`}\` to close the record${found}`, range: missingAt };
    }
    if (expected === 'RCurly' && rule === 'fieldsProp') {
      return { message: `expected \`}\` to close \`fields\`${found}`, range: missingAt };
    }
    if (expected === 'RParen') return { message: `expected \`)\` to close \`(\`${found}`, range: missingAt };
    if (expected === 'RBracket') {
      return { message: `expected \`]\` to close the list${found}`, range: missingAt };
    }
    if (expected === 'LCurly' && declarationRules[rule]) {
      const word = declarationRules[rule].word;
      return { message: `expected \`{\` to open the ${word}'s properties${found}`, range: missingAt };
    }
    if (expected === 'Name' && rule === 'fieldDecl' && previous?.tokenType === t.Colon) {
      return { message: 'expected a type after `:` (string, integer, number, boolean, date, datetime, semver, enum, list<string>)', range: missingAt };
    }
    if (expected === 'Colon') {
      const what = rule === 'fieldDecl' ? 'the field name and its type' : 'the name and its value';
      return { message: `expected \`:\` between ${what}${found}`, range: missingAt };
    }
    if (expected === 'Kw_ago') {
      return {
        message: `expected \`ago\` after ${shown(previous ?? token)} (e.g. \`90 days ago\`, or use \`within last 90 days\`)`,
        range: at,
      };
    }
    if (expected === 'NumberLiteral' && rule === 'predicate') {
      return { message: `expected a number after \`within last\`, e.g. \`within last 30 days\`${found}`, range: missingAt };
    }
    if (expected === 'Unit') {
      const error = { message: `expected a unit after ${shown(previous ?? token)}: days, weeks, months or years`, range: missingAt };
      return closeTo(token, unitWords) ? withGuess({ ...error, range: at }, token, unitWords) : error;
    }
    if (expected === 'Kw_and' && rule === 'bound') {
      return { message: `expected \`and\` between the two bounds of \`between\`${found}`, range: missingAt };
    }
    if (expected === 'Kw_and') {
      return { message: `expected \`and\` after the lower bound of \`between\`${found}`, range: missingAt };
    }
    if (expected === 'StringToken' && rule === 'predicate') {
      return { message: `\`matches\` takes a regular expression in quotes, e.g. \`matches "^[a-z]+$"\`${found}`, range: missingAt };
    }
    if (expected === 'LBracket' && rule === 'list') {
      return { message: `expected a list in \`[ ]\`${afterWhat(previous)}${found}`, range: missingAt };
    }
    const error = { message: `expected ${describeExpected(expected)}${afterWhat(previous)}${found}`, range: missingAt };
    const word = expected?.startsWith('Kw_') ? expected.slice(3) : undefined;
    return word && closeTo(token, [word]) ? withGuess({ ...error, range: at }, token, [word]) : error;
  }

  // noViableAlt / earlyExit: several things could have come here.
  if (expressionRules.has(rule)) {
    const connective =
      previous !== undefined &&
      (previous.tokenType === t.Where ||
        previous.tokenType === t.Or ||
        previous.tokenType === t.Not ||
        (previous.tokenType === t.And && !closesBetween(tokens, previousIndex)));
    if (previous && connective) {
      return { message: `expected a condition after ${shown(previous)}${found}`, range: missingAt };
    }
    if (previous?.tokenType === t.And) {
      return { message: `expected the upper bound after \`between … and\`${found}`, range: missingAt };
    }
    if (rule === 'predicate' && closesBetween(tokens, previousIndex + 1)) {
      return { message: `expected \`and\` after the lower bound of \`between\`${found}`, range: missingAt };
    }
    if (!eof && token.tokenType === t.SingleEq) return { message: 'use `==` to compare', range: at };
    return { message: `expected a value${afterWhat(previous)}${found}`, range: missingAt };
  }
  if (declarationRules[rule]) {
    const what = enclosingDeclaration(tokens, previousIndex, rule);
    if (eof) return { message: `expected \`}\` to close ${what}`, range: endOfPrevious };
    return { message: `unexpected ${shown(token)} in ${what}: expected a property or \`}\``, range: at };
  }
  if (rule === 'expectProp') {
    const suggestions = hasCategory(token, t.Name) ? closestWords(token.image, expectWords) : [];
    if (suggestions.length > 0) {
      return {
        message: `unknown expectation \`${token.image}\` — did you mean \`${suggestions[0]}\`?`,
        range: at,
        suggestions,
      };
    }
    return {
      message: `expected what to expect after \`expect\`: \`size\`, \`share(…)\`, \`disjoint\`, \`overlap(…)\`, \`subset of\` or an aggregate such as \`mean(field)\`${found}`,
      range: missingAt,
    };
  }
  if (rule === 'bound' && closesBetween(tokens, previousIndex + 1)) {
    return { message: `expected \`and\` between the two bounds of \`between\`${found}`, range: missingAt };
  }
  if (rule === 'bound') {
    return {
      message: `expected a bound${afterWhat(previous)}, e.g. \`>= 5%\` or \`between 8% and 20%\`${found}`,
      range: missingAt,
    };
  }
  if (rule === 'quantity') {
    return { message: `expected a number or a percentage${afterWhat(previous)}${found}`, range: missingAt };
  }
  if (rule === 'exampleProp') {
    return { message: `expected \`member\` or \`nonmember\` after \`example\`${found}`, range: missingAt };
  }
  if (rule === 'asOfProp') {
    return { message: `expected a date after \`as of\`, e.g. \`as of 2026-06-30\`${found}`, range: missingAt };
  }
  return { message: `unexpected ${shown(token)}`, range: at };
}
