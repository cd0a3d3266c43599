/**
 * The WebAssembly overlap count: its bytes are popcount.wat compiled by wabt,
 * and it counts |a ∩ b| exactly as the JavaScript count does, for lengths that
 * are not a multiple of the unrolled step and for bits in the last word.
 */
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import initWabt from 'wabt';
import { andCount, emptyBits, setBit } from '../../../server/src/core/engine/bitset.js';
import { popcountWasmBytes, wasmPairCounter } from '../../../server/src/core/engine/popcount-wasm.js';
import { pairCounts } from '../../../server/src/core/engine/stats.js';

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

  it('gives the overlap matrix the same counts with and without a cache', () => {
    const sets = Array.from({ length: 12 }, (_, k) => randomBits(50_000, (k + 1) / 13, k));
    const counts = pairCounts(sets);
    for (let i = 0; i < sets.length; i++) {
      for (let j = i + 1; j < sets.length; j++) expect(counts[i * sets.length + j]).toBe(andCount(sets[i], sets[j]));
    }
  });
});
