/**
 * Random evaluation contexts for the flag systems: every attribute may be
 * missing, values come from realistic pools with case and type variants.
 */
import fc from 'fast-check';
import type { FlagContext } from '../../../server/src/core/flags/system.js';

const pools = {
  id: fc.oneof(fc.integer({ min: 1, max: 5000 }).map((n) => `user-${n}`), fc.constantFrom('user-7', 'user-42', '3', 'søren', 'łódź-日本')),
  planTier: fc.constantFrom('free', 'pro', 'team', 'Pro', 'FREE', 'enterprise', ''),
  country: fc.constantFrom('US', 'FR', 'DE', 'de', 'AT', 'GB', 'us'),
  age: fc.oneof(fc.integer({ min: 0, max: 99 }), fc.constantFrom(24.5, -1, 0)),
  email: fc.constantFrom('a@example.edu', 'B@School.EDU', 'c@school.edu', 'd@gmail.com', 'e@example.com', ''),
  appVersion: fc.constantFrom('1.0.0', '2.1.0', '2.10.3', '2.1.0-beta.1', 'v3.0.0', '3.0.0', '2.0', '10.0.0'),
  signupDate: fc.date({ min: new Date('2023-01-01T00:00:00Z'), max: new Date('2025-12-31T00:00:00Z'), noInvalidDate: true }).map((d) => d.toISOString().slice(0, 10)),
  student: fc.boolean(),
  score: fc.oneof(fc.integer({ min: 0, max: 10 }), fc.constant(7)),
  sessionId: fc.integer({ min: 1, max: 100_000 }).map((n) => `s-${n}`),
  currentTime: fc.date({ min: new Date('2024-01-01T00:00:00Z'), max: new Date('2024-12-31T00:00:00Z'), noInvalidDate: true }).map((d) => d.toISOString()),
  tags: fc.array(fc.constantFrom('vip', 'beta', 'new', 'VIP'), { maxLength: 3 }),
};

export type AttributeName = keyof typeof pools;

/** Contexts over the given attributes, each present with probability ~3/4. */
export function randomContexts(count: number, attributes: readonly AttributeName[], seed = 42, rename: Partial<Record<AttributeName, string>> = {}): FlagContext[] {
  const record: Record<string, fc.Arbitrary<unknown>> = {};
  for (const name of attributes) record[rename[name] ?? name] = pools[name];
  const arb = fc.record(record, { requiredKeys: [] });
  return fc.sample(arb, { numRuns: count, seed }) as FlagContext[];
}
