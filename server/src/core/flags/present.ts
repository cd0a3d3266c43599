/** How a flag's result reads in a lens, a hover, the CLI and the report. */
import { formatCount, formatPercent } from '../engine/format.js';
import type { FlagResult } from './analyze.js';

/** `GrowthBook smart-reschedule` (what is known of it). */
export function flagLabel(result: FlagResult): string {
  return [result.systemTitle ?? result.system, result.key].filter((p) => p !== undefined).join(' ') || result.name;
}

/**
 * `GrowthBook smart-reschedule · 1,412 users · 98.0% of students · 44 outside`,
 * or the reason why nothing can be said. `count` words a number of rows.
 */
export function flagHeadline(result: FlagResult, count: (n: number) => string = (n) => `${formatCount(n)} rows`): string {
  const parts = [flagLabel(result)];
  if (result.on !== undefined) parts.push(count(result.on));
  const m = result.measures;
  if (m) {
    const forText = result.forSegments.join(' or ');
    parts.push(m.reach === undefined ? `${forText} has no members` : `${formatPercent(m.reach)} of ${forText}`);
    parts.push(`${formatCount(m.leak)} outside`);
  }
  if (result.unavailable) parts.push(`unavailable: ${result.unavailable}`);
  return parts.join(' · ');
}
