import { describe, expect, it } from 'vitest';
import { fieldSpecsFromDecls, loadTableFromBytes, parseFieldSpecs } from '../../../server/src/core/data/index.js';
import { bytesOf, fields } from './fixtures.js';

describe('field specs', () => {
  it('come from declarations: list and enum types, `?`, first declaration wins, unknown types left to inference', () => {
    const specs = fieldSpecsFromDecls(
      fields('tags: list<integer>\nplan: enum("a", "b")?\nplan: string\nodd: integr'),
    );
    expect(specs).toEqual([
      { name: 'tags', type: 'list<integer>', optional: false },
      { name: 'plan', type: 'enum', optional: true, enumValues: ['a', 'b'] },
      { name: 'odd', optional: false },
    ]);
  });

  it('round-trip through JSON and drive loading like declarations do', () => {
    const specs = parseFieldSpecs(JSON.parse(JSON.stringify(fieldSpecsFromDecls(fields('age: integer\nplan: enum("free")')))));
    const { findings } = loadTableFromBytes(bytesOf('age,plan\nx,pro\n'), 'csv', specs);
    expect(findings.map((f) => f.code)).toEqual(['SEG121', 'SEG123']);
  });

  it('reject malformed specs with the place of the problem', () => {
    expect(() => parseFieldSpecs([{ name: 'a', type: 'int', optional: false }])).toThrow(/0\.type/);
    expect(() => parseFieldSpecs([{ name: 'a', type: 'string', optional: false, enumValues: ['x'] }])).toThrow(/enum/);
    expect(() => parseFieldSpecs({})).toThrow(/invalid field specs/);
  });
});
