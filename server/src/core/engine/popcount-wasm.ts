/**
 * popcount(a AND b) in WebAssembly (i64.popcnt), several times faster than
 * the JavaScript SWAR count for the overlap matrix. The module is
 * popcount.wat compiled by wabt (regenerate with `node scripts/build-wasm.mjs`;
 * a unit test checks these bytes against the .wat). Without WebAssembly the
 * callers keep the JavaScript count.
 */
import type { Bitset } from './bitset.js';

const POPCOUNT_WASM =
  'AGFzbQEAAAABCAFgA39/fwF/AwIBAAUDAQABBxUCBm1lbW9yeQIACGFuZENvdW50AAAKsAEBrQECAn8BfiAAIAJBA3RqIQMgACACQXxxQQN0aiEEAkAgACAETw0AA0AgBSAAKQMAIAEpAwCDe3wgACkDCCABKQMIg3t8IAApAxAgASkDEIN7IAApAxggASkDGIN7fHwhBSAAQSBqIQAgAUEgaiEBIAAgBEkNAAsLAkAgACADTw0AA0AgBSAAKQMAIAEpAwCDe3whBSAAQQhqIQAgAUEIaiEBIAAgA0kNAAsLIAWnCw==';

const PAGE_BYTES = 65_536;

interface PopcountExports {
  memory: WebAssembly.Memory;
  andCount(a: number, b: number, words: number): number;
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

/**
 * The bitsets copied once into WebAssembly memory; `count(i, j)` is then
 * |sets[i] ∩ sets[j]|. The sets are all of one length. Undefined when WebAssembly is not available (or the
 * sets do not fit in its memory).
 */
export function wasmPairCounter(sets: readonly Bitset[]): ((i: number, j: number) => number) | undefined {
  const module = popcountModule();
  if (!module || sets.length === 0) return undefined;
  const words32 = sets[0].length;
  // Each set padded to whole 8-byte words.
  const stride = Math.ceil(words32 / 2) * 8;
  const total = stride * sets.length;
  if (total > 2 ** 31) return undefined;
  try {
    const exports = new WebAssembly.Instance(module).exports as unknown as PopcountExports;
    const missing = Math.ceil(total / PAGE_BYTES) - exports.memory.buffer.byteLength / PAGE_BYTES;
    if (missing > 0) exports.memory.grow(missing);
    const memory = new Uint32Array(exports.memory.buffer);
    sets.forEach((set, i) => memory.set(set, (i * stride) / 4));
    const words64 = stride / 8;
    return (i, j) => exports.andCount(i * stride, j * stride, words64);
  } catch {
    return undefined;
  }
}
