/**
 * A parsed block's typed arrays copied into one buffer of shared memory (a
 * slab) for the thread that merges it, which hands the slab back once the
 * block is merged, for a later block. Transferring each block's own arrays
 * instead left them as garbage on the merging thread, freed at its next
 * collection into the parsing thread's allocator (~40 MB more at the peak of
 * a 1M-row load on two cores), and every transfer detaches a buffer, which
 * slows the sender's typed-array loops from then on (see block-workers.ts).
 */
import { arenaBytes as aligned } from '../core/data/array-arena.js';

type Typed = Uint8Array | Int32Array | Float64Array;

/** Gives each typed array of a structure a replacement of the same type and length. */
export type ArrayMapper = <T extends Typed>(array: T) => T;

/**
 * Slabs given back by the merging thread, and new ones when none is large
 * enough. A new slab has room to spare, so that the next blocks (about the
 * same size) fit in it.
 */
export class SlabPool {
  private readonly free: SharedArrayBuffer[] = [];

  /** A slab merged and sent back. */
  give(slab: SharedArrayBuffer): void {
    this.free.push(slab);
  }

  /**
   * `pack(copy)` with `copy` placing each array it is given into one slab:
   * `pack` is called twice, once to measure and once to copy, and must give
   * the same arrays in the same order both times.
   */
  packInto<R>(pack: (copy: ArrayMapper) => R): { packed: R; slab: SharedArrayBuffer } {
    let size = 0;
    pack((array) => {
      size += aligned(array.byteLength);
      return array;
    });
    const slab = this.take(size);
    let at = 0;
    const packed = pack(<T extends Typed>(array: T): T => {
      const copy = new (array.constructor as new (buffer: SharedArrayBuffer, offset: number, length: number) => T)(slab, at, array.length);
      copy.set(array as never);
      at += aligned(array.byteLength);
      return copy;
    });
    return { packed, slab };
  }

  private take(size: number): SharedArrayBuffer {
    let best = -1;
    for (let k = 0; k < this.free.length; k++) {
      const length = this.free[k].byteLength;
      if (length >= size && (best < 0 || length < this.free[best].byteLength)) best = k;
    }
    if (best >= 0) return this.free.splice(best, 1)[0];
    // A quarter more, in 64 KiB steps: the blocks after this one are about its size.
    return new SharedArrayBuffer(Math.ceil((size * 1.25) / 65536) * 65536);
  }
}
