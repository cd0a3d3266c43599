/**
 * Many distinct strings (a million `user_id`s) kept as one UTF-8 byte pool
 * plus offsets instead of a million JavaScript strings: a dictionary column
 * with many values carries its strings like this, and they become strings
 * only when something reads the column's `dictionary` (most checks need only
 * the codes, and a key column's values are rarely all read).
 */
import { decodeSlice } from './bytes.js';

const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

export class PackedStrings {
  constructor(
    /** Entry `code` is `pool[offsets[code], offsets[code + 1])`. */
    readonly pool: Uint8Array,
    readonly offsets: Int32Array,
    readonly count: number,
    /** Every entry sorts after the one before it (shorter first, then by bytes): no entry repeats. */
    readonly ascending = false,
  ) {}

  get(code: number): string {
    return decodeSlice(this.pool, this.offsets[code], this.offsets[code + 1]);
  }

  /**
   * All entries as strings, in code order. Decoded in one pass over the pool
   * (one string per entry and no intermediate garbage).
   */
  all(): string[] {
    const { pool, offsets, count } = this;
    const result = new Array<string>(count);
    let whole: string;
    try {
      whole = strictUtf8.decode(pool.subarray(0, offsets[count]));
    } catch {
      // Invalid UTF-8: entry by entry, with replacement characters.
      for (let code = 0; code < count; code++) result[code] = this.get(code);
      return result;
    }
    let position = 0;
    for (let code = 0; code < count; code++) {
      const from = position;
      for (let i = offsets[code]; i < offsets[code + 1]; i++) {
        const b = pool[i];
        // UTF-16 units: one per character, two for a 4-byte (astral) character.
        if ((b & 0xc0) !== 0x80) position += b >= 0xf0 ? 2 : 1;
      }
      result[code] = whole.substring(from, position);
    }
    return result;
  }
}

/** Dictionaries at least this large are kept packed until read. */
const PACKED_FROM = 4096;

const packedOf = new WeakMap<object, PackedStrings>();

/**
 * `column` with a `dictionary` of `strings`: a plain array when small; when
 * large, a property that decodes the strings the first time it is read.
 */
export function withDictionary<C extends object>(column: C, strings: PackedStrings): C & { dictionary: string[] } {
  if (strings.count < PACKED_FROM) return Object.assign(column, { dictionary: strings.all() });
  packedOf.set(column, strings);
  Object.defineProperty(column, 'dictionary', {
    enumerable: true,
    configurable: true,
    get(): string[] {
      const all = strings.all();
      Object.defineProperty(column, 'dictionary', { value: all, enumerable: true, configurable: true, writable: true });
      packedOf.delete(column);
      return all;
    },
  });
  return column as C & { dictionary: string[] };
}

/** Number of entries of a column's dictionary, without decoding a packed one. */
export function dictionarySize(column: { dictionary: string[] }): number {
  return packedOf.get(column)?.count ?? column.dictionary.length;
}

/** One entry of a column's dictionary, without decoding all of a packed one. */
export function dictionaryEntry(column: { dictionary: string[] }, code: number): string {
  const packed = packedOf.get(column);
  return packed ? packed.get(code) : column.dictionary[code];
}

/** The packed strings of a column whose dictionary has not been decoded (to pass them on as bytes). */
export function packedDictionary(column: object): PackedStrings | undefined {
  return packedOf.get(column);
}
