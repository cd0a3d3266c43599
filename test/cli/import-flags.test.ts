/**
 * End to end through the `flag` declaration: a workspace whose flags live in
 * LaunchDarkly's and PostHog's own files. `segspec import` writes each
 * flag's targeting as a segment; `segspec check` and `stats --format json`
 * then give, for the declarations (the workspace's own, `for pros`, and the
 * imported ones, `for <flag>_targeting`), the numbers that the systems' own
 * SDKs give over the same rows — computed here with the SDKs.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { oracleFor } from '../unit/flags/sdk-oracles.js';
import { ensureBuilt, segspec } from './helpers.js';

interface Row {
  uid: string;
  plan: string;
  email: string;
  country: string;
  age: number | null;
}

const plans = ['pro', 'Pro', 'team', 'free', 'PRO'];
const emails = ['a@corp.example', 'b@Corp.Example', 'c@school.edu', 'd@gmail.com', 'e@CORP.io'];
const countries = ['US', 'FR', 'de', 'DE', 'fr'];
const rows: Row[] = Array.from({ length: 240 }, (_, i) => ({
  uid: `u${i}`,
  plan: plans[(i * 7) % plans.length],
  email: emails[(i * 3 + (i >> 3)) % emails.length],
  country: countries[(i * 11 + (i >> 2)) % countries.length],
  age: i % 7 === 0 ? null : 18 + ((i * 37) % 50),
}));

const launchdarkly = {
  flags: {
    'beta-nav': {
      key: 'beta-nav',
      version: 3,
      on: true,
      salt: 'beta-nav',
      variations: [false, true],
      offVariation: 0,
      targets: [
        { values: ['u3', 'u4'], variation: 1 },
        { values: ['u5'], variation: 0 },
      ],
      contextTargets: [],
      prerequisites: [],
      rules: [
        {
          id: 'young-outside-germany',
          clauses: [
            { contextKind: 'user', attribute: 'country', op: 'in', values: ['DE', 'de'], negate: true },
            { contextKind: 'user', attribute: 'age', op: 'lessThan', values: [30], negate: false },
          ],
          variation: 1,
        },
        { id: 'staff', clauses: [{ attribute: 'segmentMatch', op: 'segmentMatch', values: ['staff'], negate: false }], variation: 1 },
      ],
      fallthrough: { variation: 0 },
    },
  },
  segments: {
    staff: { key: 'staff', version: 1, salt: 'staff', included: ['u7'], excluded: ['u10'], rules: [{ id: 's0', clauses: [{ contextKind: 'user', attribute: 'email', op: 'endsWith', values: ['@corp.example'] }] }] },
  },
};

const posthog = {
  flags: [
    {
      id: 1,
      key: 'new-billing',
      active: true,
      filters: {
        groups: [
          {
            properties: [
              { key: 'plan', operator: 'exact', value: ['pro'], type: 'person' },
              { key: 'email', operator: 'icontains', value: 'CORP', type: 'person' },
            ],
            rollout_percentage: 100,
          },
          { properties: [{ key: 'id', type: 'cohort', value: 5 }], rollout_percentage: null },
        ],
      },
    },
  ],
  group_type_mapping: {},
  cohorts: {
    '5': {
      type: 'OR',
      values: [
        {
          type: 'AND',
          values: [
            { key: 'country', operator: 'exact', value: ['fr'], type: 'person' },
            { key: 'plan', operator: 'exact', value: 'free', type: 'person', negation: true },
          ],
        },
      ],
    },
  },
};

let dir: string;

beforeAll(() => {
  ensureBuilt();
  dir = mkdtempSync(join(tmpdir(), 'segspec-import-flags-'));
  mkdirSync(join(dir, 'flags'));
  writeFileSync(join(dir, 'users.json'), JSON.stringify(rows));
  writeFileSync(join(dir, 'flags/ld.json'), JSON.stringify(launchdarkly, null, 2));
  writeFileSync(join(dir, 'flags/posthog.json'), JSON.stringify(posthog, null, 2));
  writeFileSync(
    join(dir, 'data.segspec'),
    `dataset users {
  source "users.json"
  key uid
  fields { uid: string, plan: string, email: string, country: string, age: integer? }
}

segment pros "Pro plans, however written" { where lower(plan) == "pro" }

flag ld_beta "Beta navigation" {
  system launchdarkly
  source "flags/ld.json"
  key "beta-nav"
  for pros
  context { key: uid }
}

flag ph_billing "New billing" {
  system posthog
  source "flags/posthog.json"
  key "new-billing"
  for pros
  context { distinct_id: uid }
}
`,
  );
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Each row as the flag check hands it to the SDK: missing values left out, the key from `uid`. */
function contexts(identity: string): Array<Record<string, string | number>> {
  return rows.map(({ uid, age, ...rest }) => ({ [identity]: uid, ...rest, ...(age === null ? {} : { age }) }));
}

