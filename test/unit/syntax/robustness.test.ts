import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parse } from '../../../server/src/core/syntax/index.js';
import { rangeProblems } from './helpers.js';

const valid = `// users
dataset users "Users" {
  source "users.csv"
  key user_id
  as of 2026-06-30
  fields { user_id: string  age: integer?  plan: enum("free", "pro")  tags: list<string> }
}
segment young "Young" {
  kind demographic
  where age between 18 and 25 and not (plan in ["pro"] or tags contains any ["a", "b"])
    and signup within last 3 months or last_seen > 90 days ago and email matches "^a"
  expect size between 8% and 20% warn
  expect share(plan == "pro") >= 50%
  example member { age: 20, plan: "free" }
}
/* personas */
persona p { segment young quote "Hi \\"there\\"" profile { age: 19 } goals ["a", "b",] }
partition q { segments [young] exclusive exhaustive }
`;

/** Random edits of a valid file: deletions, insertions of tokens, swaps. */
const mutation = fc.record({
  at: fc.nat(),
  remove: fc.nat({ max: 12 }),
  insert: fc.constantFrom(
    '',
    '{',
    '}',
    '[',
    ']',
    '(',
    ')',
    '"',
    '/*',
    '//',
    ',',
    ':',
    ' and ',
    ' or ',
    ' not ',
    '==',
    '=',
    '-',
    '%',
    '2026-13-45',
    '2026-06-30T10:00',
    'segment ',
    'where ',
    'expect ',
    ' between 1 and',
    '\n',
    '\\u12',
    '#',
    '\u{1F600}',
  ),
});

function mutate(text: string, edits: Array<{ at: number; remove: number; insert: string }>): string {
  let result = text;
  for (const edit of edits) {
    const at = edit.at % (result.length + 1);
    result = result.slice(0, at) + edit.insert + result.slice(at + edit.remove);
  }
  return result;
}

describe('robustness', () => {
  it('the valid base file has no errors', () => {
    expect(parse(valid).errors).toEqual([]);
  });

  it('never throws on any printable string, and all ranges lie inside the text', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme-ascii', maxLength: 200 }), (text) => {
        const file = parse(text);
        expect(rangeProblems(text, file)).toEqual([]);
        expect(file.errors.every((e) => !e.message.startsWith('internal'))).toBe(true);
      }),
      { numRuns: 300 },
    );
  });

  it('never throws on random mutations of a valid file, and keeps ranges valid', () => {
    fc.assert(
      fc.property(fc.array(mutation, { minLength: 1, maxLength: 6 }), (edits) => {
        const text = mutate(valid, edits);
        const file = parse(text);
        expect(rangeProblems(text, file)).toEqual([]);
        expect(file.errors.every((e) => !e.message.startsWith('internal'))).toBe(true);
        expect(file.errors.every((e) => !/Token|Exception|NoViable|Kw_/.test(e.message))).toBe(true);
      }),
      { numRuns: 400 },
    );
  });

  it('never throws on words from the language in random order', () => {
    const word = fc.constantFrom(
      'dataset', 'segment', 'persona', 'partition', 'where', 'expect', 'size', 'share', 'of', 'as', 'fields',
      'and', 'or', 'not', 'in', 'between', 'contains', 'any', 'starts', 'with', 'is', 'missing', 'within',
      'last', 'days', 'ago', 'today', 'now', 'x', 'y', '{', '}', '[', ']', '(', ')', ',', ':', '==', '<',
      '3', '5%', '"s"', '2026-01-01', 'warn', 'example', 'member', 'profile', 'segments', 'exclusive',
    );
    fc.assert(
      fc.property(fc.array(word, { maxLength: 60 }), (words) => {
        const text = words.join(' ');
        const file = parse(text);
        expect(rangeProblems(text, file)).toEqual([]);
        expect(file.errors.every((e) => !e.message.startsWith('internal'))).toBe(true);
      }),
      { numRuns: 400 },
    );
  });
});
