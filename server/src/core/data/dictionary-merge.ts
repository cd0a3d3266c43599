/**
 * One dictionary from the dictionaries of consecutive blocks of a column,
 * with the entries in the order a whole read would have added them (first
 * seen first).
 *
 * A key column (a million distinct, sequential ids) makes re-interning
 * every block's entries most of the merge. When each block's dictionary is
 * ascending (shorter first, then by bytes: the order the interner notices)
 * and starts after the last entry so far, none of its entries can have been
 * seen before: its byte pool is kept as it is and its codes are shifted.
 * The first block that does not fit switches to interning, starting from the
 * entries so far (ascending, so they keep their codes).
 */
import { ByteInterner } from './interner.js';
import { PackedStrings, packedDictionary } from './packed-strings.js';

/** Where a block's codes go: `code + base`, or `map[code]`. */
export type CodeShift = { base: number } | { map: Int32Array };

export class DictionaryMerge {
  /** Ascending pools appended whole, while no block has needed interning. */
  private parts: PackedStrings[] = [];
  private count = 0;
  private interner: ByteInterner | undefined;

  /** Adds a block's dictionary; how its codes map onto the merged one. */
  add(column: { dictionary: string[] }): CodeShift {
    const packed = packedDictionary(column);
    if (!this.interner && packed && packed.ascending && this.startsAfterLast(packed)) {
      const base = this.count;
      if (packed.count > 0) this.parts.push(packed);
      this.count += packed.count;
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
    let bytes = 0;
    for (const part of this.parts) bytes += part.offsets[part.count] - part.offsets[0];
    const pool = new Uint8Array(bytes);
    const offsets = new Int32Array(this.count + 1);
    let code = 0;
    let at = 0;
    for (const part of this.parts) {
      const first = part.offsets[0];
      pool.set(part.pool.subarray(first, part.offsets[part.count]), at);
      const shift = at - first;
      for (let k = 1; k <= part.count; k++) offsets[code + k] = part.offsets[k] + shift;
      code += part.count;
      at = offsets[code];
    }
    return new PackedStrings(pool, offsets, this.count, true);
  }

  private interning(): ByteInterner {
    if (this.interner) return this.interner;
    const interner = new ByteInterner();
    for (const part of this.parts) {
      for (let code = 0; code < part.count; code++) interner.intern(part.pool, part.offsets[code], part.offsets[code + 1]);
    }
    this.parts = [];
    this.interner = interner;
    return interner;
  }

  /** Whether the block's first entry sorts after the last entry so far (the interner's order). */
  private startsAfterLast(block: PackedStrings): boolean {
    const last = this.parts[this.parts.length - 1];
    if (!last || block.count === 0) return true;
    const from = last.offsets[last.count - 1];
    const lastLength = last.offsets[last.count] - from;
    const start = block.offsets[0];
    const length = block.offsets[1] - start;
    if (length !== lastLength) return length > lastLength;
    for (let k = 0; k < length; k++) {
      const difference = block.pool[start + k] - last.pool[from + k];
      if (difference !== 0) return difference > 0;
    }
    return false;
  }
}
