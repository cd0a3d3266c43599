/**
 * Import from PostHog: the written segments, evaluated by our engine on
 * random rows (properties missing at random), hold exactly for the rows
 * posthog-node's local evaluation (`onlyEvaluateLocally`) turns the flag on
 * for — where the SDK cannot decide locally it returns nothing, which is
 * "off" — over random condition sets of every operator and nested cohorts.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { hasBit } from '../../../server/src/core/engine/index.js';
import { ImportRefusal, importFlag } from '../../../server/src/core/flags/import/index.js';
import { rowContext, type ContextMapping } from '../../../server/src/core/flags/context.js';
import type { ColumnType } from '../../../server/src/core/data/table.js';
import { Workspace } from '../../../server/src/core/workspace.js';
import { oracleFor } from './sdk-oracles.js';
import { memoryHost } from './workspaces.js';

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

const fields: Record<string, ColumnType> = { s: 'string', a: 'integer', f: 'boolean', d: 'datetime', day: 'date', v: 'semver' };
const types = new Map<string, ColumnType>(Object.entries(fields));
const context = new Map([['distinct_id', 'uid']]);
const mapping: ContextMapping = { attributes: new Map(Object.keys(fields).map((f) => [f, f])), identity: { attribute: 'distinct_id', field: 'uid' } };

const texts = fc.constantFrom('pro', 'Pro', 'PRO', 'team', 'free', 'é', 'É', 'true', 'TRUE', 'false', 'a\rb', 'prism', 'xyz');
const rowArb = fc.record(
  {
    s: texts,
    a: fc.integer({ min: -2, max: 3 }),
    f: fc.boolean(),
    d: fc.constantFrom('2024-01-01T00:00:00.000Z', '2024-03-01T12:30:00.000Z', '2024-06-01T00:00:00.000Z', '2024-12-31T23:59:59.999Z'),
    day: fc.constantFrom('2024-02-29', '2024-03-01', '2024-05-31', '2024-06-01', '2024-06-02'),
    v: fc.constantFrom('1.0.0', '2.1.0', '2.1.0-beta.1', '2.1.1', '2.2.0', '3.0.0', '0.9.1'),
  },
  { requiredKeys: [] },
);

const prop = (key: string, operator: string, value: Json): Json => ({ key, operator, value, type: 'person' });

const personFilter: fc.Arbitrary<Json> = fc.oneof(
  fc.tuple(fc.constantFrom('exact', 'is_not'), fc.constantFrom<Json>('pro', ['pro', 'TEAM'], 'true', 'false', true, ['É'])).map(([op, v]) => prop('s', op, v)),
  fc.tuple(fc.constantFrom('exact', 'is_not'), fc.constantFrom<Json>(true, 'false', ['true'], 'yes')).map(([op, v]) => prop('f', op, v)),
  fc.tuple(fc.constantFrom('icontains', 'not_icontains', 'starts_with', 'not_starts_with', 'ends_with', 'not_ends_with'), fc.constantFrom('r', 'PR', 'é', 'm')).map(([op, v]) => prop('s', op, v)),
  fc.tuple(fc.constantFrom('regex', 'not_regex'), fc.constantFrom('^p', 'o$', '[a-c]', 'x|T', '', 'r.s')).map(([op, v]) => prop('s', op, v)),
  fc.tuple(fc.constantFrom('regex', 'not_regex'), fc.constantFrom('^2\\.1', '\\.0$', '^(?:2\\.1\\.0|0\\.9\\.0)$', '')).map(([op, v]) => prop('v', op, v)),
  fc.tuple(fc.constantFrom('gt', 'gte', 'lt', 'lte'), fc.constantFrom<Json>(1, '2', 0.5, -1)).map(([op, v]) => prop('a', op, v)),
  fc.tuple(fc.constantFrom('is_set', 'is_not_set'), fc.constantFrom('s', 'a', 'f')).map(([op, k]) => prop(k, op, null)),
  fc.tuple(fc.constantFrom('is_date_before', 'is_date_after'), fc.constantFrom('d', 'day'), fc.constantFrom('2024-03-01T12:30:00Z', '2024-06-01', '2024-06-01T10:00:00+02:00')).map(([op, k, v]) => prop(k, op, v)),
  fc.tuple(fc.constantFrom('semver_eq', 'semver_neq', 'semver_gt', 'semver_gte', 'semver_lt', 'semver_lte', 'semver_tilde', 'semver_caret', 'semver_wildcard'), fc.constantFrom('2.1.0', '2.1', '0.9.0', '2.*')).map(([op, v]) => prop('v', op, v)),
);

const negatable = fc.tuple(personFilter, fc.boolean()).map(([p, negation]) => ({ ...(p as object), negation }) as Json);
const cohortGroup: fc.Arbitrary<Json> = fc.tuple(fc.constantFrom('AND', 'OR'), fc.array(negatable, { minLength: 1, maxLength: 3 })).map(([type, values]) => ({ type, values }));
const cohortArb: fc.Arbitrary<Json> = fc.tuple(fc.constantFrom('AND', 'OR'), fc.array(cohortGroup, { minLength: 1, maxLength: 2 })).map(([type, values]) => ({ type, values }));

const flagFilter: fc.Arbitrary<Json> = fc.oneof(
  { weight: 4, arbitrary: personFilter },
  { weight: 1, arbitrary: fc.constantFrom('in', 'not_in').map((operator) => ({ key: 'id', type: 'cohort', value: 7, operator })) },
);

const flagArb = fc.record({
  groups: fc.array(fc.record({ properties: fc.array(flagFilter, { maxLength: 3 }), rollout_percentage: fc.constantFrom<Json>(null, 100) }), { minLength: 1, maxLength: 3 }),
  cohort: cohortArb,
  version: fc.constantFrom<Json>(null, 2),
});

function response(p: { groups: Json[]; cohort: Json; version: Json }): Json {
  return {
    flags: [{ id: 1, key: 'new-nav', active: true, filters: { groups: p.groups } }],
    group_type_mapping: {},
    cohorts: { '7': p.cohort },
    ...(p.version === null ? {} : { property_matching_version: p.version }),
  };
}

function workspaceFiles(segspec: string, rows: Array<Record<string, unknown>>): Record<string, string> {
  const declared = Object.entries(fields).map(([name, type]) => `${name}: ${type}?`).join(', ');
  return {
    '/ws/data.segspec': `dataset users { source "users.json" key uid fields { uid: string, ${declared} } }\n`,
    '/ws/flags.segspec': segspec,
    '/ws/users.json': JSON.stringify(rows),
    '/ws/ph.json': '{"flags": []}',
  };
}

describe('import from PostHog', () => {
  it('writes case-insensitive tests with lower() and ASCII letter classes, and cohorts as segments', () => {
    const doc = {
      flags: [
        {
          key: 'beta',
          active: true,
          filters: {
            groups: [
              { properties: [{ key: 'plan', operator: 'exact', value: ['Pro', 'team'], type: 'person' }, { key: 'email', operator: 'icontains', value: '@Corp.', type: 'person' }], rollout_percentage: 100 },
              { properties: [{ key: 'id', type: 'cohort', value: 3 }], rollout_percentage: null },
            ],
          },
        },
      ],
      cohorts: { '3': { type: 'OR', values: [{ type: 'AND', values: [{ key: 'age', operator: 'gt', value: '30', type: 'person', negation: true }] }] } },
    };
    const out = importFlag(JSON.stringify(doc), 'posthog', { source: 'flags/posthog.json', context });
    expect(out.text).toContain('segment cohort_3 "PostHog group cohort-3" {\n  where age <= 30\n}');
    expect(out.text).toContain('where (lower(plan) in ["pro", "team"] and email matches "@[cC][oO][rR][pP]\\\\.") or cohort_3');
    expect(out.text).not.toContain('outside_cohort_3');
    expect(out.text).toMatch(/flag beta "PostHog feature beta" \{\n {2}system posthog\n {2}source "flags\/posthog\.json"\n {2}key "beta"\n {2}for beta_targeting\n {2}context \{ distinct_id: uid \}\n\}/);
  });

  it('refuses rollouts, relative dates, static cohorts and patterns the SDK leaves to its server, at their place', () => {
    const flag = (groups: Json, extra: Record<string, Json> = {}): string => JSON.stringify({ flags: [{ key: 'f', active: true, filters: { groups } }], ...extra });
    const cases: Array<[string, string, RegExp]> = [
      [flag([{ properties: [], rollout_percentage: 40 }]), '/flags/0/filters/groups/0/rollout_percentage', /rollout to 40%/],
      [flag([{ properties: [prop('d', 'is_date_after', '-30d')] }]), '/flags/0/filters/groups/0/properties/0/value', /relative date/],
      [flag([{ properties: [{ key: 'id', type: 'cohort', value: 9 }] }]), '/flags/0/filters/groups/0/properties/0/value', /static cohort/],
      [flag([{ properties: [prop('s', 'regex', '(?=a)')] }]), '/flags/0/filters/groups/0/properties/0/value', /server/],
      [flag([{ properties: [{ key: 'other', type: 'flag', value: true }] }]), '/flags/0/filters/groups/0/properties/0/type', /flag dependency/],
    ];
    for (const [text, at, message] of cases) {
      let refusal: unknown;
      try {
        importFlag(text, 'posthog', { source: 'x.json', attributeTypes: types });
      } catch (e) {
        refusal = e;
      }
      expect(refusal, at).toBeInstanceOf(ImportRefusal);
      expect((refusal as ImportRefusal).pointer).toBe(at);
      expect((refusal as ImportRefusal).message).toMatch(message);
      expect((refusal as ImportRefusal).message).toMatch(/PostHog/);
    }
  });

  it('then evaluated by the engine equals posthog-node’s local evaluation on random rows', { timeout: 240_000 }, async () => {
    const runs = Number(process.env.SEGSPEC_FLAG_RUNS ?? 80);
    const refused: string[] = [];
    let compared = 0;
    let on = 0;
    let off = 0;
    await fc.assert(
      fc.asyncProperty(flagArb, fc.array(rowArb, { minLength: 1, maxLength: 16 }), async (p, rows) => {
        const doc = response(p as never);
        let imported;
        try {
          imported = importFlag(JSON.stringify(doc), 'posthog', { source: 'ph.json', attributeTypes: types, context });
        } catch (e) {
          expect(e).toBeInstanceOf(ImportRefusal);
          refused.push((e as Error).message);
          return;
        }
        const table = rows.map((r, i) => ({ uid: `u${i}`, ...Object.fromEntries(Object.keys(fields).map((f) => [f, null])), ...r }));
        const analysis = await new Workspace(memoryHost(workspaceFiles(imported.text, table)), '/ws').analyze();
        const errors = analysis.findings.filter((f) => f.severity === 'error').map((f) => `${f.code} ${f.message}`);
        expect(errors, imported.text).toEqual([]);
        const result = analysis.results.segments.get(imported.segment);
        expect(result?.members, `${imported.text}\n${result?.reason ?? ''}`).toBeDefined();
        const loaded = analysis.data.get('users')!.table!;
        const contexts = table.map((_, i) => rowContext(loaded, i, mapping));
        const oracle = await oracleFor('posthog', doc, 'new-nav');
        const decisions = await oracle.decide(contexts);
        await oracle.close();
        for (const [i, decision] of decisions.entries()) {
          // Undecided locally: the SDK returns nothing, and the application serves its default (off).
          expect(hasBit(result!.members!, i), `${imported.text}\n${JSON.stringify(contexts[i])}`).toBe(decision === true);
          if (decision === true) on++;
          else off++;
        }
        compared++;
      }),
      { numRuns: runs },
    );
    expect(compared, refused.join('\n')).toBeGreaterThan(runs / 2);
    expect(on).toBeGreaterThan(runs / 2);
    expect(off).toBeGreaterThan(runs / 2);
  });
});
