import { describe, expect, it } from 'vitest';
import { show, whereOf } from './helpers.js';

describe('expression operators (SPEC §5.1)', () => {
  it.each([
    ['age == 30', '(== age 30)'],
    ['age != 30', '(!= age 30)'],
    ['age < 30', '(< age 30)'],
    ['age <= 30', '(<= age 30)'],
    ['age > 30', '(> age 30)'],
    ['age >= 30', '(>= age 30)'],
    ['plan in ["pro", "team"]', '(in plan ["pro" "team"])'],
    ['plan not in ["pro", "team",]', '(not-in plan ["pro" "team"])'],
    ['age between 18 and 25', '(between age 18 25)'],
    ['tags contains "a"', '(contains-one tags "a")'],
    ['tags contains any ["a", "b"]', '(contains-any tags ["a" "b"])'],
    ['tags contains all ["a", "b"]', '(contains-all tags ["a" "b"])'],
    ['email starts with "admin"', '(starts-with email "admin")'],
    ['email ends with ".edu"', '(ends-with email ".edu")'],
    ['email matches "^[a-z]+@"', '(matches email "^[a-z]+@")'],
    ['seats is missing', '(is-missing seats)'],
    ['seats is not missing', '(is-not-missing seats)'],
    ['last_seen within last 3 months', '(within-last last_seen 3 month)'],
    ['last_seen within last 1 day', '(within-last last_seen 1 day)'],
    ['signup before 2026-01-01', '(before signup 2026-01-01)'],
    ['signup after 90 days ago', '(after signup (ago 90 day))'],
    ['signup > 2 weeks ago', '(> signup (ago 2 week))'],
    ['signup >= 1 year ago', '(>= signup (ago 1 year))'],
    ['signup < today', '(< signup today)'],
    ['last_seen < now', '(< last_seen now)'],
    ['lower(country) == "de"', '(== (call lower country) "de")'],
    ['len(integrations) >= 2', '(>= (call len integrations) 2)'],
    ['ltv_usd > p90(ltv_usd)', '(> ltv_usd (call p90 ltv_usd))'],
    ['is_student', 'is_student'],
    ['not is_student', '(not is_student)'],
    ['is_student == true', '(== is_student true)'],
    ['is_student != false', '(!= is_student false)'],
    ['freelancers and not students', '(and freelancers (not students))'],
  ])('%s', (source, expected) => {
    expect(show(whereOf(source))).toBe(expected);
  });

  it('normalises unit words, singular or plural', () => {
    for (const [word, unit] of [
      ['day', 'day'],
      ['days', 'day'],
      ['week', 'week'],
      ['weeks', 'week'],
      ['month', 'month'],
      ['months', 'month'],
      ['year', 'year'],
      ['years', 'year'],
    ]) {
      expect(show(whereOf(`d within last 2 ${word}`))).toBe(`(within-last d 2 ${unit})`);
      expect(show(whereOf(`d > 2 ${word} ago`))).toBe(`(> d (ago 2 ${unit}))`);
    }
  });
});

describe('precedence (loosest first: or, and, not, predicate, + -, * /, unary -)', () => {
  it('and binds tighter than or; not tighter than and', () => {
    expect(show(whereOf('a or b and not c'))).toBe('(or a (and b (not c)))');
    expect(show(whereOf('a and b or c'))).toBe('(or (and a b) c)');
    expect(show(whereOf('a and b or c and d or e'))).toBe('(or (or (and a b) (and c d)) e)');
  });

  it('chains of the same operator group to the left', () => {
    expect(show(whereOf('a or b or c'))).toBe('(or (or a b) c)');
    expect(show(whereOf('a and b and c'))).toBe('(and (and a b) c)');
    expect(show(whereOf('a - b - c'))).toBe('(- (- a b) c)');
    expect(show(whereOf('a / b / c'))).toBe('(/ (/ a b) c)');
  });

  it('not applies to the whole predicate, and nests', () => {
    expect(show(whereOf('not age > 30'))).toBe('(not (> age 30))');
    expect(show(whereOf('not not a'))).toBe('(not (not a))');
    expect(show(whereOf('not (a or b)'))).toBe('(not (paren (or a b)))');
  });

  it('* and / bind tighter than + and -', () => {
    expect(show(whereOf('a + b * c > 1'))).toBe('(> (+ a (* b c)) 1)');
    expect(show(whereOf('a * b + c > 1'))).toBe('(> (+ (* a b) c) 1)');
    expect(show(whereOf('a - b / c + d * e > 1'))).toBe('(> (+ (- a (/ b c)) (* d e)) 1)');
    expect(show(whereOf('(a + b) * c > 1'))).toBe('(> (* (paren (+ a b)) c) 1)');
  });

  it('unary minus folds into number literals and negates other operands', () => {
    expect(show(whereOf('x > -3'))).toBe('(> x -3)');
    expect(show(whereOf('x > -2.5%'))).toBe('(> x -2.5%)');
    expect(show(whereOf('-x < 3'))).toBe('(< (neg x) 3)');
    expect(show(whereOf('x * -y > 0'))).toBe('(> (* x (neg y)) 0)');
    expect(show(whereOf('x - -3 > 0'))).toBe('(> (- x -3) 0)');
  });

  it('between binds its own and, inside a larger and', () => {
    expect(show(whereOf('age between 18 and 25 and plan == "pro"'))).toBe(
      '(and (between age 18 25) (== plan "pro"))',
    );
    expect(show(whereOf('a and age between 1 + 2 and 3 * 4 or b'))).toBe(
      '(or (and a (between age (+ 1 2) (* 3 4))) b)',
    );
  });

  it('arithmetic sits inside comparisons on both sides', () => {
    expect(show(whereOf('sessions_30d / 30 >= ltv_usd * 2'))).toBe('(>= (/ sessions_30d 30) (* ltv_usd 2))');
  });
});

describe('names', () => {
  it('accepts keywords that the grammar does not need at that place as field names', () => {
    expect(show(whereOf('kind == "x" and size > 3 and source != "ads" and key is missing'))).toBe(
      '(and (and (and (== kind "x") (> size 3)) (!= source "ads")) (is-missing key))',
    );
    expect(show(whereOf('year == 2024 and day < 3 and month in [1, 2]'))).toBe(
      '(and (and (== year 2024) (< day 3)) (in month [1 2]))',
    );
    expect(show(whereOf('segment == "smb" or where > 1 or member'))).toBe(
      '(or (or (== segment "smb") (> where 1)) member)',
    );
  });

  it('reads any name followed by ( as a call; the name is checked later', () => {
    expect(show(whereOf('whatever(x) > 1'))).toBe('(> (call whatever x) 1)');
  });

  it('reads a segment name as a bare name', () => {
    expect(show(whereOf('freelancers or students'))).toBe('(or freelancers students)');
  });
});
