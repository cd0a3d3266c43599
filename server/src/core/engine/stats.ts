/**
 * Sizes, overlaps, coverage and partition checks from member bitsets.
 */
import {
  andBits,
  andCount,
  firstRows,
  fullBits,
  orBits,
  andNotBits,
  popcount,
  emptyBits,
  type Bitset,
} from './bitset.js';
import { wasmPairCounter, wasmPairMatrix } from './popcount-wasm.js';

export interface NamedMembers {
  name: string;
  members: Bitset;
  /** popcount(members), when already known. */
  size?: number;
}

export interface OverlapStat {
  a: string;
  b: string;
  /** Rows in both. */
  count: number;
  /** count / size of a (0 when a is empty). */
  shareOfA: number;
  shareOfB: number;
}

export interface CoverageStat {
  rows: number;
  /** Rows in at least one segment. */
  covered: number;
  /** Rows in no segment. */
  uncovered: number;
  uncoveredShare: number;
  exampleRows: number[];
}

export interface PartitionStat {
  overlaps: Array<{ a: string; b: string; count: number; exampleRows: number[] }>;
  uncovered: { count: number; exampleRows: number[] };
}

export function share(count: number, of: number): number {
  return of === 0 ? 0 : count / of;
}

/**
 * Every unordered pair (i < j), counted as popcount(a AND b). A segment whose
 * non-zero words are few (a small segment) is walked through the list of
 * those words only, so pairs with a small side cost little.
 */
export function overlapMatrix(segments: NamedMembers[], cache?: PairCache): OverlapStat[] {
  const n = segments.length;
  const sizes = segments.map((s) => s.size ?? popcount(s.members));
  const counts = pairCounts(segments.map((s) => s.members), cache);
  const out: OverlapStat[] = [];
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      const count = counts[i * n + j];
      out.push({
        a: segments[i].name,
        b: segments[j].name,
        count,
        shareOfA: share(count, sizes[i]),
        shareOfB: share(count, sizes[j]),
      });
    }
  }
  return out;
}

function nonZeroWords(bits: Bitset): Int32Array {
  let n = 0;
  for (let w = 0; w < bits.length; w++) if (bits[w] !== 0) n++;
  const idx = new Int32Array(n);
  n = 0;
  for (let w = 0; w < bits.length; w++) if (bits[w] !== 0) idx[n++] = w;
  return idx;
}

/** popcount(a AND b), two words per step: their byte counts are added before the final multiply. */
function countDense(a: Bitset, b: Bitset): number {
  let c = 0;
  const even = a.length & ~1;
  let w = 0;
  for (; w < even; w += 2) {
    let x = a[w] & b[w];
    let y = a[w + 1] & b[w + 1];
    if ((x | y) === 0) continue;
    x = x - ((x >>> 1) & 0x55555555);
    y = y - ((y >>> 1) & 0x55555555);
    x = (x & 0x33333333) + ((x >>> 2) & 0x33333333);
    y = (y & 0x33333333) + ((y >>> 2) & 0x33333333);
    c += Math.imul(((x + (x >>> 4)) & 0x0f0f0f0f) + ((y + (y >>> 4)) & 0x0f0f0f0f), 0x01010101) >>> 24;
  }
  for (; w < a.length; w++) {
    let x = a[w] & b[w];
    x = x - ((x >>> 1) & 0x55555555);
    x = (x & 0x33333333) + ((x >>> 2) & 0x33333333);
    c += Math.imul((x + (x >>> 4)) & 0x0f0f0f0f, 0x01010101) >>> 24;
  }
  return c;
}

function countSparse(idx: Int32Array, a: Bitset, b: Bitset): number {
  let c = 0;
  for (let k = 0; k < idx.length; k++) {
    const w = idx[k];
    let x = a[w] & b[w];
    if (x === 0) continue;
    x = x - ((x >>> 1) & 0x55555555);
    x = (x & 0x33333333) + ((x >>> 2) & 0x33333333);
    c += Math.imul((x + (x >>> 4)) & 0x0f0f0f0f, 0x01010101) >>> 24;
  }
  return c;
}

/** Pair counts kept between runs, keyed by the two bitsets (unchanged segments keep their bitset). */
export interface PairCache {
  get(a: Bitset, b: Bitset): number | undefined;
  set(a: Bitset, b: Bitset, count: number): void;
}

/** counts[i * n + j] = |a_i ∩ a_j| for i < j (other cells 0). */
export function pairCounts(sets: Bitset[], cache?: PairCache): number[] {
  const counts = new Array<number>(sets.length * sets.length).fill(0);
  const rows = pairCountRows(sets, cache, counts);
  while (!rows.next().done);
  return counts;
}

