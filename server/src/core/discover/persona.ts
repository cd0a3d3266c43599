/**
 * Persona drafts (SPEC §13): the real member closest to the segment's
 * typical values — medians for numbers and dates, modes for categories and
 * booleans, items most members have for lists — under the Gower distance
 * over mixed types, and the clauses that most set the segment apart (lift
 * against the whole dataset) as starting points for goals and pains.
 */
import type { Column, Table } from '../data/table.js';
import { andCount, hasBit, popcount, type Bitset } from '../engine/bitset.js';
import { isoFromDays, isoFromMs } from '../engine/dates.js';
import { unreachable } from '../util/unreachable.js';
import { allRows, candidateClauses, numberText, stringLiteral, usableFieldName } from './clauses.js';
import { sampleBits } from './rule.js';

export interface Distinguishing {
  /** The clause, e.g. `plan == "pro"`. */
  text: string;
  /** Share of the segment's members where it holds. */
  inSegment: number;
  /** Share of all rows where it holds. */
  overall: number;
  lift: number;
}

export interface PersonaDraft {
  /** The member row chosen as the profile. */
  row: number;
  /** Its Gower distance to the typical values (0 = typical on every field). */
  distance: number;
  /** `{ field: value, … }` in segspec, the fields in table order. */
  profile: string;
  distinguishing: Distinguishing[];
}

export interface PersonaOptions {
  /** Reference date, days since the epoch. */
  today: number;
  /** Fields the segment's rule uses: always in the profile. */
  ruleFields: ReadonlySet<string>;
  /** Fields never shown (the key). */
  exclude: ReadonlySet<string>;
  /** Most fields in the profile (default 16; the rule's fields always count). */
  maxFields?: number;
}

type Feature = (row: number) => number;

export function draftPersona(table: Table, members: Bitset, options: PersonaOptions): PersonaDraft | undefined {
  const size = popcount(members);
  if (size === 0) return undefined;
  const columns = table.columns.filter((c) => !options.exclude.has(c.name) && usableFieldName(c.name) && (options.ruleFields.has(c.name) || descriptive(c, table.rowCount)));
  const features = columns.map((c) => distanceTo(c, members, table.rowCount)).filter((f): f is Feature => f !== undefined);
  let best = -1;
  let bestDistance = Infinity;
  for (let w = 0; w < members.length; w++) {
    let word = members[w];
    while (word !== 0) {
      const low = word & -word;
      const row = (w << 5) + (31 - Math.clz32(low));
      word ^= low;
      let d = 0;
      for (const f of features) d += f(row);
      if (d < bestDistance) {
        bestDistance = d;
        best = row;
      }
    }
  }
  const distinguishing = distinguishingClauses(table, members, size, options);
  const wanted = new Set<string>(options.ruleFields);
  for (const d of distinguishing) wanted.add(d.text.split(' ')[0]);
  for (const c of columns) if (wanted.size < (options.maxFields ?? 16)) wanted.add(c.name);
  const entries = columns.filter((c) => wanted.has(c.name)).map((c) => [c.name, literal(c, best)] as const).filter(([, v]) => v !== undefined);
  return {
    row: best,
    distance: features.length ? bestDistance / features.length : 0,
    profile: `{ ${entries.map(([k, v]) => `${k}: ${v}`).join(', ')} }`,
    distinguishing,
  };
}

/** Not an identifier-like text column (most values distinct), nor a list of numbers. */
function descriptive(c: Column, rows: number): boolean {
  if (c.kind === 'integerList') return false;
  if (c.kind === 'dictionary' && c.type === 'string') return c.dictionary.length <= Math.max(50, 0.2 * rows);
  return true;
}

