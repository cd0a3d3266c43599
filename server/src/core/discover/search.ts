/**
 * Exhaustive depth-first subgroup search over clause bitsets with
 * optimistic-estimate pruning (the SD-Map / pysubgroup DFS family).
 *
 * Quality is the standard family (n/N)^a × (p − p0): a = 1 is weighted
 * relative accuracy (WRAcc), a = 0.5 a purer variant. Target rows may carry
 * weights (weighted covering: rows already covered by chosen rules count
 * less); every other row weighs 1. The optimistic estimate of a subgroup is
 * the quality of the subgroup of its target rows alone,
 * (tp'/N')^a × (1 − p0'), an upper bound for every refinement.
 */
import { popcount, type Bitset } from '../engine/bitset.js';
import type { Slot } from './clauses.js';

export interface SearchCandidate {
  bits: Bitset;
  /** Candidates of one group (a field) combine only as one `any`, or one `lower` and one `upper`. */
  group: number;
  slot: Slot;
}

/** Target rows by weight: disjoint bitsets, one per weight level. */
export interface WeightedTarget {
  levels: Array<{ bits: Bitset; weight: number }>;
}

export interface SearchOptions {
  /** At most this many groups (fields) per subgroup. */
  depth: number;
  /** Subgroups with fewer rows are neither reported nor refined. */
  minSize: number;
  /** How many subgroups to keep. */
  k: number;
  /** The exponent a of (n/N)^a × (p − p0). */
  a: number;
  /** Only subgroups of a higher quality are reported or refined (default: no floor). */
  floor?: number;
  /** Only subgroups this accepts are reported (they are refined either way). */
  admit?: (bits: Bitset, size: number) => boolean;
}

export interface Subgroup {
  /** Indices into the candidates, in the order given. */
  clauses: number[];
  size: number;
  /** Target rows in the subgroup (unweighted). */
  targetCount: number;
  quality: number;
}

/** The standard quality (n/N)^a × (tp/n − p0) with weighted target counts. */
export function standardQuality(size: number, targetCount: number, weightedTarget: number, rows: number, totalTarget: number, totalWeightedTarget: number, a: number): number {
  const n = weightedTarget + (size - targetCount);
  const total = totalWeightedTarget + (rows - totalTarget);
  if (n <= 0 || total <= 0) return 0;
  return (n / total) ** a * (weightedTarget / n - totalWeightedTarget / total);
}

export function searchSubgroups(rows: number, candidates: readonly SearchCandidate[], target: WeightedTarget, options: SearchOptions): Subgroup[] {
  return new Search(rows, candidates, target, options).run();
}

class Search {
  private readonly order: number[];
  private readonly words: number;
  private readonly weights: Float64Array;
  private readonly totalTarget: number;
  private readonly totalWeighted: number;
  private readonly best: Subgroup[] = [];
  /**
   * Target rows of all weight levels, renumbered 0, 1, 2, … level after level
   * (each level starting on a word boundary): the optimistic estimate needs
   * only these, so each extension is first counted on this much shorter
   * bitset, and on all rows only when it may beat the bar.
   */
  private readonly levelWords: Int32Array;
  private readonly targetWords: number;
  private readonly compact: Uint32Array[];
  /** Per depth: the bitsets (all rows, target rows) of the extensions being evaluated (reused). */
  private readonly kidBuffers: Uint32Array[][] = [];
  private readonly kidTargetBuffers: Uint32Array[][] = [];
  private readonly kidLists: Array<Array<{ j: number; bits: Bitset; targetBits: Uint32Array; optimistic: number; fields: number; open: number }>> = [];
  private readonly slotsUsed: Uint8Array;
  private readonly chosen: number[] = [];
  private readonly tpLevels: Float64Array;
  private readonly baseCounts: Array<{ size: number; tp: Float64Array }>;

