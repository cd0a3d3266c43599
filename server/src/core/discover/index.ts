/**
 * Discovery (SPEC §13): subgroups of a table whose members differ most from
 * the whole on a target, as readable rules. The search runs on the clause
 * bitsets of at most `sampleLimit` rows; the winners are then recounted
 * exactly on every row, so every number reported is the rule's own count.
 */
import type { Table } from '../data/table.js';
import { andCount, bitsEqual, hasBit, popcount, type Bitset } from '../engine/bitset.js';
import { allRows, candidateClauses, type Clause } from './clauses.js';
import type { DerivedColumn } from './related-clauses.js';
import { selectDiverse } from './diverse.js';
import { judgedMembers, ruleMembers, ruleText, sampleBits } from './rule.js';
import { searchSubgroups, standardQuality, type SearchCandidate, type Subgroup } from './search.js';

export type QualityName = 'wracc' | 'purer';

/** The exponent a of (n/N)^a × (p − p0) per quality name. */
export const QUALITY_EXPONENT: Record<QualityName, number> = { wracc: 1, purer: 0.5 };

export interface DiscoverOptions {
  /** How many rules (K). */
  max: number;
  /** At most this many fields per rule. */
  depth: number;
  /** Fewest members of a rule, in rows of the whole table. */
  minSize: number;
  quality: QualityName;
  /** A diverse set (weighted covering, overlap caps); false: the plain top-K. */
  diverse: boolean;
  /** Rows the search runs on at most (default 200,000). */
  sampleLimit?: number;
  /** Most Jaccard overlap with a chosen rule or an existing segment (default 0.5). */
  overlapCap?: number;
  /** Most share of a rule inside another chosen rule (default 0.8). */
  containmentCap?: number;
}

export interface ExistingSegment {
  name: string;
  /** Members over the table's rows. */
  members: Bitset;
}

export interface DiscoverInput {
  table: Table;
  /** Target rows over the table's rows. */
  target: Bitset;
  /** Reference date, days since the epoch. */
  today: number;
  /** Fields that may not appear in a rule (the key, the target's own fields). */
  exclude: ReadonlySet<string>;
  /** Names that are also segments (a field of that name cannot be written bare). */
  reserved?: ReadonlySet<string>;
  existing: readonly ExistingSegment[];
  /** Aggregates and lookups of related datasets as columns of the table (see related-clauses.ts). */
  derived?: readonly DerivedColumn[];
  options: DiscoverOptions;
}

export interface Overlap {
  segment: string;
  /** Rows in both. */
  count: number;
  jaccard: number;
}

export interface DiscoveredRule {
  clauses: Clause[];
  /** The `where` text. */
  where: string;
  members: Bitset;
  size: number;
  share: number;
  targetCount: number;
  /** targetCount / size. */
  targetRate: number;
  /** targetRate / base rate. */
  lift: number;
  /** The chosen quality on all rows (unweighted). */
  quality: number;
  /** Existing segments sharing rows with the rule, most shared rows first. */
  overlaps: Overlap[];
}

export interface DiscoverResult {
  rows: number;
  targetCount: number;
  baseRate: number;
  /** Rows the search ran on when it ran on a sample. */
  sampledRows?: number;
  /** The SQL engine that counted every number on all rows (see recount.ts); absent: the embedded engine. */
  countedBy?: string;
  /** Candidate clauses considered. */
  candidates: number;
  rules: DiscoveredRule[];
}

export const DEFAULT_SAMPLE_LIMIT = 200_000;

