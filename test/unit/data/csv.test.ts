import { describe, expect, it } from 'vitest';
import { cellValue, columnValueAsString, loadTableFromBytes, rowToRecord } from '../../../server/src/core/data/index.js';
import type { Table } from '../../../server/src/core/data/index.js';
import { bytesOf, fields } from './fixtures.js';

function load(text: string | Uint8Array, declared = '', format: 'csv' | 'tsv' = 'csv') {
  const bytes = typeof text === 'string' ? bytesOf(text) : text;
  return loadTableFromBytes(bytes, format, declared ? fields(declared) : []);
}

function column(table: Table | undefined, name: string): Array<string | undefined> {
  if (!table) throw new Error('no table');
  const col = table.byName.get(name);
  if (!col) throw new Error(`no column ${name}`);
  return Array.from({ length: table.rowCount }, (_, row) => columnValueAsString(col, row));
}

describe('CSV reading', () => {
  it('reads a header and rows into typed columns', () => {
    const { table, findings } = load('id,age,name\nu1,31,Ann\nu2,45,Bob\n', 'id: string\nage: integer\nname: string');
    expect(findings).toEqual([]);
    expect(table?.rowCount).toBe(2);
    expect(column(table, 'age')).toEqual(['31', '45']);
    expect(cellValue(table!.byName.get('age')!, 1)).toBe(45);
    expect(rowToRecord(table!, 0)).toEqual({ id: 'u1', age: 31, name: 'Ann' });
  });

  it('handles quoted cells with delimiters, doubled quotes and line breaks', () => {
    const text = 'id,note,city\n1,"hello, world","Paris"\n2,"she said ""hi""",Rome\n3,"two\nlines",Oslo\n4,"",Bern\n';
    const { table, findings } = load(text, 'id: integer\nnote: string?\ncity: string');
    expect(findings).toEqual([]);
    expect(column(table, 'note')).toEqual(['hello, world', 'she said "hi"', 'two\nlines', undefined]);
    expect(column(table, 'city')).toEqual(['Paris', 'Rome', 'Oslo', 'Bern']);
    // rows start on lines 2, 3, 4 and 6 (the quoted line break takes a line)
    expect(Array.from(table!.rowLines)).toEqual([2, 3, 4, 6]);
  });

  it('skips a UTF-8 BOM and accepts CRLF line ends', () => {
    const bytes = new Uint8Array([0xef, 0xbb, 0xbf, ...bytesOf('id,score\r\na,1.5\r\nb,2\r\n')]);
    const { table, findings } = load(bytes, 'id: string\nscore: number');
    expect(findings).toEqual([]);
    expect(table?.columns.map((c) => c.name)).toEqual(['id', 'score']);
    expect(column(table, 'score')).toEqual(['1.5', '2']);
    expect(column(table, 'id')).toEqual(['a', 'b']);
  });

  it('accepts bare CR line ends, alone or mixed with LF', () => {
    const { table } = load('id,n\r1,a\r2,b\r', 'id: integer\nn: string');
    expect(column(table, 'n')).toEqual(['a', 'b']);
    expect(Array.from(table!.rowLines)).toEqual([2, 3]);
    const mixed = load('id\n1\r2\r3\r4\n5\n', 'id: integer');
    expect(column(mixed.table, 'id')).toEqual(['1', '2', '3', '4', '5']);
  });

  it('reads a header with quoted names and a last row without a line end', () => {
    const { table } = load('"user id","a ""b"""\nu1,2');
    expect(table?.columns.map((c) => c.name)).toEqual(['user id', 'a "b"']);
    expect(column(table, 'user id')).toEqual(['u1']);
  });

  it('reads non-ASCII text', () => {
    const { table } = load('id,city\n1,Zürich\n2,東京\n3,Zürich\n', 'id: integer\ncity: string');
    expect(column(table, 'city')).toEqual(['Zürich', '東京', 'Zürich']);
  });

  it('treats empty cells (quoted or not) as missing', () => {
    const { table } = load('a,b\n1,\n,x\n"",y\n', 'a: integer?\nb: string?');
    expect(column(table, 'a')).toEqual(['1', undefined, undefined]);
    expect(column(table, 'b')).toEqual([undefined, 'x', 'y']);
  });

  it('reads TSV with the same rules', () => {
    const { table, findings } = load('id\tnote\n1\ta, b\n2\t"quoted\ttab"\n', 'id: integer\nnote: string', 'tsv');
    expect(findings).toEqual([]);
    expect(column(table, 'note')).toEqual(['a, b', 'quoted\ttab']);
  });

  it('reads booleans, dates, date-times, semver and lists', () => {
    const text = [
      'b,d,t,v,l,n',
      'TRUE,2026-06-30,2026-06-30T14:05:00Z,1.2.3,slack;zoom,1;2',
      'no,1970-01-01,2026-06-30T14:05:00+02:00,10.0.0-beta.1,[],7',
      'Yes,2024-02-29,2026-06-30 14:05,0.0.1, a ; b ;,',
    ].join('\n');
    const declared = 'b: boolean\nd: date\nt: datetime\nv: semver\nl: list<string>\nn: list<integer>?';
    const { table, findings } = load(text, declared);
    expect(findings).toEqual([]);
    const get = (name: string, row: number) => cellValue(table!.byName.get(name)!, row);
    expect([get('b', 0), get('b', 1), get('b', 2)]).toEqual([true, false, true]);
    const d = table!.byName.get('d')!;
    expect(d.kind === 'numeric' && Array.from(d.values)).toEqual([20634, 0, 19782]);
    expect(get('t', 0)).toBe('2026-06-30T14:05:00Z');
    expect(get('t', 1)).toBe('2026-06-30T12:05:00Z');
    expect(get('t', 2)).toBe('2026-06-30T14:05:00Z');
    expect(get('v', 1)).toBe('10.0.0-beta.1');
    expect(get('l', 0)).toEqual(['slack', 'zoom']);
    expect(get('l', 1)).toEqual([]);
    expect(get('l', 2)).toEqual(['a', 'b']);
    expect(get('n', 0)).toEqual([1, 2]);
    expect(get('n', 2)).toBeNull();
  });

  it('keeps semver as strings in a dictionary column', () => {
    const { table } = load('v\n1.2.3\n1.2.3\n2.0.0\n', 'v: semver');
    const v = table!.byName.get('v')!;
    expect(v.kind).toBe('dictionary');
    expect(v.kind === 'dictionary' && v.dictionary).toEqual(['1.2.3', '2.0.0']);
  });
});

