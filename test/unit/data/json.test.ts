import { describe, expect, it } from 'vitest';
import { cellValue, loadTableFromBytes } from '../../../server/src/core/data/index.js';
import type { Table } from '../../../server/src/core/data/index.js';
import { bytesOf, fields } from './fixtures.js';

function load(text: string, format: 'json' | 'jsonl', declared = '') {
  return loadTableFromBytes(bytesOf(text), format, declared ? fields(declared) : []);
}

function values(table: Table | undefined, name: string): unknown[] {
  if (!table) throw new Error('no table');
  const column = table.byName.get(name);
  if (!column) throw new Error(`no column ${name}`);
  return Array.from({ length: table.rowCount }, (_, row) => cellValue(column, row));
}

describe('JSON array', () => {
  it('reads an array of objects into columns; null and absent keys are missing', () => {
    const text = `[
      {"id": "u1", "age": 31, "tags": ["a", "b"], "student": true},
      {"id": "u2", "age": null, "tags": []},
      {"id": "u3", "tags": ["c"], "student": "no", "extra": 1}
    ]`;
    const { table, findings } = load(text, 'json', 'id: string\nage: integer?\ntags: list<string>\nstudent: boolean?');
    expect(findings).toEqual([]);
    expect(values(table, 'id')).toEqual(['u1', 'u2', 'u3']);
    expect(values(table, 'age')).toEqual([31, null, null]);
    expect(values(table, 'tags')).toEqual([['a', 'b'], [], ['c']]);
    expect(values(table, 'student')).toEqual([true, null, false]);
    expect(values(table, 'extra')).toEqual([null, null, 1]);
    expect(Array.from(table!.rowLines)).toEqual([2, 3, 4]);
  });

  it('decodes string escapes, including surrogate pairs', () => {
    const { table } = load('[{"s": "a\\"b\\\\c\\n\\u00e9\\ud83d\\ude00"}]', 'json', 's: string');
    expect(values(table, 's')).toEqual(['a"b\\c\né😀']);
  });

  it('reads dates and date-times given as strings', () => {
    const { table } = load('[{"d": "2026-06-30", "t": "2026-06-30T14:05:00"}]', 'json', 'd: date\nt: datetime');
    expect(values(table, 'd')).toEqual(['2026-06-30']);
    expect(values(table, 't')).toEqual(['2026-06-30T14:05:00Z']);
  });

  it('gives one error and no rows when the document does not parse', () => {
    const { table, findings } = load('[\n  {"id": "u1"},\n  {"id": "u2",}\n]', 'json', 'id: string');
    expect(table).toBeUndefined();
    expect(findings.map((f) => f.code)).toEqual(['SEG113']);
    expect(findings[0].data).toMatchObject({ line: 3, column: 15 });
  });

  it('refuses a document that is not an array', () => {
    const { table, findings } = load('{"id": "u1"}', 'json');
    expect(table).toBeUndefined();
    expect(findings[0].code).toBe('SEG113');
    expect(findings[0].message).toContain('array of objects');
  });

  it('skips array elements that are not objects, with their line', () => {
    const { table, findings } = load('[{"id": 1},\n 42,\n {"id": 2}]', 'json', 'id: integer');
    expect(values(table, 'id')).toEqual([1, 2]);
    expect(findings.map((f) => [f.code, f.data?.line])).toEqual([['SEG115', 2]]);
  });

  it('keeps the first value of a key given twice', () => {
    const { table } = load('[{"id": 1, "id": 2}]', 'json', 'id: integer');
    expect(values(table, 'id')).toEqual([1]);
  });
});

describe('JSON Lines', () => {
  it('reads one object per line and skips blank lines and CRLF', () => {
    const { table, findings } = load('{"id": 1, "plan": "pro"}\r\n\r\n{"id": 2, "plan": "free"}\r\n', 'jsonl', 'id: integer\nplan: enum("free", "pro")');
    expect(findings).toEqual([]);
    expect(values(table, 'plan')).toEqual(['pro', 'free']);
    expect(Array.from(table!.rowLines)).toEqual([1, 3]);
  });

  it('reports a broken line with line and column, and keeps the others', () => {
    const text = '{"id": 1, "tags": ["a"]}\n{"id": 2, "tags": ["b"\n{"id": 3, "tags": ["c"]}\n[1]\n';
    const { table, findings } = load(text, 'jsonl', 'id: integer\ntags: list<string>');
    expect(values(table, 'id')).toEqual([1, 3]);
    expect(values(table, 'tags')).toEqual([['a'], ['c']]);
    expect(findings.map((f) => [f.code, f.data?.line, f.data?.column])).toEqual([
      ['SEG114', 2, 23],
      ['SEG115', 4, 1],
    ]);
  });

  it('forgets values of a broken line even for keys no other line has', () => {
    const { table } = load('{"id": 1}\n{"id": 2, "only_here": 5, oops}\n', 'jsonl');
    expect(table?.byName.has('only_here')).toBe(false);
    expect(values(table, 'id')).toEqual([1]);
  });
});

describe('integers beyond 2^53 in JSON', () => {
  const lines = ['{"id": 12345678901234567891, "n": 1}', '{"id": 12345678901234567892, "n": 9007199254740993}', '{"id": -98765432109876543210, "n": 2}'].join('\n');

  it('keeps every digit of an id read as a string', () => {
    const { table } = load(lines, 'jsonl', 'id: string\nn: integer?');
    expect(values(table, 'id')).toEqual(['12345678901234567891', '12345678901234567892', '-98765432109876543210']);
  });

  it('infers a column of such ids as text, as CSV does, with its digits', () => {
    const { table } = load(lines, 'jsonl');
    expect(values(table, 'id')).toEqual(['12345678901234567891', '12345678901234567892', '-98765432109876543210']);
  });

  it('calls a declared integer cell beyond the range too large, quoting its digits', () => {
    const { table, findings } = load(lines, 'jsonl', 'id: string\nn: integer?');
    expect(values(table, 'n')).toEqual([1, null, 2]);
    const tooLarge = findings.find((f) => f.message.includes('too large for an integer'));
    expect(tooLarge?.message).toContain('9007199254740993');
  });

  it('still reads safe integers, decimals and exponents as numbers', () => {
    const { table } = load('[{"a": 9007199254740991, "b": 12345678901234567.5, "c": 1e21}]', 'json');
    expect(values(table, 'a')).toEqual([9007199254740991]);
    expect(values(table, 'b')).toEqual([12345678901234567.5]);
    expect(values(table, 'c')).toEqual([1e21]);
  });
});
