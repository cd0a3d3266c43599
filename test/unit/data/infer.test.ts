import { describe, expect, it } from 'vitest';
import { loadTableFromBytes } from '../../../server/src/core/data/index.js';
import { bytesOf, fields } from './fixtures.js';

function csvTypes(header: string, rows: string[]) {
  const { fieldTypes } = loadTableFromBytes(bytesOf(`${header}\n${rows.join('\n')}\n`), 'csv', []);
  return fieldTypes;
}

const repeat = <T>(values: T[], times: number): T[] => Array.from({ length: times }, () => values).flat();

describe('type inference for undeclared columns', () => {
  it('infers scalar types from the narrowest type that fits every value', () => {
    const rows = repeat(['yes,1,1.5,2026-01-02,2026-01-02T10:00:00Z,1.2.3', 'No,-2,3,2026-02-03,2026-01-02,10.0.0'], 3);
    const types = csvTypes('b,i,n,d,t,v', rows);
    expect(Object.fromEntries([...types].map(([name, info]) => [name, info.type]))).toEqual({
      b: 'boolean',
      i: 'integer',
      n: 'number',
      d: 'date',
      t: 'datetime',
      v: 'semver',
    });
    expect([...types.values()].every((info) => info.inferred && !info.optional)).toBe(true);
  });

  it('keeps a 0/1 column an integer (boolean needs a word such as true or yes)', () => {
    expect(csvTypes('flag', ['0', '1', '1', '0']).get('flag')?.type).toBe('integer');
  });

  it('marks a column with missing values as optional', () => {
    const types = csvTypes('a,b', ['1,x', ',y', '3,z']);
    expect(types.get('a')).toMatchObject({ type: 'integer', optional: true, inferred: true });
  });

  it('infers an enum for few repeated values and lists them; a string otherwise', () => {
    const plans = repeat(['free', 'pro', 'team'], 10);
    const types = csvTypes('plan,name', plans.map((plan, k) => `${plan},user ${k}`));
    expect(types.get('plan')).toMatchObject({ type: 'enum', enumValues: ['free', 'pro', 'team'] });
    expect(types.get('name')?.type).toBe('string');
  });

  it('infers a list only when several values hold short `;`-separated items', () => {
    const lists = csvTypes('tags', ['slack;zoom', 'zoom', 'github;jira;zoom', '', 'slack']);
    expect(lists.get('tags')?.type).toBe('list<string>');
    const numbers = csvTypes('ids', ['1;2', '3', '4;5']);
    expect(numbers.get('ids')?.type).toBe('list<integer>');
    const prose = csvTypes('note', [
      'we liked it; but the onboarding took far too long for our team',
      'great; fast',
      'ok',
    ]);
    expect(prose.get('note')?.type).toBe('string');
    const single = csvTypes('note', ['a;b', 'c', 'd', 'e', 'f', 'g', 'h', 'i', 'j', 'k', 'l', 'm']);
    expect(single.get('note')?.type).not.toBe('list<string>');
  });

  it('falls back to string when values disagree', () => {
    expect(csvTypes('x', ['1', '2026-01-01', 'abc', 'def', 'ghi', 'jkl']).get('x')?.type).toBe('string');
  });

  it('types JSON columns from JSON values', () => {
    const text = JSON.stringify([
      { n: 1, f: 1.5, b: true, s: 'x1', l: ['a'], li: [1, 2], d: '2026-01-01' },
      { n: 2, f: 2, b: false, s: 'x2', l: [], li: [3], d: '2026-01-02' },
    ]);
    const { fieldTypes } = loadTableFromBytes(bytesOf(text), 'json', []);
    expect(Object.fromEntries([...fieldTypes].map(([name, info]) => [name, info.type]))).toEqual({
      n: 'integer',
      f: 'number',
      b: 'boolean',
      s: 'string',
      l: 'list<string>',
      li: 'list<integer>',
      d: 'date',
    });
  });

  it('uses declared types and infers only the rest', () => {
    const { fieldTypes } = loadTableFromBytes(bytesOf('a,b\n1,2\n3,4\n'), 'csv', fields('a: string'));
    expect(fieldTypes.get('a')).toEqual({ type: 'string', optional: false, inferred: false });
    expect(fieldTypes.get('b')).toMatchObject({ type: 'integer', inferred: true });
  });

  it('infers the type of a field whose declared type is unknown', () => {
    const { fieldTypes, findings } = loadTableFromBytes(bytesOf('a\n1\n2\n'), 'csv', fields('a: integr'));
    expect(fieldTypes.get('a')).toMatchObject({ type: 'integer', inferred: true });
    expect(findings).toEqual([]);
  });
});
