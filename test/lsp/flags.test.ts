/**
 * The `flag` declaration in the editor, against GrowthBook's real reader
 * (SPEC §12): the code lens, the hover, diagnostics located in the .segspec
 * file with a related location in the payload. Expected numbers come from
 * GrowthBook's own SDK, not from the code under test.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GrowthBook, type FeatureApiResponse } from '@growthbook/growthbook';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CodeLensRequest, HoverRequest, type MarkupContent } from 'vscode-languageserver-protocol';
import { TestClient, cursor } from './harness.js';
import { PreviewRequestMethod, type PreviewData } from '../../server/src/lsp/protocol.js';

// id, age, plan, is_student (age missing for u07)
const rows: Array<[string, number | undefined, string, boolean]> = [
  ['u01', 19, 'edu', true],
  ['u02', 22, 'free', true],
  ['u03', 34, 'free', true],
  ['u04', 17, 'pro', false],
  ['u05', 41, 'edu', false],
  ['u06', 28, 'team', false],
  ['u07', undefined, 'free', true],
  ['u08', 20, 'edu', false],
  ['u09', 55, 'pro', false],
  ['u10', 23, 'free', true],
];
const payload = {
  features: {
    'smart-reschedule': {
      defaultValue: false,
      rules: [
        { id: 'r_students', condition: { student: true }, force: true },
        { id: 'r_edu', condition: { planTier: { $inGroup: 'education' } }, force: true },
      ],
    },
  },
  savedGroups: { education: ['edu'] },
};
const spec = `dataset users {
  source "users.csv"
  key user_id
  fields { age: integer? }
}
segment students { where is_student and age < 30 }
segment on_edu { where plan == "edu" }
persona erin { segment on_edu profile { user_id: "p1", plan: "edu", is_student: false } }
persona fred { segment students profile { user_id: "p2", plan: "free", is_student: false, age: 20 } }
`;
const flagSpec = `flag smart "Smart rescheduling" {
  system growthbook
  source "growthbook.json"
  key "smart-reschedule"
  for students
  context { id: user_id, student: is_student, planTier: plan }
  expect leak == 0
}
`;

async function sdkIsOn(attributes: Record<string, unknown>): Promise<boolean> {
  const gb = new GrowthBook({ attributes });
  await gb.setPayload(payload as unknown as FeatureApiResponse);
  return gb.isOn('smart-reschedule');
}

/** Who gets the flag, per GrowthBook's SDK. */
async function sdkDecisions(): Promise<boolean[]> {
  const decisions: boolean[] = [];
  for (const [id, , plan, student] of rows) decisions.push(await sdkIsOn({ id, planTier: plan, student }));
  return decisions;
}

describe('a GrowthBook flag in the editor', () => {
  let root: string;
  let client: TestClient;
  let diagnostics: Awaited<ReturnType<TestClient['open']>>;
  beforeAll(async () => {
    root = mkdtempSync(join(tmpdir(), 'segspec-flags-'));
    writeFileSync(join(root, 'users.csv'), `user_id,age,plan,is_student\n${rows.map((r) => r.map((v) => v ?? '').join(',')).join('\n')}\n`);
    writeFileSync(join(root, 'growthbook.json'), JSON.stringify(payload, null, 2));
    writeFileSync(join(root, 'data.segspec'), spec);
    writeFileSync(join(root, 'flag.segspec'), flagSpec);
    client = await TestClient.start(root);
    diagnostics = await client.open('flag.segspec');
  });
  afterAll(async () => {
    await client.stop();
    rmSync(root, { recursive: true, force: true });
  });

  it('shows who gets it, the reach of the segment and the rows outside in a lens above the flag', async () => {
    const on = await sdkDecisions();
    const member = rows.map(([, age, , student]) => student && age !== undefined && age < 30);
    const gets = on.filter(Boolean).length;
    const reached = on.filter((o, i) => o && member[i]).length;
    const members = member.filter(Boolean).length;
    const outside = on.filter((o, i) => o && !member[i]).length;
    expect(outside).toBeGreaterThan(0);
    const lenses = (await client.connection.sendRequest(CodeLensRequest.type, { textDocument: { uri: client.uri('flag.segspec') } })) ?? [];
    expect(lenses.map((l) => l.command?.title)).toEqual([
      `GrowthBook smart-reschedule · ${gets} users · ${((100 * reached) / members).toFixed(1)}% of students · ${outside} outside`,
    ]);
  });

  it('reports the failed `expect leak` at the line, with the rule that let rows in and its place in the payload', async () => {
    const leak = diagnostics.diagnostics.find((d) => d.code === 'SEG303');
    expect(leak?.range.start.line).toBe(6);
    expect(leak?.message).toContain('expected == 0');
    expect(leak?.relatedInformation?.[0]?.location.uri).toBe(client.uri('growthbook.json'));
  });

  it('gives the preview who gets it per segment and per persona, as the SDK decides', async () => {
    const on = await sdkDecisions();
    const preview = await client.connection.sendRequest<PreviewData>(PreviewRequestMethod, {});
    const flag = preview.flags.find((f) => f.name === 'smart');
    expect(flag?.for).toEqual(['students']);
    const inSegment: Record<string, (r: (typeof rows)[number]) => boolean> = {
      students: ([, age, , student]) => student && age !== undefined && age < 30,
      on_edu: ([, , plan]) => plan === 'edu',
    };
    const expected = Object.entries(inSegment).map(([name, member]) => ({ name, members: rows.filter(member).length, on: rows.filter((r, i) => member(r) && on[i]).length }));
    expect(flag?.segments.slice().sort((a, b) => a.name.localeCompare(b.name))).toEqual(expected.sort((a, b) => a.name.localeCompare(b.name)));
    const personas = new Map(flag?.personas.map((p) => [p.name, p.on]));
    expect(personas.get('erin')).toBe(await sdkIsOn({ id: 'p1', planTier: 'edu', student: false }));
    expect(personas.get('fred')).toBe(await sdkIsOn({ id: 'p2', planTier: 'free', student: false }));
    expect([personas.get('erin'), personas.get('fred')]).toEqual([true, false]);
  });

  it('hovers the flag name with its card', async () => {
    const { position } = cursor(flagSpec.replace('flag smart', 'flag sm┆art'));
    const hover = await client.connection.sendRequest(HoverRequest.type, { textDocument: { uri: client.uri('flag.segspec') }, position });
    const value = (hover?.contents as MarkupContent).value;
    expect(value).toContain('**flag smart**');
    expect(value).toMatch(/reach: \d+\.\d%/);
    expect(value).toMatch(/leak: \d+ of \d+ outside/);
  });
});
