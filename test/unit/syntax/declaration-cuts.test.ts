/**
 * Cutting a file into declarations after an edit, lexing only around the
 * change, gives the cuts of lexing the whole text, whatever the edit breaks
 * or joins (braces, strings, comments, keywords typed or removed).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { DeclarationCuts, declarationStarts } from '../../../server/src/core/syntax/declaration-cuts.js';
import { largeSpec } from '../../bench/spec-stages.js';

const samples = resolve(__dirname, '../../../samples');
const texts = [
  ...readdirSync(samples, { recursive: true, encoding: 'utf8' })
    .filter((p) => p.endsWith('.segspec'))
    .map((p) => readFileSync(join(samples, p), 'utf8')),
  largeSpec('users.csv', 300),
];

const snippets = ['{', '}', '"', '/*', '*/', '//', '\n', ' ', 'x', 'segment ', 'segment s { where a > 1 }\n', 'persona', 'flag f {}', '"a { b"', '#', 'seg'];

const edit = fc.record({
  at: fc.double({ min: 0, max: 1, noNaN: true }),
  remove: fc.nat({ max: 12 }),
  insert: fc.constantFrom('', ...snippets),
});

describe('declaration cuts after an edit', () => {
  it('equal the cuts of the whole text, for random edit sequences on the samples', () => {
    fc.assert(
      fc.property(fc.constantFrom(...texts), fc.array(edit, { minLength: 1, maxLength: 12 }), (start, edits) => {
        const cuts = new DeclarationCuts();
        expect(cuts.cut(start)).toEqual(declarationStarts(start));
        let text = start;
        for (const { at, remove, insert } of edits) {
          const offset = Math.floor(at * text.length);
          text = text.slice(0, offset) + insert + text.slice(offset + remove);
          expect(cuts.cut(text)).toEqual(declarationStarts(text));
        }
      }),
      { numRuns: 400 },
    );
  });

  it('a keyword typed right before a declaration, or its own keyword changed, cuts like the whole text', () => {
    const text = 'segment a { where x > 1 }\nsegment b { where x > 2 }\nsegment c { where x > 3 }\n';
    const cuts = new DeclarationCuts();
    cuts.cut(text);
    for (const edited of [
      text.replace('segment b', 'xsegment b'),
      text.replace('segment b', 'segmen b'),
      text.replace('segment b', 'persona b'),
      text.replace('}\nsegment c', '}segment c'),
      text.replace('{ where x > 2 }', '{ where x > 2 '),
      text,
    ]) {
      expect(cuts.cut(edited)).toEqual(declarationStarts(edited));
    }
  });
});
