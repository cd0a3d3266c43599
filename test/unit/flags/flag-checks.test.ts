import { describe, expect, it } from 'vitest';
import { CancelledError, Workspace, withDataResults } from '../../../server/src/core/workspace.js';
import type { FlagSystem } from '../../../server/src/core/flags/system.js';
import type { Finding } from '../../../server/src/core/diagnostics/types.js';
import { catalog } from '../../../server/src/core/diagnostics/catalog.js';
import { MemoryHost } from '../workspace/memory-host.js';
import { toyRuleHolds, toySystem, type ToyRule } from './toy-system.js';

// 12 users: students by is_student; the flag turns on for plan "edu" (rule 1) and age < 20 (rule 2).
const rows = [
  ['u01', 19, 'edu', true],
  ['u02', 22, 'edu', true],
  ['u03', 25, 'free', true],
  ['u04', 18, 'free', false],
  ['u05', 31, 'edu', false],
  ['u06', 40, 'pro', false],
  ['u07', '', 'edu', true],
  ['u08', 17, 'pro', false],
  ['u09', 33, 'team', false],
  ['u10', 21, 'edu', true],
  ['u11', 50, 'edu', false],
  ['u12', 19, 'team', true],
] as const;
const csv = ['user_id,age,plan,is_student', ...rows.map((r) => r.join(','))].join('\n');
const rules: ToyRule[] = [
  { attribute: 'planTier', in: ['edu'] },
  { attribute: 'age', below: 20 },
];
const flagFile = JSON.stringify({ flags: { 'smart-reschedule': { rules }, 'dark-mode': { rules: [] } } }, null, 2);

const dataset = `dataset users {
  source "users.csv"
  key user_id
  fields { age: integer? }
}
segment students { where is_student }
segment adults { where age >= 18 }
`;

function flagSpec(body: string): string {
  return `flag smart_reschedule "Smart rescheduling" {\n${body}\n}\n`;
}

const complete = `  system growthbook
  source "flags/toy.json"
  key "smart-reschedule"
  for students
  context { planTier: plan }`;

function workspace(flag: string, files: Record<string, string> = {}) {
  const host = new MemoryHost({
    '/ws/users.csv': csv,
    '/ws/flags/toy.json': flagFile,
    '/ws/spec.segspec': dataset,
    '/ws/flag.segspec': flag,
    ...files,
  });
  return { host, ws: new Workspace(host, '/ws', { flagSystems: () => toySystem }) };
}

function flagFindings(findings: Finding[]): Finding[] {
  return findings.filter((f) => /^SEG(0[67]\d|3[0-3]\d)$/.test(f.code) || f.code === 'SEG063');
}

/** Expected reach and leak computed from the rows, not by the code under test. */
function expected() {
  const gets = (r: (typeof rows)[number]) => {
    const ctx = { planTier: r[2], ...(r[1] === '' ? {} : { age: r[1] }) };
    const index = rules.findIndex((rule) => toyRuleHolds(rule, ctx));
    return index < 0 ? undefined : `rule ${index + 1}`;
  };
  const members = rows.filter((r) => r[3]);
  const outsiders = rows.filter((r) => !r[3]);
  const leaked = outsiders.filter((r) => gets(r) !== undefined);
  return {
    on: rows.filter((r) => gets(r) !== undefined).length,
    members: members.length,
    reached: members.filter((r) => gets(r) !== undefined).length,
    leak: leaked.length,
    leakKeys: (rule: string) => leaked.filter((r) => gets(r) === rule).map((r) => r[0]),
  };
}

