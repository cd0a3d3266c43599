/**
 * Tokens of the Segspec language.
 *
 * Words the grammar needs are keyword tokens, but most of them also belong to
 * the `Name` category, so that wherever the grammar takes a name (a field, a
 * segment, a record key) a keyword such as `kind`, `size` or `source` works as
 * one. Only the expression operators (`and`, `or`, `not`, `in`, …) and the
 * value words (`true`, `false`, `today`, `now`) are truly reserved.
 */
import { createToken, Lexer, type TokenType } from 'chevrotain';

// ---------------------------------------------------------------- categories

/** Anything usable as a name: plain identifiers and non-reserved keywords. */
export const Name = createToken({ name: 'Name', pattern: Lexer.NA });
/** Words that start a property inside a declaration's braces. */
export const PropertyKeyword = createToken({ name: 'PropertyKeyword', pattern: Lexer.NA });
/** Words that start a declaration. */
export const DeclarationKeyword = createToken({ name: 'DeclarationKeyword', pattern: Lexer.NA });
export const Unit = createToken({ name: 'Unit', pattern: Lexer.NA });
export const CompareOperator = createToken({ name: 'CompareOperator', pattern: Lexer.NA });
export const StringToken = createToken({ name: 'StringToken', pattern: Lexer.NA });
export const DateTimeToken = createToken({ name: 'DateTimeToken', pattern: Lexer.NA });

export const Identifier = createToken({
  name: 'Identifier',
  pattern: /[A-Za-z_][A-Za-z0-9_]*/,
  categories: [Name],
});

// ---------------------------------------------------------------- trivia

export const WhiteSpace = createToken({
  name: 'WhiteSpace',
  pattern: /[ \t\r\n\f\v\u00a0\ufeff\u2028\u2029]+/,
  group: Lexer.SKIPPED,
  line_breaks: true,
});
export const LineComment = createToken({
  name: 'LineComment',
  pattern: /\/\/[^\n\r]*/,
  group: 'comments',
});
export const BlockComment = createToken({
  name: 'BlockComment',
  pattern: /\/\*[\s\S]*?\*\//,
  group: 'comments',
  line_breaks: true,
});
/** A `/*` never closed: taken to the end of the file and reported. */
export const UnterminatedBlockComment = createToken({
  name: 'UnterminatedBlockComment',
  pattern: /\/\*[\s\S]*/,
  group: 'comments',
  line_breaks: true,
});

// ---------------------------------------------------------------- literals

export const StringLiteral = createToken({
  name: 'StringLiteral',
  pattern: /"(?:[^"\\\n\r]|\\.)*"/,
  categories: [StringToken],
});
/** A string that reaches the end of its line: parsed as a string and reported. */
export const UnterminatedString = createToken({
  name: 'UnterminatedString',
  pattern: /"(?:[^"\\\n\r]|\\.)*\\?/,
  categories: [StringToken],
});
export const DateTimeLiteral = createToken({
  name: 'DateTimeLiteral',
  pattern: /\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|z|[+-]\d{2}(?::?\d{2})?)/,
  categories: [DateTimeToken],
});
/** `'text'`: read as a string and reported (strings use double quotes). */
export const SingleQuotedString = createToken({
  name: 'SingleQuotedString',
  pattern: /'(?:[^'\\\n\r]|\\.)*'/,
  categories: [StringToken],
});
/** A date-time without `Z` or an offset: parsed as UTC and reported. */
export const DateTimeNoZone = createToken({
  name: 'DateTimeNoZone',
  pattern: /\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?/,
  categories: [DateTimeToken],
});
export const DateLiteral = createToken({ name: 'DateLiteral', pattern: /\d{4}-\d{2}-\d{2}/ });
export const PercentLiteral = createToken({
  name: 'PercentLiteral',
  pattern: /\d[\d_]*(?:\.\d[\d_]*)?%/,
});
export const NumberLiteral = createToken({
  name: 'NumberLiteral',
  pattern: /\d[\d_]*(?:\.\d[\d_]*)?/,
});

