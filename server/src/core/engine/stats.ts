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

export interface NamedMembers {
  name: string;
  members: Bitset;
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
 * Every unordered pair (i < j). The rows are walked in blocks so that the
 * words of all segments for one block stay in cache while the pairs are
 * counted; all-zero words are skipped per segment.
 */
export function overlapMatrix(segments: NamedMembers[]): OverlapStat[] {
  const n = segments.length;
  const sizes = segments.map((s) => popcount(s.members));
  const counts = pairCounts(segments.map((s) => s.members));
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

const BLOCK_WORDS = 2048;

/** counts[i * n + j] = |a_i ∩ a_j| for i < j. */
export function pairCounts(sets: Bitset[]): number[] {
  const n = sets.length;
  const counts = new Float64Array(n * n);
  const words = sets[0]?.length ?? 0;
  for (let start = 0; start < words; start += BLOCK_WORDS) {
    const end = Math.min(words, start + BLOCK_WORDS);
    for (let i = 0; i < n; i++) {
      const a = sets[i];
      for (let j = i + 1; j < n; j++) {
        const b = sets[j];
        let c = 0;
        for (let w = start; w < end; w++) {
          let x = a[w] & b[w];
          if (x === 0) continue;
          x = x - ((x >>> 1) & 0x55555555);
          x = (x & 0x33333333) + ((x >>> 2) & 0x33333333);
          c += Math.imul((x + (x >>> 4)) & 0x0f0f0f0f, 0x01010101) >>> 24;
        }
        counts[i * n + j] += c;
      }
    }
  }
  return Array.from(counts);
}

export function coverage(rows: number, segments: Bitset[], exampleLimit = 5): CoverageStat {
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