  constructor(
    private readonly rows: number,
    private readonly candidates: readonly SearchCandidate[],
    target: WeightedTarget,
    private readonly options: SearchOptions,
  ) {
    this.order = candidates.map((_, i) => i).sort((x, y) => candidates[x].group - candidates[y].group || x - y);
    this.words = (rows + 31) >>> 5;
    this.weights = Float64Array.from(target.levels.map((l) => l.weight));
    const levelRows = target.levels.map((l) => rowsOf(l.bits, rows));
    this.levelWords = Int32Array.from(levelRows.map((r) => (r.length + 31) >>> 5));
    this.targetWords = this.levelWords.reduce((a, b) => a + b, 0);
    let total = 0;
    let weighted = 0;
    levelRows.forEach((r, l) => {
      total += r.length;
      weighted += r.length * this.weights[l];
    });
    this.totalTarget = total;
    this.totalWeighted = weighted;
    this.compact = candidates.map((c) => compactBits(c.bits, levelRows, this.levelWords, this.targetWords));
    const groups = candidates.reduce((m, c) => Math.max(m, c.group + 1), 0);
    this.slotsUsed = new Uint8Array(groups);
    this.tpLevels = new Float64Array(levelRows.length);
    this.baseCounts = candidates.map((c, i) => ({ size: popcount(c.bits), tp: levelCounts(this.compact[i], undefined, undefined, this.levelWords) }));
  }

  run(): Subgroup[] {
    if (this.options.k <= 0 || this.options.depth <= 0) return [];
    this.visit(0, undefined, undefined, 0, 0, 0);
    return this.best;
  }

  private threshold(): number {
    const floor = this.options.floor ?? -Infinity;
    return this.best.length < this.options.k ? floor : Math.max(floor, this.best[this.best.length - 1].quality);
  }

  /**
   * Evaluates every extension of the node by one candidate after `start`
   * (reporting those good enough), then refines the promising ones, the
   * most promising first so that the bar rises early and prunes more.
   */
  private visit(start: number, node: Bitset | undefined, nodeTarget: Uint32Array | undefined, conditions: number, fields: number, openBounds: number): void {
    const { depth, minSize, a } = this.options;
    const L = this.weights.length;
    const total = this.totalWeighted + (this.rows - this.totalTarget);
    const kids = this.kidLists[conditions] ?? (this.kidLists[conditions] = []);
    let kidCount = 0;
    for (let j = start; j < this.order.length; j++) {
      const index = this.order[j];
      const cand = this.candidates[index];
      const used = this.slotsUsed[cand.group];
      // One condition per field, except a lower and an upper bound (`between`).
      if (used !== 0 && !((used === SLOT_LOWER && cand.slot === 'upper') || (used === SLOT_UPPER && cand.slot === 'lower'))) continue;
      const nextFields = used === 0 ? fields + 1 : fields;
      if (nextFields > depth) continue;
      let targetBits: Uint32Array;
      if (nodeTarget === undefined) {
        targetBits = this.compact[index];
        this.tpLevels.set(this.baseCounts[index].tp);
      } else {
        targetBits = this.kidBuffer(this.kidTargetBuffers, conditions, kidCount, this.targetWords);
        levelCounts(nodeTarget, this.compact[index], targetBits, this.levelWords, this.tpLevels);
      }
      let tp = 0;
      let wtp = 0;
      for (let l = 0; l < L; l++) {
        tp += this.tpLevels[l];
        wtp += this.tpLevels[l] * this.weights[l];
      }
      // Neither this extension nor any refinement of it can beat the bar.
      const optimistic = total > 0 ? (wtp / total) ** a * (1 - this.totalWeighted / total) : 0;
      if (!(optimistic > this.threshold())) continue;
      let bits: Bitset;
      let size: number;
      if (node === undefined) {
        bits = cand.bits;
        size = this.baseCounts[index].size;
      } else {
        bits = this.kidBuffer(this.kidBuffers, conditions, kidCount, this.words);
        size = intersect(node, cand.bits, bits, this.words);
      }
      if (size < minSize || size === 0) continue;
      const quality = standardQuality(size, tp, wtp, this.rows, this.totalTarget, this.totalWeighted, a);
      if (quality > this.threshold() && (!this.options.admit || this.options.admit(bits, size))) {
        this.chosen.push(index);
        this.offer({ clauses: [...this.chosen], size, targetCount: tp, quality });
        this.chosen.pop();
      }
      const bound = cand.slot !== 'any';
      const nextOpen = openBounds + (bound ? (used === 0 ? 1 : -1) : 0);
      if (nextFields === depth && nextOpen === 0) continue;
      let kid = kids[kidCount];
      if (!kid) kids.push((kid = { j: 0, bits, targetBits, optimistic: 0, fields: 0, open: 0 }));
      kid.j = j;
      kid.bits = bits;
      kid.targetBits = targetBits;
      kid.optimistic = optimistic;
      kid.fields = nextFields;
      kid.open = nextOpen;
      kidCount++;
    }
    if (kidCount === 0) return;
    const ranked = kids.slice(0, kidCount).sort((x, y) => y.optimistic - x.optimistic);
    for (const kid of ranked) {
      if (!(kid.optimistic > this.threshold())) break;
      const index = this.order[kid.j];
      const cand = this.candidates[index];
      const used = this.slotsUsed[cand.group];
      this.slotsUsed[cand.group] = used | (cand.slot === 'any' ? SLOT_ANY : cand.slot === 'lower' ? SLOT_LOWER : SLOT_UPPER);
      this.chosen.push(index);
      this.visit(kid.j + 1, kid.bits, kid.targetBits, conditions + 1, kid.fields, kid.open);
      this.chosen.pop();
      this.slotsUsed[cand.group] = used;
    }
  }

