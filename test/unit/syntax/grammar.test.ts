import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { allTokens } from '../../../server/src/core/syntax/tokens.js';

interface Rule {
  name?: string;
  match?: string;
  begin?: string;
  end?: string;
  while?: string;
  include?: string;
  patterns?: Rule[];
}

interface Grammar extends Rule {
  scopeName: string;
  injectionSelector?: string;
  repository: Record<string, Rule>;
}

function load(file: string): Grammar {
  return JSON.parse(readFileSync(join(process.cwd(), 'syntaxes', file), 'utf8')) as Grammar;
}

/** Oniguruma patterns as JavaScript regular expressions (enough to compile and to test). */
function toJs(pattern: string): RegExp {
  let flags = '';
  let source = pattern.replace(/\\G/g, '');
  if (source.includes('(?i:')) {
    source = source.replace(/\(\?i:/g, '(?:');
    flags = 'i';
  }
  return new RegExp(source, flags);
}

function rules(rule: Rule, out: Rule[] = []): Rule[] {
  out.push(rule);
  for (const child of rule.patterns ?? []) rules(child, out);
  return out;
}

function allRules(grammar: Grammar): Rule[] {
  return [grammar, ...Object.values(grammar.repository)].flatMap((rule) => rules(rule));
}

/** The patterns tried in a context, in TextMate's order, includes resolved. */
function patternsOf(grammar: Grammar, rule: Rule, seen = new Set<string>()): Rule[] {
  const out: Rule[] = [];
  for (const child of rule.patterns ?? []) {
    if (child.include?.startsWith('#')) {
      const key = child.include.slice(1);
      if (seen.has(key)) continue;
      const target = grammar.repository[key];
      if (target.match || target.begin) out.push(target);
      else out.push(...patternsOf(grammar, target, new Set([...seen, key])));
    } else {
      out.push(child);
    }
  }
  return out;
}

/**
 * The scope TextMate gives `text` at the start of a line inside a
 * declaration body: the first pattern (in order) that matches there.
 */
function scopeInBody(grammar: Grammar, text: string): string | undefined {
  for (const rule of patternsOf(grammar, grammar.repository.body)) {
    const pattern = rule.match ?? rule.begin;
    if (!pattern) continue;
    const match = new RegExp(toJs(pattern).source, `${toJs(pattern).flags}y`).exec(text);
    if (!match) continue;
    return match[0] === text ? rule.name : `${rule.name ?? '(captures)'} for "${match[0]}"`;
  }
  return undefined;
}

describe('TextMate grammar for .segspec', () => {
  const grammar = load('segspec.tmLanguage.json');

  it('is a grammar for source.segspec whose includes all resolve and whose patterns compile', () => {
    expect(grammar.scopeName).toBe('source.segspec');
    for (const rule of allRules(grammar)) {
      if (rule.include?.startsWith('#')) expect(grammar.repository, rule.include).toHaveProperty(rule.include.slice(1));
      for (const pattern of [rule.match, rule.begin, rule.end, rule.while]) {
        if (pattern) expect(() => toJs(pattern), pattern).not.toThrow();
      }
    }
  });

  it('knows every keyword of the parser', () => {
    const words = allTokens
      .filter((token) => token.name.startsWith('Kw_'))
      .map((token) => token.name.slice(3));
    const patterns = allRules(grammar)
      .flatMap((rule) => [rule.match, rule.begin])
      .filter((p): p is string => p !== undefined)
      .join('\n');
    const missing = words.filter((word) => !new RegExp(`[(|]${word}s?\\??[|)]|\\b${word}\\b`).test(patterns));
    expect(missing).toEqual([]);
  });

  it.each([
    ['2026-06-30T14:05:00Z', 'constant.numeric.datetime.segspec'],
    ['2026-06-30T14:05:00+02:00', 'constant.numeric.datetime.segspec'],
    ['2026-06-30', 'constant.numeric.date.segspec'],
    ['12%', 'constant.numeric.percentage.segspec'],
    ['2.5%', 'constant.numeric.percentage.segspec'],
    ['1_000_000', 'constant.numeric.segspec'],
    ['3.25', 'constant.numeric.segspec'],
    ['true', 'constant.language.boolean.segspec'],
    ['today', 'constant.language.date.segspec'],
    ['months', 'keyword.other.unit.segspec'],
    ['>=', 'keyword.operator.comparison.segspec'],
    ['!=', 'keyword.operator.comparison.segspec'],
    ['*', 'keyword.operator.arithmetic.segspec'],
    ['and', 'keyword.operator.logical.segspec'],
    ['between', 'keyword.operator.word.segspec'],
    ['is not missing', undefined],
    ['starts with', undefined],
    ['kind behavioral', undefined],
    ['where', 'keyword.other.property.segspec'],
    ['channels', 'keyword.other.property.segspec'],
    ['as of', undefined],
    ['size', 'keyword.other.expect.segspec'],
  ])('scopes %s', (text, scope) => {
    expect(scopeInBody(grammar, text)).toBe(scope);
  });

  it('scopes the dataset property `missing [...]` but not `is missing`', () => {
    expect(scopeInBody(grammar, 'missing ["NA"]')).toBe('keyword.other.property.segspec for "missing"');
    expect(scopeInBody(grammar, 'is missing')).toBeUndefined();
  });

  it('scopes comments, strings with escapes and declaration names', () => {
    const repository = grammar.repository;
    expect(repository.comments.patterns?.map((p) => p.name)).toEqual([
      'comment.block.segspec',
      'comment.line.double-slash.segspec',
    ]);
    expect(repository.string.name).toBe('string.quoted.double.segspec');
    const escape = toJs(repository.string.patterns![0].match!);
    for (const text of ['\\"', '\\\\', '\\n', '\\t', '\\u00e9']) expect(escape.exec(text)?.[0]).toBe(text);
    const declaration = toJs(repository.declaration.begin!).exec('segment freelancers "Freelancers" {');
    expect(declaration?.slice(1, 3)).toEqual(['segment', 'freelancers']);
  });
});

describe('Markdown injection grammar', () => {
  const grammar = load('segspec-markdown.tmLanguage.json');

  it('injects into Markdown outside code', () => {
    expect(grammar.scopeName).toBe('markdown.segspec.injection');
    expect(grammar.injectionSelector).toMatch(/^L:text\.html\.markdown/);
    expect(grammar.injectionSelector).toContain('-markup.inline.raw');
  });

  it('matches @segment(name) and @persona(name) and captures the name', () => {
    const reference = toJs(grammar.repository.reference.match!);
    expect(reference.exec('for @segment(freelancers).')?.[4]).toBe('freelancers');
    expect(reference.exec('see @persona( fiona )')?.[4]).toBe('fiona');
    expect(reference.exec('email me@segment.com')).toBeNull();
    expect(reference.exec('@segments(x)')).toBeNull();
  });

  it('highlights ```segspec fenced blocks with the segspec grammar', () => {
    const fence = grammar.repository['fenced-segspec'];
    expect(toJs(fence.begin!).test('```segspec')).toBe(true);
    expect(toJs(fence.begin!).test('```js')).toBe(false);
    expect(JSON.stringify(fence)).toContain('"include":"source.segspec"');
  });
});
