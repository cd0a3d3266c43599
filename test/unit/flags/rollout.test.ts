/**
 * Rollouts: a segment exported with `--rollout N%` and loaded into each
 * system's SDK is on for exactly the members that `inRollout` (our bucketing)
 * lets in, row by row, at 0, 1, 12.5, 50, 99 and 100% — keys with non-ASCII
 * characters included.
 */
import { describe, expect, it } from 'vitest';
import { hasBit } from '../../../server/src/core/engine/index.js';
import { ExportRefusal, exportSegment, flagContextOf } from '../../../server/src/core/flags/export/index.js';
import { inRollout } from '../../../server/src/core/flags/rollout.js';
import type { FlagSystemName } from '../../../server/src/core/flags/system.js';
import { Workspace } from '../../../server/src/core/workspace.js';
import { oracleFor } from './sdk-oracles.js';
import { memoryHost } from './workspaces.js';

const PERCENTS = [0, 1, 12.5, 50, 99, 100];
const ROWS = 2000;
const SPECIAL_KEYS = ['søren', 'łódź-日本', 'Ünïcødé', '3', 'user 7', 'ab'.repeat(40)];

function workspace(): Record<string, string> {
  const lines = ['user_id,n'];
  for (let i = 0; i < ROWS; i++) lines.push(`${i < SPECIAL_KEYS.length ? SPECIAL_KEYS[i] : `user-${i}`},${i}`);
  return {
    '/ws/spec.segspec': `dataset users { source "users.csv" key user_id fields { user_id: string, n: integer } }
segment most { where n >= 100 or n < 6 }
`,
    '/ws/users.csv': `${lines.join('\n')}\n`,
  };
}

const cases: Array<[FlagSystemName, { seed?: string; salt?: string }]> = [
  ['growthbook', {}],
  ['growthbook', { seed: 'launch-2026' }],
  ['unleash', {}],
  ['unleash', { seed: 'group-7' }],
  ['flagd', {}],
  ['launchdarkly', {}],
  ['launchdarkly', { salt: 'pepper' }],
  ['launchdarkly', { seed: '61' }],
  ['posthog', {}],
];

describe.each(cases)('rollout on %s %o', (system, options) => {
  it('equals the SDK row by row at 0, 1, 12.5, 50, 99 and 100%', { timeout: 120_000 }, async () => {
    const analysis = await new Workspace(memoryHost(workspace()), '/ws').analyze();
    const table = analysis.data.get('users')!.table!;
    const members = analysis.results.segments.get('most')!.members!;
    let checked = 0;
    for (const percent of PERCENTS) {
      let out;
      try {
        out = exportSegment({ model: analysis.model, segment: 'most', system, table, flagKey: 'smart-reschedule', rolloutPercent: percent, ...options });
      } catch (e) {
        // Unleash rolls out in whole percents.
        expect(system === 'unleash' && !Number.isInteger(percent), (e as Error).message).toBe(true);
        expect(e).toBeInstanceOf(ExportRefusal);
        continue;
      }
      const contexts = Array.from({ length: table.rowCount }, (_, row) =>
        flagContextOf(table, row, out.attributes, { attribute: out.identityAttribute, keyField: out.keyField }),
      );
      const oracle = await oracleFor(system, out.document, out.flagKey);
      const decisions = await oracle.decide(contexts);
      await oracle.close();
      const ours = contexts.map((ctx, row) => hasBit(members, row) && inRollout({ system, flagKey: 'smart-reschedule', percent, ...options }, String(ctx[out.identityAttribute])));
      const differing = decisions.flatMap((on, row) => (on === ours[row] ? [] : [`${String(contexts[row][out.identityAttribute])}: SDK ${on}`]));
      expect(differing, `${percent}%`).toEqual([]);
      const on = ours.filter(Boolean).length;
      if (percent === 0) expect(on).toBe(0);
      if (percent === 100) expect(on).toBe(analysis.results.segments.get('most')!.size);
      if (percent === 50) expect(Math.abs(on / analysis.results.segments.get('most')!.size - 0.5)).toBeLessThan(0.05);
      checked++;
    }
    expect(checked).toBeGreaterThanOrEqual(5);
  });
});
