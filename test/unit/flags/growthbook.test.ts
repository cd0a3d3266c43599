import { readFileSync } from 'node:fs';
import { GrowthBook, type FeatureApiResponse } from '@growthbook/growthbook';
import { describe, expect, it } from 'vitest';
import { flagSystem } from '../../../server/src/core/flags/systems/index.js';
import { randomContexts } from './contexts.js';

const text = readFileSync(new URL('./fixtures/growthbook.json', import.meta.url), 'utf8');
const system = flagSystem('growthbook');

async function sdkFor(payload: FeatureApiResponse): Promise<GrowthBook> {
  const gb = new GrowthBook({});
  await gb.setPayload(payload);
  return gb;
}

describe('GrowthBook: the SDK payload read and evaluated as @growthbook/growthbook 1.8', () => {
  it('lists the features with their attributes and locations, and names what cannot be evaluated', () => {
    const file = system.read(text);
    expect(file.problems).toEqual([]);
    expect(file.flags.map((f) => f.key)).toEqual(['smart-reschedule', 'new-onboarding', 'checkout-v2', 'beta-dates', 'dependent', 'not-on-server']);
    const smart = file.flags.find((f) => f.key === 'smart-reschedule')!;
    expect(smart.location.line).toBe(3);
    expect(new Set(smart.attributes)).toEqual(new Set(['planTier', 'country', 'age', 'id', 'student']));
    const url = file.flags.find((f) => f.key === 'not-on-server')!;
    expect(url.problems).toHaveLength(1);
    expect(url.problems[0]).toMatchObject({ kind: 'unsupported', pointer: '/features/not-on-server/rules/0/urlPatterns' });
    expect(url.problems[0]!.message).toMatch(/GrowthBook: URL targeting/);
    expect(url.problems[0]!.line).toBe(text.split('\n').findIndex((l) => l.includes('urlPatterns')));
    expect(file.evaluate('not-on-server', { id: 'user-1' })).toBeUndefined();
    expect(file.evaluate('no-such-flag', { id: 'user-1' })).toBeUndefined();
  });

  it('decides every flag as the SDK does on thousands of random contexts with missing attributes', async () => {
    const payload = JSON.parse(text) as FeatureApiResponse;
    const gb = await sdkFor(payload);
    const file = system.read(text);
    const keys = file.flags.filter((f) => f.problems.length === 0).map((f) => f.key);
    const contexts = randomContexts(4000, ['id', 'planTier', 'country', 'age', 'email', 'appVersion', 'signupDate', 'student', 'score', 'tags']);
    const onCounts = new Map<string, number>();
    for (const ctx of contexts) {
      await gb.setAttributes({ ...ctx });
      for (const key of keys) {
        const sdk = gb.evalFeature(key);
        const ours = file.evaluate(key, ctx);
        const expected = { key, ctx, on: sdk.on, variation: typeof sdk.value === 'string' ? sdk.value : undefined };
        const actual = { key, ctx, on: ours?.on, variation: ours?.variation };
        if (actual.on !== expected.on || actual.variation !== expected.variation) expect(actual).toEqual(expected);
        if (ours?.on) onCounts.set(key, (onCounts.get(key) ?? 0) + 1);
      }
    }
    // the contexts reach every kind of rule: none of the flags is trivially always off
    for (const key of keys) expect(onCounts.get(key) ?? 0, key).toBeGreaterThan(20);
  });

  it('follows JavaScript: a missing age passes `$lt: 25`, `$regex` tests the string form, versions compare padded', () => {
    const payload = {
      features: {
        young: { defaultValue: false, rules: [{ condition: { age: { $lt: 25 } }, force: true }] },
        rx: { defaultValue: false, rules: [{ condition: { plan: { $regex: '^nu' } }, force: true }] },
        v: { defaultValue: false, rules: [{ condition: { appVersion: { $vgt: '2.9.0' } }, force: true }] },
      },
    };
    const file = system.read(JSON.stringify(payload));
    expect(file.evaluate('young', {})?.on).toBe(true);
    expect(file.evaluate('young', { age: 30 })?.on).toBe(false);
    expect(file.evaluate('rx', {})?.on).toBe(true); // null → "null"
    expect(file.evaluate('v', { appVersion: '2.10.0' })?.on).toBe(true);
    expect(file.evaluate('v', { appVersion: '2.9.0-rc.1' })?.on).toBe(false);
  });

  it('says which rule decided, and where it is in the file', () => {
    const file = system.read(text);
    const decision = file.evaluate('smart-reschedule', { id: 'user-1', planTier: 'pro', country: 'DE' })!;
    expect(decision.on).toBe(true);
    expect(decision.rule).toMatch(/^rule 1 \(fr_pro\): force/);
    expect(decision.location?.line).toBe(text.split('\n').findIndex((l) => l.includes('"fr_pro"')));
    expect(file.evaluate('smart-reschedule', { id: 'user-1', planTier: 'free', country: 'US', age: 40 })).toMatchObject({ on: false, rule: 'default' });
    expect(file.evaluate('checkout-v2', { planTier: 'free' })).toMatchObject({ on: true, variation: 'control', rule: 'default' });
  });

  it('reports bad files as located problems, never throws', () => {
    const broken = system.read('{\n  "features": {\n    "a": { "rules": 3 }\n  }\n}');
    expect(broken.flags).toEqual([]);
    expect(broken.problems[0]).toMatchObject({ kind: 'invalid', pointer: '/features/a/rules', line: 2 });
    const notJson = system.read('{\n  "features": {,\n}');
    expect(notJson.problems[0]).toMatchObject({ kind: 'invalid', line: 1 });
    expect(notJson.problems[0]!.message).toMatch(/^GrowthBook: the file is not valid JSON/);
    expect(system.read('').problems).toHaveLength(1);
    const encrypted = system.read('{"encryptedFeatures": "abc"}');
    expect(encrypted.problems[0]).toMatchObject({ kind: 'unsupported', pointer: '/encryptedFeatures' });
  });
});
