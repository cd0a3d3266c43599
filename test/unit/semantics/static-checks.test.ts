import { describe, expect, it } from 'vitest';
import { analyzeStatic, codes, usersDataset } from './helpers.js';
import { catalog } from '../../../server/src/core/diagnostics/catalog.js';

/**
 * Each static code with a workspace that triggers it and a corrected one that
 * does not. `bad` and `good` are segment/persona/partition declarations added
 * after the users dataset.
 */
const cases: Array<{ code: string; bad: string; good: string; message?: RegExp }> = [
  { code: 'SEG001', bad: 'segment a { where age > }', good: 'segment a { where age > 3 }', message: /expected/ },
  { code: 'SEG002', bad: 'segment a { where age > 3 }\nsegment a { where age > 4 }', good: 'segment a { where age > 3 }\nsegment b { where age > 4 }' },
  { code: 'SEG003', bad: 'segment a { where age > 3 expect disjoint studnts }\nsegment students { where is_student }', good: 'segment a { where age > 3 expect disjoint students }\nsegment students { where is_student }', message: /did you mean `students`/ },
  { code: 'SEG005', bad: 'segment a { from usres where age > 3 }', good: 'segment a { from users where age > 3 }', message: /did you mean `users`/ },
  { code: 'SEG007', bad: 'segment a { where b }\nsegment b { where c }\nsegment c { where a }', good: 'segment a { where b }\nsegment b { where c }\nsegment c { where age > 3 }', message: /`a` → `b` → `c` → `a`|`b` → `c` → `a` → `b`|`c` → `a` → `b` → `c`/ },
  { code: 'SEG008', bad: 'segment age { where plan == "pro" }\nsegment b { where age }', good: 'segment adults { where age >= 18 }\nsegment b { where adults }' },
  { code: 'SEG009', bad: 'segment a { kind value kind needs where age > 3 }', good: 'segment a { kind value where age > 3 }' },
  { code: 'SEG010', bad: 'persona p { quote "hi" }', good: 'segment a { where age > 3 }\npersona p { segment a quote "hi" }' },
  { code: 'SEG011', bad: 'segment a { where age == "thirty" }', good: 'segment a { where age == 30 }', message: /`age` \(integer\) cannot be compared with the string "thirty"/ },
  { code: 'SEG012', bad: 'segment a { where age contains 3 }', good: 'segment a { where integrations contains "slack" }' },
  { code: 'SEG012', bad: 'segment a { where age within last 3 days }', good: 'segment a { where signup_date within last 3 days }' },
  { code: 'SEG013', bad: 'segment a { where app_version >= "3.x" }', good: 'segment a { where app_version >= "3.10.0" }' },
  { code: 'SEG014', bad: 'segment a { where plan == "enterprize" }', good: 'segment a { where plan == "enterprise" }', message: /did you mean "enterprise"/ },
  { code: 'SEG015', bad: 'segment a { where age < 18 and age > 65 }', good: 'segment a { where age < 18 or age > 65 }' },
  { code: 'SEG015', bad: 'segment a { where plan == "pro" and plan == "team" }', good: 'segment a { where plan == "pro" and job == "team" }' },
  { code: 'SEG016', bad: 'segment a { where age > 5 or age <= 5 }', good: 'segment a { where age > 5 or age < 5 }', message: /never missing/ },
  { code: 'SEG017', bad: 'segment a { where lowr(job) == "x" }', good: 'segment a { where lower(job) == "x" }', message: /did you mean `lower`/ },
  { code: 'SEG018', bad: 'segment a { kind demografic where age > 3 }', good: 'segment a { kind demographic where age > 3 }' },
  { code: 'SEG019', bad: 'segment a { kind value }', good: 'segment a { kind value where ltv_usd > 3 }' },
  { code: 'SEG020', bad: 'segment a { kind value }\npersona p { segment a }', good: 'segment a { where age > 3 }\npersona p { segment a }' },
  { code: 'SEG022', bad: 'segment a { where job matches "(" }', good: 'segment a { where job matches "^dev" }' },
  { code: 'SEG025', bad: 'segment a { where len(age) > 3 }', good: 'segment a { where len(job) > 3 }' },
  { code: 'SEG026', bad: 'segment a { where age and is_student }', good: 'segment a { where age > 3 and is_student }' },
  { code: 'SEG027', bad: 'segment a { where age > 3 }\npartition p { segments [a, bb] }', good: 'segment a { where age > 3 }\nsegment bb { where age <= 3 }\npartition p { segments [a, bb] }' },
  {
    code: 'SEG030',
    bad: 'dataset orgs { source "o.csv" fields { id: string } }\nsegment big_orgs { from orgs where id == "a" }\nsegment a { from users where age > 3 and big_orgs }',
    good: 'dataset orgs { source "o.csv" fields { id: string } }\nsegment big_orgs { from orgs where id == "a" }\nsegment adults { from users where age > 17 }\nsegment a { from users where age > 3 and adults }',
    message: /`big_orgs` draws from `orgs`, not `users`/,
  },
  { code: 'SEG028', bad: 'segment a { where age > 3 expect size between 20% and 10% }', good: 'segment a { where age > 3 expect size between 10% and 20% }' },
];

