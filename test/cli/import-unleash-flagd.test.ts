/**
 * End to end through the declaration: an Unleash client API response and a
 * flagd definition file in a workspace, imported with `segspec import`, and
 * `flag` declarations with `system unleash` / `system flagd`; `stats --format
 * json` gives each flag the rows, reach and leak that the systems' own SDKs
 * decide over the same rows (computed here with the SDKs).
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FlagdCore } from '@openfeature/flagd-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { unleashContext, unleashOracle } from '../unit/flags/unleash-oracle.js';
import type { FlagContext } from '../../server/src/core/flags/system.js';
import { ensureBuilt, segspec } from './helpers.js';

type Row = { uid: string; age?: number; plan?: string; email?: string };

/** Deterministic rows with missing values (a small linear congruential generator). */
function rows(count: number): Row[] {
  let seed = 12345;
  const next = (n: number): number => {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    return seed % n;
  };
  const plans = ['free', 'pro', 'team', 'Pro'];
  const emails = ['a@school.edu', 'b@SCHOOL.EDU', 'c@gmail.com', 'd@edu.com'];
  return Array.from({ length: count }, (_, i) => {
    const row: Row = { uid: `u${i}` };
    if (next(4) > 0) row.age = 14 + next(40);
    if (next(4) > 0) row.plan = plans[next(plans.length)];
    if (next(4) > 0) row.email = emails[next(emails.length)];
    return row;
  });
}

const unleashDoc = {
  version: 2,
  features: [
    {
      name: 'beta-nav',
      enabled: true,
      strategies: [
        { name: 'flexibleRollout', parameters: { rollout: '100', stickiness: 'default', groupId: 'beta-nav' }, constraints: [{ contextName: 'age', operator: 'NUM_LT', value: '25' }], segments: [1] },
        { name: 'default', constraints: [{ contextName: 'email', operator: 'STR_ENDS_WITH', values: ['.EDU'], caseInsensitive: true }, { contextName: 'plan', operator: 'NOT_IN', values: ['free'] }] },
      ],
    },
  ],
  segments: [{ id: 1, name: 'paying', constraints: [{ contextName: 'plan', operator: 'IN', values: ['pro', 'team'] }] }],
};

const flagdDoc = {
  flags: {
    'beta-nav-flagd': {
      state: 'ENABLED',
      variants: { on: true, off: false },
      defaultVariant: 'off',
      targeting: { if: [{ and: [{ '<': [{ var: 'age' }, 25] }, { $ref: 'paying_users' }] }, 'on', { ends_with: [{ var: 'email' }, '.edu'] }, 'on', 'off'] },
    },
  },
  $evaluators: { paying_users: { in: [{ var: 'plan' }, ['pro', 'team']] } },
};

let ws: string;
const data = rows(400);

beforeAll(() => {
  ensureBuilt();
  ws = mkdtempSync(join(tmpdir(), 'segspec-import-flags-'));
  mkdirSync(join(ws, 'flags'));
  writeFileSync(join(ws, 'users.json'), JSON.stringify(data));
  writeFileSync(join(ws, 'flags/unleash.json'), JSON.stringify(unleashDoc, null, 2));
  writeFileSync(join(ws, 'flags/flagd.json'), JSON.stringify(flagdDoc, null, 2));
  writeFileSync(
    join(ws, 'spec.segspec'),
    `dataset users { source "users.json" key uid fields { uid: string, age: integer?, plan: string?, email: string? } }

segment young { where age < 25 }

flag unleash_young { system unleash source "flags/unleash.json" key "beta-nav" for young context { userId: uid } }

flag flagd_young { system flagd source "flags/flagd.json" key "beta-nav-flagd" for young context { targetingKey: uid } }
`,
  );
});
afterAll(() => rmSync(ws, { recursive: true, force: true }));

interface FlagStats {
  name: string;
  system: string;
  rows: number | null;
  members: number | null;
  reached: number | null;
  reach: number | null;
  leak: number | null;
}

