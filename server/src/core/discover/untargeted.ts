/**
 * Discovery without a target (SPEC §13): K readable segments that together
 * cover most rows, each distinct and internally alike. Rows are clustered
 * (k-prototypes under the Gower distance, see cluster.ts) on a sample; each
 * cluster is then described with the same rule search as a target (the
 * target being membership of the cluster), keeping the rule that reproduces
 * the cluster best by F1 (the harmonic mean of precision — the share of the
 * rule's rows in the cluster — and recall — the share of the cluster's rows
 * the rule holds for). Every printed number is recounted on all rows.
 */
import type { Column, Table } from '../data/table.js';
import { andCount, emptyBits, popcount, setBit, type Bitset } from '../engine/bitset.js';
import { allRows, candidateClauses, type Clause } from './clauses.js';
import { everyNth, Features, kPrototypes, nearest, seededRandom, simplifiedSilhouette, type Clustering, type Encoded } from './cluster.js';
import { DEFAULT_SAMPLE_LIMIT, sampleRows, type ExistingSegment, type Overlap } from './index.js';
import type { DerivedColumn } from './related-clauses.js';
import { ruleMembers, ruleText } from './rule.js';
import { searchSubgroups, type SearchCandidate } from './search.js';

export interface UntargetedOptions {
  /** Most clusters, hence most rules. */
  max: number;
  /** Exactly this many clusters (no silhouette choice). */
  clusters?: number;
  /** At most this many fields per rule. */
  depth: number;
  /** Fewest members of a rule, in rows of the whole table. */
  minSize: number;
  /** Rows the rule search runs on at most (default 200,000). */
  sampleLimit?: number;
  /** Rows the clustering runs on at most (default 6,000); every row is then assigned to its nearest prototype. */
  clusterSampleLimit?: number;
  /** Most Jaccard overlap of a rule with another proposed rule or an existing segment (default 0.5). */
  overlapCap?: number;
}

export interface UntargetedInput {
  table: Table;
  /** Reference date, days since the epoch. */
  today: number;
  /** Fields that may not appear in a rule nor shape the clusters (the key). */
  exclude: ReadonlySet<string>;
  /** Names that are also segments (a field of that name cannot be written bare). */
  reserved?: ReadonlySet<string>;
  existing: readonly ExistingSegment[];
  /**
   * Aggregates and lookups of related datasets as columns of the table (see
   * related-clauses.ts): the clusters are formed on them as on fields, and
   * the rules describing the clusters may use them.
   */
  derived?: readonly DerivedColumn[];
  options: UntargetedOptions;
}

export interface ClusterRule {
  /** The cluster it describes (1 = the largest). */
  cluster: number;
  clauses: Clause[];
  where: string;
  members: Bitset;
  size: number;
  share: number;
  clusterSize: number;
  /** Rows in both the rule and its cluster. */
  inCluster: number;
  /** inCluster / size. */
  precision: number;
  /** inCluster / clusterSize. */
  recall: number;
  /** Fidelity: 2 × precision × recall / (precision + recall). */
  f1: number;
  overlaps: Overlap[];
}

export interface ClusterSummary {
  cluster: number;
  size: number;
  share: number;
  /** Index into `rules` of the rule describing it. */
  rule?: number;
  /** Why no rule is proposed for it. */
  note?: string;
}

export type KChoice = { method: 'fixed' } | { method: 'silhouette'; silhouette: number; /** Rows the choice was made on. */ rows: number; tried: Array<{ k: number; silhouette: number }> };

export interface UntargetedResult {
  rows: number;
  /** Rows the rule search ran on when it ran on a sample. */
  sampledRows?: number;
  /** Rows the clustering ran on. */
  clusteredRows: number;
  /** Candidate clauses considered. */
  candidates: number;
  /** Fields the clusters were formed on. */
  fields: string[];
  k: number;
  choice: KChoice;
  clusters: ClusterSummary[];
  rules: ClusterRule[];
  /** Share of all rows in at least one rule. */
  coverage: number;
  meanJaccard: number;
  maxJaccard: number;
}

export type UntargetedOutcome = { ok: true; result: UntargetedResult } | { ok: false; message: string };

