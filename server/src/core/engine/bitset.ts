/**
 * Fixed-size bitsets over table rows: bit `i` of word `i >>> 5` is row `i`.
 * Bits past the row count are always zero, so popcounts need no masking.
 */
export type Bitset = Uint32Array;

/** A three-valued result per row: TRUE rows and UNKNOWN rows; FALSE is neither. */
export interface TriBits {
  t: Bitset;
  u: Bitset;
}

export function wordCount(rows: number): number {
  return (rows + 31) >>> 5;
}

export function emptyBits(rows: number): Bitset {
  return new Uint32Array(wordCount(rows));
}

/** All rows set (tail bits of the last word left clear). */
export function fullBits(rows: number): Bitset {
  const bits = new Uint32Array(wordCount(rows));
  bits.fill(0xffffffff);
  clearTail(bits, rows);
  return bits;
}

export function clearTail(bits: Bitset, rows: number): void {
  const rest = rows & 31;
  if (rest !== 0 && bits.length > 0) bits[bits.length - 1] &= (1 << rest) - 1;
}

export function hasBit(bits: Bitset, row: number): boolean {
  return (bits[row >>> 5] & (1 << (row & 31))) !== 0;
}

export function setBit(bits: Bitset, row: number): void {
  bits[row >>> 5] |= 1 << (row & 31);
}

export function popcountWord(w: number): number {
  w = w - ((w >>> 1) & 0x55555555);
  w = (w & 0x33333333) + ((w >>> 2) & 0x33333333);
  return (Math.imul((w + (w >>> 4)) & 0x0f0f0f0f, 0x01010101) >>> 24) >>> 0;
}

export function popcount(bits: Bitset): number {
  let n = 0;
  for (let i = 0; i < bits.length; i++) {
    let w = bits[i];
    if (w === 0) continue;
    w = w - ((w >>> 1) & 0x55555555);
    w = (w & 0x33333333) + ((w >>> 2) & 0x33333333);
    n += Math.imul((w + (w >>> 4)) & 0x0f0f0f0f, 0x01010101) >>> 24;
  }
  return n;
}

/** popcount(a AND b) without materialising the intersection. */
export function andCount(a: Bitset, b: Bitset): number {
  let n = 0;
  const len = Math.min(a.length, b.length);
  for (let i = 0; i < len; i++) {
    let w = a[i] & b[i];
    if (w === 0) continue;
    w = w - ((w >>> 1) & 0x55555555);
    w = (w & 0x33333333) + ((w >>> 2) & 0x33333333);
    n += Math.imul((w + (w >>> 4)) & 0x0f0f0f0f, 0x01010101) >>> 24;
  }
  return n;
}

/** popcount(a AND NOT b). */
export function andNotCount(a: Bitset, b: Bitset): number {
  let n = 0;
  for (let i = 0; i < a.length; i++) {
    let w = a[i] & ~b[i];
    if (w === 0) continue;
    w = w - ((w >>> 1) & 0x55555555);
    w = (w & 0x33333333) + ((w >>> 2) & 0x33333333);
    n += Math.imul((w + (w >>> 4)) & 0x0f0f0f0f, 0x01010101) >>> 24;
  }
  return n;
}

export function andBits(a: Bitset, b: Bitset): Bitset {
  const out = new Uint32Array(a.length);
  for (let i = 0; i < a.length; i++) out[i] = a[i] & b[i];
  return out;
}

export function orBits(a: Bitset, b: Bitset): Bitset {
  const out = new Uint32Array(a.length);
  for (let i = 0; i < a.length; i++) out[i] = a[i] | b[i];
  return out;
}

export function andNotBits(a: Bitset, b: Bitset): Bitset {
  const out = new Uint32Array(a.length);
  for (let i = 0; i < a.length; i++) out[i] = a[i] & ~b[i];
  return out;
}

/** Up to `limit` row indices whose bit is set, in row order. */
/**
 * Up to `limit` member rows spread evenly over the table, in row order: the
 * members ranked 0, size/limit, 2·size/limit, … — deterministic, and a sample
 * that shows the whole file rather than its first rows.
 */
export function spreadRows(bits: Bitset, limit: number): number[] {
  const size = popcount(bits);
  if (size <= limit) return firstRows(bits, limit);
  const rows: number[] = [];
  let rank = 0;
  for (let i = 0; i < bits.length && rows.length < limit; i++) {
    const w = bits[i];
    if (w === 0) continue;
    const inWord = popcountWord(w);
    const target = Math.floor((rows.length * size) / limit);
    if (rank + inWord <= target) {
      rank += inWord;
      continue;
    }
    let rest = w;
    while (rest !== 0 && rows.length < limit) {
      const low = rest & -rest;
      if (rank === Math.floor((rows.length * size) / limit)) rows.push((i << 5) + (31 - Math.clz32(low)));
      rank++;
      rest ^= low;
    }
  }
  return rows;
}

export function firstRows(bits: Bitset, limit: number): number[] {
  const rows: number[] = [];
  for (let i = 0; i < bits.length && rows.length < limit; i++) {
    let w = bits[i];
    while (w !== 0 && rows.length < limit) {
      const low = w & -w;
      rows.push((i << 5) + (31 - Math.clz32(low)));
      w ^= low;
    }
  }
  return rows;
}

export function bitsEqual(a: Bitset, b: Bitset): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

// ------------------------------------------------------------ three-valued logic

export function triConst(rows: number, value: boolean | null): TriBits {
  if (value === true) return { t: fullBits(rows), u: emptyBits(rows) };
  if (value === null) return { t: emptyBits(rows), u: fullBits(rows) };
  return { t: emptyBits(rows), u: emptyBits(rows) };
}

/** NOT: true ↔ false, unknown stays unknown. */
export function triNot(a: TriBits, rows: number): TriBits {
  const t = new Uint32Array(a.t.length);
  for (let i = 0; i < t.length; i++) t[i] = ~(a.t[i] | a.u[i]);
  clearTail(t, rows);
  return { t, u: a.u };
}

/** SQL AND: false wins, then unknown. */
export function triAnd(a: TriBits, b: TriBits): TriBits {
  const n = a.t.length;
  const t = new Uint32Array(n);
  const u = new Uint32Array(n);
  for (let i = 0; i < n; i++) {
    const at = a.t[i];
    const bt = b.t[i];
    const tt = at & bt;
    t[i] = tt;
    u[i] = (at | a.u[i]) & (bt | b.u[i]) & ~tt;
  }
  return { t, u };
}

/** SQL OR: true wins, then unknown. */
export function triOr(a: TriBits, b: TriBits): TriBits {
  const n = a.t.length;
  const t = new Uint32Array(n);
  const u = new Uint32Array(n);
  for (let i = 0; i < n; i++) {
    const tt = a.t[i] | b.t[i];
    t[i] = tt;
    u[i] = (a.u[i] | b.u[i]) & ~tt;
  }
  return { t, u };
}

/** Two-valued bits (e.g. segment membership) as a three-valued result. */
export function triFromBits(bits: Bitset): TriBits {
  return { t: bits, u: new Uint32Array(bits.length) };
}
