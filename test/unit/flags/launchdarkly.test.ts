import { readFileSync } from 'node:fs';
import { init, integrations, type LDClient, type LDContext } from '@launchdarkly/node-server-sdk';
import { afterAll, describe, expect, it } from 'vitest';
import type { FlagContext } from '../../../server/src/core/flags/system.js';
import { flagSystem } from '../../../server/src/core/flags/systems/index.js';
import { randomContexts } from './contexts.js';
import { asciiIds, rolloutPercents, unicodeIds } from './ids.js';

const text = readFileSync(new URL('./fixtures/launchdarkly.json', import.meta.url), 'utf8');
const system = flagSystem('launchdarkly');
const clients: LDClient[] = [];

async function oracle(data: { flags: Record<string, unknown>; segments?: Record<string, unknown> }): Promise<LDClient> {
  const td = new integrations.TestData();
  for (const segment of Object.values(data.segments ?? {})) await td.usePreconfiguredSegment(segment as never);
  for (const flag of Object.values(data.flags)) await td.usePreconfiguredFlag(flag as never);
  const client = init('sdk-key', { updateProcessor: td.getFactory(), sendEvents: false, diagnosticOptOut: true, logger: { error() {}, warn() {}, info() {}, debug() {} } });
  await client.waitForInitialization({ timeout: 10 });
  clients.push(client);
  return client;
}

afterAll(() => {
  for (const client of clients) client.close();
});

const userContext = (ctx: FlagContext): LDContext => ({ kind: 'user', ...ctx }) as LDContext;

describe('LaunchDarkly: server-side SDK data read and evaluated as @launchdarkly/node-server-sdk 9.13', () => {
  it('lists the flags with the attributes they read and names big segments as not evaluable offline', () => {
    const file = system.read(text);
    expect(file.problems).toEqual([]);
    expect(file.flags.map((f) => f.key)).toEqual(['smart-reschedule', 'new-onboarding', 'checkout-v2', 'switched-off', 'big']);
    expect(new Set(file.flags[0]!.attributes)).toEqual(new Set(['key', 'planTier', 'country', 'age', 'student', 'email']));
    const big = file.flags.find((f) => f.key === 'big')!;
    expect(big.problems).toMatchObject([{ kind: 'unsupported', pointer: '/flags/big/rules/0/clauses/0/values' }]);
    expect(big.problems[0]!.message).toMatch(/segmentMatch.*big segment/);
    expect(file.evaluate('big', { key: 'u' })).toBeUndefined();
  });

  it('decides every flag as the SDK does on thousands of random contexts with missing attributes', async () => {
    const data = JSON.parse(text) as { flags: Record<string, unknown>; segments: Record<string, unknown> };
    const client = await oracle(data);
    const file = system.read(text);
    const keys = file.flags.filter((f) => f.problems.length === 0).map((f) => f.key);
    const contexts = randomContexts(3000, ['id', 'planTier', 'country', 'age', 'email', 'appVersion', 'student', 'score', 'tags', 'currentTime'], 11, { id: 'key' });
    const on = new Map<string, number>();
    let undecided = 0;
    for (const ctx of contexts) {
      for (const key of keys) {
        const ours = file.evaluate(key, ctx);
        if (ours === undefined) {
          expect(ctx.key).toBeUndefined(); // a context without a key is invalid: the SDK answers the application's default
          undecided++;
          continue;
        }
        const detail = await client.variationDetail(key, userContext(ctx), 'app-default');
        const value = detail.value as unknown;
        const expected = { key, ctx, value };
        const served = ours.variation ?? (ours.on ? true : value === null ? null : false);
        if (served !== value) expect({ key, ctx, value: served }).toEqual(expected);
        if (ours.on) on.set(key, (on.get(key) ?? 0) + 1);
      }
    }
    for (const key of keys.filter((k) => k !== 'switched-off')) expect(on.get(key) ?? 0, key).toBeGreaterThan(20);
    expect(undecided).toBeGreaterThan(0);
  });

  it('buckets rollouts (salt, seed, weights of 100,000) as the SDK at 0, 1, 12.5, 50, 99 and 100%', async () => {
    const ids = [...asciiIds(1500, 3), ...unicodeIds(300, 4).filter((id) => id !== '')];
    for (const percent of rolloutPercents) {
      const weight = Math.round(percent * 1000);
      const flags = {
        salted: { key: 'salted', version: 1, on: true, salt: 'pepper', variations: [true, false], offVariation: 1, fallthrough: { rollout: { variations: [{ variation: 0, weight }, { variation: 1, weight: 100000 - weight }] } } },
        seeded: { key: 'seeded', version: 1, on: true, salt: 'pepper', variations: [true, false], offVariation: 1, fallthrough: { rollout: { seed: 987, variations: [{ variation: 0, weight }, { variation: 1, weight: 100000 - weight }] } } },
      };
      const client = await oracle({ flags });
      const file = system.read(JSON.stringify({ flags }));
      for (const key of ['salted', 'seeded']) {
        let count = 0;
        for (const id of ids) {
          const ours = file.evaluate(key, { key: id })!.on;
          const sdk = (await client.variation(key, { kind: 'user', key: id }, null)) as boolean;
          if (ours !== sdk) expect({ key, id, percent, ours }).toEqual({ key, id, percent, ours: sdk });
          if (ours) count++;
        }
        if (percent === 0) expect(count).toBe(0);
        if (percent === 100) expect(count).toBe(ids.length);
      }
    }
  });

  it('says which rule served, and where it is', () => {
    const file = system.read(text);
    const d = file.evaluate('smart-reschedule', { key: 'user-1', planTier: 'pro', country: 'DE' })!;
    expect(d).toMatchObject({ on: true, rule: 'rule 1 (rule-pro)' });
    expect(d.location?.line).toBe(text.split('\n').findIndex((l) => l.includes('"rule-pro"')) - 1);
    expect(file.evaluate('switched-off', { key: 'user-1' })).toMatchObject({ on: false, rule: 'off' });
    expect(file.evaluate('checkout-v2', { key: 'user-1', planTier: 'free' })).toMatchObject({ on: false, variation: 'control', rule: 'prerequisite smart-reschedule failed' });
    expect(system.read('{"flags": {"a": {"on": true}}}').problems[0]).toMatchObject({ kind: 'invalid', pointer: '/flags/a/key' });
  });
});
