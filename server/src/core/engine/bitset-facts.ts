/**
 * The embedded engine's answers to an expectation's questions, from member
 * bitsets: counts by popcount, example keys from the first rows.
 */
import type { Expr } from '../syntax/ast.js';
import { andBits, andCount, andNotBits, firstRows, type Bitset } from './bitset.js';
import { evaluatePredicate, memberAggregate, type CompileContext } from './compile.js';
import type { MemberFacts, OtherSegmentFacts, Relation } from './expectations.js';
import { cachedAndCount } from './overlap-pairs.js';
import type { PairCache } from './stats.js';

export interface BitsetFactsInput {
  segment: string;
  members: Bitset;
  size: number;
  rows: number;
  ctx: CompileContext;
  /** Another segment's members, or why there are none to compare with. */
  other(name: string): { members: Bitset } | { unavailable: string };
  keyOf(row: number): string;
  /** Pair counts kept by member identity (shared with the overlap matrix). */
  pairs?: PairCache;
}

const EXAMPLES = 3;

export function bitsetFacts(input: BitsetFactsInput): MemberFacts {
  const { members, ctx, keyOf } = input;
  const relation = (count: number, rows: () => Bitset): Relation => ({
    count,
    exampleKeys: () => (count === 0 ? [] : firstRows(rows(), EXAMPLES).map(keyOf)),
  });
  return {
    segment: input.segment,
    size: input.size,
    rows: input.rows,
    countWhere: (expr: Expr) => andCount(evaluatePredicate(expr, ctx).t, members),
    aggregate: (fn: string, arg: Expr) => memberAggregate(fn, arg, members, ctx),
    other(name: string): OtherSegmentFacts {
      const other = input.other(name);
      if ('unavailable' in other) return { unavailable: other.unavailable };
      return {
        both: () => relation(cachedAndCount(members, other.members, input.pairs), () => andBits(members, other.members)),
        // |A \ B| = |A| - |A ∩ B|: the same pair count.
        outside: () => relation(input.size - cachedAndCount(members, other.members, input.pairs), () => andNotBits(members, other.members)),
      };
    },
  };
}
