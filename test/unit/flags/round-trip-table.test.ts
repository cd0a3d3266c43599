/**
 * The round-trip table: every sample segment exported to each of the five
 * systems and imported back with the dataset's field types (round-trip.ts)
 * has the same members on every sample row, or is refused by a message that
 * names the system and the construct; no imported text is a type error.
 */
import { describe, expect, it } from 'vitest';
import type { FlagSystemName } from '../../../server/src/core/flags/system.js';
import { SYSTEM_TITLES } from '../../../server/src/core/flags/export/index.js';
import { roundTrip, type RoundTripSummary } from './round-trip.js';

const systems: FlagSystemName[] = ['growthbook', 'unleash', 'flagd', 'launchdarkly', 'posthog'];
const rows: string[] = [];

/** Refusals counted by what they name (the message up to its first colon or comma after the system). */
function byConstruct(messages: string[]): string {
  const counts = new Map<string, number>();
  for (const m of messages) {
    const reason = m.replace(/^[^:]*: /, '').replace(/'[^']*'|`[^`]*`|"[^"]*"/g, (q) => (/^`/.test(q) ? q : '…')).slice(0, 90);
    counts.set(reason, (counts.get(reason) ?? 0) + 1);
  }
  return [...counts].map(([reason, n]) => `${n}× ${reason}`).join('; ');
}

describe('round trip of every sample segment through each system', () => {
  it.each(systems)('%s: the same members back, no type errors, every refusal naming its construct', { timeout: 600_000 }, async (system) => {
    const summary: RoundTripSummary = await roundTrip(system);
    const title = SYSTEM_TITLES[system];
    rows.push(`| ${title} | ${summary.same} | ${summary.refusedExport.length} | ${summary.refusedImport.length} | ${summary.untyped.length} | ${summary.different.length} |`);
    if (process.env.SEGSPEC_DEBUG) console.log(`${title} refused on export: ${byConstruct(summary.refusedExport)}\n${title} refused on import: ${byConstruct(summary.refusedImport)}`);
    expect(summary.untyped).toEqual([]);
    expect(summary.different).toEqual([]);
    for (const refusal of [...summary.refusedExport, ...summary.refusedImport]) expect(refusal).toMatch(new RegExp(`: (.* )?${title}\\b`));
    expect(summary.same).toBeGreaterThan(summary.refusedExport.length + summary.refusedImport.length);
    if (rows.length === systems.length) {
      console.log(['| system | same members | refused on export | refused on import | type errors | different |', '|---|---|---|---|---|---|', ...rows].join('\n'));
    }
  });
});
