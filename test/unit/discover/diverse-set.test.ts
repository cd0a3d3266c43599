/**
 * The diverse set returns up to --max rules when distinct useful rules exist
 * (weighted covering keeps finding rules on the re-weighted rows), and never
 * a junk rule: every rule's own target rate is above the overall rate
 * (lift > 1, quality > 0), every two rules overlap by at most half.
 */
import { describe, expect, it } from 'vitest';
import { loadTableFromBytes } from '../../../server/src/core/data/index.js';
import { andCount, emptyBits, popcount, setBit, type Bitset } from '../../../server/src/core/engine/bitset.js';
import { discoverSubgroups } from '../../../server/src/core/discover/index.js';
import type { Table } from '../../../server/src/core/data/table.js';
import { fieldDecls } from '../../bench/engine-stages.js';
import { generateUsersCsvBytes } from '../../bench/gen-users.js';

const table: Table = loadTableFromBytes(generateUsersCsvBytes(8000), 'csv', fieldDecls(), { keyField: 'user_id' }).table!;

function numeric(name: string) {
  const c = table.byName.get(name);
  if (c?.kind !== 'numeric') throw new Error(`no numeric ${name}`);
  return c;
}

/** Three causes, as churn usually has: high value, heavy use, young mobile users. */
function threeCauses(): Bitset {
  const ltv = numeric('ltv_usd');
  const sessions = numeric('sessions_30d');
  const age = numeric('age');
  const device = table.byName.get('device');
  if (device?.kind !== 'dictionary') throw new Error('no device');
  const mobile = device.dictionary.indexOf('mobile');
  const bits = emptyBits(table.rowCount);
  for (let i = 0; i < table.rowCount; i++) {
    if ((ltv.missing[i] === 0 && ltv.values[i] >= 2000) || (sessions.missing[i] === 0 && sessions.values[i] >= 100) || (age.missing[i] === 0 && age.values[i] < 20 && device.codes[i] === mobile)) setBit(bits, i);
  }
  return bits;
}

function run(target: Bitset, max: number) {
  return discoverSubgroups({ table, target, today: 20_634, exclude: new Set(['user_id', 'ltv_usd']), existing: [], options: { max, depth: 3, minSize: Math.ceil(0.01 * table.rowCount), quality: 'wracc', diverse: true } });
}

describe('the diverse rule set', () => {
  const target = threeCauses();
  const result = run(target, 10);

  it('returns the ten rules asked for when distinct ones exist, covering the target', () => {
    expect(result.rules.length).toBe(10);
    const union = emptyBits(table.rowCount);
    for (const r of result.rules) for (let w = 0; w < union.length; w++) union[w] |= r.members[w];
    expect(andCount(union, target) / popcount(target)).toBeGreaterThanOrEqual(0.9);
  });

  it('never proposes a junk rule, nor two rules overlapping by more than half', () => {
    const pairs: number[] = [];
    result.rules.forEach((r, i) => {
      expect(r.lift, r.where).toBeGreaterThan(1);
      expect(r.quality, r.where).toBeGreaterThan(0);
      result.rules.slice(i + 1).forEach((s) => {
        const both = andCount(r.members, s.members);
        pairs.push(both / (r.size + s.size - both));
      });
    });
    expect(Math.max(...pairs)).toBeLessThanOrEqual(0.5);
    expect(pairs.reduce((a, b) => a + b, 0) / pairs.length).toBeLessThanOrEqual(0.3);
  });

  it('keeps to --max', () => {
    expect(run(target, 3).rules.map((r) => r.where)).toEqual(result.rules.slice(0, 3).map((r) => r.where));
  });
});