export function discoverSubgroups(input: DiscoverInput): DiscoverResult {
  const { table, target, options } = input;
  const rowCount = table.rowCount;
  const limit = options.sampleLimit ?? DEFAULT_SAMPLE_LIMIT;
  const rows = rowCount > limit ? sampleRows(rowCount, limit) : allRows(rowCount);
  const scale = rows.length / Math.max(1, rowCount);
  const minSize = Math.max(1, Math.ceil(options.minSize * scale));
  const whole = rows.length === rowCount;
  const sampleTarget = whole ? target : sampleBits((r) => hasBit(target, r), rows);
  const clauses = candidateClauses(table, { rows, minCount: minSize, today: input.today, exclude: input.exclude, reserved: input.reserved, target: sampleTarget, derived: input.derived });
  const groups = new Map<string, number>();
  const candidates: SearchCandidate[] = clauses.map((c) => {
    if (!groups.has(c.field)) groups.set(c.field, groups.size);
    return { bits: c.bits ?? sampleBits(c.holds, rows), group: groups.get(c.field)!, slot: c.slot };
  });
  const a = QUALITY_EXPONENT[options.quality];
  const picked = options.diverse
    ? selectDiverse(rows.length, candidates, sampleTarget, {
        k: options.max,
        depth: options.depth,
        minSize,
        a,
        overlapCap: options.overlapCap ?? 0.5,
        containmentCap: options.containmentCap ?? 0.8,
        existing: input.existing.map((e) => (whole ? e.members : sampleBits((r) => hasBit(e.members, r), rows))),
      })
    : distinctMembers(searchSubgroups(rows.length, candidates, { levels: [{ bits: sampleTarget, weight: 1 }] }, { depth: options.depth, minSize, k: options.max * 4, a, floor: 0 }), candidates, rows.length).slice(0, options.max);
  const targetCount = popcount(target);
  const rules = picked.map((indices) => recount(indices.map((i) => clauses[i]), whole, input, targetCount, a));
  if (!options.diverse) rules.sort((x, y) => y.quality - x.quality);
  return {
    rows: rowCount,
    targetCount,
    baseRate: rowCount === 0 ? 0 : targetCount / rowCount,
    sampledRows: whole ? undefined : rows.length,
    candidates: clauses.length,
    rules,
  };
}

/**
 * Of subgroups with the same members (a clause that changes nothing added),
 * the first — the better-ranked, with fewer clauses on a tie.
 */
function distinctMembers(found: readonly Subgroup[], candidates: readonly SearchCandidate[], rows: number): number[][] {
  const seen: Bitset[] = [];
  const out: number[][] = [];
  for (const s of found) {
    const bits = new Uint32Array((rows + 31) >>> 5);
    bits.set(candidates[s.clauses[0]].bits);
    for (const c of s.clauses.slice(1)) for (let i = 0; i < bits.length; i++) bits[i] &= candidates[c].bits[i];
    if (seen.some((o) => bitsEqual(o, bits))) continue;
    seen.push(bits);
    out.push(s.clauses);
  }
  return out;
}

/** The rule's members and numbers on every row of the table (`judgedOnAllRows`: the clauses' bits are over every row). */
function recount(clauses: Clause[], judgedOnAllRows: boolean, input: DiscoverInput, targetCount: number, a: number): DiscoveredRule {
  const rowCount = input.table.rowCount;
  const members = judgedOnAllRows ? judgedMembers(clauses, rowCount) : ruleMembers(clauses, rowCount);
  const size = popcount(members);
  const inTarget = andCount(members, input.target);
  const baseRate = rowCount === 0 ? 0 : targetCount / rowCount;
  const targetRate = size === 0 ? 0 : inTarget / size;
  const overlaps: Overlap[] = [];
  for (const e of input.existing) {
    const count = andCount(members, e.members);
    if (count === 0) continue;
    overlaps.push({ segment: e.name, count, jaccard: count / (size + popcount(e.members) - count) });
  }
  overlaps.sort((x, y) => y.count - x.count || x.segment.localeCompare(y.segment));
  return {
    clauses,
    where: ruleText(clauses),
    members,
    size,
    share: rowCount === 0 ? 0 : size / rowCount,
    targetCount: inTarget,
    targetRate,
    lift: baseRate === 0 ? 0 : targetRate / baseRate,
    quality: standardQuality(size, inTarget, inTarget, rowCount, targetCount, targetCount, a),
    overlaps,
  };
}

/** `limit` distinct row indices, in row order, drawn with a fixed seed (the same sample every run). */
export function sampleRows(rowCount: number, limit: number, seed = 0x5e65fec): Int32Array {
  const all = allRows(rowCount);
  let state = seed >>> 0;
  const next = () => {
    // mulberry32
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  for (let i = 0; i < limit; i++) {
    const j = i + Math.floor(next() * (rowCount - i));
    const tmp = all[i];
    all[i] = all[j];
    all[j] = tmp;
  }
  return all.slice(0, limit).sort();
}
