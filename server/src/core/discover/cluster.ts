/**
 * k-prototypes clustering of table rows under the Gower distance for mixed
 * types (SPEC §13, discovery without a target). The distance of a row to a
 * cluster's prototype is the mean over fields of
 * - numbers and dates: |x − c| / range, the range taken between the 1st and
 *   99th percentile (so one outlier does not squeeze every other value) and
 *   the difference capped at 1; c is the members' mean;
 * - enums, strings and booleans: 0 when equal to the members' mode, else 1;
 * - lists: the Jaccard distance to the items at least half the members hold;
 * - a field missing in the row or in the prototype (no member has it) is
 *   left out of the mean, as in Gower's definition, so a group of fields
 *   that go missing together (an unanswered survey) does not outweigh the
 *   fields that are there. A row missing every field is at distance 1.
 * Rows are first encoded into flat typed arrays (the distance is computed
 * some hundred million times); initial prototypes are drawn k-means++-style
 * with a fixed seed, so the same rows always give the same clusters.
 */
import type { Column, Table } from '../data/table.js';
import { unreachable } from '../util/unreachable.js';
import { quantileSorted } from './nice.js';

type Spec =
  | { kind: 'number'; field: string; values: Float64Array; missing: Uint8Array; lo: number; span: number }
  | { kind: 'category'; field: string; code: (row: number) => number; values: number }
  | { kind: 'list'; field: string; offsets: Int32Array; items: Int32Array; missing: Uint8Array; values: number };

/** How each field enters the distance, with number ranges taken over the given rows. */
export class Features {
  readonly numbers: Array<Extract<Spec, { kind: 'number' }>> = [];
  readonly categories: Array<Extract<Spec, { kind: 'category' }>> = [];
  readonly lists: Array<Extract<Spec, { kind: 'list' }>> = [];

  constructor(table: Table, fields: readonly string[], rows: Int32Array) {
    for (const name of fields) {
      const column = table.byName.get(name);
      if (column) this.add(column, rows);
    }
  }

  get fields(): string[] {
    return [...this.numbers, ...this.categories, ...this.lists].map((s) => s.field);
  }

  get count(): number {
    return this.numbers.length + this.categories.length + this.lists.length;
  }

  private add(column: Column, rows: Int32Array): void {
    switch (column.kind) {
      case 'numeric': {
        const present: number[] = [];
        for (const r of rows) if (column.missing[r] === 0) present.push(column.values[r]);
        if (present.length === 0) return;
        const sorted = Float64Array.from(present).sort();
        let lo = quantileSorted(sorted, 0.01);
        let hi = quantileSorted(sorted, 0.99);
        if (!(hi > lo)) [lo, hi] = [sorted[0], sorted[sorted.length - 1]];
        this.numbers.push({ kind: 'number', field: column.name, values: column.values, missing: column.missing, lo, span: hi > lo ? hi - lo : 1 });
        return;
      }
      case 'dictionary':
        this.categories.push({ kind: 'category', field: column.name, code: (r) => column.codes[r], values: column.dictionary.length });
        return;
      case 'boolean':
        this.categories.push({ kind: 'category', field: column.name, code: (r) => (column.missing[r] === 1 ? -1 : column.values[r]), values: 2 });
        return;
      case 'stringList':
        this.lists.push({ kind: 'list', field: column.name, offsets: column.offsets, items: column.itemCodes, missing: column.missing, values: column.dictionary.length });
        return;
      case 'integerList':
        return;
      default:
        return unreachable(column);
    }
  }

