/**
 * Slabs (node/block-slab.ts): a parsed block's arrays copied into one buffer
 * of shared memory, which comes back once the block is merged and takes a
 * later block, so parsing block after block allocates nothing new.
 */
import { describe, expect, it } from 'vitest';
import { SlabPool, type ArrayMapper } from '../../../server/src/node/block-slab.js';

const block = (rows: number) => ({
  missing: Uint8Array.from({ length: rows }, (_, i) => i % 3),
  values: Float64Array.from({ length: rows }, (_, i) => i / 7),
  codes: Int32Array.from({ length: rows }, (_, i) => i - 1),
});

const pack = (arrays: ReturnType<typeof block>) => (copy: ArrayMapper) => ({ missing: copy(arrays.missing), values: copy(arrays.values), codes: copy(arrays.codes) });

describe('slabs of parsed blocks', () => {
  it('copy every array of a block into one buffer of shared memory, each at its type’s alignment', () => {
    const pool = new SlabPool();
    const arrays = block(1001);
    const { packed, slab } = pool.packInto(pack(arrays));
    expect(slab).toBeInstanceOf(SharedArrayBuffer);
    for (const name of ['missing', 'values', 'codes'] as const) {
      expect(packed[name].buffer).toBe(slab);
      expect(Array.from(packed[name])).toEqual(Array.from(arrays[name]));
      expect(packed[name].byteOffset % 8).toBe(0);
    }
  });

  it('take a slab given back for the next block of about the same size, and a new one when it is too small', () => {
    const pool = new SlabPool();
    const first = pool.packInto(pack(block(1000)));
    pool.give(first.slab);
    const second = pool.packInto(pack(block(1010)));
    expect(second.slab).toBe(first.slab);
    expect(Array.from(second.packed.values)).toEqual(Array.from(block(1010).values));
    pool.give(second.slab);
    const larger = pool.packInto(pack(block(10_000)));
    expect(larger.slab).not.toBe(first.slab);
    // The small one is still there for a small block.
    expect(pool.packInto(pack(block(900))).slab).toBe(first.slab);
  });
});
