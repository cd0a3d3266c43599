import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { parse } from '../../../server/src/core/syntax/index.js';
import { IncrementalParser } from '../../../server/src/core/syntax/incremental.js';
import { largeSpec } from '../../bench/spec-stages.js';

const samples = resolve(__dirname, '../../../samples');
const sampleTexts = readdirSync(samples, { recursive: true, encoding: 'utf8' })
  .filter((p) => p.endsWith('.segspec'))
  .map((p) => readFileSync(join(samples, p), 'utf8'));

describe('IncrementalParser', () => {
  it('gives exactly the tree of a full parse on every sample file and a large spec', () => {
    const parser = new IncrementalParser();
    for (const text of [...sampleTexts, largeSpec('users.csv', 600)]) {
      expect(parser.parse(text)).toEqual(parse(text));
    }
  });

  it('reuses unchanged declarations after an edit and still matches a full parse', () => {
    const parser = new IncrementalParser();
    const text = sampleTexts.find((t) => t.split('segment ').length > 4)!;
    parser.parse(text);
    const at = text.indexOf('segment ', text.length / 2);
    const edited = `${text.slice(0, at)}segment inserted { where age > 3 }\n\n${text.slice(at)}`;
    expect(parser.parse(edited)).toEqual(parse(edited));
  });

  it('hands back the same declarations where nothing moved, and moved copies where an edit shifted them', () => {
    const parser = new IncrementalParser();
    const text = largeSpec('users.csv', 400);
    const first = parser.parse(text);
    // Same length: a digit for a digit in g7's title. Every other declaration keeps its place.
    const sameLength = text.replace('"Generated segment 7"', '"Generated segment 8"');
    const second = parser.parse(sameLength);
    expect(second).toEqual(parse(sameLength));
    const g7 = first.declarations.findIndex((d) => d.name?.name === 'g7');
    second.declarations.forEach((d, i) => (i === g7 ? expect(d).not.toBe(first.declarations[i]) : expect(d).toBe(first.declarations[i])));
    // One character more in g7: the declarations after it move and must not keep their old positions.
    const longer = text.replace('"Generated segment 7"', '"Generated segment 77"');
    const third = parser.parse(longer);
    expect(third).toEqual(parse(longer));
    expect(third.declarations[g7 - 1]).toBe(first.declarations[g7 - 1]);
    expect(third.declarations[g7 + 1].range.start.offset).toBe(first.declarations[g7 + 1].range.start.offset + 1);
  });

  it('matches a full parse after any one-character deletion (errors included), or never throws', () => {
    const parser = new IncrementalParser();
    const text = sampleTexts[0];
    fc.assert(
      fc.property(fc.nat({ max: text.length - 1 }), (at) => {
        const edited = text.slice(0, at) + text.slice(at + 1);
        const result = parser.parse(edited);
        for (const error of result.errors) expect(error.range.end.offset).toBeLessThanOrEqual(edited.length);
        if (parse(edited).errors.length === 0) expect(result).toEqual(parse(edited));
      }),
      { numRuns: 150 },
    );
  });
});

describe('typing does not grow the parse cache without bound', () => {
  it('after 3,000 keystrokes in one declaration, only the latest pieces and a few hundred spare ones are kept', () => {
    const parser = new IncrementalParser();
    const head = 'segment a {\n  where age > 1\n}\n';
    const tail = '\nsegment c {\n  where age < 9\n}\n';
    for (let i = 0; i < 3000; i++) {
      const text = `${head}segment b {\n  where age > ${i}\n}\n${tail}`;
      const file = parser.parse(text);
      expect(file.errors).toEqual([]);
      expect(file.declarations).toHaveLength(3);
    }
    const pieces = (parser as unknown as { pieces: Map<string, unknown> }).pieces;
    expect(pieces.size).toBeLessThanOrEqual(3 + 500);
    // The pieces of the latest text are kept: parsing it again reuses them.
    expect(pieces.has(`segment b {\n  where age > 2999\n}\n\n`)).toBe(true);
  });
});
