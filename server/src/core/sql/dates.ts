/**
 * Boundary dates for relative date expressions, computed here so that the
 * SQL carries plain literals (the most portable form). Arithmetic is on whole
 * UTC days; months clamp to the month's end as SQL interval arithmetic does
 * (2026-03-31 minus 1 month is 2026-02-28).
 */
import type { TimeUnit } from '../syntax/ast.js';

export const MS_PER_DAY = 86_400_000;

export function daysFromIso(iso: string): number | undefined {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso);
  if (!m) return undefined;
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month - 1)) return undefined;
  return Date.UTC(year, month - 1, day) / MS_PER_DAY;
}

export function isoFromDays(days: number): string {
  return new Date(days * MS_PER_DAY).toISOString().slice(0, 10);
}

/** `YYYY-MM-DD HH:MM:SS[.mmm]` in UTC, the body of a TIMESTAMP literal. */
export function timestampText(ms: number): string {
  const iso = new Date(ms).toISOString();
  const millis = iso.slice(20, 23);
  return `${iso.slice(0, 10)} ${iso.slice(11, 19)}${millis === '000' ? '' : `.${millis}`}`;
}

function daysInMonth(year: number, monthIndex: number): number {
  return new Date(Date.UTC(year, monthIndex + 1, 0)).getUTCDate();
}

function addMonths(days: number, months: number): number {
  const d = new Date(days * MS_PER_DAY);
  const total = d.getUTCFullYear() * 12 + d.getUTCMonth() + months;
  const year = Math.floor(total / 12);
  const monthIndex = total - year * 12;
  const day = Math.min(d.getUTCDate(), daysInMonth(year, monthIndex));
  return Date.UTC(year, monthIndex, day) / MS_PER_DAY;
}

/**
 * `instant - amount units`, where the instant is a whole day (a midnight) given
 * in days. Returns milliseconds; days and weeks may be fractional.
 */
export function subtractUnits(days: number, amount: number, unit: TimeUnit): number {
  switch (unit) {
    case 'day':
      return Math.round((days - amount) * MS_PER_DAY);
    case 'week':
      return Math.round((days - 7 * amount) * MS_PER_DAY);
    case 'month':
      return addMonths(days, -Math.trunc(amount)) * MS_PER_DAY;
    case 'year':
      return addMonths(days, -12 * Math.trunc(amount)) * MS_PER_DAY;
  }
}