const DEFAULT_CLUSTER_SAMPLE = 6_000;
/** Rows (about) the number of clusters is chosen on. */
const CHOICE_ROWS = 2_000;
/** Rows encoded at once when every row is assigned to its cluster. */
const ASSIGN_CHUNK = 32_768;
/** Restarts from different seeds (while choosing K, and for the final clustering); the clustering of least cost is kept. */
const CHOICE_RESTARTS = 2;
const RESTARTS = 3;
const SEED = 0x5e65c1;
/** Rules per quality exponent among which the most faithful is chosen. */
const POOL = 12;
/** A rule reproducing its cluster worse than this (F1) is not proposed. */
const MIN_F1 = 0.3;
/** A clause must improve the rule's F1 by this factor to stay. */
const MIN_GAIN = 1.02;

export function discoverClusters(input: UntargetedInput): UntargetedOutcome {
  const { table, options } = input;
  const rowCount = table.rowCount;
  if (rowCount === 0) return { ok: false, message: 'the dataset has no rows' };
  const limit = options.sampleLimit ?? DEFAULT_SAMPLE_LIMIT;
  const rows = rowCount > limit ? sampleRows(rowCount, limit) : allRows(rowCount);
  const whole = rows.length === rowCount;
  const minSize = Math.max(1, Math.ceil(options.minSize * (rows.length / rowCount)));
  const clauses = candidateClauses(table, { rows, minCount: minSize, today: input.today, exclude: input.exclude, reserved: input.reserved, derived: input.derived });
  const fields = [...new Set(clauses.map((c) => c.field))];
  const clusterLimit = options.clusterSampleLimit ?? DEFAULT_CLUSTER_SAMPLE;
  const clusterRows = rowCount > clusterLimit ? sampleRows(rowCount, clusterLimit, SEED) : allRows(rowCount);
  const features = new Features(withDerived(table, input.derived ?? []), fields, clusterRows);
  if (features.count === 0) {
    return { ok: false, message: 'no field of the dataset can tell rows apart in a readable rule (numbers, dates, enums, booleans or lists with at least two values, each frequent enough for --min-size)' };
  }
  const most = Math.max(1, Math.min(options.clusters ?? options.max, clusterRows.length));
  const { clustering, choice } = chooseClustering(features.encode(clusterRows), most, options.clusters !== undefined);
  const k = clustering.k;

  // Every row joins its nearest prototype; clusters are numbered from the largest.
  const rawLabels = new Int32Array(rowCount);
  const rawSizes = new Array<number>(k).fill(0);
  for (let start = 0; start < rowCount; start += ASSIGN_CHUNK) {
    const chunk = new Int32Array(Math.min(ASSIGN_CHUNK, rowCount - start));
    for (let i = 0; i < chunk.length; i++) chunk[i] = start + i;
    const encoded = features.encode(chunk);
    for (let i = 0; i < chunk.length; i++) {
      const c = nearest(encoded, i, clustering.prototypes).cluster;
      rawLabels[start + i] = c;
      rawSizes[c]++;
    }
  }
  const order = rawSizes.map((_, c) => c).sort((x, y) => rawSizes[y] - rawSizes[x] || x - y);
  const clusterBits = order.map(() => emptyBits(rowCount));
  const sampleClusterBits = order.map(() => emptyBits(rows.length));
  const rank = new Int32Array(k);
  order.forEach((c, i) => (rank[c] = i));
  for (let r = 0; r < rowCount; r++) setBit(clusterBits[rank[rawLabels[r]]], r);
  for (let i = 0; i < rows.length; i++) setBit(sampleClusterBits[rank[rawLabels[rows[i]]]], i);

  const groups = new Map<string, number>();
  const candidates: SearchCandidate[] = clauses.map((c) => {
    if (!groups.has(c.field)) groups.set(c.field, groups.size);
    return { bits: c.bits!, group: groups.get(c.field)!, slot: c.slot };
  });
  const cap = options.overlapCap ?? 0.5;
  const existingSample = input.existing.map((e) => {
    const bits = whole ? e.members : sampleOf(e.members, rows);
    return { name: `segment ${e.name}`, bits, size: popcount(bits) };
  });
  const chosen: Array<{ name: string; bits: Bitset; size: number }> = [];
  const rules: ClusterRule[] = [];
  const clusters: ClusterSummary[] = [];
  for (let i = 0; i < k; i++) {
    const size = popcount(clusterBits[i]);
    const summary: ClusterSummary = { cluster: i + 1, size, share: size / rowCount };
    clusters.push(summary);
    const target = sampleClusterBits[i];
    const targetSize = popcount(target);
    if (targetSize < minSize) {
      summary.note = `smaller than --min-size (${targetSize.toLocaleString('en-US')} rows${whole ? '' : ' in the sample'})`;
      continue;
    }
    // The name of a proposed rule or existing segment the rule overlaps too much, if any.
    const blocker = (bits: Bitset, n: number): string | undefined => {
      const o = [...chosen, ...existingSample].find((x) => jaccard(bits, n, x.bits, x.size) > cap);
      return o?.name;
    };
    const best = describeCluster(rows.length, candidates, target, targetSize, { depth: options.depth, minSize, blocker });
    if (!best.pick) {
      summary.note = best.rejected
        ? `its most faithful rule, ${ruleText(best.rejected.clauses.map((c) => clauses[c]))} (F1 ${best.rejected.f1.toFixed(2)}), overlaps ${best.rejected.by} by more than ${cap} (Jaccard)`
        : 'no rule with enough members describes it';
      continue;
    }
    if (best.pick.f1 < MIN_F1) {
      summary.note = `no readable rule reproduces it (best F1 ${best.pick.f1.toFixed(2)})`;
      continue;
    }
    summary.rule = rules.length;
    const rule = recount(best.pick.clauses.map((c) => clauses[c]), i + 1, clusterBits[i], size, input);
    rules.push(rule);
    chosen.push({ name: `proposed rule ${rules.length} (${rule.where})`, bits: best.pick.bits, size: best.pick.size });
  }
  return { ok: true, result: { rows: rowCount, sampledRows: whole ? undefined : rows.length, clusteredRows: clusterRows.length, candidates: clauses.length, fields: features.fields, k, choice, clusters, rules, ...setFigures(rules, rowCount) } };
}

