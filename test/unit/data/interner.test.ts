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

describe('ByteInterner on ascending values (sequential ids)', () => {
  const encoder = new TextEncoder();
  const intern = (interner: ByteInterner, value: string, accept?: (b: Uint8Array, s: number, e: number) => boolean): number => {
    const bytes = encoder.encode(value);
    return interner.intern(bytes, 0, bytes.length, accept);
  };

  it('finds every earlier value once the order breaks, at any point of the run', () => {
    for (const breakAt of [1, 2, 100, 5000, 30_000]) {
      const interner = new ByteInterner();
      // "9" < "10" < "11": shorter values sort first, so unpadded numbers are ascending too.
      const ascending = Array.from({ length: breakAt }, (_, k) => String(k + 1));
      expect(ascending.map((v) => intern(interner, v))).toEqual(ascending.map((_, k) => k));
      expect(intern(interner, ascending[ascending.length - 1])).toBe(breakAt - 1);
      // Out of order: every earlier value keeps its code, new ones get the next codes.
      const probes = [ascending[0], ascending[Math.floor(breakAt / 2)], 'zz', ascending[breakAt - 1], 'a', 'zz'];
      expect(probes.map((v) => intern(interner, v))).toEqual([0, Math.floor(breakAt / 2), breakAt, breakAt - 1, breakAt + 1, breakAt]);
      expect(interner.size).toBe(breakAt + 2);
      const strings = interner.strings();
      expect(strings.slice(0, breakAt)).toEqual(ascending);
      expect(strings.slice(breakAt)).toEqual(['zz', 'a']);
    }
  });

  it('asks `accept` once per new value, adds only accepted ones, and answers -1 for refused ones every time', () => {
    const asked: string[] = [];
    const decoder = new TextDecoder();
    const onlyDigits = (bytes: Uint8Array, start: number, end: number): boolean => {
      const text = decoder.decode(bytes.subarray(start, end));
      asked.push(text);
      return /^\d+$/.test(text);
    };
    const interner = new ByteInterner();
    const values = ['1', '2', 'x', '2', '3', '1', 'x', '10', 'y', '3'];
    const codes = values.map((v) => intern(interner, v, onlyDigits));
    expect(codes).toEqual([0, 1, -1, 1, 2, 0, -1, 3, -1, 2]);
    expect(interner.strings()).toEqual(['1', '2', '3', '10']);
    expect(asked.filter((v) => /^\d+$/.test(v))).toEqual(['1', '2', '3', '10']);
  });
});