describe('static checks', () => {
  for (const { code, bad, good, message } of cases) {
    it(`${code}: reported for \`${bad.split('\n')[0]}\`, not for the fix`, () => {
      const reported = analyzeStatic({ 'users.segspec': usersDataset, 'spec.segspec': bad }).findings.filter((f) => f.code === code);
      expect(reported.length).toBeGreaterThan(0);
      if (message) expect(reported.map((f) => f.message).join('\n')).toMatch(message);
      const fixed = analyzeStatic({ 'users.segspec': usersDataset, 'spec.segspec': good }).findings;
      expect(codes(fixed)).not.toContain(code);
    });
  }

  it('every code used here is in the catalog with an explanation', () => {
    for (const { code } of cases) {
      expect(catalog.get(code)?.explanation.length).toBeGreaterThan(20);
    }
  });

  it('reports a duplicate name at both places, across files', () => {
    const { findings } = analyzeStatic({
      'users.segspec': usersDataset,
      'a.segspec': 'segment dup { where age > 3 }',
      'b.segspec': 'segment dup { where age > 4 }',
    });
    const dups = findings.filter((f) => f.code === 'SEG002');
    expect(dups.map((f) => f.file).sort()).toEqual(['/ws/a.segspec', '/ws/b.segspec']);
    expect(dups[0].related?.length).toBe(1);
  });

  it('names the whole cycle at every member', () => {
    const { findings, model } = analyzeStatic({
      'users.segspec': usersDataset,
      'spec.segspec': 'segment a { where b }\nsegment b { where c }\nsegment c { where a }\nsegment d { where a or age > 3 }',
    });
    const cycle = findings.filter((f) => f.code === 'SEG007');
    expect(cycle.length).toBe(3);
    for (const f of cycle) expect(f.message).toMatch(/`a`.*`b`.*`c`/);
    expect(model.segmentOrder).not.toContain('d');
  });

  it('says an `or` over all values is not a tautology when the field may be missing', () => {
    const { findings } = analyzeStatic({ 'users.segspec': usersDataset, 'spec.segspec': 'segment a { where ltv_usd > 5 or ltv_usd <= 5 }' });
    const taut = findings.find((f) => f.code === 'SEG016');
    expect(taut?.message).toMatch(/not always true/);
    expect(taut?.message).toMatch(/ltv_usd is not missing/);
  });

  it('reports unknown fields with did-you-mean once the field list is known from the data', () => {
    const fields = new Map([['users', new Map([['country', { type: 'string' as const, optional: false, inferred: true }]])]]);
    const spec = { 'users.segspec': usersDataset, 'spec.segspec': 'segment a { where contry == "DE" }' };
    const { findings } = analyzeStatic(spec, fields);
    const unknown = findings.find((f) => f.code === 'SEG004');
    expect(unknown?.message).toMatch(/did you mean `country`/);
    expect(unknown?.data?.suggestions).toEqual(['country']);
    expect(codes(analyzeStatic(spec).findings)).not.toContain('SEG004');
  });

  it('suggests values seen in the data for string fields', () => {
    const values = (_: string, field: string) => (field === 'job' ? ['designer', 'developer'] : undefined);
    const { findings } = analyzeStatic({ 'users.segspec': usersDataset, 'spec.segspec': 'segment a { where job == "desginer" }' }, undefined, values);
    expect(findings.find((f) => f.code === 'SEG029')?.message).toMatch(/did you mean "designer"/);
  });

  it('resolves references with ranges for definition and rename', () => {
    const text = 'segment students { where is_student }\nsegment b { where students and age > 3 }';
    const { model } = analyzeStatic({ 'users.segspec': usersDataset, 'spec.segspec': text });
    const uses = model.references.filter((r) => r.target?.kind === 'segment' && r.target.name === 'students');
    expect(uses).toHaveLength(1);
    expect(text.slice(uses[0].range.start.offset, uses[0].range.end.offset)).toBe('students');
    const fieldUse = model.references.find((r) => r.target?.kind === 'field' && r.name === 'is_student');
    expect(fieldUse?.target).toEqual({ kind: 'field', dataset: 'users', name: 'is_student' });
    expect(model.segments.get('b')?.uses).toEqual(['students']);
    expect(model.segmentOrder.indexOf('students')).toBeLessThan(model.segmentOrder.indexOf('b'));
  });

  it('requires `from` when there are several datasets', () => {
    const second = 'dataset orgs { source "orgs.csv" }';
    const { findings } = analyzeStatic({ 'users.segspec': usersDataset, 'orgs.segspec': second, 'spec.segspec': 'segment a { where age > 3 }' });
    expect(codes(findings)).toContain('SEG021');
    const fixed = analyzeStatic({ 'users.segspec': usersDataset, 'orgs.segspec': second, 'spec.segspec': 'segment a { from users where age > 3 }' });
    expect(codes(fixed.findings)).not.toContain('SEG021');
  });
});
