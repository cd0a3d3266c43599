/**
 * Dictionary encoding keyed by bytes: a repeated value costs a hash and a
 * byte compare, and only a value seen for the first time becomes a string.
 * This is what keeps string columns fast on large files.
 */
import { decodeSlice, encodeText } from './bytes.js';
import { growInt32, growUint8 } from './grow.js';

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

export class ByteInterner {
  readonly dictionary: string[] = [];
  private pool = new Uint8Array(1024);
  private poolLength = 0;
  private starts = new Int32Array(64);
  private lengths = new Int32Array(64);
  private hashes = new Int32Array(64);
  /** Open addressing: code + 1, or 0 for an empty slot. */
  private slots = new Int32Array(256);
  private mask = 255;

  get size(): number {
    return this.dictionary.length;
  }

  /** The code of the value in `bytes[start, end)`, adding it when new. */
  intern(bytes: Uint8Array, start: number, end: number): number {
    const hash = hashBytes(bytes, start, end);
    const length = end - start;
    let slot = hash & this.mask;
    for (;;) {
      const entry = this.slots[slot];
      if (entry === 0) break;
      const code = entry - 1;
      if (this.hashes[code] === hash && this.lengths[code] === length && this.equals(code, bytes, start)) {
        return code;
      }
      slot = (slot + 1) & this.mask;
    }
    return this.add(bytes, start, end, hash, slot);
  }

  /** The code of a value given as a string (JSON arrays and values not read from bytes). */
  internString(text: string): number {
    const bytes = encodeText(text);
    return this.intern(bytes, 0, bytes.length);
  }

  /** The code of a value that is already known, or -1. */
  lookup(text: string): number {
    const bytes = encodeText(text);
    const hash = hashBytes(bytes, 0, bytes.length);
    let slot = hash & this.mask;
    for (;;) {
      const entry = this.slots[slot];
      if (entry === 0) return -1;
      const code = entry - 1;
      if (this.lengths[code] === bytes.length && this.equals(code, bytes, 0)) return code;
      slot = (slot + 1) & this.mask;
    }
  }

  private equals(code: number, bytes: Uint8Array, start: number): boolean {
    const pool = this.pool;
    const offset = this.starts[code];
    const length = this.lengths[code];
    for (let k = 0; k < length; k++) if (pool[offset + k] !== bytes[start + k]) return false;
    return true;
  }

  private add(bytes: Uint8Array, start: number, end: number, hash: number, slot: number): number {
    const code = this.dictionary.length;
    const length = end - start;
    const pool = (this.pool = growUint8(this.pool, this.poolLength + length));
    for (let k = 0; k < length; k++) pool[this.poolLength + k] = bytes[start + k];
    this.starts = growInt32(this.starts, code + 1);
    this.lengths = growInt32(this.lengths, code + 1);
    this.hashes = growInt32(this.hashes, code + 1);
    this.starts[code] = this.poolLength;
    this.lengths[code] = length;
    this.hashes[code] = hash;
    this.poolLength += length;
    this.dictionary.push(decodeSlice(bytes, start, end));
    this.slots[slot] = code + 1;
    if ((code + 1) * 2 > this.slots.length) this.rehash();
    return code;
  }

  private rehash(): void {
    const size = this.slots.length * 2;
    this.slots = new Int32Array(size);
    this.mask = size - 1;
    for (let code = 0; code < this.dictionary.length; code++) {
      let slot = this.hashes[code] & this.mask;
      while (this.slots[slot] !== 0) slot = (slot + 1) & this.mask;
      this.slots[slot] = code + 1;
    }
  }

  /** Bytes of an entry (valid until the next `intern`). */
  bytesOf(code: number): Uint8Array {
    return this.pool.subarray(this.starts[code], this.starts[code] + this.lengths[code]);
  }
}
