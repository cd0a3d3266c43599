/**
 * Import from Unleash and flagd with the dataset's field types (`segspec
 * import --dataset D`): booleans, dates, date-times, numbers and lists come
 * back as tests on those types, and the written segments, evaluated by our
 * engine on random rows with missing values, give the flag to exactly the
 * contexts the SDK enables it for — the SDK reading each typed value as the
 * application sends it (Unleash through `String(v)`, flagd through
 * json-logic-engine's coercions). What Segspec cannot say of a type is
 * refused with a message naming the operator and the type.
 */
import fc from 'fast-check';
import { FlagdCore } from '@openfeature/flagd-core';
import { describe, expect, it } from 'vitest';
import { hasBit } from '../../../server/src/core/engine/index.js';
import type { ColumnType } from '../../../server/src/core/data/table.js';
import { ImportRefusal, importFlag } from '../../../server/src/core/flags/import/index.js';
import type { FlagContext } from '../../../server/src/core/flags/system.js';
import { Workspace } from '../../../server/src/core/workspace.js';
import { unleashContext, unleashOracle } from './unleash-oracle.js';
import { memoryHost } from './workspaces.js';
import { importedMembers, type ImportedWorkspace } from './imported-members.js';

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

const TYPES = new Map<string, ColumnType>([
  ['beta', 'boolean'],
  ['day', 'date'],
  ['seen', 'datetime'],
  ['score', 'number'],
  ['tags', 'list<string>'],
  ['ids', 'list<integer>'],
  ['plan', 'string'],
]);
const RUNS = Number(process.env.SEGSPEC_FLAG_RUNS ?? 200);
const logger = { debug() {}, info() {}, warn() {}, error() {} };

/** The imported segment's members on the rows, and the context a flag check sends for each row. */
const workspace: ImportedWorkspace = { key: 'uid', fields: TYPES, flagFile: ['f.json', '{"features": [], "flags": {}}'] };
const members = (text: string, segment: string, rows: Array<Record<string, unknown>>) => importedMembers(workspace, text, segment, rows);

const rowArb = fc.record(
  {
    beta: fc.boolean(),
    day: fc.constantFrom('2024-01-01', '2024-01-15', '2024-02-29', '2023-12-31', '2025-10-09'),
    seen: fc.constantFrom('2024-01-01T00:00:00.000Z', '2024-06-01T12:30:00.000Z', '2025-01-01T00:00:00.000Z', '2024-01-15T23:59:59.999Z'),
    score: fc.constantFrom(0, 1, 5, 24.5, -3),
    tags: fc.array(fc.constantFrom('a', 'b.c', 'x', 'A'), { maxLength: 3 }),
    ids: fc.array(fc.constantFrom(1, 2, 10), { maxLength: 3 }),
    plan: fc.constantFrom('pro', 'team', 'true'),
  },
  { requiredKeys: [] },
);

