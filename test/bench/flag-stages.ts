/**
 * Flag figures (SPEC §12, issue 13): who gets a GrowthBook feature on every
 * row of the users table, decided by Segspec's evaluator and, in the same
 * run, by GrowthBook's own server SDK (GrowthBookClient.isOn per row, the
 * way a backend evaluates users). Two features: one that targets by
 * attributes only (decided once per distinct combination of what it reads)
 * and a 50% rollout (hashed per row). The counts must be equal.
 */
import { GrowthBookClient, type FeatureApiResponse } from '@growthbook/growthbook';
import type { Table } from '../../server/src/core/data/table.js';
import { rowContext, type ContextMapping } from '../../server/src/core/flags/context.js';
import { decideRowsInSteps } from '../../server/src/core/flags/decisions.js';
import { flagSystem } from '../../server/src/core/flags/systems/index.js';
import { runToEnd } from '../../server/src/core/util/slices.js';
import { usersTableFrom } from './discover-stages.js';
import { formatFigure, median, progress, type BenchContext } from './harness.js';

const payload = {
  features: {
    targeted: { defaultValue: false, rules: [{ condition: { plan: { $in: ['pro', 'team'] }, age: { $lt: 30 }, country: { $ne: 'US' } }, force: true }] },
    rollout: { defaultValue: false, rules: [{ condition: { plan: { $in: ['pro', 'team'] } }, coverage: 0.5, hashAttribute: 'id', force: true }] },
  },
} satisfies FeatureApiResponse;

const mapping: ContextMapping = {
  attributes: new Map([
    ['plan', 'plan'],
    ['age', 'age'],
    ['country', 'country'],
    ['device', 'device'],
    ['sessions', 'sessions_30d'],
  ]),
  identity: { attribute: 'id', field: 'user_id' },
};

function timed<T>(runs: number, work: () => T): { ms: number; result: T } {
  const times: number[] = [];
  let result: T | undefined;
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    result = work();
    times.push(performance.now() - start);
  }
  return { ms: median(times), result: result as T };
}

/** Prints the figures; false when a count differs from the SDK's. */
export async function printFlagFigures(ctx: BenchContext): Promise<boolean> {
  const table = (ctx.state.get('table') as Table | undefined) ?? usersTableFrom(ctx);
  const rows = table.rowCount;
  const file = flagSystem('growthbook').read(JSON.stringify(payload));
  const client = new GrowthBookClient({});
  await client.setPayload(payload);
  const label = rows >= 1_000_000 ? `${rows / 1_000_000}M` : rows.toLocaleString('en-US');
  let agree = true;
  for (const key of Object.keys(payload.features)) {
    progress(`flags: ${key}, ours`);
    const ours = timed(3, () => runToEnd(decideRowsInSteps(file, key, table, mapping)));
    progress(`flags: ${key}, GrowthBook SDK`);
    const sdk = timed(1, () => {
      let on = 0;
      for (let row = 0; row < rows; row++) if (client.isOn(key, { attributes: { ...rowContext(table, row, mapping) } })) on++;
      return on;
    });
    console.log(formatFigure({ name: `flag decisions, ${label} rows, ${key} [growthbook]`, value: ours.ms, unit: 'ms', ratio: ours.ms / sdk.ms }));
    console.log(formatFigure({ name: `flag decisions, ${label} rows, ${key} [GrowthBook SDK]`, value: sdk.ms, unit: 'ms' }));
    if (ours.result.onCount !== sdk.result) {
      console.log(`mismatch: flag ${key} is on for ${ours.result.onCount} rows by Segspec and ${sdk.result} by the GrowthBook SDK`);
      agree = false;
    }
  }
  return agree;
}
