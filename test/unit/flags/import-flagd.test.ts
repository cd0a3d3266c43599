/**
 * Import from flagd: the written segments, evaluated by our engine on random
 * rows (attributes missing at random), give `true` to exactly the contexts
 * @openfeature/flagd-core resolves the boolean flag to `true` for (the round
 * trip of the sample segments is in round-trip-table.test.ts).
 */
import fc from 'fast-check';
import { FlagdCore } from '@openfeature/flagd-core';
import { describe, expect, it } from 'vitest';
import { ImportRefusal, importFlag } from '../../../server/src/core/flags/import/index.js';
import { importedMembers, type ImportedWorkspace } from './imported-members.js';

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

const logger = { debug() {}, info() {}, warn() {}, error() {} };

const workspace: ImportedWorkspace = {
  key: 'targetingKey',
  fields: new Map([['age', 'number'], ['plan', 'string'], ['beta', 'boolean'], ['tags', 'list<string>'], ['version', 'semver']]),
  flagFile: ['f.json', '{"flags": {}}'],
};
const members = (text: string, segment: string, rows: Array<Record<string, unknown>>) => importedMembers(workspace, text, segment, rows);

// ---------------------------------------------------------------- generators

const ageVar = { var: 'age' };
const planVar = { var: 'plan' };
const ints = fc.constantFrom(-1, 0, 18, 25, 40);
const plans = fc.constantFrom('pro', 'team', '', 'Pro', 'null');
const cmp = fc.constantFrom('==', '!=', '===', '!==', '<', '<=', '>', '>=');
const eq = fc.constantFrom('==', '!=', '===', '!==');

const leaf: fc.Arbitrary<Json> = fc.oneof(
  fc.tuple(cmp, ints, fc.boolean()).map(([op, n, flip]) => ({ [op]: flip ? [n, ageVar] : [ageVar, n] })),
  fc.tuple(fc.constantFrom('<', '<='), ints, ints).map(([op, a, b]) => ({ [op]: [Math.min(a, b), ageVar, Math.max(a, b)] })),
  fc.tuple(eq, plans).map(([op, s]) => ({ [op]: [planVar, s] })),
  fc.constantFrom('===', '!==').map((op) => ({ [op]: [planVar, null] })),
  fc.array(plans, { maxLength: 3 }).map((xs) => ({ in: [planVar, xs] })),
  fc.constantFrom('protean', 'team-null', 'ab').map((s) => ({ in: [planVar, s] })),
  fc.constantFrom('vip', 'beta').map((s) => ({ in: [s, { var: 'tags' }] })),
  fc.tuple(fc.constantFrom('starts_with', 'ends_with'), fc.constantFrom('p', 'am', '', 'null')).map(([op, s]) => ({ [op]: [planVar, s] })),
  fc.constantFrom('starts_with', 'ends_with').map((op) => ({ [op]: ['protean', planVar] })),
  fc.tuple(fc.constantFrom('=', '!=', '<', '<=', '>', '>='), fc.constantFrom('2.1.0', 'v2.10.3', '3', '2.1.0-beta.2', 'x')).map(([op, v]) => ({ sem_ver: [{ var: 'version' }, op, v] })),
  fc.constant({ var: 'beta' }),
  fc.tuple(eq, fc.boolean()).map(([op, b]) => ({ [op]: [{ var: 'beta' }, b] })),
  fc.constant({ $ref: 'adults' }),
);

const condition: fc.Arbitrary<Json> = fc.letrec((tie) => ({
  cond: fc.oneof(
    { weight: 5, arbitrary: leaf },
    { weight: 1, arbitrary: fc.array(tie('cond'), { minLength: 1, maxLength: 3 }).map((xs) => ({ and: xs })) },
    { weight: 1, arbitrary: fc.array(tie('cond'), { minLength: 1, maxLength: 3 }).map((xs) => ({ or: xs })) },
    { weight: 1, arbitrary: tie('cond').map((x) => ({ '!': x })) },
    { weight: 1, arbitrary: tie('cond').map((x) => ({ '!!': [x] })) },
  ),
})).cond as fc.Arbitrary<Json>;

const variantName = fc.constantFrom('on', 'off', null, 'missing-variant');
const targeting: fc.Arbitrary<Json> = fc.oneof(
  fc.tuple(condition, variantName, variantName).map(([c, a, b]) => ({ if: [c, a, b] })),
  fc.tuple(condition, variantName, condition, variantName, variantName).map(([c1, a, c2, b, z]) => ({ if: [c1, a, c2, b, z] })),
  fc.tuple(condition, variantName).map(([c, a]) => ({ if: [c, a] })),
  fc.tuple(condition, condition).map(([c1, c2]) => ({ if: [c1, { if: [c2, 'on', 'off'] }, 'off'] })),
);

const fileArb = fc.record({ targeting, defaultVariant: fc.constantFrom('on', 'off'), adults: leaf.filter((l) => JSON.stringify(l) !== '{"$ref":"adults"}') }).map((f) => ({
  flags: { 'new-nav': { state: 'ENABLED', variants: { on: true, off: false }, defaultVariant: f.defaultVariant, targeting: f.targeting } },
  $evaluators: { adults: f.adults },
}));