  /** The rows as flat arrays: scaled numbers (NaN: missing), category codes (-1: missing), distinct list items. */
  encode(rows: Int32Array): Encoded {
    const n = rows.length;
    const NF = this.numbers.length;
    const NC = this.categories.length;
    const nums = new Float64Array(n * NF);
    const cats = new Int32Array(n * NC);
    for (let f = 0; f < NF; f++) {
      const { values, missing, lo, span } = this.numbers[f];
      for (let i = 0; i < n; i++) {
        const r = rows[i];
        nums[i * NF + f] = missing[r] === 1 ? NaN : Math.min(1, Math.max(0, (values[r] - lo) / span));
      }
    }
    for (let f = 0; f < NC; f++) {
      const code = this.categories[f].code;
      for (let i = 0; i < n; i++) cats[i * NC + f] = code(rows[i]);
    }
    const lists = this.lists.map((spec) => {
      const offsets = new Int32Array(n + 1);
      const out: number[] = [];
      const stamp = new Int32Array(spec.values).fill(-1);
      const missing = new Uint8Array(n);
      for (let i = 0; i < n; i++) {
        const r = rows[i];
        if (spec.missing[r] === 1) missing[i] = 1;
        else {
          for (let j = spec.offsets[r]; j < spec.offsets[r + 1]; j++) {
            const c = spec.items[j];
            if (stamp[c] === i) continue;
            stamp[c] = i;
            out.push(c);
          }
        }
        offsets[i + 1] = out.length;
      }
      return { offsets, items: Int32Array.from(out), missing, values: spec.values };
    });
    return { n, NF, NC, nums, cats, categoryValues: this.categories.map((c) => c.values), lists };
  }
}

export interface Encoded {
  n: number;
  NF: number;
  NC: number;
  /** n × NF, row-major. */
  nums: Float64Array;
  /** n × NC, row-major. */
  cats: Int32Array;
  /** Per category field, how many codes it has. */
  categoryValues: number[];
  lists: Array<{ offsets: Int32Array; items: Int32Array; missing: Uint8Array; values: number }>;
}

/** K prototypes in the encoded space. */
export interface Prototypes {
  k: number;
  /** k × NF (NaN: no member has the field). */
  nums: Float64Array;
  /** k × NC (-1: no member has the field). */
  cats: Int32Array;
  /** Per list field: k × values membership, how many items each prototype holds, and whether no member has the list. */
  lists: Array<{ holds: Uint8Array; count: Int32Array; missing: Uint8Array }>;
}

/** Every `stride`-th encoded row (of a random sample: a smaller random sample). */
export function everyNth(e: Encoded, stride: number): Encoded {
  if (stride <= 1) return e;
  const keep: number[] = [];
  for (let i = 0; i < e.n; i += stride) keep.push(i);
  const n = keep.length;
  const nums = new Float64Array(n * e.NF);
  const cats = new Int32Array(n * e.NC);
  keep.forEach((i, j) => {
    nums.set(e.nums.subarray(i * e.NF, (i + 1) * e.NF), j * e.NF);
    cats.set(e.cats.subarray(i * e.NC, (i + 1) * e.NC), j * e.NC);
  });
  const lists = e.lists.map((l) => {
    const offsets = new Int32Array(n + 1);
    const items: number[] = [];
    const missing = new Uint8Array(n);
    keep.forEach((i, j) => {
      missing[j] = l.missing[i];
      for (let x = l.offsets[i]; x < l.offsets[i + 1]; x++) items.push(l.items[x]);
      offsets[j + 1] = items.length;
    });
    return { offsets, items: Int32Array.from(items), missing, values: l.values };
  });
  return { n, NF: e.NF, NC: e.NC, nums, cats, categoryValues: e.categoryValues, lists };
}

/** Gower distance of encoded row i to prototype c. */
export function distance(e: Encoded, i: number, p: Prototypes, c: number): number {
  let d = 0;
  let n = 0;
  const NF = e.NF;
  for (let f = 0, a = i * NF, b = c * NF; f < NF; f++) {
    const x = e.nums[a + f];
    const y = p.nums[b + f];
    if (x === x && y === y) {
      d += x > y ? x - y : y - x;
      n++;
    }
  }
  const NC = e.NC;
  for (let f = 0, a = i * NC, b = c * NC; f < NC; f++) {
    const x = e.cats[a + f];
    const y = p.cats[b + f];
    if (x >= 0 && y >= 0) {
      if (x !== y) d++;
      n++;
    }
  }
  for (let f = 0; f < e.lists.length; f++) {
    const l = e.lists[f];
    const q = p.lists[f];
    if (l.missing[i] === 1 || q.missing[c] === 1) continue;
    let both = 0;
    const base = c * l.values;
    const start = l.offsets[i];
    const end = l.offsets[i + 1];
    for (let j = start; j < end; j++) both += q.holds[base + l.items[j]];
    const union = end - start + q.count[c] - both;
    d += union === 0 ? 0 : 1 - both / union;
    n++;
  }
  return n === 0 ? 1 : d / n;
}

