/**
 * Run-time values of expressions, and the comparison rules both evaluators
 * share. `null` is a missing value.
 */
import { compareSemver } from './semver.js';
import { MS_PER_DAY, daysFromIso, isoFromDays, isoFromMs } from './dates.js';

export interface DateValue {
  kind: 'date';
  days: number;
}
export interface InstantValue {
  kind: 'instant';
  ms: number;
}
export interface SemverValue {
  kind: 'semver';
  text: string;
}
/** `N units ago`: a date next to a date, an instant next to a date-time. */
export interface RelativeValue {
  kind: 'relative';
  days: number;
  ms: number;
}

export type Scalar = number | string | boolean | DateValue | InstantValue | SemverValue | RelativeValue;
export type Value = Scalar | Scalar[] | null;
/** Three-valued truth: null is unknown. */
export type Truth = boolean | null;

export function dateValue(days: number): DateValue {
  return { kind: 'date', days };
}
export function instantValue(ms: number): InstantValue {
  return { kind: 'instant', ms };
}
export function semverValue(text: string): SemverValue {
  return { kind: 'semver', text };
}

function parseInstant(text: string): number | undefined {
  if (!/^\d{4}-\d{2}-\d{2}T/.test(text)) return undefined;
  const withZone = /(Z|[+-]\d{2}:?\d{2})$/.test(text) ? text : `${text}Z`;
  const ms = Date.parse(withZone);
  return Number.isNaN(ms) ? undefined : ms;
}

/** A temporal value as an instant (dates start at their midnight). */
function asInstant(v: Scalar): number | undefined {
  if (typeof v === 'string') {
    const days = daysFromIso(v);
    return days !== undefined ? days * MS_PER_DAY : parseInstant(v);
  }
  if (typeof v !== 'object') return undefined;
  if (v.kind === 'date') return v.days * MS_PER_DAY;
  if (v.kind === 'instant' || v.kind === 'relative') return v.ms;
  return undefined;
}

function isTemporal(v: Scalar): v is DateValue | InstantValue | RelativeValue {
  return typeof v === 'object' && v.kind !== 'semver';
}

function sign(n: number): number {
  return n < 0 ? -1 : n > 0 ? 1 : 0;
}

/**
 * Orders two non-missing values: negative, zero or positive; undefined when
 * they cannot be compared (a comparison then is unknown, like a type error).
 */
export function compareScalars(a: Scalar, b: Scalar): number | undefined {
  if (typeof a === 'number' && typeof b === 'number') {
    return Number.isNaN(a) || Number.isNaN(b) ? undefined : sign(a - b);
  }
  if (typeof a === 'string' && typeof b === 'string') return a < b ? -1 : a > b ? 1 : 0;
  if (typeof a === 'boolean' && typeof b === 'boolean') return Number(a) - Number(b);
  if (typeof a === 'object' && a.kind === 'semver') {
    if (typeof b === 'string') return mapSign(compareSemver(a.text, b));
    if (typeof b === 'object' && b.kind === 'semver') return mapSign(compareSemver(a.text, b.text));
    return undefined;
  }
  if (typeof b === 'object' && b.kind === 'semver') {
    const flipped = compareScalars(b, a);
    return flipped === undefined ? undefined : -flipped;
  }
  if ((typeof a === 'object' && isTemporal(a)) || (typeof b === 'object' && isTemporal(b))) {
    // A date next to a date or `N units ago` compares as dates.
    if (typeof a === 'object' && typeof b === 'object') {
      if (a.kind === 'date' && (b.kind === 'date' || b.kind === 'relative')) return sign(a.days - b.days);
      if (a.kind === 'relative' && b.kind === 'date') return sign(a.days - b.days);
    }
    if (typeof a === 'object' && a.kind === 'date' && typeof b === 'string') {
      const days = daysFromIso(b);
      if (days !== undefined) return sign(a.days - days);
    }
    if (typeof b === 'object' && b.kind === 'date' && typeof a === 'string') {
      const days = daysFromIso(a);
      if (days !== undefined) return sign(days - b.days);
    }
    const x = asInstant(a);
    const y = asInstant(b);
    return x === undefined || y === undefined ? undefined : sign(x - y);
  }
  return undefined;
}

function mapSign(n: number | undefined): number | undefined {
  return n === undefined ? undefined : sign(n);
}

export function scalarEquals(a: Scalar, b: Scalar): Truth {
  const c = compareScalars(a, b);
  return c === undefined ? null : c === 0;
}

export function isScalar(v: Value): v is Scalar {
  return v !== null && !Array.isArray(v);
}

/** Text form for explanations and messages: strings quoted, dates in ISO. */
export function formatValue(v: Value): string {
  if (v === null) return 'missing';
  if (Array.isArray(v)) return `[${v.map((x) => formatValue(x)).join(', ')}]`;
  if (typeof v === 'string') return JSON.stringify(v);
  if (typeof v === 'number') return Number.isInteger(v) ? String(v) : String(Math.round(v * 1e6) / 1e6);
  if (typeof v === 'boolean') return String(v);
  switch (v.kind) {
    case 'date':
      return isoFromDays(v.days);
    case 'instant':
      return isoFromMs(v.ms);
    case 'semver':
      return JSON.stringify(v.text);
    case 'relative':
      return isoFromDays(v.days);
  }
}
