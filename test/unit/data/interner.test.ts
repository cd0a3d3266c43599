import { describe, expect, it } from 'vitest';
import { ByteInterner } from '../../../server/src/core/data/interner.js';

describe('ByteInterner (dictionary encoding of string columns)', () => {
  it('gives each distinct value one code, stable across repeats, for few and many values', () => {
    const encoder = new TextEncoder();
    const interner = new ByteInterner();
    const values = Array.from({ length: 20_000 }, (_, k) => (k % 3 === 0 ? `c${k % 7}` : `id-${k}-é`));
    const codes = values.map((v) => {
      const bytes = encoder.encode(` ${v} `);
      return interner.intern(bytes, 1, bytes.length - 1);
    });
    const again = values.map((v) => interner.internString(v));
    expect(again).toEqual(codes);
    const strings = interner.strings();
    expect(new Set(strings).size).toBe(strings.length);
    values.forEach((v, k) => expect(strings[codes[k]]).toBe(v));
    expect(interner.size).toBe(new Set(values).size);
  });

  it('keeps the empty string and values that share length and outer bytes apart', () => {
    const interner = new ByteInterner();
    const codes = ['', 'abc', 'axc', 'abc', '', 'a😀c'].map((v) => interner.internString(v));
    expect(codes).toEqual([0, 1, 2, 1, 0, 3]);
    expect(interner.strings()).toEqual(['', 'abc', 'axc', 'a😀c']);
  });
});
