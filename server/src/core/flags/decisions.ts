/**
 * A flag's decision on every row of a dataset, and what it means for the
 * segment the flag is for: reach (members who get it) and leak (rows outside
 * who get it, by the rule that let them in).
 *
 * Decisions are kept apart from membership so that an edit to the segment's
 * rule re-measures reach and leak without evaluating the flag again.
 */
import type { Table } from '../data/table.js';
import { emptyBits, hasBit, setBit, type Bitset } from '../engine/bitset.js';
import { rowKey, type ContextMapping } from './context.js';
import { nonAsciiIdentity, rowDecider } from './row-decider.js';
import type { FlagFileLocation, LoadedFlagFile } from './system.js';

export interface FlagDecisions {
  rows: number;
  /** Rows that get the flag. */
  on: Bitset;
  onCount: number;
  /** Rows the system's evaluation could not decide (a construct Segspec cannot evaluate). */
  undecided: number;
  /** For each row that gets the flag, the index of its rule in `rules`; -1 elsewhere. */
  ruleOf: Int32Array;
  rules: Array<{ rule: string; location?: FlagFileLocation }>;
  /** Identities with characters outside ASCII (the SDKs of some systems hash them differently). */
  nonAsciiIdentities: number;
}

/** Rows decided between two steps of `decideRowsInSteps`. */
const ROWS_PER_STEP = 4096;

/** The flag's decision on every row, in steps of a few thousand rows (see `runInSlices`). */
export function* decideRowsInSteps(file: LoadedFlagFile, flagKey: string, table: Table, mapping: ContextMapping): Generator<void, FlagDecisions> {
  const rows = table.rowCount;
  const on = emptyBits(rows);
  const ruleOf = new Int32Array(rows).fill(-1);
  const rules: FlagDecisions['rules'] = [];
  const ruleIndex = new Map<string, number>();
  let onCount = 0;
  let undecided = 0;
  let nonAsciiIdentities = 0;
  const decide = rowDecider(file, flagKey, table, mapping);
  const nonAscii = nonAsciiIdentity(table, mapping);
  for (let row = 0; row < rows; row++) {
    if (row % ROWS_PER_STEP === ROWS_PER_STEP - 1) yield;
    if (nonAscii(row)) nonAsciiIdentities++;
    const decision = decide(row);
    if (!decision) {
      undecided++;
      continue;
    }
    if (!decision.on) continue;
    setBit(on, row);
    onCount++;
    let index = ruleIndex.get(decision.rule);
    if (index === undefined) {
      index = rules.length;
      ruleIndex.set(decision.rule, index);
      rules.push({ rule: decision.rule, location: decision.location });
    }
    ruleOf[row] = index;
  }
  return { rows, on, onCount, undecided, ruleOf, rules, nonAsciiIdentities };
}

export interface LeakByRule {
  rule: string;
  location?: FlagFileLocation;
  count: number;
  /** Up to 5 keys, in row order. */
  exampleKeys: string[];
}

export interface FlagMeasures {
  /** Members of the `for` segment(s). */
  members: number;
  /** Members who get the flag. */
  reached: number;
  /** reached / members; undefined when the segment has no members. */
  reach: number | undefined;
  /** Rows outside the segment(s). */
  outside: number;
  /** Rows outside who get the flag. */
  leak: number;
  /** leak / outside; undefined when no row is outside. */
  leakShare: number | undefined;
  leakByRule: LeakByRule[];
}

const EXAMPLE_KEYS = 5;

export function measure(decisions: FlagDecisions, members: Bitset, memberCount: number, table: Table, keyField: string | undefined): FlagMeasures {
  let reached = 0;
  const byRule = new Map<number, LeakByRule>();
  for (let row = 0; row < decisions.rows; row++) {
    if (!hasBit(decisions.on, row)) continue;
    if (hasBit(members, row)) {
      reached++;
      continue;
    }
    const index = decisions.ruleOf[row];
    let entry = byRule.get(index);
    if (!entry) {
      const rule = decisions.rules[index];
      entry = { rule: rule.rule, location: rule.location, count: 0, exampleKeys: [] };
      byRule.set(index, entry);
    }
    entry.count++;
    if (entry.exampleKeys.length < EXAMPLE_KEYS) entry.exampleKeys.push(rowKey(table, row, keyField));
  }
  const leakByRule = [...byRule.values()].sort((a, b) => b.count - a.count);
  const leak = leakByRule.reduce((sum, r) => sum + r.count, 0);
  const outside = decisions.rows - memberCount;
  return {
    members: memberCount,
    reached,
    reach: memberCount > 0 ? reached / memberCount : undefined,
    outside,
    leak,
    leakShare: outside > 0 ? leak / outside : undefined,
    leakByRule,
  };
}