const contextArb = fc.record(
  { age: ints, plan: plans, beta: fc.boolean(), tags: fc.subarray(['vip', 'beta', 'new']), version: fc.constantFrom('2.1.0', '2.10.3', 'v3.0.0', '3.0.0', '2.0', '2.1.0-beta.1', 'V2.1.0', '01.2.3', ' 2.1.0') },
  { requiredKeys: [] },
);

describe('import from flagd', () => {
  it('writes targeting with JSON Logic’s treatment of a missing attribute (null < 25 holds) and evaluators as segments', () => {
    const file = {
      flags: {
        'smart-reschedule': {
          state: 'ENABLED',
          variants: { on: true, off: false },
          defaultVariant: 'off',
          targeting: { if: [{ and: [{ '<': [{ var: 'age' }, 25] }, { $ref: 'pro_users' }] }, 'on', 'off'] },
        },
      },
      $evaluators: { pro_users: { in: [{ var: 'plan' }, ['pro', 'team']] } },
    };
    const out = importFlag(JSON.stringify(file), 'flagd', { source: 'flags/flagd.json' });
    expect(out.text).toMatch(/segment pro_users "flagd group pro_users" \{\n {2}where plan in \["pro", "team"\]\n\}/);
    expect(out.text).toMatch(/where \(age is missing or age < 25\) and pro_users\b/);
    expect(out.text).toMatch(/flag smart_reschedule "flagd feature smart-reschedule" \{\n {2}system flagd\n {2}source "flags\/flagd\.json"\n {2}key "smart-reschedule"\n {2}for smart_reschedule_targeting\n\}/);
  });

  it('refuses what a segment cannot express, at its place in the file', () => {
    const refusal = (targeting: Json, extra: Record<string, Json> = {}): ImportRefusal => {
      try {
        importFlag(JSON.stringify({ flags: { f: { state: 'ENABLED', variants: { on: true, off: false }, defaultVariant: 'off', targeting, ...extra } } }), 'flagd', { source: 'f.json' });
      } catch (e) {
        expect(e).toBeInstanceOf(ImportRefusal);
        return e as ImportRefusal;
      }
      throw new Error('not refused');
    };
    expect(refusal({ fractional: [['on', 50], ['off', 50]] })).toMatchObject({ pointer: '/flags/f/targeting/fractional', message: expect.stringMatching(/^flagd: `fractional`/) });
    expect(refusal({ if: [{ '%': [{ var: 'age' }, 2] }, 'on', 'off'] })).toMatchObject({ pointer: '/flags/f/targeting/if/0/%', message: expect.stringMatching(/`%`/) });
    expect(refusal({ if: [{ '==': [{ var: 'age' }, 2] }, 'on', { if: [{ '==': [{ var: 'age' }, 'two'] }, 'on', 'off'] }] })).toMatchObject({ message: expect.stringMatching(/'age' is compared with a number .* and with a string/) });
    expect(refusal({ if: [{ sem_ver: [{ var: 'v' }, '^', '1.0.0'] }, 'on', 'off'] })).toMatchObject({ pointer: '/flags/f/targeting/if/0/sem_ver/1' });
    expect(refusal('on', { variants: { on: 'yes', off: 'no' } })).toMatchObject({ pointer: '/flags/f/variants/on' });
    const full = importFlag(JSON.stringify({ flags: { f: { state: 'ENABLED', variants: { on: true, off: false }, defaultVariant: 'off', targeting: { fractional: [['on', 100], ['off', 0]] } } } }), 'flagd', { source: 'f.json' });
    expect(full.text).toMatch(/where targetingKey != ""/);
  });

  it('then evaluated by the engine equals flagd-core on random definitions and rows with missing values', { timeout: 300_000 }, async () => {
    let compared = 0;
    let refused = 0;
    await fc.assert(
      fc.asyncProperty(fileArb, fc.array(contextArb, { minLength: 1, maxLength: 24 }), async (file, contexts) => {
        let imported;
        try {
          imported = importFlag(JSON.stringify(file), 'flagd', { source: 'f.json' });
        } catch (e) {
          expect(e).toBeInstanceOf(ImportRefusal);
          expect((e as ImportRefusal).message).toMatch(/^flagd: /);
          refused++;
          return;
        }
        const ours = await members(imported.text, imported.segment, contexts);
        const core = new FlagdCore();
        core.setConfigurations(JSON.stringify(file));
        contexts.forEach((ctx, i) => {
          // flagd gets what a flag check sends for the row (an empty text, or a value its field rejects, is missing).
          const expected = core.resolveBooleanEvaluation('new-nav', false, { ...ours.sent[i], targetingKey: `r${i}` } as never, logger).value === true;
          if (ours.on[i] !== expected) expect({ row: ctx, sent: ours.sent[i], ours: ours.on[i], text: imported.text }).toEqual({ row: ctx, sent: ours.sent[i], ours: expected, text: imported.text });
        });
        compared++;
      }),
      { numRuns: Number(process.env.SEGSPEC_FLAG_RUNS ?? 250) },
    );
    console.log(`import from flagd vs flagd-core: ${compared} random definitions compared, ${refused} refused`);
    expect(compared).toBeGreaterThan(Number(process.env.SEGSPEC_FLAG_RUNS ?? 250) / 2);
  });
});
