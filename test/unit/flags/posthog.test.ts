import { readFileSync } from 'node:fs';
import { PostHog } from 'posthog-node';
import { afterAll, describe, expect, it } from 'vitest';
import type { FlagContext } from '../../../server/src/core/flags/system.js';
import { flagSystem } from '../../../server/src/core/flags/systems/index.js';
import { randomContexts } from './contexts.js';
import { asciiIds, rolloutPercents, unicodeIds } from './ids.js';

const text = readFileSync(new URL('./fixtures/posthog.json', import.meta.url), 'utf8');
const system = flagSystem('posthog');
const clients: PostHog[] = [];

function oracle(definitions: unknown): PostHog {
  const client = new PostHog('phc_x', {
    host: 'http://127.0.0.1:9',
    flagDefinitionCacheProvider: { getFlagDefinitions: () => definitions as never, shouldFetchFlagDefinitions: () => false, onFlagDefinitionsReceived() {}, shutdown() {} },
    strictLocalEvaluation: true,
    featureFlagsPollingInterval: null as never,
  } as never);
  clients.push(client);
  return client;
}

afterAll(async () => {
  for (const client of clients) await client.shutdown();
});

async function sdkFlags(client: PostHog, ctx: FlagContext): Promise<Record<string, unknown>> {
  const { distinct_id, ...properties } = ctx;
  return client.getAllFlags(String(distinct_id), { personProperties: properties as Record<string, string>, onlyEvaluateLocally: true });
}

describe('PostHog: the local-evaluation response read and evaluated as posthog-node 5.74 (onlyEvaluateLocally)', () => {
  it('lists the flags with the properties they read (through cohorts), and names static cohorts and experience continuity', () => {
    const file = system.read(text);
    expect(file.problems).toEqual([]);
    expect(file.flags.map((f) => f.key)).toEqual(['smart-reschedule', 'new-onboarding', 'checkout-v2', 'everyone-half', 'switched-off', 'dependent', 'static-cohort', 'continuity']);
    expect(new Set(file.flags[0]!.attributes)).toEqual(new Set(['planTier', 'country', 'age', 'student', 'distinct_id']));
    expect(file.flags.find((f) => f.key === 'static-cohort')!.problems).toMatchObject([{ kind: 'unsupported', pointer: '/flags/6/filters/groups/0/properties/0' }]);
    expect(file.flags.find((f) => f.key === 'continuity')!.problems[0]!.message).toMatch(/^PostHog: .*experience continuity/);
  });

  it('decides every flag as the SDK does (undecided exactly where the SDK cannot decide locally) on thousands of random contexts', async () => {
    const definitions = JSON.parse(text) as unknown;
    const client = oracle(definitions);
    const file = system.read(text);
    const keys = file.flags.map((f) => f.key);
    const contexts = randomContexts(2500, ['id', 'planTier', 'country', 'age', 'email', 'appVersion', 'signupDate', 'student', 'score'], 31, { id: 'distinct_id' }).map((ctx) => ({
      ...ctx,
      distinct_id: ctx.distinct_id ?? 'anonymous-1',
    }));
    const on = new Map<string, number>();
    let undecided = 0;
    for (const ctx of contexts) {
      const sdk = await sdkFlags(client, ctx);
      for (const key of keys) {
        const ours = file.evaluate(key, ctx);
        const value = ours === undefined ? undefined : ours.variation ?? ours.on;
        if (value !== sdk[key]) expect({ key, ctx, value }).toEqual({ key, ctx, value: sdk[key] });
        if (ours === undefined) undecided++;
        if (ours?.on) on.set(key, (on.get(key) ?? 0) + 1);
      }
    }
    for (const key of ['smart-reschedule', 'new-onboarding', 'checkout-v2', 'everyone-half', 'dependent']) expect(on.get(key) ?? 0, key).toBeGreaterThan(20);
    expect(undecided).toBeGreaterThan(100);
  });

  it('buckets rollout_percentage as the SDK at 0, 1, 12.5, 50, 99 and 100%, on ASCII and non-ASCII ids', async () => {
    const ids = [...asciiIds(1500, 12), ...unicodeIds(300, 13).filter((id) => id !== '' && !/[\uD800-\uDFFF]/.test(id))];
    for (const percent of rolloutPercents) {
      const definitions = { flags: [{ id: 1, key: 'r', active: true, filters: { groups: [{ properties: [], rollout_percentage: percent }] } }], group_type_mapping: {}, cohorts: {} };
      const client = oracle(definitions);
      const file = system.read(JSON.stringify(definitions));
      let count = 0;
      for (const id of ids) {
        const ours = file.evaluate('r', { distinct_id: id })!.on;
        const sdk = (await client.getAllFlags(id, { onlyEvaluateLocally: true })).r;
        if (ours !== sdk) expect({ id, percent, ours }).toEqual({ id, percent, ours: sdk });
        if (ours) count++;
      }
      if (percent === 0) expect(count).toBe(0);
      if (percent === 100) expect(count).toBe(ids.length);
    }
  });
});
