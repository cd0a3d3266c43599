/**
 * Calendar arithmetic on whole UTC days (days since 1970-01-01), with SQL's
 * month-end clamping: 2026-03-31 minus 1 month is 2026-02-28.
 */
import type { TimeUnit } from '../syntax/ast.js';

export const MS_PER_DAY = 86_400_000;

export function daysFromIso(iso: string): number | undefined {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso);
  if (!m) return undefined;
  const year = Number(m[1]);
  const month = Number(m[2]);
  const day = Number(m[3]);
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month - 1)) return undefined;
  return Date.UTC(year, month - 1, day) / MS_PER_DAY;
}

export function isoFromDays(days: number): string {
  return new Date(days * MS_PER_DAY).toISOString().slice(0, 10);
}

export function isoFromMs(ms: number): string {
  return new Date(ms).toISOString().replace('.000Z', 'Z');
}

/** Today's date in UTC, as days since the epoch. */
export function currentUtcDays(): number {
  return Math.floor(Date.now() / MS_PER_DAY);
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

/** `days + amount units` (amount may be negative). */
export function addUnits(days: number, amount: number, unit: TimeUnit): number {
  switch (unit) {
    case 'day':
      return days + amount;
    case 'week':
      return days + 7 * amount;
    case 'month':
      return addMonths(days, Math.trunc(amount));
    case 'year':
      return addMonths(days, 12 * Math.trunc(amount));
  }
}
