/**
 * popcount(a AND b) in WebAssembly (i64.popcnt), several times faster than
 * the JavaScript SWAR count for the overlap matrix. The module is
 * popcount.wat compiled by wabt (regenerate with `node scripts/build-wasm.mjs`;
 * a unit test checks these bytes against the .wat). Without WebAssembly the
 * callers keep the JavaScript count.
 */
import type { Bitset } from './bitset.js';

const POPCOUNT_WASM =
  'AGFzbQEAAAABKwVgA39/fwF/YAJ/fwF/YAh/f39/f39/fwBgBX9/f39/AX9gBn9/f39/fgACDwEDZW52Bm1lbW9yeQIAAQMGBQABAgMEBxkCCGFuZENvdW50AAAKcGFpck1hdHJpeAACCt0GBa0BAgJ/AX4gACACQQN0aiEDIAAgAkF8cUEDdGohBAJAIAAgBE8NAANAIAUgACkDACABKQMAg3t8IAApAwggASkDCIN7fCAAKQMQIAEpAxCDeyAAKQMYIAEpAxiDe3x8IQUgAEEgaiEAIAFBIGohASAAIARJDQALCwJAIAAgA08NAANAIAUgACkDACABKQMAg3t8IQUgAEEIaiEAIAFBCGohASAAIANJDQALCyAFpws5AQF/IAAgAUEDdGohAgJAIAAgAk8NAANAIAApAwBCAFIEQEEBDwsgAEEIaiEAIAAgAkkNAAsLQQALqwQCDX8FfgJAA0AgAyAETw0BIAQgA2shCCAIIAVLBEAgBSEICyAIQQN0IRRBACEJQQAhCgJAA0AgCiABTw0BIAAgCiACbGogA0EDdGogCBABBEAgByAJQQJ0aiAKNgIAIAlBAWohCQsgCkEBaiEKDAALC0EAIQsCQANAIAsgCU8NASAHIAtBAnRqKAIAIQ0gACANIAJsaiADQQN0aiEOIAtBAWohDAJAA0AgDEEEaiAJSw0BIAAgAiADIAcgDBADIQ8gACACIAMgByAMQQFqEAMhECAAIAIgAyAHIAxBAmoQAyERIAAgAiADIAcgDEEDahADIRJCACEWQgAhF0IAIRhCACEZQQAhEwNAIA4gE2opAwAhFSAWIBUgDyATaikDAIN7fCEWIBcgFSAQIBNqKQMAg3t8IRcgGCAVIBEgE2opAwCDe3whGCAZIBUgEiATaikDAIN7fCEZIBNBCGohEyATIBRJDQALIAYgASANIAcgDCAWEAQgBiABIA0gByAMQQFqIBcQBCAGIAEgDSAHIAxBAmogGBAEIAYgASANIAcgDEEDaiAZEAQgDEEEaiEMDAALCwJAA0AgDCAJTw0BIAAgAiADIAcgDBADIQ9CACEWQQAhEwNAIBYgDiATaikDACAPIBNqKQMAg3t8IRYgE0EIaiETIBMgFEkNAAsgBiABIA0gByAMIBYQBCAMQQFqIQwMAAsLIAtBAWohCwwACwsgAyAIaiEDDAALCwsZACAAIAMgBEECdGooAgAgAWxqIAJBA3RqCysBAX8gACACIAFsIAMgBEECdGooAgBqQQJ0aiEGIAYgBigCACAFp2o2AgAL';

const PAGE_BYTES = 65_536;

interface PopcountExports {
  andCount(a: number, b: number, words: number): number;
  pairMatrix(base: number, n: number, stride: number, from: number, to: number, block: number, out: number, act: number): void;
}

export function popcountWasmBytes(): Uint8Array<ArrayBuffer> {
  const text = atob(POPCOUNT_WASM);
  const bytes = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) bytes[i] = text.charCodeAt(i);
  return bytes;
}

let compiled: WebAssembly.Module | null | undefined;

function popcountModule(): WebAssembly.Module | undefined {
  if (compiled === undefined) {
    try {
      compiled = typeof WebAssembly === 'object' ? new WebAssembly.Module(popcountWasmBytes()) : null;
    } catch {
      compiled = null;
    }
  }
  return compiled ?? undefined;
}

/** Words (8 bytes) of each set that the matrix reads at a time: a block of 50 sets stays in the L2 cache. */
const MATRIX_BLOCK_WORDS = 512;

/**
 * The whole overlap matrix of sets of one length, in WebAssembly: words are
 * read a block at a time for all pairs (each block of every set is loaded
 * once from memory, not once per pair), four pairs at a time, and a set with
 * no bit in a block skips it. `run(from, to)` adds the counts of 64-bit words
 * [from, to) (`words` in all), so a caller can pause between pieces;
 * `count(i, j)` (i < j) reads the sum so far. Undefined without WebAssembly.
 */
export interface PairMatrix {
  words: number;
  run(from: number, to: number): void;
  count(i: number, j: number): number;
}

/** The sets copied into a new instance's memory, each padded to whole 8-byte words, with `extraBytes` free after them. */
interface LoadedSets {
  exports: PopcountExports;
  memory: WebAssembly.Memory;
  /** Bytes from one set to the next (set i starts at i × stride). */
  stride: number;
}

function loadSets(sets: readonly Bitset[], extraBytes: number): LoadedSets | undefined {
  const module = popcountModule();
  if (!module || sets.length === 0) return undefined;
  const stride = Math.ceil(sets[0].length / 2) * 8;
  const total = stride * sets.length + extraBytes;
  if (total > 2 ** 31) return undefined;
  try {
    // Sized once, never grown: growing detaches the memory's buffer, and after any buffer of a thread is detached V8 checks for it in every typed-array loop there (the segments' evaluation ran ~40% slower after the first overlap matrix).
    const memory = new WebAssembly.Memory({ initial: Math.max(1, Math.ceil(total / PAGE_BYTES)) });
    const exports = new WebAssembly.Instance(module, { env: { memory } }).exports as unknown as PopcountExports;
    const words = new Uint32Array(memory.buffer);
    sets.forEach((set, i) => words.set(set, (i * stride) / 4));
    return { exports, memory, stride };
  } catch {
    return undefined;
  }
}

export function wasmPairMatrix(sets: readonly Bitset[]): PairMatrix | undefined {
  const n = sets.length;
  // After the sets: the list of sets active in a block (n × 4 bytes), then the n × n counts.
  const loaded = loadSets(sets, n * 4 + n * n * 4);
  if (!loaded) return undefined;
  const { exports, memory, stride } = loaded;
  const act = stride * n;
  const out = act + n * 4;
  const cells = new Int32Array(memory.buffer, out, n * n);
  return {
    words: stride / 8,
    run: (from, to) => exports.pairMatrix(0, n, stride, from, to, MATRIX_BLOCK_WORDS, out, act),
    count: (i, j) => cells[i * n + j],
  };
}

/**
 * The bitsets copied once into WebAssembly memory; `count(i, j)` is then
 * |sets[i] ∩ sets[j]|. The sets are all of one length. Undefined when WebAssembly is not available (or the
 * sets do not fit in its memory).
 */
export function wasmPairCounter(sets: readonly Bitset[]): ((i: number, j: number) => number) | undefined {
  const loaded = loadSets(sets, 0);
  if (!loaded) return undefined;
  const { exports, stride } = loaded;
  const words64 = stride / 8;
  return (i, j) => exports.andCount(i * stride, j * stride, words64);
}
