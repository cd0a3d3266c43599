/**
 * Typed arrays carved from one buffer, for the columns of a table whose row
 * count is known (estimated) before it is filled. One large allocation is
 * mapped from the system and unmapped when freed; a table's arrays
 * allocated one by one stay in the allocator's heap when freed, and the next
 * load does not always fit in the holes (measured on two cores: repeated
 * loads of 1M rows peaked ~20 MB higher).
 */

/** Arrays start at multiples of 8 bytes (a Float64Array needs it). */
const ALIGN = 8;

/** `bytes` rounded up to the alignment every array starts at (here and in a block's slab, node/block-slab.ts). */
export function arenaBytes(bytes: number): number {
  return Math.ceil(bytes / ALIGN) * ALIGN;
}

export class ArrayArena {
  private readonly buffer: ArrayBuffer;
  private used = 0;

  /** `bytes`: the sum of `arenaBytes(…)` of every array it will give. */
  constructor(bytes: number) {
    this.buffer = new ArrayBuffer(bytes);
  }

  float64(length: number): Float64Array<ArrayBuffer> {
    return new Float64Array(this.buffer, this.take(length * 8), length);
  }

  int32(length: number): Int32Array<ArrayBuffer> {
    return new Int32Array(this.buffer, this.take(length * 4), length);
  }

  uint8(length: number): Uint8Array<ArrayBuffer> {
    return new Uint8Array(this.buffer, this.take(length), length);
  }

  private take(bytes: number): number {
    const at = this.used;
    this.used += arenaBytes(bytes);
    if (this.used > this.buffer.byteLength) throw new Error(`array arena of ${this.buffer.byteLength} bytes overrun`);
    return at;
  }
}