// ---------------------------------------------------------------- punctuation

export const LCurly = createToken({ name: 'LCurly', pattern: '{', label: '`{`' });
export const RCurly = createToken({ name: 'RCurly', pattern: '}', label: '`}`' });
export const LBracket = createToken({ name: 'LBracket', pattern: '[', label: '`[`' });
export const RBracket = createToken({ name: 'RBracket', pattern: ']', label: '`]`' });
export const LParen = createToken({ name: 'LParen', pattern: '(', label: '`(`' });
export const RParen = createToken({ name: 'RParen', pattern: ')', label: '`)`' });
export const Comma = createToken({ name: 'Comma', pattern: ',', label: '`,`' });
export const Colon = createToken({ name: 'Colon', pattern: ':', label: '`:`' });
export const Question = createToken({ name: 'Question', pattern: '?', label: '`?`' });
export const EqEq = createToken({ name: 'EqEq', pattern: '==', categories: [CompareOperator] });
export const NotEq = createToken({ name: 'NotEq', pattern: '!=', categories: [CompareOperator] });
export const LtEq = createToken({ name: 'LtEq', pattern: '<=', categories: [CompareOperator] });
export const GtEq = createToken({ name: 'GtEq', pattern: '>=', categories: [CompareOperator] });
export const Lt = createToken({ name: 'Lt', pattern: '<', categories: [CompareOperator] });
export const Gt = createToken({ name: 'Gt', pattern: '>', categories: [CompareOperator] });
/** `=>` / `=<`, a common slip for `>=` / `<=`: read as meant, and reported. */
export const ReversedCompare = createToken({ name: 'ReversedCompare', pattern: /=>|=</, categories: [CompareOperator] });
/** A lone `=`: compares like `==`, and is reported. */
export const SingleEq = createToken({ name: 'SingleEq', pattern: '=', categories: [CompareOperator] });
export const Plus = createToken({ name: 'Plus', pattern: '+' });
export const Minus = createToken({ name: 'Minus', pattern: '-' });
export const Star = createToken({ name: 'Star', pattern: '*' });
export const Slash = createToken({ name: 'Slash', pattern: '/' });
/** `survey.nps`, `plays.genre` (SPEC §11). Numbers such as `3.25` are lexed before it. */
export const Dot = createToken({ name: 'Dot', pattern: '.', label: '`.`' });

// ---------------------------------------------------------------- keywords

const keywords: TokenType[] = [];

function keyword(word: string, categories: TokenType[] = [Name]): TokenType {
  const token = createToken({
    name: `Kw_${word}`,
    pattern: new RegExp(word),
    longer_alt: Identifier,
    categories,
    label: `\`${word}\``,
  });
  keywords.push(token);
  return token;
}

const declaration = [Name, DeclarationKeyword];
const property = [Name, PropertyKeyword];

export const Dataset = keyword('dataset', declaration);
export const Segment = keyword('segment', [Name, DeclarationKeyword, PropertyKeyword]);
export const Persona = keyword('persona', declaration);
export const Partition = keyword('partition', declaration);
export const Flag = keyword('flag', declaration);

export const Source = keyword('source', property);
export const Table = keyword('table', property);
export const UnitWord = keyword('unit', property);
export const Key = keyword('key', property);
export const As = keyword('as', property);
export const Of = keyword('of');
export const Description = keyword('description', property);
export const Fields = keyword('fields', property);
export const Kind = keyword('kind', property);
export const From = keyword('from', property);
export const Where = keyword('where', property);
export const Expect = keyword('expect', property);
export const Example = keyword('example', property);
export const Owner = keyword('owner', property);
export const Tags = keyword('tags', property);
export const Quote = keyword('quote', property);
export const Profile = keyword('profile', property);
export const Goals = keyword('goals', property);
export const Pains = keyword('pains', property);
export const Jobs = keyword('jobs', property);
export const Channels = keyword('channels', property);
export const Segments = keyword('segments', property);
export const Exclusive = keyword('exclusive', property);
export const Exhaustive = keyword('exhaustive', property);
export const Belongs = keyword('belongs', property);
export const To = keyword('to');
export const By = keyword('by');
export const Distinct = keyword('distinct');