/** The nearest prototype of encoded row i (the lowest index on a tie), its distance, and the distance to the next nearest. */
export function nearest(e: Encoded, i: number, p: Prototypes): { cluster: number; distance: number; second: number } {
  let best = 0;
  let bestD = Infinity;
  let second = Infinity;
  for (let c = 0; c < p.k; c++) {
    const d = distance(e, i, p, c);
    if (d < bestD) {
      second = bestD;
      bestD = d;
      best = c;
    } else if (d < second) second = d;
  }
  return { cluster: best, distance: bestD, second };
}

function emptyPrototypes(e: Encoded, k: number): Prototypes {
  return {
    k,
    nums: new Float64Array(k * e.NF).fill(NaN),
    cats: new Int32Array(k * e.NC).fill(-1),
    lists: e.lists.map((l) => ({ holds: new Uint8Array(k * l.values), count: new Int32Array(k), missing: new Uint8Array(k).fill(1) })),
  };
}

/** Prototype c set to encoded row i's own values. */
function seedFrom(e: Encoded, i: number, p: Prototypes, c: number): void {
  p.nums.set(e.nums.subarray(i * e.NF, (i + 1) * e.NF), c * e.NF);
  p.cats.set(e.cats.subarray(i * e.NC, (i + 1) * e.NC), c * e.NC);
  e.lists.forEach((l, f) => {
    const q = p.lists[f];
    q.holds.fill(0, c * l.values, (c + 1) * l.values);
    q.missing[c] = l.missing[i];
    q.count[c] = l.offsets[i + 1] - l.offsets[i];
    for (let j = l.offsets[i]; j < l.offsets[i + 1]; j++) q.holds[c * l.values + l.items[j]] = 1;
  });
}

/** The members' typical values per cluster: means, modes, items at least half hold (a cluster without members keeps `previous`'s). */
export function fit(e: Encoded, labels: Int32Array, k: number, previous?: Prototypes): Prototypes {
  const p = emptyPrototypes(e, k);
  const categoryValues = e.categoryValues;
  const sizes = new Int32Array(k);
  for (let i = 0; i < e.n; i++) sizes[labels[i]]++;
  const sums = new Float64Array(k * e.NF);
  const counts = new Float64Array(k * e.NF);
  for (let i = 0; i < e.n; i++) {
    const c = labels[i];
    for (let f = 0; f < e.NF; f++) {
      const x = e.nums[i * e.NF + f];
      if (x === x) {
        sums[c * e.NF + f] += x;
        counts[c * e.NF + f]++;
      }
    }
  }
  for (let j = 0; j < sums.length; j++) p.nums[j] = counts[j] > 0 ? sums[j] / counts[j] : NaN;
  for (let f = 0; f < e.NC; f++) {
    const values = categoryValues[f] ?? 0;
    const counts = new Int32Array(k * values);
    for (let i = 0; i < e.n; i++) {
      const x = e.cats[i * e.NC + f];
      if (x >= 0) counts[labels[i] * values + x]++;
    }
    for (let c = 0; c < k; c++) {
      let most = 0;
      for (let x = 0; x < values; x++) {
        const n = counts[c * values + x];
        if (n > most) {
          most = n;
          p.cats[c * e.NC + f] = x;
        }
      }
    }
  }
  e.lists.forEach((l, f) => {
    const q = p.lists[f];
    const itemCounts = new Float64Array(k * l.values);
    const present = new Float64Array(k);
    for (let i = 0; i < e.n; i++) {
      if (l.missing[i] === 1) continue;
      const c = labels[i];
      present[c]++;
      for (let j = l.offsets[i]; j < l.offsets[i + 1]; j++) itemCounts[c * l.values + l.items[j]]++;
    }
    for (let c = 0; c < k; c++) {
      if (present[c] === 0) continue;
      q.missing[c] = 0;
      for (let v = 0; v < l.values; v++) {
        const n = itemCounts[c * l.values + v];
        if (n > 0 && n * 2 >= present[c]) {
          q.holds[c * l.values + v] = 1;
          q.count[c]++;
        }
      }
    }
  });
  if (previous) for (let c = 0; c < k; c++) if (sizes[c] === 0) copyPrototype(previous, p, c, e);
  return p;
}