/**
 * The clustering with K fixed, or the K from 3 to `most` with the best
 * simplified silhouette (the smaller K on a tie). Two clusters are tried
 * only when `most` is 2: the silhouette favours a split in two ("answered
 * the survey" or not), which is rarely the segmentation wanted.
 */
function chooseClustering(e: Encoded, most: number, fixed: boolean): { clustering: Clustering; choice: KChoice } {
  if (fixed || most < 2) return { clustering: bestOf(e, most), choice: { method: 'fixed' } };
  // K is chosen on fewer rows (the silhouette of a random third barely differs), then the clustering redone on all.
  const small = everyNth(e, Math.floor(e.n / CHOICE_ROWS));
  let best: { k: number; silhouette: number } | undefined;
  const tried: Array<{ k: number; silhouette: number }> = [];
  for (let k = Math.min(3, most); k <= most; k++) {
    const silhouette = simplifiedSilhouette(small, bestOf(small, k, CHOICE_RESTARTS).prototypes);
    tried.push({ k, silhouette });
    if (!best || silhouette > best.silhouette + 1e-12) best = { k, silhouette };
  }
  return { clustering: bestOf(e, best!.k), choice: { method: 'silhouette', silhouette: best!.silhouette, rows: small.n, tried } };
}

/** Of `restarts` runs from different seeds, the clustering of least cost. */
function bestOf(e: Encoded, k: number, restarts = RESTARTS): Clustering {
  let best: Clustering | undefined;
  for (let restart = 0; restart < restarts; restart++) {
    const c = kPrototypes(e, k, seededRandom(SEED + 7919 * restart + 104729 * k));
    if (!best || c.cost < best.cost - 1e-9) best = c;
  }
  return best!;
}

interface Pick {
  clauses: number[];
  bits: Bitset;
  size: number;
  f1: number;
}

/** The admissible rule of the search's best (both quality exponents) that reproduces the cluster best, simplified. */
function describeCluster(
  rows: number,
  candidates: readonly SearchCandidate[],
  target: Bitset,
  targetSize: number,
  options: { depth: number; minSize: number; blocker: (bits: Bitset, size: number) => string | undefined },
): { pick?: Pick; rejected?: Pick & { by: string } } {
  const seen = new Set<string>();
  let pick: Pick | undefined;
  let rejected: (Pick & { by: string }) | undefined;
  for (const a of [1, 0.5]) {
    for (const s of searchSubgroups(rows, candidates, { levels: [{ bits: target, weight: 1 }] }, { depth: options.depth, minSize: options.minSize, k: POOL, a, floor: 0 })) {
      const key = [...s.clauses].sort((x, y) => x - y).join(',');
      if (seen.has(key)) continue;
      seen.add(key);
      const simple = simplify(s.clauses, candidates, target, targetSize, rows, options.minSize);
      const by = options.blocker(simple.bits, simple.size);
      if (by !== undefined) {
        if (!rejected || simple.f1 > rejected.f1) rejected = { ...simple, by };
        continue;
      }
      if (!pick || simple.f1 > pick.f1 + 1e-12 || (Math.abs(simple.f1 - pick.f1) <= 1e-12 && simple.clauses.length < pick.clauses.length)) pick = simple;
    }
  }
  return { pick, rejected };
}

