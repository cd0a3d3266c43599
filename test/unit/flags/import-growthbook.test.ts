/**
 * Import from GrowthBook: the written segments, evaluated by our engine on
 * random contexts (attributes missing at random), give the flag to exactly
 * the contexts GrowthBook's SDK turns it on for.
 */
import fc from 'fast-check';
import { GrowthBook } from '@growthbook/growthbook';
import { describe, expect, it } from 'vitest';
import { hasBit } from '../../../server/src/core/engine/index.js';
import { ImportRefusal, importFlag } from '../../../server/src/core/flags/import/index.js';
import { Workspace } from '../../../server/src/core/workspace.js';
import { memoryHost } from './workspaces.js';

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

const ints = fc.integer({ min: -2, max: 3 });
const strs = fc.constantFrom('a', 'b', 'ab', 'B', 'null', 'é');
const cmp = fc.constantFrom('$eq', '$ne', '$lt', '$lte', '$gt', '$gte');

const leaf: fc.Arbitrary<{ [key: string]: Json }> = fc.oneof(
  ints.map((n) => ({ a: n })),
  fc.tuple(cmp, ints).map(([op, n]) => ({ a: { [op]: n } })),
  fc.tuple(fc.constantFrom('$in', '$nin'), fc.array(ints, { maxLength: 3 })).map(([op, xs]) => ({ a: { [op]: xs } })),
  fc.boolean().map((b) => ({ a: { $exists: b } })),
  strs.map((s) => ({ s })),
  fc.tuple(cmp, strs).map(([op, s]) => ({ s: { [op]: s } })),
  fc.tuple(fc.constantFrom('$in', '$nin'), fc.array(strs, { maxLength: 3 })).map(([op, xs]) => ({ s: { [op]: xs } })),
  fc.constantFrom('^a', 'b$', 'a|B', 'u', 'ul+').map((p) => ({ s: { $regex: p } })),
  fc.boolean().map((b) => ({ f: b })),
  fc.boolean().map((b) => ({ f: { $eq: b } })),
  fc.constantFrom('x', 'y').map((x) => ({ l: { $elemMatch: { $eq: x } } })),
  fc.subarray(['x', 'y']).map((xs) => ({ l: { $all: xs } })),
  // A list attribute: `$in` holds when some item is in the list, `$nin` when none is (or the list is missing).
  fc.tuple(fc.constantFrom('$in', '$nin'), fc.array(fc.constantFrom<Json>('x', 'y', 'w', 3), { maxLength: 3 })).map(([op, xs]) => ({ l: { [op]: xs } })),
  fc.oneof(fc.integer({ min: 0, max: 3 }).map((n): Json => n), fc.tuple(cmp, fc.integer({ min: 0, max: 3 })).map(([op, n]): Json => ({ [op]: n }))).map((size) => ({ l: { $size: size } })),
  fc.constantFrom('x', 'y').map((x) => ({ l: { $not: { $in: [x] } } })),
  fc.tuple(cmp, ints).map(([op, n]) => ({ a: { $not: { [op]: n } } })),
  fc.constant({ $savedGroup: { id: 'g1' } }),
);

const condition: fc.Arbitrary<{ [key: string]: Json }> = fc.letrec((tie) => ({
  cond: fc.oneof(
    { weight: 4, arbitrary: leaf },
    { weight: 1, arbitrary: fc.tuple(leaf, leaf).map(([x, y]) => ({ ...y, ...x })) },
    { weight: 1, arbitrary: fc.array(tie('cond'), { maxLength: 3 }).map((xs) => ({ $or: xs })) },
    { weight: 1, arbitrary: fc.array(tie('cond'), { minLength: 1, maxLength: 3 }).map((xs) => ({ $and: xs })) },
    { weight: 1, arbitrary: fc.array(tie('cond'), { minLength: 1, maxLength: 2 }).map((xs) => ({ $nor: xs })) },
    { weight: 1, arbitrary: tie('cond').map((x) => ({ $not: x })) },
  ),
})).cond as fc.Arbitrary<{ [key: string]: Json }>;

const listTypes = new Map([['l', 'list<string>' as const]]);

const groupCondition = leaf.filter((c) => !('$savedGroup' in c));

const context = fc.record(
  { uid: fc.constant('u'), a: ints, s: strs, f: fc.boolean(), l: fc.subarray(['x', 'y', 'z']) },
  { requiredKeys: ['uid'] },
);

const payloadArb = fc.record({
  rules: fc.array(fc.record({ condition, force: fc.boolean() }), { minLength: 1, maxLength: 2 }),
  defaultValue: fc.boolean(),
  group: groupCondition,
});

function workspaceFiles(segspec: string, contexts: Array<Record<string, unknown>>): Record<string, string> {
  const rows = contexts.map((c, i) => ({ a: null, s: null, f: null, l: null, ...c, uid: `u${i}` }));
  return {
    '/ws/data.segspec': `dataset users { source "users.json" key uid fields { uid: string, a: integer?, s: string?, f: boolean?, l: list<string>? } }\n`,
    '/ws/flags.segspec': segspec,
    '/ws/users.json': JSON.stringify(rows),
    '/ws/gb.json': '{}',
  };
}

