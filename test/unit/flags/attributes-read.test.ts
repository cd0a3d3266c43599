/**
 * A flag's decision depends only on the attributes its definition says it
 * reads (with those of the flags it depends on) and on whether an identity is
 * present: the flag checks evaluate one context per distinct combination of
 * those values, so a missing attribute in a definition would give rows the
 * decision of another row.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { attributesRead } from '../../../server/src/core/flags/row-decider.js';
import type { FlagContext, FlagSystemName } from '../../../server/src/core/flags/system.js';
import { flagSystem } from '../../../server/src/core/flags/systems/index.js';
import { randomContexts, type AttributeName } from './contexts.js';

const attributes: AttributeName[] = ['id', 'sessionId', 'planTier', 'country', 'age', 'email', 'appVersion', 'signupDate', 'student', 'score', 'tags', 'currentTime'];
const identityOf: Record<FlagSystemName, string> = { growthbook: 'id', unleash: 'userId', flagd: 'targetingKey', launchdarkly: 'key', posthog: 'distinct_id' };

describe('the attributes a flag reads are all that decide it', () => {
  for (const name of Object.keys(identityOf) as FlagSystemName[]) {
    it(`${name}: a context cut to the attributes read, with another identity, gets the same decision`, () => {
      const text = readFileSync(new URL(`./fixtures/${name}.json`, import.meta.url), 'utf8');
      const file = flagSystem(name).read(text);
      const identity = identityOf[name];
      const contexts = randomContexts(1500, attributes, 5, { id: identity });
      const others = randomContexts(1500, ['id'], 6, { id: identity });
      let compared = 0;
      for (const flag of file.flags) {
        const read = attributesRead(file, flag.key);
        if (read === undefined || read.has(identity)) continue;
        compared++;
        contexts.forEach((ctx, i) => {
          const cut: Record<string, FlagContext[string]> = {};
          for (const a of read) if (ctx[a] !== undefined) cut[a] = ctx[a];
          const otherId = others[i]![identity];
          if (ctx[identity] !== undefined) cut[identity] = otherId ?? 'another-identity';
          const full = file.evaluate(flag.key, ctx);
          const reduced = file.evaluate(flag.key, cut);
          if (full?.on !== reduced?.on || full?.rule !== reduced?.rule) {
            expect({ flag: flag.key, ctx, cut, on: reduced?.on, rule: reduced?.rule }).toEqual({ flag: flag.key, ctx, cut, on: full?.on, rule: full?.rule });
          }
        });
      }
      expect(compared, 'flags in the fixture that do not read the identity').toBeGreaterThan(0);
    });
  }
});