/** The per-row Gower distance on one field to the members' typical value (missing: 1). */
function distanceTo(c: Column, members: Bitset, rows: number): Feature | undefined {
  switch (c.kind) {
    case 'numeric': {
      const values: number[] = [];
      let min = Infinity;
      let max = -Infinity;
      for (let r = 0; r < rows; r++) {
        if (c.missing[r] === 1) continue;
        min = Math.min(min, c.values[r]);
        max = Math.max(max, c.values[r]);
        if (hasBit(members, r)) values.push(c.values[r]);
      }
      if (values.length === 0) return undefined;
      const sorted = Float64Array.from(values).sort();
      const median = sorted[Math.floor((sorted.length - 1) / 2)];
      const range = max - min;
      return (r) => (c.missing[r] === 1 ? 1 : range === 0 ? 0 : Math.abs(c.values[r] - median) / range);
    }
    case 'dictionary': {
      const mode = modeOf(rows, members, (r) => c.codes[r]);
      return (r) => (c.codes[r] === mode ? 0 : 1);
    }
    case 'boolean': {
      const mode = modeOf(rows, members, (r) => (c.missing[r] === 1 ? -1 : c.values[r]));
      return (r) => (c.missing[r] === 1 ? 1 : c.values[r] === mode ? 0 : 1);
    }
    case 'stringList': {
      const counts = new Map<number, number>();
      let n = 0;
      forEachMember(members, rows, (r) => {
        if (c.missing[r] === 1) return;
        n++;
        for (const code of new Set(c.itemCodes.subarray(c.offsets[r], c.offsets[r + 1]))) counts.set(code, (counts.get(code) ?? 0) + 1);
      });
      const typical = new Set([...counts].filter(([, k]) => k * 2 >= n).map(([code]) => code));
      return (r) => {
        if (c.missing[r] === 1) return 1;
        const items = new Set(c.itemCodes.subarray(c.offsets[r], c.offsets[r + 1]));
        let both = 0;
        for (const i of items) if (typical.has(i)) both++;
        const union = items.size + typical.size - both;
        return union === 0 ? 0 : 1 - both / union;
      };
    }
    case 'integerList':
      return undefined;
    default:
      return unreachable(c);
  }
}

function forEachMember(members: Bitset, rows: number, fn: (row: number) => void): void {
  for (let w = 0; w < members.length; w++) {
    let word = members[w];
    while (word !== 0) {
      const low = word & -word;
      const r = (w << 5) + (31 - Math.clz32(low));
      word ^= low;
      if (r < rows) fn(r);
    }
  }
}

/** The most frequent non-negative code among members (-1 = missing never wins). */
function modeOf(rows: number, members: Bitset, code: (row: number) => number): number {
  const counts = new Map<number, number>();
  forEachMember(members, rows, (r) => {
    const k = code(r);
    if (k >= 0) counts.set(k, (counts.get(k) ?? 0) + 1);
  });
  let best = -1;
  let most = 0;
  for (const [k, n] of counts) if (n > most || (n === most && k < best)) [best, most] = [k, n];
  return best;
}

/** The row's value as a segspec literal; undefined when missing. */
function literal(c: Column, row: number): string | undefined {
  if (c.missing[row] === 1) return undefined;
  switch (c.kind) {
    case 'numeric':
      return c.type === 'date' ? isoFromDays(c.values[row]) : c.type === 'datetime' ? isoFromMs(c.values[row]) : exactNumberText(c.values[row]);
    case 'dictionary':
      return c.codes[row] < 0 ? undefined : stringLiteral(c.dictionary[c.codes[row]]);
    case 'boolean':
      return c.values[row] === 1 ? 'true' : 'false';
    case 'stringList':
      return `[${Array.from(c.itemCodes.subarray(c.offsets[row], c.offsets[row + 1]), (code) => stringLiteral(c.dictionary[code])).join(', ')}]`;
    case 'integerList':
      return `[${Array.from(c.itemValues.subarray(c.offsets[row], c.offsets[row + 1]), (v) => numberText(v)).join(', ')}]`;
    default:
      return unreachable(c);
  }
}

/** The shortest text that reads back as exactly this number. */
function exactNumberText(v: number): string {
  const s = String(v);
  return /e/i.test(s) ? numberText(v) : s;
}

/** The clauses (one per field, not the rule's own fields) with the largest lift that hold for at least a quarter of the members. */
function distinguishingClauses(table: Table, members: Bitset, size: number, options: PersonaOptions): Distinguishing[] {
  const rows = allRows(table.rowCount);
  const clauses = candidateClauses(table, { rows, minCount: Math.max(1, Math.ceil(0.01 * table.rowCount)), today: options.today, exclude: new Set([...options.exclude, ...options.ruleFields]) });
  const byField = new Map<string, Distinguishing>();
  for (const c of clauses) {
    const bits = sampleBits(c.holds, rows);
    const inSegment = andCount(bits, members) / size;
    const overall = popcount(bits) / table.rowCount;
    const lift = overall === 0 ? 0 : inSegment / overall;
    if (inSegment < 0.25 || lift < 1.2) continue;
    const previous = byField.get(c.field);
    if (!previous || lift > previous.lift) byField.set(c.field, { text: c.text, inSegment, overall, lift });
  }
  return [...byField.values()].sort((a, b) => b.lift - a.lift).slice(0, 5);
}
