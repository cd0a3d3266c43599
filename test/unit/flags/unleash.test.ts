import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Unleash } from 'unleash-client';
import type { FlagContext } from '../../../server/src/core/flags/system.js';
import { flagSystem } from '../../../server/src/core/flags/systems/index.js';
import { unleashHashNote } from '../../../server/src/core/flags/systems/unleash.js';
import { randomContexts } from './contexts.js';
import { asciiIds, rolloutPercents, unicodeIds } from './ids.js';
import { unleashContext, unleashOracle } from './unleash-oracle.js';

const text = readFileSync(new URL('./fixtures/unleash.json', import.meta.url), 'utf8');
const system = flagSystem('unleash');
const clients: Unleash[] = [];

async function oracle(features: unknown[], segments: unknown[] = []): Promise<Unleash> {
  const client = await unleashOracle(features, segments);
  clients.push(client);
  return client;
}

afterAll(() => {
  for (const client of clients) client.destroy();
});

describe('Unleash: the client API response read and evaluated as unleash-client 6.12', () => {
  let sdk: Unleash;
  beforeAll(async () => {
    const response = JSON.parse(text) as { features: unknown[]; segments: unknown[] };
    sdk = await oracle(response.features, response.segments);
  });

  it('lists the features with the attributes they read, and names what it cannot evaluate', () => {
    const file = system.read(text);
    expect(file.problems).toEqual([]);
    expect(file.flags.map((f) => f.key)).toEqual(['smart-reschedule', 'new-onboarding', 'checkout-v2', 'beta-dates', 'dependent', 'switched-off', 'everyone', 'by-ip']);
    const smart = file.flags[0]!;
    expect(new Set(smart.attributes)).toEqual(new Set(['planTier', 'country', 'age', 'userId', 'sessionId', 'student']));
    expect(smart.location.line).toBe(3);
    const ip = file.flags.find((f) => f.key === 'by-ip')!;
    expect(ip.problems).toMatchObject([{ kind: 'unsupported', pointer: '/features/7/strategies/0/name' }]);
    expect(ip.problems[0]!.message).toMatch(/^Unleash: strategy `remoteAddress`/);
    expect(file.evaluate('by-ip', { userId: 'u' })).toBeUndefined();
  });

  it('decides every feature and variant as the SDK does on thousands of random contexts with missing attributes', () => {
    const file = system.read(text);
    const keys = file.flags.filter((f) => f.problems.length === 0).map((f) => f.key);
    const contexts = randomContexts(4000, ['id', 'sessionId', 'planTier', 'country', 'age', 'email', 'appVersion', 'student', 'score', 'tags', 'currentTime'], 7, { id: 'userId' });
    const on = new Map<string, number>();
    let undecided = 0;
    for (const ctx of contexts) {
      for (const key of keys) {
        const ours = file.evaluate(key, ctx);
        if (ours === undefined) {
          // only when the SDK would pick at random: stickiness on a userId or sessionId the context lacks
          expect(ctx.userId === undefined || ctx.sessionId === undefined).toBe(true);
          undecided++;
          continue;
        }
        const context = unleashContext(ctx);
        const enabled = sdk.isEnabled(key, context);
        const variant = sdk.getVariant(key, context);
        const expected = { key, ctx, on: enabled, variation: variant.enabled ? variant.name : undefined };
        const actual = { key, ctx, on: ours.on, variation: ours.variation };
        if (actual.on !== expected.on || actual.variation !== expected.variation) expect(actual).toEqual(expected);
        if (ours.on) on.set(key, (on.get(key) ?? 0) + 1);
      }
    }
    for (const key of keys.filter((k) => k !== 'switched-off')) expect(on.get(key) ?? 0, key).toBeGreaterThan(20);
    expect(undecided).toBeGreaterThan(0);
  });

  it('buckets flexibleRollout as the SDK at 0, 1, 12.5, 50, 99 and 100%, on ASCII and non-ASCII ids', async () => {
    const ids = [...asciiIds(2500, 5), ...unicodeIds(500, 6).filter((id) => id !== '')];
    for (const percent of rolloutPercents) {
      const features = [{ name: 'r', enabled: true, strategies: [{ name: 'flexibleRollout', parameters: { rollout: String(percent), stickiness: 'default', groupId: 'g1' } }] }];
      const client = await oracle(features);
      const file = system.read(JSON.stringify({ features }));
      let count = 0;
      for (const userId of ids) {
        const ours = file.evaluate('r', { userId })!.on;
        if (ours !== client.isEnabled('r', { userId })) expect({ userId, percent, ours }).toEqual({ userId, percent, ours: !ours });
        if (ours) count++;
      }
      if (percent === 0) expect(count).toBe(0);
      if (percent === 100) expect(count).toBe(ids.length);
    }
  });

  it('follows the SDK on sparse features: `null` lists are none; a feature without `strategies` is a located problem (the SDK refuses the file)', async () => {
    const features = [{ name: 'nulls', enabled: true, variants: null, dependencies: null, strategies: [{ name: 'default', parameters: null, constraints: null, segments: null, variants: null }] }];
    const client = await oracle(features);
    const file = system.read(JSON.stringify({ features, segments: null }));
    expect(file.problems).toEqual([]);
    expect(file.evaluate('nulls', { userId: 'u1' })?.on).toBe(client.isEnabled('nulls', { userId: 'u1' }));
    expect(file.evaluate('nulls', { userId: 'u1' })?.on).toBe(true);
    const bare = system.read('{"features": [\n  {"name": "bare", "enabled": true}\n]}');
    expect(bare.problems).toMatchObject([{ kind: 'invalid', pointer: '/features/0/strategies', line: 1 }]);
  });

  it('says when a key is outside ASCII, where the Node SDK hashes differently from others', () => {
    expect(unleashHashNote('user-1')).toBeUndefined();
    expect(unleashHashNote('łódź')).toMatch(/Node SDK \(unleash-client\).*UTF-16/);
  });

  it('passes the expressible cases of Unleash client-specification', () => {
    const require = createRequire(import.meta.url);
    const dir = join(dirname(require.resolve('@unleash/client-specification/package.json')), 'specifications');
    let checked = 0;
    let skipped = 0;
    for (const name of readdirSync(dir).filter((n) => /^\d\d-.*\.json$/.test(n))) {
      const spec = JSON.parse(readFileSync(join(dir, name), 'utf8')) as {
        state?: { features?: unknown[]; segments?: unknown[] };
        tests?: Array<{ context: Record<string, unknown>; toggleName: string; expectedResult: boolean }>;
        variantTests?: Array<{ context: Record<string, unknown>; toggleName: string; expectedResult: { name: string; enabled: boolean } }>;
      };
      if (!spec.state?.features) continue;
      const file = system.read(JSON.stringify({ features: spec.state.features, segments: spec.state.segments ?? [] }));
      if (file.problems.length > 0) {
        skipped += (spec.tests?.length ?? 0) + (spec.variantTests?.length ?? 0);
        continue;
      }
      const flat = (context: Record<string, unknown>): FlagContext => {
        const { properties, ...rest } = context;
        return { ...(properties as Record<string, string> | undefined), ...rest } as FlagContext;
      };
      for (const test of spec.tests ?? []) {
        const decision = file.evaluate(test.toggleName, flat(test.context));
        if (decision === undefined && file.flags.some((f) => f.key === test.toggleName)) {
          skipped++;
          continue;
        }
        expect({ name, test: test.toggleName, context: test.context, on: decision?.on ?? false }).toEqual({ name, test: test.toggleName, context: test.context, on: test.expectedResult });
        checked++;
      }
      for (const test of spec.variantTests ?? []) {
        const decision = file.evaluate(test.toggleName, flat(test.context));
        if (decision === undefined && file.flags.some((f) => f.key === test.toggleName)) {
          skipped++;
          continue;
        }
        const name2 = decision?.on && decision.variation ? decision.variation : 'disabled';
        expect({ name, test: test.toggleName, context: test.context, variant: name2 }).toEqual({ name, test: test.toggleName, context: test.context, variant: test.expectedResult.name });
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(150);
    expect(skipped).toBeLessThan(checked);
  });
});