/** Drops, one at a time, the clause whose removal costs least while the rest keeps F1 within 2%. */
function simplify(clauses: readonly number[], candidates: readonly SearchCandidate[], target: Bitset, targetSize: number, rows: number, minSize: number): Pick {
  const measure = (list: number[]): Pick => {
    const bits = emptyBits(rows);
    bits.set(candidates[list[0]].bits);
    for (const c of list.slice(1)) {
      const other = candidates[c].bits;
      for (let i = 0; i < bits.length; i++) bits[i] &= other[i];
    }
    const size = popcount(bits);
    return { clauses: list, bits, size, f1: f1Of(andCount(bits, target), size, targetSize) };
  };
  let current = measure([...clauses]);
  while (current.clauses.length > 1) {
    let bestDrop: Pick | undefined;
    for (let i = 0; i < current.clauses.length; i++) {
      const rest = measure(current.clauses.filter((_, j) => j !== i));
      if (rest.size >= minSize && current.f1 < rest.f1 * MIN_GAIN && (!bestDrop || rest.f1 > bestDrop.f1)) bestDrop = rest;
    }
    if (!bestDrop) break;
    current = bestDrop;
  }
  return current;
}

function f1Of(both: number, size: number, clusterSize: number): number {
  return size + clusterSize === 0 ? 0 : (2 * both) / (size + clusterSize);
}

function jaccard(a: Bitset, sizeA: number, b: Bitset, sizeB: number): number {
  const both = andCount(a, b);
  const union = sizeA + sizeB - both;
  return union === 0 ? 0 : both / union;
}

/** The table with each derived column as one more column, named by its expression (as its clauses name their field). */
function withDerived(table: Table, derived: readonly DerivedColumn[]): Table {
  if (derived.length === 0) return table;
  const extra: Column[] = derived.map((d) => ({ ...d.column, name: d.text }));
  const columns = [...table.columns, ...extra];
  return { ...table, columns, byName: new Map(columns.map((c) => [c.name, c])) };
}

/** Bits over sample rows: bit i is row `rows[i]`. */
function sampleOf(members: Bitset, rows: Int32Array): Bitset {
  const bits = emptyBits(rows.length);
  for (let i = 0; i < rows.length; i++) if ((members[rows[i] >>> 5] >>> (rows[i] & 31)) & 1) setBit(bits, i);
  return bits;
}

/** The rule's members and fidelity on every row of the table. */
function recount(clauses: Clause[], cluster: number, clusterBits: Bitset, clusterSize: number, input: UntargetedInput): ClusterRule {
  const rowCount = input.table.rowCount;
  const members = ruleMembers(clauses, rowCount);
  const size = popcount(members);
  const inCluster = andCount(members, clusterBits);
  const overlaps: Overlap[] = [];
  for (const e of input.existing) {
    const count = andCount(members, e.members);
    if (count === 0) continue;
    overlaps.push({ segment: e.name, count, jaccard: count / (size + popcount(e.members) - count) });
  }
  overlaps.sort((x, y) => y.count - x.count || x.segment.localeCompare(y.segment));
  return {
    cluster,
    clauses,
    where: ruleText(clauses),
    members,
    size,
    share: size / rowCount,
    clusterSize,
    inCluster,
    precision: size === 0 ? 0 : inCluster / size,
    recall: clusterSize === 0 ? 0 : inCluster / clusterSize,
    f1: f1Of(inCluster, size, clusterSize),
    overlaps,
  };
}

/** Coverage of all rows and pairwise Jaccard of the rules. */
export function setFigures(rules: ReadonlyArray<{ members: Bitset; size: number }>, rowCount: number): { coverage: number; meanJaccard: number; maxJaccard: number } {
  const union = emptyBits(rowCount);
  for (const r of rules) for (let i = 0; i < union.length; i++) union[i] |= r.members[i];
  let sum = 0;
  let pairs = 0;
  let max = 0;
  for (let i = 0; i < rules.length; i++) {
    for (let j = i + 1; j < rules.length; j++) {
      const j2 = jaccard(rules[i].members, rules[i].size, rules[j].members, rules[j].size);
      sum += j2;
      pairs++;
      max = Math.max(max, j2);
    }
  }
  return { coverage: rowCount === 0 ? 0 : popcount(union) / rowCount, meanJaccard: pairs ? sum / pairs : 0, maxJaccard: max };
}
