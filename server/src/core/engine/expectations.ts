/**
 * `expect` lines (SPEC §6.4) judged on facts about a segment's members: the
 * one place that decides whether an expectation holds and words the result,
 * whichever engine measured the facts.
 */
import type { Severity } from '../diagnostics/types.js';
import type { Expectation, Expr, Quantity, Range } from '../syntax/ast.js';
import { boundHolds, boundText, formatCount, formatNumber, formatPercent } from './format.js';
import { exprText } from './normalize.js';
import { formatValue, type Value } from './values.js';

export interface ExpectationResult {
  type: Expectation['type'];
  range: Range;
  /** undefined when it could not be measured (see `message`). */
  passed: boolean | undefined;
  /** Severity of a failure: `warning` with a trailing `warn`. */
  severity: Severity;
  /** What was measured, and what was expected when it failed. */
  message: string;
  /** The measured number (count, share as a fraction, aggregate value). */
  measured?: number;
  /** Finding code when it failed or could not be checked. */
  code?: string;
}

/** Members of this segment related to another segment's: how many, and a few example keys. */
export interface Relation {
  count: number;
  /** Up to 3 keys of such rows, in row order (empty when the dataset has no key to show). */
  exampleKeys(): string[];
}

/** Another segment of the same dataset, as an expectation sees it. */
export type OtherSegmentFacts =
  | { unavailable: string }
  | {
      unavailable?: undefined;
      /** Members of this segment that are also members of the other. */
      both(): Relation;
      /** Members of this segment that are not members of the other. */
      outside(): Relation;
    };

/**
 * What an expectation needs to know about a segment's members. The embedded
 * engine answers from bitsets; a SQL engine from counts it measured beforehand.
 */
export interface MemberFacts {
  segment: string;
  size: number;
  rows: number;
  /** Members for which `expr` is true. */
  countWhere(expr: Expr): number;
  /** `fn(arg)` over the members' non-missing values. */
  aggregate(fn: string, arg: Expr): Value;
  other(name: string): OtherSegmentFacts;
}

const CODES: Record<Expectation['type'], string> = {
  ExpectSize: 'SEG201',
  ExpectShare: 'SEG202',
  ExpectAggregate: 'SEG203',
  ExpectDisjoint: 'SEG204',
  ExpectOverlap: 'SEG205',
  ExpectSubset: 'SEG206',
};

function memberCount(n: number): string {
  return `${formatCount(n)} ${n === 1 ? 'member' : 'members'}`;
}

function examples(relation: Relation): string {
  const keys = relation.exampleKeys();
  return keys.length > 0 ? ` (e.g. ${keys.join(', ')})` : '';
}

export function checkExpectation(exp: Expectation, input: MemberFacts): ExpectationResult | undefined {
  const severity: Severity = exp.warn ? 'warning' : 'error';
  const base = { type: exp.type, range: exp.range, severity };
  const done = (passed: boolean, message: string, measured: number): ExpectationResult => ({
    ...base,
    passed,
    message,
    measured,
    code: passed ? undefined : CODES[exp.type],
  });
  const unmeasurable = (message: string): ExpectationResult => ({
    ...base,
    passed: undefined,
    severity: 'warning',
    message,
    code: 'SEG214',
  });
  const { size, rows } = input;

  switch (exp.type) {
    case 'ExpectSize': {
      if (!exp.bound) return undefined;
      const bound = exp.bound;
      const passed = boundHolds(bound, (q) => (q.type === 'Percent' ? (100 * size) / Math.max(rows, 1) : size));
      const usesPercent = bound.kind === 'between' ? bound.low.type === 'Percent' || bound.high.type === 'Percent' : bound.value.type === 'Percent';
      const measured = usesPercent
        ? `${formatPercent(size / Math.max(rows, 1))} (${formatCount(size)} of ${formatCount(rows)})`
        : `${formatCount(size)} (${formatPercent(size / Math.max(rows, 1))} of ${formatCount(rows)})`;
      return done(passed, `size is ${measured}${passed ? '' : `, expected ${boundText(bound)}`}`, size);
    }
    case 'ExpectShare': {
      if (!exp.bound) return undefined;
      const label = `share(${exprText(exp.expr)})`;
      if (size === 0) return unmeasurable(`${label} cannot be measured: ${input.segment} has no members`);
      const holds = input.countWhere(exp.expr);
      const fraction = holds / size;
      const passed = boundHolds(exp.bound, (q) => (q.type === 'Percent' ? 100 * fraction : holds));
      return done(
        passed,
        `${label} is ${formatPercent(fraction)} (${formatCount(holds)} of ${formatCount(size)} members)${passed ? '' : `, expected ${boundText(exp.bound)}`}`,
        fraction,
      );
    }
    case 'ExpectAggregate': {
      if (!exp.bound) return undefined;
      const label = `${exp.fn.name}(${exprText(exp.arg)})`;
      if (size === 0) return unmeasurable(`${label} cannot be measured: ${input.segment} has no members`);
      const v = input.aggregate(exp.fn.name, exp.arg);
      if (typeof v !== 'number') {
        return unmeasurable(
          v === null
            ? `${label} cannot be measured: no member has a value`
            : `${label} is ${formatValue(v)}, which cannot be compared with numbers`,
        );
      }
      const passed = boundHolds(exp.bound, (q: Quantity) => (q.type === 'Percent' ? 100 * v : v));
      return done(
        passed,
        `${label} over members is ${formatNumber(v)}${passed ? '' : `, expected ${boundText(exp.bound)}`}`,
        v,
      );
    }
    case 'ExpectDisjoint':
    case 'ExpectSubset':
    case 'ExpectOverlap': {
      if (!exp.segment) return undefined;
      const otherName = exp.segment.name;
      const other = input.other(otherName);
      if (other.unavailable !== undefined) return unmeasurable(`cannot compare with ${otherName}: ${other.unavailable}`);
      if (exp.type === 'ExpectDisjoint') {
        const relation = other.both();
        const both = relation.count;
        const passed = both === 0;
        return done(
          passed,
          passed
            ? `${input.segment} and ${otherName} share no members`
            : `${input.segment} and ${otherName} share ${memberCount(both)}${examples(relation)}, expected disjoint`,
          both,
        );
      }
      if (exp.type === 'ExpectSubset') {
        const relation = other.outside();
        const outside = relation.count;
        const passed = outside === 0;
        return done(
          passed,
          passed
            ? `every member of ${input.segment} is in ${otherName}`
            : `${formatCount(outside)} of ${formatCount(size)} members are not in ${otherName}${examples(relation)}, expected a subset`,
          outside,
        );
      }
      if (!exp.bound) return undefined;
      if (size === 0) return unmeasurable(`overlap with ${otherName} cannot be measured: ${input.segment} has no members`);
      const both = other.both().count;
      const fraction = both / size;
      const passed = boundHolds(exp.bound, (q) => (q.type === 'Percent' ? 100 * fraction : both));
      return done(
        passed,
        `overlap with ${otherName} is ${formatPercent(fraction)} (${formatCount(both)} of ${formatCount(size)} members)${passed ? '' : `, expected ${boundText(exp.bound)}`}`,
        fraction,
      );
    }
  }
}
