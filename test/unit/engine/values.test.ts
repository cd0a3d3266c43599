import { describe, expect, it } from 'vitest';
import { DuckDBInstance } from '@duckdb/node-api';
import { addUnits, daysFromIso, isoFromDays } from '../../../server/src/core/engine/dates.js';
import { compareSemver } from '../../../server/src/core/engine/semver.js';
import { aggregateNumbers, quantileCont } from '../../../server/src/core/engine/aggregates.js';
import { compiled, expr, reference, tableFromRows } from './helpers.js';

const shift = (iso: string, n: number, unit: 'day' | 'week' | 'month' | 'year') => isoFromDays(addUnits(daysFromIso(iso)!, n, unit));

describe('calendar arithmetic', () => {
  it('clamps to the end of the month like SQL', () => {
    expect(shift('2026-03-31', -1, 'month')).toBe('2026-02-28');
    expect(shift('2024-03-31', -1, 'month')).toBe('2024-02-29');
    expect(shift('2026-05-31', -1, 'month')).toBe('2026-04-30');
    expect(shift('2026-01-31', 1, 'month')).toBe('2026-02-28');
    expect(shift('2026-01-15', -13, 'month')).toBe('2024-12-15');
  });

  it('moves leap days to February 28 in other years', () => {
    expect(shift('2024-02-29', -1, 'year')).toBe('2023-02-28');
    expect(shift('2024-02-29', 4, 'year')).toBe('2028-02-29');
    expect(shift('2024-03-01', -1, 'day')).toBe('2024-02-29');
    expect(shift('2026-01-01', -1, 'week')).toBe('2025-12-25');
  });

  it('rejects impossible dates', () => {
    expect(daysFromIso('2026-02-29')).toBeUndefined();
    expect(daysFromIso('2026-13-01')).toBeUndefined();
  });
});

describe('relative dates against the reference date', () => {
  const dates = ['2026-02-27', '2026-02-28', '2026-03-01', '2026-03-30', '2026-03-31', '2026-04-01'];
  const table = tableFromRows(
    { d: 'date', t: 'datetime' },
    dates.map((d) => ({ d, t: `${d}T23:59:59Z` })),
  );
  const setup = { table, today: daysFromIso('2026-03-31')! };
  const members = (source: string) => {
    const e = expr(source);
    const got = compiled(e, setup);
    expect(got).toEqual(reference(e, setup));
    return dates.filter((_, i) => got[i] === true);
  };

  it('`within last 1 month` on 2026-03-31 starts on 2026-03-01 (now = April 1, minus a month)', () => {
    expect(members('d within last 1 month')).toEqual(['2026-03-01', '2026-03-30', '2026-03-31']);
  });

  it('`within last 1 day` is today alone, and never the future', () => {
    expect(members('d within last 1 day')).toEqual(['2026-03-31']);
    expect(members('t within last 1 day')).toEqual(['2026-03-31']);
  });

  it('`N units ago` is a date next to a date field and an instant next to a date-time', () => {
    // today - 1 month = 2026-02-28 (clamped); now - 1 month = 2026-03-01T00:00Z.
    expect(members('d >= 1 month ago')).toEqual(['2026-02-28', '2026-03-01', '2026-03-30', '2026-03-31', '2026-04-01']);
    expect(members('t >= 1 month ago')).toEqual(['2026-03-01', '2026-03-30', '2026-03-31', '2026-04-01']);
  });

  it('`before` and `after` are strict', () => {
    expect(members('d before 2026-03-01')).toEqual(['2026-02-27', '2026-02-28']);
    expect(members('d after 2026-03-31')).toEqual(['2026-04-01']);
    expect(members('d == today')).toEqual(['2026-03-31']);
  });

  it('handles the leap day as reference date', () => {
    const leap = { table, today: daysFromIso('2024-02-29')! };
    const e = expr('d within last 2 years');
    // now = 2024-03-01, minus 2 years = 2022-03-01: every 2026 date is in the future.
    expect(compiled(e, leap)).toEqual([false, false, false, false, false, false]);
  });
});