describe('flag findings on the sample data', () => {
  it('measures who gets the flag, its reach of the segment and its leak by rule with example keys', async () => {
    const { ws } = workspace(flagSpec(complete));
    const analysis = await ws.analyze();
    const result = analysis.flags.get('smart_reschedule')!;
    const want = expected();
    expect(result.unavailable).toBeUndefined();
    expect(result.on).toBe(want.on);
    expect(result.measures?.members).toBe(want.members);
    expect(result.measures?.reached).toBe(want.reached);
    expect(result.measures?.reach).toBeCloseTo(want.reached / want.members);
    expect(result.measures?.leak).toBe(want.leak);
    const byRule = result.measures?.leakByRule.map((r) => [r.rule, r.count, r.exampleKeys]) ?? [];
    expect([...byRule].sort()).toEqual([
      ['rule 1', want.leakKeys('rule 1').length, want.leakKeys('rule 1')],
      ['rule 2', want.leakKeys('rule 2').length, want.leakKeys('rule 2')],
    ]);
    const leak = analysis.findings.find((f) => f.code === 'SEG301');
    expect(leak?.file).toBe('/ws/flag.segspec');
    expect(leak?.message).toContain(`${want.leak} rows outside students get the flag`);
    expect(leak?.message).toContain(want.leakKeys('rule 1').join(', '));
    expect(leak?.related?.[0].file).toBe('/ws/flags/toy.json');
  });

  it('judges expect reach and expect leak with the measured values; warn makes a warning', async () => {
    const want = expected();
    const { ws } = workspace(flagSpec(`${complete}\n  expect reach >= 95%\n  expect leak == 0 warn\n  expect reach >= 50%`));
    const findings = (await ws.analyze()).findings;
    const reach = findings.filter((f) => f.code === 'SEG302');
    expect(reach).toHaveLength(1);
    expect(reach[0].severity).toBe('error');
    const pct = ((100 * want.reached) / want.members).toFixed(1);
    expect(reach[0].message).toBe(`reach is ${pct}% (${want.reached} of ${want.members} members of students), expected >= 95%`);
    expect(reach[0].range.start.line).toBe(6);
    const leak = findings.find((f) => f.code === 'SEG303');
    expect(leak?.severity).toBe('warning');
    expect(leak?.message).toContain(`leak is ${want.leak} (`);
    expect(leak?.message).toContain('expected == 0');
    // With `expect leak`, the leak is not reported a second time.
    expect(findings.filter((f) => f.code === 'SEG301')).toEqual([]);
  });

  it('a rule Segspec cannot evaluate makes reach and leak unavailable, never a number', async () => {
    const unsupported = JSON.stringify({ flags: { 'smart-reschedule': { rules: [{ unsupported: 'a big segment' }] } } }, null, 2);
    const { ws } = workspace(flagSpec(`${complete}\n  expect reach >= 95%`), { '/ws/flags/toy.json': unsupported });
    const analysis = await ws.analyze();
    const result = analysis.flags.get('smart_reschedule')!;
    expect(result.measures).toBeUndefined();
    expect(result.on).toBeUndefined();
    expect(result.unavailable).toContain('could not decide 12 of 12 rows');
    const codes = flagFindings(analysis.findings).map((f) => f.code);
    expect(codes).toContain('SEG069');
    expect(codes).toContain('SEG304');
    expect(codes).not.toContain('SEG302');
    const construct = analysis.findings.find((f) => f.code === 'SEG069');
    expect(construct?.message).toContain('a big segment cannot be evaluated');
    expect(construct?.related?.[0]).toMatchObject({ file: '/ws/flags/toy.json', range: { start: { line: 5 } } });
  });

  it('does not evaluate the flag again after an edit elsewhere, but re-measures reach when the segment changes', async () => {
    const { ws } = workspace(flagSpec(complete));
    await ws.analyze();
    expect(ws.flagEvaluations).toBe(1);
    ws.setOverlay('/ws/spec.segspec', dataset.replace('age >= 18', 'age >= 21'), 1);
    await ws.analyze();
    expect(ws.flagEvaluations).toBe(1);
    ws.setOverlay('/ws/spec.segspec', dataset.replace('where is_student', 'where is_student and age < 20'), 2);
    const analysis = await ws.analyze();
    expect(ws.flagEvaluations).toBe(1);
    // Members now: u01 (19), u12 (19); both get the flag (rule 1 / rule 2).
    expect(analysis.flags.get('smart_reschedule')?.measures).toMatchObject({ members: 2, reached: 2 });
  });
});

