import { describe, expect, it } from 'vitest';
import { Engine, analyzeData, explainRow, renderExplanation } from '../../../server/src/core/engine/index.js';
import { engineCodes } from '../../../server/src/core/engine/codes.js';
import { dataOf, modelOf, tableFromRows, type Cell } from './helpers.js';

// 20 users: u0..u19. age 15 + 3i (u1 missing), plan pro on even i, desktop on multiples of 3, ltv 10i.
const users = tableFromRows(
  { user_id: 'string', age: 'integer', plan: 'enum', device: 'string', ltv: 'number' },
  Array.from({ length: 20 }, (_, i): Record<string, Cell> => ({
    user_id: `u${i}`,
    age: i === 1 ? null : 15 + 3 * i,
    plan: i % 2 === 0 ? 'pro' : 'free',
    device: i % 3 === 0 ? 'desktop' : 'mobile',
    ltv: 10 * i,
  })),
);

const spec = (youngRule = 'age < 25') => `
dataset users {
  source "users.csv"
  key user_id
  as of 2026-06-30
}

segment young {
  where ${youngRule}
  expect size between 8% and 20%
}

segment pros {
  where plan == "pro" and age >= 18
  expect share(device == "desktop") >= 50%
  expect mean(ltv) between 100 and 500
  expect size >= 10
  example member { age: 20, plan: "pro" }
  example nonmember { age: 40, plan: "pro" }
}

segment young_pros {
  where young and pros
  expect subset of young
  expect disjoint pros warn
}

segment nobody {
  where age > 100 and plan == "pro"
}

segment all_pros {
  where user_id is not missing and plan == "pro"
}

segment someday {
  description "not written yet"
}

persona fiona {
  segment pros
  profile { age: 31, plan: "free" }
}

persona paul {
  segment pros
  profile { age: 31, plan: "pro" }
}

partition plans {
  segments [pros, young]
  exclusive
  exhaustive
}
`;

function run(engine = new Engine(), text = spec()) {
  const model = modelOf(text, { users });
  const data = dataOf({ users });
  return { model, data, analysis: engine.analyze(model, data, {}) };
}

const messages = (a: ReturnType<typeof run>['analysis'], code: string) =>
  a.findings.filter((f) => f.code === code).map((f) => f.message);

describe('analyzeData', () => {
  const { analysis } = run();

  it('measures size and share of every segment', () => {
    const young = analysis.segments.get('young')!;
    expect(young.size).toBe(3);
    expect(young.rows).toBe(20);
    expect(young.share).toBeCloseTo(0.15);
    expect(young.unknown).toBe(1);
    expect(young.sampleKeys).toEqual(['u0', 'u2', 'u3']);
    expect(analysis.segments.get('pros')!.size).toBe(9);
    expect(analysis.segments.get('young_pros')!.sampleKeys).toEqual(['u2']);
  });

  it('reports drafts and empty segments', () => {
    expect(analysis.segments.get('someday')!.status).toBe('draft');
    expect(analysis.segments.get('nobody')!.status).toBe('empty');
    expect(messages(analysis, 'SEG200')).toEqual(['nobody has no members in users (0 of 20 rows)']);
  });

  it('passes expectations that hold, with the measured value', () => {
    const young = analysis.segments.get('young')!;
    expect(young.expectations).toHaveLength(1);
    expect(young.expectations[0].passed).toBe(true);
    expect(young.expectations[0].message).toBe('size is 15.0% (3 of 20)');
  });

  it('fails expectations with the measured value in the message', () => {
    expect(messages(analysis, 'SEG202')).toEqual([
      'pros: share(device == "desktop") is 33.3% (3 of 9 members), expected >= 50%',
    ]);
    expect(messages(analysis, 'SEG201')).toEqual(['pros: size is 9 (45.0% of 20), expected >= 10']);
    const mean = analysis.segments.get('pros')!.expectations.find((e) => e.type === 'ExpectAggregate')!;
    expect(mean.passed).toBe(true);
    expect(mean.message).toBe('mean(ltv) over members is 100');
    expect(analysis.segments.get('pros')!.status).toBe('failing');
  });

  it('makes a failed `warn` expectation a warning', () => {
    const f = analysis.findings.find((x) => x.code === 'SEG204')!;
    expect(f.severity).toBe('warning');
    expect(f.message).toBe('young_pros: young_pros and pros share 1 member (e.g. u2), expected disjoint');
    expect(analysis.segments.get('young_pros')!.expectations.find((e) => e.type === 'ExpectSubset')!.passed).toBe(true);
  });

  it('checks examples', () => {
    const pros = analysis.segments.get('pros')!;
    expect(pros.examples.map((e) => e.passed)).toEqual([true, false]);
    expect(messages(analysis, 'SEG208')).toEqual(['example nonmember is a member of pros: every clause of its rule holds']);
  });

  it('says which clause a persona profile fails', () => {
    expect(messages(analysis, 'SEG209')).toEqual([
      'the profile of fiona is not a member of pros: plan == "pro" is false (plan = "free")',
    ]);
    expect(analysis.personas.get('paul')!.member).toBe(true);
    expect(analysis.personas.get('fiona')!.member).toBe(false);
  });

  it('warns about clauses that never or always hold', () => {
    expect(messages(analysis, 'SEG210')).toEqual(['clause `age > 100` never holds on users (0 of 20 rows; unknown for 1 because of missing values)']);
    expect(messages(analysis, 'SEG211')).toEqual(['clause `user_id is not missing` holds for every row of users (20 of 20)']);
  });

  it('checks partitions', () => {
    const plans = analysis.partitions[0];
    expect(plans.passed).toBe(false);
    expect(plans.overlaps).toEqual([{ a: 'pros', b: 'young', count: 1, exampleKeys: ['u2'] }]);
    // Neither pro (even, 18+) nor young (< 25): odd i >= 5, and u1 whose age is missing.
    expect(plans.uncovered.count).toBe(9);
    expect(messages(analysis, 'SEG212')).toEqual(['plans is declared exclusive, but pros and young share 1 row (e.g. u2)']);
    expect(messages(analysis, 'SEG213')[0]).toMatch(/^plans is declared exhaustive, but 9 of 20 rows \(45.0%\) are in none of its segments \(e.g. u1, u5, u7\)$/);
  });

  it('computes overlaps and coverage', () => {
    const pair = analysis.overlaps.find((o) => o.a === 'young' && o.b === 'pros')!;
    expect(pair.count).toBe(1);
    expect(pair.shareOfA).toBeCloseTo(1 / 3);
    expect(pair.shareOfB).toBeCloseTo(1 / 9);
    const cov = analysis.datasets.get('users')!.coverage;
    expect(cov.uncovered).toBe(9);
    expect(cov.exampleKeys.slice(0, 2)).toEqual(['u1', 'u5']);
    expect(analysis.datasets.get('users')!.asOf).toBe('2026-06-30');
  });

  it('gives every finding a catalogued code', () => {
    const codes = new Set(engineCodes.map((c) => c.code));
    for (const f of analysis.findings) expect(codes.has(f.code)).toBe(true);
    expect(engineCodes.every((c) => /^SEG2[0-4]\d$/.test(c.code))).toBe(true);
  });

  it('works without an engine instance', () => {
    const model = modelOf(spec(), { users });
    expect(analyzeData(model, dataOf({ users })).segments.get('pros')!.size).toBe(9);
  });
});

