/**
 * Related datasets in discovery (SPEC §11, §13): the aggregates and lookups
 * proposed as clauses hold exactly where the engine says the printed clause
 * holds (orphans, missing values, parents without rows, a one-to-one dataset
 * with gaps), they come from the engine's own cache (checking the printed
 * rule computes no column again), and the target's own related data is left
 * out.
 */
import { describe, expect, it } from 'vitest';
import { candidateClauses } from '../../../server/src/core/discover/clauses.js';
import { relatedDerivedColumns } from '../../../server/src/core/discover/related-clauses.js';
import { relatedUses } from '../../../server/src/core/discover/rule-walk.js';
import { hasBit } from '../../../server/src/core/engine/bitset.js';
import { Workspace } from '../../../server/src/core/workspace.js';
import { MemoryHost } from '../workspace/memory-host.js';

const DAY = 86_400_000;
const NOW = Date.UTC(2026, 6, 1);

function random(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function files(seed: number): Record<string, string> {
  const rnd = random(seed);
  const pick = <T,>(xs: T[]): T => xs[Math.floor(rnd() * xs.length)];
  const users = Array.from({ length: 300 }, (_, i) => `u${i},${pick(['free', 'pro', 'team'])}`);
  const events = ['user_id,at,kind,amount,premium'];
  for (let k = 0; k < 3000; k++) {
    // A third of the users have no events; some events name nobody or no one.
    const user = rnd() < 0.03 ? '' : rnd() < 0.03 ? 'nobody' : `u${Math.floor(rnd() * 200)}`;
    const at = rnd() < 0.05 ? '' : new Date(NOW - Math.floor(rnd() * 200 * DAY)).toISOString();
    const kind = rnd() < 0.05 ? '' : pick(['play', 'play', 'play', 'skip', 'like', 'share']);
    const amount = rnd() < 0.1 ? '' : String(Math.floor(rnd() * rnd() * 500));
    events.push([user, at, kind, amount, pick(['true', 'false', ''])].join(','));
  }
  const answers = ['user_id,nps,attitude'];
  for (let i = 0; i < 300; i++) if (rnd() < 0.5) answers.push(`u${i},${rnd() < 0.2 ? '' : Math.floor(rnd() * 11)},${pick(['explorer', 'comfort', 'curator', ''])}`);
  return {
    '/ws/users.csv': `user_id,plan\n${users.join('\n')}\n`,
    '/ws/events.csv': `${events.join('\n')}\n`,
    '/ws/answers.csv': `${answers.join('\n')}\n`,
    '/ws/data.segspec': `dataset users { source "users.csv" key user_id as of 2026-06-30 fields { plan: enum } }
dataset events { source "events.csv" belongs to users by user_id fields { at: datetime?, kind: enum?, amount: integer?, premium: boolean?, user_id: string? } }
dataset answers { source "answers.csv" key user_id belongs to users by user_id fields { nps: integer?, attitude: enum? } }
segment unhappy { from users where answers.nps <= 6 }
`,
  };
}

describe('clauses over related datasets', () => {
  it('hold exactly where the engine counts the printed clause, from the engine\'s own columns', async () => {
    const workspace = new Workspace(new MemoryHost(files(7)), '/ws');
    const analysis = await workspace.analyze();
    expect(analysis.findings.filter((f) => f.severity === 'error')).toEqual([]);
    const table = analysis.data.get('users')!.table!;
    const today = Math.floor(NOW / DAY) - 1;
    const derived = relatedDerivedColumns({
      cache: workspace.engine.related,
      model: analysis.model,
      tableOf: (d) => analysis.data.get(d)?.table,
      dataset: 'users',
      today,
      exclude: new Set(),
    });
    const texts = derived.map((d) => d.text);
    expect(texts).toEqual(
      expect.arrayContaining([
        'count(events)',
        'count(events where at within last 30 days)',
        'max(events.at)',
        'sum(events.amount)',
        'mean(events.amount)',
        'count(distinct events.kind)',
        'exists(events where kind == "play")',
        'exists(events where premium)',
        'exists(answers)',
        'answers.nps',
        'answers.attitude',
      ]),
    );
    const clauses = candidateClauses(table, { minCount: 10, today, exclude: new Set(['user_id']), derived });
    const related = clauses.filter((c) => /events|answers/.test(c.text));
    const shown = related.map((c) => c.text);
    expect(shown).toEqual(expect.arrayContaining(['count(events) == 0', 'count(events) > 0', 'exists(answers)', 'not exists(answers)', 'answers.nps is missing']));
    expect(shown.some((t) => /^max\(events\.at\) within last \d+ days$/.test(t))).toBe(true);
    expect(shown.some((t) => /^sum\(events\.amount\) >= \d+$/.test(t))).toBe(true);
    expect(shown.some((t) => /^answers\.attitude in \[/.test(t))).toBe(true);

    // Every clause as the `where` of a segment in the workspace: the engine's members are the rows where it holds.
    workspace.setOverlay('/ws/check.segspec', related.map((c, i) => `segment c${i} { from users where ${c.text} }`).join('\n'), 1);
    const checked = await workspace.analyze();
    expect(checked.findings.filter((f) => f.file === '/ws/check.segspec' && f.severity === 'error')).toEqual([]);
    related.forEach((c, i) => {
      const members = checked.results.segments.get(`c${i}`)!.members!;
      for (let row = 0; row < table.rowCount; row++) expect(c.holds(row), `${c.text} row ${row}`).toBe(hasBit(members, row));
    });
    // The columns were the engine's: checking the printed clauses computed none of them again.
    const recomputed = workspace.engine.related.computed;
    expect(recomputed.filter((key) => derived.some((d) => key.startsWith(`${d.column.name}|`)))).toEqual([]);
  });

  it('leaves out the related datasets the target reads', async () => {
    const workspace = new Workspace(new MemoryHost(files(8)), '/ws');
    const analysis = await workspace.analyze();
    const uses = relatedUses(analysis.model.segments.get('unhappy')!.where!, analysis.model);
    expect([...uses]).toEqual(['answers']);
    const derived = relatedDerivedColumns({
      cache: workspace.engine.related,
      model: analysis.model,
      tableOf: (d) => analysis.data.get(d)?.table,
      dataset: 'users',
      today: 20634,
      exclude: uses,
    });
    const texts = derived.map((d) => d.text);
    expect(texts).toContain('count(events)');
    expect(texts.filter((t) => t.includes('answers'))).toEqual([]);
  });
});