  private kidBuffer(pools: Uint32Array[][], level: number, i: number, words: number): Uint32Array {
    const pool = pools[level] ?? (pools[level] = []);
    while (pool.length <= i) pool.push(new Uint32Array(words));
    return pool[i];
  }

  private offer(s: Subgroup): void {
    const best = this.best;
    let i = best.length;
    while (i > 0 && better(s, best[i - 1])) i--;
    best.splice(i, 0, s);
    if (best.length > this.options.k) best.pop();
  }
}

/** The bits of `bits` at the target rows of each level, renumbered (see `Search.compact`). */
function compactBits(bits: Bitset, levelRows: readonly Int32Array[], levelWords: Int32Array, targetWords: number): Uint32Array {
  const out = new Uint32Array(targetWords);
  let offset = 0;
  levelRows.forEach((r, l) => {
    gatherBits(bits, r, out, offset);
    offset += levelWords[l];
  });
  return out;
}

/** Bit k of out (from word `offset`) = bit rows[k] of bits. */
function gatherBits(bits: Bitset, rows: Int32Array, out: Uint32Array, offset: number): void {
  for (let k = 0; k < rows.length; k++) if ((bits[rows[k] >>> 5] >>> (rows[k] & 31)) & 1) out[offset + (k >>> 5)] |= 1 << (k & 31);
}

/** Indices of the set bits, in order. */
function rowsOf(bits: Bitset, rows: number): Int32Array {
  const out = new Int32Array(Math.min(popcount(bits), rows));
  let n = 0;
  for (let w = 0; w < bits.length; w++) {
    let word = bits[w];
    while (word !== 0) {
      const low = word & -word;
      const r = (w << 5) + (31 - Math.clz32(low));
      if (r < rows) out[n++] = r;
      word ^= low;
    }
  }
  return out.subarray(0, n);
}

/** Per level, popcount(a AND b) (b absent: popcount(a)); the intersection is written to `out` when given. */
function levelCounts(a: Uint32Array, b: Uint32Array | undefined, out: Uint32Array | undefined, levelWords: Int32Array, counts: Float64Array = new Float64Array(levelWords.length)): Float64Array {
  let i = 0;
  for (let l = 0; l < levelWords.length; l++) {
    let n = 0;
    for (const end = i + levelWords[l]; i < end; i++) {
      const w0 = b ? a[i] & b[i] : a[i];
      if (out) out[i] = w0;
      if (w0 === 0) continue;
      let w = w0 - ((w0 >>> 1) & 0x55555555);
      w = (w & 0x33333333) + ((w >>> 2) & 0x33333333);
      n += Math.imul((w + (w >>> 4)) & 0x0f0f0f0f, 0x01010101) >>> 24;
    }
    counts[l] = n;
  }
  return counts;
}

const SLOT_ANY = 1;
const SLOT_LOWER = 2;
const SLOT_UPPER = 4;

/** Higher quality first; on a tie, fewer clauses, then the larger subgroup. */
function better(x: Subgroup, y: Subgroup): boolean {
  if (x.quality !== y.quality) return x.quality > y.quality;
  if (x.clauses.length !== y.clauses.length) return x.clauses.length < y.clauses.length;
  return x.size > y.size;
}

/** out = a AND b; returns popcount(out). */
function intersect(a: Bitset, b: Bitset, out: Uint32Array, words: number): number {
  let n = 0;
  for (let i = 0; i < words; i++) {
    const w0 = a[i] & b[i];
    out[i] = w0;
    if (w0 === 0) continue;
    let w = w0 - ((w0 >>> 1) & 0x55555555);
    w = (w & 0x33333333) + ((w >>> 2) & 0x33333333);
    n += Math.imul((w + (w >>> 4)) & 0x0f0f0f0f, 0x01010101) >>> 24;
  }
  return n;
}