/** Refusals must name the system and what it could not write. */
function expectNamedRefusal(e: unknown, system: string): void {
  expect(e).toBeInstanceOf(ImportRefusal);
  expect((e as Error).message).toMatch(new RegExp(`^${system}: `));
  expect((e as ImportRefusal).pointer).toMatch(/^\//);
}

// ---------------------------------------------------------------- Unleash

const bool = fc.boolean();
const unleashConstraint: fc.Arbitrary<{ [key: string]: Json }> = fc.oneof(
  fc.record({ contextName: fc.constant('beta'), operator: fc.constantFrom('IN', 'NOT_IN', 'STR_STARTS_WITH', 'STR_ENDS_WITH', 'STR_CONTAINS'), values: fc.array(fc.constantFrom('true', 'false', 'True', 'tr', 'SE', '1'), { minLength: 1, maxLength: 2 }), inverted: bool, caseInsensitive: bool }),
  fc.record({ contextName: fc.constant('beta'), operator: fc.constantFrom('REGEX', 'NUM_EQ', 'SEMVER_EQ'), value: fc.constantFrom('^t', 'E$', '1', '1.0.0', '^'), inverted: bool, caseInsensitive: bool }),
  fc.record({ contextName: fc.constant('day'), operator: fc.constantFrom('IN', 'NOT_IN', 'STR_STARTS_WITH'), values: fc.array(fc.constantFrom('2024-01-01', '2024-1-1', '2024-02-29', '2024-0', '2024-01', '2023', ' ', '2024-01-01x'), { minLength: 1, maxLength: 2 }), inverted: bool, caseInsensitive: bool }),
  fc.record({ contextName: fc.constant('day'), operator: fc.constantFrom('NUM_GT', 'SEMVER_LT', 'REGEX'), value: fc.constantFrom('5', '3.0.0', '^'), inverted: bool }),
  fc.record({ contextName: fc.constant('seen'), operator: fc.constantFrom('IN', 'NOT_IN', 'STR_STARTS_WITH'), values: fc.array(fc.constantFrom('2024-01-01T00:00:00.000Z', '2024-01-01T00:00:00Z', '2024-01-01t', '2024-06', '2025', '2024-01-15T23:59:59.99'), { minLength: 1, maxLength: 2 }), inverted: bool, caseInsensitive: bool }),
  fc.record({ contextName: fc.constant('score'), operator: fc.constantFrom('NUM_LT', 'NUM_GTE', 'NUM_EQ', 'SEMVER_GT'), value: fc.constantFrom('1', '24.5', '0', '1.0.0'), inverted: bool }),
  fc.record({ contextName: fc.constant('score'), operator: fc.constantFrom('IN', 'NOT_IN'), values: fc.array(fc.constantFrom('1', '5', '24.5', '01'), { maxLength: 2 }), inverted: bool }),
  fc.record({ contextName: fc.constant('tags'), operator: fc.constant('REGEX'), value: fc.constantFrom('(?:^|,)a(?:,|$)', '(?:^|,)b\\.c(?:,|$)', '^'), inverted: bool }),
  fc.record({ contextName: fc.constant('tags'), operator: fc.constantFrom('IN', 'NOT_IN'), values: fc.array(fc.constantFrom('a', 'b.c', 'x'), { minLength: 1, maxLength: 2 }), inverted: bool }),
  fc.record({ contextName: fc.constant('ids'), operator: fc.constantFrom('IN', 'NOT_IN'), values: fc.array(fc.constantFrom('1', '01', '10'), { minLength: 1, maxLength: 2 }), inverted: bool }),
  fc.record({ contextName: fc.constant('ids'), operator: fc.constant('REGEX'), value: fc.constantFrom('(?:^|,)1(?:,|$)', '(?:^|,)10(?:,|$)'), inverted: bool }),
  fc.record({ contextName: fc.constant('plan'), operator: fc.constantFrom('IN', 'NOT_IN'), values: fc.array(fc.constantFrom('pro', 'true'), { maxLength: 2 }), inverted: bool }),
);

const unleashDocument = fc.array(fc.array(unleashConstraint, { minLength: 1, maxLength: 3 }), { minLength: 1, maxLength: 2 }).map((strategies) => ({
  version: 2,
  features: [
    {
      name: 'typed',
      enabled: true,
      strategies: strategies.map((constraints) => ({ name: 'flexibleRollout', parameters: { rollout: '100', stickiness: 'default', groupId: 'typed' }, constraints })),
    },
  ],
}));

// ---------------------------------------------------------------- flagd

const v = (name: string): Json => ({ var: name });
const flagdLeaf: fc.Arbitrary<Json> = fc.oneof(
  fc.tuple(fc.constantFrom('==', '===', '!=', '!==', '<', '>='), fc.constantFrom<Json>(true, false, 1, 0, 'true')).map(([op, c]) => ({ [op]: [v('beta'), c] })),
  fc.constant<Json>({ var: 'beta' }),
  fc.constant<Json>({ in: [v('beta'), [true, 1]] }),
  fc.tuple(fc.constantFrom('<', '<=', '>', '>='), fc.constantFrom('2024-01-15', '2024-01', '2024-02-29', '2023'), fc.boolean()).map(([op, c, flip]) => ({ [op]: flip ? [c, v('day')] : [v('day'), c] })),
  fc.tuple(fc.constantFrom('==', '===', '!=', '!=='), fc.constantFrom<Json>('2024-01-01', '2024-1-1', 5)).map(([op, c]) => ({ [op]: [v('day'), c] })),
  fc.constantFrom('2024-0', '2024-01-1', '').map((p) => ({ starts_with: [v('day'), p] })),
  fc.constant<Json>({ in: [v('day'), ['2024-01-01', 'x', '2025-10-09']] }),
  fc.constant<Json>({ sem_ver: [v('day'), '>=', '1.0.0'] }),
  fc.tuple(fc.constantFrom('<', '>=', '>'), fc.constantFrom('2024-06-01T12:30:00.000Z', '2024-06', '2024-01-15T23:59:59.999Z')).map(([op, c]) => ({ [op]: [v('seen'), c] })),
  fc.constantFrom('2024-0', '2025', '2024-01-15T').map((p) => ({ starts_with: [v('seen'), p] })),
  fc.constant<Json>({ '==': [v('seen'), '2024-01-01T00:00:00.000Z'] }),
  fc.tuple(fc.constantFrom('<', '<=', '==', '===', '!=', '>'), fc.constantFrom<Json>('5', 1, '1', '', true, '24.5')).map(([op, c]) => ({ [op]: [v('score'), c] })),
  fc.constant<Json>({ in: [v('score'), [1, '5', 24.5]] }),
  fc.constant<Json>({ starts_with: [v('score'), '1'] }),
  fc.constantFrom<Json>('a', 'b.c', 5).map((x) => ({ in: [x, v('tags')] })),
  fc.constantFrom<Json>(1, '1', 10).map((x) => ({ in: [x, v('ids')] })),
  fc.constantFrom('tags', 'ids').map((name) => ({ var: name })),
  fc.constantFrom('===', '!==').map((op) => ({ [op]: [v('tags'), 'a'] })),
  fc.constantFrom<Json>('pro', 1).map((x) => ({ '===': [v('plan'), x] })),
);
const flagdCondition: fc.Arbitrary<Json> = fc.letrec((tie) => ({
  cond: fc.oneof(
    { weight: 4, arbitrary: flagdLeaf },
    { weight: 1, arbitrary: fc.array(tie('cond') as fc.Arbitrary<Json>, { minLength: 1, maxLength: 3 }).map((xs): Json => ({ and: xs })) },
    { weight: 1, arbitrary: fc.array(tie('cond') as fc.Arbitrary<Json>, { minLength: 1, maxLength: 3 }).map((xs): Json => ({ or: xs })) },
    { weight: 1, arbitrary: (tie('cond') as fc.Arbitrary<Json>).map((x): Json => ({ '!': x })) },
  ),
})).cond as fc.Arbitrary<Json>;

const flagdDocument = flagdCondition.map((cond) => ({
  flags: { typed: { state: 'ENABLED', variants: { on: true, off: false }, defaultVariant: 'off', targeting: { if: [cond, 'on', 'off'] } } },
}));

// ---------------------------------------------------------------- the properties

describe('import with the dataset’s field types', () => {
  it('writes typed tests, not text tests, for what export wrote', () => {
    const unleash = {
      features: [
        {
          name: 'f',
          enabled: true,
          strategies: [
            {
              name: 'flexibleRollout',
              parameters: { rollout: '100', stickiness: 'default', groupId: 'f' },
              constraints: [
                { contextName: 'beta', operator: 'IN', values: ['true'] },
                { contextName: 'day', operator: 'STR_STARTS_WITH', values: ['2024-0'] },
                { contextName: 'tags', operator: 'REGEX', value: '(?:^|,)b\\.c(?:,|$)' },
              ],
            },
          ],
        },
      ],
    };
    const text = importFlag(JSON.stringify(unleash), 'unleash', { source: 'u.json', attributeTypes: TYPES }).text;
    expect(text).toMatch(/where beta == true and day >= 2024-01-01 and day < 2024-10-01 and tags contains "b\.c"/);
    const flagd = { flags: { f: { state: 'ENABLED', variants: { on: true, off: false }, defaultVariant: 'off', targeting: { if: [{ and: [{ '<': [v('seen'), '2024-06-01T12:30:00.000Z'] }, { in: ['a', v('tags')] }] }, 'on', 'off'] } } } };
    const flagdText = importFlag(JSON.stringify(flagd), 'flagd', { source: 'f.json', attributeTypes: TYPES }).text;
    expect(flagdText).toMatch(/seen < 2024-06-01T12:30:00\.000Z/);
    expect(flagdText).toMatch(/tags contains "a"/);
  });

  it('refuses, naming the operator and the type, what Segspec cannot say of a typed value', () => {
    const constraint = (c: Json): string => JSON.stringify({ features: [{ name: 'f', enabled: true, strategies: [{ name: 'default', constraints: [c] }] }] });
    expect(() => importFlag(constraint({ contextName: 'score', operator: 'STR_STARTS_WITH', values: ['1'] }), 'unleash', { source: 'u.json', attributeTypes: TYPES })).toThrow(/^Unleash: STR_STARTS_WITH reads the text of the number field 'score' as text/);
    expect(() => importFlag(constraint({ contextName: 'tags', operator: 'IN', values: ['a,b'] }), 'unleash', { source: 'u.json', attributeTypes: TYPES })).toThrow(/^Unleash: IN with 'a,b' asks for the whole list 'tags'/);
    expect(() => importFlag(constraint({ contextName: 'plan', operator: 'NUM_GT', value: '3' }), 'unleash', { source: 'u.json', attributeTypes: TYPES })).toThrow(/^Unleash: NUM_GT reads the text of the string field 'plan' as a number/);
    const flagd = (cond: Json): string => JSON.stringify({ flags: { f: { state: 'ENABLED', variants: { on: true, off: false }, defaultVariant: 'off', targeting: { if: [cond, 'on', 'off'] } } } });
    expect(() => importFlag(flagd({ '<': [v('score'), 'abc'] }), 'flagd', { source: 'f.json', attributeTypes: TYPES })).toThrow(/^flagd: `<` compares the number 'score' with "abc", which is not a number/);
    expect(() => importFlag(flagd({ ends_with: [v('day'), '-01'] }), 'flagd', { source: 'f.json', attributeTypes: TYPES })).toThrow(/^flagd: `ends_with` on the date attribute 'day'/);
  });

  it('writes a test of an enum field against values it never takes as what it gives, so the text checks clean', async () => {
    const doc = {
      features: [
        {
          name: 'tiers',
          enabled: true,
          strategies: [
            { name: 'default', constraints: [{ contextName: 'tier', operator: 'IN', values: ['pro', 'gold'] }] },
            { name: 'default', constraints: [{ contextName: 'tier', operator: 'NOT_IN', values: ['gold'] }, { contextName: 'beta', operator: 'IN', values: ['true'] }] },
            { name: 'default', constraints: [{ contextName: 'tier', operator: 'IN', values: ['platinum'] }] },
          ],
        },
      ],
    };
    const types = new Map<string, ColumnType>([['tier', 'enum'], ['beta', 'boolean']]);
    const imported = importFlag(JSON.stringify(doc), 'unleash', { source: 'f.json', attributeTypes: types, enumValues: new Map([['tier', ['free', 'pro', 'team']]]) });
    expect(imported.text).toMatch(/where tier in \["pro"\] or beta == true\n/);
    expect(imported.text).not.toMatch(/gold|platinum/);
    const rows = [{ tier: 'pro' }, { tier: 'free', beta: true }, { tier: 'team', beta: false }, { beta: true }, {}];
    const files = {
      '/ws/data.segspec': 'dataset users { source "users.json" key uid fields { uid: string, tier: enum("free", "pro", "team")?, beta: boolean? } }\n',
      '/ws/flags.segspec': imported.text,
      '/ws/users.json': JSON.stringify(rows.map((r, i) => ({ tier: null, beta: null, ...r, uid: `r${i}` }))),
      '/ws/f.json': JSON.stringify(doc),
    };
    const analysis = await new Workspace(memoryHost(files), '/ws').analyze();
    expect(analysis.findings.filter((f) => f.severity === 'error').map((f) => `${f.code} ${f.message}`)).toEqual([]);
    const members = analysis.results.segments.get(imported.segment)!.members!;
    const client = await unleashOracle(doc.features);
    try {
      rows.forEach((row, i) => expect(hasBit(members, i), JSON.stringify(row)).toBe(client.isEnabled('tiers', unleashContext(row as FlagContext))));
    } finally {
      client.destroy();
    }
  });

  it('Unleash: then evaluated by the engine equals unleash-client on typed rows with missing values', { timeout: 600_000 }, async () => {
    let compared = 0;
    let refused = 0;
    await fc.assert(
      fc.asyncProperty(unleashDocument, fc.array(rowArb, { minLength: 1, maxLength: 16 }), async (doc, rows) => {
        let imported;
        try {
          imported = importFlag(JSON.stringify(doc), 'unleash', { source: 'f.json', attributeTypes: TYPES });
        } catch (e) {
          expectNamedRefusal(e, 'Unleash');
          refused++;
          return;
        }
        const ours = await members(imported.text, imported.segment, rows);
        const client = await unleashOracle(doc.features);
        try {
          rows.forEach((row, i) => {
            const expected = client.isEnabled('typed', unleashContext(ours.sent[i]));
            if (ours.on[i] !== expected) expect({ row, sent: ours.sent[i], ours: ours.on[i], text: imported.text }).toEqual({ row, sent: ours.sent[i], ours: expected, text: imported.text });
          });
        } finally {
          client.destroy();
        }
        compared++;
      }),
      { numRuns: RUNS },
    );
    console.log(`typed import from Unleash vs unleash-client: ${compared} random documents compared, ${refused} refused`);
    expect(compared).toBeGreaterThan(RUNS / 2);
  });

  it('flagd: then evaluated by the engine equals flagd-core on typed rows with missing values', { timeout: 600_000 }, async () => {
    let compared = 0;
    let refused = 0;
    await fc.assert(
      fc.asyncProperty(flagdDocument, fc.array(rowArb, { minLength: 1, maxLength: 16 }), async (doc, rows) => {
        let imported;
        try {
          imported = importFlag(JSON.stringify(doc), 'flagd', { source: 'f.json', attributeTypes: TYPES });
        } catch (e) {
          expectNamedRefusal(e, 'flagd');
          refused++;
          return;
        }
        const ours = await members(imported.text, imported.segment, rows);
        const core = new FlagdCore();
        core.setConfigurations(JSON.stringify(doc));
        rows.forEach((row, i) => {
          const expected = core.resolveBooleanEvaluation('typed', false, { ...ours.sent[i], targetingKey: `r${i}` } as never, logger).value === true;
          if (ours.on[i] !== expected) expect({ row, sent: ours.sent[i], ours: ours.on[i], text: imported.text }).toEqual({ row, sent: ours.sent[i], ours: expected, text: imported.text });
        });
        compared++;
      }),
      { numRuns: RUNS },
    );
    console.log(`typed import from flagd vs flagd-core: ${compared} random definitions compared, ${refused} refused`);
    expect(compared).toBeGreaterThan(RUNS / 3);
  });
});
