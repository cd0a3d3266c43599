/**
 * The overlap pairs of a run, counted only when something reads them (the
 * preview's matrix, a report): an edit pays for no pair nobody looks at. The
 * counts are kept by member identity (`PairCache`), so after an edit only the
 * pairs of segments whose members changed are counted again.
 */
import type { Bitset } from './bitset.js';
import { andCount } from './bitset.js';
import { overlapMatrix, pairCountRows, type NamedMembers, type OverlapStat, type PairCache } from './stats.js';

/** The segments of one dataset with members, and where the pair list of the latest run is kept. */
export interface OverlapGroup {
  segments: NamedMembers[];
  /** Identifies the group (names and member identities): an equal key reuses the kept list. */
  key: string;
  /** The list kept last for this dataset (by any run), and keeping a new one. */
  kept(): { key: string; stats: OverlapStat[] } | undefined;
  keep(memo: { key: string; stats: OverlapStat[] }): void;
}

export class OverlapPairs {
  private stats: OverlapStat[] | undefined;

  constructor(
    private readonly groups: readonly OverlapGroup[],
    private readonly cache: PairCache,
  ) {}

  /** Every pair of every group, counting those not counted yet. */
  list(): OverlapStat[] {
    if (!this.stats) {
      const stats: OverlapStat[] = [];
      for (const group of this.groups) {
        let memo = group.kept();
        if (memo?.key !== group.key) group.keep((memo = { key: group.key, stats: overlapMatrix(group.segments, this.cache) }));
        for (const stat of memo.stats) stats.push(stat);
      }
      this.stats = stats;
    }
    return this.stats;
  }

  /** The same list, counted one row of a matrix per step (a host with one thread answers requests between them). */
  *steps(): Generator<void, OverlapStat[]> {
    if (!this.stats) {
      for (const group of this.groups) {
        if (group.kept()?.key === group.key) continue;
        yield* pairCountRows(group.segments.map((s) => s.members), this.cache);
      }
    }
    return this.list();
  }
}

/** |a ∩ b|, from the cache when either order was counted before (an `expect overlap` and the matrix share it). */
export function cachedAndCount(a: Bitset, b: Bitset, cache: PairCache | undefined): number {
  const known = cache?.get(a, b) ?? cache?.get(b, a);
  if (known !== undefined) return known;
  const count = andCount(a, b);
  cache?.set(a, b, count);
  return count;
}
