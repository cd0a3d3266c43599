/**
 * A diverse rule set (a plain top-K is ten variants of one rule): rounds of
 * the search with weighted covering — target rows already covered by chosen
 * rules weigh 1/2, then 1/4 — where a rule is admitted only when it overlaps
 * every chosen rule and every existing segment by at most `overlapCap`
 * (Jaccard) and lies inside no chosen rule for more than `containmentCap` of
 * its rows. A clause that improves the round's score by less than 2% is
 * dropped. Rounds go on until K rules or no admissible rule is left: later
 * rules score lower on the re-weighted rows, but each is still a rule a user
 * can keep, since a rule whose own target rate is not above the overall
 * rate (lift ≤ 1, quality ≤ 0) is never admitted.
 */
import { andCount, popcount, type Bitset } from '../engine/bitset.js';
import { searchSubgroups, standardQuality, type SearchCandidate, type WeightedTarget } from './search.js';

export interface DiverseOptions {
  k: number;
  depth: number;
  minSize: number;
  a: number;
  overlapCap: number;
  containmentCap: number;
  /** Member bits (same rows as the candidates) of segments the rules must not repeat. */
  existing: readonly Bitset[];
}

/** Weights of target rows covered 0, 1 and 2+ times. */
const COVER_WEIGHTS = [1, 0.1, 0.02];
/** A clause must improve the score by this factor to stay. */
const MIN_GAIN = 1.02;
/** Admitted subgroups per round among which the simplified best is chosen. */
const POOL = 5;

export function selectDiverse(rows: number, candidates: readonly SearchCandidate[], target: Bitset, options: DiverseOptions): number[][] {
  const covered = new Uint8Array(rows);
  const chosen: Array<{ bits: Bitset; size: number }> = [];
  const existing = options.existing.map((bits) => ({ bits, size: popcount(bits) }));
  const result: number[][] = [];
  const targetSize = popcount(target);
  const admissible = (bits: Bitset, size: number): boolean => {
    // Not junk: the rule's own target rate beats the overall rate (lift > 1), not only on the rows left uncovered.
    if (!(andCount(bits, target) * rows > targetSize * size)) return false;
    for (const e of existing) if (jaccard(bits, size, e.bits, e.size) > options.overlapCap) return false;
    for (const c of chosen) {
      const both = andCount(bits, c.bits);
      if (both / (size + c.size - both) > options.overlapCap) return false;
      if (both / Math.min(size, c.size) > options.containmentCap) return false;
    }
    return true;
  };
  for (let round = 0; round < options.k; round++) {
    const weighted = weightedTarget(target, covered, rows);
    const pool = searchSubgroups(rows, candidates, weighted, { depth: options.depth, minSize: options.minSize, k: POOL, a: options.a, admit: admissible, floor: 0 });
    let pick: { clauses: number[]; bits: Bitset; size: number; quality: number } | undefined;
    for (const s of pool) {
      if (!(s.quality > 0)) continue;
      const simpler = simplify(s.clauses, candidates, weighted, rows, options);
      const best = simpler.size >= options.minSize && admissible(simpler.bits, simpler.size) ? simpler : { ...membersOf(s.clauses, candidates, rows), clauses: s.clauses, quality: s.quality };
      if (!pick || best.quality > pick.quality) pick = best;
    }
    if (!pick) break;
    result.push(pick.clauses);
    chosen.push({ bits: pick.bits, size: pick.size });
    for (let w = 0; w < pick.bits.length; w++) {
      let word = pick.bits[w] & target[w];
      while (word !== 0) {
        const low = word & -word;
        const r = (w << 5) + (31 - Math.clz32(low));
        if (covered[r] < 255) covered[r]++;
        word ^= low;
      }
    }
  }
  return result;
}

function jaccard(a: Bitset, sizeA: number, b: Bitset, sizeB: number): number {
  const both = andCount(a, b);
  const union = sizeA + sizeB - both;
  return union === 0 ? 0 : both / union;
}

function weightedTarget(target: Bitset, covered: Uint8Array, rows: number): WeightedTarget {
  const levels = COVER_WEIGHTS.map((weight) => ({ bits: new Uint32Array(target.length), weight }));
  for (let w = 0; w < target.length; w++) {
    let word = target[w];
    while (word !== 0) {
      const low = word & -word;
      const r = (w << 5) + (31 - Math.clz32(low));
      if (r < rows) levels[Math.min(covered[r], COVER_WEIGHTS.length - 1)].bits[w] |= low;
      word ^= low;
    }
  }
  return { levels: levels.filter((l) => popcount(l.bits) > 0) };
}

function membersOf(clauses: readonly number[], candidates: readonly SearchCandidate[], rows: number): { bits: Bitset; size: number } {
  const bits = new Uint32Array((rows + 31) >>> 5);
  bits.set(candidates[clauses[0]].bits);
  for (const c of clauses.slice(1)) {
    const other = candidates[c].bits;
    for (let i = 0; i < bits.length; i++) bits[i] &= other[i];
  }
  return { bits, size: popcount(bits) };
}

export function weightedQuality(bits: Bitset, size: number, target: WeightedTarget, rows: number, a: number): number {
  let tp = 0;
  let wtp = 0;
  let total = 0;
  let weighted = 0;
  for (const l of target.levels) {
    const n = andCount(bits, l.bits);
    const all = popcount(l.bits);
    tp += n;
    wtp += n * l.weight;
    total += all;
    weighted += all * l.weight;
  }
  return standardQuality(size, tp, wtp, rows, total, weighted, a);
}

/** Drops, one at a time, the clause whose removal costs least while the rest scores within 2% of it. */
function simplify(clauses: readonly number[], candidates: readonly SearchCandidate[], target: WeightedTarget, rows: number, options: DiverseOptions) {
  let current = [...clauses];
  let { bits, size } = membersOf(current, candidates, rows);
  let quality = weightedQuality(bits, size, target, rows, options.a);
  while (current.length > 1) {
    let bestDrop: { clauses: number[]; bits: Bitset; size: number; quality: number } | undefined;
    for (let i = 0; i < current.length; i++) {
      const rest = current.filter((_, j) => j !== i);
      const m = membersOf(rest, candidates, rows);
      const q = weightedQuality(m.bits, m.size, target, rows, options.a);
      if (q > 0 && quality < q * MIN_GAIN && (!bestDrop || q > bestDrop.quality)) bestDrop = { clauses: rest, ...m, quality: q };
    }
    if (!bestDrop) break;
    ({ clauses: current, bits, size, quality } = bestDrop);
  }
  return { clauses: current, bits, size, quality };
}
