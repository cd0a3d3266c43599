/**
 * `matches` is RE2 syntax matched in linear time (SPEC §5.1): a pattern that
 * backtracks exponentially in JavaScript finishes at once, with the right
 * membership, on the bitset engine, the reference interpreter, examples and
 * persona profiles; constructs only a backtracking engine can run are errors
 * at the pattern.
 */
import { describe, expect, it } from 'vitest';
import { compiled, expr, reference, tableFromRows, type EvalSetup } from './helpers.js';
import { compilePattern } from '../../../server/src/core/util/regex.js';
import { Workspace } from '../../../server/src/core/workspace.js';
import { MemoryHost } from '../workspace/memory-host.js';
import { analyzeStatic, usersDataset } from '../semantics/helpers.js';

// `^(a+)+$` against "aaa…a!" backtracks 2^n times in a backtracking engine: 29 characters took 14 s.
const LONG = 'a'.repeat(50_000);
const setup: EvalSetup = {
  table: tableFromRows({ name: 'string' }, [{ name: `${LONG}!` }, { name: LONG }, { name: 'aab' }, {}]),
  today: 0,
  segments: new Map(),
};

describe('matches in linear time', () => {
  it('a catastrophic pattern over long values gives the right membership on both engines', { timeout: 10_000 }, () => {
    const e = expr('name matches "^(a+)+$"');
    expect(compiled(e, setup)).toEqual([false, true, false, null]);
    expect(reference(e, setup)).toEqual([false, true, false, null]);
  });

  it('matches anywhere in the value unless anchored, with RE2 classes and flags', () => {
    const cases: Array<[string, string, boolean]> = [
      ['b+', 'aab', true],
      ['^b', 'aab', false],
      ['(?i)^AAB$', 'aab', true],
      ['\\pL+\\d', 'été1', true],
      ['^.$', '😀', true],
      ['^[[:alpha:]]+$', 'abc', true],
      ['(?P<first>a)b', 'xab', true],
    ];
    for (const [pattern, value, expected] of cases) {
      const compiledPattern = compilePattern(pattern);
      expect(compiledPattern.ok, pattern).toBe(true);
      if (compiledPattern.ok) expect(compiledPattern.test(value), `${pattern} on ${value}`).toBe(expected);
    }
  });

  it('examples and persona profiles with a catastrophic pattern are judged, not stalled', { timeout: 10_000 }, async () => {
    const spec = `dataset people {
  source "people.csv"
  key id
  fields { id: string name: string }
}
segment as_only {
  where name matches "^(a+)+$"
  example member { id: "x", name: "${LONG}" }
  example nonmember { id: "y", name: "${LONG}!" }
  example member { id: "z", name: "${LONG}?" }
}
persona alice { segment as_only profile { id: "p", name: "${LONG}!" } }
`;
    const csv = `id,name\n1,${LONG}\n2,${LONG}!\n3,bob\n`;
    const ws = new Workspace(new MemoryHost({ '/ws/spec.segspec': spec, '/ws/people.csv': csv }), '/ws');
    const analysis = await ws.analyze();
    expect(analysis.results.segments.get('as_only')?.size).toBe(1);
    const failing = analysis.findings.filter((f) => f.severity !== 'info').map((f) => `${f.code} ${f.range.start.line + 1}`);
    // The third example (line 10) is not a member; the persona's profile (line 12) does not fit its segment.
    expect(failing.some((f) => f.endsWith(' 10'))).toBe(true);
    expect(failing.some((f) => f.endsWith(' 12'))).toBe(true);
    expect(failing.some((f) => f.endsWith(' 8') || f.endsWith(' 9'))).toBe(false);
  });
});

describe('patterns RE2 rejects are errors at the pattern', () => {
  const rejected: Array<[string, RegExp]> = [
    ['(a)\\\\1', /backreferences such as `\\1` are not supported: `matches` uses RE2 syntax/],
    ['(?<n>a)\\\\k<n>', /named backreferences/],
    ['dev(?=ops)', /look-ahead \(`\(\?=…\)`\) is not supported/],
    ['dev(?!ops)', /negative look-ahead/],
    ['(?<=x)dev', /look-behind \(`\(\?<=…\)`\) is not supported/],
    ['(?<!x)dev', /negative look-behind/],
    ['(', /invalid regular expression: missing closing \)/],
    ['a{1001}', /invalid regular expression: invalid repeat count/],
  ];
  for (const [pattern, message] of rejected) {
    it(`"${pattern}"`, () => {
      const source = `segment a { where job matches "${pattern}" }`;
      const { findings } = analyzeStatic({ 'users.segspec': usersDataset, 'spec.segspec': source });
      const errors = findings.filter((f) => f.severity === 'error' && f.file === '/ws/spec.segspec');
      expect(errors.map((f) => f.code)).toEqual(['SEG022']);
      expect(errors[0].message).toMatch(message);
      const start = source.indexOf('"');
      expect(errors[0].range.start.character).toBe(start);
      expect(errors[0].range.end.character).toBe(source.lastIndexOf('"') + 1);
    });
  }

  it('an escaped parenthesis or a bracket is not mistaken for look-around or a backreference', () => {
    expect(compilePattern(String.raw`\(?=x`).ok).toBe(true);
    expect(compilePattern('[(?=]x').ok).toBe(true);
    expect(compilePattern(String.raw`\\1`).ok).toBe(true);
    const backreference = compilePattern(String.raw`(a)\1`);
    expect(backreference.ok ? '' : backreference.problem).toMatch(/backreferences/);
  });
});