describe('import from GrowthBook', () => {
  it('writes {age: {$lt: 10}} as age < 10 or age is missing, with a flag declaration pointing at the file', () => {
    const text = JSON.stringify({ features: { 'smart-reschedule': { defaultValue: false, rules: [{ condition: { age: { $lt: 10 } }, force: true }] } } });
    const out = importFlag(text, 'growthbook', { source: 'flags/growthbook.json' });
    expect(out.text).toMatch(/where age is missing or age < 10\b/);
    expect(out.text).toMatch(/flag smart_reschedule "GrowthBook feature smart-reschedule" \{\n {2}system growthbook\n {2}source "flags\/growthbook\.json"\n {2}key "smart-reschedule"\n {2}for smart_reschedule_targeting\n\}/);
  });

  it('reads $in / $nin / $size on a list attribute item by item, as the SDK does, when the dataset says it is a list', () => {
    const text = JSON.stringify({ features: { f: { defaultValue: false, rules: [{ condition: { tags: { $in: ['vip', 'beta'] }, n: { $size: { $gt: 1 } } }, force: true }] } } });
    const out = importFlag(text, 'growthbook', { source: 'gb.json', attributeTypes: new Map([['tags', 'list<string>'], ['n', 'list<integer>']]) });
    expect(out.text).toMatch(/where \(tags contains "vip" or tags contains "beta"\) and len\(n\) > 1/);
    const nin = JSON.stringify({ features: { f: { defaultValue: false, rules: [{ condition: { tags: { $nin: ['vip'] } }, force: true }] } } });
    expect(importFlag(nin, 'growthbook', { source: 'gb.json', attributeTypes: new Map([['tags', 'list<string>']]) }).text).toMatch(/where tags is missing or not \(tags contains "vip"\)/);
  });

  it('writes an attribute as the field --context names, with that field’s type', () => {
    const text = JSON.stringify({ features: { f: { defaultValue: false, rules: [{ condition: { planTier: 'pro', labels: { $in: ['vip'] } }, force: true }] } } });
    const out = importFlag(text, 'growthbook', { source: 'gb.json', context: new Map([['planTier', 'plan'], ['labels', 'tags']]), attributeTypes: new Map([['tags', 'list<string>']]) });
    expect(out.text).toMatch(/where plan == "pro" and tags contains "vip"/);
    expect(out.text).toMatch(/context \{ planTier: plan, labels: tags \}/);
  });

  it('refuses what a segment cannot express, at its place in the file', () => {
    const text = JSON.stringify({ features: { f: { rules: [{ condition: { v: { $vgt: '1.0.0' } }, force: true }, { force: true, coverage: 0.5 }] } } });
    expect(() => importFlag(text, 'growthbook', { source: 'x.json' })).toThrow(ImportRefusal);
    try {
      importFlag(text, 'growthbook', { source: 'x.json' });
    } catch (e) {
      expect((e as ImportRefusal).pointer).toBe('/features/f/rules/0/condition/v/$vgt');
    }
    const several = JSON.stringify({ features: { f: {}, g: {} } });
    expect(() => importFlag(several, 'growthbook', { source: 'x.json' })).toThrow(/name one with --flag \(f, g\)/);
  });

  it('then evaluated by the engine equals GrowthBook’s SDK on random contexts', { timeout: 240_000 }, async () => {
    let compared = 0;
    await fc.assert(
      fc.asyncProperty(payloadArb, fc.array(context, { minLength: 1, maxLength: 16 }), async (p, contexts) => {
        const payload = {
          features: { 'new-nav': { defaultValue: p.defaultValue, rules: p.rules.map((r) => ({ condition: r.condition, force: r.force })) } },
          savedGroups: { g1: { type: 'condition', condition: p.group } },
        };
        let imported;
        try {
          imported = importFlag(JSON.stringify(payload), 'growthbook', { source: 'gb.json', attributeTypes: listTypes });
        } catch (e) {
          expect(e).toBeInstanceOf(ImportRefusal);
          return;
        }
        const analysis = await new Workspace(memoryHost(workspaceFiles(imported.text, contexts)), '/ws').analyze();
        const parseErrors = [...analysis.model.files.values()].flatMap((f) => f.ast.errors.map((x) => x.message));
        expect(parseErrors, imported.text).toEqual([]);
        const result = analysis.results.segments.get(imported.segment);
        expect(result?.members, `${imported.text}\n${result?.reason ?? ''}`).toBeDefined();
        const gb = new GrowthBook({ attributes: {} });
        await gb.setPayload(payload as never);
        for (const [row, ctx] of contexts.entries()) {
          await gb.setAttributes({ ...ctx, uid: `u${row}` });
          expect(hasBit(result!.members!, row), `${imported.text}\n${JSON.stringify(ctx)}`).toBe(gb.isOn('new-nav'));
        }
        gb.destroy();
        compared++;
      }),
      { numRuns: Number(process.env.SEGSPEC_FLAG_RUNS ?? 80) },
    );
    expect(compared).toBeGreaterThan(20);
  });
});
