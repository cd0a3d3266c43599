/**
 * Import from Unleash: the written segments, evaluated by our engine on
 * random rows (attributes missing at random), give the feature to exactly
 * the contexts unleash-client 6.12 enables it for; Unleash's own
 * client-specification cases run through import (the round trip of the
 * sample segments is in round-trip-table.test.ts).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import type { Unleash } from 'unleash-client';
import { ImportRefusal, importFlag } from '../../../server/src/core/flags/import/index.js';
import { importUnleash } from '../../../server/src/core/flags/import/unleash.js';
import type { Condition } from '../../../server/src/core/flags/export/condition.js';
import type { FlagContext } from '../../../server/src/core/flags/system.js';
import { unleashContext, unleashOracle } from './unleash-oracle.js';
import { importedMembers } from './imported-members.js';

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

const clients: Unleash[] = [];
afterAll(() => {
  for (const c of clients) c.destroy();
});

/** Attribute → the Segspec field type the import reads it as (number, semver, datetime; else string). */
function fieldTypes(conditions: Condition[]): Map<string, string> {
  const types = new Map<string, string>();
  const visit = (c: Condition): void => {
    switch (c.kind) {
      case 'all':
      case 'any':
        c.items.forEach(visit);
        return;
      case 'constant':
      case 'segment':
        return;
      default:
        if (!types.has(c.subject.attribute) || c.subject.fieldType !== 'string') types.set(c.subject.attribute, c.subject.fieldType);
    }
  };
  conditions.forEach(visit);
  return types;
}

const members = (text: string, segment: string, fields: Map<string, string>, rows: Array<Record<string, unknown>>) =>
  importedMembers(
    { key: 'uid', fields, flagFile: ['u.json', '{"features": []}'], ignored: (f) => /flag|SEG06|SEG07|SEG3|SEG121/i.test(`${f.code} ${f.message}`) },
    text,
    segment,
    rows,
  );

// ---------------------------------------------------------------- generators

const plans = fc.constantFrom('free', 'pro', 'Pro', 'team', ' pro', 'PRO', 'ß', 'İx');
const emails = fc.constantFrom('a@school.edu', 'B@SCHOOL.EDU', 'c@gmail.com', 'x.edu.com', '');
const ages = fc.constantFrom(0, 5, 17, 18, 24.5, 25, 40, -1);
const versions = fc.constantFrom('1.0.0', '2.1.0', '2.10.3', '2.1.0-beta.1', '2.1.0-beta.10', 'v3.0.0', '3.0.0', '2.0', ' 1.2.3', '2.1.0+build', '01.2.3');
const times = fc.constantFrom('2024-01-01T00:00:00.000Z', '2024-06-01T12:00:00.000Z', '2025-03-01T00:00:00.000Z');

const bool = fc.boolean();
const constraint: fc.Arbitrary<{ [key: string]: Json }> = fc.oneof(
  fc.record({ contextName: fc.constant('plan'), operator: fc.constantFrom('IN', 'NOT_IN'), values: fc.array(plans, { maxLength: 3 }), inverted: bool, caseInsensitive: bool }),
  fc.record({ contextName: fc.constant('plan'), operator: fc.constantFrom('STR_CONTAINS', 'STR_STARTS_WITH', 'STR_ENDS_WITH'), values: fc.array(fc.constantFrom('pr', 'o', 'P', ' ', 'ss', 'i', 'eam'), { minLength: 1, maxLength: 2 }), inverted: bool, caseInsensitive: bool }),
  fc.record({ contextName: fc.constant('email'), operator: fc.constantFrom('STR_ENDS_WITH', 'STR_CONTAINS'), values: fc.array(fc.constantFrom('.edu', '.EDU', 'school'), { minLength: 1, maxLength: 2 }), inverted: bool, caseInsensitive: bool }),
  fc.record({ contextName: fc.constant('email'), operator: fc.constant('REGEX'), value: fc.constantFrom('^[a-c]@', 'EDU$', '\\.edu', '^$', '(', 'a|B'), inverted: bool, caseInsensitive: bool }),
  fc.record({ contextName: fc.constant('age'), operator: fc.constantFrom('NUM_EQ', 'NUM_GT', 'NUM_GTE', 'NUM_LT', 'NUM_LTE'), value: fc.constantFrom('18', '24.5', ' 25', 'abc', '0', ''), inverted: bool }),
  fc.record({ contextName: fc.constant('age'), operator: fc.constantFrom('IN', 'NOT_IN'), values: fc.array(fc.constantFrom('18', '25', '24.5', '18.0', 'x'), { maxLength: 3 }), inverted: bool }),
  fc.record({ contextName: fc.constant('appVersion'), operator: fc.constantFrom('SEMVER_EQ', 'SEMVER_GT', 'SEMVER_LT'), value: fc.constantFrom('2.1.0', '2.1.0-beta.2', 'v2.10.3', '3.0.0', 'x'), inverted: bool }),
  fc.record({ contextName: fc.constant('currentTime'), operator: fc.constantFrom('DATE_AFTER', 'DATE_BEFORE'), value: fc.constantFrom('2024-05-01T00:00:00.000Z', '2024-01-01T00:00:00Z'), inverted: bool }),
);

