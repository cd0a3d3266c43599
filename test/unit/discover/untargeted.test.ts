/**
 * Discovery without a target: planted groups of rows come back as readable
 * rules that reproduce them, the numbers are the rules' own counts on all
 * rows, the same input gives the same output, and a table with nothing to
 * describe rows by gets a clear message.
 */
import { describe, expect, it } from 'vitest';
import { andCount, hasBit, popcount } from '../../../server/src/core/engine/bitset.js';
import { distance, Features, fit, kPrototypes, seededRandom } from '../../../server/src/core/discover/cluster.js';
import { discoverClusters, type UntargetedInput } from '../../../server/src/core/discover/untargeted.js';
import { renderClusterRules } from '../../../server/src/core/discover/untargeted-render.js';
import { format } from '../../../server/src/core/format/formatter.js';
import { tableFromRows } from '../engine/helpers.js';

/** Three kinds of users (students on phones, teams on desktops with integrations, older casual users), with noise. */
function users(n: number, seed: number) {
  const next = seededRandom(seed);
  const kinds = ['student', 'team', 'casual'] as const;
  return tableFromRows(
    { id: 'string', age: 'integer', device: 'enum', plan: 'enum', sessions: 'integer', tools: 'list<string>', paying: 'boolean', note: 'string' },
    Array.from({ length: n }, (_, i) => {
      const kind = kinds[Math.floor(next() * 3)];
      const noisy = next() < 0.1;
      return {
        id: `u${i}`,
        age: kind === 'student' ? 18 + Math.floor(next() * 6) : kind === 'team' ? 28 + Math.floor(next() * 15) : 50 + Math.floor(next() * 20),
        device: noisy ? 'tablet' : kind === 'student' ? 'mobile' : kind === 'team' ? 'desktop' : next() < 0.5 ? 'mobile' : 'tablet',
        plan: kind === 'team' ? 'team' : next() < 0.8 ? 'free' : 'pro',
        sessions: kind === 'team' ? 40 + Math.floor(next() * 40) : next() < 0.3 ? null : Math.floor(next() * 15),
        tools: kind === 'team' ? ['slack', 'jira', ...(next() < 0.5 ? ['github'] : [])] : next() < 0.2 ? ['slack'] : [],
        paying: kind === 'team' || next() < 0.2,
        note: `free text ${i}`,
      };
    }),
  );
}

function input(table: ReturnType<typeof users>, overrides: Partial<UntargetedInput['options']> = {}): UntargetedInput {
  return { table, today: 20_000, exclude: new Set(['id']), existing: [], options: { max: 6, depth: 3, minSize: Math.ceil(0.02 * table.rowCount), ...overrides } };
}

