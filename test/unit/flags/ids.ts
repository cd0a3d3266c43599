/** Bucketing keys for the hash tests: realistic ids, and strings of any Unicode (the SDKs differ there). */
import fc from 'fast-check';

export function asciiIds(count: number, seed = 13): string[] {
  const id = fc.oneof(
    fc.integer({ min: 1, max: 10_000_000 }).map((n) => `user-${n}`),
    fc.uuid(),
    fc.stringMatching(/^[a-z0-9_.@-]{1,24}$/),
    fc.integer({ min: 0, max: 2 ** 31 }).map(String),
  );
  return fc.sample(id, { numRuns: count, seed });
}

export function unicodeIds(count: number, seed = 17): string[] {
  return fc.sample(fc.string({ unit: 'binary', minLength: 0, maxLength: 12 }), { numRuns: count, seed });
}

export const rolloutPercents = [0, 1, 12.5, 50, 99, 100] as const;
