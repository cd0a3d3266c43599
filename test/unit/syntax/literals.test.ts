import { describe, expect, it } from 'vitest';
import { parse } from '../../../server/src/core/syntax/index.js';
import type { Expr, SegmentDecl } from '../../../server/src/core/syntax/index.js';
import { whereOf } from './helpers.js';

function rightOf(condition: string): Expr {
  const expr = whereOf(condition);
  if (expr.type !== 'Compare') throw new Error(`not a comparison: ${expr.type}`);
  return expr.right;
}

describe('strings', () => {
  it('decodes the escapes \\" \\\\ \\n \\t \\uXXXX', () => {
    const value = rightOf(String.raw`x == "a\"b\\c\nd\te\u00e9f"`);
    expect(value).toMatchObject({ type: 'String', value: 'a"b\\c\nd\te\u00e9f' });
  });

  it('reports an unknown escape and an unterminated string, and keeps going', () => {
    const file = parse('segment a { where x == "bad \\q" }\nsegment b { description "open\n}\nsegment c {}');
    expect(file.errors.map((e) => [e.range.start.line, e.message.split(':')[0]])).toEqual([
      [0, 'unknown escape `\\q` in a string (use \\", \\\\, \\n, \\t or \\uXXXX)'],
      [1, 'unterminated string'],
    ]);
    expect(file.declarations.map((d) => d.name?.name)).toEqual(['a', 'b', 'c']);
  });
});

describe('numbers and percentages', () => {
  it.each([
    ['42', 42],
    ['3.25', 3.25],
    ['1_000_000', 1_000_000],
    ['-3', -3],
    ['0', 0],
  ])('%s', (raw, value) => {
    expect(rightOf(`x == ${raw}`)).toMatchObject({ type: 'Number', value, raw });
  });

  it('reads percentages with their number before the sign', () => {
    expect(rightOf('x == 12%')).toMatchObject({ type: 'Percent', value: 12, raw: '12%' });
    expect(rightOf('x == 2.5%')).toMatchObject({ type: 'Percent', value: 2.5, raw: '2.5%' });
  });
});

describe('dates and date-times', () => {
  it('reads a date as its ISO text', () => {
    expect(rightOf('d == 2026-06-30')).toMatchObject({ type: 'Date', value: '2026-06-30' });
  });

  it('computes the instant of a date-time with Z or an offset', () => {
    expect(rightOf('t == 2026-06-30T14:05:00Z')).toMatchObject({
      type: 'DateTime',
      epochMs: Date.UTC(2026, 5, 30, 14, 5, 0),
    });
    expect(rightOf('t == 2026-06-30T14:05:00+02:00')).toMatchObject({ epochMs: Date.UTC(2026, 5, 30, 12, 5, 0) });
    expect(rightOf('t == 2026-06-30T14:05:00.250-0130')).toMatchObject({
      epochMs: Date.UTC(2026, 5, 30, 15, 35, 0, 250),
    });
    expect(rightOf('t == 2026-06-30T14:05Z')).toMatchObject({ epochMs: Date.UTC(2026, 5, 30, 14, 5) });
  });

  it('requires a time zone on a date-time, and says how to add one', () => {
    const file = parse('segment s { where t > 2026-06-30T14:05:00 }');
    expect(file.errors).toHaveLength(1);
    expect(file.errors[0].message).toContain('needs a time zone');
  });

  it('rejects dates that do not exist', () => {
    expect(parse('segment s { where d > 2026-02-30 }').errors[0].message).toContain('no day 30');
    expect(parse('segment s { where d > 2026-13-01 }').errors[0].message).toContain('month');
    expect(parse('segment s { where d > 2028-02-29 }').errors).toEqual([]);
  });
});

describe('booleans, today, now', () => {
  it('reads them as values, not names', () => {
    expect(rightOf('b == true')).toMatchObject({ type: 'Boolean', value: true });
    expect(rightOf('b == false')).toMatchObject({ type: 'Boolean', value: false });
    expect(rightOf('d == today').type).toBe('Today');
    expect(rightOf('d == now').type).toBe('Now');
  });
});

describe('comments', () => {
  it('collects line and block comments with their text, anywhere', () => {
    const file = parse('segment s { // a\n where /* b */ x > 1 /* c\n d */ }');
    expect(file.errors).toEqual([]);
    expect(file.comments.map((c) => c.text)).toEqual(['// a', '/* b */', '/* c\n d */']);
    expect((file.declarations[0] as SegmentDecl).properties).toHaveLength(1);
  });

  it('reports a block comment that is never closed', () => {
    const file = parse('segment s {}\n/* forgotten');
    expect(file.errors.map((e) => e.message)).toEqual(['unterminated comment: add the closing `*/`']);
    expect(file.declarations).toHaveLength(1);
  });
});
