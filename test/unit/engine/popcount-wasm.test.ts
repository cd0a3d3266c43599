/**
 * The WebAssembly overlap count: its bytes are popcount.wat compiled by wabt,
 * and it counts |a ∩ b| exactly as the JavaScript count does, for lengths that
 * are not a multiple of the unrolled step and for bits in the last word.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { readFileSync } from 'node:fs';
import initWabt from 'wabt';
import { andCount, emptyBits, setBit } from '../../../server/src/core/engine/bitset.js';
import { popcountWasmBytes, wasmPairCounter, wasmPairMatrix } from '../../../server/src/core/engine/popcount-wasm.js';
import { pairCountRows, pairCounts, type PairCache } from '../../../server/src/core/engine/stats.js';

function randomBits(rows: number, density: number, seed: number) {
  let state = seed;
  const next = () => ((state = (Math.imul(state, 1103515245) + 12345) >>> 0) / 2 ** 32);
  const bits = emptyBits(rows);
  for (let r = 0; r < rows; r++) if (next() < density) setBit(bits, r);
  return bits;
}

async function compilePopcountWat(): Promise<number[]> {
  const wabt = await initWabt();
  const source = readFileSync(new URL('../../../server/src/core/engine/popcount.wat', import.meta.url), 'utf8');
  const module = wabt.parseWat('popcount.wat', source);
  try {
    module.validate();
    return [...module.toBinary({}).buffer];
  } finally {
    module.destroy();
  }
}

describe('WebAssembly popcount', () => {
  it('is popcount.wat compiled by wabt', async () => {
    expect([...popcountWasmBytes()]).toEqual(await compilePopcountWat());
  });

  it('counts every pair as the JavaScript count does', () => {
    expect(wasmPairCounter([emptyBits(10)])).toBeDefined();
    for (const rows of [1, 31, 32, 33, 64, 65, 255, 257, 4_099, 100_003]) {
      const sets = [0.5, 0.01, 0.9, 1, 0].map((d, k) => randomBits(rows, d, rows * 7 + k));
      const count = wasmPairCounter(sets)!;
      for (let i = 0; i < sets.length; i++) {
        for (let j = 0; j < sets.length; j++) expect(count(i, j)).toBe(andCount(sets[i], sets[j]));
      }
    }
  });

  afterEach(() => vi.restoreAllMocks());

  it('never grows its memory: sized for the sets at once (growing detaches a buffer, which slows every typed-array loop of the thread after it)', () => {
    const grow = vi.spyOn(WebAssembly.Memory.prototype, 'grow');
    // 50 sets of 1M rows: 100 times the one page a memory starts with.
    const sets = Array.from({ length: 50 }, (_, k) => randomBits(1_000_000, (k + 1) / 51, k));
    const matrix = wasmPairMatrix(sets)!;
    matrix.run(0, matrix.words);
    expect(matrix.count(3, 40)).toBe(andCount(sets[3], sets[40]));
    expect(wasmPairCounter(sets)!(7, 9)).toBe(andCount(sets[7], sets[9]));
    expect(grow).not.toHaveBeenCalled();
  });

  it('gives the overlap matrix the same counts with and without a cache', () => {
    const sets = Array.from({ length: 12 }, (_, k) => randomBits(50_000, (k + 1) / 13, k));
    const counts = pairCounts(sets);
    for (let i = 0; i < sets.length; i++) {
      for (let j = i + 1; j < sets.length; j++) expect(counts[i * sets.length + j]).toBe(andCount(sets[i], sets[j]));
    }
  });

  it('counts the whole matrix block by block as the pair counts do, in pieces of any size', () => {
    // 600 words of 64 bits: a block of 512 and a partial one; sets with bits in one region only skip the other block.
    for (const rows of [1, 63, 65, 600 * 64 + 17, 100_003]) {
      const region = (from: number, to: number, seed: number) => {
        const bits = randomBits(rows, 0.3, seed);
        for (let r = 0; r < rows; r++) if (r < from || r >= to) bits[r >>> 5] &= ~(1 << (r & 31));
        return bits;
      };
      const sets = [
        ...[0.5, 0.01, 0.9, 1, 0, 0.2, 0.7].map((d, k) => randomBits(rows, d, rows * 11 + k)),
        region(0, 512 * 64, 1),
        region(512 * 64, rows, 2),
        region(rows >> 1, rows, 3),
      ];
      for (const piece of [7, 512, 100_000]) {
        const matrix = wasmPairMatrix(sets)!;
        for (let from = 0; from < matrix.words; from += piece) matrix.run(from, Math.min(matrix.words, from + piece));
        for (let i = 0; i < sets.length; i++) {
          for (let j = i + 1; j < sets.length; j++) expect(matrix.count(i, j)).toBe(andCount(sets[i], sets[j]));
        }
      }
    }
  });

  it('counts only the pairs missing from the cache, and fills it with the counts of the matrix', () => {
    const sets = Array.from({ length: 9 }, (_, k) => randomBits(70_001, (k + 1) / 10, 100 + k));
    const kept = new Map<string, number>();
    const id = new Map(sets.map((s, k) => [s, k]));
    const cache: PairCache = {
      get: (a, b) => kept.get(`${id.get(a)},${id.get(b)}`),
      set: (a, b, count) => void kept.set(`${id.get(a)},${id.get(b)}`, count),
    };
    cache.set(sets[0], sets[1], -1); // a kept count is read, not counted again
    const counts = new Array<number>(81).fill(0);
    const steps = pairCountRows(sets, cache, counts);
    let pieces = 0;
    while (!steps.next().done) pieces++;
    expect(pieces).toBeGreaterThan(1);
    expect(counts[1]).toBe(-1);
    expect(kept.size).toBe(36);
    for (let i = 0; i < 9; i++) {
      for (let j = i + 1; j < 9; j++) {
        if (i === 0 && j === 1) continue;
        expect(counts[i * 9 + j]).toBe(andCount(sets[i], sets[j]));
        expect(kept.get(`${i},${j}`)).toBe(andCount(sets[i], sets[j]));
      }
    }
  });

  it('counts the pairs of a member set listed twice (two segments with one rule) like any other', () => {
    const shared = randomBits(40_000, 0.4, 7);
    const sets = [randomBits(40_000, 0.3, 8), shared, shared, ...Array.from({ length: 6 }, (_, k) => randomBits(40_000, 0.5, 20 + k))];
    const kept = new WeakMap<object, Map<object, number>>();
    const cache: PairCache = {
      get: (a, b) => kept.get(a)?.get(b),
      set: (a, b, count) => void (kept.get(a) ?? kept.set(a, new Map()).get(a)!).set(b, count),
    };
    const counts = pairCounts(sets, cache);
    for (let i = 0; i < sets.length; i++) {
      for (let j = i + 1; j < sets.length; j++) expect(counts[i * sets.length + j]).toBe(andCount(sets[i], sets[j]));
    }
  });
});
