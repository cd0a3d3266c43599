/**
 * The pruned DFS against brute force: on random clause bitsets (with lower
 * and upper bounds of one field that may combine), weighted target levels
 * and both quality exponents, the top-K qualities equal those of every
 * admissible conjunction enumerated without pruning.
 */
import { describe, expect, it } from 'vitest';
import { andCount, emptyBits, popcount, setBit, type Bitset } from '../../../server/src/core/engine/bitset.js';
import { searchSubgroups, standardQuality, type SearchCandidate, type WeightedTarget } from '../../../server/src/core/discover/search.js';
import { selectDiverse } from '../../../server/src/core/discover/diverse.js';
import type { Slot } from '../../../server/src/core/discover/clauses.js';

function random(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function world(seed: number, rows: number) {
  const next = random(seed);
  const candidates: SearchCandidate[] = [];
  const slots: Slot[] = ['any', 'lower', 'upper'];
  for (let g = 0; g < 6; g++) {
    for (let c = 0; c < 3; c++) {
      const bits = emptyBits(rows);
      const p = 0.2 + next() * 0.6;
      for (let r = 0; r < rows; r++) if (next() < p) setBit(bits, r);
      candidates.push({ bits, group: g, slot: g < 3 ? 'any' : slots[c % 3] });
    }
  }
  const levels: WeightedTarget['levels'] = [0, 1, 2].map((l) => ({ bits: emptyBits(rows), weight: [1, 0.5, 0.25][l] }));
  for (let r = 0; r < rows; r++) if (next() < 0.3) setBit(levels[Math.floor(next() * 3)].bits, r);
  return { candidates, levels };
}

/** Every conjunction the search may form: one `any` per group, or one lower and one upper; at most `depth` groups. */
function bruteForce(rows: number, candidates: SearchCandidate[], target: WeightedTarget, depth: number, minSize: number, a: number): number[] {
  const out: number[] = [];
  const total = target.levels.reduce((n, l) => n + popcount(l.bits), 0);
  const weighted = target.levels.reduce((n, l) => n + popcount(l.bits) * l.weight, 0);
  const walk = (start: number, bits: Bitset | undefined, used: Map<number, Set<Slot>>) => {
    for (let i = start; i < candidates.length; i++) {
      const c = candidates[i];
      const u = used.get(c.group);
      if (u && !(u.size === 1 && ((u.has('lower') && c.slot === 'upper') || (u.has('upper') && c.slot === 'lower')))) continue;
      if (!u && used.size >= depth) continue;
      const next = bits ? bits.map((w, k) => w & c.bits[k]) : c.bits;
      const size = popcount(next);
      if (size >= minSize && size > 0) {
        let tp = 0;
        let wtp = 0;
        for (const l of target.levels) {
          const n = andCount(next, l.bits);
          tp += n;
          wtp += n * l.weight;
        }
        out.push(standardQuality(size, tp, wtp, rows, total, weighted, a));
      }
      const nextUsed = new Map(used);
      nextUsed.set(c.group, new Set([...(u ?? []), c.slot]));
      walk(i + 1, next, nextUsed);
    }
  };
  walk(0, undefined, new Map());
  return out.sort((x, y) => y - x);
}

describe('subgroup search', () => {
  for (const [seed, depth, a, minSize] of [
    [1, 1, 1, 1],
    [2, 2, 1, 5],
    [3, 3, 1, 10],
    [4, 3, 0.5, 10],
    [5, 4, 0.5, 1],
  ] as const) {
    it(`equals brute force (seed ${seed}, depth ${depth}, a ${a}, min size ${minSize})`, () => {
      const rows = 300;
      const { candidates, levels } = world(seed, rows);
      const target = { levels };
      const expected = bruteForce(rows, candidates, target, depth, minSize, a).slice(0, 15);
      const found = searchSubgroups(rows, candidates, target, { depth, minSize, k: 15, a });
      expect(found.map((s) => s.quality)).toEqual(expected.map((q) => expect.closeTo(q, 12)));
      // Each reported subgroup's numbers are those of its own clauses.
      for (const s of found) {
        const bits = s.clauses.map((i) => candidates[i].bits).reduce((x, y) => x.map((w, k) => w & y[k]));
        expect(popcount(bits)).toBe(s.size);
      }
    });
  }

  it('keeps a diverse set under the overlap cap, each rule better than the overall rate', () => {
    const rows = 2000;
    const { candidates, levels } = world(9, rows);
    const target = emptyBits(rows);
    for (const l of levels) for (let i = 0; i < target.length; i++) target[i] |= l.bits[i];
    const picked = selectDiverse(rows, candidates, target, { k: 6, depth: 2, minSize: 20, a: 1, overlapCap: 0.5, containmentCap: 0.8, existing: [] });
    expect(picked.length).toBeGreaterThan(1);
    const members = picked.map((clauses) => clauses.map((i) => candidates[i].bits).reduce((x, y) => x.map((w, k) => w & y[k])));
    const base = popcount(target) / rows;
    members.forEach((m, i) => {
      expect(andCount(m, target) / popcount(m)).toBeGreaterThan(base);
      members.forEach((o, j) => {
        if (j <= i) return;
        const both = andCount(m, o);
        expect(both / (popcount(m) + popcount(o) - both)).toBeLessThanOrEqual(0.5);
        expect(both / Math.min(popcount(m), popcount(o))).toBeLessThanOrEqual(0.8);
      });
    });
  });
});
