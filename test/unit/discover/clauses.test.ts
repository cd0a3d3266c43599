import { describe, expect, it } from 'vitest';
import { candidateClauses, stringLiteral } from '../../../server/src/core/discover/clauses.js';
import { niceStep, roundCuts } from '../../../server/src/core/discover/nice.js';
import { ruleText } from '../../../server/src/core/discover/rule.js';
import { tableFromRows } from '../engine/helpers.js';

describe('readable cut points', () => {
  it('rounds steps to 1, 2 or 5 times a power of ten', () => {
    expect([0.013, 0.4, 3, 7, 18, 260, 4100].map(niceStep)).toEqual([0.01, 0.5, 2, 5, 20, 200, 5000]);
  });

  it('cuts at round values inside the range, never a float artefact', () => {
    const values = Float64Array.from({ length: 1000 }, (_, i) => 0.1 + i * 0.0973).sort();
    const cuts = roundCuts(values, false, [0.1, 0.2, 0.4, 0.6, 0.8, 0.9]);
    expect(cuts.length).toBeGreaterThan(3);
    for (const c of cuts) expect(String(c)).toMatch(/^\d+(\.\d)?$/);
    expect(roundCuts(Float64Array.from([3, 3, 3]), true, [0.5])).toEqual([]);
  });
});

describe('candidate clauses', () => {
  const table = tableFromRows(
    { id: 'string', age: 'integer', plan: 'enum', spend: 'number', student: 'boolean' },
    Array.from({ length: 200 }, (_, i) => ({
      id: `u${i}`,
      age: i % 10 === 0 ? null : 18 + (i % 50),
      plan: i % 3 === 0 ? 'pro' : 'free',
      spend: i % 2 === 0 ? 0 : i * 1.37,
      student: i % 4 === 0,
    })),
  );
  const clauses = candidateClauses(table, { minCount: 10, today: 20000, exclude: new Set(['id']) });
  const texts = clauses.map((c) => c.text);

  it('writes what a person would: == on enums, == 0 / > 0 on mostly-zero numbers, bare booleans, is missing', () => {
    expect(texts).toEqual(expect.arrayContaining(['plan == "pro"', 'plan == "free"', 'spend == 0', 'spend > 0', 'student', 'not student', 'age is missing', 'age is not missing']));
    expect(texts.some((t) => /^age >= \d+$/.test(t))).toBe(true);
    expect(texts.some((t) => t.startsWith('id'))).toBe(false);
  });

  it('follows the engine on missing values: a comparison never holds for a missing age', () => {
    const ageAtLeast = clauses.find((c) => c.slot === 'lower' && c.field === 'age')!;
    expect(ageAtLeast.holds(0)).toBe(false); // row 0: age missing
    expect(clauses.find((c) => c.text === 'age is missing')!.holds(0)).toBe(true);
  });

  it('merges a lower and an upper bound of an integer field into between', () => {
    const lower = clauses.find((c) => c.slot === 'lower' && c.field === 'age')!;
    const upper = clauses.filter((c) => c.slot === 'upper' && c.field === 'age').find((c) => c.bound! > lower.bound!)!;
    expect(ruleText([lower, upper, clauses.find((c) => c.text === 'student')!])).toBe(`age between ${lower.bound} and ${upper.bound! - 1} and student`);
  });

  it('escapes string literals as the language reads them', () => {
    expect(stringLiteral('a "b" \\ c\n\u0001')).toBe('"a \\"b\\" \\\\ c\\n\\u0001"');
  });
});
