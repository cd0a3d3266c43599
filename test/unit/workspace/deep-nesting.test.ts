/**
 * Found by the fuzzer (test/fuzz): a rule nested thousands of levels deep
 * (`not not not …`, `a and b and … `, `((((…))))`) overflowed the stack of
 * the static checks, and `segspec check` stopped with "Maximum call stack
 * size exceeded"; deep parentheses made the parser drop the whole file. Now
 * the deep spot is a located error and everything else is read and checked.
 */
import { describe, expect, it } from 'vitest';
import { Workspace } from '../../../server/src/core/workspace.js';
import { MemoryHost } from './memory-host.js';

const data = 'id,age,is_student\n1,20,true\n2,40,false\n3,,true\n';

function spec(rule: string): string {
  return `dataset users {
  source "users.csv"
  key id
  fields { id: integer  age: integer?  is_student: boolean }
}
segment deep {
  where ${rule}
}
segment students {
  where is_student
  expect size >= 10%
}
`;
}

const forms: Array<[string, (n: number) => string]> = [
  ['a chain of `not`', (n) => `${'not '.repeat(n)}is_student`],
  ['a chain of `and`', (n) => Array.from({ length: n }, (_, i) => `age > ${i}`).join(' and ')],
  ['a chain of `+`', (n) => `age${' + 1'.repeat(n)} > 5`],
  ['nested parentheses', (n) => `${'('.repeat(n)}is_student${')'.repeat(n)}`],
  ['nested lists', (n) => `age in ${'['.repeat(n)}1${']'.repeat(n)}`],
  ['unclosed parentheses', (n) => `${'('.repeat(n)}is_student`],
];

describe('rules nested too deeply', () => {
  it.each(forms)('%s 20,000 deep: one located error on that rule, the other segments still checked', async (_name, rule) => {
    const ws = new Workspace(new MemoryHost({ '/ws/spec.segspec': spec(rule(20_000)), '/ws/users.csv': data }), '/ws');
    const analysis = await ws.analyze();
    const nested = analysis.findings.filter((f) => /nested more than/u.test(f.message));
    expect(nested.length).toBeGreaterThanOrEqual(1);
    for (const f of nested) {
      expect(f.file).toBe('/ws/spec.segspec');
      expect(f.range.start.line).toBe(6);
      expect(f.severity).toBe('error');
    }
    // The segment after the deep one is read and measured: 2 of 3 rows are students.
    expect(analysis.findings.filter((f) => f.file === '/ws/spec.segspec' && f.range.start.line >= 8 && f.severity === 'error')).toEqual([]);
    expect(analysis.results.segments.get('students')?.size).toBe(2);
    expect(analysis.results.segments.get('deep')?.status).not.toBe('ok');
  });

  it.each(forms)('%s 100 deep is an ordinary rule', async (_name, rule) => {
    const ws = new Workspace(new MemoryHost({ '/ws/spec.segspec': spec(rule(100)), '/ws/users.csv': data }), '/ws');
    const analysis = await ws.analyze();
    expect(analysis.findings.filter((f) => /nested more than/u.test(f.message))).toEqual([]);
  });
});
