/**
 * The number patterns behind semver comparisons with a literal
 * (`semverLiteralComparisonSql`): exactly the numbers, spelled without
 * leading zeros, above or below a given one.
 */
import { describe, expect, it } from 'vitest';
import { numbersAbove, numbersBelow } from '../../../server/src/core/sql/semver.js';

function matcher(pattern: string): (text: string) => boolean {
  const regex = pattern === '' ? undefined : new RegExp(`^${pattern}$`);
  return (text) => regex?.test(text) ?? false;
}

describe('number patterns of a semver literal', () => {
  it('match exactly the numbers above and below each number up to 1,200', () => {
    const candidates = Array.from({ length: 12_100 }, (_, k) => String(k));
    for (let n = 0; n <= 1200; n++) {
      const above = matcher(numbersAbove(String(n)));
      const below = matcher(numbersBelow(String(n)));
      const wrong = candidates.filter((m) => above(m) !== Number(m) > n || below(m) !== Number(m) < n);
      expect(wrong, `n = ${n}`).toEqual([]);
    }
  });

  it('never match a number with leading zeros, and stop at 15 digits', () => {
    for (const n of ['0', '7', '10', '999', '123456789012345']) {
      for (const pattern of [numbersAbove(n), numbersBelow(n)]) {
        const matches = matcher(pattern);
        expect(['00', '01', '007', '0999'].filter(matches), `n = ${n}`).toEqual([]);
        expect(matches('1234567890123456'), `n = ${n}`).toBe(false);
      }
    }
    expect(numbersAbove('999999999999999')).toBe('');
    expect(numbersBelow('0')).toBe('');
  });

  it('order 15-digit numbers digit by digit', () => {
    const n = '500000000000005';
    const above = matcher(numbersAbove(n));
    const below = matcher(numbersBelow(n));
    for (const [m, relation] of [
      ['500000000000006', 1],
      ['500000000000005', 0],
      ['500000000000004', -1],
      ['499999999999999', -1],
      ['600000000000000', 1],
      ['99999999999999', -1],
      ['5', -1],
    ] as const) {
      expect([above(m), below(m)], m).toEqual([relation > 0, relation < 0]);
    }
  });
});
