/**
 * Grammar-aware and byte-level mutations of spec text (.segspec and
 * Markdown). A mutation is a small pipeline of operations chosen by a seeded
 * generator; the names of the operations applied are returned so a failure
 * says what was done to the text.
 */
import { Rng } from './random.js';

const TOKEN = /\s+|\/\/[^\n]*|"(?:[^"\\\n]|\\.)*"?|\d{4}-\d{2}-\d{2}(?:T[\d:.]+Z?)?|\d+(?:\.\d+)?%?|[A-Za-z_][A-Za-z0-9_]*|==|!=|<=|>=|[^\s]/gu;

export const KEYWORDS = [
  'dataset', 'segment', 'persona', 'partition', 'source', 'table', 'key', 'as', 'of', 'description', 'fields', 'kind',
  'from', 'where', 'expect', 'example', 'owner', 'tags', 'quote', 'profile', 'goals', 'pains', 'jobs', 'channels',
  'segments', 'exclusive', 'exhaustive', 'member', 'nonmember', 'size', 'share', 'disjoint', 'overlap', 'subset', 'warn',
  'with', 'last', 'missing', 'ago', 'days', 'day', 'weeks', 'months', 'years', 'and', 'or', 'not', 'in', 'between',
  'contains', 'any', 'all', 'starts', 'ends', 'matches', 'is', 'within', 'before', 'after', 'today', 'now', 'lower',
  'upper', 'len', 'p90', 'median', 'mean', 'min', 'max', 'count', 'sum', 'exists', 'distinct', 'integer', 'number',
  'string', 'boolean', 'date', 'datetime', 'semver', 'enum', 'list', 'demographic', 'behavioral',
];

const PUNCTUATION = ['{', '}', '(', ')', '[', ']', ',', ':', '?', '==', '!=', '<', '<=', '>', '>=', '=', '+', '-', '*', '/', '.', '"', '%', '@', '`'];

/** Characters that break naive readers and terminals. */
const NASTY = ['\u0000', '\u001b', '\u001b[31m', '\r', '\r\n', '\t', '\u0007', '\u00a0', '\u200b', '\u2028', '\ufeff', '\ud83d\ude00', '\ud800', 'é', '\u0301', '\u202e', '\\', '"', '\uffff'];

const LITERALS = [
  '0', '-1', '1.5', '1e308', '9999999999999999999999', '12345678901234567891', '0.000001', '50%', '150%', '-5%', '0%',
  '2026-01-01', '2026-02-30', '0000-00-00', '9999-12-31', '2026-06-30T12:00:00Z', '""', '"pro"', '"3.10.0"',
  '"1.0.0-rc.1"', '"\\u0000"', '"a\\"b"', 'today', 'now', '30 days ago', '1 month ago',
];

/** Regular expressions for `matches`; the catastrophic family is added only when asked for. */
const SAFE_PATTERNS = ['"^a"', '"[0-9]+"', '"(?i)pro"', '"^$"', '"["', '"(a|b)*c"', '"\\\\d{2,}"', '"(?=x)"', '"(a)\\\\1"', '"\\\\p{L}+"'];
const CATASTROPHIC_PATTERNS = ['"^(a+)+$"', '"(a|a)*b"', '"^(\\\\w+\\\\s?)*$"', '"(x+x+)+y"'];

