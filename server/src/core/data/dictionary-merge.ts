/**
 * One dictionary from the dictionaries of consecutive blocks of a column,
 * with the entries in the order a whole read would have added them (first
 * seen first).
 *
 * A key column (a million distinct, sequential ids) makes re-interning
 * every block's entries most of the merge. When each block's dictionary is
 * ascending (shorter first, then by bytes: the order the interner notices)
 * and starts after the last entry so far, none of its entries can have been
 * seen before: its bytes are appended as they are and its codes shifted.
 * The first block that does not fit switches to interning, starting from the
 * entries so far (ascending, so they keep their codes).
 */
import { fitInt32, fitUint8, growInt32, growUint8 } from './grow.js';
import { ByteInterner } from './interner.js';
import { PackedStrings, packedDictionary } from './packed-strings.js';

/** Where a block's codes go: `code + base`, or `map[code]`. */
export type CodeShift = { base: number } | { map: Int32Array };

export class DictionaryMerge {
  /**
   * The entries of ascending blocks, appended as they come, while no block
   * has needed interning: sized at the first block for the whole file, so
   * the end of a load neither keeps every block's pool nor copies them into
   * one (12 MB more at the peak for 1M ids).
   */
  private pool = new Uint8Array(0);
  private offsets = new Int32Array(1);
  private count = 0;
  private interner: ByteInterner | undefined;

  /** `rows`: the estimated rows of the file (sizes the first allocation; a short estimate only costs a copy). */
  constructor(private readonly rows = 0) {}

  /** Adds a block's dictionary; how its codes map onto the merged one. */
  add(column: { dictionary: string[] }, blockRows = 0): CodeShift {
    const packed = packedDictionary(column);
    if (!this.interner && packed && packed.ascending && this.startsAfterLast(packed)) {
      const base = this.count;
      this.append(packed, blockRows);
      return { base };
    }
    const interner = this.interning();
    if (packed) {
      const map = new Int32Array(packed.count);
      const { pool, offsets } = packed;
      for (let code = 0; code < packed.count; code++) map[code] = interner.intern(pool, offsets[code], offsets[code + 1]);
      return { map };
    }
    return { map: Int32Array.from(column.dictionary, (text) => interner.internString(text)) };
  }

  /** The merged entries. */
  packed(): PackedStrings {
    if (this.interner) return this.interner.packed();
    const count = this.count;
    return new PackedStrings(fitUint8(this.pool, this.offsets[count]), fitInt32(this.offsets, count + 1), count, true);
  }

  private append(block: PackedStrings, blockRows: number): void {
    if (block.count === 0) return;
    const first = block.offsets[0];
    const bytes = block.offsets[block.count] - first;
    const at = this.offsets[this.count];
    if (this.count === 0 && this.rows > blockRows && blockRows > 0) {
      // Sized for the file: as many entries per row, and bytes per entry, as this block has (4% over).
      const scale = (this.rows / blockRows) * 1.04;
      this.offsets = new Int32Array(Math.ceil(block.count * scale) + 2);
      this.pool = new Uint8Array(Math.ceil(bytes * scale) + 64);
    }
    this.offsets = growInt32(this.offsets, this.count + block.count + 1);
    this.pool = growUint8(this.pool, at + bytes);
    this.pool.set(block.pool.subarray(first, first + bytes), at);
    const offsets = this.offsets;
    const shift = at - first;
    for (let k = 1; k <= block.count; k++) offsets[this.count + k] = block.offsets[k] + shift;
    this.count += block.count;
  }

  private interning(): ByteInterner {
    if (this.interner) return this.interner;
    const interner = new ByteInterner();
    for (let code = 0; code < this.count; code++) interner.intern(this.pool, this.offsets[code], this.offsets[code + 1]);
    this.pool = new Uint8Array(0);
    this.offsets = new Int32Array(1);
    this.interner = interner;
    return interner;
  }

  /** Whether the block's first entry sorts after the last entry so far (the interner's order). */
  private startsAfterLast(block: PackedStrings): boolean {
    if (this.count === 0 || block.count === 0) return true;
    const from = this.offsets[this.count - 1];
    const lastLength = this.offsets[this.count] - from;
    const start = block.offsets[0];
    const length = block.offsets[1] - start;
    if (length !== lastLength) return length > lastLength;
    for (let k = 0; k < length; k++) {
      const difference = block.pool[start + k] - this.pool[from + k];
      if (difference !== 0) return difference > 0;
    }
    return false;
  }
}
