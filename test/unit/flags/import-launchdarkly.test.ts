/**
 * Import from LaunchDarkly: the written segments, evaluated by our engine on
 * random rows (attributes missing at random), give the flag to exactly the
 * contexts LaunchDarkly's own SDK serves `true` — over random flags with
 * targets, rules of every clause operator (negated or not, on texts,
 * numbers, booleans, date-times, versions and lists) and segments.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { hasBit } from '../../../server/src/core/engine/index.js';
import { ImportRefusal, importFlag } from '../../../server/src/core/flags/import/index.js';
import type { ColumnType } from '../../../server/src/core/data/table.js';
import { Workspace } from '../../../server/src/core/workspace.js';
import { rowContext, type ContextMapping } from '../../../server/src/core/flags/context.js';
import { oracleFor } from './sdk-oracles.js';
import { memoryHost } from './workspaces.js';

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

const fields: Record<string, ColumnType> = { s: 'string', a: 'integer', f: 'boolean', d: 'datetime', day: 'date', v: 'semver', l: 'list<string>' };
const types = new Map<string, ColumnType>(Object.entries(fields));
const context = new Map([['key', 'uid']]);
const mapping: ContextMapping = { attributes: new Map(Object.keys(fields).map((f) => [f, f])), identity: { attribute: 'key', field: 'uid' } };

const texts = fc.constantFrom('a', 'b', 'ab', 'B', '', 'é', 'abc');
const ints = fc.integer({ min: -2, max: 3 });
const instants = ['2024-01-01T00:00:00.000Z', '2024-03-01T12:30:00.000Z', '2024-06-01T00:00:00.000Z', '2024-12-31T23:59:59.999Z'];
const versions = ['1.0.0', '2.0.0', '3.0.0', '2.1.0-beta.1', '2.1.0', '10.0.0', '2.0.0+build'];

function clauseOf(attribute: string, op: string, values: Json[]): fc.Arbitrary<Json> {
  return fc.boolean().map((negate) => ({ contextKind: 'user', attribute, op, values, negate }));
}

const clause: fc.Arbitrary<Json> = fc.oneof(
  fc.array(texts, { minLength: 1, maxLength: 3 }).chain((vs) => clauseOf('s', 'in', vs)),
  fc.array(ints, { minLength: 1, maxLength: 3 }).chain((vs) => clauseOf('a', 'in', vs)),
  fc.boolean().chain((b) => clauseOf('f', 'in', [b])),
  fc.array(fc.constantFrom('x', 'y', 'z'), { minLength: 1, maxLength: 2 }).chain((vs) => clauseOf('l', 'in', vs)),
  fc.subarray(['u1', 'u2', 'u5', 'u9']).chain((vs) => clauseOf('key', 'in', vs)),
  fc.tuple(fc.constantFrom('startsWith', 'endsWith', 'contains'), fc.array(texts, { minLength: 1, maxLength: 2 })).chain(([op, vs]) => clauseOf('s', op, vs)),
  fc.constantFrom('^a', 'b$', 'a|B', '^$').chain((p) => clauseOf('s', 'matches', [p])),
  fc.tuple(fc.constantFrom('lessThan', 'lessThanOrEqual', 'greaterThan', 'greaterThanOrEqual'), ints).chain(([op, n]) => clauseOf('a', op, [n])),
  fc.constantFrom('lessThan', 'greaterThan').chain((op) => clauseOf('s', op, [1])),
  fc.tuple(fc.constantFrom('before', 'after'), fc.constantFrom<Json>('2024-03-01T12:30:00Z', '2024-06-01T00:00:00.000+02:00', Date.parse('2024-06-01T00:00:00Z'), '2024-06-01')).chain(([op, v]) => clauseOf('d', op, [v])),
  fc.tuple(fc.constantFrom('semVerEqual', 'semVerLessThan', 'semVerGreaterThan'), fc.constantFrom('2.0.0', '2.1', '2.1.0-beta.1', '3.0.0', 'v2.0.0')).chain(([op, v]) => clauseOf('v', op, [v])),
  // A date reaches the SDK as `YYYY-MM-DD` text: export writes date ranges as prefixes of it.
  fc.array(fc.constantFrom('2024-0', '2024-06', '2024-1', '2024-02-2', '2023', ''), { minLength: 1, maxLength: 2 }).chain((vs) => clauseOf('day', 'startsWith', vs)),
  fc.array(fc.constantFrom('2024-03-01', '2024-3-1', '2024-12-31'), { minLength: 1, maxLength: 2 }).chain((vs) => clauseOf('day', 'in', vs)),
  fc.constantFrom('seg1', 'nope').chain((k) => fc.boolean().map((negate) => ({ attribute: '', op: 'segmentMatch', values: [k], negate }))),
);

const segmentClause = clause.filter((c) => (c as { op: string }).op !== 'segmentMatch');

const variationOrRollout: fc.Arbitrary<Json> = fc.oneof(
  fc.constantFrom(0, 1).map((variation) => ({ variation })),
  fc.constantFrom(0, 1).map((v) => ({ rollout: { variations: [{ variation: v, weight: 100_000 }, { variation: 1 - v, weight: 0 }] } })),
);

const dataArb = fc.record({
  on: fc.oneof({ weight: 5, arbitrary: fc.constant(true) }, { weight: 1, arbitrary: fc.constant(false) }),
  variations: fc.constantFrom<Json[]>([false, true], [true, false]),
  targets: fc.array(fc.record({ values: fc.subarray(['u0', 'u1', 'u2', 'u3']), variation: fc.constantFrom(0, 1) }), { maxLength: 2 }),
  rules: fc.array(fc.tuple(fc.array(clause, { minLength: 1, maxLength: 3 }), variationOrRollout), { maxLength: 3 }),
  fallthrough: variationOrRollout,
  segment: fc.record({ included: fc.subarray(['u1', 'u4']), excluded: fc.subarray(['u2', 'u5']), rules: fc.array(fc.array(segmentClause, { minLength: 1, maxLength: 2 }), { maxLength: 2 }) }),
});

const row = fc.record(
  {
    s: texts,
    a: ints,
    f: fc.boolean(),
    d: fc.constantFrom(...instants),
    day: fc.constantFrom('2024-02-29', '2024-03-01', '2024-06-30', '2024-10-01', '2024-12-31', '2023-05-05'),
    v: fc.constantFrom(...versions),
    l: fc.subarray(['x', 'y', 'z']),
  },
  { requiredKeys: [] },
);

function ldData(p: fc.Arbitrary<unknown> extends fc.Arbitrary<infer T> ? T : never): Json {
  const d = p as unknown as { on: boolean; variations: Json[]; targets: Json[]; rules: Array<[Json[], Json]>; fallthrough: Json; segment: { included: string[]; excluded: string[]; rules: Json[][] } };
  return {
    flags: {
      'new-nav': {
        key: 'new-nav',
        version: 1,
        on: d.on,
        salt: 'x',
        variations: d.variations,
        offVariation: 0,
        targets: d.targets,
        contextTargets: [],
        prerequisites: [],
        rules: d.rules.map(([clauses, vr], i) => ({ id: `r${i}`, clauses, ...(vr as object) })),
        fallthrough: d.fallthrough,
      },
    },
    segments: {
      seg1: { key: 'seg1', version: 1, salt: 'seg1', included: d.segment.included, excluded: d.segment.excluded, rules: d.segment.rules.map((clauses, i) => ({ id: `s${i}`, clauses })) },
    },
  };
}

export function usersWorkspace(segspec: string, rows: Array<Record<string, unknown>>, extra: Record<string, string> = {}): Record<string, string> {
  const declared = Object.entries(fields).map(([name, type]) => `${name}: ${type}?`).join(', ');
  return {
    '/ws/data.segspec': `dataset users { source "users.json" key uid fields { uid: string, ${declared} } }\n`,
    '/ws/flags.segspec': segspec,
    '/ws/users.json': JSON.stringify(rows),
    '/ws/ld.json': '{}',
    ...extra,
  };
}

describe('import from LaunchDarkly', () => {
  it('writes targets, rules and fallthrough in order, segments as segments, and a flag declaration', () => {
    const data = {
      flags: {
        beta: {
          key: 'beta',
          on: true,
          variations: [false, true],
          offVariation: 0,
          targets: [{ values: ['u7'], variation: 0 }],
          rules: [
            { clauses: [{ attribute: 'age', op: 'lessThan', values: [10], negate: false }], variation: 1 },
            { clauses: [{ attribute: '', op: 'segmentMatch', values: ['staff'], negate: false }], variation: 1 },
          ],
          fallthrough: { variation: 0 },
        },
      },
      segments: { staff: { key: 'staff', included: ['u1'], excluded: [], rules: [{ clauses: [{ attribute: 'email', op: 'endsWith', values: ['@corp.example'] }] }] } },
    };
    expect(() => importFlag(JSON.stringify(data), 'launchdarkly', { source: 'flags/ld.json' })).toThrow(/--context key=FIELD/);
    const out = importFlag(JSON.stringify(data), 'launchdarkly', { source: 'flags/ld.json', context });
    expect(out.text).toContain('segment staff "LaunchDarkly group staff" {\n  where uid in ["u1"] or email ends with "@corp.example"\n}');
    // u7 is served false before any rule; a missing age fails `lessThan`.
    expect(out.text).toContain('where (age < 10 and uid not in ["u7"])\n    or (staff and uid not in ["u7"] and (age is missing or age >= 10))');
    expect(out.text).toMatch(/flag beta "LaunchDarkly feature beta" \{\n {2}system launchdarkly\n {2}source "flags\/ld\.json"\n {2}key "beta"\n {2}for beta_targeting\n {2}context \{ key: uid \}\n\}/);
  });

  it('refuses rollouts, bucketBy, prerequisites and big segments at their place in the file', () => {
    const base = { key: 'f', on: true, variations: [false, true], offVariation: 0, fallthrough: { variation: 0 } };
    const cases: Array<[Json, string, RegExp]> = [
      [{ flags: { f: { ...base, fallthrough: { rollout: { variations: [{ variation: 0, weight: 40_000 }, { variation: 1, weight: 60_000 }] } } } } }, '/flags/f/fallthrough/rollout/variations/0/weight', /percentage rollout/],
      [{ flags: { f: { ...base, rules: [{ clauses: [], rollout: { bucketBy: 'org', variations: [{ variation: 1, weight: 100_000 }] } }] } } }, '/flags/f/rules/0/rollout/bucketBy', /bucketBy/],
      [{ flags: { f: { ...base, prerequisites: [{ key: 'g', variation: 1 }] } } }, '/flags/f/prerequisites', /prerequisites/],
      [
        { flags: { f: { ...base, rules: [{ clauses: [{ attribute: '', op: 'segmentMatch', values: ['big'] }], variation: 1 }] } }, segments: { big: { key: 'big', unbounded: true } } },
        '/segments/big/unbounded',
        /big segment/,
      ],
      [
        { flags: { f: { ...base, rules: [{ clauses: [{ attribute: '', op: 'segmentMatch', values: ['w'] }], variation: 1 }] } }, segments: { w: { key: 'w', rules: [{ clauses: [], weight: 5000 }] } } },
        '/segments/w/rules/0/weight',
        /weight/,
      ],
      [{ flags: { f: { ...base, rules: [{ clauses: [{ contextKind: 'org', attribute: 'tier', op: 'in', values: ['a'] }], variation: 1 }] } } }, '/flags/f/rules/0/clauses/0/contextKind', /context kind `org`/],
    ];
    for (const [data, at, message] of cases) {
      let refusal: unknown;
      try {
        importFlag(JSON.stringify(data), 'launchdarkly', { source: 'x.json', context });
      } catch (e) {
        refusal = e;
      }
      expect(refusal, at).toBeInstanceOf(ImportRefusal);
      expect((refusal as ImportRefusal).pointer).toBe(at);
      expect((refusal as ImportRefusal).message).toMatch(message);
      expect((refusal as ImportRefusal).message).toMatch(/LaunchDarkly/);
    }
  });

  it('then evaluated by the engine equals LaunchDarkly’s SDK on random rows', { timeout: 240_000 }, async () => {
    const runs = Number(process.env.SEGSPEC_FLAG_RUNS ?? 80);
    let compared = 0;
    let on = 0;
    let off = 0;
    await fc.assert(
      fc.asyncProperty(dataArb, fc.array(row, { minLength: 1, maxLength: 16 }), async (p, rows) => {
        const data = ldData(p as never);
        let imported;
        try {
          imported = importFlag(JSON.stringify(data), 'launchdarkly', { source: 'ld.json', attributeTypes: types, context });
        } catch (e) {
          expect(e).toBeInstanceOf(ImportRefusal);
          return;
        }
        const keyed = rows.map((r, i) => ({ key: `u${i}`, ...r }));
        const table = keyed.map(({ key, ...r }) => ({ uid: key, ...Object.fromEntries(Object.keys(fields).map((f) => [f, null])), ...r }));
        const analysis = await new Workspace(memoryHost(usersWorkspace(imported.text, table)), '/ws').analyze();
        const errors = [...analysis.findings].filter((f) => f.severity === 'error').map((f) => `${f.code} ${f.message}`);
        expect(errors, imported.text).toEqual([]);
        const result = analysis.results.segments.get(imported.segment);
        expect(result?.members, `${imported.text}\n${result?.reason ?? ''}`).toBeDefined();
        // The SDK gets each row as the flag check builds its context (an empty text is a missing value there).
        const loaded = analysis.data.get('users')!.table!;
        const contexts = keyed.map((_, i) => rowContext(loaded, i, mapping));
        const oracle = await oracleFor('launchdarkly', data, 'new-nav');
        const decisions = await oracle.decide(contexts);
        await oracle.close();
        for (const [i, decision] of decisions.entries()) {
          expect(hasBit(result!.members!, i), `${imported.text}\n${JSON.stringify(contexts[i])}`).toBe(decision);
          if (decision) on++;
          else off++;
        }
        compared++;
      }),
      { numRuns: runs },
    );
    expect(compared).toBeGreaterThan(runs / 2);
    expect(on).toBeGreaterThan(runs / 2);
    expect(off).toBeGreaterThan(runs / 2);
  });
});
