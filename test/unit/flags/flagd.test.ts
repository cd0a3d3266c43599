import { readFileSync } from 'node:fs';
import { FlagdCore } from '@openfeature/flagd-core';
import { describe, expect, it } from 'vitest';
import type { FlagContext } from '../../../server/src/core/flags/system.js';
import { flagdHashNote } from '../../../server/src/core/flags/systems/flagd.js';
import { flagSystem } from '../../../server/src/core/flags/systems/index.js';
import { randomContexts } from './contexts.js';
import { asciiIds, rolloutPercents, unicodeIds } from './ids.js';

const text = readFileSync(new URL('./fixtures/flagd.json', import.meta.url), 'utf8');
const system = flagSystem('flagd');
const silent = { error() {}, warn() {}, info() {}, debug() {} };

function oracle(config: string): FlagdCore {
  const core = new FlagdCore(undefined, silent);
  core.setConfigurations(config);
  return core;
}

function sdkDecision(core: FlagdCore, key: string, ctx: FlagContext): { value: unknown; variant: string | undefined } {
  const flag = core.getFlag(key)!;
  const values = [...flag.variants.values()];
  const context = { ...ctx } as Record<string, never>;
  const r = typeof values[0] === 'boolean' ? core.resolveBooleanEvaluation(key, false, context) : core.resolveStringEvaluation(key, 'app-default', context);
  return { value: r.value, variant: r.variant };
}

describe('flagd: flag definitions read and evaluated as @openfeature/flagd-core 4.0', () => {
  it('lists the flags with the attributes they read (through $ref), and names what it cannot evaluate', () => {
    const file = system.read(text);
    expect(file.problems).toEqual([]);
    expect(file.flags.map((f) => f.key)).toEqual(['smart-reschedule', 'new-onboarding', 'checkout-v2', 'beta-dates', 'switched-off', 'static-on', 'timed']);
    expect(new Set(file.flags[0]!.attributes)).toEqual(new Set(['planTier', 'country', 'age', 'targetingKey', 'student', 'email']));
    expect(file.flags[0]!.location.line).toBe(3);
    const timed = file.flags.find((f) => f.key === 'timed')!;
    expect(timed.problems).toMatchObject([{ kind: 'unsupported', pointer: '/flags/timed/targeting' }]);
    expect(file.evaluate('timed', { targetingKey: 'u' })).toBeUndefined();
  });

  it('decides every flag as the SDK does on thousands of random contexts with missing attributes', () => {
    const core = oracle(text);
    const file = system.read(text);
    const keys = file.flags.filter((f) => f.problems.length === 0).map((f) => f.key);
    const contexts = randomContexts(4000, ['id', 'planTier', 'country', 'age', 'email', 'appVersion', 'signupDate', 'student', 'score', 'tags'], 21, { id: 'targetingKey' });
    const on = new Map<string, number>();
    for (const ctx of contexts) {
      for (const key of keys) {
        const ours = file.evaluate(key, ctx);
        const sdk = sdkDecision(core, key, ctx);
        const expected = { key, ctx, variant: sdk.variant, on: sdk.value === true || (typeof sdk.value === 'string' && sdk.variant !== undefined && sdk.variant !== 'control') };
        const actual = { key, ctx, variant: key === 'switched-off' ? undefined : ours?.variation, on: ours?.on };
        if (actual.on !== expected.on || actual.variant !== expected.variant) expect(actual).toEqual(expected);
        if (ours?.on) on.set(key, (on.get(key) ?? 0) + 1);
      }
    }
    for (const key of keys.filter((k) => k !== 'switched-off')) expect(on.get(key) ?? 0, key).toBeGreaterThan(20);
  });

  it('buckets fractional as the SDK at 0, 1, 12.5, 50, 99 and 100%, on ASCII and non-ASCII keys', () => {
    const ids = [...asciiIds(2000, 8), ...unicodeIds(500, 9).filter((id) => id !== '')];
    for (const percent of rolloutPercents) {
      const weight = Math.round(percent * 10);
      const config = JSON.stringify({ flags: { r: { state: 'ENABLED', variants: { on: true, off: false }, defaultVariant: 'off', targeting: { fractional: [['on', weight], ['off', 1000 - weight]] } } } });
      const core = oracle(config);
      const file = system.read(config);
      let count = 0;
      for (const targetingKey of ids) {
        const ours = file.evaluate('r', { targetingKey })!.on;
        const sdk = core.resolveBooleanEvaluation('r', false, { targetingKey }).value;
        if (ours !== sdk) expect({ targetingKey, percent, ours }).toEqual({ targetingKey, percent, ours: sdk });
        if (ours) count++;
      }
      if (percent === 0) expect(count).toBe(0);
      if (percent === 100) expect(count).toBe(ids.length);
    }
  });

  it('says when a key is outside ASCII, where flagd SDKs disagree', () => {
    expect(flagdHashNote('user-1')).toBeUndefined();
    expect(flagdHashNote('łódź')).toMatch(/@openfeature\/flagd-core.*UTF-16/);
  });

  it('reports a $ref to no evaluator and bad files as located problems', () => {
    const dangling = system.read('{"flags": {"a": {"state": "ENABLED", "variants": {"on": true}, "defaultVariant": "on", "targeting": {"$ref": "nope"}}}}');
    expect(dangling.flags[0]!.problems[0]).toMatchObject({ kind: 'invalid', pointer: '/flags/a/targeting' });
    expect(system.read('{"flags": {"a": {"state": "MAYBE", "variants": {}}}}').problems[0]).toMatchObject({ kind: 'invalid', pointer: '/flags/a/state' });
  });
});
