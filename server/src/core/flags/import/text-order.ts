/**
 * Tests that flag systems make on the TEXT of a date or date-time (the
 * context carries a date as `YYYY-MM-DD` and a date-time as
 * `Date.prototype.toISOString` writes it, context.ts), written as what
 * Segspec compares: ranges of dates or instants. Both texts have a fixed
 * width for the years 0000–9999, so text order is time order and the values
 * whose text starts with a prefix, or sorts before a text, are one range.
 */
import { all, type Condition, type ExportValue, type OrderOp, type Subject } from '../export/condition.js';
import { unreachable } from '../../util/unreachable.js';

export type TemporalType = 'date' | 'datetime';

const DAY_MS = 86_400_000;
const FIRST_MS = Date.parse('0000-01-01T00:00:00.000Z');
const LAST_MS = Date.parse('9999-12-31T23:59:59.999Z');

interface Scale {
  first: number;
  last: number;
  text(v: number): string;
  value(v: number): ExportValue;
}

const SCALES: Record<TemporalType, Scale> = {
  date: {
    first: FIRST_MS / DAY_MS,
    last: Math.floor(LAST_MS / DAY_MS),
    text: (day) => new Date(day * DAY_MS).toISOString().slice(0, 10),
    value: (day) => ({ type: 'date', value: new Date(day * DAY_MS).toISOString().slice(0, 10) }),
  },
  datetime: {
    first: FIRST_MS,
    last: LAST_MS,
    text: (ms) => new Date(ms).toISOString(),
    value: (ms) => ({ type: 'datetime', value: new Date(ms).toISOString(), ms }),
  },
};

/** The first value whose text is at least `text` (`strict`: greater than it); `last + 1` when none. */
function firstFrom(scale: Scale, text: string, strict = false): number {
  let lo = scale.first;
  let hi = scale.last + 1;
  while (lo < hi) {
    const mid = Math.floor((lo + hi) / 2);
    const t = scale.text(mid);
    if (strict ? t > text : t >= text) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

/** The values in [from, until) of the scale, as a condition on a present attribute. */
function range(scale: Scale, subject: Subject, from: number, until: number): Condition {
  if (from >= until) return { kind: 'constant', value: false };
  const bounds: Condition[] = [];
  if (from > scale.first) bounds.push({ kind: 'order', subject, op: '>=', value: scale.value(from) });
  if (until <= scale.last) bounds.push({ kind: 'order', subject, op: '<', value: scale.value(until) });
  return bounds.length === 0 ? { kind: 'present', subject, negated: false } : all(bounds);
}

/** The value's text is `text` exactly; undefined when no value has that text. */
export function temporalOfText(type: TemporalType, text: string): ExportValue | undefined {
  const scale = SCALES[type];
  const v = firstFrom(scale, text);
  return v <= scale.last && scale.text(v) === text ? scale.value(v) : undefined;
}

/** The values whose text starts with `prefix`. */
export function textStartsWith(type: TemporalType, subject: Subject, prefix: string): Condition {
  if (prefix === '') return { kind: 'present', subject, negated: false };
  const scale = SCALES[type];
  const past = prefix.slice(0, -1) + String.fromCharCode(prefix.charCodeAt(prefix.length - 1) + 1);
  return range(scale, subject, firstFrom(scale, prefix), firstFrom(scale, past));
}

/** The values whose text `t` satisfies `t op text` (JavaScript's string order, UTF-16 units). */
export function textOrder(type: TemporalType, subject: Subject, op: OrderOp, text: string): Condition {
  const scale = SCALES[type];
  const end = scale.last + 1;
  switch (op) {
    case '<':
      return range(scale, subject, scale.first, firstFrom(scale, text));
    case '<=':
      return range(scale, subject, scale.first, firstFrom(scale, text, true));
    case '>':
      return range(scale, subject, firstFrom(scale, text, true), end);
    case '>=':
      return range(scale, subject, firstFrom(scale, text), end);
    default:
      return unreachable(op);
  }
}
