/**
 * Discovery without a target over related datasets (SPEC §11, §13): the
 * aggregates a targeted discovery proposes as clauses also shape the
 * clusters and describe them, so segments of behaviour (users who listen a
 * lot) come back as rules over the related data, with
 * numbers the engine counts for the printed declarations.
 */
import { describe, expect, it } from 'vitest';
import { discoverUntargetedInWorkspace } from '../../../server/src/core/discover/run-untargeted.js';
import { Workspace } from '../../../server/src/core/workspace.js';
import { seededRandom } from '../../../server/src/core/discover/cluster.js';
import { MemoryHost } from '../workspace/memory-host.js';

const DAY = 86_400_000;
const AS_OF = Date.UTC(2026, 5, 30);

/**
 * Users whose own fields say nothing about them (plan and age at random),
 * but who fall in three kinds by their plays: a third listen daily, a third
 * listened now and then until a year or so ago, a third never did.
 */
function files(): Record<string, string> {
  const next = seededRandom(11);
  const users = ['user_id,plan,age'];
  const plays = ['user_id,at,ms'];
  for (let i = 0; i < 600; i++) {
    users.push(`u${i},${['free', 'pro', 'team'][Math.floor(next() * 3)]},${18 + Math.floor(next() * 50)}`);
    const kind = i % 3;
    const count = kind === 0 ? 30 + Math.floor(next() * 20) : kind === 1 ? 8 + Math.floor(next() * 5) : 0;
    for (let k = 0; k < count; k++) {
      const daysAgo = kind === 0 ? Math.floor(next() * 20) : 200 + Math.floor(next() * 300);
      plays.push(`u${i},${new Date(AS_OF - daysAgo * DAY).toISOString()},${Math.floor(next() * 300_000)}`);
    }
  }
  return {
    '/ws/users.csv': `${users.join('\n')}\n`,
    '/ws/plays.csv': `${plays.join('\n')}\n`,
    '/ws/data.segspec': `dataset users { source "users.csv" key user_id as of 2026-06-30 fields { plan: enum, age: integer } }
dataset plays { source "plays.csv" belongs to users by user_id fields { at: datetime, ms: integer } }
`,
  };
}

describe('discover without a target, over related datasets', () => {
  it('forms and describes segments by the related data, with the engine\'s counts', async () => {
    const workspace = new Workspace(new MemoryHost(files()), '/ws');
    const analysis = await workspace.analyze();
    expect(analysis.findings.filter((f) => f.severity === 'error')).toEqual([]);
    const outcome = await discoverUntargetedInWorkspace(workspace, analysis, { dataset: 'users', max: 6, clusters: 3, depth: 2 });
    if (!outcome.ok) throw new Error(outcome.message);
    const { result, rendered } = outcome;
    expect(result.fields).toEqual(expect.arrayContaining(['count(plays)']));
    // The daily listeners, whom no field of their own tells apart, come back as one rule over their plays.
    const daily = result.rules.find((r) => /\bplays\b/.test(r.where) && r.f1 > 0.95);
    expect(daily, result.rules.map((r) => `${r.where} (F1 ${r.f1.toFixed(2)})`).join(' | ')).toBeDefined();
    expect(daily!.size).toBe(200);

    // The printed declarations, checked as a user's file: clean, and each counts the size shown.
    workspace.setOverlay('/ws/proposed.segspec', rendered.map((r) => r.text).join('\n'), 1);
    const checked = await workspace.analyze();
    expect(checked.findings.filter((f) => f.file === '/ws/proposed.segspec' && f.severity !== 'info')).toEqual([]);
    rendered.forEach((r, i) => expect(checked.results.segments.get(r.name)?.size, r.text).toBe(result.rules[i].size));
  });
});