describe('semver ordering', () => {
  it('orders numerically, pre-releases before releases', () => {
    const sorted = ['1.0.0-alpha', '1.0.0-alpha.1', '1.0.0-beta', '1.0.0-rc.1', '1.0.0', '1.2.0', '3.9.0', '3.10.0', '10.0.0'];
    for (let i = 0; i + 1 < sorted.length; i++) expect(compareSemver(sorted[i], sorted[i + 1])).toBeLessThan(0);
    expect(compareSemver('3.10', '3.10.0')).toBe(0);
    expect(compareSemver('v2.0.0', '2.0.0+build.7')).toBe(0);
    expect(compareSemver('banana', '1.0.0')).toBeUndefined();
  });

  it('compares semver fields with string literals', () => {
    const table = tableFromRows({ v: 'semver' }, [{ v: '3.9.0' }, { v: '3.10.0' }, { v: null }, { v: 'not-a-version' }]);
    const setup = { table, today: 0 };
    expect(compiled(expr('v >= "3.10.0"'), setup)).toEqual([false, true, null, null]);
    expect(compiled(expr('v < "3.10.0"'), setup)).toEqual([true, false, null, null]);
  });
});

describe('aggregates', () => {
  it('interpolates percentiles linearly', () => {
    const sorted = Float64Array.from([1, 2, 3, 4]);
    expect(quantileCont(sorted, 0.5)).toBe(2.5);
    expect(quantileCont(sorted, 0.9)).toBeCloseTo(3.7);
    expect(aggregateNumbers('p25', Float64Array.from([10, 0, 30, 20]))).toBe(7.5);
    expect(aggregateNumbers('mean', Float64Array.from([1, 2, 6]))).toBe(3);
    expect(aggregateNumbers('median', new Float64Array(0))).toBeUndefined();
  });

  it('agree with DuckDB quantile_cont', async () => {
    const values = Array.from({ length: 101 }, (_, i) => ((i * 7919) % 113) + (i % 3) * 0.25);
    const instance = await DuckDBInstance.create(':memory:');
    const conn = await instance.connect();
    try {
      const qs = [0.01, 0.1, 0.25, 0.5, 0.9, 0.99];
      const sql = `select ${qs.map((p, i) => `quantile_cont(v, ${p}) as q${i}`).join(', ')}, avg(v) as m from (select unnest([${values.join(', ')}]::double[]) as v)`;
      const row = (await conn.runAndReadAll(sql)).getRowObjectsJS()[0];
      const data = Float64Array.from(values);
      qs.forEach((p, i) => expect(aggregateNumbers(`p${Math.round(p * 100)}`, data)).toBeCloseTo(Number(row[`q${i}`]), 9));
      expect(aggregateNumbers('mean', data)).toBeCloseTo(Number(row.m), 9);
    } finally {
      conn.closeSync();
      instance.closeSync();
    }
  });
});

describe('quantile by selection', () => {
  it('matches the sorted definition on random inputs', async () => {
    const { quantileSelect } = await import('../../../server/src/core/engine/aggregates.js');
    let seed = 7;
    const rand = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);
    for (let trial = 0; trial < 200; trial++) {
      const n = 1 + Math.floor(rand() * 50);
      const values = Float64Array.from({ length: n }, () => Math.floor(rand() * 10));
      const sorted = Float64Array.from(values).sort();
      const q = Math.floor(rand() * 99 + 1) / 100;
      expect(quantileSelect(Float64Array.from(values), q)).toBeCloseTo(quantileCont(sorted, q), 12);
    }
  });
});

describe('message formatting', () => {
  it('groups thousands and rounds like the messages expect', async () => {
    const { formatCount, formatNumber, formatPercent } = await import('../../../server/src/core/engine/format.js');
    expect([0, 7, 999, 1000, 20000, 1234567, -4500].map(formatCount)).toEqual(['0', '7', '999', '1,000', '20,000', '1,234,567', '-4,500']);
    expect(formatCount(1234.5)).toBe('1,234.5');
    expect([83.214, 0.12345, 1234.56, 2.5].map(formatNumber)).toEqual(['83.21', '0.1235', '1,234.6', '2.5']);
    expect([0.031, 0.2, 1 / 3, 0.0004, 0].map(formatPercent)).toEqual(['3.1%', '20.0%', '33.3%', '0.04%', '0.0%']);
  });
});