describe('discover without a target', () => {
  const table = users(3000, 7);

  it('finds the planted groups as readable rules that reproduce their clusters and cover most rows', () => {
    const outcome = discoverClusters(input(table, { clusters: 3 }));
    if (!outcome.ok) throw new Error(outcome.message);
    const { result } = outcome;
    expect(result.k).toBe(3);
    expect(result.choice).toEqual({ method: 'fixed' });
    expect(result.rules.length).toBe(3);
    for (const r of result.rules) expect(r.f1, r.where).toBeGreaterThan(0.8);
    expect(result.coverage).toBeGreaterThan(0.8);
    expect(result.maxJaccard).toBeLessThanOrEqual(0.5);
    // The identifier-like text column neither shapes the clusters nor appears in a rule.
    expect(result.fields).not.toContain('note');
    expect(result.fields).not.toContain('id');
    for (const r of result.rules) expect(r.where).not.toMatch(/\b(note|id)\b/);
  });

  it.each<[string, { sampleLimit?: number; clusterSampleLimit?: number }]>([
    ['on all rows', {}],
    ['searched and clustered on samples', { sampleLimit: 1200, clusterSampleLimit: 700 }],
  ])('reports each number as the rule’s own count on every row (%s)', (_, limits) => {
    const outcome = discoverClusters(input(table, limits));
    if (!outcome.ok) throw new Error(outcome.message);
    const { result } = outcome;
    expect(result.sampledRows).toBe(limits.sampleLimit);
    expect(result.choice.method).toBe('silhouette');
    if (result.choice.method === 'silhouette') expect(result.choice.tried.map((t) => t.k)).toEqual([3, 4, 5, 6]);
    expect(result.rules.length).toBeGreaterThan(0);
    const union = new Set<number>();
    for (const r of result.rules) {
      let size = 0;
      for (let row = 0; row < table.rowCount; row++) {
        const holds = r.clauses.every((c) => c.holds(row));
        expect(hasBit(r.members, row)).toBe(holds);
        if (holds) {
          size++;
          union.add(row);
        }
      }
      expect(r.size).toBe(size);
      expect(r.share).toBeCloseTo(size / table.rowCount, 12);
      expect(r.precision).toBeCloseTo(r.inCluster / r.size, 12);
      expect(r.recall).toBeCloseTo(r.inCluster / r.clusterSize, 12);
      expect(r.f1).toBeCloseTo((2 * r.precision * r.recall) / (r.precision + r.recall), 12);
      expect(r.clusterSize).toBe(result.clusters[r.cluster - 1].size);
      expect(r.size).toBeGreaterThanOrEqual(Math.ceil(0.02 * table.rowCount));
    }
    expect(result.clusters.reduce((s, c) => s + c.size, 0)).toBe(table.rowCount);
    expect(result.coverage).toBeCloseTo(union.size / table.rowCount, 12);
    const pairs: number[] = [];
    result.rules.forEach((a, i) => result.rules.slice(i + 1).forEach((b) => pairs.push(andCount(a.members, b.members) / (a.size + b.size - andCount(a.members, b.members)))));
    expect(result.maxJaccard).toBeCloseTo(pairs.length ? Math.max(...pairs) : 0, 12);
    expect(result.meanJaccard).toBeCloseTo(pairs.length ? pairs.reduce((s, x) => s + x, 0) / pairs.length : 0, 12);
  });

  it('gives the same clusters and rules for the same input', () => {
    const a = discoverClusters(input(users(3000, 7)));
    const b = discoverClusters(input(users(3000, 7)));
    if (!a.ok || !b.ok) throw new Error('failed');
    expect(b.result.rules.map((r) => [r.where, r.size, r.f1])).toEqual(a.result.rules.map((r) => [r.where, r.size, r.f1]));
    expect(b.result.clusters).toEqual(a.result.clusters);
  });

  it('keeps away from existing segments: no rule overlaps one by more than half', () => {
    const first = discoverClusters(input(table, { clusters: 3 }));
    if (!first.ok) throw new Error(first.message);
    const existing = [{ name: 'known', members: first.result.rules[0].members }];
    const again = discoverClusters({ ...input(table, { clusters: 3 }), existing });
    if (!again.ok) throw new Error(again.message);
    for (const r of again.result.rules) {
      const both = andCount(r.members, existing[0].members);
      expect(both / (r.size + popcount(existing[0].members) - both), r.where).toBeLessThanOrEqual(0.5);
    }
    const blocked = again.result.clusters.find((c) => c.rule === undefined);
    expect(blocked?.note).toMatch(/overlaps segment known by more than 0\.5/);
  });

  it('writes declarations with kind, description and expect size, and no expect share', () => {
    const outcome = discoverClusters(input(table, { clusters: 3 }));
    if (!outcome.ok) throw new Error(outcome.message);
    const rendered = renderClusterRules(outcome.result, { dataset: 'users', taken: new Set(['users']) });
    for (const [i, r] of rendered.entries()) {
      expect(r.text).toMatch(/^segment \w+ \{\n  kind \w+\n  description "Discovered: [\d,]+ of 3,000 rows \([\d.]+%\); describes cluster \d of 3 \([\d,]+ rows\) with F1 [\d.]+ \(precision [\d.]+, recall [\d.]+\)\."\n  from users\n  where .+\n  expect size between [\d.]+% and [\d.]+%\n\}\n$/);
      expect(r.text).toContain(`where ${outcome.result.rules[i].where}`);
      expect(format(r.text)).toBe(r.text);
    }
    expect(new Set(rendered.map((r) => r.name)).size).toBe(rendered.length);
  });

  it('says so when no field can tell rows apart', () => {
    const flat = tableFromRows(
      { id: 'string', constant: 'enum', note: 'string' },
      Array.from({ length: 100 }, (_, i) => ({ id: `u${i}`, constant: 'same', note: `text ${i}` })),
    );
    const outcome = discoverClusters({ ...input(flat), options: { max: 5, depth: 2, minSize: 2 } });
    expect(outcome.ok).toBe(false);
    if (!outcome.ok) expect(outcome.message).toMatch(/no field of the dataset can tell rows apart/);
  });
});

describe('Gower distance for mixed types', () => {
  const table = tableFromRows(
    { n: 'number', e: 'enum', l: 'list<string>' },
    [
      { n: 0, e: 'a', l: ['x', 'y'] },
      { n: 100, e: 'b', l: ['x'] },
      { n: null, e: 'a', l: ['x', 'y'] },
      { n: 50, e: null, l: null },
    ],
  );
  const features = new Features(table, ['n', 'e', 'l'], Int32Array.from([0, 1, 2, 3]));
  const e = features.encode(Int32Array.from([0, 1, 2, 3]));
  const proto = fit(e, Int32Array.from([0, 1, 1, 1]), 2);

  it('averages range-scaled numbers, matching categories and Jaccard on lists, leaving out what is missing', () => {
    // Row 0 against its own prototype: identical.
    expect(distance(e, 0, proto, 0)).toBe(0);
    // Row 0 against cluster 1 (rows 1–3): n is scaled over its 1st–99th percentile (1…99) and capped to [0, 1], the prototype
    // the mean of 100 → 1 and 50 → 0.5; e's mode among "b" and "a" is a tie, the lower code ("a") wins; l holds x and y (each in half or more).
    const scaled = (x: number) => Math.min(1, Math.max(0, (x - 1) / 98));
    const expected = (Math.abs(scaled(0) - (scaled(100) + scaled(50)) / 2) + 0 + 0) / 3;
    expect(distance(e, 0, proto, 1)).toBeCloseTo(expected, 12);
    // Row 3 misses e and l: only n counts.
    expect(distance(e, 3, proto, 0)).toBeCloseTo(Math.abs((50 - 1) / 98 - 0), 12);
  });

  it('clusters deterministically from a seed', () => {
    const a = kPrototypes(e, 2, seededRandom(1));
    const b = kPrototypes(e, 2, seededRandom(1));
    expect([...a.labels]).toEqual([...b.labels]);
  });
});
