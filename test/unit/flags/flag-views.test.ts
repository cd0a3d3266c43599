import { describe, expect, it } from 'vitest';
import { Workspace } from '../../../server/src/core/workspace.js';
import { buildView } from '../../../server/src/cli/view-builder.js';
import { formatStatsJson, formatStatsTable } from '../../../server/src/cli/reporters/stats.js';
import { renderReport } from '../../../server/src/cli/report/html.js';
import { makeColors } from '../../../server/src/cli/colors.js';
import { flagHeadline } from '../../../server/src/core/flags/present.js';
import { MemoryHost } from '../workspace/memory-host.js';
import { toySystem } from './toy-system.js';

// 6 users; students u1..u3; the flag is on for plan "edu": u1, u2 (students) and u5 (not).
const csv = ['user_id,plan,is_student', 'u1,edu,true', 'u2,edu,true', 'u3,free,true', 'u4,free,false', 'u5,edu,false', 'u6,pro,false'].join('\n');
const spec = `dataset users { source "users.csv" key user_id }
segment students { where is_student }
persona sam { segment students profile { user_id: "sam", plan: "edu", is_student: true } }
persona pat { segment students profile { plan: "free", is_student: true } }
flag smart "Smart <rescheduling>" {
  system growthbook
  source "flags.json"
  key "smart-reschedule"
  for students
  context { planTier: plan }
  expect reach >= 90%
  expect leak == 0 warn
}
`;
const flags = JSON.stringify({ flags: { 'smart-reschedule': { rules: [{ attribute: 'planTier', in: ['edu'] }] } } });

async function analyzed() {
  const host = new MemoryHost({ '/ws/users.csv': csv, '/ws/spec.segspec': spec, '/ws/flags.json': flags });
  const workspace = new Workspace(host, '/ws', { flagSystems: () => toySystem });
  const analysis = await workspace.analyze();
  return { workspace, analysis };
}

describe('a flag in stats, the report and the headline', () => {
  it('the headline reads as the lens shows it', async () => {
    const { analysis } = await analyzed();
    const result = analysis.flags.get('smart')!;
    expect(flagHeadline(result, (n) => `${n} users`)).toBe('Toy smart-reschedule · 3 users · 66.7% of students · 1 outside');
  });

  it('persona profiles are evaluated as contexts', async () => {
    const { analysis } = await analyzed();
    expect(analysis.flags.get('smart')?.personas).toEqual([
      { name: 'sam', on: true, rule: 'rule 1' },
      { name: 'pat', on: false, rule: 'default' },
    ]);
  });

  it('stats JSON lists the flag under `flags` with rows, reach and leak', async () => {
    const { workspace, analysis } = await analyzed();
    const view = buildView([{ target: { root: '/ws' }, workspace, analysis, findings: analysis.findings }], analysis.findings, { cwd: '/', sampleSize: 3 });
    const doc = JSON.parse(formatStatsJson(view)) as { flags: Array<Record<string, unknown>> };
    expect(doc.flags).toEqual([
      {
        workspace: 'ws',
        name: 'smart',
        system: 'growthbook',
        key: 'smart-reschedule',
        for: ['students'],
        dataset: 'users',
        rows: 3,
        members: 3,
        reached: 2,
        reach: 2 / 3,
        leak: 1,
        leakByRule: [{ rule: 'rule 1', count: 1, exampleKeys: ['u5'] }],
        expectations: [
          { text: 'expect reach >= 90%', passed: false, message: 'reach is 66.7% (2 of 3 members of students), expected >= 90%' },
          { text: 'expect leak == 0 warn', passed: false, message: 'leak is 1 (33.3% of 3 rows outside students), expected == 0: 1 by rule 1 (e.g. u5)' },
        ],
      },
    ]);
    const table = formatStatsTable(view, makeColors(false));
    expect(table).toContain('flag smart (growthbook smart-reschedule) for students: 3 rows get it · reach 66.7% (2 of 3) · leak 1');
    expect(table).toContain('1 outside by rule 1 (e.g. u5)');
    const html = renderReport(view, { title: 'r', generatedAt: 'now', toolVersion: '0', echartsSource: '' });
    expect(html).toContain('<section id="flags">');
    expect(html).toContain('Smart &lt;rescheduling&gt;');
    expect(html).toContain('66.7% (2 of 3)');
  });
});
