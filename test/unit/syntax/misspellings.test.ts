import { describe, expect, it } from 'vitest';
import { parse } from '../../../server/src/core/syntax/index.js';
import type { BetweenExpr, SegmentDecl } from '../../../server/src/core/syntax/ast.js';
import { prop } from '../../../server/src/core/syntax/ast.js';

function only(text: string) {
  const { errors } = parse(text);
  expect(errors).toHaveLength(1);
  const [error] = errors;
  return { ...error, at: text.slice(error.range.start.offset, error.range.end.offset) };
}

describe('`between … to …`', () => {
  it('is one error at `to`, with the fix, and the rule is still read', () => {
    const text = 'segment young { where age between 18 to 29 }';
    const error = only(text);
    expect(error.message).toBe('`between` takes `and`, not `to`: write `between 18 and 29`');
    expect(error.at).toBe('to');
    expect(error.suggestions).toEqual(['and']);
    const where = prop(parse(text).declarations[0] as SegmentDecl, 'where')?.value as BetweenExpr;
    expect(where.type).toBe('Between');
  });

  it('works in an expectation bound and with expressions as bounds', () => {
    expect(only('segment a { where age > 3 expect size between 5% to 20% }').message).toBe('`between` takes `and`, not `to`: write `between 5% and 20%`');
    expect(only('segment a { where age between p10(age) through max(age) - 1 }').message).toBe(
      '`between` takes `and`, not `through`: write `between p10(age) and max(age) - 1`',
    );
  });

  it('a field called `to` still works where a value goes', () => {
    expect(parse('segment a { where age between to and 29 and to > 3 }').errors).toEqual([]);
  });
});

describe('did-you-mean for misspelt keywords', () => {
  it.each([
    ['segment a { where age betwen 18 and 29 }', 'betwen', 'between'],
    ['segment a { where tags contians "x" }', 'contians', 'contains'],
    ['segment a { where lower(job) matchs "^a" }', 'matchs', 'matches'],
    ['segment a { where age > 3 adn plan == "pro" }', 'adn', 'and'],
    ['segment a { where job strats with "x" }', 'strats', 'starts'],
    ['segment a { where signup befor 2026-01-01 }', 'befor', 'before'],
    ['segment a { where signup withn last 3 days }', 'withn', 'within'],
  ])('%s: one error, at the word, naming the keyword', (text, word, keyword) => {
    const error = only(text);
    expect(error.at).toBe(word);
    expect(error.message).toBe(`unknown word \`${word}\` — did you mean \`${keyword}\`?`);
    expect(error.suggestions).toEqual([keyword]);
  });

  it.each([
    ['segment a { where age is mising }', 'mising', 'missing'],
    ['segment a { where job starts wiht "x" }', 'wiht', 'with'],
    ['segment a { where seen within last 3 dyas }', 'dyas', 'days'],
    ['segmnt a { where age > 3 }', 'segmnt', 'segment'],
    ['segment a { wher age > 3 }', 'wher', 'where'],
  ])('%s: the keyword expected there is suggested', (text, word, keyword) => {
    const [error] = parse(text).errors;
    expect(text.slice(error.range.start.offset, error.range.end.offset)).toBe(word);
    expect(error.message).toContain(`did you mean \`${keyword}\`?`);
    expect(error.suggestions?.[0]).toBe(keyword);
  });

  it('names are left alone where names belong', () => {
    for (const text of [
      'dataset d { source "x.csv" fields { age: integer\n  betwen: string } }',
      'segment a { where age > 3 example member { age: 4, adn: 3 } }',
      'segment a { where befor > 3 and contians == "x" }',
      'segment a { where tags contains "x" }\nsegment withn { where befor > 3 }',
    ]) {
      expect(parse(text).errors).toEqual([]);
    }
  });

  it('a missing `and` after the lower bound is still worded as such', () => {
    expect(parse('segment a { where age between 1').errors[0].message).toBe('expected `and` after the lower bound of `between`');
    expect(parse('segment a { where age > 1 expect size between 5%').errors[0].message).toBe('expected `and` between the two bounds of `between`');
  });
});
