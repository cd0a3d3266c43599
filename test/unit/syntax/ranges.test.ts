import { describe, expect, it } from 'vitest';
import { parse, prop } from '../../../server/src/core/syntax/index.js';
import type { Range, SegmentDecl } from '../../../server/src/core/syntax/index.js';
import { rangeProblems } from './helpers.js';

const text = `// users
segment freelancers "Freelancers" {
  kind behavioral
  where job in ["designer", "developer"]
    and plan != "enterprise"
  expect size between 8% and 20% warn
}

persona fiona { segment freelancers }
`;

function slice(range: Range): string {
  return text.slice(range.start.offset, range.end.offset);
}

describe('ranges', () => {
  const file = parse(text);
  const segment = file.declarations[0] as SegmentDecl;

  it('are zero-based, end-exclusive, and agree with the offsets', () => {
    expect(file.errors).toEqual([]);
    expect(rangeProblems(text, file)).toEqual([]);
    expect(segment.keywordRange.start).toEqual({ line: 1, character: 0, offset: 9 });
    expect(segment.name?.range.start).toMatchObject({ line: 1, character: 8 });
    expect(segment.name?.range.end).toMatchObject({ line: 1, character: 19 });
  });

  it('cover exactly the source text of each node', () => {
    expect(slice(segment.range)).toMatch(/^segment freelancers "Freelancers" \{[\s\S]*warn\n\}$/);
    expect(slice(segment.name!.range)).toBe('freelancers');
    expect(slice(segment.title!.range)).toBe('"Freelancers"');
    const where = prop(segment, 'where')!;
    expect(slice(where.keywordRange)).toBe('where');
    expect(slice(where.range)).toBe('where job in ["designer", "developer"]\n    and plan != "enterprise"');
    const value = where.value!;
    expect(value.type).toBe('Logical');
    if (value.type !== 'Logical') return;
    expect(slice(value.opRange)).toBe('and');
    expect(slice(value.left.range)).toBe('job in ["designer", "developer"]');
    expect(slice(value.right.range)).toBe('plan != "enterprise"');
    const expect_ = prop(segment, 'expect')!;
    expect(slice(expect_.range)).toBe('expect size between 8% and 20% warn');
    const expectation = expect_.value!;
    if (expectation.type !== 'ExpectSize' || expectation.bound?.kind !== 'between') throw new Error('shape');
    expect(slice(expectation.bound.range)).toBe('between 8% and 20%');
    expect(slice(expectation.bound.low.range)).toBe('8%');
    expect(slice(file.comments[0].range)).toBe('// users');
    expect(slice(file.declarations[1].range)).toBe('persona fiona { segment freelancers }');
  });

  it('count UTF-16 code units and handle CRLF line ends', () => {
    const crlf = 'segment é\u{1F600} {\r\n  where x == "\u{1F600}" and y > 1\r\n}\r\n';
    const parsed = parse(crlf);
    expect(rangeProblems(crlf, parsed)).toEqual([]);
    const where = prop(parsed.declarations[0] as SegmentDecl, 'where')!.value!;
    if (where.type !== 'Logical') throw new Error('shape');
    expect(where.right.range.start).toMatchObject({ line: 1, character: 22 });
  });

  it('give `as of` one keyword range over both words', () => {
    const source = 'dataset d {\n  as   of 2026-06-30\n}';
    const parsed = parse(source);
    const asOf = parsed.declarations[0].properties[0];
    expect(source.slice(asOf.keywordRange.start.offset, asOf.keywordRange.end.offset)).toBe('as   of');
    expect(source.slice(asOf.range.start.offset, asOf.range.end.offset)).toBe('as   of 2026-06-30');
  });

  it('place a missing expression where it should have been', () => {
    const broken = 'segment s { where age < }';
    const parsed = parse(broken);
    const where = prop(parsed.declarations[0] as SegmentDecl, 'where')!.value!;
    if (where.type !== 'Compare') throw new Error('shape');
    expect(where.right.type).toBe('Error');
    expect(where.right.range.start.offset).toBe(broken.indexOf('<') + 1);
    expect(rangeProblems(broken, parsed)).toEqual([]);
  });
});
