/**
 * A discovery's numbers from counts measured elsewhere (SPEC §13 "on DuckDB
 * sources, the recount runs as SQL"): the rows, the target, and per rule its
 * members, its members in the target and its overlap with each existing
 * segment, all counted by a SQL engine on every row. Size, share, rate, lift
 * and quality are then derived from those counts exactly as from the
 * embedded engine's bitsets, so the report shows the engine's count of the
 * printed rule, whichever engine counted it.
 */
import { standardQuality } from './search.js';
import type { DiscoverResult, DiscoveredRule, Overlap } from './index.js';
import type { RenderedRule } from './render.js';

/** What a SQL engine is asked to count for a discovery. */
export interface RecountRequest {
  dataset: string;
  /** The target as the user wrote it (an expression or a segment name). */
  target: string;
  rendered: readonly RenderedRule[];
  /** Existing segments whose overlap with each rule is reported. */
  existing: readonly string[];
}

/** A SQL engine that counts the printed rules on every row (the CLI provides it: core knows no SQL engine). */
export interface Recounter {
  engine: string;
  count(request: RecountRequest): Promise<MeasuredCounts>;
}

export interface MeasuredRule {
  size: number;
  targetCount: number;
  /** Rows shared with each existing segment (by name). */
  overlaps: ReadonlyMap<string, number>;
}

export interface MeasuredCounts {
  rows: number;
  targetCount: number;
  /** Per rule, in the result's order. */
  rules: readonly MeasuredRule[];
  /** Members of each existing segment (for the Jaccard of an overlap). */
  existingSizes: ReadonlyMap<string, number>;
}

/** The result with every number taken from `counts`; `a` is the quality's exponent. */
export function withMeasuredCounts(result: DiscoverResult, counts: MeasuredCounts, a: number): DiscoverResult {
  const { rows, targetCount } = counts;
  const baseRate = rows === 0 ? 0 : targetCount / rows;
  const rules = result.rules.map((rule, i): DiscoveredRule => {
    const m = counts.rules[i];
    const targetRate = m.size === 0 ? 0 : m.targetCount / m.size;
    const overlaps: Overlap[] = [];
    for (const [segment, count] of m.overlaps) {
      if (count === 0) continue;
      const other = counts.existingSizes.get(segment) ?? 0;
      overlaps.push({ segment, count, jaccard: count / (m.size + other - count) });
    }
    overlaps.sort((x, y) => y.count - x.count || x.segment.localeCompare(y.segment));
    return {
      ...rule,
      size: m.size,
      share: rows === 0 ? 0 : m.size / rows,
      targetCount: m.targetCount,
      targetRate,
      lift: baseRate === 0 ? 0 : targetRate / baseRate,
      quality: standardQuality(m.size, m.targetCount, m.targetCount, rows, targetCount, targetCount, a),
      overlaps,
    };
  });
  return { ...result, rows, targetCount, baseRate, rules };
}