describe('segspec import from Unleash and flagd, checked through flag declarations', { timeout: 180_000 }, () => {
  it('imports both files, and stats gives each flag the rows, reach and leak the SDKs decide', async () => {
    const u = await segspec(['import', 'flags/unleash.json', '--from', 'unleash', '--out', 'imported-unleash.segspec'], { cwd: ws });
    expect(u.stderr).toMatch(/wrote imported-unleash\.segspec: segment beta_nav_targeting and flag beta_nav/);
    expect(u.code).toBe(0);
    const f = await segspec(['import', 'flags/flagd.json', '--from', 'flagd', '--out', 'imported-flagd.segspec'], { cwd: ws });
    expect(f.code).toBe(0);
    const unleashText = readFileSync(join(ws, 'imported-unleash.segspec'), 'utf8');
    expect(unleashText).toMatch(/segment paying "Unleash group paying"/);
    expect(unleashText).toMatch(/lower\(email\) ends with "\.edu"/);
    expect(readFileSync(join(ws, 'imported-flagd.segspec'), 'utf8')).toMatch(/\(age is missing or age < 25\) and paying_users/);

    // The SDKs' decisions over the rows, each row sent as a flag check sends it.
    const client = await unleashOracle(unleashDoc.features, unleashDoc.segments);
    const core = new FlagdCore();
    core.setConfigurations(JSON.stringify(flagdDoc));
    const silent = { debug() {}, info() {}, warn() {}, error() {} };
    const young = data.map((r) => r.age !== undefined && r.age < 25);
    const attrs = (r: Row): FlagContext => Object.fromEntries(Object.entries(r).filter(([k]) => k !== 'uid')) as FlagContext;
    const unleashOn = data.map((r) => client.isEnabled('beta-nav', unleashContext({ ...attrs(r), userId: r.uid })));
    const flagdOn = data.map((r) => core.resolveBooleanEvaluation('beta-nav-flagd', false, { ...attrs(r), targetingKey: r.uid } as never, silent).value === true);
    client.destroy();
    const expected = (on: boolean[], target: boolean[]) => ({
      rows: on.filter(Boolean).length,
      members: target.filter(Boolean).length,
      reached: on.filter((x, i) => x && target[i]).length,
      leak: on.filter((x, i) => x && !target[i]).length,
    });

    const stats = await segspec(['stats', '--format', 'json', ws]);
    expect(stats.code, stats.stderr).toBe(0);
    const flags = (JSON.parse(stats.stdout) as { flags: FlagStats[] }).flags;
    const byName = new Map(flags.map((x) => [x.name, x]));
    const pick = (name: string) => {
      const s = byName.get(name);
      expect(s, `${name} in ${JSON.stringify(flags)}`).toBeDefined();
      return { rows: s!.rows, members: s!.members, reached: s!.reached, leak: s!.leak };
    };
    // Against the spec's own segment: the SDKs' leak and reach.
    expect(pick('unleash_young')).toEqual(expected(unleashOn, young));
    expect(pick('flagd_young')).toEqual(expected(flagdOn, young));
    // Against the imported segment: the import gives the flag to exactly the rows the SDK does.
    expect(pick('beta_nav')).toEqual(expected(unleashOn, unleashOn));
    expect(pick('beta_nav_flagd')).toEqual(expected(flagdOn, flagdOn));
    expect(expected(unleashOn, young).leak).toBeGreaterThan(0);
    expect(expected(flagdOn, young).leak).toBeGreaterThan(0);

    const check = await segspec(['check', '--format', 'json', ws]);
    expect(check.code, check.stderr).toBe(0);
  });

  it('with --dataset, reads booleans, dates and lists as their types: the imported text checks clean and gives the flag to the rows the SDKs do', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'segspec-import-typed-'));
    try {
      const users = [
        { uid: 'a', beta: true, joined: '2024-01-10', tags: ['x', 'y'], tier: 'pro' },
        { uid: 'b', beta: false, joined: '2024-02-01', tags: ['y'] },
        { uid: 'c' },
        { uid: 'd', beta: true, joined: '2023-12-31', tags: ['x'] },
        { uid: 'e', beta: true, joined: '2024-09-30', tags: ['y', 'x'] },
        { uid: 'f', beta: true, tags: ['xx'] },
      ];
      writeFileSync(join(dir, 'users.json'), JSON.stringify(users));
      writeFileSync(join(dir, 'spec.segspec'), 'dataset users { source "users.json" key uid fields { uid: string, beta: boolean?, joined: date?, tags: list<string>?, tier: enum("free", "pro")? } }\n');
      const unleash = {
        features: [
          {
            name: 'typed-nav',
            enabled: true,
            strategies: [
              {
                name: 'default',
                constraints: [
                  { contextName: 'beta', operator: 'IN', values: ['true'] },
                  { contextName: 'joined', operator: 'STR_STARTS_WITH', values: ['2024-0'] },
                  { contextName: 'tags', operator: 'REGEX', value: '(?:^|,)x(?:,|$)' },
                ],
              },
            ],
          },
        ],
      };
      const flagd = {
        flags: {
          'typed-flagd': {
            state: 'ENABLED',
            variants: { on: true, off: false },
            defaultVariant: 'off',
            targeting: { if: [{ and: [{ '===': [{ var: 'beta' }, true] }, { '>=': [{ var: 'joined' }, '2024-01-01'] }, { in: ['x', { var: 'tags' }] }] }, 'on', 'off'] },
          },
        },
      };
      writeFileSync(join(dir, 'unleash.json'), JSON.stringify(unleash));
      writeFileSync(join(dir, 'flagd.json'), JSON.stringify(flagd));
      // A value the enum never takes ("gold") is dropped rather than written as a type error.
      const tiers = { features: [{ name: 'tiers', enabled: true, strategies: [{ name: 'default', constraints: [{ contextName: 'tier', operator: 'IN', values: ['pro', 'gold'] }] }] }] };
      writeFileSync(join(dir, 'tiers.json'), JSON.stringify(tiers));
      for (const [file, system, out] of [['unleash.json', 'unleash', 'imported-unleash'], ['flagd.json', 'flagd', 'imported-flagd'], ['tiers.json', 'unleash', 'imported-tiers']]) {
        const r = await segspec(['import', file, '--from', system, '--dataset', 'users', '--out', `${out}.segspec`], { cwd: dir });
        expect(r.code, r.stderr).toBe(0);
      }
      expect(readFileSync(join(dir, 'imported-tiers.segspec'), 'utf8')).toMatch(/where tier in \["pro"\]\n/);
      expect(readFileSync(join(dir, 'imported-unleash.segspec'), 'utf8')).toMatch(/beta == true and joined >= 2024-01-01 and joined < 2024-10-01 and tags contains "x"/);
      expect(readFileSync(join(dir, 'imported-flagd.segspec'), 'utf8')).toMatch(/beta == true and joined >= 2024-01-01 and tags contains "x"/);
      const check = await segspec(['check', '--format', 'json', dir]);
      expect(check.code, check.stdout + check.stderr).toBe(0);

      const client = await unleashOracle(unleash.features);
      const core = new FlagdCore();
      core.setConfigurations(JSON.stringify(flagd));
      const silent = { debug() {}, info() {}, warn() {}, error() {} };
      const attrs = (r: Record<string, unknown>): FlagContext => Object.fromEntries(Object.entries(r).filter(([k]) => k !== 'uid')) as FlagContext;
      const unleashRows = users.filter((r) => client.isEnabled('typed-nav', unleashContext(attrs(r)))).length;
      const flagdRows = users.filter((r) => core.resolveBooleanEvaluation('typed-flagd', false, { ...attrs(r), targetingKey: r.uid } as never, silent).value === true).length;
      client.destroy();
      expect([unleashRows, flagdRows]).toEqual([2, 2]);
      const stats = await segspec(['stats', '--format', 'json', dir]);
      expect(stats.code, stats.stderr).toBe(0);
      const flags = new Map((JSON.parse(stats.stdout) as { flags: FlagStats[] }).flags.map((x) => [x.name, x]));
      expect(flags.get('typed_nav')).toMatchObject({ rows: unleashRows, members: unleashRows, leak: 0 });
      expect(flags.get('typed_flagd')).toMatchObject({ rows: flagdRows, members: flagdRows, leak: 0 });
      expect(flags.get('tiers')).toMatchObject({ rows: 1, members: 1, leak: 0 });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('refuses a rollout with its place in the file and names the construct', async () => {
    const doc = { features: [{ name: 'half', enabled: true, strategies: [{ name: 'flexibleRollout', parameters: { rollout: '50', stickiness: 'default' } }] }] };
    writeFileSync(join(ws, 'flags/half.json'), JSON.stringify(doc));
    const r = await segspec(['import', 'flags/half.json', '--from', 'unleash'], { cwd: ws });
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(/cannot import from flags\/half\.json \(at \/features\/0\/strategies\/0\/parameters\/rollout\): Unleash: flexibleRollout at 50% is a percentage rollout/);
  });
});
