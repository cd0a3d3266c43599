/**
 * A discovered rule: a conjunction of candidate clauses, with its text as a
 * person would write it (a lower and an upper bound on one field become
 * `between` when the field holds integers) and its members on any rows.
 */
import { emptyBits, fullBits, type Bitset } from '../engine/bitset.js';
import { numberText, type Clause } from './clauses.js';

/** The rule's `where` text: clauses in the order given, bounds of one field merged. */
export function ruleText(clauses: readonly Clause[]): string {
  const parts: string[] = [];
  const done = new Set<Clause>();
  for (const c of clauses) {
    if (done.has(c)) continue;
    done.add(c);
    if (c.slot === 'lower' || c.slot === 'upper') {
      const other = clauses.find((o) => o !== c && o.field === c.field && o.slot === (c.slot === 'lower' ? 'upper' : 'lower'));
      if (other) {
        done.add(other);
        const [lower, upper] = c.slot === 'lower' ? [c, other] : [other, c];
        parts.push(
          lower.integer && upper.bound !== undefined && lower.bound !== undefined && Number.isInteger(upper.bound)
            ? `${c.field} between ${numberText(lower.bound)} and ${numberText(upper.bound - 1)}`
            : `${lower.text} and ${upper.text}`,
        );
        continue;
      }
    }
    parts.push(c.text);
  }
  return parts.join(' and ');
}

/** Rows (of all `rowCount` rows) where every clause holds. */
export function ruleMembers(clauses: readonly Clause[], rowCount: number): Bitset {
  const bits = emptyBits(rowCount);
  for (let r = 0; r < rowCount; r++) {
    let ok = true;
    for (const c of clauses) {
      if (!c.holds(r)) {
        ok = false;
        break;
      }
    }
    if (ok) bits[r >>> 5] |= 1 << (r & 31);
  }
  return bits;
}

/**
 * The rule's members from its clauses' bits, when those were judged on
 * every row of the table (no sample): the same rows as `ruleMembers`,
 * word by word instead of clause by clause per row.
 */
export function judgedMembers(clauses: readonly Clause[], rowCount: number): Bitset {
  const bits = fullBits(rowCount);
  for (const c of clauses) {
    const own = c.bits;
    if (!own || own.length !== bits.length) return ruleMembers(clauses, rowCount);
    for (let w = 0; w < bits.length; w++) bits[w] &= own[w];
  }
  return bits;
}

/** Bits over sample rows: bit i is row `rows[i]`. */
export function sampleBits(holds: (row: number) => boolean, rows: Int32Array): Bitset {
  const bits = emptyBits(rows.length);
  for (let i = 0; i < rows.length; i++) if (holds(rows[i])) bits[i >>> 5] |= 1 << (i & 31);
  return bits;
}