describe('Engine cache', () => {
  it('does not re-evaluate unchanged segments', () => {
    const engine = new Engine();
    run(engine);
    const first = engine.evaluations;
    expect(first).toBe(5);
    const again = run(engine).analysis;
    expect(engine.evaluations).toBe(first);
    expect(engine.lastRun.evaluated).toEqual([]);
    expect(again.segments.get('pros')!.cached).toBe(true);
  });

  it('re-evaluates only the edited segment and those that use it', () => {
    const engine = new Engine();
    run(engine);
    const edited = run(engine, spec('age < 30')).analysis;
    expect(engine.lastRun.evaluated.sort()).toEqual(['young', 'young_pros']);
    expect(edited.segments.get('young')!.size).toBe(4);
    // A change of layout or parentheses only is not a change.
    run(engine, spec('(age   <   30)'));
    expect(engine.lastRun.evaluated).toEqual([]);
  });

  it('re-evaluates when the data changes', () => {
    const engine = new Engine();
    run(engine);
    const other = tableFromRows({ user_id: 'string', age: 'integer', plan: 'enum', device: 'string', ltv: 'number' }, [
      { user_id: 'a', age: 20, plan: 'pro', device: 'desktop', ltv: 1 },
    ]);
    const model = modelOf(spec(), { users: other });
    const result = engine.analyze(model, dataOf({ users: other }));
    expect(engine.lastRun.evaluated).toHaveLength(5);
    expect(result.segments.get('pros')!.size).toBe(1);
  });
});

describe('explainRow', () => {
  it('explains a table row by key', () => {
    const { model, data, analysis } = run();
    const found = explainRow(model, data, analysis, 'young_pros', 'u4')!;
    expect(found.row).toBe(4);
    expect(found.explanation.result).toBe(false);
    const text = renderExplanation(found.explanation);
    // Referenced segments are followed to their own rules, with the row's values.
    expect(text).toBe(
      [
        '✗ all of:',
        '  ✗ young: not a member of young',
        '    ✗ age < 25  —  age = 27, needs < 25',
        '  ✓ pros: a member of pros',
        '    ✓ all of:',
        '      ✓ plan == "pro"  —  plan = "pro", needs "pro"',
        '      ✓ age >= 18  —  age = 27, needs ≥ 18',
      ].join('\n'),
    );
  });
});

describe('without data', () => {
  it('marks segments unavailable but still checks examples and persona profiles', () => {
    const model = modelOf(spec(), { users });
    const analysis = new Engine().analyze(model, new Map(), {});
    expect(analysis.segments.get('pros')!.status).toBe('unavailable');
    expect(analysis.segments.get('pros')!.reason).toBe('no data loaded for users');
    expect(analysis.personas.get('fiona')!.member).toBe(false);
    expect(analysis.findings.map((f) => f.code).sort()).toEqual(['SEG208', 'SEG209']);
  });
});
