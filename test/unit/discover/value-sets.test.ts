/**
 * `in [...]` clauses (SPEC §13: "`==`/`in` on enum fields"): a set of values
 * as one condition on the field, the prefixes of the values ordered by target
 * rate, so that the search finds the set that best separates the target; a
 * missing value is in no set (SPEC §5.3).
 */
import { describe, expect, it } from 'vitest';
import { candidateClauses } from '../../../server/src/core/discover/clauses.js';
import { discoverSubgroups } from '../../../server/src/core/discover/index.js';
import { renderRules } from '../../../server/src/core/discover/render.js';
import { emptyBits, setBit } from '../../../server/src/core/engine/bitset.js';
import { compiled, expr, tableFromRows } from '../engine/helpers.js';

const PLANS = ['free', 'pro', 'team', 'enterprise', 'edu'];
/** Target rate per plan: team and enterprise churn most, then pro. */
const RATE: Record<string, number> = { free: 0.1, pro: 0.3, team: 0.8, enterprise: 0.7, edu: 0.05 };

function world() {
  const rows = Array.from({ length: 1000 }, (_, i) => {
    const plan = i % 17 === 0 ? null : PLANS[i % 5];
    const churned = plan !== null && (i * 7919) % 100 < RATE[plan] * 100;
    return { id: `u${i}`, plan, seats: i % 9, churned };
  });
  const table = tableFromRows({ id: 'string', plan: 'enum', seats: 'integer', churned: 'boolean' }, rows);
  const target = emptyBits(rows.length);
  rows.forEach((r, i) => r.churned && setBit(target, i));
  return { rows, table, target };
}

describe('in [...] clauses', () => {
  const { rows, table, target } = world();
  const clauses = candidateClauses(table, { minCount: 20, today: 20000, exclude: new Set(['id', 'churned']), target });
  const sets = clauses.filter((c) => c.text.startsWith('plan in '));

  it('proposes the prefixes of the values by target rate, capped, never every value', () => {
    expect(sets.map((c) => c.text)).toEqual([
      'plan in ["team", "enterprise"]',
      'plan in ["team", "enterprise", "pro"]',
      'plan in ["team", "enterprise", "pro", "free"]',
    ]);
    expect(sets.every((c) => c.slot === 'any' && c.field === 'plan')).toBe(true);
  });

  it('holds exactly where the engine says the printed clause holds, missing plans included', () => {
    for (const c of sets) {
      const engine = compiled(expr(c.text), { table, today: 20000 });
      rows.forEach((r, i) => expect(c.holds(i), `${c.text} row ${i} (${r.plan})`).toBe(engine[i] === true));
    }
    expect(sets[0].holds(0)).toBe(false); // row 0: plan missing
  });

  it('orders by frequency without a target', () => {
    const plain = candidateClauses(table, { minCount: 20, today: 20000, exclude: new Set(['id', 'churned']) }).filter((c) => c.text.startsWith('plan in '));
    expect(plain.length).toBeGreaterThan(0);
    for (const c of plain) expect(c.text).toMatch(/^plan in \["[a-z]+"(, "[a-z]+")+\]$/);
  });

  it('lets the search find the set of values that beats each single value, and prints it', () => {
    const result = discoverSubgroups({
      table,
      target,
      today: 20000,
      exclude: new Set(['id', 'churned']),
      existing: [],
      options: { max: 1, depth: 1, minSize: 20, quality: 'wracc', diverse: false },
    });
    // Brute force over every set of plans: none scores better than the one found.
    const N = rows.length;
    const T = rows.filter((r) => r.churned).length;
    let best = -Infinity;
    for (let mask = 1; mask < 1 << PLANS.length; mask++) {
      const inSet = rows.filter((r) => r.plan !== null && (mask >> PLANS.indexOf(r.plan)) & 1);
      const n = inSet.length;
      const tp = inSet.filter((r) => r.churned).length;
      if (n > 0) best = Math.max(best, (n / N) * (tp / n - T / N));
    }
    expect(result.rules[0].quality).toBeCloseTo(best, 12);
    expect(result.rules[0].where).toBe('plan in ["team", "enterprise"]');
    const [rendered] = renderRules(result, { dataset: 'users', target: 'churned', taken: new Set() });
    expect(rendered.name).toBe('plan_team_or_enterprise');
    expect(rendered.text).toContain('where plan in ["team", "enterprise"]');
  });
});
