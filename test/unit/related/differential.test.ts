/**
 * The bitset engine's related columns (link index + aggregate columns) against
 * the reference semantics (reference.ts + reference-related.ts, row by row
 * over related rows grouped here by plain code), on random tables with
 * missing values, orphans and parents without related rows, and random rules.
 */
import { describe, expect, it } from 'vitest';
import { Workspace } from '../../../server/src/core/workspace.js';
import { hasBit } from '../../../server/src/core/engine/bitset.js';
import { evalPredicate, type EvalEnv } from '../../../server/src/core/engine/reference.js';
import { evalRelated } from '../../../server/src/core/engine/reference-related.js';
import { rowRecord } from '../../../server/src/core/engine/records.js';
import { cellValue } from '../../../server/src/core/engine/records.js';
import { MemoryHost } from '../workspace/memory-host.js';

function random(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const DAY = 86_400_000;
const NOW = Date.UTC(2026, 6, 1);

function dataFor(rnd: () => number): Record<string, string> {
  const pick = <T,>(xs: T[]): T => xs[Math.floor(rnd() * xs.length)];
  const parents = Array.from({ length: 30 }, (_, i) => `u${i}`);
  const events: string[] = ['user_id,at,kind,amount,day'];
  for (let k = 0; k < 300; k++) {
    const user = rnd() < 0.05 ? '' : rnd() < 0.05 ? 'nobody' : `u${Math.floor(rnd() * 24)}`;
    const at = rnd() < 0.1 ? '' : new Date(NOW - Math.floor(rnd() * 120 * DAY) + pick([0, 3_600_000 * 5])).toISOString();
    const kind = rnd() < 0.1 ? '' : pick(['a', 'b', 'c']);
    const amount = rnd() < 0.15 ? '' : String(Math.floor(rnd() * 100) - 20);
    const day = rnd() < 0.1 ? '' : new Date(NOW - Math.floor(rnd() * 100) * DAY).toISOString().slice(0, 10);
    events.push([user, at, kind, amount, day].join(','));
  }
  const answers = ['user_id,score'];
  for (const p of parents) if (rnd() < 0.6) answers.push(`${p},${rnd() < 0.2 ? '' : Math.floor(rnd() * 11)}`);
  return {
    '/ws/users.csv': `user_id,tier\n${parents.map((p, i) => `${p},${i % 3}`).join('\n')}\n`,
    '/ws/events.csv': `${events.join('\n')}\n`,
    '/ws/answers.csv': `${answers.join('\n')}\n`,
  };
}

function randomRule(rnd: () => number): string {
  const pick = <T,>(xs: T[]): T => xs[Math.floor(rnd() * xs.length)];
  const k = () => Math.floor(rnd() * 60) - 10;
  const filter = pick([
    '',
    ' where kind == "a"',
    ` where amount > ${k()}`,
    ` where at within last ${1 + Math.floor(rnd() * 60)} days`,
    ` where day within last ${1 + Math.floor(rnd() * 60)} days`,
    ' where kind in ["a", "b"] or amount is missing',
    ` where not (amount < ${k()})`,
    ' where at after 60 days ago',
  ]);
  const numeric = pick(['sum', 'mean', 'median', 'p10', 'p90', 'min', 'max']);
  return pick([
    `count(events${filter}) ${pick(['>=', '<', '=='])} ${Math.floor(rnd() * 8)}`,
    `count(distinct events.${pick(['kind', 'amount', 'day'])}${filter}) ${pick(['>=', '<='])} ${Math.floor(rnd() * 4)}`,
    `${numeric}(events.amount${filter}) ${pick(['>', '<=', '=='])} ${k()}`,
    `${numeric}(events.amount${filter}) is missing`,
    `sum(events.amount${filter}) == 0`,
    `max(events.at${filter}) within last ${1 + Math.floor(rnd() * 40)} days`,
    `min(events.day${filter}) before ${pick(['2026-04-01', '2026-05-15'])}`,
    `exists(events${filter})`,
    `not exists(events${filter})`,
    `answers.score ${pick(['>', '<=', '!='])} ${Math.floor(rnd() * 11)}`,
    `answers.score is missing`,
    `exists(answers where score >= 5) ${pick(['and', 'or'])} count(events${filter}) > 2`,
  ]);
}

const spec = (rules: string[]) => `dataset users { source "users.csv" key user_id as of 2026-06-30 }
dataset events { source "events.csv" belongs to users by user_id fields { at: datetime?, day: date?, amount: integer?, kind: string?, user_id: string? } }
dataset answers { source "answers.csv" key user_id belongs to users by user_id }
${rules.map((rule, i) => `segment r${i} { from users where ${rule} }`).join('\n')}
`;

describe('related columns against the reference semantics (random)', () => {
  for (const seed of [11, 12, 13, 14]) {
    it(`seed ${seed}: the same members for every random rule`, async () => {
      const rnd = random(seed);
      const rules = Array.from({ length: 40 }, () => randomRule(rnd));
      const files = { ...dataFor(rnd), '/ws/spec.segspec': spec(rules) };
      const analysis = await new Workspace(new MemoryHost(files), '/ws').analyze();
      expect(analysis.findings.filter((f) => f.severity === 'error')).toEqual([]);
      const users = analysis.data.get('users')!.table!;
      const today = Math.floor(NOW / DAY) - 1;
      const resolve = (name: { name: string }) => analysis.model.names.get(name as never) ?? { kind: 'unknown' as const };
      const rowsOf = (dataset: string): Map<string, EvalEnv[]> => {
        const table = analysis.data.get(dataset)!.table!;
        const byParent = new Map<string, EvalEnv[]>();
        for (let r = 0; r < table.rowCount; r++) {
          const record = rowRecord(table, r);
          const parent = record.get('user_id');
          if (typeof parent !== 'string') continue;
          const env: EvalEnv = { today, resolve, field: (f) => record.get(f) ?? null, segment: () => false, aggregate: () => null };
          byParent.set(parent, [...(byParent.get(parent) ?? []), env]);
        }
        return byParent;
      };
      const related = { events: rowsOf('events'), answers: rowsOf('answers') };
      const keys = users.byName.get('user_id')!;
      rules.forEach((rule, i) => {
        const result = analysis.results.segments.get(`r${i}`)!;
        const where = analysis.model.segments.get(`r${i}`)!.where!;
        for (let row = 0; row < users.rowCount; row++) {
          const id = cellValue(keys, row) as string;
          const record = rowRecord(users, row);
          const env: EvalEnv = {
            today,
            resolve,
            field: (f) => record.get(f) ?? null,
            segment: () => false,
            aggregate: () => null,
            related: (expr) => evalRelated(expr, related[expr.dataset.name as 'events' | 'answers'].get(id) ?? []),
          };
          expect(hasBit(result.members!, row), `${rule} for ${id}`).toBe(evalPredicate(where, env) === true);
        }
      });
      // Not a vacuous comparison: most rules hold for some users and not for others.
      const mixed = rules.filter((_, i) => {
        const size = analysis.results.segments.get(`r${i}`)!.size;
        return size > 0 && size < users.rowCount;
      });
      expect(mixed.length).toBeGreaterThan(rules.length / 2);
    });
  }
});
