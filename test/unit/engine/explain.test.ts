import { describe, expect, it } from 'vitest';
import { describeClause, explain, failingClauses, renderExplanation } from '../../../server/src/core/engine/explain.js';
import { explanationHtml, explanationMarkdown } from '../../../server/src/core/engine/explain-render.js';
import { displayNumber } from '../../../server/src/core/engine/explain-reading.js';
import type { EvalEnv } from '../../../server/src/core/engine/reference.js';
import { recordFromLiteral, type EvalRecord } from '../../../server/src/core/engine/records.js';
import type { NameResolution } from '../../../server/src/core/semantics/model.js';
import { daysFromIso } from '../../../server/src/core/engine/dates.js';
import { expr, record } from './helpers.js';

const today = daysFromIso('2026-06-30')!;
const fieldTypes = new Map([
  ['age', { type: 'integer' as const }],
  ['job', { type: 'string' as const }],
  ['plan', { type: 'enum' as const }],
  ['integrations', { type: 'list<string>' as const }],
  ['signup', { type: 'date' as const }],
  ['app', { type: 'semver' as const }],
]);

function envFor(rec: EvalRecord, students: boolean): EvalEnv {
  return {
    today,
    resolve: (n): NameResolution =>
      fieldTypes.has(n.name) ? { kind: 'field', dataset: 'users', name: n.name } : n.name === 'students' ? { kind: 'segment', name: 'students' } : { kind: 'unknown' },
    field: (name) => rec.get(name) ?? null,
    segment: () => students,
    aggregate: () => 40,
  };
}

const where = 'job in ["designer", "developer"]\n    and plan != "enterprise"\n    and integrations contains "invoicing"';
const source = `segment s {\n  where ${where}\n}`;

