import { describe, expect, it } from 'vitest';
import { dataCodes, loadTableFromBytes } from '../../../server/src/core/data/index.js';
import { bytesOf, fields, rangeOn } from './fixtures.js';

const SOURCE_RANGE = rangeOn(20, 9, 25);
const KEY_RANGE = rangeOn(21, 6, 13);

function check(csv: string, declared: string, keyField?: string) {
  return loadTableFromBytes(bytesOf(csv), 'csv', fields(declared), {
    specFile: '/ws/users.segspec',
    sourceRange: SOURCE_RANGE,
    keyRange: KEY_RANGE,
    keyField,
  });
}

const codes = (findings: Array<{ code: string }>) => findings.map((f) => f.code);

describe('data checked against the declared fields', () => {
  it('reports a declared field with no column at the field name, with a suggestion', () => {
    const bad = check('id,Age\n1,30\n', 'id: integer\nage: integer');
    expect(codes(bad.findings)).toEqual(['SEG120']);
    expect(bad.findings[0].range).toEqual(rangeOn(1, 0, 3));
    expect(bad.findings[0].file).toBe('/ws/users.segspec');
    expect(bad.findings[0].data).toMatchObject({ field: 'age', suggestions: ['Age'] });
    expect(bad.findings[0].message).toContain('did you mean `Age`');
    // the field still exists (all missing) so that rules over it evaluate
    expect(bad.table?.byName.get('age')?.missing[0]).toBe(1);
    expect(check('id,age\n1,30\n', 'id: integer\nage: integer').findings).toEqual([]);
  });

  it('reports values that do not fit the type: count, first line and value, at the type', () => {
    const bad = check('id,age\n1,30\n2,thirty\n3,4x\n4,41\n', 'id: integer\nage: integer');
    expect(codes(bad.findings)).toEqual(['SEG121']);
    const finding = bad.findings[0];
    expect(finding.data).toMatchObject({ field: 'age', count: 2, firstLine: 3, firstValue: 'thirty' });
    expect(finding.message).toContain('2 rows');
    expect(finding.message).toContain('line 3');
    expect(finding.range).toEqual(rangeOn(1, 5, 12));
    expect(check('id,age\n1,30\n2,31\n', 'id: integer\nage: integer').findings).toEqual([]);
  });

  it('checks dates, date-times, booleans, semver and integer lists', () => {
    const csv = 'd,t,b,v,l\n2026-02-30,2026-01-01T25:00:00Z,maybe,1.2,1;x\n';
    const { findings } = check(csv, 'd: date?\nt: datetime?\nb: boolean?\nv: semver?\nl: list<integer>?');
    expect(findings.map((f) => f.data?.field)).toEqual(['d', 't', 'b', 'v', 'l']);
    expect(new Set(codes(findings))).toEqual(new Set(['SEG121']));
  });

  it('counts every row of a repeated bad version, and keeps bad versions out of the dictionary', () => {
    const { findings, table } = check('v\n1.2.3\n1.2\n1.2.3\n1.2\nv2\n2.0.0\n', 'v: semver?');
    expect(codes(findings)).toEqual(['SEG121']);
    expect(findings[0].data).toMatchObject({ field: 'v', count: 3, firstLine: 3, firstValue: '1.2' });
    const v = table!.byName.get('v')!;
    expect(v.kind === 'dictionary' && v.dictionary).toEqual(['1.2.3', '2.0.0']);
    expect(Array.from(v.missing)).toEqual([0, 1, 0, 1, 1, 0]);
  });

  it('reports missing values in a field without `?`, and not in one with it', () => {
    const bad = check('id,seats\n1,3\n2,\n3,\n', 'id: integer\nseats: integer');
    expect(codes(bad.findings)).toEqual(['SEG122']);
    expect(bad.findings[0].data).toMatchObject({ field: 'seats', count: 2, firstLine: 3 });
    expect(check('id,seats\n1,3\n2,\n', 'id: integer\nseats: integer?').findings).toEqual([]);
  });

  it('reports enum values outside the declared list with their counts', () => {
    const csv = 'plan\nfree\npro\ntrial\nPro\ntrial\n';
    const bad = check(csv, 'plan: enum("free", "pro")');
    expect(codes(bad.findings)).toEqual(['SEG123']);
    expect(bad.findings[0].data?.values).toEqual([
      { value: 'trial', count: 2, firstLine: 4 },
      { value: 'Pro', count: 1, firstLine: 5 },
    ]);
    expect(bad.findings[0].message).toContain('"trial" (2 rows');
    expect(check(csv, 'plan: enum("free", "pro", "trial", "Pro")').findings).toEqual([]);
    // a bare enum takes its values from the data
    expect(check(csv, 'plan: enum').findings).toEqual([]);
  });

  it('reports duplicate keys with their lines, at the key', () => {
    const bad = check('id,x\na,1\nb,2\na,3\nc,4\na,5\nb,6\n', 'id: string\nx: integer', 'id');
    expect(codes(bad.findings)).toEqual(['SEG124']);
    expect(bad.findings[0].range).toEqual(KEY_RANGE);
    expect(bad.findings[0].data).toMatchObject({
      count: 2,
      duplicates: [
        { key: 'a', count: 3, lines: [2, 4, 6] },
        { key: 'b', count: 2, lines: [3, 7] },
      ],
    });
    expect(check('id,x\na,1\nb,2\n', 'id: string\nx: integer', 'id').findings).toEqual([]);
  });

  it('finds duplicate keys in numeric key columns too', () => {
    const bad = check('id\n1\n2\n1\n', 'id: integer', 'id');
    expect(bad.findings[0].data).toMatchObject({ duplicates: [{ key: '1', lines: [2, 4] }] });
  });

  it('reports missing keys', () => {
    const bad = check('id,x\na,1\n,2\n,3\n', 'id: string\nx: integer', 'id');
    expect(codes(bad.findings)).toEqual(['SEG125']);
    expect(bad.findings[0].data).toMatchObject({ count: 2, firstLine: 3 });
  });

  it('reports a key that is not a column', () => {
    const bad = check('user_id,x\na,1\n', 'x: integer', 'userid');
    expect(codes(bad.findings)).toEqual(['SEG126']);
    expect(bad.findings[0].data).toMatchObject({ suggestions: ['user_id'] });
    expect(bad.findings[0].range).toEqual(KEY_RANGE);
  });

  it('places file problems at the source string', () => {
    const bad = check('a,b\n1,2,3\n', 'a: integer\nb: integer');
    expect(bad.findings[0].range).toEqual(SOURCE_RANGE);
  });

  it('has a catalog entry for every code it reports, in SEG100-SEG149', () => {
    const catalog = new Set(dataCodes.map((entry) => entry.code));
    expect(catalog.size).toBe(dataCodes.length);
    for (const entry of dataCodes) {
      expect(entry.code).toMatch(/^SEG1[0-4]\d$/);
      expect(entry.title.length).toBeGreaterThan(3);
      expect(entry.explanation.length).toBeGreaterThan(60);
    }
    const reported = [
      ...check('id,Age\n1,x\n', 'id: integer\nage: integer', 'nokey').findings,
      ...check('a,b\n1,2,3\n"x\n', 'a: integer').findings,
    ];
    for (const finding of reported) expect(catalog).toContain(finding.code);
  });
});