describe('malformed CSV', () => {
  it('reports a row with the wrong number of cells at its line and column, and keeps the other rows', () => {
    const { table, findings } = load('a,b\n1,2\n3,4,5\n6\n7,8\n', 'a: integer\nb: integer');
    expect(table?.rowCount).toBe(2);
    expect(column(table, 'a')).toEqual(['1', '7']);
    const codes = findings.map((f) => f.code);
    expect(codes).toEqual(['SEG111', 'SEG111']);
    expect(findings[0].data).toMatchObject({ line: 3, column: 5 });
    expect(findings[0].message).toContain('line 3, column 5');
    expect(findings[1].data).toMatchObject({ line: 4 });
  });

  it('reports an unterminated quote and resumes on the next line', () => {
    const { table, findings } = load('a,b\n1,x\n2,"never closed\n3,y\n', 'a: integer\nb: string');
    expect(findings.map((f) => f.code)).toEqual(['SEG112']);
    expect(findings[0].data).toMatchObject({ line: 3, column: 3 });
    expect(column(table, 'a')).toEqual(['1', '3']);
  });

  it('summarises many bad rows instead of listing each one', () => {
    const rows = Array.from({ length: 50 }, (_, k) => `${k},${k},extra`).join('\n');
    const { findings } = load(`a,b\n${rows}\n`, 'a: integer\nb: integer');
    const wrong = findings.filter((f) => f.code === 'SEG111');
    expect(wrong).toHaveLength(5);
    expect(wrong[4].message).toContain('45 more');
  });

  it('reports an empty file', () => {
    const { table, findings } = load('');
    expect(table).toBeUndefined();
    expect(findings.map((f) => f.code)).toEqual(['SEG110']);
  });

  it('reports a header without rows as a warning', () => {
    const { table, findings } = load('a,b\n');
    expect(table?.rowCount).toBe(0);
    expect(findings.map((f) => [f.code, f.severity])).toEqual([['SEG118', 'warning']]);
  });

  it('reports duplicate and empty column names', () => {
    const { table, findings } = load('a,a,\n1,2,3\n');
    expect(findings.map((f) => f.code).sort()).toEqual(['SEG116', 'SEG117']);
    expect(table?.columns.map((c) => c.name)).toEqual(['a', 'column_3']);
    expect(column(table, 'a')).toEqual(['1']);
  });
});

describe('text decoding of dictionary values', () => {
  it('keeps astral characters and replaces invalid UTF-8 without shifting other values', () => {
    const bytes = new Uint8Array([
      ...bytesOf('name\n😀x\n'),
      0xff,
      0x41,
      ...bytesOf('\ncafé\n😀x\n'),
    ]);
    const { table } = loadTableFromBytes(bytes, 'csv', fields('name: string'));
    expect(column(table, 'name')).toEqual(['😀x', '\ufffdA', 'café', '😀x']);
  });
});
