/**
 * Byte-level damage for data and Markdown files: random bytes, truncations,
 * and the encodings real exports arrive in (UTF-16 with a BOM, Latin-1,
 * invalid UTF-8, NULs, CRLF and bare CR line ends).
 */
import { Rng } from './random.js';

function utf16(text: string, bigEndian: boolean): Uint8Array {
  const out = new Uint8Array(2 + text.length * 2);
  out.set(bigEndian ? [0xfe, 0xff] : [0xff, 0xfe]);
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    out[2 + 2 * i] = bigEndian ? c >> 8 : c & 0xff;
    out[3 + 2 * i] = bigEndian ? c & 0xff : c >> 8;
  }
  return out;
}

/** Latin-1 bytes of a text with accented letters put in, as an old export would write them. */
function latin1(text: string, rng: Rng): Uint8Array {
  const accented = text.replace(/[aeou]/gu, (c) => (rng.chance(0.05) ? ({ a: 'à', e: 'é', o: 'ö', u: 'ü' } as Record<string, string>)[c] : c));
  return Uint8Array.from(accented, (ch) => ch.charCodeAt(0) & 0xff);
}

const decode = (bytes: Uint8Array): string => new TextDecoder('utf-8').decode(bytes);
const encode = (text: string): Uint8Array => new TextEncoder().encode(text);

function splice(bytes: Uint8Array, at: number, remove: number, insert: ArrayLike<number>): Uint8Array {
  const out = new Uint8Array(bytes.length - Math.min(remove, bytes.length - at) + insert.length);
  out.set(bytes.subarray(0, at));
  out.set(insert, at);
  out.set(bytes.subarray(Math.min(bytes.length, at + remove)), at + insert.length);
  return out;
}

const INVALID_UTF8 = [[0xff], [0xc3], [0xe2, 0x82], [0xed, 0xa0, 0x80], [0xf4, 0x90, 0x80, 0x80], [0xc0, 0xaf], [0x80, 0x80]];

type ByteOperation = (bytes: Uint8Array, rng: Rng) => Uint8Array;

const OPERATIONS: Record<string, ByteOperation> = {
  randomBytes: (b, rng) => {
    const n = 1 + rng.int(64);
    return splice(b, rng.int(b.length + 1), rng.int(8), Array.from({ length: n }, () => rng.int(256)));
  },
  flipBytes: (b, rng) => {
    const out = b.slice();
    for (let i = 0; i < 1 + rng.int(20) && out.length > 0; i++) out[rng.int(out.length)] ^= 1 << rng.int(8);
    return out;
  },
  truncate: (b, rng) => b.slice(0, rng.int(b.length + 1)),
  truncateMidCharacter: (b, rng) => {
    const at = rng.int(b.length + 1);
    return Uint8Array.from([...b.subarray(0, at), 0xe2, 0x82]);
  },
  empty: () => new Uint8Array(0),
  onlyGarbage: (_b, rng) => Uint8Array.from({ length: rng.int(2000) }, () => rng.int(256)),
  nul: (b, rng) => splice(b, rng.int(b.length + 1), 0, Array.from({ length: 1 + rng.int(4) }, () => 0)),
  invalidUtf8: (b, rng) => splice(b, rng.int(b.length + 1), 0, rng.pick(INVALID_UTF8)),
  utf16le: (b) => utf16(decode(b), false),
  utf16be: (b) => utf16(decode(b), true),
  latin1: (b, rng) => latin1(decode(b), rng),
  utf8Bom: (b) => Uint8Array.from([0xef, 0xbb, 0xbf, ...b]),
  crlf: (b) => encode(decode(b).replace(/\r?\n/gu, '\r\n')),
  bareCr: (b) => encode(decode(b).replace(/\r?\n/gu, '\r')),
  mixedLineEnds: (b, rng) => encode(decode(b).replace(/\r?\n/gu, () => rng.pick(['\n', '\r\n', '\r']))),
  duplicateRange: (b, rng) => {
    const at = rng.int(b.length + 1);
    return splice(b, at, 0, b.subarray(at, at + rng.int(4000)));
  },
  deleteRange: (b, rng) => splice(b, rng.int(b.length + 1), 1 + rng.int(500), []),
  quoteChaos: (b, rng) => splice(b, rng.int(b.length + 1), 0, encode(rng.pick(['"', '""', '"\n', ',"', '\\"', '{', '[', '}', ']', '\t', ',,,,']))),
  hugeCell: (b, rng) => splice(b, rng.int(b.length + 1), 0, encode('x'.repeat(rng.pick([1000, 100_000, 1_000_000])))),
};

export interface ByteMutation {
  bytes: Uint8Array;
  operations: string[];
}

const NAMES = Object.keys(OPERATIONS);

/** One to three operations applied to `bytes`. */
export function mutateBytes(bytes: Uint8Array, rng: Rng): ByteMutation {
  const operations: string[] = [];
  let out = bytes;
  const n = 1 + rng.int(3);
  for (let i = 0; i < n; i++) {
    const name = rng.pick(NAMES);
    operations.push(name);
    out = OPERATIONS[name](out, rng);
  }
  return { bytes: out, operations };
}
