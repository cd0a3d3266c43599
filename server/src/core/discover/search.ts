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
  private readonly levels: Bitset[];
  private readonly weights: Float64Array;
  private readonly totalTarget: number;
  private readonly totalWeighted: number;
  private readonly best: Subgroup[] = [];
  /** Per depth: the bitsets of the extensions being evaluated (reused). */
  private readonly kidBuffers: Uint32Array[][] = [];
  private readonly kidLists: Array<Array<{ j: number; bits: Bitset; optimistic: number; fields: number; open: number }>> = [];
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
    const slotRank = (s: Slot): number => (s === 'upper' ? 1 : 0);
    this.order = candidates.map((_, i) => i).sort((x, y) => candidates[x].group - candidates[y].group || slotRank(candidates[x].slot) - slotRank(candidates[y].slot) || x - y);
    this.words = (rows + 31) >>> 5;
    this.levels = target.levels.map((l) => l.bits);
    this.weights = Float64Array.from(target.levels.map((l) => l.weight));
    let total = 0;
    let weighted = 0;
    for (const l of target.levels) {
      const n = popcount(l.bits);
      total += n;
      weighted += n * l.weight;
    }
    this.totalTarget = total;
    this.totalWeighted = weighted;
    const groups = candidates.reduce((m, c) => Math.max(m, c.group + 1), 0);
    this.slotsUsed = new Uint8Array(groups);
    this.tpLevels = new Float64Array(this.levels.length);
    this.baseCounts = candidates.map((c) => ({ size: popcount(c.bits), tp: Float64Array.from(this.levels.map((l) => andCountOf(c.bits, l))) }));
  }

  run(): Subgroup[] {
    if (this.options.k <= 0 || this.options.depth <= 0) return [];
    this.visit(0, undefined, 0, 0, 0);
    return this.best;
  }

  private threshold(): number {
    return this.best.length < this.options.k ? -Infinity : this.best[this.best.length - 1].quality;
  }

  /**
   * Evaluates every extension of the node by one candidate after `start`
   * (reporting those good enough), then refines the promising ones, the
   * most promising first so that the bar rises early and prunes more.
   */
  private visit(start: number, node: Bitset | undefined, conditions: number, fields: number, openBounds: number): void {
    const { depth, minSize, a } = this.options;
    const L = this.levels.length;
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
      let bits: Bitset;
      let size: number;
      if (node === undefined) {
        bits = cand.bits;
        size = this.baseCounts[index].size;
        this.tpLevels.set(this.baseCounts[index].tp);
      } else {
        bits = this.kidBuffer(conditions, kidCount);
        size = intersect(node, cand.bits, bits, this.words, this.levels, this.tpLevels);
      }
      if (size < minSize || size === 0) continue;
      let tp = 0;
      let wtp = 0;
      for (let l = 0; l < L; l++) {
        tp += this.tpLevels[l];
        wtp += this.tpLevels[l] * this.weights[l];
      }
      const quality = standardQuality(size, tp, wtp, this.rows, this.totalTarget, this.totalWeighted, a);
      if (quality > this.threshold() && (!this.options.admit || this.options.admit(bits, size))) {
        this.chosen.push(index);
        this.offer({ clauses: [...this.chosen], size, targetCount: tp, quality });
        this.chosen.pop();
      }
      const bound = cand.slot !== 'any';
      const nextOpen = openBounds + (bound ? (used === 0 ? 1 : -1) : 0);
      if (nextFields === depth && nextOpen === 0) continue;
      const optimistic = total > 0 ? (wtp / total) ** a * (1 - this.totalWeighted / total) : 0;
      if (!(optimistic > this.threshold())) continue;
      let kid = kids[kidCount];
      if (!kid) kids.push((kid = { j: 0, bits, optimistic: 0, fields: 0, open: 0 }));
      kid.j = j;
      kid.bits = bits;
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
      this.visit(kid.j + 1, kid.bits, conditions + 1, kid.fields, kid.open);
      this.chosen.pop();
      this.slotsUsed[cand.group] = used;
    }
  }

  private kidBuffer(level: number, i: number): Uint32Array {
    const pool = this.kidBuffers[level] ?? (this.kidBuffers[level] = []);
    while (pool.length <= i) pool.push(new Uint32Array(this.words));
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

const SLOT_ANY = 1;
const SLOT_LOWER = 2;
const SLOT_UPPER = 4;

/** Higher quality first; on a tie, fewer clauses, then the larger subgroup. */
function better(x: Subgroup, y: Subgroup): boolean {
  if (x.quality !== y.quality) return x.quality > y.quality;
  if (x.clauses.length !== y.clauses.length) return x.clauses.length < y.clauses.length;
  return x.size > y.size;
}

function andCountOf(a: Bitset, b: Bitset): number {
  let n = 0;
  for (let i = 0; i < a.length; i++) {
    let w = a[i] & b[i];
    if (w === 0) continue;
    w = w - ((w >>> 1) & 0x55555555);
    w = (w & 0x33333333) + ((w >>> 2) & 0x33333333);
    n += Math.imul((w + (w >>> 4)) & 0x0f0f0f0f, 0x01010101) >>> 24;
  }
  return n;
}

/** out = a AND b; returns popcount(out) and sets tp[l] = popcount(out AND levels[l]). */
function intersect(a: Bitset, b: Bitset, out: Uint32Array, words: number, levels: Bitset[], tp: Float64Array): number {
  let n = 0;
  if (levels.length === 1) {
    const t = levels[0];
    let c = 0;
    for (let i = 0; i < words; i++) {
      const w0 = a[i] & b[i];
      out[i] = w0;
      if (w0 === 0) continue;
      let w = w0 - ((w0 >>> 1) & 0x55555555);
      w = (w & 0x33333333) + ((w >>> 2) & 0x33333333);
      n += Math.imul((w + (w >>> 4)) & 0x0f0f0f0f, 0x01010101) >>> 24;
      let v = w0 & t[i];
      if (v === 0) continue;
      v = v - ((v >>> 1) & 0x55555555);
      v = (v & 0x33333333) + ((v >>> 2) & 0x33333333);
      c += Math.imul((v + (v >>> 4)) & 0x0f0f0f0f, 0x01010101) >>> 24;
    }
    tp[0] = c;
    return n;
  }
  tp.fill(0);
  for (let i = 0; i < words; i++) {
    const w0 = a[i] & b[i];
    out[i] = w0;
    if (w0 === 0) continue;
    let w = w0 - ((w0 >>> 1) & 0x55555555);
    w = (w & 0x33333333) + ((w >>> 2) & 0x33333333);
    n += Math.imul((w + (w >>> 4)) & 0x0f0f0f0f, 0x01010101) >>> 24;
    for (let l = 0; l < levels.length; l++) {
      let v = w0 & levels[l][i];
      if (v === 0) continue;
      v = v - ((v >>> 1) & 0x55555555);
      v = (v & 0x33333333) + ((v >>> 2) & 0x33333333);
      tp[l] += Math.imul((v + (v >>> 4)) & 0x0f0f0f0f, 0x01010101) >>> 24;
    }
  }
  return n;
}