describe('identities with non-ASCII characters', () => {
  it('on a system whose SDKs disagree, say which SDK the bucketing follows', async () => {
    const unleashLike = { ...toySystem, name: 'unleash' as const, title: 'Unleash', identityAttribute: 'userId' };
    const host = new MemoryHost({
      '/ws/users.csv': csv.replace('u01,', 'ü01,'),
      '/ws/flags/toy.json': flagFile,
      '/ws/spec.segspec': dataset,
      '/ws/flag.segspec': flagSpec(complete.replace('growthbook', 'unleash')),
    });
    const findings = (await new Workspace(host, '/ws', { flagSystems: () => unleashLike }).analyze()).findings;
    const finding = findings.find((f) => f.code === 'SEG305');
    expect(finding?.message).toContain("1 row has an identity with non-ASCII characters: Segspec buckets them as Unleash's Node SDK does");
    const { ws } = workspace(flagSpec(complete));
    expect((await ws.analyze()).findings.some((f) => f.code === 'SEG305')).toBe(false);
  });
});

describe('a flag when the checks run on a SQL engine', () => {
  it('is unavailable with the reason, with no number and no finding measured on sampled rows', async () => {
    const { ws } = workspace(flagSpec(`${complete}\n  expect reach >= 95%`));
    const embedded = await ws.analyze();
    expect(embedded.findings.some((f) => f.code === 'SEG302')).toBe(true);
    const onEngine = withDataResults(embedded, embedded.results);
    const flag = onEngine.flags.get('smart_reschedule')!;
    expect(flag.measures).toBeUndefined();
    expect(flag.on).toBeUndefined();
    expect(flag.unavailable).toContain('embedded engine only');
    expect(flag.expectations.map((e) => e.passed)).toEqual([undefined]);
    expect(onEngine.findings.filter((f) => /^SEG30\d$/.test(f.code))).toEqual([]);
  });
});

describe('static checks of a flag', () => {
  async function findingsOf(body: string, files: Record<string, string> = {}) {
    const { ws } = workspace(flagSpec(body), files);
    return flagFindings((await ws.analyze()).findings);
  }

  it('names the missing properties', async () => {
    const findings = await findingsOf('  system growthbook');
    expect(findings.map((f) => [f.code, f.message])).toEqual([
      ['SEG060', 'flag `smart_reschedule` needs `source "path/to/flags.json"`, `key "flag-key"`, `for SEGMENT`'],
    ]);
  });

  it('an unknown system, with a did-you-mean', async () => {
    const findings = await findingsOf(complete.replace('growthbook', 'growthbok'));
    const finding = findings.find((f) => f.code === 'SEG061');
    expect(finding?.message).toContain('did you mean `growthbook`');
    expect(finding?.range.start.line).toBe(1);
  });

  it('a file outside the workspace, or missing', async () => {
    expect((await findingsOf(complete.replace('flags/toy.json', '../outside.json'))).map((f) => f.code)).toContain('SEG064');
    const missing = await findingsOf(complete.replace('flags/toy.json', 'flags/nope.json'));
    expect(missing.find((f) => f.code === 'SEG062')?.message).toContain('flag file `flags/nope.json` not found');
  });

  it('a key not in the file, with a did-you-mean among the file\'s keys', async () => {
    const findings = await findingsOf(complete.replace('"smart-reschedule"', '"smart-reshedule"'));
    const finding = findings.find((f) => f.code === 'SEG066');
    expect(finding?.message).toBe('Toy file `flags/toy.json` has no flag `smart-reshedule` — did you mean `smart-reschedule`?'.replace(' — did you mean', ' — did you mean'));
    expect(finding?.range.start.line).toBe(3);
  });

  it('an unknown `for` segment, with a did-you-mean', async () => {
    const finding = (await findingsOf(complete.replace('for students', 'for studnets'))).find((f) => f.code === 'SEG063');
    expect(finding?.message).toContain('did you mean `students`');
  });

  it('an unknown context field, and an attribute the rules read that nothing maps', async () => {
    const unknownField = (await findingsOf(complete.replace('planTier: plan', 'planTier: plna'))).find((f) => f.code === 'SEG065');
    expect(unknownField?.message).toContain('did you mean `plan`');
    const unmapped = (await findingsOf(complete.replace('  context { planTier: plan }', ''))).find((f) => f.code === 'SEG067');
    expect(unmapped?.message).toContain('reads attribute `planTier`');
    expect(unmapped?.message).toContain('map it in `context { planTier: field }`');
    const close = JSON.stringify({ flags: { 'smart-reschedule': { rules: [{ attribute: 'isStudent', in: [true] }] } } });
    const suggested = (await findingsOf(complete, { '/ws/flags/toy.json': close })).find((f) => f.code === 'SEG067');
    expect(suggested?.message).toContain('`context { isStudent: is_student }`');
    expect(suggested?.data?.suggestions).toEqual(['is_student']);
  });

  it('a file that does not follow the system\'s format', async () => {
    const findings = await findingsOf(complete, { '/ws/flags/toy.json': '{"flags": 3}' });
    const finding = findings.find((f) => f.code === 'SEG068');
    expect(finding?.message).toContain('`flags` must be an object');
    expect(finding?.range.start.line).toBe(2);
    expect(findings.map((f) => f.code)).not.toContain('SEG066');
  });

  it('every flag code is in the catalog', () => {
    for (let n = 60; n <= 72; n++) expect(catalog.has(`SEG0${n}`)).toBe(true);
    for (let n = 301; n <= 305; n++) expect(catalog.has(`SEG${n}`)).toBe(true);
  });
});