/** Words (8 bytes) of the whole matrix counted per step: at 1M rows, about sixteen steps. */
const MATRIX_STEP_WORDS = 1024;

/**
 * Counts the pairs not in the cache, into `counts` when given and into the
 * cache, yielding between pieces of work so that a caller can fill the cache
 * in steps and then read the whole matrix from it. When most pairs are new
 * (the first matrix), the whole matrix is counted at once in WebAssembly,
 * block by block; otherwise (after an edit: the pairs of a changed segment)
 * pair by pair, one row per step.
 */
export function* pairCountRows(sets: Bitset[], cache?: PairCache, counts?: number[]): Generator<void, void> {
  const n = sets.length;
  let missing = 0;
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      const known = cache?.get(sets[i], sets[j]);
      if (known === undefined) missing++;
      else if (counts) counts[i * n + j] = known;
    }
  }
  if (missing === 0) return;
  const matrix = missing > 2 * n && sameLength(sets) ? wasmPairMatrix(sets) : undefined;
  if (matrix) {
    for (let from = 0; from < matrix.words; from += MATRIX_STEP_WORDS) {
      matrix.run(from, Math.min(matrix.words, from + MATRIX_STEP_WORDS));
      yield;
    }
    for (let i = 0; i < n; i++) {
      for (let j = i + 1; j < n; j++) {
        // Kept before, or by a twin earlier in this pass (two segments with one rule share one member set).
        const known = cache?.get(sets[i], sets[j]);
        const c = known ?? matrix.count(i, j);
        if (counts) counts[i * n + j] = c;
        if (known === undefined) cache?.set(sets[i], sets[j], c);
      }
    }
    return;
  }
  yield* pairByPair(sets, cache, counts);
}

/** The pairs not in the cache one by one, a row (i, then every j > i) per step. */
function* pairByPair(sets: Bitset[], cache?: PairCache, counts?: number[]): Generator<void, void> {
  const n = sets.length;
  const words = sets[0]?.length ?? 0;
  // Copied into WebAssembly memory at the first pair that is not cached.
  let wasm: ((i: number, j: number) => number) | undefined | null = null;
  const sparse: Array<Int32Array | undefined> = new Array(n);
  const indexOf = (i: number): Int32Array => (sparse[i] ??= nonZeroWords(sets[i]));
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      const known = cache?.get(sets[i], sets[j]);
      if (known !== undefined) {
        if (counts) counts[i * n + j] = known;
        continue;
      }
      const si = indexOf(i);
      const sj = indexOf(j);
      const small = si.length <= sj.length ? si : sj;
      // The index walk pays an extra load per word: only worth it below ~3/4 of the words.
      let c: number;
      if (small.length * 4 < words * 3) {
        c = countSparse(small, sets[i], sets[j]);
      } else {
        if (wasm === null) wasm = sameLength(sets) ? wasmPairCounter(sets) : undefined;
        c = wasm ? wasm(i, j) : countDense(sets[i], sets[j]);
      }
      if (counts) counts[i * n + j] = c;
      cache?.set(sets[i], sets[j], c);
    }
    yield;
  }
}

function sameLength(sets: readonly Bitset[]): boolean {
  return sets.every((s) => s.length === sets[0].length);
}

/** Example rows shown for the rows in no segment of a dataset. */
export const COVERAGE_EXAMPLES = 5;

export function coverage(rows: number, segments: Bitset[], exampleLimit = COVERAGE_EXAMPLES): CoverageStat {
  let union = emptyBits(rows);
  for (const s of segments) union = orBits(union, s);
  const covered = popcount(union);
  const outside = andNotBits(fullBits(rows), union);
  return {
    rows,
    covered,
    uncovered: rows - covered,
    uncoveredShare: share(rows - covered, rows),
    exampleRows: firstRows(outside, exampleLimit),
  };
}

/** Overlapping pairs (for `exclusive`) and rows in none (for `exhaustive`). */
export function checkPartition(rows: number, members: NamedMembers[], exampleLimit = 3): PartitionStat {
  const overlaps: PartitionStat['overlaps'] = [];
  for (let i = 0; i < members.length; i++) {
    for (let j = i + 1; j < members.length; j++) {
      const count = andCount(members[i].members, members[j].members);
      if (count === 0) continue;
      overlaps.push({
        a: members[i].name,
        b: members[j].name,
        count,
        exampleRows: firstRows(andBits(members[i].members, members[j].members), exampleLimit),
      });
    }
  }
  const cov = coverage(rows, members.map((m) => m.members), exampleLimit);
  return { overlaps, uncovered: { count: cov.uncovered, exampleRows: cov.exampleRows } };
}
