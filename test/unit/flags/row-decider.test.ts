/**
 * Deciding a flag on a table (shared decisions for rows alike in what the
 * flag reads, contexts cut to those attributes) gives every row the decision
 * the system gives the row's whole context, on every system's fixture.
 */
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { loadTableFromBytes } from '../../../server/src/core/data/index.js';
import { rowContext, type ContextMapping } from '../../../server/src/core/flags/context.js';
import { decideRowsInSteps } from '../../../server/src/core/flags/decisions.js';
import type { FlagSystemName } from '../../../server/src/core/flags/system.js';
import { flagSystem } from '../../../server/src/core/flags/systems/index.js';
import { prop, type DatasetDecl } from '../../../server/src/core/syntax/ast.js';
import { parse } from '../../../server/src/core/syntax/index.js';
import { runToEnd } from '../../../server/src/core/util/slices.js';
import { hasBit } from '../../../server/src/core/engine/bitset.js';

const spec = `dataset users {
  source "users.csv"
  key user_id
  fields {
    user_id: string
    plan: string?
    country: string?
    age: integer?
    email: string?
    app_version: semver?
    signup: date?
    student: boolean?
    score: number?
    tags: list<string>?
    seen: datetime?
    session: string?
  }
}`;

const row = fc.record({
  plan: fc.constantFrom('free', 'pro', 'team', 'Pro', 'enterprise', ''),
  country: fc.constantFrom('US', 'FR', 'DE', 'de', 'AT', 'GB', ''),
  age: fc.oneof(fc.integer({ min: 0, max: 99 }).map(String), fc.constant('')),
  email: fc.constantFrom('a@example.edu', 'B@School.EDU', 'd@gmail.com', ''),
  app_version: fc.constantFrom('1.0.0', '2.1.0', '2.10.3', '2.1.0-beta.1', '3.0.0', ''),
  signup: fc.constantFrom('2023-02-01', '2024-06-30', '2025-11-12', ''),
  student: fc.constantFrom('true', 'false', ''),
  score: fc.constantFrom('0', '7', '9.5', ''),
  tags: fc.constantFrom('vip', 'beta;new', 'VIP', '', 'new'),
  seen: fc.constantFrom('2024-03-01T10:00:00Z', '2024-11-30T23:59:59Z', ''),
  session: fc.constantFrom('s-1', 's-2', ''),
});

function table() {
  const rows = fc.sample(row, { numRuns: 1500, seed: 9 });
  const ids = ['søren', 'łódź-日本', 'user-7'];
  const header = 'user_id,plan,country,age,email,app_version,signup,student,score,tags,seen,session';
  const lines = rows.map((r, i) => [i < ids.length ? ids[i] : `user-${i}`, r.plan, r.country, r.age, r.email, r.app_version, r.signup, r.student, r.score, r.tags, r.seen, r.session].join(','));
  const decl = parse(spec).declarations.find((d): d is DatasetDecl => d.type === 'Dataset')!;
  const loaded = loadTableFromBytes(new TextEncoder().encode([header, ...lines].join('\n')), 'csv', prop(decl, 'fields')?.fields ?? [], { keyField: 'user_id' });
  return loaded.table!;
}

const attributes: Array<[string, string]> = [
  ['planTier', 'plan'],
  ['country', 'country'],
  ['age', 'age'],
  ['email', 'email'],
  ['appVersion', 'app_version'],
  ['signupDate', 'signup'],
  ['student', 'student'],
  ['score', 'score'],
  ['tags', 'tags'],
  ['currentTime', 'seen'],
  ['sessionId', 'session'],
];
const identityOf: Record<FlagSystemName, string> = { growthbook: 'id', unleash: 'userId', flagd: 'targetingKey', launchdarkly: 'key', posthog: 'distinct_id' };

describe('a flag decided on every row of a table', () => {
  const users = table();
  for (const name of Object.keys(identityOf) as FlagSystemName[]) {
    it(`${name}: each row gets the decision of its whole context`, () => {
      const file = flagSystem(name).read(readFileSync(new URL(`./fixtures/${name}.json`, import.meta.url), 'utf8'));
      const mapping: ContextMapping = { attributes: new Map(attributes), identity: { attribute: identityOf[name], field: 'user_id' } };
      let onSomewhere = 0;
      for (const flag of file.flags) {
        const decisions = runToEnd(decideRowsInSteps(file, flag.key, users, mapping));
        let undecided = 0;
        for (let r = 0; r < users.rowCount; r++) {
          const whole = file.evaluate(flag.key, rowContext(users, r, mapping));
          if (!whole) {
            undecided++;
            continue;
          }
          const on = hasBit(decisions.on, r);
          const rule = on ? decisions.rules[decisions.ruleOf[r]]!.rule : undefined;
          if (on !== whole.on || (on && rule !== whole.rule)) expect({ flag: flag.key, row: r, on, rule }).toEqual({ flag: flag.key, row: r, on: whole.on, rule: whole.on ? whole.rule : undefined });
        }
        expect(decisions.undecided, flag.key).toBe(undecided);
        if (decisions.onCount > 0) onSomewhere++;
      }
      expect(onSomewhere).toBeGreaterThan(0);
    });
  }

  it('counts the identities with characters outside ASCII', () => {
    const file = flagSystem('growthbook').read(readFileSync(new URL('./fixtures/growthbook.json', import.meta.url), 'utf8'));
    const mapping: ContextMapping = { attributes: new Map(attributes), identity: { attribute: 'id', field: 'user_id' } };
    expect(runToEnd(decideRowsInSteps(file, file.flags[0]!.key, users, mapping)).nonAsciiIdentities).toBe(2);
  });
});
