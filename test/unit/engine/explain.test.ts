import { describe, expect, it } from 'vitest';
import { describeClause, explain, failingClauses, renderExplanation } from '../../../server/src/core/engine/explain.js';
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
        '  ✓ job in ["designer", "developer"]  (job = "designer")',
        '  ✗ plan != "enterprise"  (plan = "enterprise")',
        '  ? integrations contains "invoicing"  (integrations = missing)',
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
        '    ✓ students  (member of students)',
        '  ✓ any of:',
        '    ✗ age > p90(age)  (age = 31, p90(age) = 40)',
        '    ✓ signup within last 90 days  (signup = 2026-06-01)',
        '  ✓ app >= "3.9.0"  (app = "3.10.0")',
      ].join('\n'),
    );
    expect(failingClauses(tree).map((n) => n.text)).toEqual(['not students']);
  });
});