const strategy = fc.record({
  name: fc.constantFrom('default', 'flexibleRollout', 'gradualRolloutUserId'),
  constraints: fc.array(constraint, { maxLength: 3 }),
  segments: fc.subarray([1, 2, 99]),
  full: fc.boolean(),
});

const documentArb = fc.record({
  enabled: fc.boolean(),
  strategies: fc.array(strategy, { maxLength: 3 }),
  segment1: fc.array(constraint, { maxLength: 2 }),
  segment2: fc.array(constraint, { minLength: 1, maxLength: 2 }),
}).map((d) => ({
  version: 2,
  features: [
    {
      name: 'new-nav',
      enabled: d.enabled,
      strategies: d.strategies.map((s) => ({
        name: s.name,
        parameters: s.name === 'flexibleRollout' ? { rollout: s.full ? '100' : '0', stickiness: 'default', groupId: 'new-nav' } : s.name === 'gradualRolloutUserId' ? { percentage: s.full ? '100' : '0', groupId: 'g' } : {},
        constraints: s.constraints,
        segments: s.segments,
      })),
    },
  ],
  segments: [
    { id: 1, name: 'eu-users', constraints: d.segment1 },
    { id: 2, name: 'grown', constraints: d.segment2 },
  ],
}));

const contextArb = fc.record(
  { userId: fc.constantFrom('u1', 'u2', ''), plan: plans, email: emails, age: ages, appVersion: versions, currentTime: times },
  { requiredKeys: [] },
);

