import { describe, expect, it } from 'vitest';
import { compiled, expr, reference, tableFromRows, type EvalSetup } from './helpers.js';
import { daysFromIso } from '../../../server/src/core/engine/dates.js';
import { emptyBits, setBit } from '../../../server/src/core/engine/bitset.js';

const T = true;
const F = false;
const U = null;

const table = tableFromRows(
  {
    age: 'integer',
    plan: 'enum',
    country: 'string',
    seats: 'integer',
    signup: 'date',
    last_seen: 'datetime',
    ver: 'semver',
    student: 'boolean',
    tags: 'list<string>',
    nums: 'list<integer>',
    ltv: 'number',
  },
  [
    {
      age: 30, plan: 'pro', country: 'DE', seats: 5, signup: '2026-06-30', last_seen: '2026-06-30T10:00:00Z',
      ver: '3.10.0', student: true, tags: ['a', 'b'], nums: [1, 2], ltv: 100,
    },
    {},
    {
      age: 17, plan: 'free', country: 'US', seats: 0, signup: '2026-05-31', last_seen: '2026-05-31T23:59:59Z',
      ver: '3.9.0', student: false, tags: [], nums: [], ltv: 0,
    },
    {
      age: 65, plan: 'team', country: 'de', seats: 2, signup: '2025-06-30', last_seen: '2026-06-01T00:00:00Z',
      ver: '3.10.0-rc.1', student: true, tags: ['b'], nums: [3], ltv: 50,
    },
    { plan: 'pro', country: 'FR' },
  ],
);

const adults = emptyBits(5);
setBit(adults, 0);
setBit(adults, 3);

const setup: EvalSetup = { table, today: daysFromIso('2026-06-30')!, segments: new Map([['adults', adults]]) };

// Rows: 0 full, 1 all missing, 2 full, 3 full, 4 plan/country only.
const cases: Array<[string, Array<boolean | null>]> = [
  ['age > 18', [T, U, F, T, U]],
  ['age != 30', [F, U, T, T, U]],
  ['not age > 18', [F, U, T, F, U]],
  ['plan == "pro"', [T, U, F, F, T]],
  ['plan == "free" and age > 1', [F, U, T, F, F]],
  ['plan == "pro" or age > 100', [T, U, F, F, T]],
  ['plan == "free" or age > 1', [T, U, T, T, U]],
  ['plan in ["pro", "team"]', [T, U, F, T, T]],
  ['plan not in ["pro", "team"]', [F, U, T, F, F]],
  ['age between 17 and 30', [T, U, T, F, U]],
  ['country contains "E"', [T, U, F, F, F]],
  ['tags contains "a"', [T, U, F, F, U]],
  ['tags contains any ["a", "b"]', [T, U, F, T, U]],
  ['tags contains all ["a", "b"]', [T, U, F, F, U]],
  ['nums contains 3', [F, U, F, T, U]],
  ['country starts with "D"', [T, U, F, F, F]],
  ['country ends with "E"', [T, U, F, F, F]],
  ['country matches "^[A-Z]+$"', [T, U, T, F, T]],
  ['country matches "e"', [F, U, F, T, F]],
  ['age is missing', [F, T, F, F, T]],
  ['age is not missing', [T, F, T, T, F]],
  ['signup within last 1 month', [T, U, F, F, U]],
  ['signup within last 31 days', [T, U, T, F, U]],
  ['signup within last 1 day', [T, U, F, F, U]],
  ['last_seen within last 30 days', [T, U, F, T, U]],
  ['signup after 30 days ago', [T, U, F, F, U]],
  ['signup >= 30 days ago', [T, U, T, F, U]],
  ['last_seen >= 30 days ago', [T, U, F, T, U]],
  ['signup before 2026-01-01', [F, U, F, T, U]],
  ['signup == today', [T, U, F, F, U]],
  ['last_seen < now', [T, U, T, T, U]],
  ['ver >= "3.10.0"', [T, U, F, F, U]],
  ['ver > "3.9.0"', [T, U, F, T, U]],
  ['ver == "3.10"', [T, U, F, F, U]],
  ['student', [T, U, F, T, U]],
  ['not student', [F, U, T, F, U]],
  ['lower(country) == "de"', [T, U, F, T, F]],
  ['upper(country) == "DE"', [T, U, F, T, F]],
  ['len(country) == 2', [T, U, T, T, T]],
  ['len(tags) >= 2', [T, U, F, F, U]],
  ['ltv / seats > 10', [T, U, U, T, U]],
  ['ltv / 0 > 1', [U, U, U, U, U]],
  ['ltv > median(ltv)', [T, U, F, F, U]],
  ['ltv >= p90(ltv)', [T, U, F, F, U]],
  ['ltv == mean(ltv)', [F, U, F, T, U]],
  ['ltv == max(ltv) or ltv == min(ltv)', [T, U, T, F, U]],
  ['age * 2 + 1 > 60', [T, U, F, T, U]],
  ['-age < -20', [T, U, F, T, U]],
  ['7 / 2 == 3.5', [T, T, T, T, T]],
  ['not adults', [F, T, T, F, T]],
  ['adults and age > 50', [F, F, F, T, F]],
  ['not (adults or age < 20)', [F, U, F, F, U]],
];

describe('operators with missing values (SQL three-valued logic)', () => {
  it.each(cases)('%s', (source, expected) => {
    const e = expr(source);
    expect(reference(e, setup)).toEqual(expected);
    expect(compiled(e, setup)).toEqual(expected);
  });
});
