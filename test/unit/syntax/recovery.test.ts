import { describe, expect, it } from 'vitest';
import { parse, prop } from '../../../server/src/core/syntax/index.js';
import type { PersonaDecl, SegmentDecl } from '../../../server/src/core/syntax/index.js';
import { names, rangeProblems, show } from './helpers.js';

/** Line (zero-based) of the first line containing `marker`. */
function lineOf(text: string, marker: string): number {
  return text.split('\n').findIndex((line) => line.includes(marker));
}

describe('error recovery', () => {
  it('one error: reported at its line, everything else still read', () => {
    const text = `segment a {
  kind behavioral
  wher age < 25
  expect size > 5%
}
segment b { where plan == "pro" }`;
    const file = parse(text);
    expect(file.errors.map((e) => [e.range.start.line, e.message])).toEqual([
      [2, 'unknown property `wher` in segment — did you mean `where`?'],
    ]);
    expect(file.errors[0].suggestions).toEqual(['where']);
    expect(names(file)).toEqual(['segment a', 'segment b']);
    const a = file.declarations[0] as SegmentDecl;
    expect(a.properties.map((p) => p.key)).toEqual(['kind', 'expect']);
    expect(show(prop(file.declarations[1] as SegmentDecl, 'where')!.value!)).toBe('(== plan "pro")');
  });

  it('two errors: a missing value and a forgotten closing brace', () => {
    const text = `segment a {
  where age <
  expect size > 5%
}
segment b {
  where age > 3
segment c { where x == 1 }`;
    const file = parse(text);
    expect(file.errors.map((e) => [e.range.start.line, e.message])).toEqual([
      [1, 'expected a value after `<`, found `expect`'],
      [5, 'expected `}` to close segment `b`'],
    ]);
    expect(names(file)).toEqual(['segment a', 'segment b', 'segment c']);
    expect((file.declarations[0] as SegmentDecl).properties.map((p) => p.key)).toEqual(['where', 'expect']);
    expect(show(prop(file.declarations[1] as SegmentDecl, 'where')!.value!)).toBe('(> age 3)');
    expect(show(prop(file.declarations[2] as SegmentDecl, 'where')!.value!)).toBe('(== x 1)');
  });

  it('five errors: each at its line, the other declarations all present', () => {
    const text = `dataset users {
  source "users.csv"
  key
  fields { age: integr }
}
segment young "Young" {
  where age < 25 and
}
segment pros {
  where plan in ["pro", "team"
  owner "growth"
}
persona fiona {
  segment young
  quote "unterminated
}
segment heavy {
  where sessions_30d >> 20
  tags ["q3"]
}
partition tiers { segments [young, pros] exclusive }`;
    const file = parse(text);
    const got = file.errors.map((e) => [e.range.start.line, e.message]);
    expect(got).toEqual([
      [lineOf(text, 'key'), 'expected a field name after `key`'],
      [
        lineOf(text, 'integr'),
        'unknown type `integr` — did you mean `integer`? (types: string, integer, number, boolean, date, datetime, semver, enum, list<string>, list<integer>)',
      ],
      [lineOf(text, 'age < 25 and'), 'expected a condition after `and`, found `}`'],
      [lineOf(text, '"team"'), 'expected `]` to close the list, found `owner`'],
      [lineOf(text, 'unterminated'), 'unterminated string: add the closing `"`'],
      [lineOf(text, '>>'), 'expected a value after `>`, found `>`'],
    ]);
    expect(names(file)).toEqual([
      'dataset users',
      'segment young',
      'segment pros',
      'persona fiona',
      'segment heavy',
      'partition tiers',
    ]);
    expect(prop(file.declarations[2] as SegmentDecl, 'owner')?.value?.value).toBe('growth');
    expect(prop(file.declarations[3] as PersonaDecl, 'segment')?.value?.name).toBe('young');
    expect(prop(file.declarations[4] as SegmentDecl, 'tags')?.value?.items).toHaveLength(1);
    expect(rangeProblems(text, file)).toEqual([]);
  });

  it('resynchronises at the next declaration after garbage between declarations', () => {
    const text = 'segment a {}\n}} 42 ==\nsegment b { kind value }';
    const file = parse(text);
    expect(names(file)).toEqual(['segment a', 'segment b']);
    expect(file.errors.length).toBeGreaterThan(0);
    expect(file.errors[0].range.start.line).toBe(1);
    expect(file.errors.every((e) => !/Token|Exception|EOF/.test(e.message))).toBe(true);
  });

  it('reports bad characters without losing the declaration', () => {
    const file = parse('segment a { where age > 3 && plan == "pro" }\nsegment b {}');
    expect(file.errors[0].message).toBe('unexpected characters `&&` (use `and`)');
    expect(names(file)).toEqual(['segment a', 'segment b']);
  });

  it('explains a single = and a half-typed property', () => {
    expect(parse('segment a { where plan = "pro" }').errors.map((e) => e.message)).toEqual([
      'use `==` to compare (a single `=` is not an operator)',
    ]);
    expect(parse('segment a { from\n where x > 1 }').errors.map((e) => e.message)).toEqual([
      'expected a dataset name after `from`',
    ]);
    expect(parse('segment a { expect sise > 3% }').errors.map((e) => e.message)).toEqual([
      'unknown expectation `sise` — did you mean `size`?',
    ]);
    expect(parse('segment a { expect\n}').errors.map((e) => e.message)[0]).toContain('after `expect`');
    const example = parse('segment a { example memeber { a: 1 } }');
    expect(example.errors.map((e) => e.message)).toEqual([
      'expected `member` or `nonmember` after `example`, found `memeber` — did you mean `member`?',
    ]);
    expect(prop(example.declarations[0] as SegmentDecl, 'example')?.value?.entries).toHaveLength(1);
    expect(parse('segment a { where d > 3 days }').errors.map((e) => e.message)[0]).toContain('expected `ago`');
  });

  it('asks for the closing brace at the end of the file', () => {
    const file = parse('segment a {\n  kind value\n');
    expect(file.errors.map((e) => [e.range.start.line, e.message])).toEqual([[1, 'expected `}` to close segment `a`']]);
    expect(names(file)).toEqual(['segment a']);
  });
});