export const Member = keyword('member');
export const Nonmember = keyword('nonmember');
export const Size = keyword('size');
export const Share = keyword('share');
export const Disjoint = keyword('disjoint');
export const Overlap = keyword('overlap');
export const Subset = keyword('subset');
export const Warn = keyword('warn');

export const With = keyword('with');
export const Last = keyword('last');
export const Missing = keyword('missing', property);
export const Ago = keyword('ago');

export const Days = keyword('days', [Name, Unit]);
export const Day = keyword('day', [Name, Unit]);
export const Weeks = keyword('weeks', [Name, Unit]);
export const Week = keyword('week', [Name, Unit]);
export const Months = keyword('months', [Name, Unit]);
export const Month = keyword('month', [Name, Unit]);
export const Years = keyword('years', [Name, Unit]);
export const Year = keyword('year', [Name, Unit]);

// Reserved words: never names.
export const And = keyword('and', []);
export const Or = keyword('or', []);
export const Not = keyword('not', []);
export const In = keyword('in', []);
export const Between = keyword('between', []);
export const Contains = keyword('contains', []);
export const Any = keyword('any', []);
export const All = keyword('all', []);
export const Starts = keyword('starts', []);
export const Ends = keyword('ends', []);
export const Matches = keyword('matches', []);
export const Is = keyword('is', []);
export const Within = keyword('within', []);
export const Before = keyword('before', []);
export const After = keyword('after', []);
export const True = keyword('true', []);
export const False = keyword('false', []);
export const Today = keyword('today', []);
export const Now = keyword('now', []);

/** Property keywords by declaration kind (for messages and did-you-mean). */
export const propertyWords = {
  dataset: ['source', 'table', 'key', 'as of', 'unit', 'missing', 'description', 'fields', 'belongs to'],
  segment: ['kind', 'description', 'from', 'where', 'expect', 'example', 'owner', 'tags'],
  persona: ['segment', 'quote', 'description', 'profile', 'goals', 'pains', 'jobs', 'channels'],
  partition: ['segments', 'exclusive', 'exhaustive', 'description'],
  flag: ['system', 'source', 'key', 'for', 'context', 'expect', 'description'],
} as const;

/** Flag properties that are plain words (not tokens of their own), so fields may still be called `system` or `context`. */
export const flagWords = ['system', 'for', 'context'] as const;
export type FlagWord = (typeof flagWords)[number];

export function isFlagWord(word: string): word is FlagWord {
  return (flagWords as readonly string[]).includes(word);
}

export const allTokens: TokenType[] = [
  WhiteSpace,
  LineComment,
  BlockComment,
  UnterminatedBlockComment,
  StringLiteral,
  UnterminatedString,
  SingleQuotedString,
  DateTimeLiteral,
  DateTimeNoZone,
  DateLiteral,
  PercentLiteral,
  NumberLiteral,
  LCurly,
  RCurly,
  LBracket,
  RBracket,
  LParen,
  RParen,
  Comma,
  Colon,
  Question,
  EqEq,
  NotEq,
  LtEq,
  GtEq,
  Lt,
  Gt,
  ReversedCompare,
  SingleEq,
  Plus,
  Minus,
  Star,
  Slash,
  Dot,
  // Longest first, so that `segments` is not read as `segment` + `s`.
  ...[...keywords].sort((a, b) => String(b.PATTERN).length - String(a.PATTERN).length),
  Identifier,
  Name,
  PropertyKeyword,
  DeclarationKeyword,
  Unit,
  CompareOperator,
  StringToken,
  DateTimeToken,
];

export const segspecLexer = new Lexer(allTokens, {
  positionTracking: 'onlyOffset',
  ensureOptimizations: false,
});
