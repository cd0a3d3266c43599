/**
 * The bucketing hashes of the five flag systems, as their Node SDKs compute
 * them (SPEC §12). Each function follows its SDK byte for byte, including how
 * the SDK turns a JavaScript string into bytes: GrowthBook (FNV-1a) and flagd
 * (imurmurhash) hash UTF-16 code units, Unleash (murmurhash3js) hashes the low
 * byte of each UTF-16 code unit, LaunchDarkly and PostHog hash UTF-8 bytes.
 */

/** 32-bit FNV-1a over UTF-16 code units, as GrowthBook's `hashFnv32a`. */
export function fnv1a32(text: string): number {
  let hval = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hval ^= text.charCodeAt(i);
    hval += (hval << 1) + (hval << 4) + (hval << 7) + (hval << 8) + (hval << 24);
  }
  return hval >>> 0;
}

/** GrowthBook's `hash(seed, value, version)`: a number in [0, 1), or undefined for an unknown hash version. */
export function growthbookHash(seed: string, value: string, version: number): number | undefined {
  if (version === 2) return (fnv1a32(String(fnv1a32(seed + value))) % 10000) / 10000;
  if (version === 1) return (fnv1a32(value + seed) % 1000) / 1000;
  return undefined;
}

const C1 = 0xcc9e2d51;
const C2 = 0x1b873593;

function mixK1(k1: number): number {
  k1 = Math.imul(k1, C1);
  k1 = (k1 << 15) | (k1 >>> 17);
  return Math.imul(k1, C2);
}

function fmix32(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/**
 * MurmurHash3 x86 32-bit as `murmurhash3js` (Unleash's Node SDK) computes it:
 * one byte per UTF-16 code unit, its low 8 bits. Equal to the reference
 * MurmurHash3 over the bytes for ASCII text.
 */
export function murmur3Unleash(text: string, seed = 0): number {
  const remainder = text.length % 4;
  const blocks = text.length - remainder;
  const byte = (i: number): number => text.charCodeAt(i) & 0xff;
  let h1 = seed | 0;
  let i = 0;
  for (; i < blocks; i += 4) {
    h1 ^= mixK1(byte(i) | (byte(i + 1) << 8) | (byte(i + 2) << 16) | (byte(i + 3) << 24));
    h1 = (h1 << 13) | (h1 >>> 19);
    h1 = (Math.imul(h1, 5) + 0xe6546b64) | 0;
  }
  let k1 = 0;
  if (remainder >= 3) k1 ^= byte(i + 2) << 16;
  if (remainder >= 2) k1 ^= byte(i + 1) << 8;
  if (remainder >= 1) {
    k1 ^= byte(i);
    h1 ^= mixK1(k1);
  }
  h1 ^= text.length;
  return fmix32(h1);
}

/**
 * MurmurHash3 x86 32-bit (seed 0) as `imurmurhash` (flagd's JavaScript core)
 * computes it: each UTF-16 code unit is XORed in at its byte position with
 * all 16 bits, so non-ASCII text hashes differently from every other flagd
 * SDK. Equal to the reference MurmurHash3 for ASCII text.
 */
export function murmur3Flagd(text: string): number {
  const unit = (i: number): number => text.charCodeAt(i) & 0xffff;
  const total = text.length;
  let h1 = 0;
  let k1 = 0;
  let i = 0;
  // The first block (or the whole text when shorter than four units).
  if (total > i) k1 ^= unit(i++);
  if (total > i) k1 ^= unit(i++) << 8;
  if (total > i) k1 ^= unit(i++) << 16;
  if (total > i) {
    k1 ^= (text.charCodeAt(i) & 0xff) << 24;
    k1 ^= (text.charCodeAt(i++) & 0xff00) >> 8;
  }
  const rem = total & 3;
  const blocksEnd = total - rem;
  if (blocksEnd > 0) {
    for (;;) {
      h1 ^= mixK1(k1);
      h1 = (h1 << 13) | (h1 >>> 19);
      h1 = (Math.imul(h1, 5) + 0xe6546b64) | 0;
      if (i >= blocksEnd) break;
      k1 = unit(i++) ^ (unit(i++) << 8) ^ (unit(i++) << 16);
      const top = text.charCodeAt(i++);
      k1 ^= ((top & 0xff) << 24) ^ ((top & 0xff00) >> 8);
    }
    k1 = 0;
    if (rem >= 3) k1 ^= unit(i + 2) << 16;
    if (rem >= 2) k1 ^= unit(i + 1) << 8;
    if (rem >= 1) k1 ^= unit(i);
  }
  // imurmurhash mixes the tail only when it is positive as a signed 32-bit number.
  if ((k1 | 0) > 0) h1 ^= mixK1(k1);
  h1 ^= total;
  return fmix32(h1);
}

function utf8Bytes(text: string): Uint8Array {
  return new TextEncoder().encode(text);
}

/** SHA-1 of the UTF-8 bytes of `text`, as 40 lowercase hex digits. */
export function sha1Hex(text: string): string {
  const bytes = utf8Bytes(text);
  const bitLength = bytes.length * 8;
  const padded = new Uint8Array((((bytes.length + 8) >> 6) + 1) << 6);
  padded.set(bytes);
  padded[bytes.length] = 0x80;
  const view = new DataView(padded.buffer);
  view.setUint32(padded.length - 8, Math.floor(bitLength / 0x100000000));
  view.setUint32(padded.length - 4, bitLength >>> 0);
  let h0 = 0x67452301;
  let h1 = 0xefcdab89;
  let h2 = 0x98badcfe;
  let h3 = 0x10325476;
  let h4 = 0xc3d2e1f0;
  const w = new Int32Array(80);
  for (let offset = 0; offset < padded.length; offset += 64) {
    for (let t = 0; t < 16; t++) w[t] = view.getInt32(offset + t * 4);
    for (let t = 16; t < 80; t++) {
      const x = w[t - 3]! ^ w[t - 8]! ^ w[t - 14]! ^ w[t - 16]!;
      w[t] = (x << 1) | (x >>> 31);
    }
    let a = h0;
    let b = h1;
    let c = h2;
    let d = h3;
    let e = h4;
    for (let t = 0; t < 80; t++) {
      const [f, k] =
        t < 20 ? [(b & c) | (~b & d), 0x5a827999] : t < 40 ? [b ^ c ^ d, 0x6ed9eba1] : t < 60 ? [(b & c) | (b & d) | (c & d), 0x8f1bbcdc] : [b ^ c ^ d, 0xca62c1d6];
      const temp = (((a << 5) | (a >>> 27)) + f + e + k + w[t]!) | 0;
      e = d;
      d = c;
      c = (b << 30) | (b >>> 2);
      b = a;
      a = temp;
    }
    h0 = (h0 + a) | 0;
    h1 = (h1 + b) | 0;
    h2 = (h2 + c) | 0;
    h3 = (h3 + d) | 0;
    h4 = (h4 + e) | 0;
  }
  return [h0, h1, h2, h3, h4].map((h) => (h >>> 0).toString(16).padStart(8, '0')).join('');
}

const LONG_SCALE = 0xfffffffffffffff;

/** The first 15 hex digits of SHA-1(`text`) scaled to [0, 1], as LaunchDarkly and PostHog bucket. */
export function sha1Scale15(text: string): number {
  return parseInt(sha1Hex(text).slice(0, 15), 16) / LONG_SCALE;
}

/** Whether `text` holds a character outside ASCII, where the systems' SDKs disagree on the bytes they hash. */
export function hasNonAscii(text: string): boolean {
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) > 0x7f) return true;
  return false;
}
