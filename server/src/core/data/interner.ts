/**
 * Dictionary encoding keyed by bytes: a repeated value costs a hash and a
 * byte compare, and only a value seen for the first time becomes a string.
 * This is what keeps string columns fast on large files.
 *
 * Memory matters for key-like columns (a million distinct ids): entries are
 * kept as one byte pool plus offsets, and hashes are recomputed on rehash
 * rather than stored.
 *
 * Key columns usually arrive in ascending order (sequential ids): while each
 * new value sorts after the last one added (shorter first, then by bytes),
 * it cannot be one seen before, so it is appended without hashing and the
 * hash table is not built at all. The first value out of order builds it
 * once from the entries so far.
 */
import { decodeSlice, encodeText } from './bytes.js';
import { growInt32, growUint8 } from './grow.js';
import { PackedStrings } from './packed-strings.js';

/** FNV-1a with a murmur3 finalizer: sequential ids must not cluster in the low bits. */
function hashBytes(bytes: Uint8Array, start: number, end: number): number {
  let hash = 0x811c9dc5;
  for (let i = start; i < end; i++) hash = Math.imul(hash ^ bytes[i], 0x01000193);
  hash ^= hash >>> 16;
  hash = Math.imul(hash, 0x85ebca6b);
  hash ^= hash >>> 13;
  hash = Math.imul(hash, 0xc2b2ae35);
  return hash ^ (hash >>> 16);
}

/** Whether a value not seen before may be added (e.g. that it is a version). */
export type AcceptValue = (bytes: Uint8Array, start: number, end: number) => boolean;

const CACHE_MASK = 1023;
const CACHE_MAX_ENTRIES = 4096;

export class ByteInterner {
  private count = 0;
  private pool = new Uint8Array(1024);
  /** Entry `code` is `pool[offsets[code], offsets[code + 1])`. */
  private offsets = new Int32Array(64);
  /** Open addressing, at most half full: code + 1, or 0 for an empty slot. */
  private slots = new Int32Array(256);
  private mask = 255;
  /** Code + 1 of a recently seen value per cache key, or 0. */
  private readonly cache = new Int32Array(CACHE_MASK + 1);
  /** Every entry so far sorts after the one before it; `slots` is then empty (see the file comment). */
  private ascending = true;

  /** No entries, keeping the arrays (see ColumnBuilder.reset). */
  reset(): void {
    if (!this.ascending) this.slots.fill(0);
    if (this.count > 0) this.cache.fill(0);
    this.count = 0;
    this.ascending = true;
  }

  get size(): number {
    return this.count;
  }

  /**
   * The code of the value in `bytes[start, end)`, adding it when new. With
   * `accept`, a new value is added only when it accepts it (else -1): a check
   * of the value runs once per distinct value, not once per row.
   */
  intern(bytes: Uint8Array, start: number, end: number, accept?: AcceptValue): number {
    if (this.ascending) {
      const order = this.compareWithLast(bytes, start, end);
      if (order > 0) return accept && !accept(bytes, start, end) ? -1 : this.append(bytes, start, end);
      if (order === 0) return this.count - 1;
      this.ascending = false;
      this.rehash();
    }
    const length = end - start;
    const pool = this.pool;
    const offsets = this.offsets;
    // Few distinct values (countries, plans, versions) mostly hit this cache,
    // keyed by length and the outer bytes, without hashing the whole value.
    // Columns with many distinct values (ids) would only thrash it.
    if (this.count > CACHE_MAX_ENTRIES) return this.find(bytes, start, end, accept);
    const cacheKey = length === 0 ? 0 : (length * 977 + bytes[start] * 31 + bytes[end - 1]) & CACHE_MASK;
    const cached = this.cache[cacheKey];
    if (cached !== 0) {
      const from = offsets[cached - 1];
      if (offsets[cached] - from === length) {
        let k = 0;
        while (k < length && pool[from + k] === bytes[start + k]) k++;
        if (k === length) return cached - 1;
      }
    }
    const code = this.find(bytes, start, end, accept);
    if (code >= 0) this.cache[cacheKey] = code + 1;
    return code;
  }