/** True when a text contains a `matches` pattern with a nested quantifier (exponential on backtracking engines). */
export function hasCatastrophicPattern(text: string): boolean {
  return /matches\s*"[^"\n]*\([^"\n]*[+*}][^"\n]*\)\s*[+*{][^"\n]*"/u.test(text);
}

export interface MutationContext {
  /** Tokens seen in all sample files: identifiers, strings, numbers. */
  corpus: readonly string[];
  /** Field and segment names to build expressions from. */
  names: readonly string[];
  /** Whether `matches` patterns may be catastrophic for backtracking engines. */
  catastrophicRegex: boolean;
}

export function tokenize(text: string): string[] {
  return text.match(TOKEN) ?? [];
}

/** Every distinct non-space token of the given texts. */
export function corpusOf(texts: readonly string[]): string[] {
  const seen = new Set<string>();
  for (const t of texts) for (const tok of tokenize(t)) if (tok.trim() !== '' && !tok.startsWith('//')) seen.add(tok);
  return [...seen];
}

export function namesOf(texts: readonly string[]): string[] {
  const seen = new Set<string>();
  const kw = new Set(KEYWORDS);
  for (const t of texts) for (const tok of tokenize(t)) if (/^[A-Za-z_]\w*$/u.test(tok) && !kw.has(tok)) seen.add(tok);
  return [...seen];
}

export function randomExpression(rng: Rng, ctx: MutationContext, depth = 0): string {
  const name = (): string => rng.pick(ctx.names);
  const literal = (): string => (rng.chance(0.5) ? rng.pick(LITERALS) : rng.pick(ctx.corpus));
  if (depth > 3 || rng.chance(0.3)) {
    const patterns = ctx.catastrophicRegex ? [...SAFE_PATTERNS, ...CATASTROPHIC_PATTERNS] : SAFE_PATTERNS;
    const forms = [
      () => `${name()} ${rng.pick(['==', '!=', '<', '<=', '>', '>='])} ${literal()}`,
      () => `${name()} between ${literal()} and ${literal()}`,
      () => `${name()} ${rng.chance(0.5) ? 'not ' : ''}in [${literal()}, ${literal()}]`,
      () => `${name()} is ${rng.chance(0.5) ? 'not ' : ''}missing`,
      () => `${name()} within last ${rng.int(400)} ${rng.pick(['day', 'days', 'weeks', 'months', 'years'])}`,
      () => `${name()} matches ${rng.pick(patterns)}`,
      () => `${name()} contains ${rng.pick(['', 'any ', 'all '])}${literal()}`,
      () => `${name()} starts with ${literal()}`,
      () => `${name()} ${rng.pick(['before', 'after'])} ${literal()}`,
      () => `${rng.pick(['lower', 'upper', 'len', 'median', 'p90', 'min'])}(${name()}) ${rng.pick(['==', '>', '<='])} ${literal()}`,
      () => `${name()} ${rng.pick(['+', '-', '*', '/'])} ${literal()} > ${literal()}`,
      () => name(),
      () => literal(),
    ];
    return rng.pick(forms)();
  }
  const forms = [
    () => `${randomExpression(rng, ctx, depth + 1)} and ${randomExpression(rng, ctx, depth + 1)}`,
    () => `${randomExpression(rng, ctx, depth + 1)} or ${randomExpression(rng, ctx, depth + 1)}`,
    () => `not ${randomExpression(rng, ctx, depth + 1)}`,
    () => `(${randomExpression(rng, ctx, depth + 1)})`,
  ];
  return rng.pick(forms)();
}

type Operation = (text: string, rng: Rng, ctx: MutationContext) => string;

/** Splits into tokens and returns the indexes of the non-space ones. */
function words(text: string): { tokens: string[]; solid: number[] } {
  const tokens = tokenize(text);
  const solid: number[] = [];
  tokens.forEach((t, i) => {
    if (t.trim() !== '') solid.push(i);
  });
  return { tokens, solid };
}

function onToken(text: string, rng: Rng, edit: (tokens: string[], i: number) => void): string {
  const { tokens, solid } = words(text);
  if (solid.length === 0) return text;
  edit(tokens, rng.pick(solid));
  return tokens.join('');
}

const randomOffset = (text: string, rng: Rng): number => rng.int(text.length + 1);

const OPERATIONS: Record<string, Operation> = {
  deleteToken: (t, rng) => onToken(t, rng, (tokens, i) => void (tokens[i] = '')),
  duplicateToken: (t, rng) => onToken(t, rng, (tokens, i) => void (tokens[i] = `${tokens[i]} ${tokens[i]}`)),
  swapTokens: (t, rng) => {
    const { tokens, solid } = words(t);
    if (solid.length < 2) return t;
    const a = rng.pick(solid);
    const b = rng.chance(0.6) ? solid[Math.min(solid.length - 1, solid.indexOf(a) + 1)] : rng.pick(solid);
    [tokens[a], tokens[b]] = [tokens[b], tokens[a]];
    return tokens.join('');
  },
  replaceToken: (t, rng, ctx) => onToken(t, rng, (tokens, i) => void (tokens[i] = rng.pick(ctx.corpus))),
  replaceWithKeyword: (t, rng) => onToken(t, rng, (tokens, i) => void (tokens[i] = rng.pick(KEYWORDS))),
  replaceWithPunctuation: (t, rng) => onToken(t, rng, (tokens, i) => void (tokens[i] = rng.pick(PUNCTUATION))),
  replaceWithLiteral: (t, rng) => onToken(t, rng, (tokens, i) => void (tokens[i] = rng.pick(LITERALS))),
  insertKeyword: (t, rng) => onToken(t, rng, (tokens, i) => void (tokens[i] = `${tokens[i]} ${rng.pick(KEYWORDS)}`)),
  insertExpression: (t, rng, ctx) => onToken(t, rng, (tokens, i) => void (tokens[i] = `${tokens[i]} ${randomExpression(rng, ctx)}`)),
  replaceWhere: (t, rng, ctx) => {
    const lines = t.split('\n');
    const wheres = lines.flatMap((l, i) => (/^\s*where\b/u.test(l) ? [i] : []));
    if (wheres.length === 0) return t;
    const i = rng.pick(wheres);
    lines[i] = `${lines[i].match(/^\s*/u)![0]}where ${randomExpression(rng, ctx)}`;
    return lines.join('\n');
  },
  addSegment: (t, rng, ctx) =>
    `${t}\nsegment ${rng.pick(ctx.names)}_${rng.int(1000)} {\n  where ${randomExpression(rng, ctx)}\n  expect size ${rng.pick(['>=', '<', 'between 1% and'])} ${rng.int(120)}%\n}\n`,
  insertNasty: (t, rng) => {
    const at = randomOffset(t, rng);
    return t.slice(0, at) + rng.pick(NASTY) + t.slice(at);
  },
  deleteRange: (t, rng) => {
    const at = randomOffset(t, rng);
    return t.slice(0, at) + t.slice(at + 1 + rng.int(80));
  },
  duplicateRange: (t, rng) => {
    const at = randomOffset(t, rng);
    const end = at + 1 + rng.int(200);
    return t.slice(0, end) + t.slice(at, end) + t.slice(end);
  },
  truncate: (t, rng) => t.slice(0, randomOffset(t, rng)),
  swapLines: (t, rng) => {
    const lines = t.split('\n');
    const a = rng.int(lines.length);
    const b = rng.int(lines.length);
    [lines[a], lines[b]] = [lines[b], lines[a]];
    return lines.join('\n');
  },
  deleteLine: (t, rng) => {
    const lines = t.split('\n');
    lines.splice(rng.int(lines.length), 1);
    return lines.join('\n');
  },
  crlf: (t) => t.replace(/\r?\n/gu, '\r\n'),
  bareCr: (t) => t.replace(/\r?\n/gu, '\r'),
  deepNesting: (t, rng, ctx) => {
    const depth = rng.pick([20, 200, 2000, 20000]);
    const open = rng.pick(['(', 'not ', '-', '[']);
    const close = open === '(' ? ')' : open === '[' ? ']' : '';
    const expr = `${open.repeat(depth)}${rng.pick(ctx.names)}${close.repeat(rng.chance(0.5) ? depth : rng.int(depth))}`;
    return `${t}\nsegment deep_${rng.int(1000)} {\n  where ${expr}\n}\n`;
  },
  longLine: (t, rng, ctx) => {
    const parts: string[] = [];
    const n = rng.pick([100, 1000, 5000]);
    for (let i = 0; i < n; i++) parts.push(randomExpression(rng, ctx, 3));
    return `${t}\nsegment long_${rng.int(1000)} {\n  where ${parts.join(rng.pick([' and ', ' or ']))}\n}\n`;
  },
  unterminated: (t, rng) => {
    const at = randomOffset(t, rng);
    return t.slice(0, at) + rng.pick(['"', '/*', '{', '(', '[', '```segspec\n', '@segment(']) + t.slice(at);
  },
};

const WEIGHTED: Array<[string, number]> = [
  ['deleteToken', 8], ['duplicateToken', 5], ['swapTokens', 6], ['replaceToken', 8], ['replaceWithKeyword', 6],
  ['replaceWithPunctuation', 4], ['replaceWithLiteral', 6], ['insertKeyword', 5], ['insertExpression', 6],
  ['replaceWhere', 10], ['addSegment', 5], ['insertNasty', 5], ['deleteRange', 4], ['duplicateRange', 3],
  ['truncate', 2], ['swapLines', 3], ['deleteLine', 3], ['crlf', 1], ['bareCr', 1], ['deepNesting', 1],
  ['longLine', 1], ['unterminated', 3],
];
const TOTAL_WEIGHT = WEIGHTED.reduce((n, [, w]) => n + w, 0);

function pickOperation(rng: Rng): string {
  let r = rng.int(TOTAL_WEIGHT);
  for (const [name, w] of WEIGHTED) {
    if (r < w) return name;
    r -= w;
  }
  return WEIGHTED[0][0];
}

export interface SpecMutation {
  text: string;
  operations: string[];
}

/** One to four operations applied to `text`. */
export function mutateSpec(text: string, rng: Rng, ctx: MutationContext): SpecMutation {
  const operations: string[] = [];
  let out = text;
  const n = 1 + rng.int(4);
  for (let i = 0; i < n; i++) {
    const name = pickOperation(rng);
    operations.push(name);
    out = OPERATIONS[name](out, rng, ctx);
  }
  return { text: out, operations };
}
