import { describe, expect, it } from 'vitest';
import { columnValueAsString, loadTableFromBytes, type Table } from '../../../server/src/core/data/index.js';
import { parse } from '../../../server/src/core/syntax/index.js';
import { prop, type DatasetDecl } from '../../../server/src/core/syntax/ast.js';
import { format } from '../../../server/src/core/format/formatter.js';
import { Workspace } from '../../../server/src/core/workspace.js';
import { describeColumns, withMissingWords } from '../../../server/src/cli/init/columns.js';
import { scaffold } from '../../../server/src/cli/init/scaffold.js';
import { MemoryHost } from '../workspace/memory-host.js';
import { bytesOf } from './fixtures.js';

function values(table: Table | undefined, name: string): Array<string | undefined> {
  const column = table?.byName.get(name);
  if (!table || !column) throw new Error(`no column ${name}`);
  return Array.from({ length: table.rowCount }, (_, row) => columnValueAsString(column, row));
}

describe('missing-value words in the readers', () => {
  const csv = 'id,age,city\n1,39,Rome\n2,?,NA\n3,"NA",Oslo\n4, NA,?x\n5,na,"?"\n';

  it('CSV and TSV: a cell holding exactly a word (quoted too) is missing; other texts are kept', () => {
    for (const [text, fmt] of [[csv, 'csv'], [csv.replaceAll(',', '\t').replaceAll('"', ''), 'tsv']] as const) {
      const { table } = loadTableFromBytes(bytesOf(text), fmt, [], { missing: ['?', 'NA'] });
      expect(values(table, 'city'), fmt).toEqual(['Rome', undefined, 'Oslo', '?x', undefined]);
      // ` NA` and `na` are not the words: the column stays text.
      expect(table?.byName.get('age')?.type, fmt).toBe('string');
      expect(values(table, 'age'), fmt).toEqual(['39', undefined, undefined, ' NA', 'na']);
    }
  });

  it('a column of numbers with `?` becomes a number column with missing values', () => {
    const text = 'id,income\n1,?\n2,120.5\n3,80\n';
    expect(loadTableFromBytes(bytesOf(text), 'csv', []).fieldTypes.get('income')?.type).toBe('string');
    const { table, fieldTypes, findings } = loadTableFromBytes(bytesOf(text), 'csv', [], { missing: ['?'] });
    expect(findings).toEqual([]);
    expect(fieldTypes.get('income')).toMatchObject({ type: 'number', optional: true });
    expect(values(table, 'income')).toEqual([undefined, '120.5', '80']);
  });

  it('JSON and JSON Lines: a string holding a word is missing; numbers, arrays and nested strings are not', () => {
    const records = [
      { id: 1, age: 'NA', tags: ['NA'], score: -1 },
      { id: 2, age: 31, tags: 'NA', score: '-1' },
      { id: 3, age: '?', tags: ['a'], score: 4 },
    ];
    for (const [text, fmt] of [[JSON.stringify(records), 'json'], [records.map((r) => JSON.stringify(r)).join('\n'), 'jsonl']] as const) {
      const { table, fieldTypes } = loadTableFromBytes(bytesOf(text), fmt, [], { missing: ['?', 'NA', '-1'] });
      expect(fieldTypes.get('age')?.type, fmt).toBe('integer');
      expect(values(table, 'age'), fmt).toEqual([undefined, '31', undefined]);
      expect(values(table, 'tags'), fmt).toEqual(['NA', undefined, 'a']);
      expect(values(table, 'score'), fmt).toEqual(['-1', undefined, '4']);
    }
  });
});

describe('`missing [...]` in the language', () => {
  const spec = 'dataset users {\n  source "users.csv"\n  missing ["?", "NA"]\n}\n';

  it('parses into the dataset, and the formatter keeps it', () => {
    const file = parse(spec);
    expect(file.errors).toEqual([]);
    const list = prop(file.declarations[0] as DatasetDecl, 'missing')?.value;
    expect(list?.items.map((i) => (i.type === 'String' ? i.value : i.type))).toEqual(['?', 'NA']);
    expect(format('dataset users { source "users.csv" missing ["?","NA",] }')).toBe(spec);
    expect(format(spec)).toBe(spec);
  });

  it('a marker that is not a text is an error with the fix; `missing` belongs to datasets only', async () => {
    const ws = new Workspace(
      new MemoryHost({
        '/ws/spec.segspec': 'dataset users {\n  source "users.csv"\n  missing ["?", -1, NA]\n}\nsegment a { where age > 1 missing ["x"] }\n',
        '/ws/users.csv': 'age\n1\n-1\n',
      }),
      '/ws',
    );
    const findings = (await ws.analyze()).findings;
    expect(findings.filter((f) => f.code === 'SEG035').map((f) => [f.message, f.data?.fix])).toEqual([
      ['`missing` lists texts in quotes: write `"-1"`', expect.objectContaining({ newText: '"-1"' })],
      ['`missing` lists texts in quotes: write `"NA"`', expect.objectContaining({ newText: '"NA"' })],
    ]);
    expect(findings.map((f) => f.message)).toContain('`missing` is not a property of a segment');
  });

  it('the workspace reads with the dataset\'s words, and reads again when they change', async () => {
    const host = new MemoryHost({ '/ws/spec.segspec': spec + 'segment known { where age >= 0 }\n', '/ws/users.csv': 'age\n30\n?\nNA\n' });
    const ws = new Workspace(host, '/ws');
    const first = await ws.analyze();
    expect(first.findings).toEqual([]);
    expect(first.results.segments.get('known')).toMatchObject({ size: 1, unknown: 2 });
    ws.setOverlay('/ws/spec.segspec', spec.replace('["?", "NA"]', '["?"]') + 'segment known { where age >= 0 }\n', 1);
    const second = await ws.analyze();
    expect(second.model.fieldTypes.get('users')?.get('age')?.type).toBe('string');
  });
});

describe('init proposes the words a file uses for missing values', () => {
  it('when a column holds such a word among numbers, and not for a text column', () => {
    const text = 'id,age,workclass,income\n1,39,State-gov,?\n2,50,?,120.5\n3,NA,Private,80\n4,28,N/A,?\n';
    const bytes = bytesOf(text);
    const { loaded, missing } = withMissingWords(bytes, 'csv', loadTableFromBytes(bytes, 'csv', []));
    expect(missing).toEqual(['?', 'NA']);
    expect(loaded.fieldTypes.get('age')?.type).toBe('integer');
    expect(loaded.fieldTypes.get('income')?.type).toBe('number');
    const [dataset] = scaffold({
      datasets: [{ name: 'adult', source: 'data/adult.csv', columns: describeColumns(loaded.table!, loaded.fieldTypes), key: 'id', missing, rowCount: 4 }],
      asOf: '2026-06-30',
    });
    expect(dataset.text).toContain('  key id\n  missing ["?", "NA"]\n');
    expect(dataset.text).toContain('    age: integer?\n');
    expect(parse(dataset.text).errors).toEqual([]);
    const plain = bytesOf('id,city\n1,NA\n2,Rome\n');
    expect(withMissingWords(plain, 'csv', loadTableFromBytes(plain, 'csv', [])).missing).toEqual([]);
  });
});
