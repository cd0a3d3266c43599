import { describe, expect, it } from 'vitest';
import { parse } from '../../../server/src/core/syntax/index.js';

/** Half-typed or mistyped text, as it looks while someone is typing, and what they are told. */
describe('syntax error messages', () => {
  it.each([
    ['segment a { where age >', 'expected a value after `>`'],
    ['segment a { where age > 3 and', 'expected a condition after `and`'],
    ['segment a { where', 'expected a condition after `where`, e.g. `where age < 25`'],
    ['segment a { where age in', 'expected a list in `[ ]` after `in`'],
    ['segment a { where age in ["a",', 'expected `]` to close the list'],
    ['segment a { where age between 1', 'expected `and` after the lower bound of `between`'],
    ['segment a { where age between 1 and', 'expected the upper bound after `between … and`'],
    ['segment a { where x starts', 'expected `with` after `starts`'],
    ['segment a { where x is not', 'expected `missing` after `not`'],
    ['segment a { where x within last 3', 'expected a unit after `3`: days, weeks, months or years'],
    ['segment a { where x > 3 days }', 'expected `ago` after `days` (e.g. `90 days ago`, or use `within last 90 days`)'],
    ['segment a { where (x > 1 }', 'expected `)` to close `(`, found `}`'],
    ['segment a { where x => 1 }', 'write `>=` (not `=>`)'],
    ["segment a { where x == 'a' }", 'text goes in double quotes: "a"'],
    ['segment a { where x ! 3 }', 'unexpected character `!` (use `!=` for "not equal", or `not`)'],
    ['segment a { expect size }', 'expected a bound after `size`, e.g. `>= 5%` or `between 8% and 20%`'],
    ['segment a { expect subset b }', 'write `subset of` followed by a segment name'],
    ['segment a { tags "x" }', 'expected a list after `tags`, e.g. `tags ["q3"]`'],
    ['dataset d { fields { a } }', 'expected `:` between the field name and its type, found `}`'],
    ['dataset d { fields { a: list } }', 'say what the list holds: `list<string>` or `list<integer>`'],
    ['dataset d { as of }', 'expected a date after `as of`, e.g. `as of 2026-06-30`'],
    ['persona p { segment }', 'expected a segment name after `segment`'],
    ['partition q { segments [a, "b"] }', 'expected a segment name'],
    ['segmnt a { }', 'expected `dataset`, `segment`, `persona`, `partition` or `flag`, found `segmnt` — did you mean `segment`?'],
    ['segment a { } }', 'unexpected `}`: there is no `{` to close here'],
    ['segment a { kind }', 'expected a kind after `kind`: demographic, geographic, behavioral, psychographic, technographic, needs or value'],
  ])('%s', (text, message) => {
    const messages = parse(text).errors.map((e) => e.message);
    expect(messages[0]).toBe(message);
    for (const m of messages) expect(m).not.toMatch(/Token|Exception|Kw_|NoViable|EOF|Literal/);
  });

  it('asks for the closing brace right after the last thing written', () => {
    const text = 'segment a {\n  where age > 3\n\n';
    const [error] = parse(text).errors;
    expect(error.message).toBe('expected `}` to close segment `a`');
    expect(error.range.start).toEqual({ line: 1, character: 15, offset: text.indexOf('3') + 1 });
  });
});