function copyPrototype(from: Prototypes, to: Prototypes, c: number, e: Encoded): void {
  to.nums.set(from.nums.subarray(c * e.NF, (c + 1) * e.NF), c * e.NF);
  to.cats.set(from.cats.subarray(c * e.NC, (c + 1) * e.NC), c * e.NC);
  e.lists.forEach((l, f) => {
    to.lists[f].holds.set(from.lists[f].holds.subarray(c * l.values, (c + 1) * l.values), c * l.values);
    to.lists[f].count[c] = from.lists[f].count[c];
    to.lists[f].missing[c] = from.lists[f].missing[c];
  });
}

export interface Clustering {
  k: number;
  /** Cluster of each encoded row. */
  labels: Int32Array;
  prototypes: Prototypes;
  /** Sum of the rows' distances to their prototypes. */
  cost: number;
}

const MAX_ITERATIONS = 25;

/** k-prototypes (Huang's k-modes family, Lloyd iterations) from k-means++ seeds drawn with `random`. */
export function kPrototypes(e: Encoded, k: number, random: () => number): Clustering {
  const n = e.n;
  let prototypes = emptyPrototypes(e, k);
  const labels = new Int32Array(n).fill(-1);
  const nearestD = new Float64Array(n).fill(Infinity);
  // k-means++ seeding: the next seed is a row drawn with probability ∝ distance² to the nearest seed so far.
  let next = Math.floor(random() * n);
  for (let c = 0; c < k; c++) {
    seedFrom(e, next, prototypes, c);
    if (c + 1 === k) break;
    let total = 0;
    for (let i = 0; i < n; i++) {
      const d = distance(e, i, prototypes, c);
      if (d < nearestD[i]) nearestD[i] = d;
      total += nearestD[i] * nearestD[i];
    }
    let pick = random() * total;
    next = Math.floor(random() * n);
    if (total > 0) {
      for (let i = 0; i < n; i++) {
        pick -= nearestD[i] * nearestD[i];
        if (pick < 0) {
          next = i;
          break;
        }
      }
    }
  }
  let cost = 0;
  for (let iteration = 0; iteration < MAX_ITERATIONS; iteration++) {
    let changed = 0;
    cost = 0;
    for (let i = 0; i < n; i++) {
      const { cluster, distance: d } = nearest(e, i, prototypes);
      cost += d;
      if (labels[i] !== cluster) {
        labels[i] = cluster;
        changed++;
      }
    }
    // Converged, or near enough: when fewer than 0.5% of the rows move, the prototypes barely change.
    if (changed <= Math.floor(n / 200)) break;
    prototypes = fit(e, labels, k, prototypes);
  }
  return { k, labels, prototypes, cost };
}

/**
 * The simplified silhouette (distances to prototypes, not to every member):
 * the mean over rows of (b − a) / max(a, b), a the distance to the nearest
 * prototype, b to the next nearest. Higher is better.
 */
export function simplifiedSilhouette(e: Encoded, p: Prototypes): number {
  if (p.k < 2 || e.n === 0) return 0;
  let sum = 0;
  for (let i = 0; i < e.n; i++) {
    const { distance: a, second: b } = nearest(e, i, p);
    const m = Math.max(a, b);
    sum += m === 0 ? 0 : (b - a) / m;
  }
  return sum / e.n;
}

/** A seeded random source in [0, 1) (mulberry32). */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