describe('explanations', () => {
  it('marks each clause true, false or unknown with the values it saw', () => {
    const rec = recordFromLiteral(record('{ job: "designer", plan: "enterprise" }'), fieldTypes, today);
    const tree = explain(expr(where), envFor(rec, false));
    expect(tree.kind).toBe('and');
    expect(tree.result).toBe(false);
    expect(tree.children.map((c) => c.result)).toEqual([true, false, null]);
    expect(renderExplanation(tree)).toBe(
      [
        '✗ all of:',
        '  ✓ job in ["designer", "developer"]  —  job = "designer", needs one of designer, developer',
        '  ✗ plan != "enterprise"  —  plan = "enterprise", needs ≠ "enterprise"',
        '  ? integrations contains "invoicing"  —  integrations is missing (unknown), needs to contain "invoicing"',
      ].join('\n'),
    );
  });

  it('names the clauses that keep a record out', () => {
    const rec = recordFromLiteral(record('{ job: "writer", plan: "pro", integrations: ["invoicing"] }'), fieldTypes, today);
    const tree = explain(expr(where), envFor(rec, false));
    expect(failingClauses(tree).map(describeClause)).toEqual(['job in ["designer", "developer"] is false (job = "writer")']);
  });

  it('uses the source text of each clause when given', () => {
    const rec = recordFromLiteral(record('{ job: "designer", plan: "pro", integrations: ["invoicing", "crm"] }'), fieldTypes, today);
    const e = expr(where);
    const shifted = explain(e, envFor(rec, false), `segment s {\n  where ${where}\n}`);
    expect(shifted.result).toBe(true);
    expect(shifted.text).toBe(source.slice(e.range.start.offset, e.range.end.offset).replace(/\s+/g, ' '));
  });

  it('shows segment membership, dates, aggregates and nested logic', () => {
    const rec = recordFromLiteral(record('{ age: 31, signup: 2026-06-01, app: "3.10.0" }'), fieldTypes, today);
    const tree = explain(expr('not students and (age > p90(age) or signup within last 90 days) and app >= "3.9.0"'), envFor(rec, true));
    expect(renderExplanation(tree)).toBe(
      [
        '✗ all of:',
        '  ✗ not students',
        '    ✓ students: a member of students',
        '  ✓ any of:',
        '    ✗ age > p90(age)  —  age = 31, needs > p90(age) = 40',
        '    ✓ signup within last 90 days  —  signup = 2026-06-01, needs within the last 90 days',
        '  ✓ app >= "3.9.0"  —  app = "3.10.0", needs ≥ "3.9.0"',
      ].join('\n'),
    );
    expect(failingClauses(tree).map((n) => n.text)).toEqual(['not students']);
  });

  it('reads each clause as the value and what it needs, missing values as unknown', () => {
    const rec = recordFromLiteral(record('{ job: "writer", plan: "free" }'), fieldTypes, today);
    const read = (source: string): string => {
      const tree = explain(expr(source), envFor(rec, false));
      return renderExplanation(tree).replace(/^[✓✗?] /, '');
    };
    expect(read('plan in ["pro", "team"]')).toBe('plan in ["pro", "team"]  —  plan = "free", needs one of pro, team');
    expect(read('plan not in ["pro", "team"]')).toBe('plan not in ["pro", "team"]  —  plan = "free", needs none of pro, team');
    expect(read('age < 25')).toBe('age < 25  —  age is missing (unknown), needs < 25');
    expect(read('25 > age')).toBe('25 > age  —  age is missing (unknown), needs < 25');
    expect(read('age is missing')).toBe('age is missing  —  age is missing, needs to be missing');
    expect(read('job starts with "free"')).toBe('job starts with "free"  —  job = "writer", needs to start with "free"');
    expect(read('age between 16 and 30')).toBe('age between 16 and 30  —  age is missing (unknown), needs between 16 and 30');
  });

  it('writes numbers with thousands separators and the field\'s decimals', () => {
    expect(displayNumber(127644.3333)).toBe('127,644.33');
    expect(displayNumber(127644.3333, 0)).toBe('127,644');
    expect(displayNumber(-1234567)).toBe('-1,234,567');
    expect(displayNumber(0.123456)).toBe('0.1235');
    const balances = new Map([['Balance', { type: 'number' as const }]]);
    const rec = recordFromLiteral(record('{ Balance: 0 }'), balances, today);
    const env: EvalEnv = {
      today,
      resolve: (n) => ({ kind: 'field', dataset: 'customers', name: n.name }),
      field: (name) => rec.get(name) ?? null,
      segment: () => false,
      aggregate: () => 127644.3333,
    };
    const whole = explain(expr('Balance >= p75(Balance)'), env, undefined, { fieldDecimals: () => 0 });
    expect(renderExplanation(whole)).toBe('✗ Balance >= p75(Balance)  —  Balance = 0, needs ≥ p75(Balance) = 127,644');
    const cents = explain(expr('Balance >= p75(Balance)'), env, undefined, { fieldDecimals: () => 2 });
    expect(cents.reading?.needs).toBe('≥ p75(Balance) = 127,644.33');
  });

  it('drills into a referenced segment, and stops at a cycle', () => {
    const rec = recordFromLiteral(record('{ age: 31, plan: "pro" }'), fieldTypes, today);
    const rules = new Map([
      ['students', { where: expr('age < 25 and students'), title: 'Students' }],
    ]);
    const tree = explain(expr('plan == "pro" and not students'), envFor(rec, false), undefined, { rules: (n) => rules.get(n) });
    expect(renderExplanation(tree)).toBe(
      [
        '✓ all of:',
        '  ✓ plan == "pro"  —  plan = "pro", needs "pro"',
        '  ✓ not students',
        '    ✗ students: not a member of students "Students"',
        '      ✗ all of:',
        '        ✗ age < 25  —  age = 31, needs < 25',
        '        ✗ students: not a member of students "Students"',
      ].join('\n'),
    );
    const segment = tree.children[1].children[0];
    expect(segment).toMatchObject({ kind: 'segment', segment: 'students', title: 'Students' });
  });

  it('renders Markdown as a nested list and HTML with referenced segments folded in <details>, all escaped', () => {
    const rec = recordFromLiteral(record('{ job: "<img src=x onerror=alert(1)>", plan: "pro" }'), fieldTypes, today);
    const rules = new Map([['students', { where: expr('age < 25'), title: 'Students <b>' }]]);
    const tree = explain(expr('job == "x" and students'), envFor(rec, false), undefined, { rules: (n) => rules.get(n) });
    const md = explanationMarkdown(tree);
    expect(md.split('\n')[0]).toBe('- ✗ **all of:**');
    expect(md).toContain('  - ✗ `job == "x"` — job = "\\<img src=x onerror=alert(1)\\>", needs "x"');
    expect(md).toContain('    - ? `age < 25` — age is missing (unknown), needs \\< 25');
    const html = explanationHtml(tree);
    expect(html).not.toContain('<img');
    expect(html).not.toContain('<b>');
    expect(html).toContain('&lt;img src=x onerror=alert(1)&gt;');
    expect(html).toMatch(/<li class="segment"><details open><summary><span class="mark false">✗<\/span> <code>students<\/code>/);
    expect(html).toContain('<span class="reading">age is missing (unknown), needs &lt; 25</span>');
  });
});