  /** The value against the last entry added: > 0 when it sorts after it (shorter first, then by bytes), or when there is none. */
  private compareWithLast(bytes: Uint8Array, start: number, end: number): number {
    const count = this.count;
    if (count === 0) return 1;
    const from = this.offsets[count - 1];
    const lastLength = this.offsets[count] - from;
    const length = end - start;
    if (length !== lastLength) return length - lastLength;
    const pool = this.pool;
    for (let k = 0; k < length; k++) {
      const difference = bytes[start + k] - pool[from + k];
      if (difference !== 0) return difference;
    }
    return 0;
  }

  private find(bytes: Uint8Array, start: number, end: number, accept: AcceptValue | undefined): number {
    const length = end - start;
    const pool = this.pool;
    const offsets = this.offsets;
    let slot = hashBytes(bytes, start, end) & this.mask;
    for (;;) {
      const entry = this.slots[slot];
      if (entry === 0) break;
      const from = offsets[entry - 1];
      if (offsets[entry] - from === length) {
        let k = 0;
        while (k < length && pool[from + k] === bytes[start + k]) k++;
        if (k === length) return entry - 1;
      }
      slot = (slot + 1) & this.mask;
    }
    if (accept && !accept(bytes, start, end)) return -1;
    return this.add(bytes, start, end, slot);
  }

  /** The code of a value given as a string (JSON arrays and values not read from bytes). */
  internString(text: string): number {
    const bytes = encodeText(text);
    return this.intern(bytes, 0, bytes.length);
  }

  private add(bytes: Uint8Array, start: number, end: number, slot: number): number {
    const code = this.append(bytes, start, end);
    this.slots[slot] = code + 1;
    if ((code + 1) * 2 > this.slots.length) this.rehash();
    return code;
  }

  /** A new entry in the pool (not in the hash table). */
  private append(bytes: Uint8Array, start: number, end: number): number {
    const code = this.count++;
    const from = this.offsets[code];
    const to = from + (end - start);
    // Checked here rather than in the grow functions: a key column appends once per row.
    if (to > this.pool.length) this.pool = growUint8(this.pool, to);
    if (code + 2 > this.offsets.length) this.offsets = growInt32(this.offsets, code + 2);
    const pool = this.pool;
    for (let k = from, i = start; k < to; k++, i++) pool[k] = bytes[i];
    this.offsets[code + 1] = to;
    return code;
  }

  /** A hash table less than half full for the entries so far, built anew. */
  private rehash(): void {
    let size = 256;
    while (size < this.count * 2 + 2) size *= 2;
    this.slots = new Int32Array(size);
    this.mask = size - 1;
    for (let code = 0; code < this.count; code++) {
      let slot = hashBytes(this.pool, this.offsets[code], this.offsets[code + 1]) & this.mask;
      while (this.slots[slot] !== 0) slot = (slot + 1) & this.mask;
      this.slots[slot] = code + 1;
    }
  }

  /** The value of one entry, as a string. */
  text(code: number): string {
    return decodeSlice(this.pool, this.offsets[code], this.offsets[code + 1]);
  }

  /** All entries as strings, in code order. */
  strings(): string[] {
    return this.packed().all();
  }

  /**
   * The entries as one byte pool and offsets (the hash table is not kept).
   * `trim`: copied without the spare capacity unless it is small; else views
   * (for an interner that is reset and used again, whose entries are copied
   * out before that).
   */
  packed(trim = true): PackedStrings {
    const { count } = this;
    const used = this.offsets[count];
    const pool = trim && this.pool.length - used > 4096 ? this.pool.slice(0, used) : this.pool.subarray(0, used);
    const offsets = trim && this.offsets.length - (count + 1) > 1024 ? this.offsets.slice(0, count + 1) : this.offsets.subarray(0, count + 1);
    return new PackedStrings(pool, offsets, count, this.ascending);
  }
}
