/**
 * Boundary dates for relative date expressions, computed here so that the
 * SQL carries plain literals (the most portable form). Arithmetic is on whole
 * UTC days; months clamp to the month's end as SQL interval arithmetic does
 * (2026-03-31 minus 1 month is 2026-02-28).
 */
import type { TimeUnit } from '../syntax/ast.js';
import { MS_PER_DAY, addUnits } from '../engine/dates.js';

export { MS_PER_DAY, daysFromIso, isoFromDays } from '../engine/dates.js';

/** `YYYY-MM-DD HH:MM:SS[.mmm]` in UTC, the body of a TIMESTAMP literal. */
export function timestampText(ms: number): string {
  const iso = new Date(ms).toISOString();
  const millis = iso.slice(20, 23);
  return `${iso.slice(0, 10)} ${iso.slice(11, 19)}${millis === '000' ? '' : `.${millis}`}`;
}

/**
 * `instant - amount units`, where the instant is a whole day (a midnight) given
 * in days. Returns milliseconds; days and weeks may be fractional.
 */
export function subtractUnits(days: number, amount: number, unit: TimeUnit): number {
  return Math.round(addUnits(days, -amount, unit) * MS_PER_DAY);
}