interface FlagStats {
  name: string;
  rows: number | null;
  members: number | null;
  reached: number | null;
  reach: number | null;
  leak: number | null;
  reason?: string;
}

describe('segspec import from LaunchDarkly and PostHog, checked through the flag declaration', { timeout: 180_000 }, () => {
  it('imports both flags, and check and stats give the SDKs’ own numbers', async () => {
    const ld = await segspec(['import', 'flags/ld.json', '--from', 'launchdarkly', '--flag', 'beta-nav', '--context', 'key=uid', '--dataset', 'users', '--out', 'ld-import.segspec'], { cwd: dir });
    expect(ld.stderr).toMatch(/wrote ld-import\.segspec: segment beta_nav_targeting and flag beta_nav/);
    expect(ld.code).toBe(0);
    const ph = await segspec(['import', 'flags/posthog.json', '--from', 'posthog', '--context', 'distinct_id=uid', '--dataset', 'users', '--out', 'ph-import.segspec'], { cwd: dir });
    expect(ph.code).toBe(0);
    expect(readFileSync(join(dir, 'ph-import.segspec'), 'utf8')).toMatch(/lower\(plan\) in \["pro"\]/);

    const pros = rows.map((r) => r.plan.toLowerCase() === 'pro');
    const expected = async (system: 'launchdarkly' | 'posthog', document: unknown, key: string, identity: string): Promise<boolean[]> => {
      const oracle = await oracleFor(system, document, key);
      const decisions = await oracle.decide(contexts(identity));
      await oracle.close();
      expect(decisions.every((d) => d !== undefined)).toBe(true);
      return decisions.map((d) => d === true);
    };
    const ldOn = await expected('launchdarkly', launchdarkly, 'beta-nav', 'key');
    const phOn = await expected('posthog', posthog, 'new-billing', 'distinct_id');

    const count = (xs: boolean[]): number => xs.filter(Boolean).length;
    const leakOf = (on: boolean[]): number => count(on.map((o, i) => o && !pros[i]));
    const check = await segspec(['check'], { cwd: dir });
    const report = check.stdout + check.stderr;
    expect(report).toMatch(/0 errors, 2 warnings/);
    // The leak the check reports for each `for pros` flag is the SDK's; the imported flags leak nothing.
    expect(report).toMatch(new RegExp(`data\\.segspec:9:6 warning SEG301 ${leakOf(ldOn)} rows outside pros get the flag`));
    expect(report).toMatch(new RegExp(`data\\.segspec:17:6 warning SEG301 ${leakOf(phOn)} rows outside pros get the flag`));
    expect(report).not.toMatch(/-import\.segspec.*SEG30/);
    const stats = await segspec(['stats', '--format', 'json'], { cwd: dir });
    expect(stats.code).toBe(0);
    const flags = new Map((JSON.parse(stats.stdout).flags as FlagStats[]).map((f) => [f.name, f]));
    for (const [name, on, imported] of [
      ['ld_beta', ldOn, false],
      ['ph_billing', phOn, false],
      ['beta_nav', ldOn, true],
      ['new_billing', phOn, true],
    ] as const) {
      const f = flags.get(name);
      expect(f, name).toBeDefined();
      expect(f!.reason, name).toBeUndefined();
      expect(f!.rows, name).toBe(count(on));
      if (imported) {
        // The imported segment is who gets the flag: all of it reached, nobody outside.
        expect(f!.members, name).toBe(count(on));
        expect(f!.reach, name).toBe(1);
        expect(f!.leak, name).toBe(0);
      } else {
        expect(f!.members, name).toBe(count(pros));
        expect(f!.reached, name).toBe(count(on.map((o, i) => o && pros[i])));
        expect(f!.leak, name).toBe(leakOf(on));
      }
    }
    // Not trivial: some rows get each flag and some do not, inside and outside `pros`.
    for (const on of [ldOn, phOn]) {
      expect(count(on)).toBeGreaterThan(10);
      expect(count(on)).toBeLessThan(rows.length - 10);
    }
  });
});