describe('deciding a flag on many rows in the language server', () => {
  // 40,000 users; the flag targets individual ids, so every row is decided on its own.
  const many = ['user_id,plan,is_student', ...Array.from({ length: 40_000 }, (_, i) => `u${i},${i % 3 === 0 ? 'edu' : 'pro'},${i % 2 === 0}`)].join('\n');
  const byId = JSON.stringify({ flags: { 'smart-reschedule': { rules: [{ attribute: 'id', in: Array.from({ length: 500 }, (_, i) => `u${i * 7}`) }] } } });
  const counted = (evaluations: { count: number }): FlagSystem => ({
    ...toySystem,
    read(text) {
      const file = toySystem.read(text);
      return { ...file, evaluate: (key, ctx) => (evaluations.count++, file.evaluate(key, ctx)) };
    },
  });
  const files = { '/ws/users.csv': many, '/ws/flags/toy.json': byId, '/ws/spec.segspec': dataset.replace('  fields { age: integer? }\n', '').replace('segment adults { where age >= 18 }\n', ''), '/ws/flag.segspec': flagSpec(complete) };

  it('hands the thread back while it decides rows, with the same result as at once', async () => {
    const evaluations = { count: 0 };
    const progressAtPauses: number[] = [];
    const sliced = new Workspace(new MemoryHost(files), '/ws', {
      flagSystems: () => counted(evaluations),
      pause: async () => void progressAtPauses.push(evaluations.count),
    });
    const analysis = await sliced.analyze();
    expect(progressAtPauses.some((n) => n > 0 && n < 40_000), `pauses at ${progressAtPauses.join(', ')}`).toBe(true);
    const atOnce = await new Workspace(new MemoryHost(files), '/ws', { flagSystems: () => toySystem }).analyze();
    expect(analysis.flags.get('smart_reschedule')?.measures).toEqual(atOnce.flags.get('smart_reschedule')?.measures);
    expect(analysis.flags.get('smart_reschedule')?.on).toBe(500);
  });

  it('stops deciding when a newer edit cancels the analysis, and decides again afterwards', async () => {
    const evaluations = { count: 0 };
    const ws = new Workspace(new MemoryHost(files), '/ws', { flagSystems: () => counted(evaluations), pause: async () => undefined });
    await expect(ws.analyze(() => evaluations.count > 0)).rejects.toBeInstanceOf(CancelledError);
    expect(evaluations.count).toBeGreaterThan(0);
    expect(evaluations.count).toBeLessThan(40_000);
    const analysis = await ws.analyze();
    expect(analysis.flags.get('smart_reschedule')?.on).toBe(500);
  });
});