describe('import from Unleash', () => {
  it('writes constraints with the SDK’s semantics: inverted ones hold for a missing value, case-insensitive ones through lower()', () => {
    const doc = {
      features: [
        {
          name: 'smart-reschedule',
          enabled: true,
          strategies: [
            {
              name: 'flexibleRollout',
              parameters: { rollout: '100', stickiness: 'default', groupId: 'smart-reschedule' },
              constraints: [
                { contextName: 'age', operator: 'NUM_LT', value: '25', inverted: true },
                { contextName: 'email', operator: 'STR_ENDS_WITH', values: ['.EDU'], caseInsensitive: true },
              ],
              segments: [7],
            },
          ],
        },
      ],
      segments: [{ id: 7, name: 'students', constraints: [{ contextName: 'plan', operator: 'IN', values: ['pro', ' team '] }] }],
    };
    const out = importFlag(JSON.stringify(doc), 'unleash', { source: 'flags/unleash.json' });
    expect(out.text).toMatch(/segment students "Unleash group students" \{\n {2}where plan in \["pro", "team"\]\n\}/);
    expect(out.text).toMatch(/where \(age is missing or age >= 25\) and lower\(email\) ends with "\.edu" and students\b/);
    expect(out.text).toMatch(/flag smart_reschedule "Unleash feature smart-reschedule" \{\n {2}system unleash\n {2}source "flags\/unleash\.json"\n {2}key "smart-reschedule"\n {2}for smart_reschedule_targeting\n\}/);
    const disabled = importFlag(JSON.stringify({ features: [{ ...doc.features[0], enabled: false }] }), 'unleash', { source: 'u.json' });
    expect(disabled.text).toMatch(/where false\b/);
  });

  it('refuses rollouts, variants, user lists, IP addresses and custom strategies, at their place in the file', () => {
    const cases: Array<[unknown, string, RegExp]> = [
      [{ name: 'flexibleRollout', parameters: { rollout: '50', stickiness: 'default' } }, '/features/0/strategies/0/parameters/rollout', /flexibleRollout at 50%/],
      [{ name: 'flexibleRollout', parameters: { rollout: '100', stickiness: 'tenant' } }, '/features/0/strategies/0/parameters/stickiness', /stickiness `tenant`/],
      [{ name: 'gradualRolloutSessionId', parameters: { percentage: '30' } }, '/features/0/strategies/0/parameters/percentage', /gradualRolloutSessionId at 30%/],
      [{ name: 'userWithId', parameters: { userIds: 'a,b' } }, '/features/0/strategies/0/name', /userWithId/],
      [{ name: 'remoteAddress', parameters: { IPs: '1.2.3.4' } }, '/features/0/strategies/0/name', /remoteAddress/],
      [{ name: 'myCustom', parameters: {} }, '/features/0/strategies/0/name', /custom strategy/],
      [{ name: 'default', variants: [{ name: 'a', weight: 1000 }] }, '/features/0/strategies/0/variants', /variant/],
      [{ name: 'default', constraints: [{ contextName: 'ip', operator: 'IN_CIDR', values: ['10.0.0.0/8'] }] }, '/features/0/strategies/0/constraints/0/operator', /IN_CIDR/],
    ];
    for (const [strategy, pointer, message] of cases) {
      const text = JSON.stringify({ features: [{ name: 'f', enabled: true, strategies: [strategy] }] });
      let refusal: unknown;
      try {
        importFlag(text, 'unleash', { source: 'u.json' });
      } catch (e) {
        refusal = e;
      }
      expect(refusal, JSON.stringify(strategy)).toBeInstanceOf(ImportRefusal);
      expect((refusal as ImportRefusal).pointer).toBe(pointer);
      expect((refusal as ImportRefusal).message).toMatch(/^Unleash: /);
      expect((refusal as ImportRefusal).message).toMatch(message);
    }
    expect(() => importFlag(JSON.stringify({ features: [{ name: 'f', enabled: true, strategies: [], variants: [{ name: 'v', weight: 1 }] }] }), 'unleash', { source: 'u.json' })).toThrow(/serves variants/);
    expect(() => importFlag(JSON.stringify({ features: [{ name: 'f', enabled: true, strategies: [] }, { name: 'g', enabled: true, strategies: [] }] }), 'unleash', { source: 'u.json' })).toThrow(/name one with --flag \(f, g\)/);
  });

  it('then evaluated by the engine equals unleash-client on random documents and rows with missing values', { timeout: 300_000 }, async () => {
    let compared = 0;
    let refused = 0;
    await fc.assert(
      fc.asyncProperty(documentArb, fc.array(contextArb, { minLength: 1, maxLength: 24 }), async (doc, contexts) => {
        let imported;
        let ir;
        try {
          imported = importFlag(JSON.stringify(doc), 'unleash', { source: 'u.json' });
          ir = importUnleash(JSON.stringify(doc), undefined);
        } catch (e) {
          expect(e).toBeInstanceOf(ImportRefusal);
          expect((e as ImportRefusal).message).toMatch(/^Unleash: .* (number|version)/);
          refused++;
          return;
        }
        const types = fieldTypes([ir.condition, ...ir.groups.map((g) => g.condition)]);
        for (const name of ['userId', 'plan', 'email', 'age', 'appVersion']) if (!types.has(name)) types.set(name, 'string');
        if (!types.has('currentTime')) types.set('currentTime', 'datetime');
        // The row holds what the application sends; a field read as text holds the value's text, as the SDK reads it.
        const rows = contexts.map((ctx) => Object.fromEntries(Object.entries(ctx).map(([k, v]) => [k, types.get(k) === 'string' ? String(v) : v])));
        const ours = await members(imported.text, imported.segment, types, rows);
        const client = await unleashOracle(doc.features, doc.segments);
        clients.push(client);
        contexts.forEach((ctx, i) => {
          // The SDK gets what a flag check sends for the row (an empty text, or a value its field rejects, is missing).
          const expected = client.isEnabled('new-nav', unleashContext(ours.sent[i] as FlagContext));
          if (ours.on[i] !== expected) expect({ row: ctx, sent: ours.sent[i], ours: ours.on[i], text: imported.text }).toEqual({ row: ctx, sent: ours.sent[i], ours: expected, text: imported.text });
        });
        client.destroy();
        clients.pop();
        compared++;
      }),
      { numRuns: Number(process.env.SEGSPEC_FLAG_RUNS ?? 250) },
    );
    expect(compared).toBeGreaterThan(Number(process.env.SEGSPEC_FLAG_RUNS ?? 250) / 4);
    console.log(`import from Unleash vs unleash-client: ${compared} random documents compared, ${refused} refused (text test on a number)`);
  });

  it('runs Unleash’s client-specification through import: each expressible toggle’s segment gives the expected result', async () => {
    const require = createRequire(import.meta.url);
    const dir = join(dirname(require.resolve('@unleash/client-specification/package.json')), 'specifications');
    let ran = 0;
    let refusedCases = 0;
    let untyped = 0;
    const refusals = new Map<string, number>();
    for (const name of readdirSync(dir).filter((n) => /^\d\d-.*\.json$/.test(n))) {
      const spec = JSON.parse(readFileSync(join(dir, name), 'utf8')) as {
        state?: { features?: Array<{ name: string }>; segments?: unknown[] };
        tests?: Array<{ context: Record<string, unknown>; toggleName: string; expectedResult: boolean }>;
      };
      if (!spec.state?.features) continue;
      const file = JSON.stringify({ features: spec.state.features, segments: spec.state.segments ?? [] });
      const byToggle = new Map<string, NonNullable<typeof spec.tests>>();
      for (const test of spec.tests ?? []) byToggle.set(test.toggleName, [...(byToggle.get(test.toggleName) ?? []), test]);
      for (const [toggle, tests] of byToggle) {
        if (!spec.state.features.some((f) => f.name === toggle)) continue; // an unknown toggle: nothing to import
        let imported;
        let ir;
        try {
          imported = importFlag(file, 'unleash', { source: 'u.json', flagKey: toggle });
          ir = importUnleash(file, toggle);
        } catch (e) {
          expect(e, `${name} ${toggle}`).toBeInstanceOf(ImportRefusal);
          const refusal = e as ImportRefusal;
          expect(refusal.message, `${name} ${toggle}`).toMatch(/^Unleash: .*`[^`]+`|^Unleash: .*(rollout|variants|number|version)/);
          expect(refusal.pointer).toMatch(/^\/features\/\d+/);
          const construct = refusal.message.replace(/^Unleash: /, '').split(/[,;(]/)[0]!;
          refusals.set(construct, (refusals.get(construct) ?? 0) + tests.length);
          refusedCases += tests.length;
          continue;
        }
        const types = fieldTypes([ir.condition, ...ir.groups.map((g) => g.condition)]);
        const flat = tests.map((t) => {
          const { properties, ...rest } = t.context;
          return { ...(properties as Record<string, unknown> | undefined), ...rest };
        });
        // A row holds values of its field's type: a context whose value the field cannot hold (text in a number field) cannot be a row.
        const typed = flat.map((ctx) => {
          const row: Record<string, unknown> = {};
          for (const [k, v] of Object.entries(ctx)) {
            if (!types.has(k)) continue;
            const type = types.get(k);
            if (type === 'number') {
              const n = Number(v);
              if (typeof v !== 'number' && (typeof v !== 'string' || v.trim() === '' || !Number.isFinite(n))) return undefined;
              row[k] = n;
            } else if (type === 'datetime') {
              row[k] = new Date(String(v)).toISOString();
            } else row[k] = String(v);
          }
          return row;
        });
        const usable = tests.flatMap((t, i) => (typed[i] ? [{ test: t, row: typed[i]! }] : []));
        untyped += tests.length - usable.length;
        if (usable.length === 0) continue;
        const got = await members(imported.text, imported.segment, types, usable.map((u) => u.row));
        usable.forEach((u, i) => {
          expect({ name, toggle, context: u.test.context, on: got.on[i] }, imported.text).toEqual({ name, toggle, context: u.test.context, on: u.test.expectedResult });
        });
        ran += usable.length;
      }
    }
    console.log(`Unleash client-specification through import: ${ran} cases ran and passed, ${refusedCases} refused (${[...refusals].map(([k, n]) => `${k}: ${n}`).join('; ')}), ${untyped} whose context a typed field cannot hold`);
    expect(ran).toBeGreaterThan(100);
  });
});
